"""The walk over a validator tree: valid values (`from_validator`) and one-flaw values
(`invalid`), sharing one cache and one set of settings."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from vschema._typing import assert_never
from vschema.strategies._accepts import (
    _BAD_IDS,
    _accepted_classes,
    _filler_keys,
    _key_flaw,
    _literal_accepts,
    _literal_leaves,
    _literal_misses,
    _nest,
    _pad,
    _pad_record,
    _tag_field,
    _with_bad_record_key,
)
from vschema.strategies._budget import (
    _any_containers,
    _dicts,
    _head,
    _lists,
    _named_builds,
    _named_one_of,
    _objects_of,
    _one_of_within,
)
from vschema.strategies._common import _CACHE_LIMIT, _MAX_ITEMS, Path, _Flaw
from vschema.strategies._scalars import (
    _ANY_SCALARS,
    _BAD_FIELD_NAMES,
    _BYTES,
    _CLASS_VALUES,
    _COMMIT_TSS,
    _FIELD_NAMES,
    _FLOAT64_OVERFLOW,
    _FLOAT64S,
    _IDS,
    _INT64_OVERFLOW,
    _INT64S,
    _JSON_ANY_SCALARS,
    _JSON_FLOAT64S,
    _STRINGS,
    _SURROGATE_STRINGS,
    _UNSUPPORTED,
    _at_root,
    _key_path,
    _wrong_types,
)
from vschema.validators._errors import IssueCode
from vschema.validators._interpret import first_issue
from vschema.validators._nodes import (
    Validator,
    VAny,
    VArray,
    VBoolean,
    VBytes,
    VCommitTs,
    VFloat64,
    VId,
    VInt64,
    VLiteral,
    VNull,
    VObject,
    VRecord,
    VString,
    VUnion,
    as_node,
)
from vschema.validators._size import MAX_DOCUMENT_SIZE
from vschema.validators._values import (
    FLOAT64_SAFE_INTEGER,
    MAX_ARRAY_LENGTH,
    MAX_DOCUMENT_NESTING,
    MAX_NESTING,
    MAX_OBJECT_FIELDS,
)


def _never(_: str) -> bool:
    return False


def _always(_: str) -> bool:
    return True


#: Flaws a document's limits report once the validator accepted the value: in a union they
#: stay what they are (the union accepts the value), instead of becoming a union-level miss.
_LIMIT_CODES = frozenset({"too_large", "too_nested"})


def _flaw_args(node: Validator, code: str) -> Callable[[], str]:
    return lambda: f"{_head(node)}, codes=[{code!r}]"


def _grouped(node: Validator, flaws: list[_Flaw]) -> list[_Flaw]:
    """One entry per issue code, in order of first appearance: a parent wraps each code of a
    child once, so the work of building a tree's flaws is linear in its distinct nodes, not in
    its paths (which double with every level of a subtree used twice)."""
    by_code: dict[IssueCode, list[SearchStrategy[tuple[Any, Path]]]] = {}
    for code, strategy in flaws:
        by_code.setdefault(code, []).append(strategy)
    return [
        (code, _named_one_of(group, "invalid", _flaw_args(node, code)))
        for code, group in by_code.items()
    ]


class _Settings:
    """What a public strategy's arguments change in a walk.

    ``json_safe`` keeps draws to JSON's values; ``max_items`` caps arrays and records;
    ``ids`` draws a table's `v.id` values from a strategy (``existing_ids``). Overrides and
    per-path caps are keyed by node identity: `_Paths` copies the nodes along each path, so
    the copies are distinct from every other place the same subtree appears. ``fields`` maps
    ``(id(object), name)`` to the field's strategy; ``protected`` lists the fields no flaw is
    placed in; ``limits`` maps ``id(array or record)`` to its cap; ``keep`` holds the copies
    (their ids must stay theirs while the walk lives).
    """

    __slots__ = ("fields", "ids", "json_safe", "keep", "limits", "max_items", "protected")

    def __init__(
        self,
        *,
        json_safe: bool = False,
        max_items: int = _MAX_ITEMS,
        ids: dict[str, SearchStrategy[str]] | None = None,
    ) -> None:
        self.json_safe = json_safe
        self.max_items = max_items
        self.ids: dict[str, SearchStrategy[str]] = ids or {}
        self.fields: dict[tuple[int, str], SearchStrategy[Any]] = {}
        self.protected: set[tuple[int, str]] = set()
        self.limits: dict[int, int] = {}
        self.keep: list[Validator] = []

    def is_default(self) -> bool:
        """Whether the shared, cached walks can serve these options."""
        return (
            not self.json_safe
            and self.max_items == _MAX_ITEMS
            and not self.ids
            and not self.fields
            and not self.limits
        )


_DEFAULT_OPTIONS = _Settings()


class _Walk:
    """Builds valid and one-flaw strategies for nodes, ``depth`` containers deep.

    ``limit`` is the nesting limit containers must stay under (Convex: 64 for a value). With
    ``document=True`` the walk draws a table's rows or documents: ``limit`` is the document
    limit (16), checked only after the validator accepted the value, so a value nested past it
    must be otherwise valid and is reported at the document (path ``()``); top-level keys avoid
    the reserved ``_`` prefix; and `_LIMIT_CODES` flaws include a document over 1 MiB.
    ``builds`` counts the strategies built for a node and depth (the definition-time work).
    ``options`` (`_Settings`) carry what the public strategy's arguments change.
    """

    def __init__(
        self,
        limit: int = MAX_NESTING,
        *,
        document: bool = False,
        options: _Settings = _DEFAULT_OPTIONS,
    ) -> None:
        self.limit = limit
        self.document = document
        self.options = options
        self._deep = _Walk(options=options) if document else None
        #: Strategies replacing the valid values of top-level fields (``_creationTime``).
        self.top_fields: dict[str, SearchStrategy[Any]] = {}
        self._valid: dict[tuple[int, int], tuple[Validator, SearchStrategy[Any] | None]] = {}
        self._flaws: dict[tuple[int, int], tuple[Validator, list[_Flaw]]] = {}
        self._sizes: dict[int, tuple[Validator, int | None]] = {}
        self._any: dict[int, SearchStrategy[Any]] = {}
        self.builds = 0

    def trimmed(self) -> _Walk:
        """This walk, its caches emptied first if they grew past a bound."""
        if len(self._valid) + len(self._flaws) + len(self._sizes) > _CACHE_LIMIT:
            self._valid.clear()
            self._flaws.clear()
            self._sizes.clear()
        return self

    def min_size(self, node: Validator) -> int | None:
        """How many nodes (scalars and containers) the smallest value of ``node`` has, or
        ``None`` when nothing matches it (the nesting limit aside: it only sizes draws)."""
        hit = self._sizes.get(id(node))
        if hit is not None:
            return hit[1]
        size: int | None
        n = as_node(node)
        match n:
            case VObject(fields=fields):
                size = 1
                for field in fields.values():
                    if not field.is_optional:
                        below = self.min_size(field)
                        if below is None:
                            size = None
                            break
                        size += below
            case VUnion(members=members):
                sizes = [s for m in members if (s := self.min_size(m)) is not None]
                size = min(sizes) if sizes else None
            case VBytes():
                size = None if self.options.json_safe else 1  # no JSON value is bytes
            case (
                VString()
                | VFloat64()
                | VInt64()
                | VCommitTs()
                | VBoolean()
                | VNull()
                | VAny()
                | VId()
                | VLiteral()
                | VArray()  # empty
                | VRecord()  # empty
            ):
                size = 1
            case _:
                assert_never(n)
        self._sizes[id(node)] = (node, size)
        return size

    def cost(self, node: Validator) -> int:
        """What adding a value of ``node`` (as an optional part) costs at least."""
        size = self.min_size(node)
        return 1 if size is None else size

    # ---- valid values ---------------------------------------------------------------------

    def valid(self, node: Validator, depth: int) -> SearchStrategy[Any] | None:
        """Values ``node`` accepts at ``depth``, or ``None`` when there are none."""
        key = (id(node), depth)
        hit = self._valid.get(key)
        if hit is None:
            self.builds += 1
            hit = (node, self._valid_uncached(node, depth))
            self._valid[key] = hit
        return hit[1]

    def _valid_uncached(self, node: Validator, depth: int) -> SearchStrategy[Any] | None:
        n = as_node(node)
        json_safe = self.options.json_safe
        match n:
            case VString():
                return _STRINGS
            case VFloat64():
                return _JSON_FLOAT64S if json_safe else _FLOAT64S
            case VInt64():
                return _INT64S
            case VCommitTs():
                return _INT64S if json_safe else _COMMIT_TSS
            case VBoolean():
                return st.booleans()
            case VNull():
                return st.none()
            case VBytes():
                return None if json_safe else _BYTES
            case VAny():
                return self.any_values(depth)
            case VId():
                return self.options.ids.get(n.table_name, _IDS)
            case VLiteral():
                return _literal_values(n)
            case VArray(element=element):
                if depth >= self.limit:
                    return None
                items = self.valid(element, depth + 1)
                if items is None:
                    return st.builds(list)
                return _lists(items, self.cost(element), self.most_items(n), depth)
            case VObject():
                if depth >= self.limit:
                    return None
                return self.object_base(n, depth, skip=None, lenient=_never)
            case VRecord(key=key, value=value):
                if depth >= self.limit:
                    return None
                keys = _record_keys(key, self.options.ids)
                values = self.valid(value, depth + 1)
                if keys is None or values is None:
                    return st.builds(dict)
                most = min(self.most_items(n), MAX_OBJECT_FIELDS)
                return _dicts(keys, values, self.cost(value), most, depth)
            case VUnion(members=members):
                return self.union_values(members, depth)
            case _:
                assert_never(n)

    def most_items(self, node: VArray | VRecord) -> int:
        """How many items or entries a valid draw of ``node`` may have at most."""
        return self.options.limits.get(id(node), self.options.max_items)

    def union_values(
        self, members: tuple[Validator, ...], depth: int
    ) -> SearchStrategy[Any] | None:
        """Values of any member; one bigger than the smallest member's costs the difference."""
        viable = [(m, s) for m in members if (s := self.valid(m, depth)) is not None]
        if not viable:
            return None
        if len(viable) == 1:
            return viable[0][1]
        sizes = [self.cost(m) for m, _ in viable]
        cheapest = min(sizes)
        # Not `st.one_of`, whose repr spells out every member's: a composite's repr is short,
        # and its draw nests no deeper (Hypothesis fails a draw nested 100 spans deep, so a
        # 64-level value has no span to spare for a wrapper that would only name it).
        return _one_of_within(
            tuple((s, size - cheapest) for (_, s), size in zip(viable, sizes, strict=True))
        )

    def any_values(self, depth: int) -> SearchStrategy[Any]:
        """Arbitrary Convex values that fit ``depth`` containers deep."""
        hit = self._any.get(depth)
        if hit is not None:
            return hit
        room = self.limit - depth
        scalars = _JSON_ANY_SCALARS if self.options.json_safe else _ANY_SCALARS
        values = scalars
        if room > 0:
            # One chain as deep as the limit allows, to reach Convex's nesting edge.
            chains = st.builds(
                lambda levels, leaf: _nest(leaf, levels, 0)[0],
                st.one_of(st.just(room), st.integers(1, room)),
                scalars,
            )
            values = _any_containers(scalars, self.any_values(depth + 1), chains)
        self._any[depth] = values
        return values

    def object_base(
        self,
        node: VObject,
        depth: int,
        *,
        skip: str | None,
        lenient: Callable[[str], bool],
        pin: tuple[str, SearchStrategy[Any]] | None = None,
    ) -> SearchStrategy[dict[str, Any]] | None:
        """Valid objects without field ``skip``; a required field with no valid value is
        left out where ``lenient(name)`` (its absence is reported after the flaw), else there
        is no such object. ``pin`` fixes one field's strategy (a union's tag)."""
        required: list[tuple[str, SearchStrategy[Any]]] = []
        optional: list[tuple[str, SearchStrategy[Any], int]] = []
        for name, field in node.fields.items():
            if name == skip:
                continue
            strategy: SearchStrategy[Any] | None
            if pin is not None and name == pin[0]:
                strategy = pin[1]
            elif (id(node), name) in self.options.fields:
                strategy = self.options.fields[(id(node), name)]
            elif depth == 0 and name in self.top_fields:
                strategy = self.top_fields[name]
            else:
                strategy = self.valid(field, depth + 1)
            if strategy is None:
                if not field.is_optional and not lenient(name):
                    return None
            elif field.is_optional:
                optional.append((name, strategy, self.cost(field)))
            else:
                required.append((name, strategy))
        return _objects_of(tuple(required), tuple(optional))

    # ---- one-flaw values ------------------------------------------------------------------

    def flaws(self, node: Validator, depth: int) -> list[_Flaw]:
        """Every way to break ``node`` at ``depth`` once, simplest first."""
        key = (id(node), depth)
        hit = self._flaws.get(key)
        if hit is None:
            self.builds += 1
            hit = (node, _grouped(node, self._flaws_uncached(node, depth)))
            self._flaws[key] = hit
        return hit[1]

    def _flaws_uncached(self, node: Validator, depth: int) -> list[_Flaw]:
        n = as_node(node)
        flaws: list[_Flaw] = []
        match n:
            case VLiteral():
                return [("literal_mismatch", _literal_misses([n]).map(_at_root))]
            case VAny():
                return self.any_flaws(depth)
            case VUnion():
                return self.union_flaws(n, depth)
            case _:
                pass
        wrong = _wrong_types(_accepted_classes(n))
        if wrong is not None:
            flaws.append(("no_match", wrong.map(_at_root)))
        match n:
            case VString():
                flaws.append(("invalid_string", _SURROGATE_STRINGS.map(_at_root)))
            case VId():
                flaws.append(("invalid_id", _BAD_IDS.map(_at_root)))
            case VFloat64():
                flaws.append(("out_of_range", _FLOAT64_OVERFLOW.map(_at_root)))
            case VInt64() | VCommitTs():
                # The placeholder is the only non-int a commit timestamp takes: an int outside
                # Int64 is out of range for both, as the interpreter reports it.
                flaws.append(("out_of_range", _INT64_OVERFLOW.map(_at_root)))
            case VBoolean() | VNull() | VBytes():
                pass
            case VArray():
                flaws.extend(self.array_flaws(n, depth))
            case VObject():
                flaws.extend(self.object_flaws(n, depth))
            case VRecord():
                flaws.extend(self.record_flaws(n, depth))
            case VLiteral() | VAny() | VUnion():  # handled above
                raise AssertionError(n)
            case _:
                assert_never(n)
        return flaws

    def too_nested(self, node: Validator, depth: int, empty: Callable[[], Any]) -> list[_Flaw]:
        """A container where no container may be (``depth`` is at the limit)."""
        if self._deep is None:
            return [("too_nested", st.builds(empty).map(_at_root))]
        # A document's limit is checked after its validator: the value must be valid.
        value = self._deep.valid(node, depth)
        return [] if value is None else [("too_nested", value.map(_at_root))]

    def array_flaws(self, node: VArray, depth: int) -> list[_Flaw]:
        if depth >= self.limit:
            return self.too_nested(node, depth, list)
        items = self.valid(node.element, depth + 1)
        flaws: list[_Flaw] = []
        if items is not None:  # else (`v.array(v.union())`) only [] is valid: no long array
            # One valid item repeated: the array is too long and has no other flaw.
            too_long = st.builds(lambda item: [item] * (MAX_ARRAY_LENGTH + 1), items)
            flaws.append(("too_long", too_long.map(_at_root)))
        around = st.builds(list) if items is None else _lists(items, self.cost(node.element), 2)
        for code, bad in self.flaws(node.element, depth + 1):
            # Named (each level's repr would spell out every level below it), and a composite
            # rather than `st.builds` in a wrapper, which would cost a span a level.
            nested = _named_builds(_in_list, "invalid", _flaw_args(node, code), around, bad, around)
            flaws.append((code, nested))
        return flaws

    def object_flaws(
        self, node: VObject, depth: int, pin: tuple[str, SearchStrategy[Any]] | None = None
    ) -> list[_Flaw]:
        """Flaws of an object (a union member when ``pin`` fixes its tag field)."""
        if depth >= self.limit:
            return [] if pin is not None else self.too_nested(node, depth, dict)
        top = self.document and depth == 0
        tag = pin[0] if pin is not None else None
        flaws: list[_Flaw] = []
        names = sorted(node.fields)
        protected = self.options.protected
        for name in names:
            if name == tag or node.fields[name].is_optional or (id(node), name) in protected:
                continue
            base = self.object_base(node, depth, skip=name, lenient=_after(name), pin=pin)
            if base is not None:
                flaws.append(("missing_field", base.map(_without(name))))
        whole = self.object_base(node, depth, skip=None, lenient=_never, pin=pin)
        if whole is not None:
            extra = st.builds(
                _extra_field(frozenset(node.fields), top),
                whole,
                _FIELD_NAMES,
                self.any_values(depth + 1),
            )
            flaws.append(("extra_field", extra))
            bad_key = st.builds(_with_bad_key(top), whole, _BAD_FIELD_NAMES)
            flaws.append(("invalid_field_name", bad_key))
            flaws.append(("too_many_fields", whole.map(_pad).map(_at_root)))
            if top:
                for name in names:
                    big = _big_value(node.fields[name])
                    if name != tag and big is not None and (id(node), name) not in protected:
                        flaws.append(("too_large", st.builds(_at_document(name), whole, big)))
        for name in names:
            if name == tag or (id(node), name) in protected:
                continue
            base = self.object_base(node, depth, skip=name, lenient=_after(name), pin=pin)
            if base is None:
                continue
            for code, bad in self.flaws(node.fields[name], depth + 1):
                nested = _named_builds(_in_dict(name), "invalid", _flaw_args(node, code), base, bad)
                flaws.append((code, nested))
        return flaws

    def record_flaws(self, node: VRecord, depth: int) -> list[_Flaw]:
        if depth >= self.limit:
            return self.too_nested(node, depth, dict)
        keys = _record_keys(node.key, self.options.ids)
        values = self.valid(node.value, depth + 1)
        whole = self.valid(node, depth)
        assert whole is not None
        flaws: list[_Flaw] = []
        if values is None:
            # No entry has a valid value (`v.record(k, v.union())`): every entry would break
            # two rules, its own and the value's, so the only flaws are those of no entry.
            return flaws
        # A bad key's value is a valid value: the entry breaks only the key's rule.
        flaws.append(
            ("invalid_field_name", st.builds(_with_bad_record_key, whole, _BAD_FIELD_NAMES, values))
        )
        key_flaw = _key_flaw(node.key)
        if key_flaw is not None:
            code, bad_keys = key_flaw
            flaws.append((code, st.builds(_with_entry, whole, bad_keys, values)))
        fillers = _filler_keys(node.key)
        if fillers is not None:
            # Padded with valid entries (distinct valid keys, one valid value), as arrays repeat
            # a valid item: the record is too big and has no other flaw.
            padded = st.builds(_pad_record(fillers), whole, values)
            flaws.append(("too_many_fields", padded.map(_at_root)))
        if keys is not None:
            for code, bad in self.flaws(node.value, depth + 1):
                args = _flaw_args(node, code)
                flaws.append(
                    (code, _named_builds(_with_bad_entry, "invalid", args, whole, keys, bad))
                )
        return flaws

    def union_flaws(self, node: VUnion, depth: int) -> list[_Flaw]:
        members = node.members
        if len(members) == 1:
            return self.flaws(members[0], depth)
        if not members:
            return [("no_match", st.one_of(list(_CLASS_VALUES.values())).map(_at_root))]
        literals = _literal_leaves(node)
        if literals is not None:
            return [("literal_mismatch", _literal_misses(literals).map(_at_root))]
        flaws: list[_Flaw] = []
        wrong = _wrong_types(_accepted_classes(node))
        if wrong is not None:
            flaws.append(("no_match", wrong.map(_at_root)))
        tag = _tag_field(node)
        if tag is not None:
            return flaws + self.tagged_flaws(node, tag, depth)
        # Near misses: a member's one-flaw value, kept when no member accepts it; the union
        # then reports no_match at its own path.
        near: list[SearchStrategy[tuple[Any, Path]]] = []
        for member in members:
            for code, bad in self.flaws(member, depth):
                if self.document and code in _LIMIT_CODES:
                    flaws.append((code, bad))  # valid for the member: the limit is the issue
                else:
                    near.append(bad)
        if near:

            def rejected(drawn: tuple[Any, Path]) -> bool:
                return all(first_issue(m, drawn[0], depth) is not None for m in members)

            # Named before filtering: Hypothesis reports the filtered strategy's repr in events.
            misses = _named_one_of(near, "invalid", _flaw_args(node, "no_match"))
            flaws.append(("no_match", misses.filter(rejected).map(_root_of)))
        return flaws

    def tagged_flaws(self, node: VUnion, tag: str, depth: int) -> list[_Flaw]:
        if depth >= self.limit:
            return []
        objects = [m for m in node.members if isinstance(m, VObject)]
        every = [lit for m in objects for lit in _literal_leaves(m.fields[tag]) or []]
        missing: list[SearchStrategy[tuple[Any, Path]]] = []
        mistagged: list[SearchStrategy[tuple[Any, Path]]] = []
        branches: list[_Flaw] = []
        for member in objects:
            others = [
                lit
                for m in objects
                if m is not member
                for lit in _literal_leaves(m.fields[tag]) or []
            ]
            own = [
                lit.value
                for lit in _literal_leaves(member.fields[tag]) or []
                if not any(_literal_accepts(other, lit.value) for other in others)
            ]
            if not own:
                continue  # every tag value of this member also selects another member
            base = self.object_base(member, depth, skip=tag, lenient=_always)
            if base is not None:
                missing.append(base.map(_without(tag)))
                misses = _literal_misses(every).map(_at_root)
                mistagged.append(st.builds(_in_dict(tag), base, misses))
            pin = (tag, st.sampled_from(own))
            branches.extend(self.object_flaws(member, depth, pin))
        flaws: list[_Flaw] = []
        if missing:
            flaws.append(
                (
                    "missing_field",
                    _named_one_of(missing, "invalid", _flaw_args(node, "missing_field")),
                )
            )
        if mistagged:
            args = _flaw_args(node, "literal_mismatch")
            flaws.append(("literal_mismatch", _named_one_of(mistagged, "invalid", args)))
        return flaws + branches

    def any_flaws(self, depth: int) -> list[_Flaw]:
        leaf_flaws: list[_Flaw] = [
            ("unsupported_type", _UNSUPPORTED.map(_at_root)),
            ("out_of_range", _INT64_OVERFLOW.map(_at_root)),
            ("invalid_string", _SURROGATE_STRINGS.map(_at_root)),
        ]
        room = max(self.limit - depth, 0)
        # Containers nested one level past the limit; each level otherwise valid.
        chains = st.builds(
            _nest, self.any_values(self.limit), st.just(room + 1), st.sampled_from([0, "a"])
        )
        flaws = [*leaf_flaws, ("too_nested", chains)]
        if room == 0:
            return flaws
        inner = self.any_values(depth + 1)
        entries = _dicts(_FIELD_NAMES, inner, 1, 2)
        flaws.append(("too_long", st.builds(lambda: [0] * (MAX_ARRAY_LENGTH + 1)).map(_at_root)))
        flaws.append(("too_many_fields", entries.map(_pad).map(_at_root)))
        flaws.append(
            ("invalid_field_name", st.builds(_with_bad_key(False), entries, _BAD_FIELD_NAMES))
        )
        around = _lists(inner, 1, 2)
        for code, bad in leaf_flaws:
            flaws.append((code, st.builds(_in_list, around, bad, around)))
            flaws.append((code, st.builds(_with_bad_entry, entries, _FIELD_NAMES, bad)))
        return flaws


_VALUES = _Walk()
#: Rows and documents; only a document validator has a top-level ``_creationTime`` field.
_DOCUMENTS = _Walk(MAX_DOCUMENT_NESTING, document=True)
_CREATION_TIMES: SearchStrategy[float] = st.one_of(
    # Realistic creation times: Convex requires a Float64 in (0, 2**53) milliseconds.
    st.floats(min_value=1.6e12, max_value=2.0e12),
    st.floats(min_value=0.0, max_value=2.0**53, exclude_min=True, exclude_max=True),
)
_DOCUMENTS.top_fields["_creationTime"] = _CREATION_TIMES


def _walk_for(options: _Settings, *, document: bool) -> _Walk:
    """The shared walk for default options; a walk of its own for any other (its strategies
    depend on them, and overrides on the node copies `_Paths` made for this call)."""
    if options.is_default():
        return (_DOCUMENTS if document else _VALUES).trimmed()
    if not document:
        return _Walk(options=options)
    walk = _Walk(MAX_DOCUMENT_NESTING, document=True, options=options)
    walk.top_fields["_creationTime"] = _CREATION_TIMES
    return walk


def _big_value(field: Validator) -> SearchStrategy[Any] | None:
    """A value of ``field`` too large for a document by itself, if ``field`` has one."""
    if isinstance(field, (VString, VAny)):
        return st.builds(lambda: "x" * MAX_DOCUMENT_SIZE).map(_at_root)
    if isinstance(field, VBytes):
        return st.builds(lambda: bytes(MAX_DOCUMENT_SIZE)).map(_at_root)
    if isinstance(field, VUnion):
        return next((big for m in field.members if (big := _big_value(m)) is not None), None)
    return None


def _literal_values(node: VLiteral) -> SearchStrategy[Any]:
    value = node.value
    if isinstance(value, (bool, str)) or node.int64:
        return st.just(value)
    # A Float64 literal matches a float and an int of the same value (but -0.0 only as float).
    forms: list[float | int] = [value]
    if isinstance(value, int):
        forms.append(float(value))
    elif (
        value.is_integer()
        and abs(value) <= FLOAT64_SAFE_INTEGER
        and (value != 0 or math.copysign(1.0, value) > 0)
    ):
        forms.append(int(value))
    return st.sampled_from(forms)


def _record_keys(key: Validator, ids: dict[str, SearchStrategy[str]]) -> SearchStrategy[str] | None:
    """Valid field names that ``key`` (a string-like validator) accepts; a table's IDs from
    ``ids`` where it has a strategy there."""
    if isinstance(key, VString):
        return _FIELD_NAMES
    if isinstance(key, VId):
        return ids.get(key.table_name, _IDS)
    if isinstance(key, VUnion):
        options = [s for m in key.members if (s := _record_keys(m, ids)) is not None]
        return st.one_of(options) if options else None
    if isinstance(key, VLiteral) and isinstance(key.value, str):
        return st.just(key.value)
    return None


def _after(name: str) -> Callable[[str], bool]:
    return lambda other: other > name


def _without(name: str) -> Callable[[dict[str, Any]], tuple[Any, Path]]:
    def build(value: dict[str, Any]) -> tuple[Any, Path]:
        return value, (name,)

    return build


def _in_dict(name: str) -> Callable[[dict[str, Any], tuple[Any, Path]], tuple[Any, Path]]:
    def build(base: dict[str, Any], bad: tuple[Any, Path]) -> tuple[Any, Path]:
        return {**base, name: bad[0]}, (name, *bad[1])

    return build


def _in_list(before: list[Any], bad: tuple[Any, Path], after: list[Any]) -> tuple[list[Any], Path]:
    return [*before, bad[0], *after], (len(before), *bad[1])


def _at_document(name: str) -> Callable[[dict[str, Any], tuple[Any, Path]], tuple[Any, Path]]:
    def build(base: dict[str, Any], bad: tuple[Any, Path]) -> tuple[Any, Path]:
        return {**base, name: bad[0]}, ()

    return build


def _unreserved(key: str) -> str:
    """A field name that does not start with ``_`` (reserved at a document's top level)."""
    return "x" + key if key.startswith("_") else key


def _extra_field(
    declared: frozenset[str], top: bool
) -> Callable[[dict[str, Any], str, Any], tuple[Any, Path]]:
    def build(base: dict[str, Any], key: str, value: Any) -> tuple[Any, Path]:
        if top:
            key = _unreserved(key)
        while key in declared:  # declared names are identifiers: one "~" makes any name new
            key += "~"
        return {**base, key: value}, (key,)

    return build


def _with_bad_key(top: bool) -> Callable[[dict[Any, Any], Any], tuple[Any, Path]]:
    def build(base: dict[Any, Any], key: Any) -> tuple[Any, Path]:
        if top and isinstance(key, str) and key.startswith("_"):
            key = "$" + key  # still a bad name, but not a reserved one
        return {**base, key: None}, (_key_path(key),)

    return build


def _with_entry(base: dict[str, Any], key: str, value: Any) -> tuple[Any, Path]:
    return {**base, key: value}, (key,)


def _with_bad_entry(base: dict[str, Any], key: str, bad: tuple[Any, Path]) -> tuple[Any, Path]:
    return {**base, key: bad[0]}, (key, *bad[1])


def _root_of(drawn: tuple[Any, Path]) -> tuple[Any, Path]:
    return drawn[0], ()
