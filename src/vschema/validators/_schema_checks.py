"""Every rule the Convex backend checks when a schema is pushed, with its words, in its order.

The backend checks a schema in three passes (``crates/common/src/schemas/json.rs``,
``crates/application/src/lib.rs``, ``crates/common/src/schemas/mod.rs``), and so does this
module, raising `SchemaError` at the first problem, as the backend does:

1. each table, in definition order: its document validator; its name; how many indexes it has;
   its database indexes (each index's name, field paths, field count, ``_id``, duplicate fields,
   then empty indexes, then two indexes with the same fields); its search indexes and vector
   indexes likewise; then every index name: reserved names and names used twice;
2. each table in name order: the fields of each database index in name order may not hold
   ``_creationTime`` or other ``_`` fields, and ``_creationTime`` appended must fit 16 fields;
3. when ``schema_validation`` is on, each table in name order: every indexed field must be able
   to exist in the documents, and a vector field must be able to hold an array of float64.

Messages are the backend's. Where the backend's own message does not say which table (or which
index) it is about, it gets the same ``In table "<t>": `` prefix the backend puts on most of them.

Beyond the backend's rules, `unknown_id_tables` finds what Convex accepts but is almost always a
slip: a ``v.id("user")`` in a schema whose table is ``users``. `define_schema` turns each into a
`SchemaWarning`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

import attrs

from vschema._typing import assert_never
from vschema.validators._display import convex_display, int_text, string_text
from vschema.validators._documents import without_system_fields
from vschema.validators._errors import SchemaError
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
from vschema.validators._values import identifier_error

if TYPE_CHECKING:
    from vschema.validators._schema import Index, SearchIndex, TableDefinition, VectorIndex

__all__ = [
    "MAX_FILTER_FIELDS",
    "MAX_INDEXES_PER_TABLE",
    "MAX_INDEX_FIELDS",
    "MAX_VECTOR_DIMENSIONS",
    "MIN_VECTOR_DIMENSIONS",
    "SYSTEM_TABLES",
    "SchemaWarning",
    "check_schema",
    "unknown_id_tables",
]

MAX_INDEXES_PER_TABLE = 64
#: Fields of one database index, counting the ``_creationTime`` Convex appends.
MAX_INDEX_FIELDS = 16
MAX_FILTER_FIELDS = 16
MIN_VECTOR_DIMENSIONS = 2
MAX_VECTOR_DIMENSIONS = 4096

Path = tuple[str, ...]
K = TypeVar("K", bound=Hashable)

_SCHEMA_DOCS = (
    "To learn more, see the schema documentation at https://docs.convex.dev/database/schemas."
)
_CREATION_TIME_FIELD = (
    "`_creationTime` is automatically added to the end of each index. It should not be added "
    "explicitly in the index definition. See https://docs.convex.dev/using/indexes for more "
    "details."
)
_RESERVED_FIELD = "Reserved fields (starting with `_`) are not allowed in indexes."
_ID_FIELD = "`_id` is not a valid index field. To load documents by ID, use `db.get(id)`."
_TOO_MANY_FIELDS = f"Indexes may have up to {MAX_INDEX_FIELDS} fields."
# The backend's message has a line break and indentation inside it (a Rust string literal
# continued without a backslash); kept, so the text is exactly Convex's.
_COMBINE = (
    "You should combine the\n             indexes with the same `{field}` into one index "
    "containing all `filterField`s and then use different subsets of the `filterField`s at "
    "query time."
)


@attrs.frozen
class _Parsed:
    """A table's indexes with field paths split into their components, as the backend keeps them.

    Each mapping is ordered by index name (the backend's ``BTreeMap``); staged indexes are kept
    apart from the others.
    """

    db: dict[str, tuple[Path, ...]]
    staged_db: dict[str, tuple[Path, ...]]
    search: dict[str, tuple[Path, tuple[Path, ...]]]
    staged_search: dict[str, tuple[Path, tuple[Path, ...]]]
    vector: dict[str, Path]
    staged_vector: dict[str, Path]


def check_schema(tables: Sequence[tuple[str, TableDefinition]], schema_validation: bool) -> None:
    """Raise `SchemaError` with Convex's message at the first rule the tables break."""
    parsed = [(name, table, _check_table(name, table)) for name, table in tables]
    by_name = sorted(parsed, key=lambda item: item[0])
    for name, _, found in by_name:
        _check_index_fields(name, found)
    if schema_validation:
        for name, table, found in by_name:
            _check_references(name, without_system_fields(table.validator), found)


#: Convex's system tables, which a `v.id` may name though no schema defines them
#: (``v.id("_storage")`` for a file, ``v.id("_scheduled_functions")`` for a scheduled job).
SYSTEM_TABLES = ("_scheduled_functions", "_storage")


class SchemaWarning(UserWarning):
    """A schema Convex accepts but that is almost certainly a mistake.

    `define_schema` warns when a ``v.id(...)`` names a table that is neither in the schema nor
    one of Convex's system tables (``_storage``, ``_scheduled_functions``). Silence it, where
    the table really lives elsewhere (another component), with
    ``warnings.filterwarnings("ignore", category=vschema.SchemaWarning)``.
    """


def unknown_id_tables(tables: Sequence[tuple[str, TableDefinition]]) -> list[str]:
    """One message per table name that a ``v.id`` names and neither ``tables`` nor Convex's
    system tables define, in the order the tables (then their fields) are defined.

    Each message names the first place the name is used and, when one is close, the table
    meant.
    Each distinct node is visited once (by identity): a tree may reuse one subtree on every
    level, and its unfolded size doubles with each.
    """
    known = {name for name, _ in tables} | set(SYSTEM_TABLES)
    # Unknown table name -> (table, field path) of its first use.
    found: dict[str, tuple[str, str]] = {}
    seen: set[int] = set()
    for table, definition in tables:
        # Depth-first with an explicit stack, in field order, so "first use" reads as written.
        stack: list[tuple[Validator, str]] = [(definition.validator, "")]
        while stack:
            node, path = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            below: list[tuple[Validator, str]] = []
            if isinstance(node, VId):
                if node.table_name not in known:
                    found.setdefault(node.table_name, (table, path))
            elif isinstance(node, VObject):
                below = [(field, f"{path}.{name}") for name, field in node.fields.items()]
            elif isinstance(node, VArray):
                below = [(node.element, f"{path}[]")]
            elif isinstance(node, VRecord):
                below = [(node.key, f"{path}.keys()"), (node.value, f"{path}.values()")]
            elif isinstance(node, VUnion):
                below = [(member, path) for member in node.members]
            stack.extend(reversed(below))
    candidates = sorted(known)
    messages = []
    for name, (table, path) in found.items():
        where = f'In table "{table}" at {path.lstrip(".")}' if path else f'In table "{table}"'
        message = f"{where}: v.id({string_text(name)}) names a table that is not in this schema"
        # Loaded only here: suggestions are for mistakes, and `import vschema` stays light.
        import difflib

        close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        if close:
            message += f"; did you mean v.id({string_text(close[0])})?"
        else:
            message += f" (tables in this schema: {', '.join(n for n, _ in tables)})"
        messages.append(message)
    return messages


def _in_table(table: str, message: str) -> SchemaError:
    return SchemaError(f'In table "{table}": {message}')


def _check_document_type(table: str, validator: Validator) -> None:
    if isinstance(validator, (VObject, VAny)):
        return
    found: Validator = validator
    if isinstance(validator, VUnion):
        bad = [m for m in validator.members if not isinstance(m, VObject)]
        if not bad:
            return
        # The backend names the first member that is no object, not the whole union.
        found = bad[0]
    raise _in_table(
        table,
        "The document validator in a schema must be an object, a union of objects, or "
        f"`v.any()`. Found {convex_display(found)}. {_SCHEMA_DOCS}",
    )


def _check_table(table: str, definition: TableDefinition) -> _Parsed:
    _check_document_type(table, definition.validator)
    if identifier_error(table) is not None:
        raise SchemaError(
            f'Invalid table name: "{table}". Identifiers must start with a letter and can only '
            "contain letters, digits, and underscores."
        )
    if table.startswith("_"):
        raise SchemaError(f"{table} is a reserved table name.")
    total = sum(
        map(
            len,
            (
                definition.indexes,
                definition.staged_indexes,
                definition.search_indexes,
                definition.staged_search_indexes,
                definition.vector_indexes,
                definition.staged_vector_indexes,
            ),
        )
    )
    if total > MAX_INDEXES_PER_TABLE:
        raise SchemaError(f'Table "{table}" cannot have more than {MAX_INDEXES_PER_TABLE} indexes.')

    db = _parse_group(table, definition.indexes, _parse_db_index)
    _check_not_empty(table, db, staged=False)
    staged_db = _parse_group(table, definition.staged_indexes, _parse_db_index)
    _check_not_empty(table, staged_db, staged=True)
    _check_unique(
        {**db, **staged_db},
        lambda a, b: SchemaError(
            f'In table "{table}" index "{a}" and index "{b}" have the same fields. Indexes must '
            "be unique within a table."
        ),
    )

    search = _parse_group(table, definition.search_indexes, _parse_search_index)
    staged_search = _parse_group(table, definition.staged_search_indexes, _parse_search_index)
    _check_unique(
        {name: fields[0] for name, fields in {**search, **staged_search}.items()},
        lambda a, b: SchemaError(
            f'In table "{table}" search index "{a}" and search index "{b}" have the same '
            "`searchField`. Search index fields must be unique within a table. "
            + _COMBINE.format(field="searchField")
        ),
    )

    vector = _parse_group(table, definition.vector_indexes, _parse_vector_index)
    staged_vector = _parse_group(table, definition.staged_vector_indexes, _parse_vector_index)
    _check_unique(
        {**vector, **staged_vector},
        lambda a, b: SchemaError(
            f'In table "{table}" vector index "{a}" and vector index "{b}" have the same '
            "`vectorField`. Vector index fields must be unique within a table. "
            + _COMBINE.format(field="vectorField")
        ),
    )

    _check_index_names(table, definition)
    return _Parsed(
        db,
        staged_db,
        search,
        staged_search,
        {name: path for name, (path, _) in vector.items()},
        {name: path for name, (path, _) in staged_vector.items()},
    )


IndexT = TypeVar("IndexT", "Index", "SearchIndex", "VectorIndex")
ParsedT = TypeVar("ParsedT")


def _parse_group(
    table: str, indexes: Iterable[IndexT], parse: Callable[[str, IndexT], ParsedT]
) -> dict[str, ParsedT]:
    # Like the backend's map from name to index: a later index of the same name replaces an
    # earlier one here, and the name check at the end reports the duplicate.
    parsed = {index.name: parse(table, index) for index in indexes}
    return dict(sorted(parsed.items()))


def _check_index_name(table: str, name: str) -> None:
    if identifier_error(name) is not None:
        raise _in_table(
            table,
            f'Invalid index name: "{name}". Identifiers must be 64 characters or less, start '
            "with a letter, and only contain letters, digits, underscores.",
        )


def _parse_path(table: str, index: str, path: str) -> Path:
    """A field path's components, as the backend parses them (outer dots are ignored)."""
    trimmed = path.strip(".")
    parts = tuple(trimmed.split("."))
    if not trimmed or any(identifier_error(part) is not None for part in parts):
        raise _in_table(table, f'In index "{index}": Invalid index field: "{path}"')
    return parts


def _text(path: Path) -> str:
    return ".".join(path)


def _parse_db_index(table: str, index: Index) -> tuple[Path, ...]:
    _check_index_name(table, index.name)
    paths = [_parse_path(table, index.name, field) for field in index.fields]

    def fail(message: str) -> SchemaError:
        return _in_table(table, f'In index "{index.name}": {message}')

    if len(paths) > MAX_INDEX_FIELDS:
        raise fail(_TOO_MANY_FIELDS)
    if ("_id",) in paths:
        raise fail(_ID_FIELD)
    seen: set[Path] = set()
    for path in paths:
        if path in seen:
            raise fail(
                f'Duplicate field "{_text(path)}". Index fields must be unique within an index.'
            )
        seen.add(path)
    return tuple(paths)


def _parse_filters(table: str, index: SearchIndex | VectorIndex) -> tuple[Path, ...]:
    """Filter fields as the backend keeps them: a sorted set."""
    return tuple(sorted({_parse_path(table, index.name, field) for field in index.filter_fields}))


def _check_filter_count(table: str, filters: tuple[Path, ...]) -> None:
    if len(filters) > MAX_FILTER_FIELDS:
        # The backend says "Search indexes" for vector indexes too.
        raise _in_table(table, f"Search indexes may have up to {MAX_FILTER_FIELDS} filter fields.")


def _parse_search_index(table: str, index: SearchIndex) -> tuple[Path, tuple[Path, ...]]:
    _check_index_name(table, index.name)
    search_field = _parse_path(table, index.name, index.search_field)
    filters = _parse_filters(table, index)
    _check_filter_count(table, filters)
    return search_field, filters


def _parse_vector_index(table: str, index: VectorIndex) -> tuple[Path, int]:
    _check_index_name(table, index.name)
    vector_field = _parse_path(table, index.name, index.vector_field)
    filters = _parse_filters(table, index)
    if not MIN_VECTOR_DIMENSIONS <= index.dimensions <= MAX_VECTOR_DIMENSIONS:
        raise _in_table(
            table,
            f"Dimensions {int_text(index.dimensions)} must be between {MIN_VECTOR_DIMENSIONS} and "
            f"{MAX_VECTOR_DIMENSIONS}.",
        )
    _check_filter_count(table, filters)
    return vector_field, index.dimensions


def _check_not_empty(table: str, indexes: dict[str, tuple[Path, ...]], *, staged: bool) -> None:
    for name, fields in indexes.items():
        if not fields:
            kind = "staged index" if staged else "index"
            raise SchemaError(f'In table "{table}" {kind} "{name}" must have at least one field.')


def _check_unique(keys: dict[str, K], error: Callable[[str, str], SchemaError]) -> None:
    """Two indexes (in name order) with equal ``keys`` fail, the later one named first."""
    seen: dict[K, str] = {}
    for name in sorted(keys):
        key = keys[name]
        if key in seen:
            raise error(name, seen[key])
        seen[key] = name


def _check_index_names(table: str, definition: TableDefinition) -> None:
    names = [
        *(i.name for i in definition.indexes),
        *(i.name for i in definition.staged_indexes),
        *(i.name for i in definition.search_indexes),
        *(i.name for i in definition.staged_search_indexes),
        # The backend lists staged vector indexes before the others here.
        *(i.name for i in definition.staged_vector_indexes),
        *(i.name for i in definition.vector_indexes),
    ]
    seen: set[str] = set()
    for name in names:
        # Fivetran's sync columns may name indexes; every other "_" name is Convex's.
        reserved = name in ("by_id", "by_creation_time") or name.startswith("_")
        if reserved and not name.startswith("_fivetran"):
            raise SchemaError(
                f'In table "{table}" cannot name an index "{name}" because the name is reserved. '
                'Indexes may not start with an underscore or be named "by_id" or '
                '"by_creation_time".'
            )
        if name in seen:
            raise SchemaError(f'Table "{table}" has two or more definitions of index "{name}".')
        seen.add(name)


def _check_index_fields(table: str, parsed: _Parsed) -> None:
    for indexes in (parsed.db, parsed.staged_db):
        for name, paths in indexes.items():

            def fail(message: str, index: str = name) -> SchemaError:
                return _in_table(table, f'In index "{index}": {message}')

            if ("_creationTime",) in paths:
                raise fail(_CREATION_TIME_FIELD)
            if any(part.startswith("_") for path in paths for part in path):
                raise fail(_RESERVED_FIELD)
            if len(paths) + 1 > MAX_INDEX_FIELDS:
                raise fail(_TOO_MANY_FIELDS)


def _check_references(table: str, document: Validator, parsed: _Parsed) -> None:
    referenced: list[tuple[str, Path]] = [
        *((name, path) for name, paths in parsed.db.items() for path in paths),
        *((name, path) for name, paths in parsed.staged_db.items() for path in paths),
        *((name, search) for name, (search, _) in parsed.search.items()),
        *((name, search) for name, (search, _) in parsed.staged_search.items()),
        *((name, f) for name, (_, filters) in parsed.search.items() for f in filters),
        *((name, f) for name, (_, filters) in parsed.staged_search.items() for f in filters),
    ]
    vectors = [*parsed.vector.items(), *parsed.staged_vector.items()]
    for name, path in [*referenced, *vectors]:
        # System fields exist on every document, declared or not.
        system = len(path) == 1 and path[0].startswith("_")
        if not system and not _can_contain(document, path):
            raise SchemaError(
                f'In table "{table}" the index "{name}" is invalid because it references the '
                f'field "{_text(path)}" that does not exist.'
            )
    for name, path in vectors:
        if not _can_hold_vector(document, path):
            raise SchemaError(
                f'In table "{table}" the vector index "{name}" is invalid because it references '
                f'the field "{_text(path)}" that is neither an array of float64 or optional '
                "array of float64."
            )


def _can_contain(validator: Validator, path: Path) -> bool:
    """Whether a document can ever have a field at ``path`` (backend: ``can_contain_field``)."""
    if not path:
        return True
    node = as_node(validator)
    match node:
        case VAny():
            return True
        case VUnion(members=members):
            return any(_can_contain(m, path) for m in members)
        case VObject(fields=fields):
            return path[0] in fields and _can_contain(fields[path[0]], path[1:])
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
            | VRecord()
        ):
            return False
        case _:
            assert_never(node)


def _can_hold_vector(validator: Validator, path: Path) -> bool:
    """Whether the field at ``path`` may hold an array of float64 (``overlaps_with_array_float64``).

    A field the validator does not declare counts as able to: `_can_contain` reports it first.
    """
    node = as_node(validator)
    if not path:
        return _is_vector(node)
    match node:
        case VAny():
            return True
        case VUnion(members=members):
            return any(_can_hold_vector(m, path) for m in members)
        case VObject(fields=fields):
            return path[0] not in fields or _can_hold_vector(fields[path[0]], path[1:])
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
            | VRecord()
        ):
            return False
        case _:
            assert_never(node)


def _is_vector(validator: Validator) -> bool:
    node = as_node(validator)
    match node:
        case VArray(element=element):
            return isinstance(element, (VFloat64, VAny))
        case VAny():
            return True
        case VUnion(members=members):
            return any(_is_vector(m) for m in members)
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
            | VObject()
            | VRecord()
        ):
            return False
        case _:
            assert_never(node)
