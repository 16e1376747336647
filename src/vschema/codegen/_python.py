"""The typed Python module for a schema: TypedDicts, ID types, aliases and typed parsers.

`python` renders one importable module (``templates/python.py.j2``). Per table ``inquiries``:

* ``Inquiry``, a ``TypedDict`` of a new row (the table's validator as Convex enforces it, without
  top-level ``_`` fields), and ``InquiryDocument``, a stored document (the row plus ``_id`` and
  ``_creationTime``); a table whose validator is a union of objects gets a union alias of one
  ``TypedDict`` per member for each;
* ``InquiryId = NewType("InquiryId", str)``, so an ID of one table is no ID of another;
* ``parse_inquiry`` / ``parse_inquiry_document`` (return the value typed, or raise
  ``ValidationError``) and ``is_inquiry`` / ``is_inquiry_document`` (``TypeIs``), which call the
  module's ``schema`` (``schema.validate`` / ``schema.validate_document``);
* ``ValidatedInquiry`` / ``ValidatedInquiryDocument``: ``Annotated[Inquiry, Validated(schema,
  "inquiries")]`` and the document's (`vschema.pydantic.Validated`), for FastAPI bodies and
  pydantic models checked by vschema; claimed after every other name (a clash takes a number),
  so they rename nothing. They need no pydantic to import;
* ``schema``, the schema itself, defined in the module as builder code
  (`vschema.codegen._builder_source`) that rebuilds an equal schema, so the module needs nothing
  but ``vschema`` to import: no schema file beside it, no second run of the user's module. With
  ``import_schema``, it is imported from the user's module by name instead.
* ``__vschema_tables__``, for tools such as `vschema.strategies.register_types`: per table, the
  names of the row and document ``TypedDict`` of each object its validator allows (one pair for an
  object; one per member, in order, for a union of objects; ``None`` for a ``v.any()`` member).

Every validator the schema module binds to a public name becomes a type alias
(``project_type`` gives ``ProjectType = Literal["saas_mvp", ...]``), and where the same object,
union, array or record validator appears inside a table, the field is written with that name.
A large subtree used in more than one place (`vschema.codegen._shared`) is defined once, as
``Shared1``, ``Shared2``, ... in the order the walk meets them.

Names. Tables and exported validators are named by `vschema.codegen._naming`, the same as in
``types.ts`` (``inquiries`` -> ``Inquiry``, ``InquiryDocument``, ``InquiryId``, ``parse_inquiry``;
``project_type`` -> ``ProjectType``). Nested objects are named here, after their path
(``InquiryAddress``; array elements singular or ``...Item``; record values ``...Value``; objects in
a union by a shared string-literal tag, ``EventEmail``, else by position, ``EventPayload1``),
claimed after the tables and exports as the walk meets them, under the same collision rule (a
taken name gets a number: ``User2``), so the output is deterministic.

Static types for Convex values: ``str``, ``float`` (PEP 484 lets an ``int`` pass where ``float`` is
expected, as ``v.float64()`` accepts ints up to 2**53 at runtime), ``int`` for Int64, ``bool``,
``None``, ``bytes``, ``int | CommitTsPlaceholder`` for ``v.commitTs()``, ``Any`` for
``v.any()`` (as Convex's ``any``: a recursive JSON-like alias would make every read need a
cast), ``list[T]``, ``dict[K, V]`` for records, ``Literal[...]`` for
string, boolean and Int64 literals. Python's ``Literal`` cannot hold floats, and a Float64 literal
``1`` also accepts ``1.0``, so Float64 literals are typed ``float``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

import attrs

from vschema._source import identifier_words, is_py_identifier, py_literal, py_str
from vschema._typing import assert_never
from vschema.codegen import _naming
from vschema.codegen._builder_source import BuilderSource
from vschema.codegen._header import header_lines, schema_digest
from vschema.codegen._shared import shared_subtrees
from vschema.codegen._templates import render
from vschema.validators._documents import document_validator, without_system_fields
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

__all__ = ["python", "singular"]

singular = _naming.singular

_COMPOSITE = (VObject, VUnion, VArray, VRecord)
#: The type of a ``v.any()`` table's rows and documents.
_OPEN_ROW = "dict[str, Any]"
_NAME_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# -- what the template renders ---------------------------------------------------------------


@attrs.frozen
class _Field:
    key: str
    type: str
    required: bool


@attrs.frozen
class _Definition:
    """One top-level definition: a ``TypedDict`` (class or functional form), a document
    ``TypedDict`` that extends a row, or a type alias."""

    kind: Literal["typeddict", "document", "alias"]
    name: str
    doc: str
    fields: tuple[_Field, ...] = ()
    functional: bool = False
    base: str = ""
    type: str = ""


@attrs.frozen
class _IdType:
    name: str
    table: str


@attrs.frozen
class _ValidatedType:
    """``Annotated[<row>, Validated(schema, <table>)]`` (or the document's) under ``name``."""

    name: str
    type: str
    table: str
    document: bool


@attrs.frozen
class _SchemaImport:
    """Where the generated module's ``schema`` comes from: defined in it (``embed``, the
    default), ``from module import attribute``, or a module whose name is no dotted identifier,
    imported by name."""

    kind: Literal["embed", "from", "module"]
    attribute: str = "schema"
    module: str = ""


@attrs.frozen
class _Place:
    """Where a node sits: the words nested objects there are named by, and the path for docs."""

    words: tuple[str, ...]
    where: str
    doc: str = ""

    def field(self, key: str) -> _Place:
        return _Place((*self.words, *_naming.words(key, "field")), f"{self.where}.{key}")

    def element(self) -> _Place:
        words = _naming.singular_words(self.words)
        return _Place(words if words != self.words else (*words, "Item"), f"{self.where}[]")

    def record_key(self) -> _Place:
        return _Place((*self.words, "Key"), f"{self.where}[*] (keys)")

    def record_value(self) -> _Place:
        return _Place((*self.words, "Value"), f"{self.where}[*]")

    def variant(self, words: tuple[str, ...], doc: str) -> _Place:
        return _Place((*self.words, *words), self.where, doc)

    def object_doc(self) -> str:
        return self.doc or f"The object at ``{self.where}``."


@attrs.frozen
class _Named:
    """A validator with a name of its own (a table row or an exported validator)."""

    validator: Validator
    name: str
    place: _Place
    doc: str


# -- the walk --------------------------------------------------------------------------------


def _literal_text(node: VLiteral) -> str | None:
    """The ``Literal[...]`` entry for ``node``; ``None`` for a Float64 literal (no such form)."""
    value = node.value
    if isinstance(value, bool):
        return py_literal(value)
    if isinstance(value, str):
        return py_str(value)
    if node.int64:
        return py_literal(value)
    return None


def _row_doc(table: str) -> str:
    return f"A new row of table ``{table}`` (no system fields)."


def _document_doc(table: str) -> str:
    return f"A stored document of table ``{table}``: a row with ``_id`` and ``_creationTime``."


def _export_doc(export: str, origin: str) -> str:
    return f"The validator ``{export}`` of ``{origin}``."


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _tag_words(members: list[VObject], where: str) -> list[tuple[tuple[str, ...], str]] | None:
    """Names and doc texts for object members that share a string-literal tag field."""
    if not members:
        return None
    for key in members[0].fields:
        values: list[str] = []
        for member in members:
            field = member.fields.get(key)
            if (
                not isinstance(field, VLiteral)
                or field.is_optional
                or not isinstance(field.value, str)
            ):
                break
            values.append(field.value)
        else:
            words = [tuple(identifier_words(value)) for value in values]
            pascal = {_naming.pascal(w) for w in words}
            if all(words) and len(pascal) == len(members):
                return [
                    (w, f"The object in the union at ``{where}`` whose ``{key}`` is {value!r}.")
                    for w, value in zip(words, values, strict=True)
                ]
    return None


class _Module:
    """The walk over a schema's validators, collecting the definitions the template lays out."""

    def __init__(self, schema: Schema, exports: Mapping[str, Validator], origin: str) -> None:
        self.schema = schema
        self.origin = origin
        naming = _naming.schema_names(schema, exports)
        self.names = naming.claims()
        self.definitions: list[_Definition] = []
        self.defined: set[str] = set()
        self.named: dict[Validator, _Named] = {}
        self.ids: dict[str, str] = {}
        self.typing: set[str] = set()
        self.extensions: set[str] = set()
        #: Names the module imports from ``vschema`` for its types.
        self.vschema: set[str] = set()
        self.open_tables: set[str] = set()
        #: Per table, the row and document ``TypedDict`` of each object in its validator.
        self.table_types: dict[str, list[tuple[str, str] | None]] = {}
        self.tables = list(naming.tables.values())
        for names in self.tables:
            self.ids[names.table] = names.id
            row = without_system_fields(schema.tables[names.table].validator)
            if isinstance(row, VObject) and row.required() not in self.named:
                doc = _row_doc(names.table)
                self.named[row.required()] = _Named(
                    row, names.row, _Place(names.words, names.table), doc
                )
        self.exports: list[tuple[str, str, Validator]] = []
        for export, validator in exports.items():
            self._claim_export(naming.exports[export], validator)
        rows = [without_system_fields(table.validator) for table in schema.tables.values()]
        self.shared = shared_subtrees([*rows, *exports.values()])
        self.shared_count = 0

    def _claim_export(self, names: _naming.ExportNames, validator: Validator) -> None:
        if names.row_of is not None:
            return  # the export is that table's row type already, under the same name
        self.exports.append((names.export, names.type, validator))
        key = validator.required()
        if isinstance(validator, _COMPOSITE) and key not in self.named:
            doc = _export_doc(names.export, self.origin)
            words = _naming.words(names.export, "type")
            self.named[key] = _Named(key, names.type, _Place(words, names.export), doc)

    # Each output is one walk: every node kind is handled here, ending in `assert_never`.
    def type_of(self, validator: Validator, place: _Place, *, root: bool = False) -> str:
        """The type expression for ``validator``, defining the named types it needs first."""
        node = as_node(validator)
        if not root and isinstance(node, _COMPOSITE):
            named = self.named.get(node.required()) or self._shared_name(node, place)
            if named is not None:
                return self.define(named)
        match node:
            case VString():
                return "str"
            case VFloat64():
                return "float"
            case VInt64():
                return "int"
            case VCommitTs():
                # An Int64 once committed; a write may hold the placeholder `vschema.COMMIT_TS`.
                self.vschema.add("CommitTsPlaceholder")
                return "int | CommitTsPlaceholder"
            case VBoolean():
                return "bool"
            case VNull():
                return "None"
            case VBytes():
                return "bytes"
            case VAny():
                self.typing.add("Any")
                return "Any"
            case VId(table_name=table):
                return self.id_type(table)
            case VLiteral():
                text = _literal_text(node)
                if text is None:
                    return "float"
                self.typing.add("Literal")
                return f"Literal[{text}]"
            case VArray(element=element):
                return f"list[{self.type_of(element, place.element())}]"
            case VObject():
                name = self.names.name(_naming.pascal(place.words))
                return self.typed_dict(node, name, place.object_doc(), place)
            case VRecord(key=key, value=value):
                key_type = self.type_of(key, place.record_key())
                return f"dict[{key_type}, {self.type_of(value, place.record_value())}]"
            case VUnion(members=members):
                return self.union(members, place)
            case _:
                assert_never(node)

    def _shared_name(self, node: Validator, place: _Place) -> _Named | None:
        """A name for ``node`` if it is a large subtree used more than once (`_shared`), so it
        is defined once: named by a counter, as its places have nothing in common."""
        key = node.required()
        if key not in self.shared:
            return None
        self.shared_count += 1
        name = self.names.name(f"Shared{self.shared_count}")
        doc = f"A type the schema uses in more than one place (the first: ``{place.where}``)."
        named = self.named[key] = _Named(
            key, name, _Place(_naming.words(name, "type"), place.where), doc
        )
        return named

    def define(self, named: _Named) -> str:
        """Define a named validator's type once; return its name."""
        if named.name in self.defined:
            return named.name
        self.defined.add(named.name)
        node = as_node(named.validator)
        if isinstance(node, VObject):
            return self.typed_dict(node, named.name, named.doc, named.place)
        self.alias(named.name, named.doc, self.type_of(node, named.place, root=True))
        return named.name

    def alias(self, name: str, doc: str, type_text: str) -> None:
        self.typing.add("TypeAlias")
        self.defined.add(name)
        self.definitions.append(_Definition("alias", name, doc, type=type_text))

    def typed_dict(self, node: VObject, name: str, doc: str, place: _Place) -> str:
        self.defined.add(name)
        fields = tuple(
            _Field(key, self.type_of(field, place.field(key)), not field.is_optional)
            for key, field in node.fields.items()
        )
        annotations = []
        for field in fields:
            if field.required:
                annotations.append(field.type)
            else:
                self.extensions.add("NotRequired")
                annotations.append(f"NotRequired[{field.type}]")
        # A class body can only declare fields named like plain identifiers that no annotation
        # of the class refers to (pyright reads `str: int` as shadowing `str` below it), and
        # not `__x`, which Python would mangle; any other key needs the functional form.
        used = set(_NAME_TOKEN.findall(" ".join(annotations)))
        functional = not all(
            is_py_identifier(f.key)
            and f.key not in used
            and not (f.key.startswith("__") and not f.key.endswith("__"))
            for f in fields
        )
        self.extensions.add("TypedDict")
        self.definitions.append(_Definition("typeddict", name, doc, fields, functional))
        return name

    def union(self, members: tuple[Validator, ...], place: _Place) -> str:
        """``A | B``; literal members share one ``Literal[...]`` where the first one stands."""
        places = self.member_places(members, place)
        parts: list[str] = []
        literals: list[str] = []
        literal_at: int | None = None
        for member, member_place in zip(members, places, strict=True):
            if isinstance(member, VLiteral) and (text := _literal_text(member)) is not None:
                if literal_at is None:
                    literal_at = len(parts)
                    parts.append("")
                literals.append(text)
                continue
            parts.append(self.type_of(member, member_place))
        if literal_at is not None:
            self.typing.add("Literal")
            parts[literal_at] = f"Literal[{', '.join(_unique(literals))}]"
        if not parts:
            self.extensions.add("Never")
            return "Never"
        return " | ".join(_unique(parts))

    def member_places(self, members: tuple[Validator, ...], place: _Place) -> list[_Place]:
        """Places for union members: objects that need names of their own get distinct ones."""
        objects = [m for m in members if isinstance(m, VObject) and m.required() not in self.named]
        if len(objects) < 2:
            return [place] * len(members)
        tags = _tag_words(objects, place.where)
        if tags is None:
            tags = [
                ((str(number),), f"Object {number} in the union at ``{place.where}``.")
                for number in range(1, len(objects) + 1)
            ]
        variants = iter(tags)
        places = []
        for member in members:
            if isinstance(member, VObject) and member.required() not in self.named:
                words, member_doc = next(variants)
                places.append(place.variant(words, member_doc))
            else:
                places.append(place)
        return places

    def id_type(self, table: str) -> str:
        name = self.ids.get(table)
        if name is None:
            words = _naming.singular_words(_naming.words(table, "table"))
            name = self.names.name(f"{_naming.pascal(words)}Id")
            self.ids[table] = name
        return name

    # -- tables and exports ------------------------------------------------------------------

    def table(self, names: _naming.TableNames) -> None:
        validator = self.schema.tables[names.table].validator
        document_validator(names.table, validator)  # refuses what is no table validator
        row = without_system_fields(validator)
        place = _Place(names.words, names.table)
        row_doc = _row_doc(names.table)
        document_doc = _document_doc(names.table)
        if isinstance(row, VObject):
            named = self.named[row.required()]
            if named.name == names.row:
                self.define(named)
            else:  # another table has the same validator; each table has a class of its own
                self.typed_dict(row, names.row, row_doc, place)
            self.document(names.document, document_doc, names.row, names.id)
            self.table_types[names.table] = [(names.row, names.document)]
            return
        row_parts: list[str] = []
        document_parts: list[str] = []
        types = self.table_types.setdefault(names.table, [])
        members = self._flat_members(row)
        for member, member_place in zip(members, self.member_places(members, place), strict=True):
            if isinstance(member, VAny):
                self.typing.add("Any")
                row_parts.append(_OPEN_ROW)
                document_parts.append(_OPEN_ROW)
                types.append(None)
                continue
            assert isinstance(member, VObject)  # document_validator allows nothing else
            member_type = self.type_of(member, member_place)
            member_document = self.names.name(f"{member_type}Document")
            self.document(
                member_document,
                f"A stored document of table ``{names.table}`` whose row is `{member_type}`.",
                member_type,
                names.id,
            )
            row_parts.append(member_type)
            document_parts.append(member_document)
            types.append((member_type, member_document))
        row_type = " | ".join(_unique(row_parts)) or "Never"
        if row_type == _OPEN_ROW:  # what `Schema.validate` returns already: no cast needed
            self.open_tables.add(names.table)
        self.alias(names.row, row_doc, row_type)
        self.alias(names.document, document_doc, " | ".join(_unique(document_parts)) or "Never")
        if not row_parts:
            self.extensions.add("Never")

    @staticmethod
    def _flat_members(validator: Validator) -> tuple[Validator, ...]:
        if isinstance(validator, VUnion):
            return tuple(m for member in validator.members for m in _Module._flat_members(member))
        return (validator,)

    def document(self, name: str, doc: str, base: str, id_type: str) -> None:
        self.extensions.add("TypedDict")
        fields = (_Field("_id", id_type, True), _Field("_creationTime", "float", True))
        self.definitions.append(_Definition("document", name, doc, fields, base=base))

    def export(self, export: str, name: str, validator: Validator) -> None:
        key = validator.required()
        named = self.named.get(key) if isinstance(validator, _COMPOSITE) else None
        if named is not None and named.name == name:
            self.define(named)
            return
        doc = _export_doc(export, self.origin)
        place = _Place(_naming.words(export, "type"), export)
        target = self.define(named) if named is not None else self.type_of(validator, place)
        self.alias(name, doc, target)


def _schema_import(module: str | None, attribute: str, import_schema: bool) -> _SchemaImport:
    if not import_schema:
        return _SchemaImport("embed")
    if module is None:
        raise ValueError("python(import_schema=True) needs schema_module, the module to import")
    if all(is_py_identifier(part) for part in module.split(".")) and is_py_identifier(attribute):
        return _SchemaImport("from", attribute, module=module)
    return _SchemaImport("module", attribute, module=module)


def python(
    schema: Schema,
    *,
    exports: Mapping[str, Validator] | None = None,
    origin: str,
    command: str,
    schema_module: str | None = None,
    schema_attribute: str = "schema",
    import_schema: bool = False,
) -> str:
    """The source of a typed Python module for ``schema``.

    ``exports`` are the validators the schema module binds to public names (each becomes a type
    alias); ``origin`` and ``command`` go into the header. The module stands alone: it defines
    ``schema`` itself, as builder code equal to ``schema``, and needs only ``vschema`` to
    import. With ``import_schema``, it imports ``schema_attribute`` from the module
    ``schema_module`` instead (one `Schema` object shared with the user's code, which must then
    be importable wherever the generated module is).
    """
    exports = dict(exports or {})
    module = _Module(schema, exports, origin)
    for names in module.tables:
        module.table(names)
    for export, name, validator in module.exports:
        module.export(export, name, validator)
    schema_import = _schema_import(schema_module, schema_attribute, import_schema)
    builder = BuilderSource(
        validator
        for table in schema.tables.values()
        for validator in (table.validator, table.staged_validator)
        if validator is not None
    )
    schema_code = builder.schema_expression(schema) if schema_import.kind == "embed" else ""
    ids = [_IdType(name, table) for table, name in module.ids.items()]
    # Claimed after every other name, so adding them renamed no type of earlier output.
    validated = [
        _ValidatedType(module.names.name(f"Validated{type_name}"), type_name, names.table, document)
        for names in module.tables
        for type_name, document in ((names.row, False), (names.document, True))
    ]
    typing_names = set(module.typing)
    extension_names = set(module.extensions)
    if ids:
        typing_names.add("NewType")
    vschema_names = set(module.vschema)
    if len(module.open_tables) < len(module.tables):
        typing_names.add("cast")
    if module.tables:
        extension_names.add("TypeIs")
        typing_names.update(("Annotated", "TypeAlias"))
    if schema_import.kind == "module":
        vschema_names.add("Schema")
    if schema_import.kind == "embed":
        vschema_names.update(("SchemaWarning", "define_schema", "v"))
        if schema.tables:
            vschema_names.add("define_table")
    public = [
        "schema",
        *(i.name for i in ids),
        *(d.name for d in module.definitions),
        *(t.name for t in validated),
        *(n for t in module.tables for n in (t.parse, t.parse_document, t.is_row, t.is_document)),
    ]
    digest = schema_digest(schema, exports)
    return render(
        "python.py.j2",
        header=header_lines(origin, digest, command),
        origin=origin,
        typing_names=sorted(typing_names),
        extension_names=sorted(extension_names, key=str.lower),
        vschema_names=sorted(vschema_names),
        schema_import=schema_import,
        schema_code=schema_code,
        constants=builder.constants,
        ids=ids,
        definitions=module.definitions,
        tables=module.tables,
        open_tables=module.open_tables,
        table_types=module.table_types,
        validated=validated,
        all_names=sorted(public),
    )
