"""The `validators` strategy: validator trees, for testing code generic over validators."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from vschema.strategies._budget import _named, _strategy
from vschema.strategies._scalars import _IDENT_CHARS, _INT64S
from vschema.validators._builder import v
from vschema.validators._nodes import Validator, VLiteral, VObject
from vschema.validators._values import FLOAT64_SAFE_INTEGER, MAX_NESTING, MAX_OBJECT_FIELDS

_TABLE_NAMES = ["users", "messages", "t", "_storage"]
_TAG_NAMES = ["kind", "type", "t"]
_LITERAL_STRINGS: SearchStrategy[str] = st.one_of(
    st.text(max_size=6), st.sampled_from(["a", "b", "saas_mvp", "x y", "'\"", "\u2028", "é"])
)
_LITERALS: SearchStrategy[VLiteral] = st.one_of(
    st.builds(v.literal, _LITERAL_STRINGS),
    st.builds(v.literal, st.booleans()),
    st.builds(v.literal, st.integers(-FLOAT64_SAFE_INTEGER, FLOAT64_SAFE_INTEGER)),
    st.builds(v.literal, st.floats(allow_nan=False, allow_infinity=False)),
    st.builds(lambda n: v.literal(n, int64=True), _INT64S),
)
_RECORD_KEYS: SearchStrategy[Validator] = st.sampled_from(
    [
        v.string(),
        v.id("users"),
        v.union(v.id("users"), v.id("messages")),
        v.union(v.string(), v.id("users")),
        v.union(v.id("users")),
        v.union(),
    ]
)
_LEAVES: SearchStrategy[Validator] = st.one_of(
    st.sampled_from(
        [
            v.string(),
            v.float64(),
            v.int64(),
            v.commitTs(),
            v.boolean(),
            v.null(),
            v.bytes(),
            v.any(),
        ]
    ),
    st.builds(v.id, st.sampled_from(_TABLE_NAMES)),
    _LITERALS,
    st.lists(_LITERALS, min_size=2, max_size=4).map(lambda ms: v.union(*ms)),
    st.sampled_from([v.union(), v.union(v.null())]),
)
_FIELD_IDENTIFIERS: SearchStrategy[str] = st.one_of(
    st.sampled_from(["a", "b", "name", "kind", "_x", "class", "z9"]),
    st.builds(
        lambda first, rest: first + rest if (first + rest).strip("_") else first + rest + "a",
        st.sampled_from(_IDENT_CHARS[:52] + "_"),
        st.text(_IDENT_CHARS, max_size=5),
    ),
)


_FIXED_TAGS: dict[int, list[list[Any]]] = {
    2: [[True, False], [0.0, -0.0], [1, 1.0]],
    3: [[0.0, -0.0, 1], [1, 1.0, 2]],
}
_TAG_VALUES: dict[int, SearchStrategy[list[Any]]] = {
    count: st.one_of(
        st.lists(_LITERAL_STRINGS, min_size=count, max_size=count, unique=True),
        st.lists(st.integers(-3, 3), min_size=count, max_size=count, unique=True),
        # Convex's literal equality: 0.0 and -0.0 tell members apart, 1 and 1.0 do not
        # (then there is no tag, and the union is checked member by member).
        st.sampled_from(_FIXED_TAGS[count]),
    )
    for count in (2, 3)
}
#: Container kinds a tree node may be, after 0 (a leaf, what trees shrink to).
_ARRAY, _OBJECT, _RECORD, _UNION, _NULLABLE, _TAGGED = range(1, 7)


class _Forest:
    """One tree draw: how many nodes are left to build, how big the tree may still grow
    (counting each use of a shared subtree), and the subtrees built so far (``(node,
    levels)``) that a later place may reuse."""

    __slots__ = ("expanded", "left", "max_fields", "pool", "shared")

    def __init__(self, max_nodes: int, max_fields: int, shared: bool) -> None:
        self.left = max_nodes
        # A subtree used in many places multiplies what every walk over the tree (and the
        # smallest valid value) costs: sharing stops there, well within Hypothesis's budget.
        self.expanded = _MAX_EXPANDED_PER_NODE * max_nodes
        self.max_fields = max_fields
        self.shared = shared
        self.pool: list[tuple[Validator, int, int]] = []  # node, levels, expanded size

    def child(self, draw: st.DrawFn, levels: int, last: bool) -> tuple[Validator, int, int]:
        """A child tree up to ``levels`` deep; one with siblings after it leaves them a
        quarter of the nodes, so a chain can use every node and a wide node shares them."""
        if last:
            return self.tree(draw, levels)
        rest = self.left
        share = rest - rest // 4
        self.left = share
        try:
            return self.tree(draw, levels)
        finally:
            self.left = rest - (share - self.left)

    def tree(self, draw: st.DrawFn, levels: int) -> tuple[Validator, int, int]:
        """``(node, levels it uses, its expanded size)``."""
        if self.shared and self.pool:
            fitting = [e for e in self.pool if e[1] <= levels and e[2] <= self.expanded]
            # A quarter of the places reuse a subtree, the latest (often a sibling) first.
            if fitting and draw(st.integers(0, 3)) == 3:
                entry = fitting[-1 - draw(st.integers(0, len(fitting) - 1))]
                self.expanded -= entry[2]
                return entry
        kind = 0 if levels == 0 or self.left <= 0 or self.expanded <= 0 else draw(_KINDS)
        self.expanded -= 1
        if kind == 0:
            entry = (draw(_LEAVES), 0, 1)
        else:
            self.left -= 1
            entry = self.container(draw, kind, levels - 1)
        if self.shared:
            self.pool.append(entry)
        return entry

    def container(self, draw: st.DrawFn, kind: int, below: int) -> tuple[Validator, int, int]:
        node: Validator
        children: list[tuple[Validator, int, int]]
        if kind == _OBJECT:
            node, children = self.object(draw, below)
        elif kind == _TAGGED:
            tag = draw(st.sampled_from(_TAG_NAMES))
            values = draw(_TAG_VALUES[draw(st.integers(2, 3))])
            members: list[Validator] = []
            children = []
            for i, value in enumerate(values):
                body, parts = self.object(draw, below, last=i == len(values) - 1)
                members.append(v.object({**body.omit(tag).fields, tag: v.literal(value)}))
                children.extend(parts)
            node = v.union(*members)
        elif kind == _UNION:
            count = draw(st.integers(1, 3))
            children = [self.child(draw, below, i == count - 1) for i in range(count)]
            node = v.union(*(c[0] for c in children))
        else:
            only = self.child(draw, below, True)
            children = [only]
            if kind == _ARRAY:
                node = v.array(only[0])
            elif kind == _RECORD:
                node = v.record(draw(_RECORD_KEYS), only[0])
            else:
                node = v.nullable(only[0])
        levels = 1 + max((c[1] for c in children), default=0)
        return node, levels, 1 + sum(c[2] for c in children)

    def object(
        self, draw: st.DrawFn, below: int, last: bool = True
    ) -> tuple[VObject, list[tuple[Validator, int, int]]]:
        count = draw(st.integers(0, self.max_fields))
        fields: dict[str, Validator] = {}
        children: list[tuple[Validator, int, int]] = []
        for i in range(count):
            name = draw(_FIELD_IDENTIFIERS)
            child = self.child(draw, below, last and i == count - 1)
            children.append(child)
            fields[name] = child[0].optional() if draw(st.booleans()) else child[0]
        return v.object(fields), children


_KINDS = st.integers(0, _TAGGED)
#: How big (counting each use of a shared subtree) a tree of ``max_nodes`` nodes may grow.
_MAX_EXPANDED_PER_NODE = 8


def _draw_validator(
    draw: st.DrawFn, max_depth: int, max_fields: int, max_nodes: int, shared: bool
) -> Validator:
    return _Forest(max_nodes, max_fields, shared).tree(draw, max_depth)[0]


def validators(
    *,
    max_depth: int = 3,
    max_fields: int = 4,
    max_nodes: int | None = None,
    shared: bool = False,
) -> SearchStrategy[Validator]:
    """Validator trees of every kind, up to ``max_depth`` levels deep (each array, object,
    record, union and nullable is a level).

    Built with `vschema.v`, so every tree is one a user could write; includes optional fields,
    nullable values, unions of literals, unions of objects told apart by a tag field, records
    keyed by strings or IDs, the empty union and `v.commitTs()`. For testing code that is
    generic over validators (a serializer, a form renderer, a code generator).

    A tree has at most ``max_nodes`` containers (default ``max(24, 4 * max_depth)``), shared
    out so that one path can use them all: ``validators(max_depth=12)`` draws chains twelve
    levels deep as well as wide shallow trees, and draws stay cheap however deep they go
    (``max_depth`` may be up to Convex's nesting limit, 64).

    With ``shared=True``, a place in the tree may reuse a subtree already drawn elsewhere in
    it, the same node object (``x = v.object({"l": y, "r": y})``, and nested: ``y`` itself
    reusing a subtree), so walks that memoize per node, or should, meet trees whose size
    doubles with each shared level. Sharing stops once the tree, each use counted, is eight
    times ``max_nodes``.
    """
    for name, value in (("max_depth", max_depth), ("max_fields", max_fields)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidArgument(f"validators(): {name} must be an int >= 0, got {value!r}")
    if max_depth > MAX_NESTING:
        raise InvalidArgument(
            f"validators(): max_depth={max_depth} is beyond Convex's nesting limit {MAX_NESTING}"
        )
    if max_fields > MAX_OBJECT_FIELDS:
        raise InvalidArgument(
            f"validators(): max_fields={max_fields} is beyond Convex's limit of "
            f"{MAX_OBJECT_FIELDS} fields an object"
        )
    if max_nodes is None:
        max_nodes = max(24, 4 * max_depth)
    elif isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 0:
        raise InvalidArgument(
            f"validators(): max_nodes must be None or an int >= 0, got {max_nodes!r}"
        )
    if not isinstance(shared, bool):
        raise InvalidArgument(f"validators(): shared must be True or False, got {shared!r}")
    drawn = _strategy(_draw_validator, max_depth, max_fields, max_nodes, shared)
    args = f"max_depth={max_depth}, max_fields={max_fields}, max_nodes={max_nodes}"
    return _named(drawn, "validators", lambda: args + (", shared=True" if shared else ""))
