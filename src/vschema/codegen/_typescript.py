"""TypeScript from a schema: Convex's ``schema.ts``, and standalone types in ``types.ts``.

``typescript(schema, exports=...)`` returns both files by name:

``schema.ts``
    The same schema written with the real ``convex`` package (``defineSchema``, ``defineTable``,
    ``v.*``), ready to be a Convex project's ``convex/schema.ts``: its ``schema.export()`` is
    `Schema.to_convex_json`. Every validator the Python schema module binds to a public name is
    exported too (``export const project_type = v.union(...)``), for Convex functions to reuse as
    argument validators.
``types.ts``
    Types only (no JavaScript; no imports, but for ``v.commitTs()``, whose type is Convex's
    ``CommitTsPlaceholder`` class) for code that talks to a Python backend: ``Id``; per table
    an ID type, a new-row type and a document type; ``DataModel``, ``TableNames``, ``Doc``,
    ``NewDoc``; and one type per exported validator. Each type is what Convex's ``Infer`` and
    ``DocumentByName`` give for the same validator, written out flat.

Two walks over the validator tree make every expression: `type_expression` (a TypeScript type)
and `validator_source` (a ``v.*`` expression). Where a composite validator (object, array,
record, union) equals an exported one, both walks write the export's name instead of repeating
it; an export refers only to exports defined before it, as in the Python module. A large
subtree used in more than one place (`vschema.codegen._shared`) is written once, as a local
``type SharedN`` / ``const sharedN`` numbered in the order they are defined, so the files grow
with the distinct subtrees of a schema, not with its expansion.

Names come from `vschema.codegen._naming`, the same as the Python module's (rules there and in
the README): the table ``user_profiles`` gives the new-row type ``UserProfile``, the document type
``UserProfileDocument`` and the ID type ``UserProfileId``; the export ``project_type`` gives the
type ``ProjectType`` and, in ``schema.ts``, the constant ``project_type``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import attrs

from vschema._source import (
    js_key,
    js_number,
    ts_bigint,
    ts_key,
    ts_number,
    ts_str,
)
from vschema._typing import assert_never
from vschema.codegen._header import header_lines, schema_digest
from vschema.codegen._naming import TS_CONST_RESERVED, ConstClaims, SchemaNames, schema_names
from vschema.codegen._shared import SharedRefs, shared_subtrees
from vschema.codegen._templates import render
from vschema.validators._display import SCALAR_BUILDERS
from vschema.validators._errors import SchemaError
from vschema.validators._nodes import (
    FieldMap,
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
from vschema.validators._schema import Schema, TableDefinition

__all__ = [
    "SCHEMA_FILE",
    "TYPES_FILE",
    "new_row_type",
    "type_expression",
    "typescript",
    "validator_source",
]

SCHEMA_FILE = "schema.ts"
TYPES_FILE = "types.ts"

_SYSTEM_FIELDS = ("_id", "_creationTime")
#: The type of ``v.commitTs()`` values, as Convex's own code generator writes it.
COMMIT_TS_TYPE = 'bigint | import("convex/values").CommitTsPlaceholder'
_INDENT = "  "
_WIDTH = 80
_SIMPLE_TYPE = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")

#: Validators that one reference stands for: repeating a scalar by an export's name would
#: only obscure it (``name: Email`` for every string field).
_REUSABLE = (VObject, VArray, VRecord, VUnion)

Refs = Mapping[Validator, str]


def _reference(validator: Validator, refs: Refs) -> str | None:
    """The exported name standing for ``validator`` (optional or not), if there is one."""
    if not isinstance(validator, _REUSABLE):
        return None
    return refs.get(validator.required() if validator.is_optional else validator)


# ---------------------------------------------------------------------------------------------
# Walk 1: TypeScript types, as Convex's `Infer` computes them.


def type_expression(
    validator: Validator,
    refs: Refs | None = None,
    depth: int = 0,
    *,
    table: str | None = None,
    breakable: bool = False,
) -> str:
    """The TypeScript type of values ``validator`` accepts, as Convex's ``Infer`` gives it.

    ``refs`` maps validators to type names to use instead of expanding them; ``depth`` is the
    indentation level the expression starts at; ``breakable`` lets a long union start on a new
    line, one member a line (after ``=`` or ``:``, where a type may). With ``table``, the type is
    of that table's
    stored documents (Convex's ``DocumentByName``): ``_id`` and ``_creationTime`` follow each
    object's own fields. The optional flag of ``validator`` itself is ignored: as an object
    field it makes the field ``?:``, elsewhere Convex has no use for it.
    """
    refs = {} if refs is None else refs
    if table is None:
        name = _reference(validator, refs)
        if name is not None:
            return name
    node = as_node(validator)
    if table is not None and not isinstance(node, (VObject, VUnion, VAny)):
        raise SchemaError(
            f'Invalid validator for table "{table}": a table\'s documents must be objects, or a '
            "union of objects (see https://docs.convex.dev/database/schemas)"
        )
    if table is not None and _is_open(node):
        return _open_document(table)
    match node:
        case VString():
            return "string"
        case VFloat64():
            return "number"
        case VInt64():
            return "bigint"
        case VCommitTs():
            # Convex's `Infer<v.commitTs()>`: reads give a bigint, writes may hold the placeholder
            # `db.vars.commitTs`. Its class has a private member, so only Convex's own type is
            # identical to it: an inline type import, which compiles to no JavaScript.
            return COMMIT_TS_TYPE
        case VBoolean():
            return "boolean"
        case VNull():
            return "null"
        case VBytes():
            return "ArrayBuffer"
        case VAny():
            return "any"
        case VId(table_name=table_name):
            return f"Id<{ts_str(table_name)}>"
        case VLiteral():
            return _literal_text(node, value=False)
        case VArray(element=element):
            inner = type_expression(element, refs, depth)
            return f"{inner}[]" if _SIMPLE_TYPE.fullmatch(inner) else f"Array<{inner}>"
        case VObject(fields=fields):
            return _object_type(fields, refs, depth, table)
        case VRecord(key=key, value=value):
            key_type = type_expression(key, refs, depth)
            return f"Record<{key_type}, {type_expression(value, refs, depth)}>"
        case VUnion(members=members):
            if not members:
                return "never"
            texts = [type_expression(m, refs, depth, table=table) for m in members]
            inline = " | ".join(texts)
            if not breakable or len(texts) < 2 or "\n" in inline or _fits(inline, depth):
                return inline
            return "".join(f"\n{_INDENT * (depth + 1)}| {text}" for text in texts)
        case _:
            assert_never(node)


def _is_open(validator: Validator) -> bool:
    """Whether a table validator admits any object: it is ``v.any()``, or a union with such a
    member (``A | any`` is ``any``)."""
    if isinstance(validator, VUnion):
        return any(_is_open(member) for member in validator.members)
    return isinstance(validator, VAny)


#: What every key maps to in an open document: `{ [K in keyof any]: any }` has string, number
#: and symbol keys, as Convex's `Expand<SystemFields & any>` does.
_ANY_KEYS = "{ [Key in keyof any]: any }"
#: A new row of an open table, as Convex's `WithoutSystemFields` gives it: `{ [x: string]: any }`.
OPEN_ROW_TYPE = "{ [key: string]: any }"


def _open_document(table: str) -> str:
    """The document type of an open table, built as Convex's ``DocumentByName`` builds it
    (``Expand<IdField & Expand<SystemFields & any>>``). Plainer spellings are not identical:
    ``{ [key: string]: any; _id: ... }`` lacks ``symbol`` in its ``keyof``, and explicit
    index signatures for all three key types are a different type to TypeScript."""
    fields = f"({{ _id: Id<{ts_str(table)}> }} & {_ANY_KEYS})"
    return f"{{ [Key in keyof {fields}]: {fields}[Key] }}"


def _insertable(validator: Validator) -> Validator:
    """The table validator as Convex's insert type sees it (``WithoutSystemFields``): each
    object without a top-level ``_id`` or ``_creationTime`` it declares; itself when it
    declares neither (so an export's name still stands for it)."""
    if isinstance(validator, VObject):
        declared = [name for name in _SYSTEM_FIELDS if name in validator.fields]
        return validator.omit(*declared) if declared else validator
    if isinstance(validator, VUnion):
        members = tuple(_insertable(member) for member in validator.members)
        if members == validator.members:
            return validator
        return attrs.evolve(validator, members=members)
    return validator


def new_row_type(validator: Validator, refs: Refs | None = None) -> str:
    """The type of a new row for a table whose validator is ``validator``: Convex's
    ``WithoutSystemFields<DocumentByName<...>>``, the type ``db.insert`` takes."""
    if _is_open(validator):
        return OPEN_ROW_TYPE
    return type_expression(_insertable(validator), refs, breakable=True)


def _object_type(fields: FieldMap, refs: Refs, depth: int, table: str | None) -> str:
    pad = _INDENT * (depth + 1)
    lines = []
    declared: dict[str, str] = {}
    for name, field in fields.items():
        if table is not None and name in _SYSTEM_FIELDS:
            # `Expand<IdField & SystemFields & Infer<V>>`: a declared system field intersects.
            text = type_expression(field, refs, depth + 1)
            declared[name] = f" & ({text})" if " | " in text else f" & {text}"
            continue
        text = type_expression(field, refs, depth + 1, breakable=True)
        lines.append(f"{pad}{ts_key(name)}{'?' if field.is_optional else ''}:{_spaced(text)};")
    if table is not None:
        lines.append(f"{pad}_id: Id<{ts_str(table)}>{declared.get('_id', '')};")
        lines.append(f"{pad}_creationTime: number{declared.get('_creationTime', '')};")
    if not lines:
        return "{}"
    return "{\n" + "\n".join(lines) + "\n" + _INDENT * depth + "}"


def _is_branded_record(validator: Validator) -> bool:
    """Whether ``validator``'s type is a ``Record`` keyed by IDs (branded strings), maybe
    through unions of one member."""
    if isinstance(validator, VUnion):
        return len(validator.members) == 1 and _is_branded_record(validator.members[0])
    return isinstance(validator, VRecord) and _has_id(validator.key)


def _has_id(key: Validator) -> bool:
    """Whether a record's key validator admits IDs."""
    if isinstance(key, VUnion):
        return any(_has_id(member) for member in key.members)
    return isinstance(key, VId)


def _spaced(text: str) -> str:
    """``text`` to follow ``=`` or ``:``: after a space, unless it starts on a line of its own."""
    return text if text.startswith("\n") else " " + text


def _literal_text(node: VLiteral, *, value: bool) -> str:
    """A literal as a type (``-0`` is ``0``) or as a value (``-0`` stays, for the JSON)."""
    literal = node.value
    if isinstance(literal, bool):
        return "true" if literal else "false"
    if isinstance(literal, str):
        return ts_str(literal)
    if node.int64:
        return ts_bigint(int(literal))
    return js_number(literal) if value else ts_number(literal)


# ---------------------------------------------------------------------------------------------
# Walk 2: `v.*` source for `convex/values`.


def validator_source(validator: Validator, refs: Refs | None = None, depth: int = 0) -> str:
    """The ``v.*`` expression building ``validator`` with Convex's ``convex/values``.

    Its ``.json`` is ``validator.to_convex_json()``. ``refs`` maps validators to names of
    constants to use instead; ``depth`` is the indentation level the expression starts at.
    """
    refs = {} if refs is None else refs
    name = _reference(validator, refs)
    if name is not None:
        return f"v.optional({name})" if validator.is_optional else name
    node = as_node(validator)
    text: str
    match node:
        case (
            VString()
            | VFloat64()
            | VInt64()
            | VCommitTs()
            | VBoolean()
            | VNull()
            | VBytes()
            | VAny()
        ):
            text = SCALAR_BUILDERS[type(node)]
        case VId(table_name=table_name):
            text = f"v.id({ts_str(table_name)})"
        case VLiteral():
            text = f"v.literal({_literal_text(node, value=True)})"
        case VArray(element=element):
            text = f"v.array({validator_source(element, refs, depth)})"
        case VObject(fields=fields):
            text = f"v.object({_fields_source(fields, refs, depth)})"
        case VRecord(key=key, value=value):
            args = [
                validator_source(key, refs, depth + 1),
                validator_source(value, refs, depth + 1),
            ]
            text = _call("v.record", args, depth)
        case VUnion(members=members):
            if len(members) == 2 and isinstance(members[1], VNull):
                text = f"v.nullable({validator_source(members[0], refs, depth)})"
            else:
                text = _call(
                    "v.union", [validator_source(m, refs, depth + 1) for m in members], depth
                )
        case _:
            assert_never(node)
    return f"v.optional({text})" if node.is_optional else text


def _fits(text: str, depth: int) -> bool:
    return "\n" not in text and len(_INDENT) * depth + len(text) <= _WIDTH


def _call(function: str, args: list[str], depth: int) -> str:
    """``function(args)`` on one line when it fits, else one argument a line (each rendered at
    ``depth + 1``)."""
    inline = f"{function}({', '.join(args)})"
    if _fits(inline, depth):
        return inline
    pad = _INDENT * (depth + 1)
    return f"{function}(\n" + "".join(f"{pad}{arg},\n" for arg in args) + _INDENT * depth + ")"


def _fields_source(fields: FieldMap, refs: Refs, depth: int, *, broken: bool = False) -> str:
    """A field map ``{ name: v.string(), ... }``, one field a line unless it fits on one."""
    entries = [
        f"{js_key(name)}: {validator_source(field, refs, depth + 1)}"
        for name, field in fields.items()
    ]
    if not entries:
        return "{}"
    inline = "{ " + ", ".join(entries) + " }"
    if not broken and _fits(inline, depth):
        return inline
    pad = _INDENT * (depth + 1)
    return "{\n" + "".join(f"{pad}{entry},\n" for entry in entries) + _INDENT * depth + "}"


# ---------------------------------------------------------------------------------------------
# Index definitions, and whether Convex's types accept their field paths.


def _typed_path(validator: Validator, parts: list[str]) -> bool:
    """Whether Convex's types allow the field path ``parts`` under ``validator`` (its
    ``fieldPaths``: object fields and their own paths; anything below a record or ``v.any()``)."""
    node = as_node(validator)
    match node:
        case VAny() | VRecord():
            return True
        case VObject(fields=fields):
            field = fields.get(parts[0])
            return field is not None and (len(parts) == 1 or _typed_path(field, parts[1:]))
        case VUnion(members=members):
            return any(_typed_path(m, parts) for m in members)
        case (
            VString()
            | VFloat64()
            | VInt64()
            | VCommitTs()
            | VBoolean()
            | VNull()
            | VBytes()
            | VId()
            | VLiteral()
            | VArray()
        ):
            return False
        case _:
            assert_never(node)


@attrs.frozen
class _IndexCall:
    """One ``.index`` / ``.searchIndex`` / ``.vectorIndex`` call of a table definition."""

    method: str
    name: str
    #: The fields of ``.index(name, [fields])``; ``None`` for a call with an options object.
    fields: tuple[str, ...] | None
    options: tuple[str, ...]
    #: Convex's types refuse one of its field paths (possible with ``schema_validation=False``,
    #: or with a path the backend reads loosely, like ``".a"``): it needs a ``@ts-ignore``.
    untyped: bool

    def source(self, depth: int) -> str:
        head = f".{self.method}({ts_str(self.name)}, "
        if self.fields is not None:
            return f"{head}{_paths(self.fields)})"
        inline = f"{head}{{ {', '.join(self.options)} }})"
        if _fits(inline, depth):
            return inline
        pad = _INDENT * (depth + 1)
        lines = "".join(f"{pad}{option},\n" for option in self.options)
        return f"{head}{{\n{lines}{_INDENT * depth}}})"


def _paths(paths: Iterable[str]) -> str:
    return "[" + ", ".join(ts_str(p) for p in paths) + "]"


def _index_calls(table: TableDefinition) -> list[_IndexCall]:
    def untyped(paths: Iterable[str]) -> bool:
        return not all(
            path == "_creationTime" or _typed_path(table.validator, path.split("."))
            for path in paths
        )

    calls = [_IndexCall("index", i.name, i.fields, (), untyped(i.fields)) for i in table.indexes]
    for index in table.staged_indexes:
        staged = (f"fields: {_paths(index.fields)}", "staged: true")
        calls.append(_IndexCall("index", index.name, None, staged, untyped(index.fields)))
    for search, is_staged in [
        *((i, False) for i in table.search_indexes),
        *((i, True) for i in table.staged_search_indexes),
    ]:
        options = [f"searchField: {ts_str(search.search_field)}"]
        if search.filter_fields:
            options.append(f"filterFields: {_paths(search.filter_fields)}")
        if is_staged:
            options.append("staged: true")
        paths = [search.search_field, *search.filter_fields]
        calls.append(_IndexCall("searchIndex", search.name, None, tuple(options), untyped(paths)))
    for vector, is_staged in [
        *((i, False) for i in table.vector_indexes),
        *((i, True) for i in table.staged_vector_indexes),
    ]:
        options = [
            f"vectorField: {ts_str(vector.vector_field)}",
            f"dimensions: {vector.dimensions}",
        ]
        if vector.filter_fields:
            options.append(f"filterFields: {_paths(vector.filter_fields)}")
        if is_staged:
            options.append("staged: true")
        paths = [vector.vector_field, *vector.filter_fields]
        calls.append(_IndexCall("vectorIndex", vector.name, None, tuple(options), untyped(paths)))
    return calls


def _table_source(table: TableDefinition, refs: Refs) -> str:
    """``defineTable(...)`` with its index calls, for a table key at depth 1."""
    validator = table.validator
    if isinstance(validator, VObject) and _reference(validator, refs) is None:
        document = _fields_source(validator.fields, refs, 1, broken=True)
    else:
        document = validator_source(validator, refs, 1)
    text = f"defineTable({document})"
    calls = _index_calls(table)
    staged = table.staged_validator
    if len(calls) == 1 and not calls[0].untyped and staged is None:
        return text + calls[0].source(1)
    pad = "\n" + _INDENT * 2
    for call in calls:
        if call.untyped:
            text += f"{pad}// @ts-ignore -- Convex's types do not know this field path"
        text += pad + call.source(2)
    if staged is not None:
        # Convex 1.47+: the staged document validator, checked in the background.
        text += f"{pad}.staged({validator_source(staged, refs, 2)})"
    return text


# ---------------------------------------------------------------------------------------------
# The files.


def typescript(
    schema: Schema,
    *,
    exports: Mapping[str, Validator] | None = None,
    origin: str = "schema.py",
    command: str = "vschema codegen",
) -> dict[str, str]:
    """``schema.ts`` and ``types.ts`` for ``schema``, by file name.

    ``exports`` are the validators the schema module binds to public names (in definition
    order), which both files export by name; ``origin`` (the schema's file or module) and
    ``command`` (how to regenerate) go into each file's header. Same input, same bytes.
    """
    if not isinstance(schema, Schema):
        raise TypeError(f"typescript() needs a Schema from define_schema(), got {schema!r}")
    exports = dict(exports or {})
    names = schema_names(schema, exports)
    header = header_lines(origin, schema_digest(schema, exports), command)
    return {
        SCHEMA_FILE: _schema_file(schema, exports, names, header),
        TYPES_FILE: _types_file(schema, exports, names, header),
    }


def _shared(schema: Schema, exports: Mapping[str, Validator]) -> frozenset[Validator]:
    """The subtrees both files name once (see `vschema.codegen._shared`)."""
    return shared_subtrees([*exports.values(), *(t.validator for t in schema.tables.values())])


def _schema_file(
    schema: Schema, exports: Mapping[str, Validator], names: SchemaNames, header: list[str]
) -> str:
    consts: list[dict[str, object]] = []
    claims = ConstClaims([*TS_CONST_RESERVED, *(n.const for n in names.exports.values())])

    def define(validator: Validator) -> str:
        # A `const` before the first one that uses it, so no use comes before its definition.
        source = validator_source(validator, refs)
        name = claims.claim(f"shared{sum(1 for const in consts if const['shared']) + 1}")
        consts.append({"name": name, "source": source, "shared": True})
        return name

    refs = SharedRefs(_shared(schema, exports), define)
    for name, validator in exports.items():
        with refs.expanding(validator):
            source = validator_source(validator, refs)
        const = names.exports[name].const
        consts.append({"name": const, "source": source, "shared": False})
        if isinstance(validator, _REUSABLE) and not validator.is_optional:
            refs.setdefault(validator, const)
    tables = [
        {"key": js_key(name), "source": _table_source(table, refs)}
        for name, table in schema.tables.items()
    ]
    options = []
    if not schema.schema_validation:
        options.append("schemaValidation: false")
    if not schema.strict_table_name_types:
        options.append("strictTableNameTypes: false")
    return render(
        "schema.ts.j2",
        header=header,
        uses_v=bool(exports) or bool(tables),
        consts=consts,
        tables=tables,
        options=", ".join(options),
    )


def _named_type(validator: Validator, text: str) -> str:
    """The right-hand side of ``type X = ...`` for ``validator``, whose type is ``text``."""
    if not validator.is_optional and _is_branded_record(validator):
        # `type X = Record<Id<"t">, V>` would make a new type named `X`, whose index
        # signature TypeScript keys by this file's `Id<"t">`, not by Convex's identical
        # `GenericId<"t">`; so `X` would not be *identical* to `Infer<...>`, only mutually
        # assignable. `& unknown` keeps the plain `Record<...>` type, which compares equal.
        text += " & unknown"
    if validator.is_optional:
        # `Infer` of `v.optional(x)`: `undefined` joins the type as one more member.
        text += f"\n{_INDENT}| undefined" if text.startswith("\n") else " | undefined"
    return text


def _types_file(
    schema: Schema, exports: Mapping[str, Validator], names: SchemaNames, header: list[str]
) -> str:
    named: list[dict[str, object]] = []
    claims = names.claims()
    shared_count = 0

    def define(validator: Validator) -> str:
        nonlocal shared_count
        text = _named_type(validator, type_expression(validator, refs, breakable=True))
        shared_count += 1
        name = claims.name(f"Shared{shared_count}")
        named.append({"python": "", "name": name, "type": _spaced(text), "shared": True})
        return name

    refs = SharedRefs(_shared(schema, exports), define)
    for name, validator in exports.items():
        with refs.expanding(validator):
            text = _named_type(validator, type_expression(validator, refs, breakable=True))
        type_name = names.exports[name].type
        named.append({"python": name, "name": type_name, "type": _spaced(text), "shared": False})
        if isinstance(validator, _REUSABLE) and not validator.is_optional:
            refs.setdefault(validator, type_name)
    # A table whose row type an export is already (same validator, same name) defines no second
    # `type` of that name: the export's definition is the row type.
    rows_defined = {n.row_of for n in names.exports.values() if n.row_of is not None}
    tables: list[dict[str, object]] = []
    for name, table in schema.tables.items():
        table_names = names.tables[name]
        new_type = _spaced(new_row_type(table.validator, refs))
        tables.append(
            {
                "name": name,
                "id": table_names.id,
                "document": table_names.document,
                "document_type": _spaced(type_expression(table.validator, refs, table=name)),
                "new": table_names.row,
                "new_type": new_type,
                "new_defined": name in rows_defined,
                # A `v.any()` table declares no fields for the comments to speak of.
                "open": _is_open(table.validator),
            }
        )
    if schema.strict_table_name_types:
        all_names = type_expression(
            VUnion(tuple(VLiteral(name) for name in schema.tables)), breakable=True
        )
    else:
        # Convex's `strictTableNameTypes: false`: any string names a table, whose documents
        # are `any` unless the schema defines it (`Expand<DataModel & AnyDataModel>`).
        all_names = "string"
    texts = [str(item["type"]) for item in named]
    texts += [f"{t['document_type']}{t['new_type']}" for t in tables]
    return render(
        "types.ts.j2",
        header=header,
        uses_convex=any(COMMIT_TS_TYPE in text for text in texts),
        named=named,
        tables=tables,
        table_names=_spaced(all_names),
        loose=not schema.strict_table_name_types,
        open_row=OPEN_ROW_TYPE,
    )
