"""Fifty table validators, each a `v.object` of ten fields, for the schema-compile workload.

Every table differs (its field names and a literal carry the table's number), so no cache can
serve one table's compiled check to another. `define_schema` will take these over once it lands.
"""

from __future__ import annotations

from vschema import VObject, v

TABLES = 50


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


def define() -> list[VObject]:
    return [table(i) for i in range(TABLES)]
