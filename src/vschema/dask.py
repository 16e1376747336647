"""Checking data on a Dask cluster (the ``vschema[dask]`` extra): the `Report` of
``vschema validate``, computed partition by partition and merged in partition order.

* `check_bag`: a ``dask.bag`` of parsed rows (``validate``) or stored documents
  (``documents=True``, ``validate_document``), as Python values;
* `check_paths`: JSON Lines files, local paths or any fsspec URL (``s3://bucket/rows-*.jsonl``,
  ``gcs://...``; compressed files by their suffix), one partition per file, read as
  ``vschema validate`` reads them (standard JSON, failures named ``file:line``).

With ``max_failures``, the report is exactly that of ``vschema validate --max-failures`` on the
same values in order: each partition stops at ``max_failures`` failing values, the partitions are
merged in order up to the limit, and the one that reaches it is checked again with the exact
remainder when it was checked past it (so a cluster checks at most ``max_failures`` failing
values per partition, not the whole of every partition).

Each task gets the schema as pickled bytes; a worker unpickles and compiles it once (keyed by the
bytes' digest) and reuses it for every later partition. Whatever scheduler is current computes
the result: the local one by default, or a cluster once a ``distributed.Client`` exists::

    from dask.distributed import Client
    client = Client("tcp://scheduler:8786")       # the cluster's scheduler address
    report = check_paths("s3://bucket/rows-*.jsonl", schema, "users")

Dask is imported inside these functions only: ``import vschema.dask`` costs nothing.
"""

from __future__ import annotations

import hashlib
import importlib
import pickle
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from vschema.data._check import Checker, Job, Mode
from vschema.data._export import line_blocks
from vschema.data._jsonl import Block
from vschema.data._report import Report
from vschema.validators._schema import Schema

__all__ = ["check_bag", "check_paths"]

_CHECKERS: dict[tuple[bytes, Mode, bool | None], Checker] = {}


def _checker(blob: bytes, mode: Mode, fast: bool | None) -> Checker:
    """This process's checker for the pickled schema ``blob``: built at its first partition."""
    key = (hashlib.sha256(blob).digest(), mode, fast)
    checker = _CHECKERS.get(key)
    if checker is None:
        if len(_CHECKERS) >= 8:  # a long-lived worker sees few schemas; keep it bounded
            _CHECKERS.clear()
        checker = _CHECKERS[key] = Checker(Job(pickle.loads(blob), mode, fast=fast))
    return checker


def _check_items(
    blob: bytes,
    mode: Mode,
    fast: bool | None,
    table: str,
    index: int,
    items: Iterable[Any],
    limit: int | None = None,
) -> Report:
    checker = _checker(blob, mode, fast)
    block = Block(f"partition {index}", 0, items=tuple(items))
    return checker.check(table, block, limit=limit).report


def _check_files(
    blob: bytes,
    mode: Mode,
    fast: bool | None,
    table: str,
    paths: Iterable[str],
    storage_options: dict[str, Any],
    limit: int | None = None,
) -> Report:
    fsspec = importlib.import_module("fsspec")  # by name: fsspec ships no type information
    checker = _checker(blob, mode, fast)
    report = Report()
    report.table(table)
    for path in paths:
        with fsspec.open(path, "rb", compression="infer", **storage_options) as stream:
            chunks = iter(lambda: stream.read(1 << 19), b"")
            for line, data in line_blocks(chunks, path):
                left = None if limit is None else limit - report.failing
                report.merge(checker.check(table, Block(path, line, data), limit=left).report)
                if report.stopped_early:
                    return report
    return report


def _pickled(schema: Schema) -> bytes:
    """``schema`` as the bytes each task gets (table names as plain `str`, see `portable`)."""
    from vschema.data._run import portable

    try:
        return pickle.dumps(portable(schema))
    except (pickle.PicklingError, TypeError, AttributeError) as error:
        raise TypeError(
            f"the schema cannot be sent to Dask workers ({error}); define its literals and "
            "table names with plain str, int, float and bool values"
        ) from None


def _merge(reports: Sequence[Report]) -> Report:
    whole = Report()
    for report in reports:
        whole.merge(report)
    return whole


def _compute(
    parts: list[Any],
    table: str,
    max_failures: int | None,
    again: Callable[[int, int], Any],
) -> Report:
    """Compute the partial reports ``parts`` and merge them in order, up to ``max_failures``
    failing values; ``again(index, limit)`` is part ``index`` checked with ``limit``."""
    from dask.delayed import delayed

    compute = importlib.import_module("dask").compute  # by name: untyped in dask
    if max_failures is None:
        report: Report = delayed(_merge)(parts).compute()
        report.table(table)
        return report
    whole = Report()
    whole.table(table)
    for index, part in enumerate(compute(*parts)):
        remaining = max_failures - whole.failing
        # As in `vschema.data._parallel.run`: a part checked with a larger limit than what is
        # left went on past its last allowed failure, unless it stopped at exactly that many.
        if part.failing > remaining or (
            part.failing == remaining and remaining < max_failures and not part.stopped_early
        ):
            part = again(index, remaining).compute()
        whole.merge(part)
        if whole.failing >= max_failures:
            whole.stopped_early = True
            break
    return whole


def _check_limit(max_failures: int | None) -> None:
    if max_failures is not None and max_failures < 1:
        raise ValueError(f"max_failures must be at least 1, got {max_failures}")


def check_bag(
    bag: Any,
    schema: Schema,
    table: str,
    *,
    documents: bool = False,
    fast: bool | None = None,
    max_failures: int | None = None,
) -> Report:
    """The report of every value of the ``dask.bag`` ``bag`` as a row of ``table`` (or, with
    ``documents``, a stored document), merged across partitions in order; with
    ``max_failures``, up to that many failing values (see the module's docstring).

    A failing value is named by its ``_id`` when it is a document with one, else
    ``partition P[i]`` (the ``i``-th value of partition ``P``).
    """
    from dask.delayed import delayed

    _check_limit(max_failures)
    table = "".join([table])  # the text itself, also of a `(str, Enum)` member
    schema.document(table)  # an unknown table fails here, before any task runs
    blob = _pickled(schema)
    mode: Mode = "documents" if documents else "rows"
    check = delayed(_check_items, pure=True)
    partitions = bag.to_delayed(optimize_graph=True)
    parts = [
        check(blob, mode, fast, table, index, part, max_failures)
        for index, part in enumerate(partitions)
    ]

    def again(index: int, limit: int) -> Any:
        return check(blob, mode, fast, table, index, partitions[index], limit)

    return _compute(parts, table, max_failures, again)


def check_paths(
    urlpath: str | Sequence[str],
    schema: Schema,
    table: str,
    *,
    documents: bool = False,
    fast: bool | None = None,
    storage_options: dict[str, Any] | None = None,
    max_failures: int | None = None,
) -> Report:
    """The report of the JSON Lines files ``urlpath`` (a path, a glob, an fsspec URL, or a
    list of them) as rows of ``table`` (or stored documents), one Dask task per file; with
    ``max_failures``, up to that many failing values (see the module's docstring).

    ``storage_options`` go to fsspec (credentials, endpoints). Failures are named
    ``file:line``. A pattern that matches no file raises `FileNotFoundError`.
    """
    from dask.delayed import delayed

    _check_limit(max_failures)
    get_fs_token_paths = importlib.import_module("fsspec.core").get_fs_token_paths

    table = "".join([table])  # the text itself, also of a `(str, Enum)` member
    schema.document(table)
    options = dict(storage_options or {})
    fs, _, paths = get_fs_token_paths(urlpath, mode="rb", storage_options=options)
    if not paths:
        raise FileNotFoundError(f"no file matches {urlpath!r}")
    protocols = (fs.protocol,) if isinstance(fs.protocol, str) else tuple(fs.protocol)
    # Local files keep the plain path the user knows; remote ones get their URL back.
    urls = paths if "file" in protocols else [fs.unstrip_protocol(p) for p in paths]
    blob = _pickled(schema)
    mode: Mode = "documents" if documents else "rows"
    check = delayed(_check_files, pure=True)
    parts = [check(blob, mode, fast, table, [url], options, max_failures) for url in urls]

    def again(index: int, limit: int) -> Any:
        return check(blob, mode, fast, table, [urls[index]], options, limit)

    return _compute(parts, table, max_failures, again)
