"""A small in-memory database for the stateful-testing example: the code under test.

Two tables, ``users`` and ``messages``; each message names its author, a user that must exist
(as a foreign key would insist). Every write is checked with the schema, as a Convex mutation's
arguments and ``db.insert`` / ``db.patch`` are.
"""

from __future__ import annotations

from typing import Any

from vschema import define_schema, define_table, new_id, v

schema = define_schema(
    {
        "users": define_table(
            v.object({"name": v.string(), "email": v.string(), "admin": v.optional(v.boolean())})
        ),
        "messages": define_table(
            v.object(
                {
                    "author": v.id("users"),
                    "body": v.string(),
                    "tags": v.array(v.string()),
                }
            )
        ),
    }
)

#: Each table's number inside the IDs it hands out (Convex numbers a deployment's tables).
TABLE_NUMBERS = {"users": 10001, "messages": 10002}
#: Fields that hold the ID of a row of another table, which must exist.
REFERENCES = {"messages": {"author": "users"}}


class MissingReference(ValueError):
    """A row names a row that does not exist."""


class Database:
    """Rows of each table of `schema`, keyed by their IDs."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in schema.tables}

    def _check_references(self, table: str, row: dict[str, Any]) -> None:
        for field, target in REFERENCES.get(table, {}).items():
            if field in row and row[field] not in self.tables[target]:
                raise MissingReference(f"{table}.{field}: no {target} row {row[field]!r}")

    def insert(self, table: str, row: dict[str, Any]) -> str:
        """Store a new row (checked with the schema); its new ID."""
        schema.validate(table, row)
        self._check_references(table, row)
        row_id = new_id(TABLE_NUMBERS[table])
        self.tables[table][row_id] = dict(row)
        return row_id

    def get(self, table: str, row_id: str) -> dict[str, Any] | None:
        """The stored document (``_id`` and the row's fields), or ``None``."""
        row = self.tables[table].get(row_id)
        return None if row is None else {"_id": row_id, **row}

    def patch(self, table: str, row_id: str, fields: dict[str, Any]) -> None:
        """Update some fields of a row, as Convex's ``db.patch`` does."""
        updated = {**self.tables[table][row_id], **fields}
        schema.validate(table, updated)
        self._check_references(table, updated)
        self.tables[table][row_id] = updated

    def delete(self, table: str, row_id: str) -> None:
        """Remove a row."""
        del self.tables[table][row_id]
