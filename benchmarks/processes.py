"""Measurements that need a fresh interpreter: import time, schema compile time, memory.

The parent side (`import_times`, `compile_times`, `schema_rss`, `streaming_rss`) starts ``python -m
benchmarks.processes <task> ...`` children and collects the JSON each prints on its last line.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COMPILE_CONTENDERS = ("vschema", "pydantic", "msgspec", "fastjsonschema", "jsonschema")


def _child(*args: str, stdin: Any = None) -> Any:
    # From bytecode, as an installed package runs (see `_BYTECODE_ENV`): compiling vschema's
    # own source would count as memory and time of whatever first imports a module.
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.processes", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        input=stdin,
        env=_BYTECODE_ENV,
    )
    if result.returncode != 0:
        raise RuntimeError(f"benchmark child {args} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------------
# import time

_IMPORTTIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")

# Import time is measured as users see it, from bytecode: an installed package has its .pyc
# files, and the first (discarded) run writes vschema's even where PYTHONDONTWRITEBYTECODE is
# set in the environment. Without them, the time measured is compiling the source.
_BYTECODE_ENV = {k: val for k, val in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _import_once(module: str) -> tuple[float, float]:
    """(cumulative -X importtime seconds, wall seconds of the whole interpreter run)."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=_BYTECODE_ENV,
    )
    wall = time.perf_counter() - start
    for line in result.stderr.splitlines():
        match = _IMPORTTIME.match(line)
        if match and match.group(4) == module and len(match.group(3)) == 1:
            return int(match.group(2)) / 1e6, wall
    raise RuntimeError(f"no import time line for {module}:\n{result.stderr}")


def import_times(modules: list[str], runs: int) -> dict[str, dict[str, float]]:
    """Median seconds to import each module in a fresh interpreter (``-X importtime``), and the
    median wall time of ``python -c "import m"`` minus that of ``python -c "pass"``."""
    bare = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, env=_BYTECODE_ENV)
        bare.append(time.perf_counter() - start)
    baseline = statistics.median(bare[1:])
    out = {}
    for module in modules:
        samples = [_import_once(module) for _ in range(runs + 1)][
            1:
        ]  # the first warms the disk cache
        out[module] = {
            "importtime": statistics.median(s[0] for s in samples),
            "wall": statistics.median(s[1] for s in samples) - baseline,
        }
    return out


# --------------------------------------------------------------------------------------------
# compile time


def _compile_child(contender: str) -> float:
    from benchmarks import peers, tables

    if contender == "vschema":
        start = time.perf_counter()
        for table in tables.define():
            table.is_valid({})
        return time.perf_counter() - start
    __import__(contender)
    errors = tuple(_peer_errors(contender))
    start = time.perf_counter()
    for table in tables.define():
        checks = peers.PEER_CHECKS[contender](table)
        with contextlib.suppress(*errors):
            checks.validate({})  # msgspec and jsonschema finish building on first use
    return time.perf_counter() - start


def _peer_errors(peer: str) -> tuple[type[BaseException], ...]:
    from benchmarks.workloads import peer_errors

    return peer_errors(peer)


def compile_times(contenders: list[str], runs: int) -> dict[str, float]:
    """Median seconds to build and compile the 50 tables, each run in a fresh interpreter."""
    return {
        contender: statistics.median(_child("compile", contender) for _ in range(runs))
        for contender in contenders
    }


# --------------------------------------------------------------------------------------------
# memory


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _peak_rss_kib() -> int:
    if os.path.exists("/proc/self/status"):
        return _status_kib("VmHWM")
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


#: The stages of `_schema_rss_child`, in order: what each adds to the schema's memory.
SCHEMA_STAGES = (
    ("define", "define_schema"),
    ("check", "is_valid (the row checks)"),
    ("explain", "errors of an invalid row (locators and explainers)"),
    ("document", "validate_document of an invalid document (document checks and explainers)"),
)


def _schema_rss_child(count: int) -> dict[str, Any]:
    """RSS (KiB) and CPU seconds each stage of `SCHEMA_STAGES` adds, for a schema of ``count``
    tables: after the last stage everything a table can need is compiled."""
    import gc

    import vschema

    # vschema's own code, loaded on the first check since `import vschema` stopped loading it,
    # is the same for any schema: it is not what a schema adds.
    import vschema.validators._compile
    from benchmarks import tables

    def use(schema: Any, stage: str, name: str) -> None:
        if stage == "check":
            schema.is_valid(name, {})
        elif stage == "explain":
            schema.errors(name, {})
        else:
            with contextlib.suppress(vschema.ValidationError):
                schema.validate_document(name, {})

    schema: Any = None
    out: dict[str, Any] = {}
    for stage, _ in SCHEMA_STAGES:
        gc.collect()
        before, start = _status_kib("VmRSS"), time.process_time()
        if stage == "define":
            schema = tables.schema(count)
        else:
            for name in schema:
                use(schema, stage, name)
        seconds = time.process_time() - start
        gc.collect()
        out[stage] = {"kib": _status_kib("VmRSS") - before, "cpu_seconds": seconds}
    return out


def schema_rss(count: int, runs: int) -> dict[str, Any]:
    """The median over ``runs`` fresh interpreters of each stage of `_schema_rss_child`, and of
    their sum (``total``)."""
    samples = [_child("schema-rss", str(count)) for _ in range(runs)]
    for sample in samples:
        sample["total"] = {
            key: sum(sample[stage][key] for stage, _ in SCHEMA_STAGES)
            for key in ("kib", "cpu_seconds")
        }
    return {
        "tables": count,
        **{
            stage: {
                key: statistics.median(s[stage][key] for s in samples)
                for key in ("kib", "cpu_seconds")
            }
            for stage in (*(stage for stage, _ in SCHEMA_STAGES), "total")
        },
    }


def _rss_child(checkpoints: list[int]) -> dict[str, Any]:
    import orjson

    from benchmarks.workloads import FLAT

    validate = FLAT.validate
    loads = orjson.loads
    marks = set(checkpoints)
    peaks: dict[str, int] = {}
    count = 0
    start = time.perf_counter()
    for line in sys.stdin.buffer:
        validate(loads(line))
        count += 1
        if count in marks:
            peaks[str(count)] = _peak_rss_kib()
    return {"peak_kib": peaks, "rows": count, "seconds": time.perf_counter() - start}


def streaming_rss(rows: int, checkpoints: list[int]) -> dict[str, Any]:
    """Validate ``rows`` JSON lines piped into a fresh interpreter; peak RSS at the checkpoints."""
    from benchmarks.workloads import flat_payload

    lines = b"".join(json.dumps(flat_payload(i)).encode() + b"\n" for i in range(1000))
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.processes", "rss", *map(str, checkpoints)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None
    try:
        for _ in range(rows // 1000):
            process.stdin.write(lines)
        process.stdin.close()
    except BrokenPipeError:
        pass
    assert process.stdout is not None
    assert process.stderr is not None
    out, err = process.stdout.read(), process.stderr.read()
    if process.wait() != 0:
        raise RuntimeError(f"rss child failed:\n{err.decode()}")
    return json.loads(out.decode().strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(argv: list[str]) -> None:
    task, *args = argv
    if task == "compile":
        result: Any = _compile_child(args[0])
    elif task == "schema-rss":
        result = _schema_rss_child(int(args[0]))
    elif task == "rss":
        result = _rss_child([int(a) for a in args])
    else:
        raise SystemExit(f"unknown task {task!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
