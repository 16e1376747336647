"""The stateful-testing recipe of `examples/stateful/` runs, and catches what it should.

The example's `MessagesMachine` drives an in-memory database with `for_table(...,
existing_ids=...)` rows and `for_patch` updates. It must pass against the correct database,
fail against one that loses patches, and (the reason `existing_ids` exists) rows drawn without
it name authors that do not exist, which the database refuses.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import Phase, settings
from hypothesis.stateful import rule, run_state_machine_as_test

from vschema.strategies import for_table

_EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "stateful"
_QUICK = settings(max_examples=15, stateful_step_count=12, database=None, deadline=None)
#: A failure only has to show, not shrink.
_FIND = settings(_QUICK, max_examples=40, phases=[Phase.generate])


@pytest.fixture
def example(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(_EXAMPLE))  # the example imports message_store beside it
    spec = importlib.util.spec_from_file_location(
        "vschema_example_stateful", _EXAMPLE / "test_messages.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_recipe_passes_on_the_database(example: ModuleType) -> None:
    run_state_machine_as_test(example.MessagesMachine, settings=_QUICK)


def test_the_recipe_catches_a_database_that_loses_patches(example: ModuleType) -> None:
    database = example.Database

    class LosesPatches(database):  # type: ignore[misc, valid-type]
        def patch(self, table: str, row_id: str, fields: dict[str, Any]) -> None:
            if len(fields) < 2:
                super().patch(table, row_id, fields)

    class Machine(example.MessagesMachine):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.db = LosesPatches()

    with pytest.raises(AssertionError):
        run_state_machine_as_test(Machine, settings=_FIND)


def test_without_existing_ids_rows_name_missing_authors(example: ModuleType) -> None:
    schema = example.schema

    class Machine(example.MessagesMachine):  # type: ignore[misc, name-defined]
        @rule(row=for_table(schema, "messages"))
        def add_message_by_anyone(self, row: dict[str, Any]) -> None:
            self.db.insert("messages", row)

    store = importlib.import_module("message_store")
    with pytest.raises(store.MissingReference):
        run_state_machine_as_test(Machine, settings=_FIND)
