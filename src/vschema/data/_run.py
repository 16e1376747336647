"""The two checks as functions: `check_export` (a snapshot export ZIP) and `validate_files`
(JSON Lines and JSON files of rows or documents). The commands in `vschema.data.cli` call them.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from vschema._console import UsageError
from vschema.data._check import Job
from vschema.data._export import BLOCK_BYTES, ExportTable, open_export, read_blocks
from vschema.data._jsonl import Block, input_blocks, loader
from vschema.data._parallel import MIN_PARALLEL_BYTES, Progress, Work, default_jobs, run
from vschema.data._report import Report
from vschema.validators._schema import Schema

__all__ = ["check_export", "validate_files"]


def portable(schema: Schema) -> Schema:
    """``schema`` with plain `str` table names, so worker processes can unpickle it.

    A schema loaded from a file lives in a module that is gone once it has run, so a table
    named by a member of an enum defined there (a `StrEnum`) cannot be pickled by reference.
    """
    if all(type(name) is str for name in schema):
        return schema
    # "".join: the text itself (str() of a `(str, Enum)` member is "T.users").
    tables = tuple(("".join([name]), table) for name, table in schema.tables.items())
    return Schema(tables, schema.schema_validation, schema.strict_table_name_types)


def _picklable(job: Job) -> bool:
    """Whether ``job`` can go to worker processes (a literal of a gone module's type cannot)."""
    import pickle

    try:
        pickle.dumps(job)
    except (pickle.PicklingError, TypeError, AttributeError):
        return False
    return True


def _workers(job: Job, jobs: int | None, total: int | None, min_parallel_bytes: int) -> int:
    """How many worker processes: ``jobs`` (default every core), but one for a small input
    (starting workers would cost more) and for a job that cannot be pickled to them."""
    wanted = default_jobs() if jobs is None else jobs
    if wanted < 1:
        raise UsageError(f"--jobs must be at least 1, got {wanted}")
    if wanted == 1 or (total is not None and total < min_parallel_bytes):
        return 1
    return wanted if _picklable(job) else 1


def _check_limit(max_failures: int | None) -> None:
    if max_failures is not None and max_failures < 1:
        raise UsageError(f"--max-failures must be at least 1, got {max_failures}")


def _count_lines(path: Path, member: str) -> int:
    count = 0
    with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
        last = b"\n"
        while chunk := stream.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def check_export(
    path: str | os.PathLike[str],
    schema: Schema,
    *,
    components: Mapping[str, Schema] | None = None,
    references: bool = False,
    jobs: int | None = None,
    max_failures: int | None = None,
    fast: bool | None = None,
    progress: bool | None = None,
    min_parallel_bytes: int = MIN_PARALLEL_BYTES,
    block_bytes: int = BLOCK_BYTES,
) -> Report:
    """Check every document of the Convex snapshot export at ``path`` against ``schema``.

    Each document of each table of the schema is read exactly (a JSON integer is an Int64, a
    number with a decimal point a Float64) and checked as a stored document, its ``_id`` and
    every `v.id` field against the export's table numbers; with ``references``, every ID must
    name a document of the export, and no two documents may have one ``_id``. Tables of the
    export the schema lacks are counted (not checked); tables of the schema the export lacks
    are listed. A component's tables are
    checked against its schema in ``components`` (by component path: ``waitlist``, or
    ``outer/inner`` for a component inside another), with that component's table numbers;
    the tables of other components are counted only. An unknown component raises `UsageError`.

    ``jobs`` worker processes (default: every core; inputs under ``min_parallel_bytes`` are
    checked in this process), ``max_failures`` to stop early, ``fast`` to choose the JSON parser
    (``None``: orjson when installed), ``progress`` for the bar (``None``: on a terminal),
    ``block_bytes`` for the size of the blocks of lines handed to a worker.
    """
    _check_limit(max_failures)
    schema = portable(schema)
    export = open_export(Path(path))
    components = {name: portable(s) for name, s in (components or {}).items()}
    present = {t.component for t in export.tables} | set(export.numbers)
    for name in components:
        if name not in present:
            known = ", ".join(sorted(c for c in present if c)) or "none"
            raise UsageError(f"--component {name}: no such component in the export ({known})")
    report = Report(references_checked=references)
    checked: list[ExportTable] = []
    for component, component_schema in [("", schema), *components.items()]:
        here = {t.name: t for t in export.tables if t.component == component}
        for name in component_schema:
            label = f"{component}/{name}" if component else name
            table = here.get(name)
            if table is None:
                report.missing_tables.append(label)
            else:
                report.table(label)
                checked.append(table)
        for table in here.values():
            if table.name not in component_schema:
                report.extra_tables[table.label] = _count_lines(export.path, table.member)
    for table in export.tables:
        if table.component and table.component not in components:
            report.unchecked[table.label] = _count_lines(export.path, table.member)
    total = sum(t.size for t in checked)
    job = Job(schema, "export", export.numbers, references, fast, components)

    def work() -> Iterator[Work]:
        for table in checked:
            for line, data in read_blocks(export.path, table.member, block=block_bytes):
                yield Work(table.name, table.component, Block("", line, data, size=len(data)))

    return _run(job, work(), report, total, jobs, min_parallel_bytes, max_failures, progress)


def validate_files(
    schema: Schema,
    table: str,
    paths: Sequence[str],
    *,
    documents: bool = False,
    jobs: int | None = None,
    max_failures: int | None = None,
    fast: bool | None = None,
    progress: bool | None = None,
    min_parallel_bytes: int = MIN_PARALLEL_BYTES,
    block_bytes: int = BLOCK_BYTES,
) -> Report:
    """Check the rows (or, with ``documents``, stored documents) in ``paths`` against table
    ``table`` of ``schema``, with standard JSON decoding (``validate_json`` semantics).

    Each path is JSON Lines (``.jsonl``, ``.ndjson``), or JSON (``.json``: an array of rows or
    one row), or ``-`` for stdin (JSON when it starts with ``[``). The other arguments are
    `check_export`'s. A table not in the schema raises `SchemaError`; a file that cannot be
    read, `OSError`; a ``.json`` file that does not parse, `UsageError`.
    """
    _check_limit(max_failures)
    schema, table = portable(schema), "".join([table])
    schema.document(table)  # an unknown table fails here, naming the schema's tables
    if not paths:
        raise UsageError("validate needs at least one FILE (or - for stdin)")
    sizes = [None if p == "-" else Path(p).stat().st_size for p in paths]
    total = None if None in sizes else sum(s for s in sizes if s is not None)
    job = Job(schema, "documents" if documents else "rows", fast=fast)
    loads = loader(fast)

    def work() -> Iterator[Work]:
        for path in paths:
            try:
                yield from (
                    Work(table, "", block) for block in input_blocks(path, loads, block=block_bytes)
                )
            except ValueError as error:
                reason = str(error).splitlines()[0] if str(error) else type(error).__name__
                raise UsageError(f"{path}: not valid JSON: {reason}") from None

    report = Report()
    report.table(table)
    return _run(job, work(), report, total, jobs, min_parallel_bytes, max_failures, progress)


def _run(
    job: Job,
    work: Iterator[Work],
    report: Report,
    total: int | None,
    jobs: int | None,
    min_parallel_bytes: int,
    max_failures: int | None,
    progress: bool | None,
) -> Report:
    """`run` the work of either command with its progress bar, closed however the run ends."""
    bar = Progress(total, enabled=progress)
    try:
        return run(
            job,
            work,
            report,
            jobs=_workers(job, jobs, total, min_parallel_bytes),
            max_failures=max_failures,
            progress=bar,
        )
    finally:
        bar.close()
