"""A stateful test of `message_store.Database` with vschema's strategies.

Hypothesis runs random sequences of the rules below against one `Database` and checks the
invariants after each step. `for_table(..., existing_ids=...)` draws rows whose `v.id` fields
name rows that exist (the IDs the insert rules put into the bundles), `for_patch` draws
partial updates, and `consumes` takes deleted IDs out of a bundle.

Run it with ``pytest examples/stateful``.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    precondition,
    rule,
)
from message_store import Database, schema

from vschema.strategies import for_patch, for_table


class MessagesMachine(RuleBasedStateMachine):
    """Inserts, patches and deletes rows, and keeps a model of what should be stored."""

    users = Bundle("users")
    messages = Bundle("messages")

    def __init__(self) -> None:
        super().__init__()
        self.db = Database()
        self.model: dict[str, dict[str, Any]] = {}  # message ID -> the row we expect

    @rule(target=users, row=for_table(schema, "users", overrides={"email": st.emails()}))
    def add_user(self, row: dict[str, Any]) -> str:
        return self.db.insert("users", row)

    # A rule whose strategy draws from a bundle runs only once the bundle holds an ID:
    # drawing from an empty bundle would discard the whole example.
    @precondition(lambda self: self.db.tables["users"])
    @rule(
        target=messages,
        row=for_table(schema, "messages", existing_ids={"users": users}),
    )
    def add_message(self, row: dict[str, Any]) -> str:
        message_id = self.db.insert("messages", row)
        self.model[message_id] = row
        return message_id

    @rule(
        message_id=messages,
        fields=for_patch(schema, "messages", existing_ids={"users": users}),
    )
    def patch_message(self, message_id: str, fields: dict[str, Any]) -> None:
        self.db.patch("messages", message_id, fields)
        self.model[message_id] = {**self.model[message_id], **fields}

    @rule(message_id=consumes(messages))
    def delete_message(self, message_id: str) -> None:
        self.db.delete("messages", message_id)
        del self.model[message_id]

    @invariant()
    def stored_rows_are_what_was_written(self) -> None:
        for message_id, row in self.model.items():
            assert self.db.get("messages", message_id) == {"_id": message_id, **row}
        assert set(self.db.tables["messages"]) == set(self.model)

    @invariant()
    def stored_rows_are_valid_documents(self) -> None:
        for message_id in self.model:
            document = self.db.get("messages", message_id)
            assert document is not None
            schema.validate_document("messages", {**document, "_creationTime": 1.7e12})


TestMessages = MessagesMachine.TestCase
