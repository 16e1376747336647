"""Compile scaling: how defining, compiling and first explaining a validator grow with its size.

Each row is one validator, built and used in a fresh interpreter (``python -m
benchmarks.scaling SHAPE SIZE`` prints its numbers as JSON), so every cache starts cold:

* **define**: CPU time building it with the ``v`` builders (their definition-time checks);
* **compile**: CPU time of the first ``is_valid`` and ``validate`` (the check and the locator);
* **first errors()**: CPU time of the first ``errors()`` for a value failing at its deepest
  level (compiling the explainer, then running it);
* **source**: characters of generated Python source, check, locator and explainer together.

"Distinct nodes" counts validators up to equality; "tree nodes" counts them as a walk meets
them, every use of a shared subtree again. The shapes stay within vschema's limits (160
validators and 64 containers on a path down the tree):

* ``shared DAG``: ``x = v.object({"l": x, "r": x})``, one level per distinct node;
* ``shared DAG (union)``: ``x = v.union(v.object({"l": x, "r": x}), v.null())``;
* ``wide DAG``: 20 levels of an object whose every field is ``v.union(v.literal(j), x)``,
  ``x`` the level below, so each level holds its width in distinct unions;
* ``forest of chains``: an object of distinct chains, each 50 objects deep, nothing shared
  (tree nodes = distinct nodes: the baseline).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

#: (shape, size parameter) pairs: the parameter is levels (shared DAGs), fields a level (wide
#: DAG) or chains (forest), picked to give about 10, 100, 1,000 and 10,000 distinct nodes.
ROWS: list[tuple[str, int]] = [
    ("shared DAG", 10),
    ("shared DAG", 20),
    ("shared DAG", 40),
    ("shared DAG", 63),
    ("shared DAG (union)", 10),
    ("shared DAG (union)", 30),
    ("shared DAG (union)", 60),
    ("wide DAG", 1),
    ("wide DAG", 12),
    ("wide DAG", 120),
    ("wide DAG", 480),
    ("forest of chains", 1),
    ("forest of chains", 2),
    ("forest of chains", 20),
    ("forest of chains", 200),
]
QUICK_ROWS = [row for row in ROWS if row[1] not in (63, 60, 480, 200)]
WIDE_LEVELS = 20
CHAIN_DEPTH = 50
#: Seconds a row may take before it is reported as not finishing.
TIMEOUT = 120.0


def build(shape: str, size: int) -> tuple[Any, Any]:
    """The validator of a row and a value failing at its deepest level."""
    from vschema import v

    x: Any
    bad: Any
    if shape == "shared DAG":
        x, bad = v.string(), 0
        for _ in range(size):
            x = v.object({"l": x, "r": x})
            # ``r`` fails at once (a value's tree is walked in full, so a valid ``r`` would
            # cost as much as the validator's tree).
            bad = {"l": bad, "r": None}
        return x, bad
    if shape == "shared DAG (union)":
        x, bad = v.null(), 0
        for _ in range(size):
            x = v.union(v.object({"l": x, "r": x}), v.null())
            bad = {"l": bad, "r": None}
        return x, bad
    if shape == "wide DAG":
        x, bad = v.null(), "no"
        for _ in range(WIDE_LEVELS):
            x = v.object({f"f{j}": v.union(v.literal(j), x) for j in range(size)})
            bad = {"f0": bad, **{f"f{j}": j for j in range(1, size)}}
        return x, bad
    if shape == "forest of chains":
        chains, value = {}, {}
        for i in range(size):
            chain: Any = v.literal(f"leaf {i}")
            item: Any = f"leaf {i}" if i < size - 1 else 0
            for _ in range(CHAIN_DEPTH - 1):
                chain, item = v.object({"a": chain}), {"a": item}
            chains[f"c{i}"], value[f"c{i}"] = chain, item
        return v.object(chains), value
    raise SystemExit(f"unknown shape {shape!r}")


def _counts(root: Any) -> tuple[int, int]:
    """(distinct nodes up to equality, tree nodes), each distinct node visited once."""
    from vschema.validators._nodes import VArray, VObject, VRecord, VUnion

    distinct: set[Any] = set()
    tree: dict[int, int] = {}

    def walk(node: Any) -> int:
        if id(node) in tree:
            return tree[id(node)]
        distinct.add(node)
        if isinstance(node, VArray):
            children = [node.element]
        elif isinstance(node, VObject):
            children = list(node.fields.values())
        elif isinstance(node, VRecord):
            children = [node.key, node.value]
        elif isinstance(node, VUnion):
            children = list(node.members)
        else:
            children = []
        tree[id(node)] = size = 1 + sum(walk(child) for child in children)
        return size

    size = walk(root)
    return len(distinct), size


def measure(shape: str, size: int) -> dict[str, Any]:
    """One row's numbers, in this interpreter (which should be fresh)."""
    from vschema.validators import _compile

    started = time.process_time()
    validator, bad = build(shape, size)
    defined = time.process_time()
    _compile.compile_check(validator)
    _compile.compile_locator(validator)
    compiled = time.process_time()
    issues = validator.errors(bad)
    explained = time.process_time()
    assert issues, "the bad value must fail"
    renders = (_compile._render, _compile._render_explainer)
    source = sum(len(render(validator).source()) for render in renders)
    distinct, tree = _counts(validator)
    return {
        "shape": shape,
        "size": size,
        "distinct": distinct,
        "tree": tree,
        "define": defined - started,
        "compile": compiled - defined,
        "errors": explained - compiled,
        "source": source,
        "issues": len(issues),
    }


@dataclass
class Row:
    shape: str
    size: int
    numbers: dict[str, Any] | None  # None: it did not finish within TIMEOUT


def run(rows: list[tuple[str, int]], timeout: float = TIMEOUT) -> list[Row]:
    """Measure each row in a fresh interpreter; print each as it finishes."""
    results = []
    for shape, size in rows:
        command = [sys.executable, "-m", "benchmarks.scaling", shape, str(size)]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=True
            )
            numbers: dict[str, Any] | None = json.loads(done.stdout)
        except subprocess.TimeoutExpired:
            numbers = None
        row = Row(shape, size, numbers)
        print(format_row(row, timeout), flush=True)
        results.append(row)
    return results


def _seconds(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def _cells(row: Row, timeout: float) -> list[str]:
    n = row.numbers
    if n is None:
        return [row.shape, "", "", f"did not finish in {timeout:.0f} s", "", "", ""]
    tree = f"{n['tree']:,}" if n["tree"] < 10**9 else f"2^{n['tree'].bit_length() - 1}"
    return [
        row.shape,
        f"{n['distinct']:,}",
        tree,
        _seconds(n["define"]),
        _seconds(n["compile"]),
        _seconds(n["errors"]),
        f"{n['source'] / 1024:,.0f} KiB",
    ]


HEADER = ["shape", "distinct nodes", "tree nodes", "define", "compile", "first errors()", "source"]


def format_row(row: Row, timeout: float = TIMEOUT) -> str:
    return "  ".join(f"{cell:>16s}" for cell in _cells(row, timeout))


def markdown(rows: list[Row], timeout: float = TIMEOUT) -> list[str]:
    """The RESULTS.md section."""
    lines = [
        "## Compile scaling (fresh interpreter per row, CPU time)",
        "",
        "Defining, compiling and first explaining grow with a validator's distinct nodes, not "
        "its tree size. Shapes (`benchmarks/scaling.py`): *shared DAG* "
        '`x = v.object({"l": x, "r": x})` a level; *shared DAG (union)* '
        '`x = v.union(v.object({"l": x, "r": x}), v.null())`; *wide DAG* '
        f"{WIDE_LEVELS} levels of an object whose every field is `v.union(v.literal(j), x)`; "
        f"*forest of chains* an object of distinct chains {CHAIN_DEPTH} objects deep, nothing "
        "shared. *first errors()* explains a value failing at the deepest level; *source* is "
        "the check's, the locator's and the explainer's together.",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|---|" + "---:|" * (len(HEADER) - 1),
    ]
    lines += ["| " + " | ".join(_cells(row, timeout)) + " |" for row in rows]
    lines.append("")
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m benchmarks.scaling SHAPE SIZE", file=sys.stderr)
        return 2
    print(json.dumps(measure(argv[0], int(argv[1]))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
