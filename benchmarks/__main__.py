"""``python -m benchmarks [--quick] [--only KEY ...] [--scaling] [--no-write]``.

Runs the workloads, prints the table and the targets, and writes RESULTS.md and (for a full
run) the results part of the README. ``--scaling`` runs only the compile-scaling table
(`benchmarks.scaling`, no peers needed) and rewrites just its section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import peers, processes, report, scaling, tables, timing, workloads

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
README = Path(__file__).resolve().parent.parent / "README.md"
#: The README's results sit between these lines; the runner rewrites what is between them.
README_START = "<!-- benchmarks:start (written by make bench) -->"
README_END = "<!-- benchmarks:end -->"


def write_readme(block: str) -> None:
    """Put ``block`` between the README's markers; fail loudly if the markers are gone."""
    text = README.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise SystemExit(f"{README} lacks the lines {README_START!r} ... {README_END!r}")
    head = text[: start + len(README_START)]
    README.write_text(f"{head}\n{block}\n{text[end:]}", encoding="utf-8")


def write_scaling(rows: list[scaling.Row]) -> None:
    """Replace the compile-scaling section of RESULTS.md (or add it) with ``rows``."""
    section = report.scaling_section(rows)
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    start, end = text.find(report.SCALING_START), text.find(report.SCALING_END)
    if start >= 0 and end > start:
        text = text[:start] + section + text[end + len(report.SCALING_END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    print(f"wrote {RESULTS}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a fast smoke run: few rounds")
    parser.add_argument("--rounds", type=int, help="interleaved rounds per workload (25; quick 5)")
    parser.add_argument("--only", nargs="*", metavar="KEY", help="run only these workload keys")
    parser.add_argument(
        "--no-write", action="store_true", help="do not write benchmarks/RESULTS.md or the README"
    )
    parser.add_argument(
        "--scaling",
        action="store_true",
        help="only the compile-scaling table (define, compile, first errors(), source size)",
    )
    args = parser.parse_args(argv)
    if args.scaling:
        rows = scaling.run(scaling.QUICK_ROWS if args.quick else scaling.ROWS)
        if not args.no_write:
            write_scaling(rows)
        return 0

    missing = sorted(set(peers.PEERS) - set(peers.installed()))
    if missing:
        print(
            f"peers not installed: {', '.join(missing)} (pip install -e '.[bench]'); "
            "timing the rest",
            file=sys.stderr,
        )
    rounds = args.rounds or (5 if args.quick else 25)
    batch_seconds = 0.002 if args.quick else 0.008
    #: (invalid sample, peers documented to accept it) -> workloads, as checked by the pre-checks
    differences: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    started = time.perf_counter()
    results: dict[str, Any] = {
        "differences": differences,
        "timed": {},
        "per_row": {},
        #: per workload: its kind, and for rejections the mode and the accepting workload
        "meta": {},
        "versions": peers.versions(),
        # Other processes share the machine: say how busy it was, before and after.
        "load": {"before": report.load_average()},
    }
    counters_before = report.cpu_counters()
    titles: dict[str, str] = {}
    for workload in workloads.build(quick=args.quick):
        if args.only and workload.key not in args.only:
            continue
        titles[workload.key] = workload.title
        for case in workload.invalid:
            if case.accepted_by:
                where = differences.setdefault((case.label, tuple(sorted(case.accepted_by))), [])
                where.append(workload.title)
        contenders = workloads.contenders(workload)
        for contender in contenders:
            workloads.precheck(workload, contender)
        timings = timing.interleaved(
            [(c.name, c.run) for c in contenders],
            workload.payload,
            rounds=rounds,
            batch_seconds=batch_seconds,
        )
        results["timed"][workload.key] = timings
        if workload.batch:
            results["per_row"][workload.key] = len(workload.payload)
        results["meta"][workload.key] = {
            "kind": workload.kind,
            "mode": workload.reject_mode if workload.kind == "reject" else None,
            "accept": workload.accept_key,
            "loader": workload.loader_name or None,
        }
        per_row = results["per_row"].get(workload.key, 1)
        cells = "  ".join(
            f"{c.name} {report.ratio_cell(timings, c.name, per_row)}"
            f" (±{timings[c.name].cpu.relative * 100:.0f}%)"
            for c in contenders
        )
        print(f"{workload.title:36s} {cells}", flush=True)

    if not args.only:
        runs = 2 if args.quick else 5
        results["compile"] = processes.compile_times(
            [c for c in processes.COMPILE_CONTENDERS if c == "vschema" or c in peers.installed()],
            runs,
        )
        print(
            "compile 50 tables: "
            + "  ".join(f"{k} {report.fmt_seconds(s)}" for k, s in results["compile"].items()),
            flush=True,
        )
        results["schema_rss"] = processes.schema_rss(tables.SCHEMA_TABLES, 1 if args.quick else 3)
        print(
            f"{tables.SCHEMA_TABLES}-table schema, fully compiled: "
            f"+{report.fmt_kib(results['schema_rss']['total']['kib'])} RSS",
            flush=True,
        )
        results["imports"] = processes.import_times(["vschema", *peers.installed()], runs + 2)
        print(
            "import: "
            + "  ".join(
                f"{k} {report.fmt_seconds(t['importtime'])}" for k, t in results["imports"].items()
            ),
            flush=True,
        )
        streamed = 100_000 if args.quick else 1_000_000
        marks = [streamed // 10, streamed // 4, streamed // 2, streamed]
        results["rss"] = processes.streaming_rss(streamed, marks)
        print("compile scaling:", flush=True)
        results["scaling"] = scaling.run(scaling.QUICK_ROWS if args.quick else scaling.ROWS)
        print(
            "peak RSS: "
            + "  ".join(
                f"{int(k):,} rows {v / 1024:.1f} MiB" for k, v in results["rss"]["peak_kib"].items()
            ),
            flush=True,
        )

    results["load"]["after"] = report.load_average()
    results["cpu_counters"] = (counters_before, report.cpu_counters())
    goals = report.targets(results, titles)
    print()
    for goal in goals:
        print(f"{'MET' if goal.met else 'NOT MET':8s} {goal.name}: {goal.detail}")
    print(f"\n({time.perf_counter() - started:.0f} s; {report.load_line(results)[2:]})")
    if not args.no_write and not args.only:
        options = {"quick": args.quick, "rounds": rounds, "batch_ms": batch_seconds * 1e3}
        RESULTS.write_text(report.markdown(results, titles, goals, options), encoding="utf-8")
        written = [RESULTS]
        if not args.quick:  # a smoke run's numbers are too rough for the README
            write_readme(report.readme_block(results, titles, goals, options))
            written.append(README)
        for path in written:
            shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
            print(f"wrote {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
