"""Interleaved timing: every contender runs once per round, in a shuffled order, many rounds.

Interleaving spreads the machine's slow moments (another process, a frequency change) over every
contender instead of landing on whichever happened to run then; the median over rounds ignores
the outliers that remain. Each round times a batch of calls sized to take about ``batch_seconds``,
with the garbage collector paused as `timeit` does.
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
class Timing:
    """Seconds per call: the median over rounds and the spread of the middle half."""

    median: float
    low: float  # first quartile
    high: float  # third quartile
    calls: int  # calls per round


def _batch(run: Callable[[Any], object], payload: Any, calls: int) -> float:
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in itertools.repeat(None, calls):
            run(payload)
        return time.perf_counter() - start
    finally:
        if enabled:
            gc.enable()


def _calibrate(run: Callable[[Any], object], payload: Any, batch_seconds: float) -> int:
    run(payload)  # warm up: compile, fill caches
    calls = 1
    while True:
        elapsed = _batch(run, payload, calls)
        if elapsed >= batch_seconds / 4 or calls >= 1 << 24:
            return max(1, round(calls * batch_seconds / max(elapsed, 1e-9)))
        calls *= 4


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
    samples: dict[str, list[float]] = {name: [] for name, _ in contenders}
    order = list(contenders)
    rng = random.Random(seed)
    for _ in range(rounds):
        rng.shuffle(order)
        for name, run in order:
            samples[name].append(_batch(run, payload, calls[name]) / calls[name])
    out = {}
    for name, values in samples.items():
        if len(values) >= 2:
            low, _, high = statistics.quantiles(values, n=4)
        else:
            low = high = values[0]
        out[name] = Timing(statistics.median(values), low, high, calls[name])
    return out
