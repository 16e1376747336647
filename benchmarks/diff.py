"""``python -m benchmarks.diff``: how long `vschema.evolution.diff` takes on 50-table schemas.

Three pairs of 50-table schemas, each table a realistic row (a dozen fields: strings, numbers,
an Int64, IDs of other tables, a union of status literals, an optional array of tagged objects,
a record, a nullable nested object):

* identical schemas (every table unchanged: the cheap path);
* every table changed compatibly (optional fields added, literals added, fields widened);
* every table changed in a breaking way (a literal removed, an element type changed, a field
  made required, a union of objects narrowed), so every table builds and verifies witnesses.

Each row gives the CPU time of one ``diff`` (``time.thread_time_ns``, the best of a few runs, so
other load on the machine counts less than on the wall clock), per schema and per table, and
the same for ``plan`` on the breaking pair. The target is well under a second per pair. Output
is a markdown table, for `make bench`.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

TABLES = 50
RUNS = 5


def _table(index: int, change: str) -> Any:
    from vschema import define_table, v

    other = f"t{(index + 1) % TABLES}"
    statuses = ["draft", "active", "archived"]
    kinds = v.union(
        v.object({"kind": v.literal("text"), "body": v.string()}),
        v.object({"kind": v.literal("image"), "url": v.string(), "width": v.float64()}),
    )
    fields: dict[str, Any] = {
        "name": v.string(),
        "email": v.string(),
        "age": v.float64(),
        "score": v.int64(),
        "owner": v.id(other),
        "status": v.union(*(v.literal(s) for s in statuses)),
        "blocks": v.optional(v.array(kinds)),
        "labels": v.record(v.string(), v.string()),
        "address": v.nullable(v.object({"city": v.string(), "zip": v.optional(v.string())})),
        "bio": v.optional(v.string()),
        "tags": v.array(v.string()),
        "active": v.boolean(),
    }
    if change == "compatible":
        fields["nickname"] = v.optional(v.string())
        fields["status"] = v.union(*(v.literal(s) for s in [*statuses, "deleted"]))
        fields["age"] = v.union(v.float64(), v.null())
        fields["owner"] = v.union(v.id(other), v.id(f"t{index}"))
    elif change == "breaking":
        fields["status"] = v.union(*(v.literal(s) for s in statuses[:2]))
        fields["tags"] = v.array(v.int64())
        fields["bio"] = v.string()
        fields["blocks"] = v.optional(
            v.array(v.object({"kind": v.literal("text"), "body": v.string()}))
        )
    return define_table(fields).index("by_email", ["email"]).index("by_owner", ["owner"])


def _schema(change: str) -> Any:
    from vschema import define_schema

    return define_schema({f"t{i}": _table(i, change) for i in range(TABLES)})


def _best_cpu_ms(work: Callable[[], object]) -> float:
    best = None
    for _ in range(RUNS):
        start = time.thread_time_ns()
        work()
        spent = time.thread_time_ns() - start
        best = spent if best is None or spent < best else best
    assert best is not None
    return best / 1e6


def main() -> None:
    """Print the markdown table."""
    from vschema.evolution import diff
    from vschema.evolution._plan import plan

    base = _schema("none")
    rows: list[tuple[str, float, str]] = []
    for label, change in (
        ("identical", "none"),
        ("compatible changes", "compatible"),
        ("breaking changes", "breaking"),
    ):
        other = _schema(change)
        result = diff(base, other)
        broken = sum(1 for table in result.tables if table.breaking)
        unknown = sum(
            1 for t in result.tables for d in (t.stored, t.writers) if d.status == "unknown"
        )
        ms = _best_cpu_ms(functools.partial(diff, base, other))
        rows.append((f"diff, {label}", ms, f"{broken} breaking, {unknown} unknown"))
    breaking = _schema("breaking")
    ms = _best_cpu_ms(lambda: plan(base, breaking))
    rows.append(("plan, breaking changes", ms, f"{len(plan(base, breaking))} plans"))
    print(f"## vschema diff: two {TABLES}-table schemas (CPU time, best of {RUNS})\n")
    print("| workload | ms per schema | ms per table | tables breaking | target < 1000 ms |")
    print("|---|---:|---:|---|---|")
    for label, ms, note in rows:
        met = "met" if ms < 1000 else "NOT met"
        print(f"| {label} | {ms:.1f} | {ms / TABLES:.2f} | {note} | {met} |")


if __name__ == "__main__":
    main()
