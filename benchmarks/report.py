"""The results: console lines, the performance issue's targets, and benchmarks/RESULTS.md.

Every ratio and every target is judged on CPU time (the thread's CPU clock), each ratio the
median of the two contenders' per-round ratios (`timing.paired`); the wall-clock ratios and the
spread are reported beside them, so a noisy run shows.
"""

from __future__ import annotations

import datetime
import math
import os
import platform
import sys
from dataclasses import dataclass
from typing import Any

from benchmarks.timing import Timing, paired
from benchmarks.workloads import ACCEPTING

COLUMNS = (
    "hand-written",
    "vschema",
    "vschema is_valid",
    "pydantic",
    "msgspec",
    "fastjsonschema",
    "jsonschema",
)
LABELS = {
    "vschema": "vschema validate",
    "vschema is_valid": "vschema is_valid",
    "pydantic": "pydantic (strict)",
}

#: How each baseline in `benchmarks.handwritten` is tuned, by workload key (RESULTS.md).
TUNING = {
    "flat": "bounds as literal constants (folded into the code, not globals negated per call); "
    "key types in one C pass (`list(map(type, x)).count(str)`) before any lookup; one `try` "
    "fetching the 8 fields after a length check, then one `if` per field",
    "nested": "as the flat row, per object; arrays and the record tested item by item inline "
    "(no `enumerate`, no call per key): the index or key of an error is found only after a "
    "check fails; the union dispatches on its tag after checking the tag is an exact `str`",
    "batch": "the flat row's check written out in the loop body (a call per row costs more "
    "than its checks); the failing row's index is found only on failure",
    "wide": "as the flat row: literal bounds, key types in one C pass, one `try` for the 40 "
    "required fields, `.get` with a sentinel for the 10 optional ones",
    "deep": "written out level by level: no loop counter, no path tuple per level on the valid "
    "path (the error's path is rebuilt from the level once a check fails)",
    "int64-array": "vschema's bulk trick: the types in one C pass, then `struct.pack` of the "
    "exact ints as signed 64-bit integers checks every bound in one more pass",
    "record": "vschema's bulk trick: key types in one C pass, keys joined with `\\n` and checked "
    "with `isascii`, a `bytes.translate` deleting printable ASCII and two `in` searches; values "
    "by counting their types",
    "ids": "an ID's layout looked up by its length; the text encoded as ASCII, translated to "
    "base-32 digits (anything else to a digit `int` refuses) and decoded by one `int(..., 32)` "
    "(one `try` for both refusals), the varint by byte comparisons (`min` of the continuation "
    "bytes), Fletcher-16 read off `zlib.adler32`, whose two sums it shares",
    "literals": "one `frozenset` membership after an exact `str` check",
}


@dataclass(frozen=True)
class Target:
    name: str
    met: bool
    detail: str


def fmt_seconds(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.2f} µs"


def fmt_kib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "machine": f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "python": (
            f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})"
        ),
    }


def load_average() -> tuple[float, float, float] | None:
    """The 1, 5 and 15-minute load averages, where the system tells them."""
    try:
        return os.getloadavg()
    except OSError:
        return None


def cpu_counters() -> list[int] | None:
    """The machine's CPU time counters from /proc/stat (user, nice, system, idle, iowait, irq,
    softirq, steal, ...), or ``None`` off Linux."""
    try:
        with open("/proc/stat") as stat:
            return [int(field) for field in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None


def steal_share(before: list[int] | None, after: list[int] | None) -> float | None:
    """The share of the machine's CPU time the hypervisor gave other guests between two
    `cpu_counters` readings. A thread's CPU clock runs on while its virtual CPU waits, so
    on a shared host this noise reaches the CPU-clock timings too."""
    if not before or not after or len(before) < 8 or len(after) < 8:
        return None
    total = sum(after[:8]) - sum(before[:8])
    return (after[7] - before[7]) / total if total > 0 else None


def slower(value: float) -> str:
    """``value`` (a time ratio, lower is faster) to two decimals, rounded up: a target line
    never shows a number rounded in vschema's favour."""
    return f"{math.ceil(value * 100 - 1e-9) / 100:.2f}×"


def faster(value: float) -> str:
    """``value`` (a speed-up, higher is faster) to two decimals, rounded down."""
    return f"{math.floor(value * 100 + 1e-9) / 100:.2f}×"


def ratio(timings: dict[str, Timing], name: str, clock: str = "cpu") -> float:
    """``name``'s time over the hand-written check's, round by round (`paired`), on ``clock``
    ("cpu" or "wall")."""
    return paired(timings[name], timings["hand-written"], clock).median


def ratio_cell(timings: dict[str, Timing], name: str, per_row: int = 1, clock: str = "cpu") -> str:
    if name not in timings:
        return "–"
    if name == "hand-written":
        return fmt_seconds(getattr(timings[name], clock).median / per_row)
    return f"{ratio(timings, name, clock):.2f}×"


def spread_cell(timings: dict[str, Timing], name: str) -> str:
    """Half the CPU time's interquartile range over the median, and the wall clock's."""
    if name not in timings:
        return "–"
    timing = timings[name]
    return f"±{timing.cpu.relative * 100:.1f} % / ±{timing.wall.relative * 100:.1f} %"


def _between(a: Timing, b: Timing) -> str:
    """The quartiles of ``a / b`` over the rounds, on CPU time: how far the spread moves it."""
    spread = paired(a, b)
    return f"{spread.low:.2f}–{spread.high:.2f}×"


#: The targets' limits, named once so the lines and the checks agree.
IS_VALID_LIMIT = 1.2
PYDANTIC_SPEEDUP = 1.8
REJECT_LIMITS = {"nested": 2.0, "flat": 2.5}
SCHEMA_RSS_MIB = 8
IMPORT_MS = 40


def _workloads(results: dict[str, Any], **want: str) -> list[str]:
    """The keys of timed workloads whose metadata matches ``want`` (kind, mode, loader)."""
    return [
        key
        for key, meta in results["meta"].items()
        if key in results["timed"] and all(meta.get(k) == val for k, val in want.items())
    ]


def targets(results: dict[str, Any], titles: dict[str, str]) -> list[Target]:
    """The performance issue's targets, each judged on CPU time."""
    timed: dict[str, dict[str, Timing]] = results["timed"]
    out = []
    # 1. compiled is_valid within 1.2x of the tuned hand-written check on every dict workload
    pairs = [
        (ratio(timed[k], "vschema is_valid"), k)
        for k in _workloads(results, kind="dict")
        if "vschema is_valid" in timed[k]
    ]
    if pairs:
        worst, key = max(pairs)
        over = [
            f"{titles[k]} {slower(r)}" for r, k in sorted(pairs, reverse=True) if r > IS_VALID_LIMIT
        ]
        out.append(
            Target(
                f"compiled `is_valid` within {IS_VALID_LIMIT}× of the tuned hand-written check "
                "on every dict workload",
                worst <= IS_VALID_LIMIT,
                f"worst {slower(worst)} ({titles[key]}; quartiles "
                f"{_between(timed[key]['vschema is_valid'], timed[key]['hand-written'])})"
                + (f"; over: {', '.join(over)}" if over else ""),
            )
        )
    # 2. at least 1.8x faster than pydantic strict validate_python, valid and invalid
    keys = _workloads(results, kind="dict") + _workloads(results, kind="reject", mode="first")
    speedups = [
        (paired(timed[k]["pydantic"], timed[k]["vschema"]).median, k)
        for k in keys
        if "pydantic" in timed[k]
    ]
    if speedups:
        least, key = min(speedups)
        under = [f"{titles[k]} {faster(r)}" for r, k in sorted(speedups) if r < PYDANTIC_SPEEDUP]
        out.append(
            Target(
                f"at least {PYDANTIC_SPEEDUP}× faster than pydantic strict `validate_python` on "
                "every dict workload, valid and invalid (first issue)",
                least >= PYDANTIC_SPEEDUP,
                f"smallest speed-up {faster(least)} ({titles[key]}; quartiles "
                f"{_between(timed[key]['pydantic'], timed[key]['vschema'])})"
                + (f"; under: {', '.join(under)}" if under else ""),
            )
        )
    # 3. faster than pydantic validate_json on the JSON workloads, parsing with orjson
    speedups = [
        (paired(timed[k]["pydantic"], timed[k]["vschema"]).median, k)
        for k in _workloads(results, kind="json", loader="orjson")
        if "pydantic" in timed[k]
    ]
    if speedups:
        out.append(
            Target(
                "faster than pydantic `validate_json` on the JSON workloads (vschema parsing "
                "with orjson)",
                min(speedups)[0] > 1,
                ", ".join(f"{titles[k]}: speed-up {faster(r)}" for r, k in speedups),
            )
        )
    # 4. rejecting (all issues, with paths) within 2x / 2.5x of accepting
    parts, met = [], True
    for key in _workloads(results, kind="reject", mode="all"):
        family = results["meta"][key]["accept"]
        if family not in REJECT_LIMITS or ACCEPTING not in timed[key]:
            continue
        # The valid twin's `validate`, timed in the same rounds as the rejection.
        r = paired(timed[key]["vschema"], timed[key][ACCEPTING]).median
        met = met and r <= REJECT_LIMITS[family]
        parts.append(f"{titles[family]} {slower(r)} (limit {REJECT_LIMITS[family]}×)")
    if parts:
        out.append(
            Target(
                "rejecting (all issues, with paths: `errors()`) within 2× of accepting "
                "(`validate`) on the nested row, within 2.5× on the flat row",
                met,
                ", ".join(parts),
            )
        )
    if "schema_rss" in results:
        rss = results["schema_rss"]
        total = rss["total"]["kib"]
        out.append(
            Target(
                f"a {rss['tables']}-table schema, fully compiled, under {SCHEMA_RSS_MIB} MiB of "
                "added RSS",
                total < SCHEMA_RSS_MIB * 1024,
                f"{fmt_kib(total)} ("
                + ", ".join(
                    f"{stage} {fmt_kib(rss[stage]['kib'])}"
                    for stage in ("define", "check", "explain", "document")
                )
                + f"; {fmt_seconds(rss['total']['cpu_seconds'])} CPU)",
            )
        )
    if "imports" in results:
        seconds = results["imports"]["vschema"]["importtime"]
        wall = results["imports"]["vschema"]["wall"]
        out.append(
            Target(
                f"`import vschema` under {IMPORT_MS} ms",
                seconds < IMPORT_MS / 1e3,
                f"{fmt_seconds(seconds)} (-X importtime), {fmt_seconds(wall)} wall",
            )
        )
    if "rss" in results:
        peaks = results["rss"]["peak_kib"]
        first, last = peaks[min(peaks, key=int)], peaks[max(peaks, key=int)]
        growth = last - first
        marks = ", ".join(
            f"{int(k):,} rows {v / 1024:.1f} MiB"
            for k, v in sorted(peaks.items(), key=lambda kv: int(kv[0]))
        )
        out.append(
            Target(
                "peak RSS flat while validating streamed JSON lines (growth < 1 MiB)",
                growth < 1024,
                f"{marks} (growth {growth} KiB)",
            )
        )
    return out


def load_line(results: dict[str, Any]) -> str:
    loads = results.get("load", {})
    parts = [
        f"{when} {' / '.join(f'{x:.2f}' for x in load)}"
        for when, load in loads.items()
        if load is not None
    ]
    line = "- Load average (1 / 5 / 15 min): " + ("; ".join(parts) or "unknown")
    steal = steal_share(*results.get("cpu_counters", (None, None)))
    if steal is not None:
        line += f"; CPU time stolen by the hypervisor during the run: {steal * 100:.1f} %"
    return line


def _environment(results: dict[str, Any], options: dict[str, Any]) -> list[str]:
    info = machine()
    return [
        f"- Machine: {info['machine']}",
        f"- Python: {info['python'].split(' (')[0]}",
        "- Peers: "
        + ", ".join(f"{name} {version}" for name, version in results["versions"].items()),
        load_line(results),
        f"- Method: {options['rounds']} interleaved rounds per workload (shuffled order, "
        f"batches of ~{options['batch_ms']:g} ms, GC paused per batch), each batch timed on "
        "the thread's CPU clock and the wall clock. Ratios are CPU time relative to the tuned "
        "hand-written check of the same rules (lower is faster), each the median over the "
        "rounds of the two times in one round (a slow stretch of the machine slows both and "
        "cancels out); the hand-written column gives its median CPU time per call. Targets are "
        "judged on CPU time.",
    ]


def _ratio_table(results: dict[str, Any], titles: dict[str, str], clock: str = "cpu") -> list[str]:
    lines = [
        "| workload | " + " | ".join(LABELS.get(c, c) for c in COLUMNS) + " |",
        "|---|" + "---:|" * len(COLUMNS),
    ]
    for key, timings in results["timed"].items():
        per_row = results["per_row"].get(key, 1)
        cells = [ratio_cell(timings, c, per_row, clock) for c in COLUMNS]
        if per_row > 1:
            cells[0] += " per row"
        lines.append(f"| {titles[key]} | " + " | ".join(cells) + " |")
    return lines


def _spread_table(results: dict[str, Any], titles: dict[str, str]) -> list[str]:
    lines = [
        "| workload | " + " | ".join(LABELS.get(c, c) for c in COLUMNS) + " |",
        "|---|" + "---:|" * len(COLUMNS),
    ]
    for key, timings in results["timed"].items():
        cells = [spread_cell(timings, c) for c in COLUMNS]
        lines.append(f"| {titles[key]} | " + " | ".join(cells) + " |")
    return lines


def _target_lines(goals: list[Target]) -> list[str]:
    return [
        f"- **{'MET' if goal.met else 'NOT MET'}**: {goal.name}: {goal.detail}" for goal in goals
    ]


def readme_block(
    results: dict[str, Any], titles: dict[str, str], goals: list[Target], options: dict[str, Any]
) -> str:
    """The results as the README shows them: environment, the ratio table, the targets."""
    lines = [
        f"Latest `make bench`, {datetime.date.today().isoformat()} (full results, wall-clock "
        "ratios and spread: [benchmarks/RESULTS.md](benchmarks/RESULTS.md)):",
        "",
        *_environment(results, options),
        "",
        *_ratio_table(results, titles),
        "",
        *_target_lines(goals),
    ]
    return "\n".join(lines)


_ROWS_NOTE = (
    "Rows: *JSON* rows start from bytes, and the hand-written check and vschema parse with the "
    "same parser: in the *(orjson)* rows `orjson.loads`, in the *(json)* rows the standard "
    "library's parser exactly as `validate_json` calls it (one reused `json.JSONDecoder` on "
    "the UTF-8 text; `json.loads` would cost more per call), vschema through `validate_json` "
    "itself; pydantic uses `validate_json`, msgspec `msgspec.json.decode`, the JSON Schema "
    "validators the row's parser. *reject* rows time producing the error object for a row "
    "whose last field (flat) or a field inside the tagged union (nested) has the wrong type. "
    "*first issue*: the hand-written check, msgspec and fastjsonschema stop at the first issue, "
    "jsonschema takes the first of its lazy `iter_errors`; pydantic has no first-issue mode "
    "(its `ValidationError.errors()` lists all); vschema's cell is `first_issue()`, which "
    "returns the first issue with its path and message (its walk stops at a second). *all "
    "issues*: vschema `errors()`, pydantic `errors()`, jsonschema every `iter_errors` path and "
    "message; msgspec and fastjsonschema cannot list more than one (–). Both reject rows are "
    "relative to the same hand-written first-issue check, since no hand-written all-issues "
    "check is timed. *vschema is_valid* is the boolean fast path (its column is the compiled "
    "check alone); *vschema validate* returns the input or raises. *object with 2 IDs*: the "
    "peers check each ID against a pattern only (see the documented differences), far less "
    "work than decoding it and verifying its checksum, as vschema and the baseline do."
)


def markdown(
    results: dict[str, Any], titles: dict[str, str], goals: list[Target], options: dict[str, Any]
) -> str:
    """The whole of RESULTS.md."""
    lines = [
        "# vschema benchmark results",
        "",
        f"Generated by `python -m benchmarks{' --quick' if options['quick'] else ''}` on "
        f"{datetime.date.today().isoformat()}. Do not edit by hand.",
        "",
        *_environment(results, options),
        "",
        "## CPU time relative to the tuned hand-written check",
        "",
        *_ratio_table(results, titles),
        "",
        _ROWS_NOTE,
        "",
        "## Wall-clock time relative to the tuned hand-written check",
        "",
        "The same batches on the wall clock, which also counts time other processes held the core.",
        "",
        *_ratio_table(results, titles, clock="wall"),
        "",
        "## Spread",
        "",
        "Half the interquartile range of the rounds over the median, CPU clock / wall clock. "
        "The CPU clock leaves out the time other processes hold the core, not the time they "
        "slow it down (shared caches, a shared physical core, a virtual CPU waiting on its "
        "host), so a busy machine widens both.",
        "",
        *_spread_table(results, titles),
        "",
        "## How the hand-written checks are tuned",
        "",
        "Each is the fastest pure-Python check of exactly vschema's rules that we found "
        "(`benchmarks/handwritten.py`), including the rule that every dict key is an exact "
        "`str`, checked before any lookup. Each must pass the same pre-checks as every "
        "contender, which include a `str`-subclass key wherever the workload has objects.",
        "",
        "| workload | tuning |",
        "|---|---|",
    ]
    lines += [f"| {titles[k]} | {TUNING[k]} |" for k in TUNING if k in titles]
    lines.append("")
    if results.get("differences"):
        lines += [
            "## Documented differences (checked before timing)",
            "",
            "Before a contender is timed it must accept every valid sample and reject every "
            "invalid one, except these, which it must then really accept (see "
            "`benchmarks/__init__.py`).",
            "",
            "| invalid sample | accepted by | workloads |",
            "|---|---|---|",
        ]
        for (label, accepted_by), where in results["differences"].items():
            lines.append(f"| {label} | {', '.join(accepted_by)} | {', '.join(where)} |")
        lines.append("")
    if "schema_rss" in results:
        from benchmarks.processes import SCHEMA_STAGES

        rss = results["schema_rss"]
        lines += [
            f"## Memory: a {rss['tables']}-table schema, fully compiled (fresh interpreter, "
            "median)",
            "",
            "RSS each stage adds, in order, for `benchmarks/tables.py`'s tables.",
            "",
            "| stage | added RSS | CPU time |",
            "|---|---:|---:|",
        ]
        for stage, label in (*SCHEMA_STAGES, ("total", "total")):
            lines.append(
                f"| {label} | {fmt_kib(rss[stage]['kib'])} | "
                f"{fmt_seconds(rss[stage]['cpu_seconds'])} |"
            )
        lines.append("")
    if "compile" in results:
        lines += ["## Building and compiling 50 tables (fresh interpreter, median)", ""]
        lines += [
            "| " + " | ".join(results["compile"]) + " |",
            "|" + "---:|" * len(results["compile"]),
        ]
        lines.append("| " + " | ".join(fmt_seconds(s) for s in results["compile"].values()) + " |")
        lines += ["", "Peers' times include translating the vschema tree into their types.", ""]
    if "imports" in results:
        lines += ["## Import time (fresh interpreter, median)", ""]
        lines += ["| module | -X importtime | wall, minus bare interpreter |", "|---|---:|---:|"]
        for module, t in results["imports"].items():
            lines.append(
                f"| {module} | {fmt_seconds(t['importtime'])} | {fmt_seconds(t['wall'])} |"
            )
        lines.append("")
    if "rss" in results:
        rss = results["rss"]
        lines += ["## Memory: validating flat rows streamed as JSON lines (orjson + vschema)", ""]
        lines += ["| rows | peak RSS |", "|---:|---:|"]
        for rows, kib in sorted(rss["peak_kib"].items(), key=lambda kv: int(kv[0])):
            lines.append(f"| {int(rows):,} | {kib / 1024:.1f} MiB |")
        lines += ["", f"{rss['rows']:,} rows in {rss['seconds']:.1f} s.", ""]
    if "scaling" in results:
        lines += [scaling_section(results["scaling"]), ""]
    lines += ["## Targets (CPU time)", "", *_target_lines(goals), ""]
    return "\n".join(lines)


#: The compile-scaling section sits between these lines, so ``--scaling`` can rewrite it alone.
SCALING_START = "<!-- scaling:start -->"
SCALING_END = "<!-- scaling:end -->"


def scaling_section(rows: list[Any]) -> str:
    from benchmarks import scaling

    return "\n".join([SCALING_START, *scaling.markdown(rows), SCALING_END])
