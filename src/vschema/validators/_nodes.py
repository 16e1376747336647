"""The validator tree: one frozen attrs class per Convex validator kind.

Nodes are plain immutable data (hashable, picklable, equal when their trees are equal). What a
node *means* lives in the walks over the tree: `_interpret` (the reference check), `_compile`
(the fast check), `_display` (repr and Convex's rendering) and the code generators. Construction
goes through `vschema.v`, which checks arguments; the classes themselves are public for
``isinstance`` and pattern matching only.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import attrs

from vschema.validators._errors import (
    MAX_ISSUES,
    Issue,
    IssueLimitReached,
    LeadingIssue,
    ValidationError,
    truncated,
)

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "FieldMap",
    "LiteralValue",
    "Node",
    "Runtime",
    "VAny",
    "VArray",
    "VBoolean",
    "VBytes",
    "VCommitTs",
    "VFloat64",
    "VId",
    "VInt64",
    "VLiteral",
    "VNull",
    "VObject",
    "VRecord",
    "VString",
    "VUnion",
    "Validator",
    "as_node",
    "children",
    "install",
    "runtime",
]

LiteralValue = str | bool | int | float


@attrs.frozen(slots=True, cache_hash=True, repr=False, weakref_slot=False)
class Validator:
    """Base class of every validator node.

    ``kind`` is Convex's kind name; ``is_optional`` says whether, as a `v.object` field, the
    field may be absent (the flag means nothing elsewhere, as in Convex).
    """

    kind: ClassVar[str]

    is_optional: bool = attrs.field(default=False, kw_only=True)
    # Caches, excluded from equality, hashing and pickling: the compiled check, the same check
    # as `validate` runs it (saying where it failed), the explainer, and the tree's measures.
    _check: Callable[[object], bool] | None = attrs.field(
        default=None, init=False, eq=False, hash=False
    )
    _locate: Callable[[object], int | None] | None = attrs.field(
        default=None, init=False, eq=False, hash=False
    )
    _explain: Callable[[object, list[Issue], int], None] | None = attrs.field(
        default=None, init=False, eq=False, hash=False
    )
    # How deep the tree goes and how many nodes it has (`_builder._measures`).
    _measured: tuple[int, int, int] | None = attrs.field(
        default=None, init=False, eq=False, hash=False
    )

    def optional(self) -> Self:
        """This validator as an optional object field (``v.optional(self)``)."""
        return attrs.evolve(self, is_optional=True)

    def required(self) -> Self:
        """This validator as a required object field (the inverse of `optional`)."""
        return attrs.evolve(self, is_optional=False)

    def is_valid(self, value: object) -> bool:
        """Whether ``value`` matches, on the compiled fast path."""
        check = self._check
        if check is None:
            check = runtime().check(self)
        return check(value)

    def validate(self, value: object) -> Any:
        """Return ``value`` unchanged if it matches; otherwise raise `ValidationError`."""
        locate = self._locate
        if locate is None:
            locate = runtime().locator(self)
        at = locate(value)
        if at is None:
            return value
        # Made in C, without `ValidationError.__init__`: every rejection raises one.
        raise _new_error(ValidationError, tuple(self._issues_at(value, at)))

    def errors(self, value: object) -> list[Issue]:
        """Every issue with ``value``, in Convex's order; empty when it matches. At most
        `MAX_ISSUES` (100): past that, the last issue (``too_many_issues``) says there are
        more."""
        locate = self._locate
        if locate is None:
            locate = runtime().locator(self)
        at = locate(value)
        return [] if at is None else self._issues_at(value, at)

    def first_issue(self, value: object) -> Issue | None:
        """The first issue with ``value`` in Convex's order (``errors(value)[0]``, the one
        Convex's own error names), or ``None`` when it matches.

        For a check that only needs to say why not (a log line, a count of failures by
        reason): on a value with many issues the walk stops after the first, where `errors`
        lists up to 100; on a value with one issue it costs what `errors` does.
        """
        locate = self._locate
        if locate is None:
            locate = runtime().locator(self)
        at = locate(value)
        if at is None:
            return None
        explain = self._explain
        if explain is None:
            explain = runtime().explainer(self)
        issues = LeadingIssue()
        try:
            explain(value, issues, at)
        except IssueLimitReached:  # a second issue stops the walk
            return issues[0]
        # The explainer lists an issue for whatever the locator refused.
        return issues[0]

    def _issues_at(self, value: object, at: int) -> list[Issue]:
        # The compiled explainer lists exactly the interpreter's issues, faster; ``at`` (what the
        # locator returned) tells it which fields the check already passed. A plain list, built
        # in C: the explainer checks the cap (`MAX_ISSUES`) as it goes deeper or loops, so it
        # may pass the cap by one node's worth of issues before it stops. Runs on every
        # rejection; the caller may keep the list.
        explain = self._explain
        if explain is None:
            explain = runtime().explainer(self)
        issues: list[Issue] = []
        try:
            explain(value, issues, at)
        except IssueLimitReached:
            return truncated(issues)
        return truncated(issues) if len(issues) > MAX_ISSUES else issues

    def validate_json(self, data: str | bytes | bytearray | memoryview) -> Any:
        """Parse ``data`` as standard JSON (UTF-8 when bytes) and validate it.

        Returns the parsed value, or raises `ValidationError`: for text that is not JSON (or
        holds ``NaN``), one issue with code ``invalid_encoding``; otherwise what `validate`
        reports. JSON integers arrive as `int`, so they pass both ``v.number()`` and
        ``v.int64()``.
        """
        return self.validate(_parse_json(data))

    def to_convex_json(self) -> dict[str, Any]:
        """Convex's JSON form of this validator, as ``validator.json`` in ``convex/values``."""
        return runtime().to_json(self)

    def __attrs_pre_init__(self) -> None:
        if type(self) is Validator:
            raise TypeError("Validator is abstract: build validators with vschema.v")

    def __reduce__(self) -> tuple[Any, ...]:
        args = tuple(
            getattr(self, a.name)
            for a in attrs.fields(type(self))
            if a.init and a.name != "is_optional"
        )
        return (_rebuild, (type(self), self.is_optional, args))

    def __repr__(self) -> str:
        return runtime().display(self)


_new_error = BaseException.__new__


def _rebuild(cls: type[Validator], is_optional: bool, args: tuple[object, ...]) -> Validator:
    return cls(*args, is_optional=is_optional)


@attrs.frozen
class Runtime:
    """What the tree's methods need from the walks above it, installed once by
    `vschema.validators` (`install`).

    The walks import this module for the node classes; this module imports none of them back,
    so the layers stay a line: nodes, then the walks, then the package that joins them.
    """

    check: Callable[[Validator], Callable[[object], bool]]
    locator: Callable[[Validator], Callable[[object], int | None]]
    explainer: Callable[[Validator], Callable[[object, list[Issue], int], None]]
    to_json: Callable[[Validator], dict[str, Any]]
    display: Callable[[Validator], str]
    pick: Callable[[VObject, tuple[str, ...]], VObject]
    build_object: Callable[[Mapping[str, Validator]], VObject]
    from_json: Callable[[object], Validator]


_runtime: Runtime | None = None


def install(runtime: Runtime) -> None:
    """Give the tree's methods their walks (`vschema.validators` calls this on import)."""
    global _runtime
    _runtime = runtime


def runtime() -> Runtime:
    """The walks `install` gave the tree, for modules below them that need one."""
    if _runtime is None:  # pragma: no cover - importing any vschema module installs it
        raise RuntimeError("vschema.validators has not finished importing")
    return _runtime


class FieldMap(Mapping[str, Validator]):
    """The immutable, hashable field map of a `VObject`, in definition order."""

    __slots__ = ("_fields", "_hash")

    def __init__(self, fields: Mapping[str, Validator]) -> None:
        self._fields = dict(fields)
        self._hash: int | None = None

    def __getitem__(self, key: str) -> Validator:
        return self._fields[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __contains__(self, key: object) -> bool:
        return key in self._fields

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FieldMap):
            return self._fields == other._fields
        if isinstance(other, Mapping):
            return self._fields == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._fields.items()))
        return self._hash

    def __reduce__(self) -> tuple[Any, ...]:
        return (FieldMap, (self._fields,))

    def __repr__(self) -> str:
        return f"FieldMap({self._fields!r})"


@attrs.frozen(slots=True, cache_hash=True, repr=False, weakref_slot=False)
class VString(Validator):
    """``v.string()``: a `str` that is valid UTF-8 (no lone surrogates)."""

    kind: ClassVar[Literal["string"]] = "string"


@attrs.frozen(slots=True, cache_hash=True, repr=False, weakref_slot=False)
class VFloat64(Validator):
    """``v.float64()`` / ``v.number()``: a `float`, or an `int` with magnitude at most 2**53."""

    kind: ClassVar[Literal["float64"]] = "float64"


@attrs.frozen(slots=True, cache_hash=True, repr=False, weakref_slot=False)
class VInt64(Validator):
    """``v.int64()``: an `int` in the signed 64-bit range (never `bool`, never `float`)."""

    kind: ClassVar[Literal["int64"]] = "int64"


@attrs.frozen(slots=True, cache_hash=True, repr=False, weakref_slot=False)
class VCommitTs(Validator):
    """``v.commitTs()``: an Int64 (an `int` in the signed 64-bit range), or `COMMIT_TS`, the
    placeholder Convex replaces with the commit timestamp when a write commits."""

    kind: ClassVar[Literal["commitTs"]] = "commitTs"


@attrs.frozen(slots=True, cache_hash=True, repr=False, weakref_slot=False)
class VBoolean(Validator):
    """``v.boolean()``: `True` or `False`."""

    kind: ClassVar[Literal["boolean"]] = "boolean"


@attrs.frozen(slots=True, cache_hash=True, repr=False, weakref_slot=False)
class VNull(Validator):
    """``v.null()``: `None`."""

    kind: ClassVar[Literal["null"]] = "null"


@attrs.frozen(slots=True, cache_hash=True, repr=False, weakref_slot=False)
class VBytes(Validator):
    """``v.bytes()``: a `bytes` object."""

    kind: ClassVar[Literal["bytes"]] = "bytes"


@attrs.frozen(slots=True, cache_hash=True, repr=False, weakref_slot=False)
class VAny(Validator):
    """``v.any()``: any Convex value."""

    kind: ClassVar[Literal["any"]] = "any"


@attrs.frozen(slots=True, cache_hash=True, repr=False, weakref_slot=False)
class VId(Validator):
    """``v.id(table_name)``: a string in Convex's document ID format."""

    kind: ClassVar[Literal["id"]] = "id"
    table_name: str


def _literal_key(value: LiteralValue) -> tuple[str, object, bool]:
    """Equality as Convex sees literals: ``True != 1``, ``1 == 1.0``, ``-1 == -1.0``,
    ``0.0 != -0.0``.

    A number's key is the number itself (``1 == 1.0`` and their hashes agree in Python), plus
    one flag that is set for negative zero only: the sign matters to Convex for zero alone.
    """
    if isinstance(value, (bool, str)):
        return (type(value).__name__, value, False)
    if isinstance(value, float):
        return ("number", value, value == 0 and math.copysign(1.0, value) < 0)
    return ("number", value, False)


@attrs.frozen(slots=True, cache_hash=True, repr=False, weakref_slot=False)
class VLiteral(Validator):
    """``v.literal(value)``: exactly ``value``; ``int64`` marks an Int64 literal (Convex ``5n``)."""

    kind: ClassVar[Literal["literal"]] = "literal"
    value: LiteralValue = attrs.field(eq=_literal_key)
    int64: bool = False


@attrs.frozen(slots=True, cache_hash=True, repr=False, weakref_slot=False)
class VArray(Validator):
    """``v.array(element)``: a `list` whose every element matches ``element``."""

    kind: ClassVar[Literal["array"]] = "array"
    element: Validator


@attrs.frozen(slots=True, cache_hash=True, repr=False, weakref_slot=False)
class VObject(Validator):
    """``v.object({...})``: a `dict` with exactly these fields (optional ones may be absent)."""

    kind: ClassVar[Literal["object"]] = "object"
    fields: FieldMap

    def pick(self, *names: str) -> VObject:
        """A new object validator with only the named fields (each must exist)."""
        return runtime().pick(self, names)

    def omit(self, *names: str) -> VObject:
        """A new object validator without the named fields (unknown names are ignored)."""
        return attrs.evolve(
            self, fields=FieldMap({k: f for k, f in self.fields.items() if k not in names})
        )

    def extend(self, fields: Mapping[str, Validator]) -> VObject:
        """A new object validator with ``fields`` added; same-named fields are replaced."""
        extended = runtime().build_object({**self.fields, **fields})
        return extended.optional() if self.is_optional else extended

    def partial(self) -> VObject:
        """A new object validator whose every field is optional."""
        return attrs.evolve(
            self, fields=FieldMap({k: f.optional() for k, f in self.fields.items()})
        )


@attrs.frozen(slots=True, cache_hash=True, repr=False, weakref_slot=False)
class VRecord(Validator):
    """``v.record(key, value)``: a `dict` whose keys match ``key`` and values match ``value``."""

    kind: ClassVar[Literal["record"]] = "record"
    key: Validator
    value: Validator


@attrs.frozen(slots=True, cache_hash=True, repr=False, weakref_slot=False)
class VUnion(Validator):
    """``v.union(*members)``: a value matching at least one member (none: matches nothing)."""

    kind: ClassVar[Literal["union"]] = "union"
    members: tuple[Validator, ...]


#: Every node kind, for walks to match exhaustively (``assert_never`` catches a missing case).
Node = (
    VString
    | VFloat64
    | VInt64
    | VCommitTs
    | VBoolean
    | VNull
    | VBytes
    | VAny
    | VId
    | VLiteral
    | VArray
    | VObject
    | VRecord
    | VUnion
)


def _load_parser(data: str | bytes | bytearray | memoryview) -> Any:
    # The JSON parser (the standard library's, or orjson) loads on the first `validate_json`,
    # not at `import vschema`; after that the parser itself is called.
    global _parse_json
    from vschema.validators._json_text import parse_json

    _parse_json = parse_json
    return parse_json(data)


_parse_json: Callable[[str | bytes | bytearray | memoryview], Any] = _load_parser


def children(validator: Validator) -> tuple[Validator, ...]:
    """The validators directly below ``validator``: an array's element, an object's fields (in
    sorted name order, which equality agrees with, unlike definition order), a record's key
    and value, a union's members; none for the other kinds."""
    if isinstance(validator, VArray):
        return (validator.element,)
    if isinstance(validator, VObject):
        fields = validator.fields
        return tuple(fields[name] for name in sorted(fields))
    if isinstance(validator, VRecord):
        return (validator.key, validator.value)
    if isinstance(validator, VUnion):
        return validator.members
    return ()


def as_node(validator: Validator) -> Node:
    """Narrow a `Validator` to the closed union of kinds, for exhaustive walks."""
    return validator  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------
# Equality that stays linear on shared trees.
#
# attrs compares two nodes field by field, recursing into children. Two equal trees that each
# reuse a subtree on every level (``x = v.object({"l": x, "r": x})``) but were built apart share
# no objects, so that recursion meets the same pair of subtrees again and again: 2**depth
# comparisons. Each comparison below remembers the pairs it has found equal while it runs, and
# first compares the cached hashes, which differ for nearly every unequal pair.

_comparing = threading.local()


def _linear_eq(generated: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Validator, other: object) -> Any:
        if self is other:
            return True
        if other.__class__ is not self.__class__:
            return NotImplemented
        if hash(self) != hash(other):
            return False
        memo: set[tuple[int, int]] | None = getattr(_comparing, "memo", None)
        if memo is None:
            _comparing.memo = memo = set()
            try:
                return generated(self, other)
            finally:
                _comparing.memo = None
        pair = (id(self), id(other))
        if pair in memo:
            return True
        result = generated(self, other)
        if result is True:
            # Both objects stay alive until the outermost comparison ends, so ids are stable.
            memo.add(pair)
        return result

    __eq__.__doc__ = generated.__doc__
    return __eq__


# Scalar kinds have no children: attrs' own comparison is constant-time for them.
for _cls in (VArray, VObject, VRecord, VUnion):
    _cls.__eq__ = _linear_eq(_cls.__eq__)  # type: ignore[method-assign]
del _cls
