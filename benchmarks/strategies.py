"""``python -m benchmarks.strategies [--quick] [--examples N] [--rounds R]``: strategy speed.

Times `vschema.strategies` on deep and wide schemas, per 1,000 examples: how long Hypothesis
takes to generate that many draws and hand them to a test that does nothing (the generate
phase only, no database, derandomized so every round draws the same examples), including
Hypothesis's own work per example. Prints a markdown table: the CPU time of this thread
(what the process spent; the number to compare) and the wall time (what a user waits, which
also counts other processes on a shared machine), each the median of the rounds, with the
examples actually drawn per round (Hypothesis stops early when a strategy runs out of new
examples) and the time to define the strategy once.

The schemas: a 64-level chain of objects (Convex's nesting limit) and a 16-level one as a
table (the document limit), a 200-field table of nested objects, unions and arrays, and a
40-field table drawn as JSON-safe rows, as Convex JSON, and as partial updates.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.strategies import SearchStrategy

from vschema import Validator, define_schema, define_table, v
from vschema.strategies import for_patch, for_table, from_validator, invalid, invalid_for_table
from vschema.validators._schema import Schema


def _chain(levels: int) -> Validator:
    node: Validator = v.string()
    for i in range(levels):
        node = v.object({"next": node, "n": v.optional(v.float64()), f"f{i % 3}": v.boolean()})
    return node


def _wide(fields: int) -> Schema:
    nested = v.object(
        {
            "x": v.string(),
            "u": v.union(v.object({"a": v.string()}), v.array(v.int64())),
            "y": v.optional(v.array(v.record(v.string(), v.int64()))),
        }
    )
    row = {
        f"f{i}": nested if i % 2 else v.optional(v.union(v.string(), v.bytes()))
        for i in range(fields)
    }
    return define_schema({"wide": define_table(row)})


def workloads() -> list[tuple[str, Callable[[], SearchStrategy[Any]]]]:
    """``(name, a function that defines the strategy)``, in table order."""
    deep = _chain(63)  # 63 objects and the string: 64 levels of nesting
    deep_table = define_schema({"deep": define_table(_chain(15))})
    wide = _wide(200)
    forty = _wide(40)
    return [
        ("deep: from_validator, 64-level chain", lambda: from_validator(deep)),
        ("deep: invalid, 64-level chain", lambda: invalid(deep)),
        ("deep: for_table, 16-level chain", lambda: for_table(deep_table, "deep")),
        ("deep: invalid_for_table, 16-level chain", lambda: invalid_for_table(deep_table, "deep")),
        ("wide: for_table, 200 fields", lambda: for_table(wide, "wide")),
        (
            "wide: for_table(document=True), 200 fields",
            lambda: for_table(wide, "wide", document=True),
        ),
        ("wide: invalid_for_table, 200 fields", lambda: invalid_for_table(wide, "wide")),
        (
            "wide: for_table(json_safe=True), 40 fields",
            lambda: for_table(forty, "wide", json_safe=True),
        ),
        (
            "wide: for_table(convex_json=True), 40 fields",
            lambda: for_table(forty, "wide", convex_json=True),
        ),
        ("wide: for_patch, 40 fields", lambda: for_patch(forty, "wide")),
        (
            "wide: for_table(max_items=32), 40 fields",
            lambda: for_table(forty, "wide", max_items=32),
        ),
    ]


@dataclass(frozen=True)
class Row:
    """One workload's medians over the rounds: seconds per 1,000 examples, and how many."""

    name: str
    define_ms: float
    cpu: float
    wall: float
    examples: int


def run_once(strategy: SearchStrategy[Any], examples: int) -> tuple[float, float, int]:
    """``(cpu seconds, wall seconds, examples drawn)`` for one run of ``examples``."""
    drawn = 0

    @settings(
        max_examples=examples,
        database=None,
        derandomize=True,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def draw(value: Any) -> None:
        nonlocal drawn
        drawn += 1

    cpu, wall = time.thread_time(), time.perf_counter()
    draw()
    return time.thread_time() - cpu, time.perf_counter() - wall, drawn


def measure(examples: int, rounds: int) -> list[Row]:
    rows = []
    for name, define in workloads():
        start = time.perf_counter()
        strategy = define()
        define_ms = (time.perf_counter() - start) * 1000
        runs = [run_once(strategy, examples) for _ in range(rounds)]
        drawn = int(statistics.median(r[2] for r in runs))
        per = 1000 / max(drawn, 1)
        rows.append(
            Row(
                name,
                define_ms,
                statistics.median(r[0] for r in runs) * per,
                statistics.median(r[1] for r in runs) * per,
                drawn,
            )
        )
        print(f"  {name}: done", file=sys.stderr)
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| workload | define (ms) | CPU s / 1,000 examples | wall s / 1,000 examples "
        "| examples a round |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        cells = [row.name, f"{row.define_ms:.1f}", f"{row.cpu:.2f}", f"{row.wall:.2f}"]
        lines.append(f"| {' | '.join(cells)} | {row.examples} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.strategies", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100 examples, one round")
    parser.add_argument("--examples", type=int, help="examples a round (default 300)")
    parser.add_argument("--rounds", type=int, help="rounds a workload (default 3)")
    args = parser.parse_args(argv)
    examples = args.examples or (100 if args.quick else 300)
    rounds = args.rounds or (1 if args.quick else 3)
    rows = measure(examples, rounds)
    print(f"Strategy speed: {examples} examples a round, median of {rounds} round(s).\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
