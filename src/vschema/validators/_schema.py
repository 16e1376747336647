"""Schemas: ``define_table`` and ``define_schema``, mirroring Convex's ``convex/server``.

A `TableDefinition` is a document validator plus indexes; a `Schema` maps table names to table
definitions. Both are immutable: ``.index()`` and friends return new objects. `define_schema`
checks every rule the Convex backend checks at push (`_schema_checks`), so a schema that would be
refused by Convex fails when the Python module that defines it is imported.

A schema then gives what the app needs at runtime: each table's document validator
(`Schema.document`, Convex's ``schema.doc``), ID validators (`Schema.id`), checks for new rows
and stored documents (`Schema.validate`, `Schema.validate_document`, in `_documents`), and the
JSON that ``schema.export()`` produces (`Schema.to_convex_json`), which `define_schema` accepts
back.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs

from vschema.validators import _nodes
from vschema.validators._builder import v
from vschema.validators._display import builder_repr, short_repr, string_text
from vschema.validators._documents import SYSTEM_FIELDS, TableChecks
from vschema.validators._errors import Issue, SchemaError
from vschema.validators._nodes import Validator, VAny, VId, VObject
from vschema.validators._schema_checks import SchemaWarning, check_schema, unknown_id_tables
from vschema.validators._schema_checks import _check_document_type as check_document_type
from vschema.validators._values import MAX_OBJECT_FIELDS

__all__ = [
    "Index",
    "Schema",
    "SchemaWarning",
    "SearchIndex",
    "TableDefinition",
    "VectorIndex",
    "define_schema",
    "define_table",
]


def _short(value: object) -> str:
    return short_repr(value)


def _text_argument(where: str, argument: str, value: object) -> str:
    if not isinstance(value, str):
        raise SchemaError(
            f"{where}: {argument} must be a str, got {type(value).__name__} {_short(value)}"
        )
    return value


def _paths_argument(where: str, argument: str, value: object) -> tuple[str, ...]:
    # A lone str is a sequence too, and `.index("by_email", "email")` a classic slip.
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise SchemaError(
            f"{where}: {argument} must be a list of field paths like ['email'], "
            f"got {type(value).__name__} {_short(value)}"
        )
    return tuple(_text_argument(where, f"each of {argument}", path) for path in value)


def _flag_argument(where: str, argument: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise SchemaError(
            f"{where}: {argument} must be True or False, got {type(value).__name__} {_short(value)}"
        )
    return value


def _list_text(items: Sequence[str]) -> str:
    return "[" + ", ".join(map(string_text, items)) + "]"


@attrs.frozen
class Index:
    """A database index: its ``name`` and the field paths it sorts by, in order.

    Convex appends ``_creationTime`` to every index; ``fields`` holds only the declared ones.
    """

    name: str
    fields: tuple[str, ...]

    def to_convex_json(self) -> dict[str, Any]:
        """The index as in Convex's schema JSON: ``{"indexDescriptor", "fields"}``."""
        return {"indexDescriptor": self.name, "fields": list(self.fields)}


@attrs.frozen
class SearchIndex:
    """A full-text search index over ``search_field``, filterable by ``filter_fields``."""

    name: str
    search_field: str
    filter_fields: tuple[str, ...] = ()

    def to_convex_json(self) -> dict[str, Any]:
        """The index as in Convex's schema JSON: ``{"indexDescriptor", "searchField", ...}``."""
        return {
            "indexDescriptor": self.name,
            "searchField": self.search_field,
            "filterFields": list(self.filter_fields),
        }


@attrs.frozen
class VectorIndex:
    """A vector index over ``vector_field`` (arrays of ``dimensions`` floats)."""

    name: str
    vector_field: str
    dimensions: int
    filter_fields: tuple[str, ...] = ()

    def to_convex_json(self) -> dict[str, Any]:
        """The index as in Convex's schema JSON: ``{"indexDescriptor", "vectorField", ...}``."""
        return {
            "indexDescriptor": self.name,
            "vectorField": self.vector_field,
            "dimensions": self.dimensions,
            "filterFields": list(self.filter_fields),
        }


@attrs.frozen(repr=False)
class TableDefinition:
    """One table: the validator of its documents and its indexes. Build it with `define_table`.

    Staged indexes (``staged=True``: built in the background, not yet queryable) are kept apart
    from the others, as Convex keeps them. ``staged_validator`` is the document validator staged
    with `staged` (Convex 1.47+), or None. Every method returns a new definition.
    """

    validator: Validator
    indexes: tuple[Index, ...] = ()
    staged_indexes: tuple[Index, ...] = ()
    search_indexes: tuple[SearchIndex, ...] = ()
    staged_search_indexes: tuple[SearchIndex, ...] = ()
    vector_indexes: tuple[VectorIndex, ...] = ()
    staged_vector_indexes: tuple[VectorIndex, ...] = ()
    staged_validator: Validator | None = None

    def staged(self, changes: Mapping[str, Validator | None] | Validator) -> TableDefinition:
        """This table with a staged document validator, as Convex's ``.staged()`` (1.47+).

        Convex checks the stored documents against the staged validator in the background,
        while the validator given to `define_table` stays the one enforced on writes; once the
        check passes, make the staged validator the table's and drop ``.staged()``.

        ``changes`` is a full validator (an object, a union of objects or ``v.any()``), or, for
        a table defined as an object or ``v.any()``, the fields to add or replace on the
        enforced ones; a field set to ``None`` (JavaScript's ``undefined``) is removed.
        """
        if self.staged_validator is not None:
            raise SchemaError(".staged(): Table cannot have more than one staged validator.")
        if isinstance(changes, Validator):
            if changes.is_optional:
                raise SchemaError(
                    f".staged(): a staged document validator cannot be optional; got {changes!r}"
                )
            return attrs.evolve(self, staged_validator=changes)
        if not isinstance(changes, Mapping):
            raise SchemaError(
                ".staged() takes a validator or a dict of field changes, "
                f"got {type(changes).__name__} {_short(changes)}"
            )
        enforced = self.validator
        if not isinstance(enforced, (VObject, VAny)):
            raise SchemaError(
                ".staged(): Specifying top-level field changes is only supported for simple "
                "table definitions. For a table defined with a union or record validator, you "
                "must stage a fully defined object or union validator."
            )
        fields: dict[str, Validator | None] = (
            dict(enforced.fields) if isinstance(enforced, VObject) else {}
        )
        for name, field in changes.items():
            _text_argument(".staged()", "each field name", name)
            if field is not None and not isinstance(field, Validator):
                raise SchemaError(
                    f".staged(): field {name!r} must be a validator or None, "
                    f"got {type(field).__name__} {_short(field)}"
                )
            fields[name] = field
        kept = {name: field for name, field in fields.items() if field is not None}
        return attrs.evolve(self, staged_validator=v.object(kept))

    def index(self, name: str, fields: Sequence[str], *, staged: bool = False) -> TableDefinition:
        """This table with a database index ``name`` over ``fields`` (field paths, in order)."""
        where = f".index({_short(name)})"
        index = Index(
            _text_argument(where, "the name", name), _paths_argument(where, "fields", fields)
        )
        if _flag_argument(where, "staged", staged):
            return attrs.evolve(self, staged_indexes=(*self.staged_indexes, index))
        return attrs.evolve(self, indexes=(*self.indexes, index))

    def search_index(
        self,
        name: str,
        *,
        search_field: str,
        filter_fields: Sequence[str] = (),
        staged: bool = False,
    ) -> TableDefinition:
        """This table with a full-text search index ``name`` over ``search_field``."""
        where = f".search_index({_short(name)})"
        index = SearchIndex(
            _text_argument(where, "the name", name),
            _text_argument(where, "search_field", search_field),
            _paths_argument(where, "filter_fields", filter_fields),
        )
        if _flag_argument(where, "staged", staged):
            return attrs.evolve(self, staged_search_indexes=(*self.staged_search_indexes, index))
        return attrs.evolve(self, search_indexes=(*self.search_indexes, index))

    def vector_index(
        self,
        name: str,
        *,
        vector_field: str,
        dimensions: int,
        filter_fields: Sequence[str] = (),
        staged: bool = False,
    ) -> TableDefinition:
        """This table with a vector index ``name`` over ``vector_field``, ``dimensions`` long."""
        where = f".vector_index({_short(name)})"
        if type(dimensions) is not int:
            raise SchemaError(
                f"{where}: dimensions must be an int, got {type(dimensions).__name__} "
                f"{_short(dimensions)}"
            )
        index = VectorIndex(
            _text_argument(where, "the name", name),
            _text_argument(where, "vector_field", vector_field),
            dimensions,
            _paths_argument(where, "filter_fields", filter_fields),
        )
        if _flag_argument(where, "staged", staged):
            return attrs.evolve(self, staged_vector_indexes=(*self.staged_vector_indexes, index))
        return attrs.evolve(self, vector_indexes=(*self.vector_indexes, index))

    def to_convex_json(self, table_name: str) -> dict[str, Any]:
        """This table's entry in Convex's schema JSON, keys in ``schema.export()``'s order."""

        def dump(indexes: tuple[Index | SearchIndex | VectorIndex, ...]) -> list[dict[str, Any]]:
            return [index.to_convex_json() for index in indexes]

        out = {
            "tableName": table_name,
            "indexes": dump(self.indexes),
            "stagedDbIndexes": dump(self.staged_indexes),
            "searchIndexes": dump(self.search_indexes),
            "stagedSearchIndexes": dump(self.staged_search_indexes),
            "vectorIndexes": dump(self.vector_indexes),
            "stagedVectorIndexes": dump(self.staged_vector_indexes),
            "documentType": self.validator.to_convex_json(),
        }
        # Convex omits the key when nothing is staged.
        if self.staged_validator is not None:
            out["stagedDocumentType"] = self.staged_validator.to_convex_json()
        return out

    def __repr__(self) -> str:
        parts = [f"define_table({builder_repr(self.validator)})"]
        for index, staged in _tagged(self.indexes, self.staged_indexes):
            parts.append(f".index({string_text(index.name)}, {_list_text(index.fields)}")
            parts.append(", staged=True)" if staged else ")")
        for search, staged in _tagged(self.search_indexes, self.staged_search_indexes):
            parts.append(
                f".search_index({string_text(search.name)}, "
                f"search_field={string_text(search.search_field)}"
            )
            if search.filter_fields:
                parts.append(f", filter_fields={_list_text(search.filter_fields)}")
            parts.append(", staged=True)" if staged else ")")
        for vector, staged in _tagged(self.vector_indexes, self.staged_vector_indexes):
            parts.append(
                f".vector_index({string_text(vector.name)}, "
                f"vector_field={string_text(vector.vector_field)}, dimensions={vector.dimensions}"
            )
            if vector.filter_fields:
                parts.append(f", filter_fields={_list_text(vector.filter_fields)}")
            parts.append(", staged=True)" if staged else ")")
        if self.staged_validator is not None:
            parts.append(f".staged({builder_repr(self.staged_validator)})")
        return "".join(parts)


#: The second argument of each `Schema` method that takes a table name first, for messages.
_SECOND_ARGUMENT = {
    "validate": "row",
    "is_valid": "row",
    "errors": "row",
    "validate_json": "data",
    "validate_document": "document",
}

#: The most fields a new row may have: its stored document adds the system fields.
_MAX_ROW_FIELDS = MAX_OBJECT_FIELDS - len(SYSTEM_FIELDS)


def _tagged(live: tuple[Any, ...], staged: tuple[Any, ...]) -> list[tuple[Any, bool]]:
    return [(index, False) for index in live] + [(index, True) for index in staged]


def define_table(fields_or_validator: Mapping[str, Validator] | Validator) -> TableDefinition:
    """A table whose documents match ``fields_or_validator``, as Convex's ``defineTable``.

    A dict of fields is wrapped in ``v.object``; a validator (an object, a union of objects, or
    ``v.any()``) is used as it is. Add indexes with ``.index()``, ``.search_index()`` and
    ``.vector_index()``.
    """
    if isinstance(fields_or_validator, Validator):
        if fields_or_validator.is_optional:
            raise SchemaError(
                "define_table(): a table's document validator cannot be optional; "
                f"got {fields_or_validator!r}"
            )
        return TableDefinition(fields_or_validator)
    if isinstance(fields_or_validator, Mapping):
        return TableDefinition(v.object(fields_or_validator))
    raise SchemaError(
        "define_table() takes a dict of field validators or a validator, "
        f"got {type(fields_or_validator).__name__} {_short(fields_or_validator)}"
    )


@attrs.frozen(repr=False)
class Schema:
    """A checked set of tables. Build it with `define_schema`.

    ``schema.tables`` maps table names to `TableDefinition`, in definition order; iterating a
    schema gives its table names, and ``len`` and ``in`` work as on ``schema.tables``.
    """

    _tables: tuple[tuple[str, TableDefinition], ...]
    schema_validation: bool = True
    strict_table_name_types: bool = True
    _by_name: Mapping[str, TableDefinition] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )
    # Per-table document validators and compiled checks, built on first use; never compared,
    # hashed or pickled.
    _checks: dict[str, TableChecks] = attrs.field(
        init=False, eq=False, hash=False, repr=False, factory=dict
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_name", MappingProxyType(dict(self._tables)))

    @property
    def tables(self) -> Mapping[str, TableDefinition]:
        """The tables by name, in definition order (a read-only mapping)."""
        return self._by_name

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._tables)

    def __contains__(self, table_name: object) -> bool:
        return table_name in self._by_name

    def _table(self, table_name: str, method: str = "id", other: object = None) -> TableDefinition:
        """The table ``table_name``, or a `SchemaError` naming the tables. ``method`` is the
        caller's name, and ``other`` its other argument, to spot swapped arguments."""
        table = self._by_name.get(table_name) if isinstance(table_name, str) else None
        if table is None:
            raise SchemaError(self._unknown_table(table_name, method, other))
        return table

    def _unknown_table(self, table_name: object, method: str, other: object) -> str:
        names = ", ".join(self._by_name) or "none"
        if not isinstance(table_name, str):
            second = _SECOND_ARGUMENT.get(method)
            call = f"schema.{method}(table_name{', ' + second if second else ''})"
            message = (
                f"{call}: table_name must be a str naming a table, "
                f"got {type(table_name).__name__} {_short(table_name)}"
            )
            if second and isinstance(other, str) and other in self._by_name:
                message += (
                    f"; the arguments are swapped: write "
                    f"schema.{method}({string_text(other)}, {second})"
                )
            return f"{message}. Tables in this schema: {names}"
        # Convex's own message (its schema.id says exactly this), then the name probably meant.
        message = f'Table "{table_name}" is not in this schema. Tables in this schema: {names}'
        # Loaded only here: suggestions are for mistakes, and `import vschema` stays light.
        import difflib

        close = difflib.get_close_matches(table_name, list(self._by_name), n=1, cutoff=0.6)
        return f"{message}. Did you mean {string_text(close[0])}?" if close else message

    def _table_checks(
        self, table_name: str, method: str = "validate", other: object = None
    ) -> TableChecks:
        checks = self._checks.get(table_name) if isinstance(table_name, str) else None
        if checks is None:
            validator = self._table(table_name, method, other).validator
            checks = TableChecks.build(table_name, validator)
            self._checks[table_name] = checks
        return checks

    def document(self, table_name: str) -> Validator:
        """The validator of a stored document of ``table_name``, as Convex's ``schema.doc``.

        The table's validator with ``_id: v.id(table_name)`` and ``_creationTime: v.number()``
        appended (to each member of a union); a ``v.any()`` table's validator unchanged.
        """
        return self._table_checks(table_name, "document").schema_doc

    def id(self, table_name: str) -> VId:
        """``v.id(table_name)``, for a table of this schema only (Convex's ``schema.id``)."""
        self._table(table_name, "id")
        return v.id(table_name)

    def validate(self, table_name: str, row: object) -> dict[str, Any]:
        """Return ``row`` if it can be inserted into ``table_name``; else raise `ValidationError`.

        A new row has no system fields: a top-level field starting with ``_`` is reported as
        ``reserved_field``. The row must match the table's validator, and the document it
        becomes must fit Convex's limits (16 levels of nesting, 1 MiB with the system fields).
        A ``table_name`` that is not in the schema raises `SchemaError`.
        """
        # The str check first: a dict passed as the name (arguments swapped) is unhashable.
        checks = (self._checks.get(table_name) if type(table_name) is str else None) or (
            self._table_checks(table_name, "validate", row)
        )
        return checks.validate_row(row)

    def is_valid(self, table_name: str, row: object) -> bool:
        """Whether `validate` would accept ``row`` as a new row of ``table_name``.

        The fast path: one compiled check and the size walk, no exception, no issue built.
        """
        checks = (self._checks.get(table_name) if type(table_name) is str else None) or (
            self._table_checks(table_name, "is_valid", row)
        )
        return checks.is_valid_row(row)

    def is_valid_document(self, table_name: str, document: object) -> bool:
        """Whether `validate_document` would accept ``document`` as a stored document of
        ``table_name``, without raising."""
        checks = (self._checks.get(table_name) if type(table_name) is str else None) or (
            self._table_checks(table_name, "is_valid_document", document)
        )
        return checks.is_valid_document(document)

    def errors(self, table_name: str, row: object) -> list[Issue]:
        """Every issue `validate` would raise for ``row`` as a new row of ``table_name``, in
        Convex's order; empty when the row is valid."""
        checks = (self._checks.get(table_name) if type(table_name) is str else None) or (
            self._table_checks(table_name, "errors", row)
        )
        return checks.row_issues(row)

    def validate_json(
        self, table_name: str, data: str | bytes | bytearray | memoryview
    ) -> dict[str, Any]:
        """`validate` for a new row sent as JSON text (a request body): parse, then check.

        Text that is not standard JSON (UTF-8 when bytes, no ``NaN``) is one issue with code
        ``invalid_encoding``.
        """
        # The table first: a wrong name is the caller's mistake, whatever the body holds.
        checks = (self._checks.get(table_name) if type(table_name) is str else None) or (
            self._table_checks(table_name, "validate_json", data)
        )
        # `_nodes`' parser, loaded on the first call (not when a schema is defined).
        return checks.validate_row(_nodes._parse_json(data))

    def validate_document(self, table_name: str, document: object) -> dict[str, Any]:
        """Return ``document`` if it is a valid stored document of ``table_name``; else raise.

        A stored document has ``_id`` (an ID of this table) and ``_creationTime``, matches the
        table's validator, nests at most 16 levels and takes at most 1 MiB.
        """
        checks = (self._checks.get(table_name) if type(table_name) is str else None) or (
            self._table_checks(table_name, "validate_document", document)
        )
        return checks.validate_document(document)

    def to_convex_json(self) -> dict[str, Any]:
        """Exactly the JSON of Convex's ``schema.export()``, keys in its order.

        ``strict_table_name_types`` only changes TypeScript types, so Convex does not export it.
        """
        return {
            "tables": [table.to_convex_json(name) for name, table in self._tables],
            "schemaValidation": self.schema_validation,
        }

    def __reduce__(self) -> tuple[Any, ...]:
        return (Schema, (self._tables, self.schema_validation, self.strict_table_name_types))

    def __repr__(self) -> str:
        tables = ", ".join(f"{name}: {table!r}" for name, table in self._tables)
        options = "" if self.schema_validation else ", schema_validation=False"
        if not self.strict_table_name_types:
            options += ", strict_table_name_types=False"
        return f"define_schema({{{tables}}}{options})"


def define_schema(
    tables: Mapping[str, TableDefinition] | Mapping[str, Any],
    *,
    schema_validation: bool | None = None,
    strict_table_name_types: bool = True,
) -> Schema:
    """A schema of ``tables`` (name to `define_table` result), as Convex's ``defineSchema``.

    Every rule the Convex backend checks when a schema is pushed is checked here; a broken rule
    raises `SchemaError` with Convex's message. ``tables`` may also be the JSON of
    `Schema.to_convex_json` (Convex's ``schema.export()``), a dict with a ``"tables"`` list.

    ``schema_validation`` (default True) makes Convex enforce the validators on writes and check
    that indexed fields exist; with Convex JSON it defaults to the JSON's ``schemaValidation``.
    ``strict_table_name_types`` only changes generated TypeScript types.

    A ``v.id(...)`` that names a table neither in the schema nor one of Convex's system tables
    (``_storage``, ``_scheduled_functions``) gives a `SchemaWarning`, with the table probably
    meant: Convex accepts it, but it is almost always a typo (``v.id("user")`` for ``users``).
    """
    if isinstance(tables, Mapping) and isinstance(tables.get("tables"), list):
        pairs, from_json = _tables_from_json(tables)
        if schema_validation is not None and schema_validation != from_json:
            raise SchemaError(
                f"define_schema(): schema_validation={schema_validation} disagrees with the "
                f'JSON\'s "schemaValidation": {str(from_json).lower()}'
            )
        schema_validation = from_json
    else:
        pairs = _tables_argument(tables)
    validation = _flag_argument(
        "define_schema()",
        "schema_validation",
        True if schema_validation is None else schema_validation,
    )
    strict = _flag_argument("define_schema()", "strict_table_name_types", strict_table_name_types)
    check_schema(pairs, validation)
    for name, table in pairs:
        if table.staged_validator is not None:
            # The backend reads a staged validator as a document validator too.
            check_document_type(name, table.staged_validator)
    for message in unknown_id_tables(pairs):
        # stacklevel 2: the warning names the line that called define_schema.
        warnings.warn(message, SchemaWarning, stacklevel=2)
    return Schema(pairs, validation, strict)


def _tables_argument(tables: object) -> tuple[tuple[str, TableDefinition], ...]:
    if not isinstance(tables, Mapping):
        raise SchemaError(
            "define_schema() takes a dict of table names to define_table(...), "
            f"got {type(tables).__name__} {_short(tables)}"
        )
    for name, table in tables.items():
        _text_argument("define_schema()", "each table name", name)
        if not isinstance(table, TableDefinition):
            raise SchemaError(
                f"define_schema(): table {name!r} must be built with define_table(), "
                f"got {type(table).__name__} {_short(table)}"
            )
    return tuple(tables.items())


_SCHEMA_KEYS = frozenset({"tables", "schemaValidation"})
_TABLE_KEYS = frozenset(
    {
        "tableName",
        "indexes",
        "stagedDbIndexes",
        "searchIndexes",
        "stagedSearchIndexes",
        "vectorIndexes",
        "stagedVectorIndexes",
        "documentType",
        "stagedDocumentType",
    }
)


def _json_object(where: str, value: object, keys: frozenset[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise SchemaError(f"{where}: expected a JSON object, got {type(value).__name__}")
    unknown = sorted(set(value) - keys, key=str)
    if unknown:
        raise SchemaError(f"{where}: unknown keys {', '.join(map(repr, unknown))}")
    return value


def _json_list(where: str, entry: Mapping[str, Any], key: str) -> list[Any]:
    value = entry.get(key, [])
    if not isinstance(value, list):
        raise SchemaError(f'{where}: "{key}" must be a list, got {type(value).__name__}')
    return value


def _json_field(where: str, entry: Mapping[str, Any], key: str) -> Any:
    if key not in entry:
        raise SchemaError(f'{where}: missing "{key}"')
    return entry[key]


def _tables_from_json(
    schema: Mapping[str, Any],
) -> tuple[tuple[tuple[str, TableDefinition], ...], bool]:
    """Tables and ``schemaValidation`` from Convex's schema JSON."""
    _json_object("schema JSON", schema, _SCHEMA_KEYS)
    # Convex reads a schema without the key as one from before schema validation existed.
    validation = _flag_argument(
        "schema JSON", '"schemaValidation"', schema.get("schemaValidation", False)
    )
    pairs: dict[str, TableDefinition] = {}
    for position, raw in enumerate(schema["tables"]):
        entry = _json_object(f"schema JSON table {position}", raw, _TABLE_KEYS)
        name = _text_argument(
            f"schema JSON table {position}",
            '"tableName"',
            _json_field("schema JSON", entry, "tableName"),
        )
        where = f'schema JSON table "{name}"'
        if name in pairs:
            raise SchemaError(f"{where}: the table is defined twice")
        document_type = entry.get("documentType", {"type": "any"})
        table = define_table(v.from_convex_json(document_type))
        if "stagedDocumentType" in entry:
            table = table.staged(v.from_convex_json(entry["stagedDocumentType"]))
        pairs[name] = _indexes_from_json(where, entry, table)
    return tuple(pairs.items()), validation


def _indexes_from_json(
    where: str, entry: Mapping[str, Any], table: TableDefinition
) -> TableDefinition:
    db_keys = frozenset({"indexDescriptor", "fields"})
    search_keys = frozenset({"indexDescriptor", "searchField", "filterFields"})
    vector_keys = frozenset({"indexDescriptor", "vectorField", "dimensions", "filterFields"})
    for key, staged in (("indexes", False), ("stagedDbIndexes", True)):
        for raw in _json_list(where, entry, key):
            index = _json_object(f"{where} {key}", raw, db_keys)
            table = table.index(
                _json_field(where, index, "indexDescriptor"),
                _json_field(where, index, "fields"),
                staged=staged,
            )
    for key, staged in (("searchIndexes", False), ("stagedSearchIndexes", True)):
        for raw in _json_list(where, entry, key):
            index = _json_object(f"{where} {key}", raw, search_keys)
            table = table.search_index(
                _json_field(where, index, "indexDescriptor"),
                search_field=_json_field(where, index, "searchField"),
                filter_fields=index.get("filterFields", []),
                staged=staged,
            )
    for key, staged in (("vectorIndexes", False), ("stagedVectorIndexes", True)):
        for raw in _json_list(where, entry, key):
            index = _json_object(f"{where} {key}", raw, vector_keys)
            table = table.vector_index(
                _json_field(where, index, "indexDescriptor"),
                vector_field=_json_field(where, index, "vectorField"),
                dimensions=_json_field(where, index, "dimensions"),
                filter_fields=index.get("filterFields", []),
                staged=staged,
            )
    return table
