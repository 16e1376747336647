"""The peers, each in its strictest mode, with types derived from the same vschema validator.

One translation per peer walks the validator tree, so every contender checks the same schema:

* pydantic: `TypedDict` classes (faster than `BaseModel` and, like vschema, they return the input
  dict) in strict mode with ``extra="forbid"``, through a `TypeAdapter`;
* msgspec: `Struct` classes with ``forbid_unknown_fields=True``, through ``msgspec.convert(...,
  strict=True)`` and ``msgspec.json.decode(..., strict=True)``;
* fastjsonschema and jsonschema: one JSON Schema (draft 2020-12 for jsonschema, draft 7 for
  fastjsonschema, which supports nothing newer) with ``additionalProperties: false``.

Each rule is written the way the peer can state it natively; where it cannot, the difference is
listed in `benchmarks/__init__.py` and the correctness pre-checks assert exactly that difference.
"""

from __future__ import annotations

import itertools
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

from vschema import (
    Validator,
    VArray,
    VBoolean,
    VFloat64,
    VId,
    VInt64,
    VLiteral,
    VNull,
    VObject,
    VRecord,
    VString,
    VUnion,
)

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
SAFE_INT = 2**53
MAX_ARRAY = 8192
MAX_FIELDS = 1024
#: Convex field names (record keys): printable ASCII, not starting with "$", at most 1024 long.
KEY_PATTERN = r"^(?:[ -#%-~][ -~]{0,1023})?$"
#: Convex IDs as far as a pattern can say: lowercase Crockford base32 of an ID's length. The
#: checksum, the table number's varint and the spare bits are beyond every peer.
_CROCKFORD = "0-9a-hjkmnp-tv-z"
ID_PATTERN = rf"^(?:[{_CROCKFORD}]{{31,32}}|[{_CROCKFORD}]{{34}}|[{_CROCKFORD}]{{36,37}})$"

PEERS = ("pydantic", "msgspec", "fastjsonschema", "jsonschema")

# The peers' types are built at run time, from validators: as `Any`, mypy reads these
# subscripts as values, not as type expressions it would have to know statically.
_LIST: Any = list
_DICT: Any = dict


class Unsupported(Exception):
    """A validator shape this translation does not cover (the workloads never use it)."""


def _union_tag(node: VUnion) -> str | None:
    """The tag field if every member is an object with a distinct single string literal there."""
    members = node.members
    if len(members) < 2 or not all(isinstance(m, VObject) for m in members):
        return None
    objects = [m for m in members if isinstance(m, VObject)]
    common = set(objects[0].fields).intersection(*(m.fields for m in objects[1:]))
    for name in sorted(common):
        fields = [m.fields[name] for m in objects]
        if all(isinstance(f, VLiteral) and isinstance(f.value, str) for f in fields):
            values = [f.value for f in fields if isinstance(f, VLiteral)]
            if len(set(values)) == len(values):
                return name
    return None


def _literal_values(node: Validator) -> list[object] | None:
    if isinstance(node, VLiteral):
        return [node.value]
    if isinstance(node, VUnion) and node.members:
        values: list[object] = []
        for member in node.members:
            found = _literal_values(member)
            if found is None:
                return None
            values.extend(found)
        return values
    return None


def _is_nullable(node: VUnion) -> bool:
    return len(node.members) == 2 and isinstance(node.members[1], VNull)


# --------------------------------------------------------------------------------------------
# pydantic


def pydantic_type(node: Validator) -> Any:
    """A pydantic (strict mode) type for ``node``; objects become TypedDicts forbidding extras."""
    from pydantic import ConfigDict, Field, InstanceOf, StringConstraints, with_config
    from typing_extensions import NotRequired, TypedDict

    typed_dict: Any = TypedDict  # called with names and fields known only at run time

    names = itertools.count()
    config = ConfigDict(strict=True, extra="forbid")

    def walk(node: Validator) -> Any:
        literals = _literal_values(node)
        if literals is not None:
            return Literal[tuple(literals)]
        if isinstance(node, VString):
            return str
        if isinstance(node, VId):
            return Annotated[str, StringConstraints(pattern=ID_PATTERN)]
        if isinstance(node, VFloat64):
            # Strict `float` accepts any int; this union accepts ints only within 2**53.
            return Union[InstanceOf[float], Annotated[int, Field(ge=-SAFE_INT, le=SAFE_INT)]]
        if isinstance(node, VInt64):
            return Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]
        if isinstance(node, VBoolean):
            return bool
        if isinstance(node, VNull):
            return None
        if isinstance(node, VArray):
            return Annotated[_LIST[walk(node.element)], Field(max_length=MAX_ARRAY)]
        if isinstance(node, VRecord):
            if not isinstance(node.key, VString):
                raise Unsupported(repr(node))
            key = Annotated[str, StringConstraints(pattern=KEY_PATTERN)]
            return Annotated[_DICT[key, walk(node.value)], Field(max_length=MAX_FIELDS)]
        if isinstance(node, VObject):
            fields = {
                name: NotRequired[walk(field)] if field.is_optional else walk(field)
                for name, field in node.fields.items()
            }
            cls = typed_dict(f"Object{next(names)}", fields)
            return with_config(config)(cls)
        if isinstance(node, VUnion):
            if _is_nullable(node):
                return typing.Optional[walk(node.members[0])]
            members = tuple(walk(m) for m in node.members)
            tag = _union_tag(node)
            if tag is not None:
                return Annotated[Union[members], Field(discriminator=tag)]
            return Union[members]
        raise Unsupported(repr(node))

    return walk(node)


def pydantic_adapter(node: Validator) -> Any:
    from pydantic import ConfigDict, TypeAdapter

    tp = pydantic_type(node)
    if isinstance(node, VObject):
        return TypeAdapter(tp)
    return TypeAdapter(tp, config=ConfigDict(strict=True))


# --------------------------------------------------------------------------------------------
# msgspec


def msgspec_type(node: Validator) -> Any:
    """A msgspec type for ``node``; objects become Structs that forbid unknown fields."""
    import msgspec

    names = itertools.count()

    def struct(node: VObject, tag: str | None = None) -> Any:
        fields: list[tuple[Any, ...]] = []
        tag_value: str | None = None
        for name, field in node.fields.items():
            if name == tag:
                assert isinstance(field, VLiteral)
                assert isinstance(field.value, str)
                tag_value = field.value
                continue
            if field.is_optional:
                fields.append((name, Union[walk(field), msgspec.UnsetType], msgspec.UNSET))
            else:
                fields.append((name, walk(field)))
        options: dict[str, Any] = {"forbid_unknown_fields": True, "kw_only": True}
        if tag is not None:
            options.update(tag_field=tag, tag=tag_value)
        return msgspec.defstruct(f"Object{next(names)}", fields, **options)

    def walk(node: Validator) -> Any:
        literals = _literal_values(node)
        if literals is not None:
            return Literal[tuple(literals)]
        if isinstance(node, VString):
            return str
        if isinstance(node, VId):
            return Annotated[str, msgspec.Meta(pattern=ID_PATTERN)]
        if isinstance(node, VFloat64):
            # Plain `float` accepts any int; this union accepts ints only within 2**53.
            return Union[float, Annotated[int, msgspec.Meta(ge=-SAFE_INT, le=SAFE_INT)]]
        if isinstance(node, VInt64):
            return Annotated[int, msgspec.Meta(ge=INT64_MIN, le=INT64_MAX)]
        if isinstance(node, VBoolean):
            return bool
        if isinstance(node, VNull):
            return None
        if isinstance(node, VArray):
            return Annotated[_LIST[walk(node.element)], msgspec.Meta(max_length=MAX_ARRAY)]
        if isinstance(node, VRecord):
            if not isinstance(node.key, VString):
                raise Unsupported(repr(node))
            key = Annotated[str, msgspec.Meta(pattern=KEY_PATTERN)]
            return Annotated[_DICT[key, walk(node.value)], msgspec.Meta(max_length=MAX_FIELDS)]
        if isinstance(node, VObject):
            return struct(node)
        if isinstance(node, VUnion):
            if _is_nullable(node):
                return typing.Optional[walk(node.members[0])]
            tag = _union_tag(node)
            if tag is not None:
                return Union[tuple(struct(m, tag) for m in node.members if isinstance(m, VObject))]
            return Union[tuple(walk(m) for m in node.members)]
        raise Unsupported(repr(node))

    return walk(node)


# --------------------------------------------------------------------------------------------
# JSON Schema


def json_schema(node: Validator) -> dict[str, Any]:
    """A JSON Schema for ``node`` (the subset both jsonschema and fastjsonschema understand)."""
    literals = _literal_values(node)
    if literals is not None:
        return {"enum": literals} if len(literals) > 1 else {"const": literals[0]}
    if isinstance(node, VString):
        return {"type": "string"}
    if isinstance(node, VId):
        return {"type": "string", "pattern": ID_PATTERN}
    if isinstance(node, VFloat64):
        return {"type": "number"}
    if isinstance(node, VInt64):
        return {"type": "integer", "minimum": INT64_MIN, "maximum": INT64_MAX}
    if isinstance(node, VBoolean):
        return {"type": "boolean"}
    if isinstance(node, VNull):
        return {"type": "null"}
    if isinstance(node, VArray):
        return {"type": "array", "items": json_schema(node.element), "maxItems": MAX_ARRAY}
    if isinstance(node, VRecord):
        if not isinstance(node.key, VString):
            raise Unsupported(repr(node))
        return {
            "type": "object",
            "propertyNames": {"pattern": KEY_PATTERN},
            "additionalProperties": json_schema(node.value),
            "maxProperties": MAX_FIELDS,
        }
    if isinstance(node, VObject):
        return {
            "type": "object",
            "properties": {name: json_schema(field) for name, field in node.fields.items()},
            "required": [name for name, field in node.fields.items() if not field.is_optional],
            "additionalProperties": False,
        }
    if isinstance(node, VUnion):
        return {"anyOf": [json_schema(m) for m in node.members]}
    raise Unsupported(repr(node))


# --------------------------------------------------------------------------------------------
# Contenders


@dataclass(frozen=True)
class Checks:
    """One peer's functions for one validator: ``validate`` raises on bad input; ``reject``
    returns the error object with the path and reason of the first issue, or of every issue
    where the peer has no way to stop at the first (``None`` when the input is valid);
    ``reject_all`` lists every issue, and is ``None`` for a peer that stops at the first."""

    validate: Callable[[Any], object]
    reject: Callable[[Any], object]
    validate_json: Callable[[bytes], object] | None = None
    reject_all: Callable[[Any], object] | None = None


# A batch of documents is a Python list, not one Convex array: the 8192 limit does not apply.


def pydantic_checks(node: Validator, batch: bool = False) -> Checks:
    import pydantic
    from pydantic import ConfigDict, TypeAdapter

    if batch:
        adapter: Any = TypeAdapter(_LIST[pydantic_type(node)], config=ConfigDict(strict=True))
    else:
        adapter = pydantic_adapter(node)
    validate_python = adapter.validate_python

    def reject(value: object) -> object:
        try:
            validate_python(value)
        except pydantic.ValidationError as error:
            return error.errors()  # materialise each error's location and message
        return None

    # pydantic has no first-issue mode for objects: both rejections list every issue.
    return Checks(validate_python, reject, adapter.validate_json, reject)


def msgspec_checks(node: Validator, batch: bool = False) -> Checks:
    import msgspec

    tp = msgspec_type(node)
    if batch:
        tp = list[tp]  # type: ignore[valid-type]
    convert = msgspec.convert
    decoder = msgspec.json.Decoder(tp, strict=True)

    def validate(value: object) -> object:
        return convert(value, tp, strict=True)

    def reject(value: object) -> object:
        try:
            convert(value, tp, strict=True)
        except msgspec.ValidationError as error:
            return str(error)  # the message carries the path: "... - at `$.plan`"
        return None

    return Checks(validate, reject, decoder.decode)


def _batch_schema(node: Validator, batch: bool) -> dict[str, Any]:
    schema = json_schema(node)
    return {"type": "array", "items": schema} if batch else schema


def fastjsonschema_checks(node: Validator, batch: bool = False) -> Checks:
    import fastjsonschema

    validate = fastjsonschema.compile(_batch_schema(node, batch), use_default=False)

    def reject(value: object) -> object:
        try:
            validate(value)
        except fastjsonschema.JsonSchemaValueException as error:
            return (error.path, error.message)
        return None

    return Checks(validate, reject)


def jsonschema_checks(node: Validator, batch: bool = False) -> Checks:
    import jsonschema

    schema = _batch_schema(node, batch)
    validator = jsonschema.Draft202012Validator(schema)

    def validate(value: object) -> object:
        validator.validate(value)
        return value

    iter_errors = validator.iter_errors

    def reject(value: object) -> object:
        error = next(iter_errors(value), None)  # the errors come lazily: stop at the first
        if error is None:
            return None
        return (list(error.absolute_path), error.message)

    def reject_all(value: object) -> object:
        errors = [(list(e.absolute_path), e.message) for e in iter_errors(value)]
        return errors or None

    return Checks(validate, reject, reject_all=reject_all)


PEER_CHECKS: dict[str, Callable[..., Checks]] = {
    "pydantic": pydantic_checks,
    "msgspec": msgspec_checks,
    "fastjsonschema": fastjsonschema_checks,
    "jsonschema": jsonschema_checks,
}


def installed() -> list[str]:
    """The peers installed here (``make bench`` installs them all: the `bench` extra)."""
    import importlib.util

    return [peer for peer in PEERS if importlib.util.find_spec(peer) is not None]


def versions() -> dict[str, str]:
    from importlib.metadata import version

    return {peer: version(peer) for peer in (*installed(), "orjson")}
