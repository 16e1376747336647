"""Run the real Node tools (the `convex` package, `tsc`) from the tests.

They come from package-lock.json via `npm ci` (`make test` does it). A missing tool is a failure,
never a skip: a check that silently does not run proves nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
TSC = NODE_MODULES / ".bin" / "tsc"


def node_binary() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH: install Node.js (make test needs it)")
    if not (NODE_MODULES / "convex").is_dir():
        pytest.fail("node_modules/convex is missing: run `npm ci` (make test does)")
    return node


def run_node(script: str, *, timeout: float = 120) -> str:
    """Run an ES module script with the repository's node_modules; return its stdout."""
    result = subprocess.run(
        [node_binary(), "--input-type=module", "-e", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"node failed ({result.returncode}):\n{result.stderr}\n--- script ---\n{script}"
        )
    return result.stdout


def run_node_json(script: str, *, timeout: float = 120) -> Any:
    """Run a script whose last stdout line is JSON; return it parsed."""
    lines = run_node(script, timeout=timeout).strip().split("\n")
    return json.loads(lines[-1])


def tsc(args: list[str], *, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the pinned TypeScript compiler; the caller asserts on the result."""
    node_binary()
    if not TSC.exists():
        pytest.fail("node_modules/.bin/tsc is missing: run `npm ci` (make test does)")
    return subprocess.run(
        [str(TSC), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
