"""Zod 4 schemas from a schema: one ``.ts`` module for a frontend to check data before it posts.

``zod(schema, exports=...)`` returns the text of a module that imports only ``zod`` and exports,
under the names of `vschema.codegen._naming` plus ``Schema``:

* per table, the schema of a new row (``InquirySchema``) and of a stored document
  (``InquiryDocumentSchema``, with ``_id`` and ``_creationTime``);
* per exported validator of the schema module, its schema (``ProjectTypeSchema``);
* ``Id``, the same branded string type as ``types.ts``'s (and so Convex's ``GenericId``).

``z.infer`` and ``z.input`` of each schema are exactly the type ``types.ts`` gives the same name
(the tests prove it with ``tsc``). Convex's rules that TypeScript cannot say are checked at run
time: strings must be well-formed UTF-16 (no lone surrogates), int64 is a ``bigint`` within 64
bits, ``v.id`` a string that decodes as a Convex ID (its checksum too; which table an ID belongs
to, only the deployment knows), keys of records Convex field names, arrays at most 8192 items
and records at most 1024 entries, and objects strict (unknown keys are refused). Where Convex
and Zod differ, Convex wins: ``v.float64()`` takes NaN and the infinities (``z.number()`` does
not), ``v.literal(0)`` refuses ``-0``, an optional field may be
absent but not ``undefined`` (``exactOptional``). Not checked here: the nesting depth and a
document's size in bytes; the server does.

One walk over the validator tree (`schema_expression`) makes every expression. As in the other
generators, an exported validator is referred to by name where it is used again, and a large
subtree used in more than one place is defined once (`vschema.codegen._shared`).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from vschema._source import js_key, js_number, ts_bigint, ts_str
from vschema._typing import assert_never
from vschema.codegen._header import header_lines, schema_digest
from vschema.codegen._naming import SchemaNames, schema_names, zod_schema_name
from vschema.codegen._shared import SharedRefs, shared_subtrees
from vschema.codegen._templates import render
from vschema.codegen._typescript import OPEN_ROW_TYPE, type_expression
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
    children,
)
from vschema.validators._schema import Schema

__all__ = ["schema_expression", "zod"]

_SYSTEM_FIELDS = ("_id", "_creationTime")
#: Properties every JavaScript object inherits from ``Object.prototype``. Zod asks ``key in
#: input`` of each field, so an absent optional field of one of these names would be found
#: (``toString``, a function): such objects are parsed from a copy with no prototype (`zOwn`).
_INHERITED = frozenset(
    {
        "__defineGetter__",
        "__defineSetter__",
        "__lookupGetter__",
        "__lookupSetter__",
        "__proto__",
        "constructor",
        "hasOwnProperty",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "toLocaleString",
        "toString",
        "valueOf",
    }
)
_INDENT = "  "
_WIDTH = 80
#: Validators that one reference stands for (as in the TypeScript generator).
_REUSABLE = (VObject, VArray, VRecord, VUnion)
#: The helper each scalar kind is written as: constants of the template, never user text.
_SCALARS: Mapping[type[Validator], str] = {
    VString: "zString",
    VFloat64: "zFloat64",
    VInt64: "zInt64",
    VCommitTs: "zCommitTs",
    VBoolean: "z.boolean()",
    VNull: "z.null()",
    VBytes: "zBytes",
    VAny: "zAny",
}

Refs = Mapping[Validator, str]


def _reference(validator: Validator, refs: Refs) -> str | None:
    if not isinstance(validator, _REUSABLE):
        return None
    return refs.get(validator.required() if validator.is_optional else validator)


def _is_open(validator: Validator) -> bool:
    """Whether a table validator admits any object (``v.any()``, or a union with it)."""
    if isinstance(validator, VUnion):
        return any(_is_open(member) for member in validator.members)
    return isinstance(validator, VAny)


def _insertable(validator: Validator) -> Validator:
    """The table validator as Convex's insert type sees it: without a top-level ``_id`` or
    ``_creationTime`` an object declares (as ``types.ts``'s new-row type)."""
    if isinstance(validator, VObject):
        declared = [name for name in _SYSTEM_FIELDS if name in validator.fields]
        return validator.omit(*declared) if declared else validator
    if isinstance(validator, VUnion):
        members = tuple(_insertable(member) for member in validator.members)
        return (
            validator if members == validator.members else attrs.evolve(validator, members=members)
        )
    return validator


def schema_expression(
    validator: Validator, refs: Refs | None = None, depth: int = 0, *, table: str | None = None
) -> str:
    """The Zod 4 expression checking the values ``validator`` accepts.

    ``refs`` maps validators to names of schemas to use instead; ``depth`` is the indentation
    level the expression starts at. With ``table``, the schema is of that table's stored
    documents (``_id`` and ``_creationTime`` follow each object's fields). The optional flag
    of ``validator`` itself is ignored: an object field adds ``.exactOptional()``.
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
        # Any object: its type is `types.ts`'s, which no Zod combinator spells.
        return f"zOpen<{type_expression(node, table=table)}>(true)"
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
            return _SCALARS[type(node)]
        case VId(table_name=table_name):
            return f"zId({ts_str(table_name)})"
        case VLiteral():
            return _literal(node)
        case VArray(element=element):
            return f"zArray({schema_expression(element, refs, depth)})"
        case VObject(fields=fields):
            return _object(fields, refs, depth, table)
        case VRecord(key=key, value=value):
            args = [
                schema_expression(key, refs, depth + 1),
                schema_expression(value, refs, depth + 1),
            ]
            return _call("zRecord", args, depth)
        case VUnion(members=members):
            return _union(node, members, refs, depth, table)
        case _:
            assert_never(node)


def _literal(node: VLiteral) -> str:
    value = node.value
    if isinstance(value, bool):
        return f"z.literal({'true' if value else 'false'})"
    if isinstance(value, str):
        return f"z.literal({ts_str(value)})"
    if node.int64:
        return f"z.literal({ts_bigint(int(value))})"
    if value == 0:
        # Zod compares literals as `Set.has` does, where -0 is 0; Convex tells them apart.
        return "zNegativeZero" if js_number(value) == "-0" else "zZero"
    return f"z.literal({js_number(value)})"


def _object(fields: FieldMap, refs: Refs, depth: int, table: str | None) -> str:
    pad = _INDENT * (depth + 1)
    lines = []
    declared: dict[str, str] = {}
    for name, field in fields.items():
        text = schema_expression(field, refs, depth + 1)
        if table is not None and name in _SYSTEM_FIELDS:
            # `types.ts` intersects a declared system field with the system type.
            declared[name] = text
            continue
        if field.is_optional:
            text += ".exactOptional()"
        lines.append(f"{pad}{js_key(name)}: {text},")
    if table is not None:
        system = {"_id": f"zId({ts_str(table)})", "_creationTime": "zFloat64"}
        for name in _SYSTEM_FIELDS:
            text = system[name]
            if name in declared:
                text = f"z.intersection({text}, {declared[name]})"
            lines.append(f"{pad}{name}: {text},")
    if not lines:
        # `z.strictObject({})` infers `Record<string, never>`; Convex's type is `{}`.
        return "zEmpty"
    text = "z.strictObject({\n" + "\n".join(lines) + "\n" + _INDENT * depth + "})"
    return f"zOwn({text})" if _INHERITED.intersection(fields) else text


def _tag(members: tuple[Validator, ...]) -> str | None:
    """The field every member (an object) holds as a required literal of its own value: the
    key of a ``z.discriminatedUnion``; ``None`` when there is none."""
    if len(members) < 2 or not all(
        isinstance(m, VObject) and not _INHERITED.intersection(m.fields) for m in members
    ):
        return None  # (a `zOwn` object is no ZodObject, which a discriminated union needs)
    objects = [m for m in members if isinstance(m, VObject)]
    for name in objects[0].fields:
        values = []
        for member in objects:
            field = member.fields.get(name)
            # String tags only: Zod keys its map by value, where 0 and -0 (or 0 and 0n) meet.
            if not isinstance(field, VLiteral) or field.is_optional:
                break
            if not isinstance(field.value, str):
                break
            values.append(field.value)
        else:
            if len(set(values)) == len(values):
                return name
    return None


def _union(
    node: VUnion, members: tuple[Validator, ...], refs: Refs, depth: int, table: str | None
) -> str:
    if not members:
        return "z.never()"
    if len(members) == 1:
        return schema_expression(members[0], refs, depth, table=table)
    if table is None and all(isinstance(m, VLiteral) and isinstance(m.value, str) for m in members):
        strings = [ts_str(str(m.value)) for m in members if isinstance(m, VLiteral)]
        if len(set(strings)) == len(strings):
            return f"z.enum({_list(strings, depth)})"
    if table is None and len(members) == 2 and isinstance(members[1], VNull):
        return f"{schema_expression(members[0], refs, depth)}.nullable()"
    # `z.union([` and `])` frame the members, one a line when they do not fit on one.
    texts = [schema_expression(m, refs, depth + 1, table=table) for m in members]
    tag = _tag(members)
    if tag is not None:
        return f"z.discriminatedUnion({ts_str(tag)}, {_list(texts, depth)})"
    return f"z.union({_list(texts, depth)})"


def _fits(text: str, depth: int) -> bool:
    return "\n" not in text and len(_INDENT) * depth + len(text) <= _WIDTH


def _list(items: list[str], depth: int) -> str:
    """``[a, b]`` on one line when it fits, else one item a line (at ``depth + 1``)."""
    inline = "[" + ", ".join(items) + "]"
    if _fits(inline, depth):
        return inline
    pad = _INDENT * (depth + 1)
    return "[\n" + "".join(f"{pad}{item},\n" for item in items) + _INDENT * depth + "]"


def _call(function: str, args: list[str], depth: int) -> str:
    """``function(args)`` on one line when it fits, else one argument a line."""
    inline = f"{function}({', '.join(args)})"
    if _fits(inline, depth):
        return inline
    pad = _INDENT * (depth + 1)
    return f"{function}(\n" + "".join(f"{pad}{arg},\n" for arg in args) + _INDENT * depth + ")"


def _helpers(schema: Schema, roots: list[Validator]) -> frozenset[str]:
    """The file's helpers some schema uses (an unused one would fail ``noUnusedLocals``).

    Each distinct node is visited once, however often a tree reuses it.
    """
    used: set[str] = set()
    seen: set[Validator] = set()
    stack = list(roots)
    while stack:
        node = as_node(stack.pop())
        if node in seen:
            continue
        seen.add(node)
        stack.extend(children(node))
        match node:
            case VLiteral(value=value, int64=int64):
                if not isinstance(value, (bool, str)) and not int64 and value == 0:
                    used.add("zNegativeZero" if js_number(value) == "-0" else "zZero")
            case VId():
                used.add("zId")
            case VArray():
                used.add("zArray")
            case VRecord():
                used.add("zRecord")
            case VObject(fields=fields):
                if not fields:
                    used.add("zEmpty")
                if _INHERITED.intersection(fields):
                    used.add("zOwn")
            case VBoolean() | VNull() | VUnion():
                pass
            case VString() | VFloat64() | VInt64() | VCommitTs() | VBytes() | VAny():
                used.add(_SCALARS[type(node)])
            case _:
                assert_never(node)
    for definition in schema.tables.values():
        # An open table is one `zOpen` for either schema; others have `_id` and `_creationTime`.
        used.update(("zOpen",) if _is_open(definition.validator) else ("zId", "zFloat64"))
    return frozenset(used)


# ---------------------------------------------------------------------------------------------
# The file.


def zod(
    schema: Schema,
    *,
    exports: Mapping[str, Validator] | None = None,
    origin: str = "schema.py",
    command: str = "vschema codegen",
) -> str:
    """The Zod 4 module for ``schema``: a schema per table (new row and document) and per
    exported validator, named as ``types.ts`` names their types plus ``Schema``.

    ``exports`` are the validators the schema module binds to public names (in definition
    order); ``origin`` and ``command`` go into the header. Same input, same bytes.
    """
    if not isinstance(schema, Schema):
        raise TypeError(f"zod() needs a Schema from define_schema(), got {schema!r}")
    exports = dict(exports or {})
    names = schema_names(schema, exports)
    header = header_lines(origin, schema_digest(schema, exports), command)
    return _file(schema, exports, names, header)


def _file(
    schema: Schema, exports: Mapping[str, Validator], names: SchemaNames, header: list[str]
) -> str:
    named: list[dict[str, object]] = []
    claims = names.claims()
    shared_count = 0

    def define(validator: Validator) -> str:
        nonlocal shared_count
        text = schema_expression(validator, refs)
        shared_count += 1
        name = zod_schema_name(claims.name(f"Shared{shared_count}"))
        named.append({"python": "", "name": name, "source": text, "shared": True})
        return name

    # An open table's schemas are `zOpen`: its validator is not written out.
    roots = [
        *exports.values(),
        *(t.validator for t in schema.tables.values() if not _is_open(t.validator)),
    ]
    refs = SharedRefs(shared_subtrees(roots), define)
    for export, validator in exports.items():
        with refs.expanding(validator):
            text = schema_expression(validator, refs)
        if validator.is_optional:
            # The type of an optional export is `T | undefined`, as Convex's `Infer` says.
            text += ".optional()"
        name = zod_schema_name(names.exports[export].type)
        named.append({"python": export, "name": name, "source": text, "shared": False})
        if isinstance(validator, _REUSABLE) and not validator.is_optional:
            refs.setdefault(validator, name)
    rows_defined = {n.row_of for n in names.exports.values() if n.row_of is not None}
    tables: list[dict[str, object]] = []
    for table, definition in schema.tables.items():
        table_names = names.tables[table]
        validator = definition.validator
        if _is_open(validator):
            new_source = f"zOpen<{OPEN_ROW_TYPE}>(false)"
        else:
            new_source = schema_expression(_insertable(validator), refs)
        tables.append(
            {
                "name": table,
                "new": zod_schema_name(table_names.row),
                "new_source": new_source,
                "new_defined": table in rows_defined,
                "document": zod_schema_name(table_names.document),
                "document_source": schema_expression(validator, refs, table=table),
            }
        )
    # A new row is the table's validator without its declared system fields: maybe `{}`.
    rows = [_insertable(t.validator) for t in schema.tables.values() if not _is_open(t.validator)]
    helpers = _helpers(schema, [*roots, *rows])
    return render("zod.ts.j2", header=header, helpers=helpers, named=named, tables=tables)
