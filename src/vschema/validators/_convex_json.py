"""Convex's two JSON forms: validators as ``validator.json``, and values as ``convexToJson``.

Validator JSON is what the Convex CLI sends the backend for function arguments and schemas
(``convex-semantics.md`` section 3); `validator_to_json` writes it exactly as ``convex/values``
does, and `validator_from_json` reads it back through the `v` builders, so JSON that no builder
would accept is refused with a `SchemaError` naming the JSON path.

Value JSON is Convex's wire encoding (section 5): JSON plus ``{"$integer": ...}`` for Int64,
``{"$float": ...}`` for NaN, the infinities and -0.0, and ``{"$bytes": ...}`` for Bytes. A Python
`int` can be either Convex number, so `to_convex_json` lets a validator decide, and
`from_convex_json` decodes like Convex's ``jsonToConvex``.
"""

from __future__ import annotations

import base64
import math
import struct
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from vschema._typing import assert_never
from vschema.validators._builder import MAX_TREE_DEPTH, v
from vschema.validators._display import display_value, int_text
from vschema.validators._errors import (
    Issue,
    PathKey,
    SchemaError,
    ValidationError,
    format_path,
)
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
from vschema.validators._values import COMMIT_TS, FLOAT64_SAFE_INTEGER, MAX_NESTING

__all__ = [
    "MAX_VALIDATOR_DEPTH",
    "from_convex_json",
    "to_convex_json",
    "validator_from_json",
    "validator_to_json",
]

Path = tuple[PathKey, ...]
V = TypeVar("V", bound=Validator)

# ---------------------------------------------------------------------------------------------
# Validator JSON


def validator_to_json(validator: Validator) -> dict[str, Any]:
    """Convex's JSON form of ``validator``, exactly as ``validator.json`` in ``convex/values``.

    Float64 is ``{"type": "number"}`` and Int64 ``{"type": "bigint"}``; object fields keep their
    definition order as ``{"fieldType": ..., "optional": bool}``; literal values are in Convex's
    value encoding (`to_convex_json`). As in Convex, the optional flag appears only on object
    fields: ``v.optional(x)`` on its own has the JSON of ``x``.
    """
    node = as_node(validator)
    match node:
        case VString():
            return {"type": "string"}
        case VFloat64():
            return {"type": "number"}
        case VInt64():
            return {"type": "bigint"}
        case VCommitTs():
            return {"type": "commitTs"}
        case VBoolean():
            return {"type": "boolean"}
        case VNull():
            return {"type": "null"}
        case VBytes():
            return {"type": "bytes"}
        case VAny():
            return {"type": "any"}
        case VId(table_name=table):
            return {"type": "id", "tableName": table}
        case VLiteral(value=value):
            return {"type": "literal", "value": _encode(value, node, (), [])}
        case VArray(element=element):
            return {"type": "array", "value": validator_to_json(element)}
        case VObject(fields=fields):
            return {
                "type": "object",
                "value": {
                    name: {"fieldType": validator_to_json(field), "optional": field.is_optional}
                    for name, field in fields.items()
                },
            }
        case VRecord(key=key, value=value):
            return {
                "type": "record",
                "keys": validator_to_json(key),
                "values": {"fieldType": validator_to_json(value), "optional": False},
            }
        case VUnion(members=members):
            return {"type": "union", "value": [validator_to_json(m) for m in members]}
        case _:
            assert_never(node)


#: The validator tags that take no argument, with their builders.
_PLAIN: dict[str, Callable[[], Validator]] = {
    "string": v.string,
    "number": v.number,
    "bigint": v.int64,
    "commitTs": v.commitTs,
    "boolean": v.boolean,
    "null": v.null,
    "bytes": v.bytes,
    "any": v.any,
}
#: The keys each tag carries besides ``type``.
_KEYS: dict[str, frozenset[str]] = {
    **{tag: frozenset() for tag in _PLAIN},
    "id": frozenset({"tableName"}),
    "literal": frozenset({"value"}),
    "array": frozenset({"value"}),
    "object": frozenset({"value"}),
    "record": frozenset({"keys", "values"}),
    "union": frozenset({"value"}),
}
_FIELD_KEYS = frozenset({"fieldType", "optional"})
#: The builders' limit on tree depth, checked here before recursing so that deep or cyclic JSON
#: is refused before Python's recursion limit is near.
MAX_VALIDATOR_DEPTH = MAX_TREE_DEPTH


def validator_from_json(obj: object) -> Validator:
    """The validator whose Convex JSON form is ``obj`` (parsed JSON: dicts, lists, scalars).

    Every node is built through the `v` builders, so each definition-time check applies;
    malformed JSON, or JSON of a validator vschema refuses, raises `SchemaError` naming the
    JSON path (``$.value.tags.fieldType``). The legacy ``"map"`` and ``"set"`` tags read as
    ``v.any()``, as in the Convex backend; keys a tag does not have are refused.

    Round trip is the identity, ``v.from_convex_json(x.to_convex_json()) == x``, with
    ``repr`` preserved too, for every validator except an optional one at the top, whose flag
    Convex's JSON has no place for (object fields keep theirs). Literal numbers decode by their
    Python type: a JSON integer within 2**53 is an `int` literal (``json.loads("1")`` is how
    Convex's ``v.literal(1)`` arrives), a JSON float a `float` literal, so ``v.literal(1)`` and
    ``v.literal(1.0)`` each come back as written; a larger integer becomes the `float` it
    equals exactly, or is refused when no Float64 equals it. ``{"$integer": ...}`` is an Int64
    literal (``v.literal(n, int64=True)``).
    """
    return _from_json(obj, (), 0)


def _schema_error(path: Path, message: str) -> SchemaError:
    return SchemaError(f"Invalid Convex validator JSON at ${format_path(path)}: {message}")


def _build(path: Path, builder: Callable[..., V], *args: Any, **kwargs: Any) -> V:
    """Run a `v` builder; its refusal becomes a `SchemaError` that says where in the JSON."""
    try:
        return builder(*args, **kwargs)
    except SchemaError as error:
        raise _schema_error(path, str(error)) from None


def _from_json(obj: object, path: Path, depth: int) -> Validator:
    if depth >= MAX_VALIDATOR_DEPTH:
        raise _schema_error(path, f"validators nest deeper than {MAX_VALIDATOR_DEPTH} levels")
    if type(obj) is not dict:
        raise _schema_error(
            path, f'expected a validator object like {{"type": "string"}}, got {_short(obj)}'
        )
    if "type" not in obj:
        raise _schema_error(path, 'missing the "type" key')
    tag = obj["type"]
    if tag in ("map", "set"):
        # Retired tags the backend still reads as v.any(), whatever else their JSON says.
        return v.any()
    if not isinstance(tag, str) or tag not in _KEYS:
        raise _schema_error(
            path,
            f"unknown validator type {_short(tag)}; expected one of {', '.join(sorted(_KEYS))}",
        )
    _check_keys(obj, _KEYS[tag] | {"type"}, path, f'{{"type": "{tag}"}}')
    if tag in _PLAIN:
        return _PLAIN[tag]()
    inner = depth + 1
    match tag:
        case "id":
            return _build(path, v.id, obj["tableName"])
        case "literal":
            return _literal_from_json(obj["value"], path)
        case "array":
            return _build(path, v.array, _from_json(obj["value"], (*path, "value"), inner))
        case "object":
            entries = obj["value"]
            if type(entries) is not dict:
                raise _schema_error((*path, "value"), f"expected an object, got {_short(entries)}")
            fields: dict[str, Validator] = {}
            for name, entry in entries.items():
                if not isinstance(name, str):
                    raise _schema_error((*path, "value"), f"field name {name!r} is not a string")
                fields[name] = _field_from_json(entry, (*path, "value", name), inner)
            return _build(path, v.object, fields)
        case "record":
            key = _from_json(obj["keys"], (*path, "keys"), inner)
            value = _field_from_json(obj["values"], (*path, "values"), inner)
            return _build(path, v.record, key, value)
        case "union":
            members = obj["value"]
            if type(members) is not list:
                raise _schema_error((*path, "value"), f"expected an array, got {_short(members)}")
            return _build(
                path,
                v.union,
                *(_from_json(m, (*path, "value", i), inner) for i, m in enumerate(members)),
            )
    raise AssertionError(f"tag {tag!r} is in _KEYS but has no case")  # pragma: no cover


def _check_keys(obj: dict[Any, Any], expected: frozenset[str], path: Path, what: str) -> None:
    missing = sorted(expected - obj.keys())
    if missing:
        raise _schema_error(path, f'{what} needs the key "{missing[0]}"')
    extra = [key for key in obj if key not in expected]
    if extra:
        raise _schema_error(path, f"{what} has no key {_short(extra[0])}")


def _field_from_json(entry: object, path: Path, depth: int) -> Validator:
    """A ``{"fieldType": ..., "optional": bool}`` wrapper, as the validator it stands for."""
    if type(entry) is not dict:
        raise _schema_error(
            path, f'expected {{"fieldType": ..., "optional": ...}}, got {_short(entry)}'
        )
    _check_keys(entry, _FIELD_KEYS, path, "a field wrapper")
    optional = entry["optional"]
    if type(optional) is not bool:
        raise _schema_error((*path, "optional"), f"expected true or false, got {_short(optional)}")
    field = _from_json(entry["fieldType"], (*path, "fieldType"), depth)
    return _build(path, v.optional, field) if optional else field


def _literal_from_json(raw: object, path: Path) -> VLiteral:
    where = (*path, "value")
    if type(raw) is int:
        # A JSON integer keeps its Python type, so v.literal(1) and v.literal(1.0) both survive.
        if abs(raw) <= FLOAT64_SAFE_INTEGER:
            return _build(path, v.literal, raw)
        issues: list[Issue] = []
        number = _json_integer(raw, where, issues)
        if issues:
            raise _schema_error(where, issues[0].message)
        return _build(path, v.literal, number)
    try:
        value = from_convex_json(raw)
    except ValidationError as error:
        issue = error.issues[0]
        raise _schema_error((*where, *issue.path), issue.message) from None
    if type(value) is int:
        return _build(path, v.literal, value, int64=True)
    if type(value) in (str, bool, float):
        return _build(path, v.literal, value)
    raise _schema_error(where, f"Value {display_value(value)} is not a valid literal.")


def _short(value: object) -> str:
    text = display_value(value)
    return text if len(text) <= 80 else text[:77] + "..."


# ---------------------------------------------------------------------------------------------
# Value JSON: encoding


def to_convex_json(value: object, validator: Validator | None = None) -> Any:
    """Convex's JSON encoding of ``value`` (what ``convexToJson`` makes of the same value).

    ``None``, `bool` and `str` stay as they are, lists stay lists, dicts get their keys sorted
    (field names are printable ASCII, where Python's order is JavaScript's UTF-16 order and the
    backend's byte order; only a JavaScript object would list integer-like keys such as ``"2"``
    first, whatever the sort). Floats are JSON numbers, except NaN, the infinities and -0.0,
    which become ``{"$float": base64}`` of their 8 little-endian bytes; `bytes` become
    ``{"$bytes": base64}``.

    A Python `int` is a Convex Float64 or Int64, and ``validator`` decides which. With a
    validator the value is validated first (`ValidationError` if it does not match); then an
    `int` under `v.int64()` or an Int64 literal becomes ``{"$integer": base64}`` of its 8
    little-endian bytes, and under `v.number()` a JSON number; a union uses its first member
    that accepts the value, and under `v.any()` ints within 2**53 are numbers and larger ones
    Int64. Without a validator the value must be a Convex value and an `int` must be within
    2**53, as in Convex's Python client; a larger one raises `ValidationError` (code
    ``out_of_range``) asking for a validator.
    """
    if validator is None:
        problems = v.any().errors(value)
        if problems:
            raise ValidationError(problems)
    elif isinstance(validator, Validator):
        validator.validate(value)
    else:
        raise SchemaError(
            "to_convex_json(value, validator): the validator must be built with v.*, "
            f"got {type(validator).__name__} {_short(validator)}"
        )
    issues: list[Issue] = []
    encoded = _encode(value, validator, (), issues)
    if issues:
        raise ValidationError(issues)
    return encoded


def _encode(value: object, node: Validator | None, path: Path, issues: list[Issue]) -> Any:
    """Encode a value already known to match ``node`` (``None``: to be a Convex value)."""
    while isinstance(node, VUnion):
        node = next(member for member in node.members if member.is_valid(value))
    if value is None or type(value) in (bool, str):
        return value
    if value is COMMIT_TS:
        return {"$commitTs": None}
    if type(value) is int:
        return _encode_int(value, node, path, issues)
    if type(value) is float:
        return _encode_float(value)
    if type(value) is bytes:
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if type(value) is list:
        return [_encode(item, _child(node, i), (*path, i), issues) for i, item in enumerate(value)]
    if type(value) is dict:
        # Validation has made every key a printable-ASCII str: sorted() is Convex's order.
        return {
            key: _encode(value[key], _child(node, key), (*path, key), issues)
            for key in sorted(value)
        }
    raise AssertionError(f"validation let through a {type(value).__name__}")  # pragma: no cover


def _child(node: Validator | None, key: PathKey) -> Validator | None:
    """The validator of ``container[key]``, for a container that ``node`` accepted."""
    if isinstance(node, VArray):
        return node.element
    if isinstance(node, VObject) and isinstance(key, str):
        return node.fields[key]
    if isinstance(node, VRecord):
        return node.value
    return node  # v.any() and "no validator" apply all the way down


def _encode_int(number: int, node: Validator | None, path: Path, issues: list[Issue]) -> Any:
    int64 = isinstance(node, (VInt64, VCommitTs)) or (isinstance(node, VLiteral) and node.int64)
    if int64 or (isinstance(node, VAny) and abs(number) > FLOAT64_SAFE_INTEGER):
        return {"$integer": base64.b64encode(number.to_bytes(8, "little", signed=True)).decode()}
    if node is None and abs(number) > FLOAT64_SAFE_INTEGER:
        issues.append(
            Issue(
                path,
                "out_of_range",
                f"Integer {int_text(number)} is outside the range of a Convex `Float64` "
                "(-2^53 to 2^53). "
                "Pass a validator to encode it: an int under `v.int64()` or `v.any()` is an Int64.",
                "a number from -2^53 to 2^53",
                "number",
                "pass a validator: an int under v.int64() or v.any() is an Int64",
            )
        )
        return None
    return number


def _is_special(number: float) -> bool:
    """Whether a float needs ``$float``: JSON has no NaN, infinities or negative zero."""
    return not math.isfinite(number) or (number == 0.0 and math.copysign(1.0, number) < 0)


def _encode_float(number: float) -> Any:
    if _is_special(number):
        return {"$float": base64.b64encode(struct.pack("<d", number)).decode("ascii")}
    return number


# ---------------------------------------------------------------------------------------------
# Value JSON: decoding


def from_convex_json(obj: object) -> Any:
    """The Convex value that ``obj`` (parsed JSON) encodes, as Convex's ``jsonToConvex`` reads it.

    An object whose only key is ``$integer``, ``$float`` or ``$bytes`` decodes to an `int`, a
    `float` or `bytes`; JSON numbers decode to `float` (a Python `int` from ``json.loads`` too,
    when a Float64 equals it exactly: Convex sends no others). The result is a Convex value, so
    Convex's value rules apply (field names, nesting, sizes). Malformed input raises
    `ValidationError` whose issues (code ``invalid_encoding`` for a broken ``$`` object) give
    the path and Convex's message: ``Received 1 bytes, expected 8 for $integer``,
    ``Float 1 should be encoded as a number``, ``Malformed $bytes field on ...`` (with the
    offending object shown, where JavaScript prints ``[object Object]``), and the
    ``$set``/``$map`` "no longer supported" errors; any other ``$`` key is refused by the
    field-name rules. The commit-timestamp placeholder ``{"$commitTs": null}`` decodes to
    `vschema.COMMIT_TS`.
    """
    issues: list[Issue] = []
    value = _decode(obj, (), 0, issues)
    issues.extend(v.any().errors(value))
    if issues:
        raise ValidationError(issues)
    return value


def _decode(obj: object, path: Path, depth: int, issues: list[Issue]) -> object:
    if obj is None or type(obj) in (bool, str, float):
        return obj
    if type(obj) is int:
        return _json_integer(obj, path, issues)
    if type(obj) is dict:
        if len(obj) == 1:
            special = _SPECIAL.get(next(iter(obj)))
            if special is not None:
                return special(obj, path, issues)
        if depth >= MAX_NESTING:
            # Left as is: the v.any() check reports it as too nested, without walking into it.
            return obj
        return {
            key: _decode(item, (*path, key), depth + 1, issues) if isinstance(key, str) else item
            for key, item in obj.items()
        }
    if type(obj) is list:
        if depth >= MAX_NESTING:
            return obj
        return [_decode(item, (*path, i), depth + 1, issues) for i, item in enumerate(obj)]
    issues.append(
        _encoding_issue(
            path,
            f"Unexpected type {type(obj).__name__}: Convex JSON is made of "
            "dict, list, str, int, float, bool and None",
        )
    )
    return None


def _encoding_issue(path: Path, message: str) -> Issue:
    return Issue(path, "invalid_encoding", message, "Convex JSON")


def _json_integer(number: int, path: Path, issues: list[Issue]) -> float | None:
    """A JSON integer as the Float64 it denotes; one that no Float64 equals is refused."""
    try:
        as_float = float(number)
    except OverflowError:
        as_float = math.inf
    if as_float != number:
        issues.append(
            _encoding_issue(
                path,
                "Arbitrary precision JSON integers unsupported: no Float64 equals "
                f"{int_text(number)}. "
                'Int64 values are encoded as {"$integer": ...}.',
            )
        )
        return None
    return as_float


def _base64(obj: dict[Any, Any], key: str, path: Path, issues: list[Issue]) -> bytes | None:
    """The bytes under ``obj[key]``, or ``None`` after reporting a malformed field."""
    text = obj[key]
    if type(text) is not str:
        issues.append(_encoding_issue(path, f"Malformed {key} field on {_short(obj)}"))
        return None
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        issues.append(
            _encoding_issue(
                path, f"Malformed {key} field on {_short(obj)}: not padded standard base64"
            )
        )
        return None


def _eight_bytes(obj: dict[Any, Any], key: str, path: Path, issues: list[Issue]) -> bytes | None:
    data = _base64(obj, key, path, issues)
    if data is not None and len(data) != 8:
        issues.append(_encoding_issue(path, f"Received {len(data)} bytes, expected 8 for {key}"))
        return None
    return data


def _decode_bytes(obj: dict[Any, Any], path: Path, issues: list[Issue]) -> object:
    return _base64(obj, "$bytes", path, issues)


def _decode_integer(obj: dict[Any, Any], path: Path, issues: list[Issue]) -> object:
    data = _eight_bytes(obj, "$integer", path, issues)
    return None if data is None else int.from_bytes(data, "little", signed=True)


def _decode_float(obj: dict[Any, Any], path: Path, issues: list[Issue]) -> object:
    data = _eight_bytes(obj, "$float", path, issues)
    if data is None:
        return None
    (number,) = struct.unpack("<d", data)
    if not _is_special(number):
        issues.append(
            _encoding_issue(path, f"Float {_js_number(number)} should be encoded as a number")
        )
        return None
    return number


def _decode_commit_ts(obj: dict[Any, Any], path: Path, issues: list[Issue]) -> object:
    if obj["$commitTs"] is not None:
        issues.append(_encoding_issue(path, f"Malformed $commitTs field on {_short(obj)}"))
        return None
    return COMMIT_TS


_Decoder = Callable[[dict[Any, Any], Path, list[Issue]], object]


def _refuse(message: str) -> _Decoder:
    def decode(obj: dict[Any, Any], path: Path, issues: list[Issue]) -> object:
        issues.append(_encoding_issue(path, message))
        return None

    return decode


#: Convex's one-key objects that stand for a value rather than an object.
_SPECIAL: dict[str, _Decoder] = {
    "$bytes": _decode_bytes,
    "$integer": _decode_integer,
    "$float": _decode_float,
    "$set": _refuse("Received a Set which is no longer supported as a Convex type."),
    "$map": _refuse("Received a Map which is no longer supported as a Convex type."),
    "$commitTs": _decode_commit_ts,
}


def _js_number(number: float) -> str:
    """A finite float as JavaScript's ``String(number)`` writes it: ``1``, ``0.5``, ``1e+21``.

    Python's `repr` and JavaScript pick the same shortest round-tripping digits; only the
    layout (ECMAScript's Number::toString) differs.
    """
    if number == 0.0:
        return "0"
    if number < 0:
        return "-" + _js_number(-number)
    _, digit_tuple, exponent = Decimal(repr(number)).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    assert isinstance(exponent, int)
    # number == int(digits) * 10 ** (point - len(digits))
    point = exponent + len(digit_tuple)
    count = len(digits)
    if count <= point <= 21:
        return digits + "0" * (point - count)
    if 0 < point <= 21:
        return f"{digits[:point]}.{digits[point:]}"
    if -6 < point <= 0:
        return "0." + "0" * -point + digits
    mantissa = digits if count == 1 else f"{digits[0]}.{digits[1:]}"
    return f"{mantissa}e{'+' if point > 0 else '-'}{abs(point - 1)}"
