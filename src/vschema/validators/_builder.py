"""The `v` namespace: Convex's validator builders, with every argument checked at definition.

A bad schema fails here, when the module that defines it is imported, with a `SchemaError` that
names the builder, the argument and the value, never later when data arrives.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from vschema.validators._display import convex_display, int_text, short_repr
from vschema.validators._errors import SchemaError
from vschema.validators._nodes import (
    FieldMap,
    LiteralValue,
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
    children,
    runtime,
)
from vschema.validators._values import (
    FLOAT64_SAFE_INTEGER,
    INT64_MAX,
    INT64_MIN,
    MAX_NESTING,
    MAX_OBJECT_FIELDS,
    identifier_error,
    is_utf8,
)

__all__ = ["pick", "v"]

V = TypeVar("V", bound=Validator)

# Singletons: the argument-free validators are immutable, so one instance of each suffices.
_STRING = VString()
_FLOAT64 = VFloat64()
_INT64 = VInt64()
_COMMIT_TS = VCommitTs()
_BOOLEAN = VBoolean()
_NULL = VNull()
_BYTES = VBytes()
_ANY = VAny()


def _short(value: object) -> str:
    return short_repr(value)


def _validator(where: str, argument: str, value: object) -> Validator:
    if not isinstance(value, Validator):
        raise SchemaError(
            f"{where}: {argument} must be a validator (built with v.*), "
            f"got {type(value).__name__} {_short(value)}"
        )
    return value


def _not_optional(where: str, argument: str, value: Validator) -> None:
    if value.is_optional:
        raise SchemaError(
            f"{where}: {argument} is optional, but v.optional() only has a meaning for "
            f"v.object() fields; got {value!r}"
        )


def nesting(validator: Validator) -> int:
    """How deeply a value matching ``validator`` nests at least (Convex counts arrays, objects)."""
    return _measures(validator)[0]


#: How many validators deep a tree may go, unions included. Every walk over the tree (hashing,
#: compiling, the code generators) recurses once a level, so this keeps them all far from
#: Python's recursion limit; real schemas stay within a few dozen.
MAX_TREE_DEPTH = 160


def reach(validator: Validator) -> tuple[int, int]:
    """``(containers, validators)``: the most arrays, objects and records on one path down the
    tree, and the most validators of any kind."""
    _, containers, validators = _measures(validator)
    return (containers, validators)


# The three numbers above, remembered on each node (`Validator._measured`), so that checking a
# new node reads its children's numbers instead of walking their trees again: building a tree is
# linear in its distinct nodes, even where it reuses one subtree twice a level (whose tree size
# doubles with every level). On the node, not in a table keyed by identity: a schema's nodes
# live as long as the schema, and an entry per node in a table would cost more than the node.
# The triples are shared (most nodes are leaves, all with the same numbers), up to a bound.
_TRIPLES: dict[tuple[int, int, int], tuple[int, int, int]] = {}
_TRIPLES_SIZE = 4096


def _measures(validator: Validator) -> tuple[int, int, int]:
    """``(nesting, containers, validators)`` of ``validator``, measured once per node."""
    measures = validator._measured
    if measures is None:
        measures = _measure(validator)
        if len(_TRIPLES) < _TRIPLES_SIZE:
            measures = _TRIPLES.setdefault(measures, measures)
        object.__setattr__(validator, "_measured", measures)
    return measures


def _measure(validator: Validator) -> tuple[int, int, int]:
    """`_measures` computed from the children's (each looked up or measured once)."""
    below_nodes = children(validator)
    if not below_nodes and not isinstance(validator, (VObject, VUnion)):
        return (0, 0, 1)
    below = [_measures(child) for child in below_nodes]
    containers = max((c for _, c, _ in below), default=0)
    validators = max((n for _, _, n in below), default=0)
    if isinstance(validator, (VArray, VRecord)):
        depth = 1  # the empty list or dict matches, whatever the element validator
    elif isinstance(validator, VObject):
        required = [m[0] for m, f in zip(below, below_nodes, strict=True) if not f.is_optional]
        depth = 1 + max(required, default=0)
    else:
        depth = min((m[0] for m in below), default=0)
    own = 0 if isinstance(validator, VUnion) else 1
    return (depth, containers + own, validators + 1)


def _check_nesting(where: str, node: V) -> V:
    depth = nesting(node)
    if depth > MAX_NESTING:
        raise SchemaError(
            f"{where}: no value can match this validator: it nests {depth} levels deep, "
            f"beyond Convex's maximum nesting of {MAX_NESTING}"
        )
    containers, validators = reach(node)
    if containers > MAX_NESTING:
        raise SchemaError(
            f"{where}: this validator nests arrays, objects and records {containers} levels "
            f"deep, and a Convex value nests at most {MAX_NESTING}, so its innermost levels "
            "could never hold a value"
        )
    if validators > MAX_TREE_DEPTH:
        raise SchemaError(
            f"{where}: this validator is {validators} validators deep; vschema builds trees "
            f"at most {MAX_TREE_DEPTH} deep (unions of unions count each level)"
        )
    return node


_LITERAL_KEYS = "Records cannot have string literal keys"


def _string_key_problem(key: Validator) -> str | None:
    """Why ``key`` cannot type a record's keys (as the backend says), or ``None`` when it can."""
    if isinstance(key, (VString, VId)):
        return None
    if isinstance(key, VUnion):
        problems = (_string_key_problem(member) for member in key.members)
        return next((p for p in problems if p is not None), None)
    if isinstance(key, VLiteral) and isinstance(key.value, str):
        return _LITERAL_KEYS
    return (
        "Records can only have string keys. Your validator contains a record with key typed "
        f"as `{convex_display(key)}`, which is not a subtype of `v.string()`"
    )


def _check_record_key(key: Validator) -> None:
    problem = _string_key_problem(key)
    if problem == _LITERAL_KEYS:
        raise SchemaError(
            f"v.record(): {problem}; got key {key!r}. Use v.object() with those fields instead."
        )
    if problem is not None:
        raise SchemaError(f"v.record(): {problem}")


def pick(obj: VObject, names: tuple[str, ...]) -> VObject:
    """``obj.pick(*names)``: every name must be a field of ``obj``."""
    for name in names:
        if name not in obj.fields:
            raise SchemaError(
                f"v.object().pick(): the object has no field {name!r} to pick "
                f"(its fields: {', '.join(obj.fields) or 'none'})"
            )
    picked = VObject(FieldMap({name: obj.fields[name] for name in names}))
    return picked.optional() if obj.is_optional else picked


#: Names people reach for from Python (or other libraries) and the Convex builder meant.
_PYTHON_NAMES = {
    "str": "v.string()",
    "text": "v.string()",
    "int": "v.int64() (or v.number() for a Float64)",
    "integer": "v.int64() (or v.number() for a Float64)",
    "bigint": "v.int64() (Convex's v.bigint() is its deprecated alias)",
    "float": "v.float64() (or its alias v.number())",
    "bool": "v.boolean()",
    "dict": "v.object({...}) (fixed fields) or v.record(keys, values) (any keys)",
    "list": "v.array(element)",
    "tuple": "v.array(element)",
    "none": "v.null()",
    "None": "v.null()",
    "bytearray": "v.bytes()",
}


class _Namespace(type):
    """The metaclass of `v`: a missing builder is an `AttributeError` that names the right one.

    Only at run time: type checkers see a plain class, so ``v.str()`` stays a static error too.
    """

    if not TYPE_CHECKING:

        def __getattr__(cls, name: str) -> Any:
            # Only reached when normal lookup failed; dunders (copy, pickle, inspect probing
            # for protocols) get the plain error, fast.
            message = f"type object 'v' has no attribute {name!r}"
            if not name.startswith("__"):
                builders = sorted(n for n in vars(cls) if not n.startswith("_"))
                meant = _PYTHON_NAMES.get(name)
                if meant is None:
                    # Loaded only here, for a mistake: `import vschema` stays light.
                    import difflib

                    close = difflib.get_close_matches(name, builders, n=1, cutoff=0.7)
                    meant = f"v.{close[0]}()" if close else None
                if meant is not None:
                    message = f"v has no builder {name!r}; did you mean {meant}?"
            raise AttributeError(message, name=name, obj=cls)


class v(metaclass=_Namespace):
    """Convex's validator builders: ``v.string()``, ``v.object({...})``, ``v.union(...)``, ...

    Each returns an immutable validator node; bad arguments raise `SchemaError` right away.
    A name that is no builder (``v.str``) raises `AttributeError` naming the builder meant.
    """

    def __new__(cls) -> v:
        raise TypeError("v is a namespace: call its builders, like v.string()")

    @staticmethod
    def string() -> VString:
        """A Convex string: a Python `str` without lone surrogates."""
        return _STRING

    @staticmethod
    def float64() -> VFloat64:
        """A Convex Float64: a `float`, or an `int` with magnitude up to 2**53 (never `bool`)."""
        return _FLOAT64

    @staticmethod
    def number() -> VFloat64:
        """Alias of `v.float64()`, as in Convex."""
        return _FLOAT64

    @staticmethod
    def int64() -> VInt64:
        """A Convex Int64: an `int` in [-2**63, 2**63 - 1] (never `bool` or `float`)."""
        return _INT64

    @staticmethod
    def commitTs() -> VCommitTs:
        """A commit timestamp: an Int64 `int`, or the placeholder `vschema.COMMIT_TS`, which
        Convex replaces with the commit's timestamp (Convex 1.43's ``v.commitTs()``)."""
        return _COMMIT_TS

    @staticmethod
    def commit_ts() -> VCommitTs:
        """Alias of `v.commitTs()`, in Python's spelling."""
        return _COMMIT_TS

    @staticmethod
    def boolean() -> VBoolean:
        """A Convex Boolean: `True` or `False`."""
        return _BOOLEAN

    @staticmethod
    def null() -> VNull:
        """Convex's null: `None`."""
        return _NULL

    @staticmethod
    def bytes() -> VBytes:
        """Convex Bytes: a `bytes` object (not `bytearray` or `memoryview`)."""
        return _BYTES

    @staticmethod
    def any() -> VAny:
        """Any Convex value."""
        return _ANY

    @staticmethod
    def id(table_name: str) -> VId:
        """A document ID of table ``table_name``: a string in Convex's ID format."""
        if not isinstance(table_name, str):
            raise SchemaError(
                "v.id(tableName) requires a string; "
                f"got {type(table_name).__name__} {_short(table_name)}"
            )
        problem = identifier_error(table_name)
        if problem is not None:
            raise SchemaError(f"v.id({table_name!r}): invalid table name: {problem}")
        return VId(table_name)

    @staticmethod
    def literal(value: LiteralValue, *, int64: bool = False) -> VLiteral:
        """Exactly ``value``: a `str`, `bool`, `int` or finite `float`.

        A Python `int` is a Float64 literal, as ``v.literal(1)`` is in Convex; pass
        ``int64=True`` for an Int64 literal (Convex's ``v.literal(1n)``).
        """
        where = f"v.literal({_short(value)})"
        if isinstance(value, bool) or type(value) is str:
            if int64:
                raise SchemaError(f"{where}: int64=True needs an int, got {type(value).__name__}")
            if isinstance(value, str) and not is_utf8(value):
                raise SchemaError(f"{where}: the string has lone surrogates, so is not UTF-8")
            return VLiteral(value)
        if type(value) is int:
            if int64:
                if not INT64_MIN <= value <= INT64_MAX:
                    raise SchemaError(
                        f"{where}: BigInt {int_text(value)} does not fit into a 64-bit signed "
                        "integer."
                    )
                return VLiteral(value, int64=True)
            if abs(value) > FLOAT64_SAFE_INTEGER:
                raise SchemaError(
                    f"{where}: {int_text(value)} is beyond 2**53, so not an exact Float64; "
                    "pass int64=True for an Int64 literal"
                )
            return VLiteral(value)
        if type(value) is float:
            if int64:
                raise SchemaError(f"{where}: int64=True needs an int, got float")
            if not math.isfinite(value):
                raise SchemaError(
                    f"{where}: Infinite or NaN values are not supported in literal validators."
                )
            return VLiteral(value)
        raise SchemaError(
            "v.literal(value) must be a string, number, or boolean; "
            f"got {type(value).__name__} {_short(value)}"
        )

    @staticmethod
    def array(element: Validator) -> VArray:
        """A `list` whose every element matches ``element`` (at most 8192 elements)."""
        _not_optional("v.array()", "the element", _validator("v.array()", "the element", element))
        return _check_nesting("v.array()", VArray(element))

    @staticmethod
    def object(fields: Mapping[str, Validator]) -> VObject:
        """A `dict` with exactly these fields; wrap a field in `v.optional` to allow its absence.

        Field names must be Convex identifiers; use `v.record` for objects with arbitrary keys.
        """
        if not isinstance(fields, Mapping):
            raise SchemaError(
                "v.object() takes a dict of field names to validators, "
                f"got {type(fields).__name__} {_short(fields)}"
            )
        if len(fields) > MAX_OBJECT_FIELDS:
            raise SchemaError(
                f"v.object(): Object has too many fields ({len(fields)} > maximum number "
                f"{MAX_OBJECT_FIELDS})"
            )
        for name, field in fields.items():
            if not isinstance(name, str):
                raise SchemaError(
                    f"v.object(): field names must be strings, got {type(name).__name__} "
                    f"{_short(name)}"
                )
            problem = identifier_error(name)
            if problem is not None:
                raise SchemaError(
                    f"v.object(): field name {name!r} is not a valid Convex identifier "
                    f"({problem}). Use v.record(v.string(), ...) for objects with arbitrary keys."
                )
            _validator("v.object()", f"field {name!r}", field)
        return _check_nesting("v.object()", VObject(FieldMap(fields)))

    @staticmethod
    def record(key: Validator, value: Validator) -> VRecord:
        """A `dict` whose keys match ``key`` (string-like) and whose values match ``value``."""
        _validator("v.record()", "the key", key)
        _validator("v.record()", "the value", value)
        if key.is_optional:
            raise SchemaError(
                f"v.record(): Record validator cannot have optional keys; got {key!r}"
            )
        if value.is_optional:
            raise SchemaError(
                f"v.record(): Record validator cannot have optional values; got {value!r}"
            )
        _check_record_key(key)
        return _check_nesting("v.record()", VRecord(key, value))

    @staticmethod
    def union(*members: Validator) -> VUnion:
        """A value matching at least one of ``members``; ``v.union()`` matches nothing."""
        for index, member in enumerate(members):
            _validator("v.union()", f"member at index {index}", member)
            _not_optional("v.union()", f"member at index {index}", member)
        return _check_nesting("v.union()", VUnion(tuple(members)))

    @staticmethod
    def optional(validator: V) -> V:
        """``validator`` as an optional `v.object` field: it may be absent (but not `None`)."""
        return _validator("v.optional()", "the argument", validator).optional()  # type: ignore[return-value]

    @staticmethod
    def nullable(validator: Validator) -> VUnion:
        """``validator`` or `None`: exactly ``v.union(validator, v.null())``."""
        _validator("v.nullable()", "the argument", validator)
        _not_optional("v.nullable()", "the argument", validator)
        return _check_nesting("v.nullable()", VUnion((validator, _NULL)))

    @staticmethod
    def from_convex_json(obj: dict[str, Any]) -> Validator:
        """The validator whose Convex JSON form (``validator.json``) is ``obj``.

        The inverse of ``validator.to_convex_json()``; built through these builders, so
        malformed or refused JSON raises `SchemaError` naming the JSON path.
        """
        return runtime().from_json(obj)
