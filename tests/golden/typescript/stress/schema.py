"""A schema that stresses the TypeScript generator (golden input for tests/test_typescript.py).

Every validator kind, optional and nullable fields, nested objects, a table defined as a union,
records with string and ID keys, Int64 and bytes, literals with awkward text and numbers, field
names JavaScript treats specially, names that collide after PascalCase or with the generated
file's own names, exported names JavaScript reserves, and every kind of index.
"""

from vschema import v
from vschema.validators._schema import define_schema, define_table

# Literals whose text breaks naive escaping, and numbers with awkward spellings.
awkward = v.union(
    v.literal('quote " backslash \\ done'),
    v.literal("*/ closes a comment, /* opens one"),
    v.literal("line\u2028separator\u2029paragraph"),
    v.literal("new\nline\ttab\x00nul\x7fdel"),
    v.literal("emoji 😀, accents é, rtl \u202e"),
    v.literal("${template} `backtick` </script>"),
    v.literal(""),
    v.literal(-0.0),
    v.literal(0.5),
    v.literal(-2),
    v.literal(1e21),
    v.literal(5e-324),
    v.literal(2**53),
    v.literal(5, int64=True),
    v.literal(-(2**63), int64=True),
    v.literal(2**63 - 1, int64=True),
    v.literal(True),
    v.literal(False),
)

address = v.object(
    {
        "street": v.string(),
        "zip": v.optional(v.string()),
        "geo": v.optional(v.object({"lat": v.float64(), "lng": v.float64()})),
    }
)

shape = v.union(
    v.object({"kind": v.literal("circle"), "radius": v.float64()}),
    v.object(
        {
            "kind": v.literal("rectangle"),
            "size": v.object({"width": v.float64(), "height": v.float64()}),
            "label": v.optional(v.nullable(v.string())),
        }
    ),
)

# Exported names JavaScript reserves, or that are not ASCII, or that equal generated names.
new = v.array(v.id("user_a"))
default = v.record(v.string(), v.int64())
café = v.bytes()
Record = v.object({"x": v.null()})
maybe_note = v.optional(v.string())
user_a = v.optional(v.union(v.string(), v.null()))

schema = define_schema(
    {
        "user_a": define_table(
            {
                "text": v.string(),
                "number": v.float64(),
                "count": v.int64(),
                "flag": v.boolean(),
                "nothing": v.null(),
                "blob": v.bytes(),
                "anything": v.any(),
                "friend": v.id("userA"),
                "awkward": awkward,
                "matrix": v.array(v.array(v.float64())),
                "home": address,
                "homes": v.array(address),
                "scores": v.record(v.string(), v.float64()),
                "by_friend": v.record(v.id("userA"), v.boolean()),
                "by_either": v.record(v.union(v.id("userA"), v.string()), v.array(v.bytes())),
                "maybe": v.optional(v.int64()),
                "nullable": v.nullable(v.float64()),
                "maybe_nullable": v.optional(v.nullable(v.object({"deep": v.optional(v.any())}))),
                "embedding": v.array(v.float64()),
                "__proto__": v.string(),
                "constructor": v.optional(v.boolean()),
                "class": v.literal("class"),
                "_private": v.optional(v.string()),
                "nowhere": v.union(),
                "empty": v.object({}),
                "renamed": new,
            }
        )
        .index("by_text", ["text"])
        .index("by_home_street", ["home.street", "number"])
        .index("by_count", ["count"], staged=True)
        .search_index("search_text", search_field="text", filter_fields=["flag", "home.zip"])
        .search_index("search_street", search_field="home.street", staged=True)
        .vector_index("by_embedding", vector_field="embedding", dimensions=3)
        .vector_index(
            "by_embedding_staged",
            vector_field="embedding",
            dimensions=4,
            filter_fields=["flag"],
            staged=True,
        ),
        "userA": define_table(shape).index("by_kind", ["kind"]),
        "doc": define_table({"of": v.id("doc")}),
        "id": define_table({"_id": v.string(), "_creationTime": v.optional(v.float64())}),
        "data_model": define_table(v.any()),
        "table_names": define_table({}),
        "record": define_table(Record),
        "nothing": define_table(v.union()),
    }
)
