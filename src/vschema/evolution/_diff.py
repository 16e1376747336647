"""`diff`: the two verdicts per validator or table, the changes in words, the table changes.

For two validators, `diff` answers two questions exactly (`_subset`), each with a verified
witness when the answer is no (`_witness`):

* **stored data** (backward): is every value OLD accepts accepted by NEW? A no predicts a
  failed push: Convex checks every stored document against the new schema.
* **writers** (forward): is every value NEW accepts accepted by OLD, so code still running
  against OLD reads what NEW's code writes?

For two schemas, the same per table (on the table's document validator, with the schema's row
check as the Python judge, so Convex's document limits count), plus tables added and removed,
index, search index and vector index changes, a switch of ``schema_validation``, and, where NEW
stages a validator (``.staged()``), whether the stored documents will pass its background
check.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, Literal, overload

import attrs

from vschema.evolution._changes import Change, changes
from vschema.evolution._subset import DEFAULT_BUDGET, Decider
from vschema.evolution._witness import COMPATIBLE, Verdict, decide
from vschema.validators._errors import Issue, SchemaError
from vschema.validators._nodes import Validator, VAny, VRecord, VString
from vschema.validators._schema import Schema, TableDefinition

__all__ = ["IndexChange", "SchemaDiff", "TableDiff", "ValidatorDiff", "diff"]

TableStatus = Literal["added", "removed", "changed", "unchanged"]


@attrs.frozen
class ValidatorDiff:
    """The diff of two validators: the two `Verdict` s and the `Change` s in words."""

    stored: Verdict
    writers: Verdict
    changes: tuple[Change, ...]

    @property
    def breaking(self) -> bool:
        """Whether stored data (values valid under OLD) may fail NEW: breaking or unknown."""
        return self.stored.status != "compatible"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form of this diff."""
        return {
            "stored_data": self.stored.as_dict(),
            "writers": self.writers.as_dict(),
            "changes": [change.as_dict() for change in self.changes],
        }

    def summary(self) -> str:
        """The diff in a few lines a person reads (what ``vschema diff`` prints)."""
        from vschema.evolution._report import validator_summary

        return validator_summary(self)


@attrs.frozen
class IndexChange:
    """An index added, removed or changed: ``kind`` is ``index``, ``search index`` or
    ``vector index``; ``old`` / ``new`` describe it (fields, staged) on each side, or None."""

    kind: str
    name: str
    change: Literal["added", "removed", "changed"]
    old: str | None
    new: str | None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form of this change."""
        return attrs.asdict(self)

    def __str__(self) -> str:
        if self.change == "added":
            return f"{self.kind} {self.name} added: {self.new}"
        if self.change == "removed":
            return f"{self.kind} {self.name} removed (was {self.old})"
        return f"{self.kind} {self.name}: {self.old} → {self.new}"


@attrs.frozen
class TableDiff:
    """One table's diff. ``stored`` / ``writers`` are the verdicts (compatible for a table
    added or removed: there is nothing to compare); ``staged`` is whether OLD's documents pass
    NEW's staged validator, when NEW has one."""

    name: str
    status: TableStatus
    stored: Verdict
    writers: Verdict
    changes: tuple[Change, ...] = ()
    index_changes: tuple[IndexChange, ...] = ()
    staged: Verdict | None = None

    @property
    def breaking(self) -> bool:
        """Whether a push of NEW may fail on this table's stored documents."""
        return self.stored.status != "compatible"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form of this table's diff."""
        out: dict[str, Any] = {
            "table": self.name,
            "status": self.status,
            "stored_data": self.stored.as_dict(),
            "writers": self.writers.as_dict(),
            "changes": [change.as_dict() for change in self.changes],
            "index_changes": [change.as_dict() for change in self.index_changes],
        }
        if self.staged is not None:
            out["staged"] = self.staged.as_dict()
        return out


@attrs.frozen
class SchemaDiff:
    """The diff of two schemas: a `TableDiff` per table (OLD's order, then tables added), and
    ``schema_validation`` as ``(old, new)`` when it was switched, else None."""

    tables: tuple[TableDiff, ...]
    schema_validation: tuple[bool, bool] | None = None

    @property
    def breaking(self) -> bool:
        """Whether a push of NEW may fail on stored documents of some table."""
        return any(table.breaking for table in self.tables)

    def table(self, name: str) -> TableDiff:
        """The diff of table ``name``."""
        for table in self.tables:
            if table.name == name:
                return table
        raise SchemaError(f"diff: no table {name!r} in either schema")

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form of this diff (what ``vschema diff --json`` prints)."""
        out: dict[str, Any] = {
            "breaking": self.breaking,
            "tables": [table.as_dict() for table in self.tables],
        }
        out["schema_validation"] = (
            None
            if self.schema_validation is None
            else {"old": self.schema_validation[0], "new": self.schema_validation[1]}
        )
        return out

    def summary(self) -> str:
        """The diff in a few lines a person reads (what ``vschema diff`` prints)."""
        from vschema.evolution._report import schema_summary

        return schema_summary(self)


@overload
def diff(old: Schema, new: Schema, *, budget: int = ...) -> SchemaDiff: ...
@overload
def diff(old: Validator, new: Validator, *, budget: int = ...) -> ValidatorDiff: ...
def diff(
    old: Schema | Validator, new: Schema | Validator, *, budget: int = DEFAULT_BUDGET
) -> SchemaDiff | ValidatorDiff:
    """Compare ``old`` and ``new`` (two validators, or two schemas) in Convex's value model.

    Returns a `ValidatorDiff` or a `SchemaDiff`: per validator or table, whether stored data
    (every value valid under OLD) stays valid under NEW, and whether writers (values valid under
    NEW) stay valid under OLD, each ``compatible``, ``breaking`` with a verified `Witness`, or
    ``unknown`` (only when ``budget`` steps did not settle it; the reason says so). Int64 and
    Float64 are different types, and IDs of different tables different values, as in Convex.
    """
    if isinstance(old, Schema) and isinstance(new, Schema):
        return _schema_diff(old, new, budget)
    if isinstance(old, Validator) and isinstance(new, Validator):
        decider = Decider(budget=budget)
        return ValidatorDiff(
            decide(decider, old, new),
            decide(decider, new, old),
            tuple(changes(decider, old, new, "(value)")),
        )
    raise SchemaError(
        "diff(old, new) takes two validators or two schemas, "
        f"got {type(old).__name__} and {type(new).__name__}"
    )


def _document(validator: Validator) -> Validator:
    # A v.any() table holds objects: its documents are every object of any fields.
    return VRecord(VString(), VAny()) if isinstance(validator, VAny) else validator


def _row_check(schema: Schema, table: str) -> Any:
    return functools.partial(_schema_errors, schema, table)


def _schema_errors(schema: Schema, table: str, row: object) -> list[Issue]:
    return schema.errors(table, row)


def _staged(table: TableDefinition) -> Validator | None:
    staged: Validator | None = getattr(table, "staged_validator", None)
    return staged


def _schema_diff(old: Schema, new: Schema, budget: int) -> SchemaDiff:
    decider = Decider(budget=budget)
    # Number the tables in one order for both sides, so IDs in witnesses read the same.
    for name in [*old.tables, *new.tables]:
        decider.ids.number(name)
    out: list[TableDiff] = []
    for name, before in old.tables.items():
        after = new.tables.get(name)
        if after is None:
            out.append(TableDiff(name, "removed", COMPATIBLE, COMPATIBLE))
            continue
        out.append(_table_diff(decider, name, old, new, before, after))
    for name in new.tables:
        if name not in old.tables:
            out.append(TableDiff(name, "added", COMPATIBLE, COMPATIBLE))
    switched = (
        None
        if old.schema_validation == new.schema_validation
        else (old.schema_validation, new.schema_validation)
    )
    return SchemaDiff(tuple(out), switched)


def _table_diff(
    decider: Decider,
    name: str,
    old: Schema,
    new: Schema,
    before: TableDefinition,
    after: TableDefinition,
) -> TableDiff:
    old_doc = _document(before.validator)
    new_doc = _document(after.validator)
    stored = decide(decider, old_doc, new_doc, _row_check(old, name), _row_check(new, name))
    writers = decide(decider, new_doc, old_doc, _row_check(new, name), _row_check(old, name))
    staged_validator = _staged(after)
    staged = None
    if staged_validator is not None:
        staged = decide(decider, old_doc, _document(staged_validator), _row_check(old, name))
    return TableDiff(
        name,
        "unchanged" if before == after else "changed",
        stored,
        writers,
        tuple(changes(decider, before.validator, after.validator, "(document)")),
        tuple(_index_changes(before, after)),
        staged,
    )


def _fields(fields: Sequence[str]) -> str:
    return "[" + ", ".join(fields) + "]"


def _index_texts(table: TableDefinition) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for indexes, staged in ((table.indexes, False), (table.staged_indexes, True)):
        for index in indexes:
            text = _fields(index.fields) + (" (staged)" if staged else "")
            out["index", index.name] = text
    for searches, staged in ((table.search_indexes, False), (table.staged_search_indexes, True)):
        for search in searches:
            text = f"search {search.search_field}"
            if search.filter_fields:
                text += f", filter {_fields(search.filter_fields)}"
            out["search index", search.name] = text + (" (staged)" if staged else "")
    for vectors, staged in ((table.vector_indexes, False), (table.staged_vector_indexes, True)):
        for vector in vectors:
            text = f"vector {vector.vector_field}, {vector.dimensions} dimensions"
            if vector.filter_fields:
                text += f", filter {_fields(vector.filter_fields)}"
            out["vector index", vector.name] = text + (" (staged)" if staged else "")
    return out


def _index_changes(before: TableDefinition, after: TableDefinition) -> list[IndexChange]:
    old = _index_texts(before)
    new = _index_texts(after)
    out: list[IndexChange] = []
    for key, text in old.items():
        if key not in new:
            out.append(IndexChange(key[0], key[1], "removed", text, None))
        elif new[key] != text:
            out.append(IndexChange(key[0], key[1], "changed", text, new[key]))
    for key, text in new.items():
        if key not in old:
            out.append(IndexChange(key[0], key[1], "added", None, text))
    return out
