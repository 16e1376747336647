"""The results: console lines, the targets of issue 7, and benchmarks/RESULTS.md."""

from __future__ import annotations

import datetime
import os
import platform
import sys
from dataclasses import dataclass
from typing import Any

from benchmarks.timing import Timing

COLUMNS = ("hand-written", "vschema", "pydantic", "msgspec", "fastjsonschema", "jsonschema")
PEER_LABELS = {"pydantic": "pydantic (strict)"}


@dataclass(frozen=True)
class Target:
    name: str
    met: bool
    detail: str


def fmt_seconds(seconds: float) -> str:
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.2f} µs"


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


def ratio_cell(timings: dict[str, Timing], name: str, per_row: int = 1) -> str:
    if name not in timings:
        return "–"
    base = timings["hand-written"].median
    timing = timings[name]
    if name == "hand-written":
        return fmt_seconds(timing.median / per_row)
    return f"{timing.median / base:.2f}×"


def targets(results: dict[str, Any], titles: dict[str, str], dict_keys: list[str]) -> list[Target]:
    timed: dict[str, dict[str, Timing]] = results["timed"]
    out = []
    # 1. within 1.3x of hand-written on every dict workload (valid Python payloads)
    worst = [
        (timed[k]["vschema"].median / timed[k]["hand-written"].median, k)
        for k in dict_keys
        if k in timed
    ]
    if worst:
        ratio, key = max(worst)
        misses = ", ".join(
            f"{titles[k]} {r:.2f}×" for r, k in sorted(worst, reverse=True) if r > 1.3
        )
        out.append(
            Target(
                "compiled validator within 1.3× of hand-written on every dict workload",
                ratio <= 1.3,
                f"worst {ratio:.2f}× ({titles[key]})" + (f"; over: {misses}" if misses else ""),
            )
        )
    # 2. at least 1.8x faster than pydantic strict everywhere
    speedups = [
        (t["pydantic"].median / t["vschema"].median, k) for k, t in timed.items() if "pydantic" in t
    ]
    if speedups:
        ratio, key = min(speedups)
        misses = ", ".join(f"{titles[k]} {r:.2f}×" for r, k in sorted(speedups) if r < 1.8)
        out.append(
            Target(
                "at least 1.8× faster than pydantic strict on every workload, valid and invalid",
                ratio >= 1.8,
                f"smallest speed-up {ratio:.2f}× ({titles[key]})"
                + (f"; under: {misses}" if misses else ""),
            )
        )
    # 3. rejecting within 2x of accepting
    rejects = [
        (timed[k]["vschema"].median / timed[accept]["vschema"].median, k)
        for k, accept in results["reject_pairs"].items()
        if k in timed and accept in timed
    ]
    if rejects:
        parts = ", ".join(f"{titles[k]} {r:.2f}×" for r, k in rejects)
        best = {}
        for r, k in rejects:
            family = k.removesuffix("-errors")
            best[family] = min(best.get(family, r), r)
        out.append(
            Target(
                "rejecting invalid input (with path and reason) within 2× of accepting valid input",
                all(r <= 2 for r in best.values()),
                parts,
            )
        )
    if "compile" in results:
        seconds = results["compile"]["vschema"]
        out.append(
            Target("compiling a 50-table schema < 50 ms", seconds < 0.05, fmt_seconds(seconds))
        )
    if "imports" in results:
        seconds = results["imports"]["vschema"]["importtime"]
        wall = results["imports"]["vschema"]["wall"]
        out.append(
            Target(
                "`import vschema` < 50 ms",
                seconds < 0.05,
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


def _environment(results: dict[str, Any], options: dict[str, Any]) -> list[str]:
    info = machine()
    return [
        f"- Machine: {info['machine']}",
        f"- Python: {info['python'].split(' (')[0]}",
        "- Peers: "
        + ", ".join(f"{name} {version}" for name, version in results["versions"].items()),
        f"- Method: {options['rounds']} interleaved rounds per workload (shuffled order, "
        f"batches of ~{options['batch_ms']:g} ms, GC paused per batch); medians. Ratios are "
        "time relative to the hand-written check of the same rules (lower is faster); the "
        "hand-written column gives its time per call.",
    ]


def _ratio_table(results: dict[str, Any], titles: dict[str, str]) -> list[str]:
    lines = [
        "| workload | " + " | ".join(PEER_LABELS.get(c, c) for c in COLUMNS) + " |",
        "|---|" + "---:|" * len(COLUMNS),
    ]
    for key, timings in results["timed"].items():
        per_row = results["per_row"].get(key, 1)
        cells = [ratio_cell(timings, c, per_row) for c in COLUMNS]
        if per_row > 1:
            cells[0] += " per row"
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
        f"Latest `make bench`, {datetime.date.today().isoformat()} (full results: "
        "[benchmarks/RESULTS.md](benchmarks/RESULTS.md)):",
        "",
        *_environment(results, options),
        "",
        *_ratio_table(results, titles),
        "",
        *_target_lines(goals),
    ]
    return "\n".join(lines)


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
        "## Time relative to hand-written pure Python",
        "",
        *_ratio_table(results, titles),
    ]
    lines += [
        "",
        "Rows: *JSON* rows start from bytes; the baseline and the JSON Schema validators parse "
        "with the loader named, vschema with the loader named or, in the `json.loads` rows, "
        "its own `validator.validate_json` (the standard library's parser), pydantic uses "
        "`validate_json` and msgspec `msgspec.json.decode`. *reject* rows time producing the "
        "error object for a row whose last field (flat) or a field inside the tagged union "
        "(nested) has the wrong type: vschema by catching `ValidationError` or with "
        "`errors()`, pydantic `ValidationError.errors()`, msgspec the message, the JSON Schema "
        "validators their error's path and message, the baseline its own exception.",
        "",
    ]
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
    lines += ["## Targets (issue 7)", "", *_target_lines(goals), ""]
    return "\n".join(lines)


#: The compile-scaling section sits between these lines, so ``--scaling`` can rewrite it alone.
SCALING_START = "<!-- scaling:start -->"
SCALING_END = "<!-- scaling:end -->"


def scaling_section(rows: list[Any]) -> str:
    from benchmarks import scaling

    return "\n".join([SCALING_START, *scaling.markdown(rows), SCALING_END])
