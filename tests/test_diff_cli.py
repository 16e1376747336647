"""``vschema diff OLD NEW`` through the real command: summaries pinned by golden files
(``tests/golden/diff``; ``VSCHEMA_UPDATE_GOLDEN=1`` rewrites them), ``--json``, ``--plan``,
export JSON input, and the exit statuses 0 / 1 / 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vschema.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "diff"
CONTACT = ROOT / "examples" / "contact-form" / "schema.py"

MULTI_OLD = """
from vschema import define_schema, define_table, v

schema = define_schema({
    "users": define_table({
        "name": v.string(),
        "bio": v.optional(v.string()),
        "tags": v.array(v.string()),
        "status": v.union(v.literal("active"), v.literal("archived")),
        "team": v.id("teams"),
    }).index("by_name", ["name"]),
    "teams": define_table({"title": v.string()}),
    "logs": define_table({"line": v.string()}),
})
"""

MULTI_NEW = """
from vschema import define_schema, define_table, v

schema = define_schema({
    "users": define_table({
        "name": v.string(),
        "bio": v.string(),
        "tags": v.array(v.int64()),
        "status": v.literal("active"),
        "team": v.id("teams"),
    }).index("by_name", ["name", "status"]).search_index("search_bio", search_field="bio"),
    "teams": define_table({"title": v.string(), "size": v.optional(v.float64())}),
    "events": define_table({"at": v.float64()}),
}, schema_validation=False)
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def narrowed(tmp_path: Path) -> tuple[Path, Path]:
    text = CONTACT.read_text(encoding="utf-8")
    narrowed = text.replace('    v.literal("other"),\n', "")
    assert narrowed != text
    return CONTACT, _write(tmp_path, "new_schema.py", narrowed)


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("VSCHEMA_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{name} differs from the golden file"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["diff", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_contact_form_narrowing(
    capsys: pytest.CaptureFixture[str], narrowed: tuple[Path, Path]
) -> None:
    old, new = narrowed
    status, out, err = _run(capsys, str(old), str(new))
    assert (status, err) == (1, "")
    _golden("contact_narrow.txt", out)
    status, out, _ = _run(capsys, str(old), str(new), "--plan")
    assert status == 1
    _golden("contact_plan.txt", out)
    # Widening back is compatible for stored data: exit 0.
    status, out, _ = _run(capsys, str(new), str(old))
    assert status == 0
    assert "stored data compatible, writers BREAKING" in out
    status, _, _ = _run(capsys, str(new), str(old), "--writers")
    assert status == 1


def test_tables_indexes_and_validation(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old = _write(tmp_path, "old_schema.py", MULTI_OLD)
    new = _write(tmp_path, "new_schema.py", MULTI_NEW)
    status, out, err = _run(capsys, str(old), str(new))
    assert (status, err) == (1, "")
    _golden("tables.txt", out)
    status, out, _ = _run(capsys, str(old), str(new), "--json")
    assert status == 1
    data = json.loads(out)
    assert data["breaking"] is True
    assert data["schema_validation"] == {"old": True, "new": False}
    tables = {t["table"]: t for t in data["tables"]}
    assert set(tables) == {"users", "teams", "logs", "events"}
    assert tables["logs"]["status"] == "removed"
    assert tables["events"]["status"] == "added"
    assert tables["teams"]["stored_data"] == {"status": "compatible"}
    assert tables["users"]["stored_data"]["status"] == "breaking"
    witness = tables["users"]["stored_data"]["witness"]
    assert witness["code"]
    assert witness["path"]
    assert "value" in witness


def test_export_json_and_module_spec(
    capsys: pytest.CaptureFixture[str], narrowed: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = narrowed
    status, by_file, _ = _run(capsys, str(old), str(new))
    exported = subprocess.run(
        [
            sys.executable,
            "-c",
            "import schema, json; print(json.dumps(schema.schema.to_convex_json()))",
        ],
        cwd=old.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    export = _write(tmp_path, "export.json", exported)
    status_json, by_json, _ = _run(capsys, str(export), f"{new}:schema")
    assert (status_json, by_json) == (status, by_file)


def test_errors_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, err = _run(capsys, str(tmp_path / "missing.py"), str(CONTACT))
    assert status == 2
    assert out == ""
    assert err.startswith("vschema: error: ")
    assert err.count("\n") == 1
    bad = _write(tmp_path, "bad.json", "{not json")
    status, _, err = _run(capsys, str(bad), str(CONTACT))
    assert status == 2
    assert "not JSON" in err
    wrong = _write(tmp_path, "wrong.json", '{"tables": [{"tableName": 3}]}')
    status, _, err = _run(capsys, str(wrong), str(CONTACT))
    assert status == 2
    assert err.count("\n") == 1


def test_the_installed_command(narrowed: tuple[Path, Path]) -> None:
    old, new = narrowed
    done = subprocess.run(
        [sys.executable, "-m", "vschema", "diff", str(old), str(new)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout == (GOLDEN / "contact_narrow.txt").read_text(encoding="utf-8")
    # The command's module imports only argparse until it runs.
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, ast, vschema.evolution.cli as c; "
            "tree = ast.parse(open(c.__file__).read()); "
            "kinds = (ast.Import, ast.ImportFrom); "
            "print(sorted({a.name for n in tree.body if isinstance(n, kinds) for a in n.names}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip() == "['annotations', 'argparse']"


def test_diff_stays_light() -> None:
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, vschema.evolution; heavy = ('hypothesis', 'pydantic', 'dask', 'orjson', "
            "'jinja2', 'tqdm'); print([m for m in heavy if m in sys.modules])",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip() == "[]"
