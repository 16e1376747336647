"""The report of a data check: per table, documents checked and failing, and the failures grouped.

One `Report` holds everything `check-export`, `validate` and `vschema.dask` find; partial reports
(one per batch, per worker, per Dask partition) `merge` into one, in order, so a parallel run
reports exactly what a serial run does. Everything in it is bounded, whatever the number of
documents: at most `MAX_EXAMPLES` examples per group and `MAX_GROUPS` groups per table (the rest
counted in one overflow group), at most `MAX_DANGLING` dangling references and as many duplicate
IDs listed (all counted).

A group is the ``(path, code)`` of an issue with list indexes written ``[*]``, so
``.tags[3]`` and ``.tags[7]`` with the same code are one group. A failing document counts once
per table, and once in each group its issues fall into.

``to_json`` is the ``--json`` form (see `REPORT_VERSION`); ``render`` the text a person reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from vschema.validators._errors import Issue, PathKey, format_path

__all__ = [
    "MAX_DANGLING",
    "MAX_EXAMPLES",
    "MAX_GROUPS",
    "REPORT_VERSION",
    "Dangling",
    "Duplicate",
    "Example",
    "Group",
    "Report",
    "TableReport",
    "group_path",
]

#: The version of the ``--json`` shape; a change that removes or renames a key raises it.
REPORT_VERSION = 1
#: Examples kept per group: enough to find the documents, small enough to read.
MAX_EXAMPLES = 3
#: Groups kept per table; issues beyond them count in the group ``("*", "*")``.
MAX_GROUPS = 200
#: Dangling references listed (all of them are counted).
MAX_DANGLING = 20

_OVERFLOW = ("*", "*")


def group_path(path: tuple[PathKey, ...]) -> str:
    """``path`` as a group's key: Convex's path text with every list index written ``[*]``."""
    return "".join("[*]" if isinstance(key, int) else format_path((key,)) for key in path)


@attrs.frozen
class Example:
    """One failing document of a group: ``where`` it is (its ``_id``, or ``file:line``), and
    the issue's plain-words ``summary`` (no part of the value is echoed)."""

    where: str
    summary: str


@attrs.define
class Group:
    """Issues with one ``(path, code)``: how many documents, and the first few of them."""

    path: str
    code: str
    count: int = 0
    examples: list[Example] = attrs.field(factory=list)

    def add(self, count: int, examples: Iterable[Example]) -> None:
        """Count ``count`` more documents; keep ``examples`` while there is room."""
        self.count += count
        for example in examples:
            if len(self.examples) >= MAX_EXAMPLES:
                break
            self.examples.append(example)


@attrs.define
class TableReport:
    """One table's result: documents ``checked``, ``failing``, and the issue groups."""

    checked: int = 0
    failing: int = 0
    groups: dict[tuple[str, str], Group] = attrs.field(factory=dict)

    def add_failure(self, where: str, issues: Iterable[Issue]) -> None:
        """Record one failing document (already counted in ``checked``) and its issues."""
        self.failing += 1
        seen: set[tuple[str, str]] = set()
        for issue in issues:
            key = (group_path(issue.path), str(issue.code))
            if key in seen:
                continue
            seen.add(key)
            self._group(key).add(1, (Example(where, issue.summary),))

    def _group(self, key: tuple[str, str]) -> Group:
        group = self.groups.get(key)
        if group is None:
            if len(self.groups) >= MAX_GROUPS and key != _OVERFLOW:
                return self._group(_OVERFLOW)
            group = self.groups[key] = Group(*key)
        return group

    def merge(self, other: TableReport) -> None:
        """Add ``other`` (the next part of the same table) to this one."""
        self.checked += other.checked
        self.failing += other.failing
        for key, group in other.groups.items():
            self._group(key).add(group.count, group.examples)

    def top(self) -> list[Group]:
        """The groups, most documents first (ties in the order they were first seen)."""
        return sorted(self.groups.values(), key=lambda group: -group.count)


@attrs.frozen
class Dangling:
    """A reference to a document the export does not hold: in ``table``'s document ``where``,
    at ``path``, the ID ``target`` (of table ``target_table``)."""

    table: str
    where: str
    path: str
    target: str
    target_table: str


@attrs.frozen
class Duplicate:
    """A document whose ``_id`` (``target``) an earlier document of the export already has: in
    ``table``, the later one; ``first`` is the earlier one's table."""

    table: str
    target: str
    first: str


@attrs.define
class Report:
    """What a data check found; `merge` partial reports in order to get the whole one.

    ``missing_tables``: tables of the schema the export lacks; ``extra_tables``: tables of the
    export the schema lacks, with their document counts (their documents are not checked);
    ``unchecked``: component tables (``component/table``) with their document counts;
    ``stopped_early`` is set when ``--max-failures`` ended the run.
    """

    tables: dict[str, TableReport] = attrs.field(factory=dict)
    missing_tables: list[str] = attrs.field(factory=list)
    extra_tables: dict[str, int] = attrs.field(factory=dict)
    unchecked: dict[str, int] = attrs.field(factory=dict)
    dangling_count: int = 0
    dangling: list[Dangling] = attrs.field(factory=list)
    duplicate_count: int = 0
    duplicates: list[Duplicate] = attrs.field(factory=list)
    references_checked: bool = False
    stopped_early: bool = False

    def table(self, name: str) -> TableReport:
        """The report of table ``name``, created empty on first use."""
        table = self.tables.get(name)
        if table is None:
            table = self.tables[name] = TableReport()
        return table

    def add_dangling(self, dangling: Dangling) -> None:
        """Count one dangling reference; list it while there is room."""
        self.dangling_count += 1
        if len(self.dangling) < MAX_DANGLING:
            self.dangling.append(dangling)

    def add_duplicate(self, duplicate: Duplicate) -> None:
        """Count one duplicate ``_id``; list it while there is room."""
        self.duplicate_count += 1
        if len(self.duplicates) < MAX_DANGLING:
            self.duplicates.append(duplicate)

    def merge(self, other: Report) -> Report:
        """Add ``other`` (what came after this part) to this report; returns ``self``."""
        for name, table in other.tables.items():
            self.table(name).merge(table)
        self.missing_tables.extend(n for n in other.missing_tables if n not in self.missing_tables)
        for name, count in other.extra_tables.items():
            self.extra_tables[name] = self.extra_tables.get(name, 0) + count
        for name, count in other.unchecked.items():
            self.unchecked[name] = self.unchecked.get(name, 0) + count
        for dangling in other.dangling:
            self.add_dangling(dangling)
        self.dangling_count += other.dangling_count - len(other.dangling)
        for duplicate in other.duplicates:
            self.add_duplicate(duplicate)
        self.duplicate_count += other.duplicate_count - len(other.duplicates)
        self.references_checked = self.references_checked or other.references_checked
        self.stopped_early = self.stopped_early or other.stopped_early
        return self

    @property
    def checked(self) -> int:
        """Documents checked, over all tables."""
        return sum(table.checked for table in self.tables.values())

    @property
    def failing(self) -> int:
        """Failing documents, over all tables."""
        return sum(table.failing for table in self.tables.values())

    @property
    def ok(self) -> bool:
        """Whether the data agrees with the schema: no failing document, no dangling
        reference and no two documents with one ``_id``. Tables the schema lacks do not count
        against it: Convex checks only the tables a schema names (``strictTableNameTypes:
        false`` is for using the others), so they are listed, not failed."""
        return not self.failing and not self.dangling_count and not self.duplicate_count

    def exit_status(self) -> int:
        """0 when `ok`, else 1 (2 is for errors that stop the check, raised elsewhere)."""
        return 0 if self.ok else 1

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` form: plain JSON types, keys in a fixed order, groups most first."""
        return {
            "version": REPORT_VERSION,
            "ok": self.ok,
            "checked": self.checked,
            "failing": self.failing,
            "stopped_early": self.stopped_early,
            "tables": {
                name: {
                    "checked": table.checked,
                    "failing": table.failing,
                    "groups": [
                        {
                            "path": group.path,
                            "code": group.code,
                            "count": group.count,
                            "examples": [attrs.asdict(e) for e in group.examples],
                        }
                        for group in table.top()
                    ],
                }
                for name, table in self.tables.items()
            },
            "missing_tables": list(self.missing_tables),
            "extra_tables": dict(self.extra_tables),
            "unchecked_tables": dict(self.unchecked),
            "references": None
            if not self.references_checked
            else {
                "dangling": self.dangling_count,
                "examples": [attrs.asdict(d) for d in self.dangling],
                "duplicate_ids": self.duplicate_count,
                "duplicate_examples": [attrs.asdict(d) for d in self.duplicates],
            },
        }

    def render(self, *, top: int = 5) -> list[str]:
        """The report as lines a person reads: per table its counts and ``top`` groups.

        Names from the data (tables of an export, record keys on a path) are shown with
        control characters escaped, so no text in a file can drive the terminal."""
        lines: list[str] = []
        for name, table in self.tables.items():
            shown = _shown(name)
            if not table.failing:
                lines.append(f"{shown}: {table.checked} {_documents(table.checked)}, all valid")
                continue
            lines.append(
                f"{shown}: {table.checked} {_documents(table.checked)}, {table.failing} failing"
            )
            groups = table.top()
            for group in groups[:top]:
                where = _shown(group.path) or "(document)"
                lines.append(f"  {group.count:>8}  {where}  {group.code}")
                lines.extend(
                    f"            {_shown(e.where)}: {_shown(e.summary)}" for e in group.examples
                )
            if len(groups) > top:
                lines.append(f"  ... and {len(groups) - top} more group(s); --json lists all")
        if self.extra_tables:
            lines.append(
                "In the data but not in the schema (not checked): "
                + ", ".join(
                    f"{_shown(n)} ({c} {_documents(c)})" for n, c in self.extra_tables.items()
                )
            )
        if self.missing_tables:
            lines.append("In the schema but not in the data: " + ", ".join(self.missing_tables))
        if self.unchecked:
            lines.append(
                "Component tables (no schema given, not checked): "
                + ", ".join(f"{_shown(n)} ({c} {_documents(c)})" for n, c in self.unchecked.items())
            )
        if self.references_checked:
            lines.append(f"Dangling references: {self.dangling_count}")
            lines.extend(
                f"  {_shown(d.table)} {_shown(d.where)} {_shown(d.path) or '(document)'} -> "
                f"{d.target} ({d.target_table})"
                for d in self.dangling
            )
            if self.duplicate_count:
                lines.append(f"Duplicate _ids: {self.duplicate_count}")
                lines.extend(
                    f"  {_shown(d.table)} {d.target} (first in {_shown(d.first)})"
                    for d in self.duplicates
                )
        verdict = "OK" if self.ok else "FAILED"
        lines.append(
            f"{verdict}: {self.failing} of {self.checked} {_documents(self.checked)} failing"
            + (" (stopped early at --max-failures)" if self.stopped_early else "")
        )
        return lines


def _shown(text: str) -> str:
    """``text`` with every character that is not printable written as an escape."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _documents(count: int) -> str:
    return "document" if count == 1 else "documents"
