"""Schemas: define_table / define_schema against Convex's own, rule by rule and byte by byte.

The corpus below is written twice, in Python and as TypeScript source for the real
``convex/server``; ONE node run evaluates every TypeScript schema (and the other Convex outputs
the tests compare with), and the tests assert vschema gives the same JSON, key order included.
Push-time rules are checked against the Convex backend's messages, which no local tool can run;
their texts come from ``crates/common/src/bootstrap_model/index/index_validation_error.rs`` and
``crates/common/src/schemas/{json,mod}.rs``.
"""

from __future__ import annotations

import base64
import json
import math
import pickle
import time
import warnings
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from node_tools import run_node_json

from vschema import Issue, SchemaError, SchemaWarning, ValidationError, Validator, v
from vschema.strategies import for_table, invalid_for_table
from vschema.validators._documents import max_nesting, without_system_fields
from vschema.validators._ids import encode_id
from vschema.validators._schema import (
    Index,
    Schema,
    SearchIndex,
    TableDefinition,
    VectorIndex,
    define_schema,
    define_table,
)
from vschema.validators._schema_checks import (
    SYSTEM_TABLES,
    _can_contain,
    _can_hold_vector,
    unknown_id_tables,
)
from vschema.validators._size import (
    MAX_DOCUMENT_SIZE,
    binary_size_text,
    convex_size,
    nesting,
)


def seed_schema() -> Schema:
    return define_schema(
        {
            "inquiries": define_table(
                {
                    "name": v.string(),
                    "email": v.string(),
                    "projectType": v.union(
                        v.literal("saas_mvp"),
                        v.literal("ai_agent"),
                        v.literal("automation"),
                        v.literal("other"),
                    ),
                    "description": v.string(),
                }
            ).index("by_email", ["email"]),
        }
    )


SEED_TS = """defineSchema({
  inquiries: defineTable({
    name: v.string(),
    email: v.string(),
    projectType: v.union(v.literal("saas_mvp"), v.literal("ai_agent"),
                         v.literal("automation"), v.literal("other")),
    description: v.string(),
  }).index("by_email", ["email"]),
})"""


@attrs.frozen
class Case:
    name: str
    python: Callable[[], Schema]
    typescript: str


def _kitchen_sink() -> Schema:
    message = v.object(
        {
            "author": v.id("users"),
            "body": v.string(),
            "tags": v.array(v.string()),
            "meta": v.optional(v.object({"lang": v.string(), "score": v.optional(v.float64())})),
            "counts": v.record(v.string(), v.int64()),
            "embedding": v.optional(v.array(v.float64())),
            "big": v.int64(),
            "flag": v.boolean(),
            "nothing": v.null(),
            "blob": v.bytes(),
            "anything": v.any(),
            "five": v.literal(5, int64=True),
            "half": v.literal(0.5),
            "yes": v.literal(True),
            "maybe": v.nullable(v.string()),
        }
    )
    return define_schema(
        {
            "users": define_table({"name": v.string(), "email": v.optional(v.string())})
            .index("by_email", ["email"])
            .index("by_name_email", ["name", "email"]),
            "messages": define_table(message)
            .index("by_author", ["author", "meta.lang"])
            .index("by_body", ["body"], staged=True)
            .search_index("search_body", search_field="body", filter_fields=["author", "flag"])
            .search_index("search_lang", search_field="meta.lang", staged=True)
            .vector_index(
                "by_embedding", vector_field="embedding", dimensions=1536, filter_fields=["author"]
            )
            .vector_index(
                "by_embedding_small", vector_field="embedding", dimensions=2, staged=True
            ),
        }
    )


KITCHEN_SINK_TS = """defineSchema({
  users: defineTable({ name: v.string(), email: v.optional(v.string()) })
    .index("by_email", ["email"])
    .index("by_name_email", ["name", "email"]),
  messages: defineTable(v.object({
      author: v.id("users"),
      body: v.string(),
      tags: v.array(v.string()),
      meta: v.optional(v.object({ lang: v.string(), score: v.optional(v.float64()) })),
      counts: v.record(v.string(), v.int64()),
      embedding: v.optional(v.array(v.float64())),
      big: v.int64(),
      flag: v.boolean(),
      nothing: v.null(),
      blob: v.bytes(),
      anything: v.any(),
      five: v.literal(5n),
      half: v.literal(0.5),
      yes: v.literal(true),
      maybe: v.nullable(v.string()),
    }))
    .index("by_author", ["author", "meta.lang"])
    .index("by_body", { fields: ["body"], staged: true })
    .searchIndex("search_body", { searchField: "body", filterFields: ["author", "flag"] })
    .searchIndex("search_lang", { searchField: "meta.lang", staged: true })
    .vectorIndex("by_embedding", { vectorField: "embedding", dimensions: 1536,
                                   filterFields: ["author"] })
    .vectorIndex("by_embedding_small", { vectorField: "embedding", dimensions: 2,
                                         staged: true }),
})"""

CORPUS = [
    Case("seed", seed_schema, SEED_TS),
    Case("empty", lambda: define_schema({}), "defineSchema({})"),
    Case(
        "options",
        lambda: define_schema(
            {"zebras": define_table({"a": v.number()}), "apes": define_table({"b": v.string()})},
            schema_validation=False,
            strict_table_name_types=False,
        ),
        """defineSchema({ zebras: defineTable({ a: v.number() }),
                         apes: defineTable({ b: v.string() }) },
                       { schemaValidation: false, strictTableNameTypes: false })""",
    ),
    Case("kitchen_sink", _kitchen_sink, KITCHEN_SINK_TS),
    Case(
        "union_and_any",
        lambda: define_schema(
            {
                "events": define_table(
                    v.union(
                        v.object({"kind": v.literal("click"), "x": v.number(), "y": v.number()}),
                        v.object({"kind": v.literal("key"), "key": v.string()}),
                    )
                )
                .index("by_kind", ["kind"])
                .index("by_key", ["key", "kind"]),
                "blobs": define_table(v.any()).index("by_anything", ["a.b.c"]),
                "nothing": define_table(v.union()),
            }
        ),
        """defineSchema({
          events: defineTable(v.union(
              v.object({ kind: v.literal("click"), x: v.number(), y: v.number() }),
              v.object({ kind: v.literal("key"), key: v.string() })))
            .index("by_kind", ["kind"])
            .index("by_key", ["key", "kind"]),
          blobs: defineTable(v.any()).index("by_anything", ["a.b.c"]),
          nothing: defineTable(v.union()),
        })""",
    ),
    Case(
        "unvalidated_references",
        lambda: define_schema(
            {
                "docs": define_table({"title": v.string()})
                .index("by_missing", ["missing", "title"])
                .vector_index("by_title", vector_field="title", dimensions=4096),
            },
            schema_validation=False,
        ),
        """defineSchema({
          docs: defineTable({ title: v.string() })
            .index("by_missing", ["missing", "title"])
            .vectorIndex("by_title", { vectorField: "title", dimensions: 4096 }),
        }, { schemaValidation: false })""",
    ),
]

SIZE_VALUES: list[Any] = [
    None,
    True,
    1.5,
    7,
    "",
    "abc",
    "é",
    "日本語",
    "😀 astral",
    "x" * 600 + "é",
    b"",
    b"\x00\x01\x02",
    [],
    {},
    [1, "a", None, [True, {"k": b"zz"}]],
    {"name": "Ada", "tags": ["a", "b"], "nested": {"deeper": {"n": 1.25}}},
]


def _convex_json(value: Any) -> Any:
    """A Python value as Convex JSON, enough for SIZE_VALUES (bytes are the only special)."""
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode()}
    if isinstance(value, list):
        return [_convex_json(item) for item in value]
    if isinstance(value, dict):
        return {key: _convex_json(item) for key, item in value.items()}
    return value


def _node_script() -> str:
    schemas = ",\n".join(f"{json.dumps(case.name)}: {case.typescript}" for case in CORPUS)
    return f"""
import {{ defineSchema, defineTable }} from "convex/server";
import {{ v, getConvexSize, jsonToConvex }} from "convex/values";
const schemas = {{ {schemas} }};
const out = {{ exports: {{}}, docs: {{}}, missingTable: null, sizes: [] }};
for (const [name, schema] of Object.entries(schemas)) {{
  out.exports[name] = schema.export();
  out.docs[name] = Object.fromEntries(
    Object.keys(schema.tables).map((t) => [t, JSON.stringify(schema.doc(t).json)]));
}}
try {{ schemas.kitchen_sink.id("nope"); }} catch (e) {{ out.missingTable = e.message; }}
for (const value of {json.dumps([_convex_json(x) for x in SIZE_VALUES])}) {{
  out.sizes.push(getConvexSize(jsonToConvex(value)));
}}
console.log(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def node() -> dict[str, Any]:
    """Everything the real convex package says, from one node run."""
    result: dict[str, Any] = run_node_json(_node_script())
    return result


def ordered(value: Any) -> Any:
    """JSON with every object as a list of (key, value) pairs, so key order counts in ``==``."""
    if isinstance(value, dict):
        return [(key, ordered(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [ordered(item) for item in value]
    return value


# ---------------------------------------------------------------------------------------------
# The corpus against Convex


@pytest.mark.parametrize("case", CORPUS, ids=lambda case: case.name)
def test_export_equals_convex(case: Case, node: dict[str, Any]) -> None:
    expected = json.loads(node["exports"][case.name])
    assert ordered(case.python().to_convex_json()) == ordered(expected)


@pytest.mark.parametrize("case", CORPUS, ids=lambda case: case.name)
def test_document_equals_convex_doc(case: Case, node: dict[str, Any]) -> None:
    schema = case.python()
    for table, expected in node["docs"][case.name].items():
        assert ordered(schema.document(table).to_convex_json()) == ordered(json.loads(expected))


@pytest.mark.parametrize("case", CORPUS, ids=lambda case: case.name)
def test_convex_json_round_trips(case: Case, node: dict[str, Any]) -> None:
    schema = case.python()
    exported = schema.to_convex_json()
    # strict_table_name_types only shapes TypeScript types, so Convex's JSON does not carry it.
    again = define_schema(exported, strict_table_name_types=schema.strict_table_name_types)
    assert again == schema
    assert ordered(again.to_convex_json()) == ordered(exported)
    from_convex = define_schema(json.loads(node["exports"][case.name]))
    assert ordered(from_convex.to_convex_json()) == ordered(exported)


def test_unknown_table_message_equals_convex(node: dict[str, Any]) -> None:
    with pytest.raises(SchemaError) as error:
        _kitchen_sink().id("nope")
    assert str(error.value) == node["missingTable"]
    assert (
        str(error.value)
        == 'Table "nope" is not in this schema. Tables in this schema: users, messages'
    )


def test_size_equals_convex(node: dict[str, Any]) -> None:
    assert [convex_size(value) for value in SIZE_VALUES] == node["sizes"]


# ---------------------------------------------------------------------------------------------
# Tables and schemas as Python objects


def test_define_table_wraps_fields_in_an_object() -> None:
    fields = {"a": v.string()}
    assert define_table(fields).validator == v.object(fields)
    validator = v.union(v.object({"a": v.string()}), v.object({"b": v.string()}))
    assert define_table(validator).validator is validator


def test_table_definitions_are_immutable() -> None:
    table = define_table({"a": v.string(), "b": v.string()})
    indexed = table.index("by_a", ["a"])
    assert table.indexes == ()
    assert indexed.indexes == (Index("by_a", ("a",)),)
    staged = indexed.index("by_b", ["b"], staged=True)
    assert staged.staged_indexes == (Index("by_b", ("b",)),)
    assert indexed.staged_indexes == ()
    searched = table.search_index("s", search_field="a", filter_fields=["b"])
    assert searched.search_indexes == (SearchIndex("s", "a", ("b",)),)
    vectors = table.vector_index("e", vector_field="a", dimensions=3, staged=True)
    assert vectors.staged_vector_indexes == (VectorIndex("e", "a", 3, ()),)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        table.validator = v.any()  # type: ignore[misc]
    assert hash(indexed) == hash(table.index("by_a", ("a",)))


def test_schema_tables_mapping_iteration_len_in() -> None:
    schema = define_schema(
        {"zoo": define_table({"a": v.string()}), "apple": define_table({"b": v.string()})}
    )
    assert list(schema) == ["zoo", "apple"]
    assert list(schema.tables) == ["zoo", "apple"]
    assert len(schema) == 2
    assert "zoo" in schema
    assert "nope" not in schema
    assert 5 not in schema
    assert schema.tables["apple"].validator == v.object({"b": v.string()})
    with pytest.raises(TypeError):
        schema.tables["x"] = define_table({})  # type: ignore[index]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        schema.schema_validation = False  # type: ignore[misc]


def test_schema_equality_hash_pickle_repr() -> None:
    schema = seed_schema()
    assert schema == seed_schema()
    assert hash(schema) == hash(seed_schema())
    schema.validate("inquiries", _seed_row())  # fill the per-table cache
    copy = pickle.loads(pickle.dumps(schema))
    assert copy == schema
    assert copy.validate("inquiries", _seed_row()) == _seed_row()
    assert repr(schema) == (
        "define_schema({inquiries: define_table(v.object({name: v.string(), email: v.string(), "
        'projectType: v.union(v.literal("saas_mvp"), v.literal("ai_agent"), '
        'v.literal("automation"), v.literal("other")), description: v.string()}))'
        '.index("by_email", ["email"])})'
    )
    options = define_schema({}, schema_validation=False, strict_table_name_types=False)
    assert repr(options) == (
        "define_schema({}, schema_validation=False, strict_table_name_types=False)"
    )
    assert options != define_schema({})


def test_table_repr_shows_every_index() -> None:
    table = (
        define_table({"a": v.string(), "e": v.array(v.float64())})
        .index("by_a", ["a"], staged=True)
        .search_index("s", search_field="a", filter_fields=["e"])
        .vector_index("v", vector_field="e", dimensions=8)
    )
    assert repr(table) == (
        "define_table(v.object({a: v.string(), e: v.array(v.float64())}))"
        '.index("by_a", ["a"], staged=True)'
        '.search_index("s", search_field="a", filter_fields=["e"])'
        '.vector_index("v", vector_field="e", dimensions=8)'
    )


def test_strict_table_name_types_is_kept_but_not_exported() -> None:
    schema = define_schema({}, strict_table_name_types=False)
    assert schema.strict_table_name_types is False
    assert schema.to_convex_json() == {"tables": [], "schemaValidation": True}


# Called through Any: these calls break the annotations on purpose, to reach the runtime checks.
_table: Any = define_table
_schema: Any = define_schema
_empty: Any = define_table({})


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: _table(5), "define_table() takes a dict of field validators or a validator"),
        (lambda: _table(v.optional(v.object({}))), "cannot be optional"),
        (lambda: _table({"a": "string"}), "field 'a' must be a validator"),
        (
            lambda: _table({"a": v.string()}).index("by_a", "a"),
            ".index('by_a'): fields must be a list of field paths like ['email'], got str 'a'",
        ),
        (lambda: _empty.index(5, ["a"]), "the name must be a str, got int 5"),
        (lambda: _empty.index("i", [1]), "each of fields must be a str, got int 1"),
        (lambda: _empty.index("i", ["a"], staged=1), "staged must be True or False"),
        (lambda: _empty.search_index("s", search_field=["a"]), "search_field must be a str"),
        (
            lambda: _empty.vector_index("v", vector_field="e", dimensions=8.0),
            "dimensions must be an int, got float 8.0",
        ),
        (
            lambda: _empty.vector_index("v", vector_field="e", dimensions=True),
            "dimensions must be an int, got bool True",
        ),
        (lambda: _schema([]), "define_schema() takes a dict of table names"),
        (lambda: _schema({"t": v.object({})}), "table 't' must be built with define_table()"),
        (lambda: _schema({1: _empty}), "each table name must be a str"),
        (
            lambda: _schema({}, schema_validation="yes"),
            "schema_validation must be True or False",
        ),
    ],
)
def test_arguments_are_checked_at_definition(make: Callable[[], object], message: str) -> None:
    with pytest.raises(SchemaError) as error:
        make()
    assert message in str(error.value)


# ---------------------------------------------------------------------------------------------
# Push-time rules, each with the backend's message


def _t(**fields: Any) -> TableDefinition:
    return define_table(fields or {"a": v.string(), "b": v.string()})


def _many(count: int, prefix: str = "f") -> list[str]:
    return [f"{prefix}{i}" for i in range(count)]


def _wide(count: int) -> TableDefinition:
    return define_table({name: v.string() for name in _many(count)})


def _indexed(table: TableDefinition, count: int) -> TableDefinition:
    """``table`` with ``count`` indexes, spread over every kind and staged or not."""
    for i in range(count):
        name = f"i{i}"
        match i % 6:
            case 0:
                table = table.index(name, [f"a.x{i}"])
            case 1:
                table = table.index(name, [f"a.x{i}"], staged=True)
            case 2:
                table = table.search_index(name, search_field=f"a.x{i}")
            case 3:
                table = table.search_index(name, search_field=f"a.x{i}", staged=True)
            case 4:
                table = table.vector_index(name, vector_field=f"a.x{i}", dimensions=2)
            case _:
                table = table.vector_index(name, vector_field=f"a.x{i}", dimensions=2, staged=True)
    return table


NAME_RULES = (
    "Identifiers must start with a letter and can only contain letters, digits, and underscores."
)
INDEX_NAME_RULES = (
    "Identifiers must be 64 characters or less, start with a letter, and only contain letters, "
    "digits, underscores."
)
RESERVED_INDEX = (
    'Indexes may not start with an underscore or be named "by_id" or "by_creation_time".'
)
CREATION_TIME = (
    "`_creationTime` is automatically added to the end of each index. It should not be added "
    "explicitly in the index definition. See https://docs.convex.dev/using/indexes for more "
    "details."
)
TOP_LEVEL = (
    "The document validator in a schema must be an object, a union of objects, or `v.any()`. "
    "Found {}. To learn more, see the schema documentation at "
    "https://docs.convex.dev/database/schemas."
)
RESERVED_FIELD = "Reserved fields (starting with `_`) are not allowed in indexes."
COMBINE = (
    "You should combine the\n             indexes with the same `{0}` into one index containing "
    "all `filterField`s and then use different subsets of the `filterField`s at query time."
)

RULES: list[tuple[str, dict[str, TableDefinition], str]] = [
    # Table names
    ("digit_table", {"1users": _t()}, f'Invalid table name: "1users". {NAME_RULES}'),
    ("dash_table", {"my-table": _t()}, f'Invalid table name: "my-table". {NAME_RULES}'),
    ("empty_table", {"": _t()}, f'Invalid table name: "". {NAME_RULES}'),
    ("underscores_table", {"___": _t()}, f'Invalid table name: "___". {NAME_RULES}'),
    ("long_table", {"t" * 65: _t()}, f'Invalid table name: "{"t" * 65}". {NAME_RULES}'),
    ("reserved_table", {"_users": _t()}, "_users is a reserved table name."),
    # Document validators
    (
        "string_table",
        {"t": define_table(v.string())},
        'In table "t": ' + TOP_LEVEL.format("v.string()"),
    ),
    (
        "record_table",
        {"t": define_table(v.record(v.string(), v.number()))},
        'In table "t": ' + TOP_LEVEL.format("v.record(v.string(), v.float64())"),
    ),
    (
        "union_member",
        {"t": define_table(v.union(v.object({"a": v.string()}), v.array(v.string())))},
        'In table "t": ' + TOP_LEVEL.format("v.array(v.string())"),
    ),
    (
        "nested_union",
        {"t": define_table(v.union(v.object({}), v.union(v.object({}))))},
        'In table "t": ' + TOP_LEVEL.format("v.union(v.object({}))"),
    ),
    # Index counts
    (
        "65_indexes",
        {"t": _indexed(_t(), 65)},
        'Table "t" cannot have more than 64 indexes.',
    ),
    # Index names
    (
        "digit_index",
        {"t": _t().index("1x", ["a"])},
        f'In table "t": Invalid index name: "1x". {INDEX_NAME_RULES}',
    ),
    (
        "dash_index",
        {"t": _t().index("by-a", ["a"])},
        f'In table "t": Invalid index name: "by-a". {INDEX_NAME_RULES}',
    ),
    (
        "long_index",
        {"t": _t().index("i" * 65, ["a"])},
        f'In table "t": Invalid index name: "{"i" * 65}". {INDEX_NAME_RULES}',
    ),
    (
        "underscore_index",
        {"t": _t().index("__", ["a"])},
        f'In table "t": Invalid index name: "__". {INDEX_NAME_RULES}',
    ),
    (
        "bad_search_name",
        {"t": _t().search_index("a b", search_field="a")},
        f'In table "t": Invalid index name: "a b". {INDEX_NAME_RULES}',
    ),
    (
        "by_id",
        {"t": _t().index("by_id", ["a"])},
        f'In table "t" cannot name an index "by_id" because the name is reserved. {RESERVED_INDEX}',
    ),
    (
        "by_creation_time",
        {"t": _t().search_index("by_creation_time", search_field="a")},
        'In table "t" cannot name an index "by_creation_time" because the name is reserved. '
        + RESERVED_INDEX,
    ),
    (
        "underscore_name",
        {"t": _t().vector_index("_x", vector_field="a", dimensions=2)},
        f'In table "t" cannot name an index "_x" because the name is reserved. {RESERVED_INDEX}',
    ),
    (
        "duplicate_db",
        {"t": _t().index("i", ["a"]).index("i", ["b"])},
        'Table "t" has two or more definitions of index "i".',
    ),
    (
        "duplicate_staged",
        {"t": _t().index("i", ["a"]).index("i", ["b"], staged=True)},
        'Table "t" has two or more definitions of index "i".',
    ),
    (
        "duplicate_across_kinds",
        {"t": _t().index("i", ["a"]).search_index("i", search_field="b")},
        'Table "t" has two or more definitions of index "i".',
    ),
    (
        "duplicate_search_vector",
        {
            "t": define_table({"a": v.string(), "e": v.array(v.float64())})
            .search_index("i", search_field="a")
            .vector_index("i", vector_field="e", dimensions=2, staged=True)
        },
        'Table "t" has two or more definitions of index "i".',
    ),
    # Index fields
    (
        "double_dot",
        {"t": _t().index("i", ["a..b"])},
        'In table "t": In index "i": Invalid index field: "a..b"',
    ),
    (
        "empty_field",
        {"t": _t().index("i", [""])},
        'In table "t": In index "i": Invalid index field: ""',
    ),
    (
        "dot_field",
        {"t": _t().index("i", ["."])},
        'In table "t": In index "i": Invalid index field: "."',
    ),
    (
        "dash_field",
        {"t": _t().index("i", ["a-b"])},
        'In table "t": In index "i": Invalid index field: "a-b"',
    ),
    (
        "bad_filter_field",
        {"t": _t().search_index("s", search_field="a", filter_fields=["1b"])},
        'In table "t": In index "s": Invalid index field: "1b"',
    ),
    (
        "bad_vector_field",
        {"t": _t().vector_index("v", vector_field="$e", dimensions=2)},
        'In table "t": In index "v": Invalid index field: "$e"',
    ),
    (
        "id_field",
        {"t": _t().index("i", ["a", "_id"])},
        'In table "t": In index "i": `_id` is not a valid index field. To load documents by ID, '
        "use `db.get(id)`.",
    ),
    (
        "creation_time_field",
        {"t": _t().index("i", ["a", "_creationTime"])},
        f'In table "t": In index "i": {CREATION_TIME}',
    ),
    (
        "reserved_field",
        {"t": _t().index("i", ["_foo"])},
        'In table "t": In index "i": ' + RESERVED_FIELD,
    ),
    (
        "reserved_nested_field",
        {"t": _t().index("i", ["a", "a._b"], staged=True)},
        'In table "t": In index "i": ' + RESERVED_FIELD,
    ),
    (
        "duplicate_field",
        {"t": _t().index("i", ["a", "b", "a"])},
        'In table "t": In index "i": Duplicate field "a". Index fields must be unique within an '
        "index.",
    ),
    (
        "duplicate_field_after_trim",
        {"t": _t().index("i", ["a", ".a."])},
        'In table "t": In index "i": Duplicate field "a". Index fields must be unique within an '
        "index.",
    ),
    (
        "16_fields",
        {"t": _wide(16).index("i", _many(16))},
        'In table "t": In index "i": Indexes may have up to 16 fields.',
    ),
    (
        "17_fields",
        {"t": _wide(17).index("i", _many(17))},
        'In table "t": In index "i": Indexes may have up to 16 fields.',
    ),
    (
        "no_fields",
        {"t": _t().index("i", [])},
        'In table "t" index "i" must have at least one field.',
    ),
    (
        "no_fields_staged",
        {"t": _t().index("i", [], staged=True)},
        'In table "t" staged index "i" must have at least one field.',
    ),
    # Identical indexes
    (
        "same_fields",
        {"t": _t().index("b_index", ["a", "b"]).index("a_index", ["a", "b"])},
        'In table "t" index "b_index" and index "a_index" have the same fields. Indexes must be '
        "unique within a table.",
    ),
    (
        "same_fields_staged",
        {"t": _t().index("x", ["a"]).index("y", [".a"], staged=True)},
        'In table "t" index "y" and index "x" have the same fields. Indexes must be unique within '
        "a table.",
    ),
    (
        "same_search_field",
        {
            "t": _t()
            .search_index("s2", search_field="a", filter_fields=["b"])
            .search_index("s1", search_field="a", staged=True)
        },
        'In table "t" search index "s2" and search index "s1" have the same `searchField`. '
        "Search index fields must be unique within a table. " + COMBINE.format("searchField"),
    ),
    (
        "same_vector_field",
        {
            "t": define_table({"e": v.array(v.float64())})
            .vector_index("v1", vector_field="e", dimensions=8)
            .vector_index("v2", vector_field="e", dimensions=8, filter_fields=["e"])
        },
        'In table "t" vector index "v2" and vector index "v1" have the same `vectorField`. '
        "Vector index fields must be unique within a table. " + COMBINE.format("vectorField"),
    ),
    # Search and vector limits
    (
        "17_filter_fields",
        {"t": _wide(17).search_index("s", search_field="f0", filter_fields=_many(17))},
        'In table "t": Search indexes may have up to 16 filter fields.',
    ),
    (
        "17_vector_filter_fields",
        {
            "t": _wide(17).vector_index(
                "v", vector_field="f0", dimensions=2, filter_fields=_many(17)
            )
        },
        'In table "t": Search indexes may have up to 16 filter fields.',
    ),
    (
        "1_dimension",
        {
            "t": define_table({"e": v.array(v.float64())}).vector_index(
                "v", vector_field="e", dimensions=1
            )
        },
        'In table "t": Dimensions 1 must be between 2 and 4096.',
    ),
    (
        "4097_dimensions",
        {
            "t": define_table({"e": v.array(v.float64())}).vector_index(
                "v", vector_field="e", dimensions=4097, staged=True
            )
        },
        'In table "t": Dimensions 4097 must be between 2 and 4096.',
    ),
    # Fields that do not exist (schema validation on)
    (
        "missing_field",
        {"t": _t().index("i", ["a", "missing"])},
        'In table "t" the index "i" is invalid because it references the field "missing" that '
        "does not exist.",
    ),
    (
        "missing_nested_field",
        {"t": define_table({"a": v.object({"b": v.string()})}).index("i", ["a.c"])},
        'In table "t" the index "i" is invalid because it references the field "a.c" that does '
        "not exist.",
    ),
    (
        "field_inside_scalar",
        {"t": _t().index("i", ["a.b"])},
        'In table "t" the index "i" is invalid because it references the field "a.b" that does '
        "not exist.",
    ),
    (
        "field_inside_record",
        {"t": define_table({"r": v.record(v.string(), v.string())}).index("i", ["r.key"])},
        'In table "t" the index "i" is invalid because it references the field "r.key" that does '
        "not exist.",
    ),
    (
        "missing_search_field",
        {"t": _t().search_index("s", search_field="body", staged=True)},
        'In table "t" the index "s" is invalid because it references the field "body" that does '
        "not exist.",
    ),
    (
        "missing_filter_field",
        {"t": _t().search_index("s", search_field="a", filter_fields=["b", "nope"])},
        'In table "t" the index "s" is invalid because it references the field "nope" that does '
        "not exist.",
    ),
    (
        "missing_vector_field",
        {"t": _t().vector_index("v", vector_field="e", dimensions=2)},
        'In table "t" the index "v" is invalid because it references the field "e" that does '
        "not exist.",
    ),
    (
        "declared_system_field_is_dropped",
        {
            "t": define_table({"_x": v.object({"y": v.string()})}).search_index(
                "s", search_field="_x.y"
            )
        },
        'In table "t" the index "s" is invalid because it references the field "_x.y" that does '
        "not exist.",
    ),
    (
        "vector_of_strings",
        {
            "t": define_table({"e": v.array(v.string())}).vector_index(
                "v", vector_field="e", dimensions=2
            )
        },
        'In table "t" the vector index "v" is invalid because it references the field "e" that is '
        "neither an array of float64 or optional array of float64.",
    ),
    (
        "vector_of_union",
        {
            "t": define_table({"e": v.array(v.union(v.float64()))}).vector_index(
                "v", vector_field="e", dimensions=2
            )
        },
        'In table "t" the vector index "v" is invalid because it references the field "e" that is '
        "neither an array of float64 or optional array of float64.",
    ),
]


@pytest.mark.parametrize(("name", "tables", "message"), RULES, ids=[r[0] for r in RULES])
def test_push_rule(name: str, tables: dict[str, TableDefinition], message: str) -> None:
    with pytest.raises(SchemaError) as error:
        define_schema(tables)
    assert str(error.value) == message


REFERENCE_RULES = [
    name for name, _, message in RULES if "is invalid because it references" in message
]


@pytest.mark.parametrize("name", REFERENCE_RULES)
def test_reference_rules_need_schema_validation(name: str) -> None:
    tables = next(tables for rule, tables, _ in RULES if rule == name)
    schema = define_schema(tables, schema_validation=False)
    assert schema.schema_validation is False


@pytest.mark.parametrize(
    "tables",
    [
        {"t": _t().index("_fivetran_synced", ["a"])},
        {"t": _wide(15).index("i", _many(15))},
        {"t": _wide(17).search_index("s", search_field="f0", filter_fields=[*_many(16), "f1"])},
        {"t": _t().index("i", [".a.", "b"])},
        {"t": _t().index("i", ["a"]).index("j", ["a", "b"]).index("k", ["b", "a"])},
        {
            "t": define_table({"e": v.array(v.float64())})
            .vector_index("small", vector_field="e", dimensions=2)
            .vector_index("large", vector_field="e", dimensions=4096)
        },
        {
            "t": define_table(v.any())
            .index("i", ["x.y.z"])
            .vector_index("v", vector_field="e", dimensions=9)
        },
        {"t": define_table({"a": v.any()}).index("i", ["a.b.c"])},
        {
            "t": define_table(
                v.union(v.object({"a": v.string()}), v.object({"b": v.object({"c": v.string()})}))
            ).index("i", ["a", "b.c"])
        },
        {
            "t": define_table(
                {"e": v.optional(v.union(v.null(), v.array(v.float64())))}
            ).vector_index("v", vector_field="e", dimensions=2)
        },
        {
            "t": define_table({"e": v.array(v.any())}).vector_index(
                "v", vector_field="e", dimensions=2
            )
        },
        {"t": define_table({"o": v.any()}).vector_index("v", vector_field="o.e", dimensions=2)},
        {"t": _t().search_index("s", search_field="_creationTime", filter_fields=["_id"])},
        {"t": define_table({"_id": v.string(), "a": v.string()}).index("i", ["a"])},
        {"t": define_table(v.union())},
        {f"t{i}": _t() for i in range(100)},
    ],
)
def test_schemas_convex_accepts(tables: dict[str, TableDefinition]) -> None:
    define_schema(tables)


def test_64_indexes_of_every_kind_are_allowed() -> None:
    table = _indexed(_t(), 64)
    assert len(table.staged_vector_indexes) == 10
    define_schema({"t": table}, schema_validation=False)


# The backend checks each table's definition in order, then index fields over tables in name
# order, then references over tables in name order; within a table, names come after fields.
ORDER: list[tuple[str, dict[str, TableDefinition], str]] = [
    (
        "document_type_before_table_name",
        {"1t": define_table(v.string())},
        'In table "1t": ' + TOP_LEVEL.format("v.string()"),
    ),
    (
        "index_name_before_field",
        {"t": _t().index("1i", ["a..b"])},
        f'In table "t": Invalid index name: "1i". {INDEX_NAME_RULES}',
    ),
    (
        "field_before_reserved_name",
        {"t": _t().index("by_id", ["a..b"])},
        'In table "t": In index "by_id": Invalid index field: "a..b"',
    ),
    (
        "empty_before_duplicate_name",
        {"t": _t().index("i", ["a"]).index("i", [])},
        'In table "t" index "i" must have at least one field.',
    ),
    (
        "db_indexes_before_search",
        {"t": _t().search_index("1s", search_field="a").index("i", [])},
        'In table "t" index "i" must have at least one field.',
    ),
    (
        "definition_order_of_tables",
        {"b": _t().index("1i", ["a"]), "a": _t().index("2i", ["a"])},
        f'In table "b": Invalid index name: "1i". {INDEX_NAME_RULES}',
    ),
    (
        "whole_definitions_before_index_fields",
        {"a": _t().index("i", ["_creationTime"]), "b": _t().index("i", ["a"]).index("i", ["b"])},
        'Table "b" has two or more definitions of index "i".',
    ),
    (
        "index_fields_in_table_name_order",
        {"b": _t().index("i", ["_creationTime"]), "a": _t().index("i", ["_x"])},
        'In table "a": In index "i": Reserved fields (starting with `_`) are not allowed in '
        "indexes.",
    ),
    (
        "index_fields_in_index_name_order",
        {"t": _t().index("z", ["_x"]).index("y", ["_creationTime"])},
        f'In table "t": In index "y": {CREATION_TIME}',
    ),
    (
        "creation_time_before_reserved",
        {"t": _t().index("i", ["_x", "_creationTime"])},
        f'In table "t": In index "i": {CREATION_TIME}',
    ),
    (
        "index_fields_before_references",
        {"a": _t().index("i", ["missing"]), "b": _t().index("i", ["_creationTime"])},
        f'In table "b": In index "i": {CREATION_TIME}',
    ),
    (
        "references_in_table_name_order",
        {"b": _t().index("i", ["nope_b"]), "a": _t().index("i", ["nope_a"])},
        'In table "a" the index "i" is invalid because it references the field "nope_a" that '
        "does not exist.",
    ),
    (
        "db_references_before_search_references",
        {"t": _t().search_index("a", search_field="s_missing").index("z", ["z_missing"])},
        'In table "t" the index "z" is invalid because it references the field "z_missing" that '
        "does not exist.",
    ),
    (
        "existence_before_vector_type",
        {
            "t": define_table({"e": v.string()})
            .vector_index("v", vector_field="e", dimensions=2)
            .search_index("s", search_field="missing")
        },
        'In table "t" the index "s" is invalid because it references the field "missing" that '
        "does not exist.",
    ),
]


@pytest.mark.parametrize(("name", "tables", "message"), ORDER, ids=[r[0] for r in ORDER])
def test_rules_come_in_convex_order(
    name: str, tables: dict[str, TableDefinition], message: str
) -> None:
    with pytest.raises(SchemaError) as error:
        define_schema(tables)
    assert str(error.value) == message


# ---------------------------------------------------------------------------------------------
# Convex JSON accepted back


def test_json_with_unknown_keys_is_refused() -> None:
    exported = seed_schema().to_convex_json()
    unknown = json.loads(json.dumps(exported))
    unknown["tables"][0]["indexes"][0]["unique"] = True
    with pytest.raises(SchemaError, match="unknown keys 'unique'"):
        define_schema(unknown)
    twice = {"tables": exported["tables"] * 2, "schemaValidation": True}
    with pytest.raises(SchemaError, match='table "inquiries": the table is defined twice'):
        define_schema(twice)
    with pytest.raises(SchemaError, match="disagrees"):
        define_schema(exported, schema_validation=False)


def test_json_input_is_checked_like_python() -> None:
    exported = seed_schema().to_convex_json()
    exported["tables"][0]["indexes"].append({"indexDescriptor": "by_id", "fields": ["name"]})
    with pytest.raises(SchemaError, match='cannot name an index "by_id"'):
        define_schema(exported)


def test_json_without_schema_validation_is_legacy_unvalidated() -> None:
    schema = define_schema({"tables": []})
    assert schema.schema_validation is False
    assert define_schema({"tables": [], "schemaValidation": True}).schema_validation is True


def test_a_table_named_tables_is_still_a_table() -> None:
    schema = define_schema({"tables": _t()})
    assert list(schema) == ["tables"]


# ---------------------------------------------------------------------------------------------
# Documents and IDs


def test_document_appends_system_fields_last() -> None:
    document = seed_schema().document("inquiries")
    assert isinstance(document, type(v.object({})))
    assert list(document.fields) == [
        "name",
        "email",
        "projectType",
        "description",
        "_id",
        "_creationTime",
    ]
    assert document.fields["_id"] == v.id("inquiries")
    assert document.fields["_creationTime"] == v.number()


def test_document_of_union_and_any_tables() -> None:
    schema = define_schema(
        {
            "u": define_table(v.union(v.object({"a": v.string()}), v.object({"b": v.string()}))),
            "x": define_table(v.any()),
        }
    )
    system = {"_id": v.id("u"), "_creationTime": v.number()}
    assert schema.document("u") == v.union(
        v.object({"a": v.string(), **system}), v.object({"b": v.string(), **system})
    )
    assert schema.document("x") == v.any()


def test_id_checks_the_table() -> None:
    schema = seed_schema()
    assert schema.id("inquiries") == v.id("inquiries")
    with pytest.raises(SchemaError) as error:
        schema.document("users")
    assert (
        str(error.value) == 'Table "users" is not in this schema. Tables in this schema: inquiries'
    )


# ---------------------------------------------------------------------------------------------
# Rows and documents

ID = encode_id(10001, bytes(range(16)))
OTHER_TABLE_ID = encode_id(5, bytes(16))


def _seed_row() -> dict[str, Any]:
    return {
        "name": "Ada",
        "email": "ada@example.com",
        "projectType": "ai_agent",
        "description": "An agent.",
    }


def _seed_document() -> dict[str, Any]:
    return {**_seed_row(), "_id": ID, "_creationTime": 1_700_000_000_000.5}


def _issues(call: Callable[[], object]) -> list[tuple[tuple[Any, ...], str, str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return [(issue.path, issue.code, issue.message) for issue in error.value.issues]


RESERVED = (
    "Field '{}' starts with an underscore, which is only allowed for system fields like '_id'"
)


def test_valid_row_is_returned_unchanged() -> None:
    row = _seed_row()
    assert seed_schema().validate("inquiries", row) is row


def test_row_with_underscore_fields() -> None:
    schema = seed_schema()
    issues = _issues(lambda: schema.validate("inquiries", {**_seed_row(), "_id": ID, "_x": 1}))
    assert issues == [
        (("_id",), "reserved_field", RESERVED.format("_id")),
        (("_x",), "reserved_field", RESERVED.format("_x")),
    ]


def test_row_issues_come_from_the_validator() -> None:
    schema = seed_schema()
    row = {**_seed_row(), "projectType": "website", "extra": 1}
    del row["email"]
    validator = schema.tables["inquiries"].validator
    stripped = dict(row)
    assert [i.code for i in validator.errors(stripped)] == [
        "missing_field",
        "literal_mismatch",
        "extra_field",
    ]
    found = _issues(lambda: schema.validate("inquiries", {**row, "_x": None}))
    assert found[0][1] == "reserved_field"
    assert [(i.path, i.code, i.message) for i in validator.errors(stripped)] == found[1:]


@pytest.mark.parametrize("row", [None, 5, "row", [_seed_row()]])
def test_row_that_is_no_object(row: object) -> None:
    issues = _issues(lambda: seed_schema().validate("inquiries", row))
    assert [code for _, code, _ in issues] == ["no_match"]


def test_row_of_an_any_table() -> None:
    schema = define_schema({"x": define_table(v.any())})
    row = {"anything": [1, {"goes": None}]}
    assert schema.validate("x", row) is row
    assert _issues(lambda: schema.validate("x", {"_x": 1, "a": 2})) == [
        (("_x",), "reserved_field", RESERVED.format("_x"))
    ]
    issues = _issues(lambda: schema.validate("x", 5))
    assert issues[0][1] == "no_match"
    assert issues[0][2].startswith("A document must be an object (a dict), got int.")
    assert [code for _, code, _ in _issues(lambda: schema.validate("x", {"$a": 1}))] == [
        "invalid_field_name"
    ]


def _nested(depth: int) -> object:
    value: object = True
    for _ in range(depth):
        value = [value]
    return value


def test_documents_nest_at_most_16_levels() -> None:
    schema = define_schema({"t": define_table({"deep": v.any()})})
    # The document object is a level of its own.
    assert schema.validate("t", {"deep": _nested(15)})
    issues = _issues(lambda: schema.validate("t", {"deep": _nested(16)}))
    assert issues == [
        ((), "too_nested", "Document is too nested (nested 17 levels deep > maximum nesting 16)")
    ]
    document = {"deep": _nested(20), "_id": encode_id(3, bytes(16)), "_creationTime": 1.0}
    assert _issues(lambda: schema.validate_document("t", document)) == [
        ((), "too_nested", "Document is too nested (nested 21 levels deep > maximum nesting 16)")
    ]


def test_documents_take_at_most_one_mebibyte() -> None:
    schema = seed_schema()
    big = {**_seed_row(), "description": "x" * 1_100_000}
    assert _issues(lambda: schema.validate("inquiries", big)) == [
        ((), "too_large", "Value is too large (1.05 MiB > maximum size 1 MiB)")
    ]
    # The row alone fits; with the smallest system fields it cannot.
    row = _seed_row()
    row["description"] = ""
    row["description"] = "x" * (MAX_DOCUMENT_SIZE - convex_size(row) - 59)
    assert convex_size(row) == MAX_DOCUMENT_SIZE - 59
    # Convex (humansize, two decimals) says "1.00 MiB > maximum size 1 MiB" here; vschema adds
    # the decimals it takes for the size to read as more than the limit.
    assert _issues(lambda: schema.validate("inquiries", row)) == [
        ((), "too_large", "Value is too large (1.000001 MiB > maximum size 1 MiB)")
    ]
    row["description"] = row["description"][:-1]
    assert schema.validate("inquiries", row) is row
    # A stored document counts its real system fields.
    document = {**row, "_id": ID, "_creationTime": 1.0}
    assert convex_size(document) == MAX_DOCUMENT_SIZE + 1
    assert [
        code for _, code, _ in _issues(lambda: schema.validate_document("inquiries", document))
    ] == ["too_large"]


def test_valid_document_is_returned_unchanged() -> None:
    document = _seed_document()
    assert seed_schema().validate_document("inquiries", document) is document


def test_document_needs_its_system_fields() -> None:
    schema = seed_schema()
    document = _seed_document()
    del document["_id"]
    issues = _issues(lambda: schema.validate_document("inquiries", document))
    assert [(path, code) for path, code, _ in issues] == [(("_id",), "missing_field")]
    assert issues[0][2].startswith("Object is missing the required field `_id`.")
    wrong = {**_seed_document(), "_id": "not-an-id", "_creationTime": "today"}
    codes = [
        (path, code)
        for path, code, _ in _issues(lambda: schema.validate_document("inquiries", wrong))
    ]
    assert codes == [(("_creationTime",), "no_match"), (("_id",), "invalid_id")]


@pytest.mark.parametrize("creation_time", [0.0, -1.0, 2.0**53, math.nan, -math.inf, 0])
@pytest.mark.parametrize("table", ["inquiries", "open"])
def test_creation_time_lies_between_zero_and_2_to_the_53(table: str, creation_time: float) -> None:
    schema = define_schema(
        {"inquiries": seed_schema().tables["inquiries"], "open": define_table(v.any())}
    )
    document = {**_seed_document(), "_creationTime": creation_time}
    if table == "open":
        document["_id"] = OTHER_TABLE_ID
    issues = _issues(lambda: schema.validate_document(table, document))
    assert [(path, code) for path, code, _ in issues] == [(("_creationTime",), "out_of_range")]
    assert "strictly between 0 and 2^53" in issues[0][2]
    # Still listed beside the other issues of the document.
    broken = {**document, "email": 1} if table == "inquiries" else {**document, "_x": 1}
    codes = {code for _, code, _ in _issues(lambda: schema.validate_document(table, broken))}
    assert "out_of_range" in codes
    assert len(codes) == 2
    for good in (1e-300, 2.0**53 - 1, 1):
        document["_creationTime"] = good
        assert schema.validate_document(table, document) is document


def test_document_with_other_underscore_fields() -> None:
    schema = seed_schema()
    document = {**_seed_document(), "_rank": 1, "_a": 2}
    assert _issues(lambda: schema.validate_document("inquiries", document)) == [
        (("_a",), "reserved_field", RESERVED.format("_a")),
        (("_rank",), "reserved_field", RESERVED.format("_rank")),
    ]


def test_document_of_an_any_table() -> None:
    schema = define_schema({"x": define_table(v.any())})
    document = {"a": [1], "_id": OTHER_TABLE_ID, "_creationTime": 2.5}
    assert schema.validate_document("x", document) is document
    issues = _issues(lambda: schema.validate_document("x", {"a": 1, "_x": 2}))
    assert [(path, code) for path, code, _ in issues] == [
        (("_x",), "reserved_field"),
        (("_creationTime",), "missing_field"),
        (("_id",), "missing_field"),
    ]
    assert [code for _, code, _ in _issues(lambda: schema.validate_document("x", [1]))] == [
        "no_match"
    ]


def test_document_of_a_union_table() -> None:
    schema = define_schema(
        {
            "events": define_table(
                v.union(
                    v.object({"kind": v.literal("click"), "x": v.number()}),
                    v.object({"kind": v.literal("key"), "key": v.string()}),
                )
            )
        }
    )
    system = {"_id": ID, "_creationTime": 1.0}
    assert schema.validate("events", {"kind": "key", "key": "a"})
    assert schema.validate_document("events", {"kind": "click", "x": 1, **system})
    issues = _issues(lambda: schema.validate_document("events", {"kind": "key", "x": 1, **system}))
    assert [(path, code) for path, code, _ in issues] == [
        (("key",), "missing_field"),
        (("x",), "extra_field"),
    ]


def test_declared_system_fields_are_dropped_like_convex() -> None:
    # The backend ignores a table validator's top-level "_" fields; so does validation.
    schema = define_schema({"t": define_table({"_id": v.string(), "a": v.string()})})
    assert schema.validate("t", {"a": "x"})
    assert schema.validate_document("t", {"a": "x", "_id": ID, "_creationTime": 1.0})
    # schema.document() is still Convex's schema.doc(): the declared field is replaced in place.
    assert list(schema.document("t").fields) == ["_id", "a", "_creationTime"]  # type: ignore[attr-defined]


def test_unknown_table_in_validate() -> None:
    schema = seed_schema()
    with pytest.raises(SchemaError, match='Table "users" is not in this schema'):
        schema.validate("users", {})
    with pytest.raises(SchemaError, match='Table "users" is not in this schema'):
        schema.validate_document("users", {})


def test_checks_are_built_once_per_table() -> None:
    schema = seed_schema()
    assert schema._table_checks("inquiries") is schema._table_checks("inquiries")
    assert schema.document("inquiries") is schema.document("inquiries")


# ---------------------------------------------------------------------------------------------
# Size and nesting


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 B"),
        (999, "999 B"),
        (1000, "1000 B"),
        (1023, "1023 B"),
        (1024, "1 KiB"),
        (5456, "5.33 KiB"),
        (1 << 20, "1 MiB"),
        ((1 << 20) + 1, "1.00 MiB"),
        (1_100_000, "1.05 MiB"),
        (32 << 20, "32 MiB"),
        (1_023_654_123_654, "953.35 GiB"),
    ],
)
def test_binary_size_text_is_humansize(size: int, text: str) -> None:
    assert binary_size_text(size) == text


def test_nesting_counts_containers() -> None:
    assert nesting(1) == 0
    assert nesting([]) == 1
    assert nesting({"a": [[{}]]}) == 4
    assert nesting(_nested(16)) == 16


# ---------------------------------------------------------------------------------------------
# The schema walks handle every node kind

KINDS: list[Validator] = [
    v.string(),
    v.float64(),
    v.int64(),
    v.commitTs(),
    v.boolean(),
    v.null(),
    v.bytes(),
    v.any(),
    v.id("users"),
    v.literal("a"),
    v.array(v.float64()),
    v.object({"a": v.optional(v.string())}),
    v.record(v.string(), v.int64()),
    v.union(v.string(), v.object({"b": v.null()})),
]


def test_kinds_cover_every_node_class() -> None:
    assert {type(kind) for kind in KINDS} == set(Validator.__subclasses__())


@pytest.mark.parametrize("kind", KINDS, ids=repr)
def test_schema_walks_handle_kind(kind: Validator) -> None:
    inside = v.object({"f": kind.optional()})
    for node in (kind, inside):
        max_nesting(node)
        without_system_fields(node)
        for path in [(), ("f",), ("f", "g")]:
            _can_contain(node, path)
            _can_hold_vector(node, path)
    depth = max_nesting(kind)
    assert max_nesting(inside) == (None if depth is None else 1 + depth)


@pytest.mark.parametrize(
    ("validator", "depth"),
    [
        (v.string(), 0),
        (v.any(), None),
        (v.array(v.array(v.string())), 2),
        (v.record(v.string(), v.object({"a": v.array(v.null())})), 3),
        (v.object({"a": v.string(), "b": v.optional(v.array(v.bytes()))}), 2),
        (v.union(v.object({}), v.array(v.array(v.null()))), 2),
        (v.object({"a": v.array(v.any())}), None),
        (v.union(), 0),
    ],
)
def test_max_nesting(validator: Validator, depth: int | None) -> None:
    assert max_nesting(validator) == depth


# ---------------------------------------------------------------------------------------------
# v.id naming a table that is not in the schema: a SchemaWarning at define_schema


def _warned(tables: dict[str, Any], **options: Any) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        define_schema(tables, **options)
    assert all(w.category is SchemaWarning for w in caught)
    return [str(w.message) for w in caught]


def test_v_id_of_a_missing_table_warns_with_the_table_meant() -> None:
    tables = {
        "users": define_table({"name": v.string()}),
        "posts": define_table({"title": v.string(), "author": v.id("user")}),
    }
    assert _warned(tables) == [
        'In table "posts" at author: v.id("user") names a table that is not in this schema; '
        'did you mean v.id("users")?'
    ]
    # A warning, not an error: Convex accepts such a schema, and so does vschema.
    assert issubclass(SchemaWarning, UserWarning)
    assert _warned(tables, schema_validation=False) == _warned(tables)


def test_without_a_close_name_the_warning_lists_the_tables() -> None:
    tables = {
        "users": define_table({"name": v.string()}),
        "posts": define_table({"x": v.id("zebras")}),
    }
    assert _warned(tables) == [
        'In table "posts" at x: v.id("zebras") names a table that is not in this schema '
        "(tables in this schema: users, posts)"
    ]


def test_known_and_system_tables_never_warn() -> None:
    tables = {
        "users": define_table(
            {
                "self": v.id("users"),
                "avatar": v.optional(v.id("_storage")),
                "job": v.nullable(v.id("_scheduled_functions")),
                "friends": v.array(v.id("users")),
                "by_post": v.record(v.id("posts"), v.id("posts")),
            }
        ),
        "posts": define_table(v.union(v.object({"a": v.id("users")}), v.object({}))),
        "open": define_table(v.any()),
    }
    assert _warned(tables) == []
    assert _warned({}) == []


def test_the_warning_names_the_place_and_each_missing_table_once() -> None:
    inner = v.object({"who": v.id("usr")})
    tables = {
        "users": define_table({"name": v.string()}),
        "events": define_table(
            v.union(
                v.object({"kind": v.literal("a"), "tags": v.array(inner)}),
                v.object({"kind": v.literal("b"), "by": v.record(v.string(), v.id("usr"))}),
            )
        ),
        "logs": define_table({"keys": v.record(v.id("storage"), v.string()), "again": inner}),
    }
    assert _warned(tables) == [
        'In table "events" at tags[].who: v.id("usr") names a table that is not in this schema; '
        'did you mean v.id("users")?',
        'In table "logs" at keys.keys(): v.id("storage") names a table that is not in this '
        'schema; did you mean v.id("_storage")?',
    ]


def test_the_warning_points_at_the_define_schema_call() -> None:
    with pytest.warns(SchemaWarning) as caught:
        define_schema({"posts": define_table({"author": v.id("users")})})
    assert caught[0].filename == __file__
    assert "test_schema.py" in caught[0].filename


def test_convex_json_with_a_missing_table_warns_too() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SchemaWarning)
        exported = define_schema({"posts": define_table({"a": v.id("post")})}).to_convex_json()
    assert _warned(exported) == [
        'In table "posts" at a: v.id("post") names a table that is not in this schema; '
        'did you mean v.id("posts")?'
    ]


def test_the_walk_visits_a_shared_subtree_once() -> None:
    # Each level uses the one below twice: 2**40 paths, 41 distinct objects.
    node = v.object({"ref": v.id("user")})
    for _ in range(40):
        node = v.object({"l": node, "r": node})
    tables = {"users": define_table({"n": v.string()}), "trees": define_table(node)}
    start = time.perf_counter()
    messages = _warned(tables)
    assert time.perf_counter() - start < 1.0
    assert messages == [
        'In table "trees" at ' + "l." * 40 + 'ref: v.id("user") names a table that is not in '
        'this schema; did you mean v.id("users")?'
    ]
    assert unknown_id_tables(tuple(tables.items())) == messages
    assert set(SYSTEM_TABLES) == {"_storage", "_scheduled_functions"}


# ---------------------------------------------------------------------------------------------
# Table-name arguments: unknown names, swapped arguments; is_valid and errors


def _users_and_posts() -> Schema:
    return define_schema(
        {
            "users": define_table({"name": v.string()}),
            "posts": define_table({"title": v.string(), "author": v.id("users")}),
        }
    )


@pytest.mark.parametrize(
    ("method", "second"),
    [
        ("validate", "row"),
        ("is_valid", "row"),
        ("errors", "row"),
        ("validate_document", "document"),
    ],
)
def test_swapped_arguments_name_the_right_call(method: str, second: str) -> None:
    schema = _users_and_posts()
    with pytest.raises(SchemaError) as error:
        getattr(schema, method)({"title": "x"}, "posts")
    assert str(error.value) == (
        f"schema.{method}(table_name, {second}): table_name must be a str naming a table, "
        f'got dict {{title: "x"}}; the arguments are swapped: write schema.{method}("posts", '
        f"{second}). Tables in this schema: users, posts"
    )


def test_swapped_json_arguments_name_the_right_call() -> None:
    schema = _users_and_posts()
    with pytest.raises(SchemaError, match=r'write schema\.validate_json\("posts", data\)\.'):
        schema.validate_json(b'{"title": "x"}', "posts")  # type: ignore[arg-type]


@pytest.mark.parametrize("method", ["validate", "is_valid", "errors", "validate_document"])
@pytest.mark.parametrize("name", [None, 3, ["posts"], {"a": 1}, b"posts"])
def test_a_table_name_that_is_no_str_is_a_schema_error(method: str, name: object) -> None:
    schema = _users_and_posts()
    with pytest.raises(SchemaError, match=r"table_name must be a str naming a table, got ") as e:
        getattr(schema, method)(name, {"title": "x"})
    assert "swapped" not in str(e.value)
    assert str(e.value).endswith(". Tables in this schema: users, posts")


def test_id_and_document_check_their_argument() -> None:
    schema = _users_and_posts()
    with pytest.raises(SchemaError, match=r"^schema\.id\(table_name\): .* got int 3\. Tables"):
        schema.id(3)  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match=r"^schema\.document\(table_name\): .* got dict"):
        schema.document({})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "method", ["validate", "is_valid", "errors", "validate_document", "validate_json", "id"]
)
def test_an_unknown_table_says_which_tables_there_are_and_the_one_meant(method: str) -> None:
    schema = _users_and_posts()
    args: tuple[object, ...] = ("post",) if method == "id" else ("post", "{}")
    with pytest.raises(SchemaError) as error:
        getattr(schema, method)(*args)
    assert str(error.value) == (
        'Table "post" is not in this schema. Tables in this schema: users, posts. '
        'Did you mean "posts"?'
    )
    with pytest.raises(SchemaError) as error:
        getattr(schema, method)("zzz", *args[1:])
    assert (
        str(error.value) == 'Table "zzz" is not in this schema. Tables in this schema: users, posts'
    )


def test_is_valid_and_errors_answer_without_raising() -> None:
    schema = _users_and_posts()
    row = {"title": "Hello", "author": encode_id(1, bytes(16))}
    assert schema.is_valid("posts", row) is True
    assert schema.errors("posts", row) == []
    assert schema.is_valid("posts", {"title": 1}) is False
    assert [(issue.path, issue.code) for issue in schema.errors("posts", {"title": 1})] == [
        (("author",), "missing_field"),
        (("title",), "no_match"),
    ]
    # What validate would raise, issue for issue.
    with pytest.raises(ValidationError) as error:
        schema.validate("posts", {"title": 1, "_id": "x"})
    assert schema.errors("posts", {"title": 1, "_id": "x"}) == list(error.value.issues)
    assert schema.errors("posts", {"title": 1, "_id": "x"})[0].code == "reserved_field"
    assert schema.is_valid("posts", [row]) is False
    assert schema.is_valid("posts", None) is False


def test_is_valid_keeps_the_document_limits() -> None:
    schema = define_schema({"open": define_table(v.any()), "text": define_table({"t": v.string()})})
    assert schema.is_valid("open", {"a": 1})
    assert not schema.is_valid("open", {"_a": 1})  # a reserved field, though v.any() takes it
    assert not schema.is_valid("open", {"a": _nested(20)})  # deeper than 16 levels
    assert not schema.is_valid("open", {f"f{i}": 1 for i in range(1023)})  # 1025 stored fields
    assert schema.is_valid("open", {f"f{i}": 1 for i in range(1022)})
    assert not schema.is_valid("text", {"t": "x" * MAX_DOCUMENT_SIZE})  # over 1 MiB
    assert schema.is_valid("text", {"t": "x" * 1000})


def _agreement_schema() -> Schema:
    return define_schema(
        {
            "inquiries": seed_schema().tables["inquiries"],
            "events": define_table(
                v.union(
                    v.object({"kind": v.literal("a"), "n": v.number()}),
                    v.object({"kind": v.literal("b"), "tags": v.array(v.string())}),
                )
            ),
            "open": define_table(v.any()),
        }
    )


_AGREEMENT = _agreement_schema()


@given(
    st.sampled_from(["inquiries", "events", "open"]).flatmap(
        lambda table: st.tuples(
            st.just(table),
            st.one_of(
                for_table(_AGREEMENT, table),
                invalid_for_table(_AGREEMENT, table).map(lambda pair: pair[0]),
            ),
        )
    )
)
def test_is_valid_and_errors_agree_with_validate(drawn: tuple[str, Any]) -> None:
    table, row = drawn
    issues: list[Issue] = []
    try:
        _AGREEMENT.validate(table, row)
    except ValidationError as error:
        issues = list(error.issues)
    assert _AGREEMENT.is_valid(table, row) is (not issues)
    assert _AGREEMENT.errors(table, row) == issues


def test_a_str_subclass_names_a_table_as_before() -> None:
    # StrEnum members (3.11+) and other str subclasses name tables, as they did before.
    class Name(str):
        pass

    schema = _users_and_posts()
    assert schema.validate(Name("users"), {"name": "Ada"}) == {"name": "Ada"}
    assert schema.is_valid(Name("users"), {"name": "Ada"})
    assert schema.id(Name("posts")) == v.id("posts")
    with pytest.raises(SchemaError, match=r'^Table "user" is not in this schema\.'):
        schema.validate(Name("user"), {})
