"""Checking one batch of documents: the work a worker process, the serial path and a Dask task
all do, so each gives the same partial `Report`.

A `Job` is what stays the same for a whole run (the schema, how to read values, the table
numbers); it is sent to each worker once, and each worker builds its compiled checks once per
table (`Checker`). A batch is a `Block` of one table's lines or parsed values. Three modes:

* ``export``: lines of a snapshot export, read exactly (`decode_value`) and checked as stored
  documents with exact numbers (`ExactDocumentChecks`), then their IDs against the export's
  table numbers (`IdWalk`); failures are named by ``_id``;
* ``rows``: standard JSON (``validate_json`` semantics: a JSON integer may be a Float64), each
  value checked as a new row (``Schema.validate``);
* ``documents``: standard JSON, each value checked as a stored document
  (``Schema.validate_document``).

In the last two, failures are named ``file:line`` (JSON Lines) or ``file[index]`` (a JSON array).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, Literal

import attrs

from vschema.data._export import decode_value
from vschema.data._jsonl import Block, loader
from vschema.data._references import IdWalk, Reference
from vschema.data._report import Report, TableReport
from vschema.validators._documents import (
    ExactDocumentChecks,
    exact_document_checks,
    without_system_fields,
)
from vschema.validators._errors import Issue, ValidationError, format_path
from vschema.validators._json_text import has_digit_run
from vschema.validators._schema import Schema
from vschema.validators._size import MAX_DOCUMENT_SIZE, json_size_bound

__all__ = ["BatchResult", "Checker", "Job", "Mode"]

Mode = Literal["export", "rows", "documents"]


@attrs.frozen
class Job:
    """What a whole run shares. ``numbers``: per component, table name to table number (an
    export only); ``references``: collect IDs for the dangling-reference check; ``fast``: which
    JSON parser (see `loader`); ``components``: the schemas of components (by component path,
    ``a/b``) whose tables are checked too (an export only)."""

    schema: Schema
    mode: Mode
    numbers: Mapping[str, Mapping[str, int]] = attrs.field(factory=dict)
    references: bool = False
    fast: bool | None = None
    components: Mapping[str, Schema] = attrs.field(factory=dict)

    def schema_of(self, component: str) -> Schema:
        """The schema of ``component`` (``""``: the app's own)."""
        return self.components[component] if component else self.schema


@attrs.define
class BatchResult:
    """A batch's partial report; with ``--references``, the ``_id`` of every document read
    (``ids``) and every ID a valid document holds (``refs``: ``(id, table, where, path)``)."""

    report: Report
    ids: list[str] = attrs.field(factory=list)
    refs: list[tuple[str, str, str, str]] = attrs.field(factory=list)


def _document_id(value: object) -> str | None:
    """The ``_id`` that names ``value`` in a report: one that looks like an ID (ASCII letters
    and digits, of an ID's length), so a report never prints a document's odd text; a
    document without one is named by its line."""
    found = value.get("_id") if type(value) is dict else None
    if type(found) is str and 31 <= len(found) <= 37 and found.isascii() and found.isalnum():
        return found
    return None


def _parse_issue(error: ValueError) -> list[Issue]:
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    return [Issue((), "invalid_encoding", f"Invalid JSON: {reason}", "JSON")]


class Checker:
    """Checks batches for one `Job`, building each table's checks on first use."""

    def __init__(self, job: Job) -> None:
        self.job = job
        # An export's integers beyond i64 are Float64 (see `decode_value`), so no look for them.
        self.loads = loader(job.fast, big_integers=job.mode != "export")
        self._exact: dict[tuple[str, str], ExactDocumentChecks] = {}
        self._walks: dict[tuple[str, str], IdWalk] = {}

    def _exact_checks(self, component: str, table: str) -> ExactDocumentChecks:
        checks = self._exact.get((component, table))
        if checks is None:
            schema = self.job.schema_of(component)
            checks = self._exact[(component, table)] = exact_document_checks(schema, table)
        return checks

    def _walk(self, component: str, table: str) -> IdWalk:
        walk = self._walks.get((component, table))
        if walk is None:
            row = without_system_fields(self.job.schema_of(component).tables[table].validator)
            numbers = self.job.numbers.get(component, {})
            walk = self._walks[(component, table)] = IdWalk(row, numbers)
        return walk

    def check(
        self, table: str, block: Block, *, component: str = "", limit: int | None = None
    ) -> BatchResult:
        """The partial report of ``block`` of ``table``; stops after ``limit`` failures."""
        report = Report(references_checked=self.job.references)
        part = report.table(f"{component}/{table}" if component else table)
        result = BatchResult(report)
        if block.data:
            lines = block.data.split(b"\n")
            if lines and not lines[-1]:
                lines.pop()
            values: Any = enumerate(lines, block.first)
            parse = True
        else:
            values = enumerate(block.items, max(block.first, 0))
            parse = False
        # One callable per batch, its arguments that stay the same bound once.
        one: Callable[[int, Any], None]
        if self.job.mode == "export":
            checks, walk = self._exact_checks(component, table), self._walk(component, table)
            one = partial(
                self._check_document,
                table,
                block,
                part=part,
                result=result,
                checks=checks,
                walk=walk,
            )
            one = self._quick_documents(table, checks, walk, one)
        else:
            one = partial(self._check_json, table, block, parse=parse, part=part)
        checked = 0
        try:
            for position, raw in values:
                # isspace() and not strip(): no copy of every line to find the blank ones.
                if parse and (not raw or raw.isspace()):
                    continue
                checked += 1
                one(position, raw)
                if limit is not None and part.failing >= limit:
                    report.stopped_early = True
                    break
        finally:
            part.checked += checked
        return result

    def _quick_documents(
        self,
        table: str,
        checks: ExactDocumentChecks,
        walk: IdWalk,
        check: Callable[[int, bytes], None],
    ) -> Callable[[int, bytes], None]:
        """``check`` (`_check_document`) behind a fast path for the common line: a document
        with no ``$`` value, short enough to be within the size limit, that the table's check
        and its ID checks accept, in one function with no call but theirs. Every other line
        goes to ``check``, which reads it again and says why (so only a failing or unusual line
        costs a second parse). None with ``--references``, which keeps every ``_id``."""
        matches = checks.quick()
        if matches is None or self.job.references:
            return check
        right_table, ok, loads = walk.right_table, walk.ok, self.loads
        # The bound `json_size_bound` puts on a line's size is linear in its length.
        short = MAX_DOCUMENT_SIZE // json_size_bound(1)

        def quick(position: int, raw: bytes) -> None:
            if len(raw) <= short and b'"$' not in raw:
                try:
                    document = loads(raw)
                except (ValueError, RecursionError):
                    pass  # `check` reports it
                else:
                    if matches(document) and right_table(document["_id"], table) and ok(document):
                        return
            check(position, raw)

        return quick

    def _where(self, block: Block, position: int) -> str:
        if block.data:
            return f"{block.source}:{position}" if block.source else f"line {position}"
        return block.source if block.first < 0 else f"{block.source}[{position}]"

    def _check_json(
        self, table: str, block: Block, position: int, raw: Any, *, parse: bool, part: TableReport
    ) -> None:
        schema = self.job.schema
        if parse:
            try:
                value = self.loads(raw)
            except ValueError as error:
                part.add_failure(self._where(block, position), _parse_issue(error))
                return
        else:
            value = raw
        if self.job.mode == "rows":
            if schema.is_valid(table, value):
                return
            issues = schema.errors(table, value)
        else:
            if schema.is_valid_document(table, value):
                return
            try:
                schema.validate_document(table, value)
            except ValidationError as error:
                issues = list(error.issues)
            else:  # pragma: no cover - is_valid_document and validate_document agree
                return
            document_id = _document_id(value)
            if document_id is not None:
                part.add_failure(document_id, issues)
                return
        part.add_failure(self._where(block, position), issues)

    def _with_big_integers(self, raw: bytes, document: Any) -> Any:
        """``document`` read again with integers beyond i64 as Float64, as Convex reads them,
        when its line holds a number of 19 digits or more; else ``document`` itself. Only a
        document that failed comes here: Convex never writes such integers, so the look is
        not worth its cost on every line."""
        if not has_digit_run(raw):
            return document
        try:
            return decode_value(raw, self.loads, walk=True)
        except ValidationError:
            return document  # its issues are the check's to report

    def _check_document(
        self,
        table: str,
        block: Block,
        position: int,
        raw: bytes,
        *,
        part: TableReport,
        result: BatchResult,
        checks: ExactDocumentChecks,
        walk: IdWalk,
    ) -> None:
        try:
            document = decode_value(raw, self.loads)
        except ValidationError as error:
            part.add_failure(self._where(block, position), list(error.issues))
            return
        references = self.job.references
        if references:
            # Every document read counts as there, valid or not: a reference to an invalid
            # document is that document's failure, not a dangling reference.
            document_id = _document_id(document)
            if document_id is not None:
                result.ids.append(document_id)
        # Most lines are far below what could reach 1 MiB: their size need not be measured.
        size_at_most = json_size_bound(len(raw))
        if not checks.is_valid(document, size_at_most=size_at_most):
            document = self._with_big_integers(raw, document)
            if not checks.is_valid(document, size_at_most=size_at_most):
                where = _document_id(document) or self._where(block, position)
                part.add_failure(where, checks.issues(document))
                return
        # A valid document's `_id` is a valid ID, so it names the document.
        document_id = document["_id"]
        if not references and walk.right_table(document_id, table) and walk.ok(document):
            return
        issues: list[Issue] = []
        # The document's own ID must be of its own table: the export's table number says.
        issue = walk.id_issue(document_id, table, ("_id",))
        if issue is not None:
            issues.append(issue)
        found: list[Reference] | None = [] if references else None
        issues += walk.check(document, found)
        if issues:
            part.add_failure(document_id, issues)
            return
        if found:
            result.refs.extend(
                (target, target_table, document_id, format_path(path))
                for path, target, target_table in found
            )
