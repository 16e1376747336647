"""Interleaved timing: every contender runs once per round, in a shuffled order, many rounds.

Interleaving spreads the machine's slow moments (another process, a frequency change) over every
contender instead of landing on whichever happened to run then; the median over rounds ignores
the outliers that remain. A ratio of two contenders is the median of their per-round ratios
(`paired`): both ran in the same round, tens of milliseconds apart, so a stretch where the
machine as a whole ran slower (a host busy with other guests) slows both and cancels out, where
a ratio of two medians would carry whatever each median happened to catch. Each round times a
batch of calls sized to take about ``batch_seconds``, with the garbage collector paused as
`timeit` does.

Each batch is timed twice over: on the wall clock and on this thread's CPU clock
(`time.thread_time_ns`). On a shared machine the wall clock also counts the time another process
held the core; the CPU clock counts only ours, so the targets are judged on it. Both are
reported, with the spread (the middle half of the rounds), so a reader sees how noisy a run was.
"""

from __future__ import annotations

import gc
import itertools
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Spread:
    """Seconds per call on one clock: the median over rounds and the quartiles around it."""

    median: float
    low: float  # first quartile
    high: float  # third quartile

    @property
    def relative(self) -> float:
        """Half the interquartile range as a fraction of the median (0.02 is ±2 %)."""
        return (self.high - self.low) / 2 / self.median if self.median else 0.0


@dataclass(frozen=True)
class Timing:
    """One contender on one workload: CPU and wall time per call, and calls per batch."""

    cpu: Spread
    wall: Spread
    calls: int
    #: Seconds per call in each round, in round order, on each clock (for `paired`).
    cpu_rounds: tuple[float, ...] = ()
    wall_rounds: tuple[float, ...] = ()

    @property
    def median(self) -> float:
        """The CPU median: the number the table and the targets use."""
        return self.cpu.median


def _batch(run: Callable[[Any], object], payload: Any, calls: int) -> tuple[int, int]:
    """(CPU ns, wall ns) for ``calls`` calls of ``run(payload)``."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        cpu0 = time.thread_time_ns()
        wall0 = time.perf_counter_ns()
        for _ in itertools.repeat(None, calls):
            run(payload)
        wall1 = time.perf_counter_ns()
        cpu1 = time.thread_time_ns()
        return cpu1 - cpu0, wall1 - wall0
    finally:
        if enabled:
            gc.enable()


def _calibrate(run: Callable[[Any], object], payload: Any, batch_seconds: float) -> int:
    run(payload)  # warm up: compile, fill caches
    calls = 1
    target_ns = batch_seconds * 1e9
    while True:
        _, elapsed = _batch(run, payload, calls)
        if elapsed >= target_ns / 4 or calls >= 1 << 24:
            return max(1, round(calls * target_ns / max(elapsed, 1)))
        calls *= 4


def _spread(values: list[float]) -> Spread:
    if len(values) >= 2:
        low, _, high = statistics.quantiles(values, n=4)
    else:
        low = high = values[0]
    return Spread(statistics.median(values), low, high)


def paired(a: Timing, b: Timing, clock: str = "cpu") -> Spread:
    """``a``'s time over ``b``'s, round by round: the median and the quartiles of the ratios of
    two contenders timed in the same rounds of one workload (``clock``: "cpu" or "wall")."""
    mine, theirs = getattr(a, f"{clock}_rounds"), getattr(b, f"{clock}_rounds")
    if not mine or len(mine) != len(theirs):
        raise ValueError("paired() takes two contenders timed in the same rounds")
    return _spread([x / y for x, y in zip(mine, theirs, strict=True)])


def interleaved(
    contenders: Sequence[tuple[str, Callable[[Any], object]]],
    payload: Any,
    *,
    rounds: int,
    batch_seconds: float,
    seed: int = 0,
) -> dict[str, Timing]:
    """Time each ``(name, run)`` on ``payload``; per-call seconds by name."""
    calls = {name: _calibrate(run, payload, batch_seconds) for name, run in contenders}
    cpu: dict[str, list[float]] = {name: [] for name, _ in contenders}
    wall: dict[str, list[float]] = {name: [] for name, _ in contenders}
    order = list(contenders)
    rng = random.Random(seed)
    for _ in range(rounds):
        rng.shuffle(order)
        for name, run in order:
            cpu_ns, wall_ns = _batch(run, payload, calls[name])
            cpu[name].append(cpu_ns / 1e9 / calls[name])
            wall[name].append(wall_ns / 1e9 / calls[name])
    return {
        name: Timing(
            _spread(cpu[name]),
            _spread(wall[name]),
            calls[name],
            tuple(cpu[name]),
            tuple(wall[name]),
        )
        for name in cpu
    }
