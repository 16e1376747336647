"""``python -m benchmarks.data [--documents N] [--keep DIR]``: checking a snapshot export at scale.

Builds a Convex snapshot export of N documents (default 1,000,000) in a temporary folder, in
the format `vschema.data._export` documents, then measures, each in a fresh interpreter:

* the parse-only limit: ``json.loads`` and ``orjson.loads`` on every line;
* the plain loop a user would write: ``json.loads`` + ``schema.validate_document`` per line;
* pydantic's ``TypeAdapter.validate_json`` per line (the same table as a strict TypedDict);
* ``check_export`` (exact decoding, exact numbers, ID table numbers) with 1, 2 and all cores.

Each row gives documents per second on the wall clock and on the CPU clock (the process's own
``time.process_time_ns``, all its threads: with workers, the pool's threads pickle the blocks,
plus the CPU time of its worker processes), and the peak RSS of the process and of its largest
worker. ``check_export`` with ``--jobs N`` runs ``N - 1`` workers and checks blocks in the
reading process too (`vschema.data._parallel`), so the CPU split between the reader and the
workers is printed as well. A last row repeats the one-core check on a
tenth of the documents: peak memory flat in the number of documents means the two RSS agree.
The targets (``>= 0.8x`` the chosen parser's parse-only rate per core; ``>= 1.7x`` on two cores
against one, on the wall clock) are printed as met or not. The one- and two-core checks run
``PAIRS`` times, alternating, and the two-core target is judged on the median of the ratios of
each pair (run back to back, so a stretch where the shared host runs slower slows both); the
table shows each contender's median run. The wall clock only shows scaling on
cores nothing else uses: the load average is printed, and beside the measured ratio an estimate
from the CPU clocks (one core's CPU time over the busiest process's, the reader's or the one
worker's), what the ratio would be on idle cores. Output is a markdown table, for `make bench`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from benchmarks.report import faster

ROOT = Path(__file__).resolve().parent.parent
TABLE_NUMBER = 10001
#: Alternating runs of the one- and two-core checks (the two-core target takes their median).
PAIRS = 3


def schema() -> Any:
    """The benchmark's table: a typical row with strings, numbers, an Int64, a union of
    literals, an optional array, and a reference."""
    from vschema import define_schema, define_table, v

    return define_schema(
        {
            "users": define_table(
                {
                    "name": v.string(),
                    "email": v.string(),
                    "age": v.number(),
                    "visits": v.int64(),
                    "role": v.union(v.literal("admin"), v.literal("member"), v.literal("guest")),
                    "tags": v.optional(v.array(v.string())),
                    "invitedBy": v.optional(v.id("users")),
                }
            )
        }
    )


def build(path: Path, count: int) -> Path:
    """Write an export of ``count`` users to ``path``, streaming (memory stays small)."""
    import hashlib

    from vschema import new_id

    def internal(i: int) -> bytes:
        # Random-looking, as Convex's internal IDs are (a counter would be mostly zeros).
        return hashlib.blake2b(i.to_bytes(8, "big"), digest_size=16).digest()

    roles = ("admin", "member", "guest")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.md", "# Welcome to your Convex snapshot export!\n")
        archive.writestr(
            "_tables/documents.jsonl", json.dumps({"name": "users", "id": TABLE_NUMBER}) + "\n"
        )
        archive.writestr("users/generated_schema.jsonl", '"uniform"\n')
        with archive.open("users/documents.jsonl", "w", force_zip64=True) as stream:
            first = new_id(TABLE_NUMBER, internal(0))
            lines = []
            for i in range(count):
                doc: dict[str, Any] = {
                    "_id": first if i == 0 else new_id(TABLE_NUMBER, internal(i)),
                    "_creationTime": 1_700_000_000_000.0 + i,
                    "name": f"User {i}",
                    "email": f"user{i}@example.com",
                    "age": 20.0 + i % 50,
                    "visits": i % 1000,
                    "role": roles[i % 3],
                }
                if i % 2:
                    doc["tags"] = ["a", "b"]
                if i % 3:
                    doc["invitedBy"] = first
                lines.append(json.dumps(doc, separators=(",", ":")))
                if len(lines) == 10_000:
                    stream.write(("\n".join(lines) + "\n").encode())
                    lines = []
            if lines:
                stream.write(("\n".join(lines) + "\n").encode())
    return path


def _lines(path: Path) -> Any:
    from vschema.data._export import read_blocks

    for _, data in read_blocks(path, "users/documents.jsonl"):
        yield from data.splitlines()


def _measure(task: str, path: str, jobs: int) -> dict[str, Any]:
    """Run ``task`` once in this (fresh) process; its clocks and memory."""
    documents = 0
    wall0, cpu0 = time.perf_counter_ns(), time.process_time_ns()
    if task in ("json", "orjson"):
        loads = json.loads if task == "json" else __import__("orjson").loads
        for line in _lines(Path(path)):
            loads(line)
            documents += 1
    elif task == "loop":
        table = schema()
        for line in _lines(Path(path)):
            table.validate_document("users", json.loads(line))
            documents += 1
    elif task == "pydantic":
        from benchmarks.peers import pydantic_adapter

        adapter = pydantic_adapter(schema().document("users"))
        for line in _lines(Path(path)):
            adapter.validate_json(line)
            documents += 1
    else:
        import multiprocessing

        from vschema.data import _parallel, check_export

        # Workers as children of this process (not of a fork server), so that their CPU time
        # and peak RSS show in RUSAGE_CHILDREN once the pool has shut down.
        _parallel._context = lambda: multiprocessing.get_context("spawn")
        report = check_export(path, schema(), jobs=jobs, progress=False)
        assert report.ok, report.render()
        documents = report.checked
    wall, cpu = time.perf_counter_ns() - wall0, time.process_time_ns() - cpu0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "documents": documents,
        "wall": wall / 1e9,
        "cpu": cpu / 1e9 + children.ru_utime + children.ru_stime,
        "reader_cpu": cpu / 1e9,
        "workers_cpu": children.ru_utime + children.ru_stime,
        "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "worker_rss": children.ru_maxrss * 1024,
    }


def _child(task: str, path: Path, jobs: int = 1) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.data", "--child", task, str(path), str(jobs)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmark child {task} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _mib(size: float) -> str:
    return f"{size / 2**20:.0f} MiB" if size else "-"


def main(argv: list[str] | None = None) -> int:
    """Build the export, run every contender, print the markdown table and the targets."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.data")
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--keep", metavar="DIR", help="build the exports here and keep them")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        task, path, jobs = args.child
        print(json.dumps(_measure(task, path, int(jobs))))
        return 0
    from vschema.data._jsonl import parser_name
    from vschema.data._parallel import default_jobs

    cores = default_jobs()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        big = build(folder / "export.zip", args.documents)
        small = build(folder / "export-tenth.zip", max(1, args.documents // 10))
        built = time.perf_counter() - started
        runs: list[tuple[str, dict[str, Any], int]] = [
            ("parse only: json.loads", _child("json", big), 1),
            ("parse only: orjson.loads", _child("orjson", big), 1),
            ("loop: json.loads + validate_document", _child("loop", big), 1),
            ("pydantic TypeAdapter.validate_json", _child("pydantic", big), 1),
        ]
        # Alternating, so each one-core run has a two-core run beside it (`PAIRS`).
        repeats: dict[int, list[dict[str, Any]]] = {jobs: [] for jobs in sorted({1, 2, cores})}
        for _ in range(PAIRS):
            for jobs, done in repeats.items():
                done.append(_child("check", big, jobs))
        for jobs, done in repeats.items():
            median = sorted(done, key=lambda result: result["wall"])[len(done) // 2]
            runs.append((f"vschema check-export --jobs {jobs}", median, jobs))
        runs.append(
            (
                f"vschema check-export --jobs 1, {args.documents // 10:,} documents",
                _child("check", small, 1),
                1,
            )
        )
    load = os.getloadavg()
    print(
        f"Export of {args.documents:,} documents ({big.name}, built in {built:.1f} s); "
        f"{cores} core(s); JSON parser: {parser_name()}; load average {load[0]:.2f}.\n"
    )
    print("| contender | cores | docs/s (wall) | docs/s (CPU) | peak RSS | largest worker RSS |")
    print("|---|---:|---:|---:|---:|---:|")
    rate: dict[str, float] = {}
    for name, result, jobs in runs:
        wall = result["documents"] / result["wall"]
        cpu = result["documents"] / result["cpu"]
        rate[name] = wall
        rate[name + " cpu"] = cpu
        print(
            f"| {name} | {jobs} | {wall:,.0f} | {cpu:,.0f} | {_mib(result['rss'])} | "
            f"{_mib(result['worker_rss'] if jobs > 1 else 0)} |"
        )
    parse = rate[f"parse only: {parser_name()}.loads cpu"]
    one = rate["vschema check-export --jobs 1 cpu"]
    print()
    print(
        f"- per core: {faster(one / parse)} the parse-only rate of {parser_name()} "
        f"(target >= 0.8x): {'met' if one >= 0.8 * parse else 'NOT met'}"
    )
    if cores >= 2:
        ratios = sorted(
            one_core["wall"] / two_cores["wall"]
            for one_core, two_cores in zip(repeats[1], repeats[2], strict=True)
        )
        two = statistics.median(ratios)
        print(
            f"- two cores against one (wall): {faster(two)} (target >= 1.7x): "
            f"{'met' if two >= 1.7 else 'NOT met'}; the median of {PAIRS} pairs of runs, "
            f"{', '.join(faster(r) for r in ratios)}"
        )
        single = next(r for n, r, j in runs if n == "vschema check-export --jobs 1")
        pair = next(r for n, r, j in runs if n == "vschema check-export --jobs 2")
        busiest = max(pair["reader_cpu"], pair["workers_cpu"])  # one worker with --jobs 2
        print(
            f"- two cores against one, from the CPU clocks: {faster(single['cpu'] / busiest)} "
            f"(--jobs 1: {single['cpu']:.2f} CPU-s; --jobs 2: reader {pair['reader_cpu']:.2f}, "
            f"worker {pair['workers_cpu']:.2f} CPU-s; an estimate for idle cores)"
        )
    big_rss = next(r["rss"] for n, r, j in runs if n == "vschema check-export --jobs 1")
    small_rss = runs[-1][1]["rss"]
    print(
        f"- peak RSS, one core: {_mib(big_rss)} for {args.documents:,} documents, "
        f"{_mib(small_rss)} for a tenth of them"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
