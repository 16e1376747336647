"""Every corner of the Python generator (the input of the ``stress_types.py`` golden file).

Keywords and shadowing field names, nested objects, objects in unions (tagged and not), IDs of
schema, system and unknown tables, records with ID keys, every scalar kind, literals Python's
``Literal`` cannot hold, the empty union, a ``v.any()`` table, and names that collide.
"""

from vschema import define_schema, define_table, v

# Exported: each becomes a named type, and the object is used by name inside tables.
address = v.object({"street": v.string(), "city": v.string(), "zip": v.optional(v.string())})
role = v.union(v.literal("admin"), v.literal("member"), v.literal('it\'s "quoted" \\ {x}'))
score = v.int64()
maybe_address = v.nullable(address)

schema = define_schema(
    {
        "users": define_table(
            {
                "name": v.string(),
                "role": role,
                "address": v.optional(address),
                "class": v.optional(v.string()),
                "age": v.optional(v.int64()),
                "avatar": v.nullable(v.bytes()),
                "balance": v.float64(),
                "active": v.boolean(),
                "meta": v.any(),
                "tags": v.array(v.string()),
                "scores": v.record(v.string(), v.int64()),
                "friends": v.record(v.id("users"), v.boolean()),
                "level": v.union(v.literal(1, int64=True), v.literal(2, int64=True)),
                "ratio": v.union(v.literal(0.5), v.literal(1)),
                "flag": v.literal(True),
                "nothing": v.null(),
            }
        ).index("by_name", ["name"]),
        "events": define_table(
            v.union(
                v.object({"kind": v.literal("email"), "to": v.string(), "user": v.id("users")}),
                v.object({"kind": v.literal("sms"), "phone": v.string()}),
            )
        ),
        "addresses": define_table(
            {
                "from": v.string(),
                "import": v.optional(v.int64()),
                "owner": v.id("users"),
                "file": v.id("_storage"),
                "history": v.array(
                    v.object(
                        {
                            "at": v.float64(),
                            "change": v.union(
                                v.object({"a": v.string()}), v.object({"b": v.int64()}), v.null()
                            ),
                        }
                    )
                ),
                "geo": v.object(
                    {"lat": v.float64(), "lng": v.float64(), "str": v.string(), "__x": v.bytes()}
                ),
                "labels": v.record(v.string(), v.object({"color": v.string()})),
                "home": address,
                "previous": maybe_address,
            }
        ),
        "statuses": define_table({"value": v.string(), "never": v.array(v.union())}),
        "logs": define_table(v.any()),
        "inquiryDocuments": define_table({"x": v.string(), "ref": v.id("elsewhere")}),
        "inquiries": define_table({"y": v.string()}),
    }
)
