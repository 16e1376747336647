"""The ``vschema codegen`` command as a user runs it: a real process, in the user's folder.

Covers how a schema is named (a file, or a module importable from the current folder), the
``--check`` mode CI runs, ``--watch``, and the errors a user sees instead of a traceback.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden" / "python"
SEED = (GOLDEN / "seed_schema.py").read_text(encoding="utf-8")
WATCH_TIMEOUT = 30.0


def vschema(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m vschema ARGS`` in ``cwd``, with ``env`` added to the environment."""
    return subprocess.run(
        [sys.executable, "-m", "vschema", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def app(tmp_path: Path) -> Path:
    """A user's project: ``app/schema.py`` holding the seed schema, as a package."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "schema.py").write_text(SEED, encoding="utf-8")
    return tmp_path


def test_a_module_is_found_from_the_current_folder(app: Path) -> None:
    result = vschema("codegen", "app.schema", "--ts-out", "out", "--py-out", "gen.py", cwd=app)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (app / "out").iterdir()) == ["schema.ts", "types.ts"]
    assert "vschema codegen app.schema --ts-out out" in (app / "out" / "types.ts").read_text()
    assert "def parse_inquiry(" in (app / "gen.py").read_text()


def test_an_attribute_other_than_schema_can_be_named(app: Path) -> None:
    schema_file = app / "app" / "schema.py"
    schema_file.write_text(SEED.replace("schema = define_schema", "db = define_schema"))
    result = vschema("codegen", "app/schema.py:db", "--ts-out", "out", cwd=app)
    assert result.returncode == 0, result.stderr
    missing = vschema("codegen", "app/schema.py", "--ts-out", "out", cwd=app)
    assert missing.returncode == 2
    assert "has no attribute 'schema'; name the schema as app/schema.py:NAME" in missing.stderr


def test_check_passes_on_fresh_files_and_prints_a_diff_for_stale_ones(app: Path) -> None:
    args = ("codegen", "app/schema.py", "--ts-out", "out", "--py-out", "gen.py")
    assert vschema(*args, cwd=app).returncode == 0
    fresh = vschema(*args, "--check", cwd=app)
    assert fresh.returncode == 0, fresh.stdout
    assert "3 generated file(s) up to date" in fresh.stdout

    schema_file = app / "app" / "schema.py"
    schema_file.write_text(SEED.replace('v.literal("other")', 'v.literal("website")'))
    stale = vschema(*args, "--check", cwd=app)
    assert stale.returncode == 1
    assert "--- out/types.ts (on disk)" in stale.stdout
    assert '+  | "website"' in stale.stdout or '"website"' in stale.stdout
    assert "3 generated file(s) out of date" in stale.stdout
    # --check writes nothing.
    assert '"website"' not in (app / "out" / "types.ts").read_text()


@pytest.mark.parametrize(
    ("schema_text", "expected"),
    [
        (
            "schema = 42\n",
            "app/schema.py:schema is not a schema made by define_schema() (it is of type int)",
        ),
        (
            "from vschema import v\nfield = v.literal(None)\n",
            "schema.py, line 2: SchemaError: v.literal(value) must be",
        ),
        ("def broken(:\n", "schema.py, line 1: SyntaxError: "),
        ("import no_such_module_here\n", "ModuleNotFoundError: No module named"),
    ],
)
def test_a_broken_schema_is_one_line_of_error_not_a_traceback(
    app: Path, schema_text: str, expected: str
) -> None:
    (app / "app" / "schema.py").write_text(schema_text)
    result = vschema("codegen", "app/schema.py", "--ts-out", "out", cwd=app)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not (app / "out").exists()


def test_missing_schema_and_missing_outputs_are_usage_errors(app: Path) -> None:
    missing = vschema("codegen", "nope.py", "--ts-out", "out", cwd=app)
    assert missing.returncode == 2
    assert "schema file not found: nope.py" in missing.stderr
    unknown = vschema("codegen", "no_such_package.schema", "--ts-out", "out", cwd=app)
    assert unknown.returncode == 2
    assert "cannot import schema module 'no_such_package.schema'" in unknown.stderr
    nothing = vschema("codegen", "app/schema.py", cwd=app)
    assert nothing.returncode == 2
    assert "codegen needs at least one of --ts-out DIR, --py-out FILE" in nothing.stderr


# -- --watch ---------------------------------------------------------------------------------


class Watcher:
    """A ``vschema codegen --watch`` process whose output lines can be awaited."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "vschema", *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self._pump_thread = threading.Thread(target=self._pump, daemon=True)
        self._pump_thread.start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str) -> None:
        deadline = time.monotonic() + WATCH_TIMEOUT
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                pytest.fail(f"--watch never printed {text!r}; it printed:\n" + "\n".join(self.seen))
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._pump_thread.join(timeout=10)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def watch(app: Path) -> Iterator[type[Watcher]]:
    started: list[Watcher] = []

    class Tracked(Watcher):
        def __init__(self, args: list[str], cwd: Path) -> None:
            super().__init__(args, cwd)
            started.append(self)

    yield Tracked
    for watcher in started:
        watcher.stop()


def _edit(path: Path, text: str) -> None:
    # A new size as well as a new mtime, so the change shows on file systems with coarse mtimes.
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


@pytest.mark.parametrize("spec", ["app/schema.py", "app.schema"])
def test_watch_regenerates_on_change_and_survives_a_broken_save(
    app: Path, watch: type[Watcher], spec: str
) -> None:
    schema_file = app / "app" / "schema.py"
    types_ts = app / "out" / "types.ts"
    watcher = watch(["codegen", spec, "--ts-out", "out", "--py-out", "gen.py", "--watch"], app)
    watcher.wait_for("watching")
    assert '"other"' in types_ts.read_text()

    _edit(schema_file, SEED.replace('v.literal("other")', 'v.literal("website")'))
    watcher.wait_for("wrote out/types.ts")
    watcher.wait_for("watching")
    assert '"website"' in types_ts.read_text()
    assert 'Literal["saas_mvp", "ai_agent", "automation", "website"]' in (
        (app / "gen.py").read_text()
    )

    _edit(schema_file, SEED + "\nbroken = v.literal(None)\n")
    watcher.wait_for("SchemaError: v.literal(value) must be")
    assert watcher.process.poll() is None, "a broken save must not end the watch"
    assert '"website"' in types_ts.read_text(), "a broken save must not touch the outputs"

    _edit(schema_file, SEED.replace('v.literal("other")', 'v.literal("studio")'))
    watcher.wait_for("wrote out/types.ts")
    assert '"studio"' in types_ts.read_text()


def test_check_passes_from_any_folder_and_any_spelling_of_the_paths(app: Path) -> None:
    args = ("codegen", "app/schema.py", "--ts-out", "web/gen", "--py-out", "app/schema_types.py")
    assert vschema(*args, cwd=app).returncode == 0
    types = (app / "web" / "gen" / "types.ts").read_text(encoding="utf-8").splitlines()
    assert types[2] == "// Schema: ../../app/schema.py"
    assert types[3] == "// Command: cd ../../app && vschema codegen schema.py --ts-out ../web/gen"
    module = (app / "app" / "schema_types.py").read_text(encoding="utf-8").splitlines()
    assert module[2:4] == [
        "# Schema: schema.py",
        "# Command: vschema codegen schema.py --py-out schema_types.py",
    ]
    assert str(app) not in (app / "web" / "gen" / "schema.ts").read_text(encoding="utf-8")

    # The same files, named from another folder, absolutely, and with `./`, `..` and `/` extra.
    elsewhere = app / "app"
    spellings = [
        (app, ("./app/schema.py", "--ts-out", "web/gen/", "--py-out", "./app/schema_types.py")),
        (elsewhere, ("schema.py", "--ts-out", "../web/gen", "--py-out", "schema_types.py")),
        (
            elsewhere,
            (
                str(app / "app" / "schema.py"),
                "--ts-out",
                str(app / "web" / "gen"),
                "--py-out",
                str(app / "web" / ".." / "app" / "schema_types.py"),
            ),
        ),
    ]
    for cwd, spelled in spellings:
        checked = vschema("codegen", *spelled, "--check", cwd=cwd)
        assert checked.returncode == 0, (cwd, spelled, checked.stdout)
        assert "3 generated file(s) up to date" in checked.stdout


def test_a_module_schema_is_recorded_by_name_from_its_import_root(app: Path) -> None:
    assert vschema("codegen", "app.schema", "--ts-out", "app/gen", cwd=app).returncode == 0
    lines = (app / "app" / "gen" / "types.ts").read_text(encoding="utf-8").splitlines()
    assert lines[2:4] == [
        "// Schema: app.schema",
        "// Command: cd ../.. && vschema codegen app.schema --ts-out app/gen",
    ]
    # The header names no working directory: regenerating by file from elsewhere differs only
    # in how the schema is named, and checking by module passes from the import root.
    checked = vschema("codegen", "app.schema:schema", "--ts-out", "./app/gen/", "--check", cwd=app)
    assert checked.returncode == 0, checked.stdout


def test_version() -> None:
    from vschema._version import __version__

    result = vschema("--version", cwd=Path.cwd())
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"vschema {__version__}\n"
