"""The human summary of a diff: one line per table, then each breaking change and witness.

Also the JSON form's top (``as_dict`` on the results builds the rest). Values in witnesses are
shown as Convex JSON (compact, keys sorted), so an Int64 reads ``{"$integer": ...}``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vschema.evolution._changes import Change
    from vschema.evolution._diff import SchemaDiff, TableDiff, ValidatorDiff
    from vschema.evolution._witness import Verdict

__all__ = ["schema_summary", "table_line", "validator_summary"]

_WITNESS_CHARS = 300  # a witness longer than this is cut with "..." (the JSON form has it all)


def _value_text(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
    return text if len(text) <= _WITNESS_CHARS else text[: _WITNESS_CHARS - 3] + "..."


def _verdict_word(verdict: Verdict) -> str:
    return {"compatible": "compatible", "breaking": "BREAKING", "unknown": "UNKNOWN"}[
        verdict.status
    ]


def _verdict_lines(label: str, verdict: Verdict, judge: str = "NEW") -> list[str]:
    if verdict.status == "unknown":
        return [f"  {label}: unknown: {verdict.reason}"]
    witness = verdict.witness
    if witness is None:
        return []
    where = witness.path_text or "the top"
    headline = witness.message.partition("\n")[0]
    lines = [
        f"  {label} witness: {_value_text(witness.convex_json)}",
        f"    {judge} rejects it at {where} ({witness.code}): {headline}",
    ]
    if not witness.python_visible:
        lines.append(
            "    (Convex's types tell this apart; vschema's Python spelling of it does not)"
        )
    return lines


def _change_lines(changes: tuple[Change, ...]) -> list[str]:
    lines = []
    for change in changes:
        marks = []
        if change.stored:
            marks.append("breaks stored data")
        if change.writers:
            marks.append("breaks writers")
        if change.stored is None or change.writers is None:
            marks.append("undecided")
        note = f"  [{', '.join(marks)}]" if marks else ""
        lines.append(f"  {change.path}: {change.text}{note}")
    return lines


def table_line(table: TableDiff) -> str:
    """The one line that says how a table fares."""
    if table.status in ("added", "removed"):
        return f"{table.name}: table {table.status}"
    if table.status == "unchanged" and table.staged is None:
        return f"{table.name}: unchanged"
    line = (
        f"{table.name}: stored data {_verdict_word(table.stored)}, "
        f"writers {_verdict_word(table.writers)}"
    )
    if table.staged is not None:
        line += f", staged validator {_verdict_word(table.staged)}"
    return line


def schema_summary(result: SchemaDiff) -> str:
    """The summary ``vschema diff`` prints for two schemas."""
    breaking = [table.name for table in result.tables if table.breaking]
    head = (
        f"stored data breaking in {len(breaking)} of {len(result.tables)} tables: "
        + ", ".join(breaking)
        if breaking
        else f"stored data compatible in all {len(result.tables)} tables"
    )
    lines = [head]
    if result.schema_validation is not None:
        old, new = result.schema_validation
        lines.append(
            f"schema_validation: {old} → {new}"
            + (
                " (stored documents were never checked against OLD; NEW checks them all)"
                if new
                else " (NEW stops checking documents)"
            )
        )
    lines.extend(table_line(table) for table in result.tables)
    for table in result.tables:
        detail = _change_lines(table.changes) + [f"  {c}" for c in table.index_changes]
        detail += _verdict_lines("stored data", table.stored)
        detail += _verdict_lines("writers", table.writers)
        if table.staged is not None:
            detail += _verdict_lines("staged validator", table.staged, "the staged validator")
        if detail:
            lines.append("")
            lines.append(f"{table.name}:")
            lines.extend(detail)
    return "\n".join(lines)


def validator_summary(result: ValidatorDiff) -> str:
    """The summary of a diff of two validators."""
    lines = [f"stored data {_verdict_word(result.stored)}, writers {_verdict_word(result.writers)}"]
    lines.extend(_change_lines(result.changes))
    lines.extend(_verdict_lines("stored data", result.stored))
    lines.extend(_verdict_lines("writers", result.writers))
    return "\n".join(lines)
