"""Table validators, each a `v.object` of ten fields, for the schema-compile and memory rows.

Every table differs (its field names and a literal carry the table's number), so no cache can
serve one table's compiled check to another.
"""

from __future__ import annotations

from typing import Any

from vschema import VObject, define_schema, define_table, v

#: Tables in the compile-time row.
TABLES = 50
#: Tables in the memory row (the schema the issue's 8 MiB target is about).
SCHEMA_TABLES = 200


def table(i: int) -> VObject:
    return v.object(
        {
            "name": v.string(),
            f"count{i}": v.int64(),
            "ownerId": v.string(),
            "status": v.union(v.literal("draft"), v.literal("live"), v.literal(f"archived{i}")),
            "tags": v.array(v.string()),
            f"score{i}": v.optional(v.number()),
            "settings": v.object(
                {
                    "public": v.boolean(),
                    "limit": v.optional(v.int64()),
                    "theme": v.nullable(v.string()),
                }
            ),
            "items": v.array(v.object({"sku": v.string(), f"qty{i}": v.int64()})),
            "labels": v.record(v.string(), v.string()),
            "body": v.union(
                v.object({"type": v.literal("text"), "text": v.string()}),
                v.object({"type": v.literal(f"image{i}"), "width": v.float64()}),
            ),
        }
    )


def define(count: int = TABLES) -> list[VObject]:
    return [table(i) for i in range(count)]


def schema(count: int = SCHEMA_TABLES) -> Any:
    """A `define_schema` of ``count`` tables named ``t0``, ``t1``, ..."""
    return define_schema({f"t{i}": define_table(t) for i, t in enumerate(define(count))})
