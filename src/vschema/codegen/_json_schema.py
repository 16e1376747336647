"""JSON Schema (draft 2020-12) for validators and for a schema's tables.

``json_schema(validator)`` is the JSON Schema of the JSON form of the values ``validator``
accepts; ``json_schema(schema, "inquiries")`` that of a table's new rows (``document=True``: its
stored documents). ``json_schema_files(schema, ...)`` gives the files ``vschema codegen SCHEMA
--json-schema-out DIR`` writes: one ``<table>.schema.json`` per table, whose root is the new row
and whose ``$defs`` hold the row (``<Row>``), the stored document (``<Row>Document``), the ID
(``<Row>Id``) and every validator the schema module exports (``ProjectType``), with the names of
`vschema.codegen._naming`; the header is the file's ``$comment``.

JSON has no Int64, no bytes, no NaN, and one number type, so there are two encodings:

``"plain"`` (the default)
    What a JSON API sends: ``v.int64()`` is a JSON integer within the signed 64-bit bounds,
    ``v.bytes()`` a base64 string (``contentEncoding: base64``), ``v.float64()`` a JSON number;
    NaN and the infinities have no plain JSON form (standard JSON has no such token), and the
    commit-timestamp placeholder is ``{"$commitTs": null}``.
``"convex"``
    Convex's own JSON (`vschema.to_convex_json`): Int64 is ``{"$integer": base64}``, bytes
    ``{"$bytes": base64}``, NaN, ±inf and -0.0 ``{"$float": base64}``.

Everywhere: objects have ``additionalProperties: false`` and optional fields are not
``required``; arrays hold at most 8192 items; records and ``v.any()`` objects at most 1024
fields, and their keys follow Convex's field-name rules (``propertyNames``: printable ASCII, at
most 1024 characters, no leading ``$``; a new row's top-level keys no leading ``_`` either);
``v.id("t")`` is a string of the ID alphabet and lengths (``pattern``) with a description naming
the table; unions are ``anyOf`` (exact whatever the members: a value matches a union when one
member matches), unions of literals ``enum``; ``v.any()`` is the recursive definition
``ConvexValue``. A table's row, as ``Schema.validate`` checks it, has no top-level ``_``
field (one the table's validator declares is dropped, as Convex's backend drops it); a stored
document adds ``_id`` and ``_creationTime`` (a number strictly between 0 and 2**53). What JSON
Schema cannot state is `UNSTATED_FLAWS` (by issue code) and `NUMBER_FLAWS` (per encoding).

The output is JSON data built by one walk (`_Emitter.walk`) and written by
`vschema._source.json_text` (``json.dumps``, ASCII, keys in the order built), not through a Jinja
template: JSON's escaping is ``json.dumps``'s, and a template would only re-indent its text. Large
subtrees used in more than one place are ``$defs`` (``Shared1``, ...), as in the other
generators, so the output grows with the distinct subtrees, not with their expansion.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

from vschema._source import comment_text, json_def_ref, json_text
from vschema._typing import assert_never
from vschema.codegen._header import header_lines, schema_digest
from vschema.codegen._naming import Claims, SchemaNames, schema_names
from vschema.codegen._shared import SharedRefs, key, shared_subtrees
from vschema.validators._convex_json import to_convex_json
from vschema.validators._documents import SYSTEM_FIELDS, without_system_fields
from vschema.validators._errors import IssueCode, SchemaError
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
from vschema.validators._schema import Schema
from vschema.validators._values import (
    INT64_MAX,
    INT64_MIN,
    MAX_ARRAY_LENGTH,
    MAX_FIELD_NAME_LENGTH,
    MAX_OBJECT_FIELDS,
)

__all__ = [
    "DIALECT",
    "ENCODINGS",
    "FILE_SUFFIX",
    "NUMBER_FLAWS",
    "UNSTATED_FLAWS",
    "Encoding",
    "json_schema",
    "json_schema_files",
]

Encoding = Literal["plain", "convex"]
ENCODINGS: tuple[Encoding, ...] = ("plain", "convex")
DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: Each table's file is ``<table name><FILE_SUFFIX>``.
FILE_SUFFIX = ".schema.json"

#: The flaws (issue codes of `vschema.Issue`) no emitted schema states, in either encoding,
#: and why: a JSON document with only such a flaw may pass the JSON Schema and fail vschema.
#: (Flaws of Python values that JSON cannot hold, such as a tuple for a list or an ``int``
#: key, are no flaws of a JSON document: its JSON form, if it has one, is a valid value's.)
UNSTATED_FLAWS: Mapping[IssueCode, str] = {
    "invalid_string": "a lone surrogate (no UTF-8): JSON Schema has no rule for it, and regex "
    "engines disagree on surrogates",
    "invalid_id": "an ID's checksum, canonical last character and table number: the pattern "
    "checks only the ID alphabet and lengths",
    "too_nested": "Convex's nesting limits (64 levels for a value, 16 for a document)",
    "too_large": "Convex's size limit of a document (1 MiB with the system fields)",
}
#: Also not stated, per encoding: a flaw in how a number is written, which JSON Schema cannot
#: see because it compares numbers by value.
NUMBER_FLAWS: Mapping[Encoding, str] = {
    "plain": "a number written as the other type or zero: 1.0 where an Int64 belongs, an integer "
    "beyond 2**53 where a Float64 belongs, 0.0 against v.literal(-0.0)",
    "convex": "a JSON integer that no Float64 equals (2**53 + 1) where a Float64 belongs, which "
    'Convex JSON refuses (an Int64 is written {"$integer": ...} there)',
}

JSON = Any

_B64 = "[A-Za-z0-9+/]"
# Python's `re` (which the `jsonschema` package runs patterns with) lets `$` match before a
# final newline; `(?!\n)` refuses that, and means nothing to an ECMA-262 engine, which never did.
_END = r"$(?!\n)"
#: Standard, padded base64 (what Convex writes for ``$bytes``).
BYTES_PATTERN = f"^(?:{_B64}{{4}})*(?:{_B64}{{2}}[AEIMQUYcgkosw048]=|{_B64}[AQgw]==)?{_END}"
#: Eight bytes in base64: an Int64's ``$integer``.
_INT64_PATTERN = f"^{_B64}{{10}}[AEIMQUYcgkosw048]={_END}"
#: A ``$float``: eight little-endian bytes whose exponent is all ones (NaN of any payload, ±inf:
#: the last two bytes are ``?F`` then ``7F`` or ``FF``), or exactly -0.0.
_SPECIAL_FLOAT_PATTERN = f"^(?:{_B64}{{8}}[89+/][HPXfnv3/]8=|AAAAAAAAAIA=){_END}"
_CROCKFORD = "[0-9a-hjkmnp-tv-z]"
#: Convex's document IDs: lowercase Crockford base32, 31, 32, 34, 36 or 37 characters.
ID_PATTERN = f"^(?:{_CROCKFORD}{{31,32}}|{_CROCKFORD}{{34}}|{_CROCKFORD}{{36,37}}){_END}"
# Field names: printable ASCII (0x20-0x7E), not starting with `$` (0x24); a new row's top-level
# fields not with `_` (0x5F) either; a document's only as `_id` and `_creationTime`.
_FIELD_NAME_PATTERN = f"^(?:[ -#%-~][ -~]*)?{_END}"
_ROW_FIELD_NAME_PATTERN = f"^(?:[ -#%-^`-~][ -~]*)?{_END}"
_DOCUMENT_FIELD_NAME_PATTERN = f"^(?:_id|_creationTime|[ -#%-^`-~][ -~]*)?{_END}"
#: ``_creationTime`` lies strictly between these (milliseconds since the Unix epoch).
_CREATION_TIME_BOUNDS = (0, 2**53)


def _field_names(pattern: str) -> JSON:
    return {"maxLength": MAX_FIELD_NAME_LENGTH, "pattern": pattern}


def _wrapped(key_name: str, value: JSON) -> JSON:
    """The schema of a one-key Convex JSON object such as ``{"$integer": ...}``."""
    return {
        "type": "object",
        "properties": {key_name: value},
        "required": [key_name],
        "additionalProperties": False,
    }


def _base64(pattern: str) -> JSON:
    return {"type": "string", "contentEncoding": "base64", "pattern": pattern}


# Each schema below is made afresh where it is used: a caller may edit the data it gets (as
# pydantic does with the schemas it collects), and no two places may share one dict.


def _plain_int64() -> JSON:
    return {"type": "integer", "minimum": INT64_MIN, "maximum": INT64_MAX}


def _convex_int64() -> JSON:
    return _wrapped("$integer", _base64(_INT64_PATTERN))


def _special_float() -> JSON:
    return _wrapped("$float", _base64(_SPECIAL_FLOAT_PATTERN))


def _commit_ts() -> JSON:
    return _wrapped("$commitTs", {"type": "null"})


def _convex_bytes() -> JSON:
    return _wrapped("$bytes", _base64(BYTES_PATTERN))


#: Composite validators stand behind a ``$ref`` when named; a scalar is clearer written out.
_REUSABLE = (VObject, VArray, VRecord, VUnion)


class _Emitter:
    """One walk over validators into JSON Schema data, for one output document.

    ``defs`` collects the definitions the walk refers to (``ConvexValue``, shared subtrees) in
    the order they are made; ``refs`` names the composite validators written as ``$ref``.
    """

    def __init__(self, encoding: Encoding, claims: Claims, shared: frozenset[Validator]) -> None:
        self.encoding = encoding
        self.claims = claims
        self.defs: dict[str, JSON] = {}
        self.refs = SharedRefs(shared, self._define_shared)
        self._any: str | None = None
        self._shared_count = 0

    # -- definitions ----------------------------------------------------------------------

    def _define_shared(self, validator: Validator) -> str:
        schema = self.walk(validator)
        self._shared_count += 1
        name = self.claims.name(f"Shared{self._shared_count}")
        self.defs[name] = schema
        return name

    def define(self, name: str, validator: Validator) -> None:
        """Define ``name`` as ``validator`` (written out, titled ``name``), and refer to it by
        that name."""
        with self.refs.expanding(validator):
            self.defs[name] = {"title": name, **_as_object(self.walk(validator))}
        if isinstance(validator, _REUSABLE) and not validator.is_optional:
            self.refs.setdefault(validator, name)

    def any_ref(self) -> JSON:
        """A reference to ``ConvexValue``, the recursive schema of every Convex value."""
        if self._any is None:
            self._any = name = self.claims.name("ConvexValue")
            self.defs[name] = {}  # claimed first: the definition refers to itself
            self.defs[name] = self._any_value(name)
        return {"$ref": json_def_ref(self._any)}

    def _any_value(self, name: str) -> JSON:
        members: list[JSON] = [
            {"type": ["null", "boolean", "number", "string"]},
            {"type": "array", "maxItems": MAX_ARRAY_LENGTH, "items": {"$ref": json_def_ref(name)}},
            self._open_object(_FIELD_NAME_PATTERN, MAX_OBJECT_FIELDS, {"$ref": json_def_ref(name)}),
            _commit_ts(),
        ]
        if self.encoding == "convex":
            members += [_convex_int64(), _special_float(), _convex_bytes()]
        return {"anyOf": members}

    @staticmethod
    def _open_object(pattern: str, most: int, values: JSON) -> JSON:
        return {
            "type": "object",
            "maxProperties": most,
            "propertyNames": _field_names(pattern),
            "additionalProperties": values,
        }

    # -- the walk ---------------------------------------------------------------------------

    def walk(self, validator: Validator) -> JSON:
        """The JSON Schema of the JSON form of values ``validator`` accepts (its optional flag
        is the enclosing object's business: the field is then not ``required``)."""
        if isinstance(validator, _REUSABLE):
            name = self.refs.get(key(validator))
            if name is not None:
                return {"$ref": json_def_ref(name)}
        node = as_node(validator)
        match node:
            case VString():
                return {"type": "string"}
            case VFloat64():
                if self.encoding == "plain":
                    return {"type": "number"}
                return {"anyOf": [{"type": "number"}, _special_float()]}
            case VInt64():
                return self._int64()
            case VCommitTs():
                return {"anyOf": [self._int64(), _commit_ts()]}
            case VBoolean():
                return {"type": "boolean"}
            case VNull():
                return {"type": "null"}
            case VBytes():
                return _base64(BYTES_PATTERN) if self.encoding == "plain" else _convex_bytes()
            case VAny():
                return self.any_ref()
            case VId(table_name=table_name):
                return _id_schema(table_name)
            case VLiteral():
                return {"const": self._literal(node)}
            case VArray(element=element):
                # Limits before contents: a validator that checks keywords in order (as the
                # `jsonschema` package does) then refuses 8193 items without reading them.
                return {"type": "array", "maxItems": MAX_ARRAY_LENGTH, "items": self.walk(element)}
            case VObject(fields=fields):
                return self._object(fields)
            case VRecord(key=key_validator, value=value):
                keys = _field_names(_FIELD_NAME_PATTERN)
                if not isinstance(key_validator, VString):
                    keys = {"allOf": [keys, self.walk(key_validator)]}
                return {
                    "type": "object",
                    "maxProperties": MAX_OBJECT_FIELDS,
                    "propertyNames": keys,
                    "additionalProperties": self.walk(value),
                }
            case VUnion(members=members):
                if not members:
                    return False
                if len(members) == 1:
                    return self.walk(members[0])
                if all(isinstance(member, VLiteral) for member in members):
                    literals = [as_node(member) for member in members]
                    return {"enum": [self._literal(m) for m in literals if isinstance(m, VLiteral)]}
                return {"anyOf": [self.walk(member) for member in members]}
            case _:
                assert_never(node)

    def _int64(self) -> JSON:
        return _plain_int64() if self.encoding == "plain" else _convex_int64()

    def _literal(self, node: VLiteral) -> JSON:
        if self.encoding == "convex":
            # Convex's own encoding of the literal: `{"$integer": ...}` for an Int64, and
            # `{"$float": ...}` for -0.0; other literals are themselves.
            return to_convex_json(node.value, node)
        return int(node.value) if node.int64 else node.value

    def _object(
        self, fields: Mapping[str, Validator], extra: Mapping[str, JSON] | None = None
    ) -> JSON:
        properties = {name: self.walk(field) for name, field in fields.items()}
        required = [name for name, field in fields.items() if not field.is_optional]
        if extra:
            properties.update(extra)
            required += list(extra)
        schema: JSON = {"type": "object"}
        if properties:
            schema["properties"] = properties
        if required:
            schema["required"] = required
        schema["additionalProperties"] = False
        return schema

    # -- tables -----------------------------------------------------------------------------

    def row(self, validator: Validator) -> JSON:
        """A new row of a table whose validator is ``validator``: what ``Schema.validate``
        accepts (no top-level ``_`` field; a declared one the backend drops)."""
        node = as_node(without_system_fields(validator))
        match node:
            case VAny():
                return self._open_object(
                    _ROW_FIELD_NAME_PATTERN, MAX_OBJECT_FIELDS - len(SYSTEM_FIELDS), self.any_ref()
                )
            case VUnion(members=members) if _is_open(node):
                if len(members) == 1:
                    return self.row(members[0])
                return {"anyOf": [self.row(member) for member in members]}
            case VObject() | VUnion():
                return self.walk(node)
            case _:
                raise _not_a_table(validator)

    def document(self, validator: Validator, table: str, id_schema: Callable[[], JSON]) -> JSON:
        """A stored document: the row's fields, ``_id`` (``id_schema()``) and
        ``_creationTime``."""
        node = as_node(without_system_fields(validator))
        system: dict[str, JSON] = {
            "_id": id_schema(),
            "_creationTime": {
                "type": "number",
                "exclusiveMinimum": _CREATION_TIME_BOUNDS[0],
                "exclusiveMaximum": _CREATION_TIME_BOUNDS[1],
            },
        }
        match node:
            case VAny():
                schema = self._open_object(
                    _DOCUMENT_FIELD_NAME_PATTERN, MAX_OBJECT_FIELDS, self.any_ref()
                )
                return {**schema, "properties": system, "required": list(system)}
            case VObject(fields=fields):
                return self._object(fields, system)
            case VUnion(members=members):
                if not members:
                    return False
                if len(members) == 1:
                    return self.document(members[0], table, id_schema)
                return {"anyOf": [self.document(m, table, id_schema) for m in members]}
            case _:
                raise _not_a_table(validator, table)


def _is_open(validator: Validator) -> bool:
    """Whether a table's validator is ``v.any()`` or has it as a member: its rows are objects
    of any fields, under the row's own field-name rules."""
    if isinstance(validator, VUnion):
        return any(_is_open(member) for member in validator.members)
    return isinstance(validator, VAny)


def _id_schema(table: str) -> JSON:
    return {
        "type": "string",
        "pattern": ID_PATTERN,
        "description": f'An ID of a document in the Convex table "{table}"',
    }


def _not_a_table(validator: Validator, table: str | None = None) -> SchemaError:
    where = f' for table "{table}"' if table is not None else ""
    return SchemaError(
        f"Invalid validator{where}: a table's documents must be objects, or a union of objects "
        f"(see https://docs.convex.dev/database/schemas); got {validator!r:.200}"
    )


def _check_encoding(encoding: object) -> Encoding:
    if encoding == "plain":
        return "plain"
    if encoding == "convex":
        return "convex"
    raise SchemaError(f"json_schema(): encoding must be 'plain' or 'convex', got {encoding!r:.80}")


def _document_root(body: JSON, defs: Mapping[str, JSON], **head: JSON) -> dict[str, Any]:
    """A root schema: ``$schema``, ``head``, then ``body``'s keywords, then ``$defs``."""
    root: dict[str, Any] = {"$schema": DIALECT, **head}
    if body is False:
        root["not"] = {}
    else:
        root.update(body)
    if defs:
        root["$defs"] = dict(defs)
    return root


def json_schema(
    validator_or_schema: Validator | Schema,
    table: str | None = None,
    *,
    document: bool = False,
    encoding: Encoding = "plain",
) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12), as JSON-ready data (``json.dumps`` it to write it).

    For a validator: the schema of the JSON form of every value the validator accepts, in
    ``encoding`` (``"plain"``: Int64 as a JSON integer, bytes as a base64 string; ``"convex"``:
    `vschema.to_convex_json`'s form), rejecting what it rejects but `UNSTATED_FLAWS` and
    `NUMBER_FLAWS`. For a schema and ``table``: the schema of a new row of that
    table (``Schema.validate``), or with ``document=True`` of a stored document
    (``Schema.validate_document``: with ``_id`` and ``_creationTime``).

    The result is one self-contained document: ``$schema`` first, the schema's keywords at the
    root, and ``$defs`` (referred to as ``#/$defs/<name>``) only where needed: ``ConvexValue``
    for ``v.any()`` (it is recursive) and ``SharedN`` for large subtrees used more than once.
    Same input, same output. Raises `SchemaError` for a bad argument or an unknown table.
    """
    chosen = _check_encoding(encoding)
    if isinstance(validator_or_schema, Schema):
        schema = validator_or_schema
        if not isinstance(table, str) or table not in schema.tables:
            raise SchemaError(
                f"json_schema(schema, table): table {table!r:.80} is not in this schema. "
                f"Tables in this schema: {', '.join(schema.tables)}"
            )
        validator = schema.tables[table].validator
        names = schema_names(schema, {})
        emitter = _Emitter(chosen, names.claims(), shared_subtrees([validator]))
        if document:
            body = emitter.document(validator, table, lambda: _id_schema(table))
        else:
            body = emitter.row(validator)
        return _document_root(body, emitter.defs)
    if not isinstance(validator_or_schema, Validator):
        raise SchemaError(
            "json_schema() needs a validator built with v.* or a Schema from define_schema(), "
            f"got {type(validator_or_schema).__name__} {validator_or_schema!r:.80}"
        )
    if table is not None or document:
        raise SchemaError(
            "json_schema(validator): table and document apply to a Schema only; "
            "pass json_schema(schema, table) for a table's rows"
        )
    validator = validator_or_schema
    emitter = _Emitter(chosen, Claims(), shared_subtrees([validator]))
    with emitter.refs.expanding(validator):
        body = emitter.walk(validator)
    return _document_root(body, emitter.defs)


def json_schema_files(
    schema: Schema,
    *,
    exports: Mapping[str, Validator] | None = None,
    origin: str = "schema.py",
    command: str = "vschema codegen",
    encoding: Encoding = "plain",
) -> dict[str, str]:
    """The files of ``vschema codegen SCHEMA --json-schema-out DIR``, by file name: one
    ``<table>.schema.json`` per table, in schema order.

    Each file's root is the table's new row (``$ref`` to ``<Row>``); its ``$defs`` are the row
    (``<Row>``), the stored document (``<Row>Document``), the ID (``<Row>Id``), then every
    exported validator (``exports``, in definition order, by its type name), ``ConvexValue``
    and shared subtrees where used. A table row or field equal to an export refers to it.
    ``origin`` and ``command`` go into the header, the file's ``$comment``. Same input, same
    bytes.
    """
    if not isinstance(schema, Schema):
        raise SchemaError(
            f"json_schema_files() needs a Schema from define_schema(), got {schema!r:.80}"
        )
    chosen = _check_encoding(encoding)
    exports = dict(exports or {})
    names = schema_names(schema, exports)
    # One line each, as in every generated file's header: a line break in a path would start
    # what reads as a header line of its own.
    lines = header_lines(origin, schema_digest(schema, exports), command)
    header = "\n".join(comment_text(line) for line in lines)
    shared = shared_subtrees([*exports.values(), *(t.validator for t in schema.tables.values())])
    files: dict[str, str] = {}
    seen: dict[str, str] = {}
    for table in schema.tables:
        # Two tables whose names differ only in case would write one file on macOS and Windows.
        other = seen.setdefault(table.casefold(), table)
        if other != table:
            raise SchemaError(
                f'json_schema_files(): tables "{other}" and "{table}" would both be written to '
                f"{table.casefold()}{FILE_SUFFIX} on a file system that ignores case; rename one"
            )
        files[f"{table}{FILE_SUFFIX}"] = json_text(
            _table_file(schema, table, exports, names, header, chosen, shared)
        )
    return files


def _table_file(
    schema: Schema,
    table: str,
    exports: Mapping[str, Validator],
    names: SchemaNames,
    header: str,
    encoding: Encoding,
    shared: frozenset[Validator],
) -> JSON:
    table_names = names.tables[table]
    emitter = _Emitter(encoding, names.claims(), shared)
    for export, validator in exports.items():
        emitter.define(names.exports[export].type, validator)
    validator = schema.tables[table].validator
    row_def = table_names.row
    own: dict[str, JSON] = {}
    # An export that is this table's row, by the same name, is the row's definition already.
    if row_def in emitter.defs:
        row = emitter.defs.pop(row_def)
    else:
        row = {"title": row_def, **_as_object(emitter.row(validator))}
    own[row_def] = {**row, "description": f'A new row of the Convex table "{table}"'}
    id_ref = json_def_ref(table_names.id)
    own[table_names.document] = {
        "title": table_names.document,
        "description": f'A stored document of the Convex table "{table}"',
        **_as_object(emitter.document(validator, table, lambda: {"$ref": id_ref})),
    }
    own[table_names.id] = {"title": table_names.id, **_id_schema(table)}
    defs = {**own, **emitter.defs}
    return _document_root(
        {"$ref": json_def_ref(row_def)},
        defs,
        **{
            "$comment": header,
            "title": table_names.row,
            "description": f'A new row of the Convex table "{table}"; its stored document is '
            f"#/$defs/{table_names.document}",
        },
    )


def _as_object(schema: JSON) -> JSON:
    """``schema`` as an object schema, to add keywords beside it (``false`` is ``not: {}``)."""
    return {"not": {}} if schema is False else schema
