"""Running the checks on every core: one reader that checks too, worker processes, bounded work
in flight.

The reader (the calling process) cuts each input into blocks of whole lines (`read_blocks`) and
submits them to a `ProcessPoolExecutor` of ``jobs - 1`` workers; each worker gets the `Job` once
(its initializer) and compiles each table's checks once. The reader is the ``jobs``-th checker:
when the workers already hold ``2`` blocks each, it checks the next block itself instead of
waiting, and at the end it takes back the blocks no worker has started. Reading costs a small
part of checking (decompression is some 15 times cheaper), so on two cores a second worker would
only compete with the reader for a core, and pay a process start (about 0.2 CPU-seconds) for it.

At most ``MAX_AHEAD * jobs`` blocks are held: the reader waits for the oldest before it reads
on, so memory stays flat however many documents there are, and results are merged in input
order, so a run on 8 cores reports exactly what a run on 1 does (the same counts, the same
examples).

``--max-failures`` is exact too: each block is told how many failures are still allowed when it
is submitted; a block whose failures, merged in order, reach the limit when it was checked with a
larger one (because blocks before it were still in flight) is checked again in the reader with
the exact remainder, so it stops at the same document as a serial run.

Workers start with ``forkserver`` where the platform has it (no fork of a process that may run
threads, such as a Dask client), ``spawn`` elsewhere. Small inputs (under ``min_parallel_bytes``)
are checked in the calling process: starting workers costs more than they would save.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import attrs

from vschema.data._check import BatchResult, Checker, Job
from vschema.data._jsonl import Block
from vschema.data._report import Dangling, Duplicate, Report

__all__ = ["Progress", "Work", "default_jobs", "run"]

#: Inputs smaller than this are checked without worker processes.
MIN_PARALLEL_BYTES = 4 * 1024 * 1024
#: Blocks handed to each worker before the reader checks one itself: one being checked and two
#: waiting, so a worker never waits for the reader, which also reads and hands out every block.
#: With two (one waiting) the reader checked more than its share: 4.15 CPU-s against the
#: worker's 3.69 for 1,000,000 documents, 1.68x on two cores against one; with three, 3.82
#: against 3.79 and 1.76x to 1.87x.
PER_WORKER = 3
#: Blocks held (checked or not, not yet merged) per checker: room for the reader to go on
#: checking while a worker starts or finishes a slow block, with memory still flat.
MAX_AHEAD = 4


@attrs.frozen
class Work:
    """One block of one table: what the reader hands a worker."""

    table: str
    component: str
    block: Block


def default_jobs() -> int:
    """Worker processes by default: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows have no sched_getaffinity
        return max(1, os.cpu_count() or 1)


class Progress:
    """A progress bar with rate and ETA (tqdm) on a terminal; silent otherwise, or without
    tqdm (the ``vschema[progress]`` extra)."""

    def __init__(self, total: int | None, *, enabled: bool | None = None) -> None:
        self._bar: Any = None
        show = sys.stderr.isatty() if enabled is None else enabled
        if not show:
            return
        try:
            # By name: tqdm ships no type information, and only this call needs it.
            tqdm = importlib.import_module("tqdm").tqdm
        except ImportError:
            return
        self._bar = tqdm(
            total=total, unit="B", unit_scale=True, unit_divisor=1024, desc="checking", leave=False
        )

    def update(self, size: int, documents: int) -> None:
        """``size`` more bytes read, ``documents`` more documents checked."""
        if self._bar is not None:
            self._bar.update(size)

    def close(self) -> None:
        """Remove the bar (the report follows it)."""
        if self._bar is not None:
            self._bar.close()


_CHECKER: Checker | None = None


def _init(job: Job) -> None:
    global _CHECKER
    _CHECKER = Checker(job)


def _check(work: Work, limit: int | None) -> BatchResult:
    assert _CHECKER is not None, "the worker's initializer sets the checker"
    return _CHECKER.check(work.table, work.block, component=work.component, limit=limit)


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


@attrs.define
class _References:
    """The IDs of all documents read (with the table each was first read in), and the first
    place each referenced ID occurs, per component (each numbers its tables apart, so the same
    ID text may occur in two). An ID read twice is a duplicate: Convex gives each document its
    own, so two documents with one ``_id`` cannot both be imported."""

    ids: dict[tuple[str, str], str] = attrs.field(factory=dict)
    refs: dict[tuple[str, str], tuple[str, str, str, str]] = attrs.field(factory=dict)

    def add(self, result: BatchResult, item: Work, report: Report) -> None:
        component = item.component
        label = f"{component}/{item.table}" if component else item.table
        ids = self.ids
        for found in result.ids:
            key = (component, found)
            first = ids.get(key)
            if first is None:
                ids[key] = label
            else:
                report.add_duplicate(Duplicate(label, found, first))
        for target, target_table, where, path in result.refs:
            self.refs.setdefault((component, target), (label, where, path, target_table))

    def dangling(self, report: Report) -> None:
        for key, (table, where, path, target_table) in self.refs.items():
            if key not in self.ids:
                report.add_dangling(Dangling(table, where, path, key[1], target_table))


def run(
    job: Job,
    work: Iterable[Work],
    report: Report,
    *,
    jobs: int = 1,
    max_failures: int | None = None,
    progress: Progress | None = None,
) -> Report:
    """Check every block of ``work`` into ``report`` (merged in order) and return it.

    ``jobs`` worker processes (1: in this process); stops after ``max_failures`` failing
    documents, exactly. With ``job.references``, adds the dangling references at the end.
    """
    references = _References() if job.references else None
    checker = Checker(job)
    state = {"failing": 0}

    def left() -> int | None:
        return None if max_failures is None else max_failures - state["failing"]

    def merge(item: Work, result: BatchResult) -> bool:
        """Merge one result; whether to go on."""
        remaining = left()
        failing = result.report.failing
        # A block checked with a larger limit than `remaining` (blocks before it were in flight)
        # went on past its `remaining`-th failure, unless it stopped at exactly that many.
        if remaining is not None and (
            failing > remaining or (failing == remaining and not result.report.stopped_early)
        ):
            result = checker.check(
                item.table, item.block, component=item.component, limit=remaining
            )
        report.merge(result.report)
        if references is not None:
            references.add(result, item, report)
        state["failing"] += result.report.failing
        if progress is not None:
            progress.update(item.block.size, result.report.checked)
        stop = max_failures is not None and state["failing"] >= max_failures
        if stop:
            report.stopped_early = True
        return not stop

    if jobs <= 1:
        for item in work:
            if not merge(
                item, checker.check(item.table, item.block, component=item.component, limit=left())
            ):
                break
    else:
        _run_pool(job, checker, iter(work), jobs, left, merge)
    if references is not None:
        references.dangling(report)
    report.references_checked = job.references
    return report


def _run_pool(
    job: Job,
    checker: Checker,
    work: Iterator[Work],
    jobs: int,
    left: Callable[[], int | None],
    merge: Callable[[Work, BatchResult], bool],
) -> None:
    workers = jobs - 1
    # In input order: a worker's future, or the result of a block the reader checked itself.
    held: deque[tuple[Work, Future[BatchResult] | BatchResult]] = deque()

    def check_here(item: Work) -> BatchResult:
        return checker.check(item.table, item.block, component=item.component, limit=left())

    def merge_oldest() -> bool:
        item, result = held.popleft()
        return merge(item, result.result() if isinstance(result, Future) else result)

    with ProcessPoolExecutor(
        max_workers=workers, mp_context=_context(), initializer=_init, initargs=(job,)
    ) as pool:
        try:
            for item in work:
                while held and _ready(held[0][1]):
                    if not merge_oldest():
                        return
                if len(held) >= MAX_AHEAD * jobs and not merge_oldest():
                    return
                busy = sum(1 for _, r in held if isinstance(r, Future) and not r.done())
                if busy < PER_WORKER * workers:
                    held.append((item, pool.submit(_check, item, left())))
                else:
                    held.append((item, check_here(item)))
            # The input is read: the blocks no worker has started are the reader's, the last
            # first (the workers take theirs from the front).
            for index in range(len(held) - 1, -1, -1):
                item, result = held[index]
                if isinstance(result, Future):
                    if not result.cancel():
                        break
                    held[index] = (item, check_here(item))
            while held:
                if not merge_oldest():
                    return
        finally:
            for _, result in held:
                if isinstance(result, Future):
                    result.cancel()


def _ready(result: Future[BatchResult] | BatchResult) -> bool:
    return not isinstance(result, Future) or result.done()
