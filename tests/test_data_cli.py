"""``vschema validate`` and ``vschema check-export`` as a user runs them: inputs, the report and
its ``--json`` form, exit statuses, stdin, the JSON parser fallback, the progress bar."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from data_exports import write_export
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vschema import define_schema, define_table, new_id, v
from vschema.cli import main
from vschema.data import validate_files
from vschema.data._parallel import Progress
from vschema.data._report import group_path
from vschema.strategies import for_table, invalid_for_table

SCHEMA_SOURCE = """\
from vschema import define_schema, define_table, v

schema = define_schema({
    "users": define_table({
        "name": v.string(),
        "age": v.number(),
        "tags": v.optional(v.array(v.string())),
        "role": v.union(v.literal("admin"), v.literal("member")),
    }),
})
"""
SCHEMA = define_schema(
    {
        "users": define_table(
            {
                "name": v.string(),
                "age": v.number(),
                "tags": v.optional(v.array(v.string())),
                "role": v.union(v.literal("admin"), v.literal("member")),
            }
        )
    }
)
ROW_CODES = ["no_match", "missing_field", "extra_field", "literal_mismatch", "reserved_field"]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def schema_file(tmp_path: Path) -> Path:
    path = tmp_path / "schema.py"
    path.write_text(SCHEMA_SOURCE)
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _json_text(value: Any) -> str | None:
    """``value`` as JSON text when JSON can carry it unchanged (no tuple, bytes, NaN...)."""
    try:
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return None
    return text if json.loads(text) == value and "\\ud" not in text else None


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.one_of(
            for_table(SCHEMA, "users"),
            invalid_for_table(SCHEMA, "users", codes=ROW_CODES).map(lambda pair: pair[0]),
        ),
        max_size=30,
    )
)
def test_validate_counts_what_a_plain_loop_counts(tmp_path: Path, rows: list[Any]) -> None:
    texts = [t for t in map(_json_text, rows) if t is not None]
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(t + "\n" for t in texts))
    expected: Counter[tuple[str, str]] = Counter()
    failing = 0
    for text in texts:
        issues = SCHEMA.errors("users", json.loads(text))
        failing += bool(issues)
        expected.update({(group_path(i.path), i.code) for i in issues})
    # Small blocks, so rows are spread over many blocks (and the JSON Lines reader's seams).
    report = validate_files(SCHEMA, "users", [str(path)], jobs=1, block_bytes=64)
    table = report.tables["users"]
    assert (table.checked, table.failing) == (len(texts), failing)
    assert Counter({key: g.count for key, g in table.groups.items()}) == expected


def test_validate_json_lines_names_lines(
    schema_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        '{"name": "a", "age": 1, "role": "admin"}\n'
        '{"name": 2, "age": 1, "role": "admin"}\n'
        "\n"
        "not json\n"
        '{"name": "b", "age": 1, "role": "owner", "_id": "x"}\n'
    )
    status, out, _ = _run(capsys, "validate", str(schema_file), "users", str(rows))
    assert status == 1
    lines = out.splitlines()
    assert lines[0] == "users: 4 documents, 3 failing"
    assert f"{rows}:2: Expected a string, got a number" in out
    assert f"{rows}:4: Not valid JSON" in out
    assert f"{rows}:5: Field names starting with _ are reserved" in out
    assert lines[-1] == "FAILED: 3 of 4 documents failing"
    status, out, _ = _run(capsys, "validate", str(schema_file), "users", str(rows), "--json")
    report = json.loads(out)
    assert (status, report["checked"], report["failing"], report["ok"]) == (1, 4, 3, False)
    groups = {(g["path"], g["code"]): g["count"] for g in report["tables"]["users"]["groups"]}
    assert groups == {
        (".name", "no_match"): 1,
        ("", "invalid_encoding"): 1,
        ("._id", "reserved_field"): 1,
        (".role", "literal_mismatch"): 1,
    }


def test_validate_json_files_stdin_and_documents(
    schema_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    good = {"name": "a", "age": 1.5, "role": "member"}
    array = tmp_path / "rows.json"
    array.write_text(json.dumps([good, {**good, "age": "old"}, good]))
    one = tmp_path / "one.json"
    one.write_text(json.dumps(good, indent=2))
    status, out, _ = _run(capsys, "validate", str(schema_file), "users", str(array), str(one))
    assert status == 1
    assert f"{array}[1]: Expected a number, got a string" in out
    assert out.splitlines()[-1] == "FAILED: 1 of 4 documents failing"
    status, out, _ = _run(capsys, "validate", str(schema_file), "users", str(one))
    assert (status, out.splitlines()) == (
        0,
        ["users: 1 document, all valid", "OK: 0 of 1 document failing"],
    )

    for text in (json.dumps(good) + "\n" + json.dumps({}) + "\n", json.dumps([good, {}])):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
        status, out, _ = _run(capsys, "validate", str(schema_file), "users", "-", "--json")
        report = json.loads(out)
        assert (status, report["checked"], report["failing"]) == (1, 2, 1)
        example = report["tables"]["users"]["groups"][0]["examples"][0]["where"]
        assert example in ("<stdin>:2", "<stdin>[1]")

    document = {**good, "_id": new_id(1), "_creationTime": 1.0}
    documents = tmp_path / "docs.jsonl"
    documents.write_text(
        json.dumps(document) + "\n" + json.dumps({**document, "_creationTime": -1}) + "\n"
    )
    status, out, _ = _run(
        capsys, "validate", str(schema_file), "users", str(documents), "--documents", "--json"
    )
    report = json.loads(out)
    assert (status, report["checked"], report["failing"]) == (1, 2, 1)
    group = report["tables"]["users"]["groups"][0]
    assert (group["path"], group["code"], group["examples"][0]["where"]) == (
        "._creationTime",
        "out_of_range",
        document["_id"],
    )


def test_check_export_command(
    schema_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def user(i: int, **extra: Any) -> dict[str, Any]:
        return {
            "_id": new_id(5, bytes([i] * 16)),
            "_creationTime": 1.0,
            "name": "n",
            "age": 1.0,
            "role": "admin",
            **extra,
        }

    ok = write_export(tmp_path / "ok.zip", {"users": (5, [user(1), user(2)])})
    status, out, err = _run(capsys, "check-export", str(ok), "--schema", str(schema_file))
    assert (status, out.splitlines(), err) == (
        0,
        ["users: 2 documents, all valid", "OK: 0 of 2 documents failing"],
        "",
    )
    bad = write_export(
        tmp_path / "bad.zip",
        {"users": (5, [user(i, age=i) for i in range(1, 9)]), "old": (6, [])},
    )
    status, out, _ = _run(
        capsys,
        "check-export",
        str(bad),
        "--schema",
        str(schema_file),
        "--max-failures",
        "3",
        "--top",
        "1",
    )
    assert status == 1
    assert out.splitlines() == [
        "users: 3 documents, 3 failing",
        "         3  .age  no_match",
        f"            {user(1)['_id']}: Expected a number, got an integer (write the number as a "
        "Float64, with a decimal point (5.0) or an exponent)",
        f"            {user(2)['_id']}: Expected a number, got an integer (write the number as a "
        "Float64, with a decimal point (5.0) or an exponent)",
        f"            {user(3)['_id']}: Expected a number, got an integer (write the number as a "
        "Float64, with a decimal point (5.0) or an exponent)",
        "In the data but not in the schema (not checked): old (0 documents)",
        "FAILED: 3 of 3 documents failing (stopped early at --max-failures)",
    ]


@pytest.mark.parametrize(
    "argv",
    [
        ["check-export", "{tmp}/missing.zip", "--schema", "{schema}"],
        ["check-export", "{schema}", "--schema", "{schema}"],
        ["check-export", "{tmp}/ok.zip", "--schema", "{tmp}/nope.py"],
        ["validate", "{schema}", "nope", "{schema}"],
        ["validate", "{schema}", "users", "{tmp}/missing.jsonl"],
        ["validate", "{schema}", "users", "{tmp}/broken.json"],
    ],
)
def test_errors_are_one_line_and_exit_2(
    argv: list[str], schema_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_export(tmp_path / "ok.zip", {"users": (5, [])})
    (tmp_path / "broken.json").write_text("[{")
    argv = [a.format(tmp=tmp_path, schema=schema_file) for a in argv]
    status, out, err = _run(capsys, *argv)
    assert (status, out) == (2, "")
    assert err.startswith("vschema: error: ")
    assert err.count("\n") == 1


@pytest.mark.parametrize("option", ["--jobs", "--max-failures"])
def test_counts_must_be_positive(
    option: str, schema_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["validate", str(schema_file), "users", "-", option, "0"])
    assert exit_.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


def test_stdlib_json_fallback_gives_the_same_report(schema_file: Path, tmp_path: Path) -> None:
    """orjson made unimportable in a fresh interpreter: the stdlib parser, the same report."""
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        '{"name": "a", "age": 1e400, "role": "admin"}\n'
        '{"name": "a", "age": 123456789012345678901234, "role": "admin"}\n'
        '{"name": "a", "age": NaN, "role": "admin"}\n'
        '{"name": "\\ud800", "age": 1, "role": "admin"}\n'
        '{"name": "a", "age": -0.0, "role": "member", "tags": ["x"]}\n'
    )
    script = (
        "import sys, json\n"
        "if sys.argv[1] == 'stdlib':\n"
        "    sys.modules['orjson'] = None\n"
        "from vschema.data._jsonl import parser_name\n"
        "from vschema.cli import main\n"
        "print(parser_name())\n"
        "main(['validate', sys.argv[2], 'users', sys.argv[3], '--json', '--jobs', '1'])\n"
    )
    outputs = {}
    for mode in ("stdlib", "default"):
        done = subprocess.run(
            [sys.executable, "-c", script, mode, str(schema_file), str(rows)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        parser, _, report = done.stdout.partition("\n")
        outputs[parser] = json.loads(report)
    assert set(outputs) == {"json", "orjson"}
    assert outputs["json"] == outputs["orjson"]
    groups = outputs["json"]["tables"]["users"]["groups"]
    assert {(g["path"], g["code"]) for g in groups} == {
        (".age", "out_of_range"),
        ("", "invalid_encoding"),
        (".name", "invalid_string"),
    }
    assert (outputs["json"]["checked"], outputs["json"]["failing"]) == (5, 3)


def test_progress_bar_only_when_asked_or_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    bar = Progress(100, enabled=True)
    bar.update(40, 3)
    bar.close()
    assert "checking" in capsys.readouterr().err
    quiet = Progress(100)  # pytest's stderr is no terminal
    quiet.update(40, 3)
    quiet.close()
    assert capsys.readouterr().err == ""


def test_the_data_modules_import_no_optional_library() -> None:
    script = (
        "import sys, vschema, vschema.data, vschema.data.cli, vschema.dask, vschema.cli\n"
        "heavy = {'orjson', 'tqdm', 'dask', 'distributed', 'fsspec', 'pydantic', 'hypothesis'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"


def test_check_export_checks_a_component_named_on_the_command_line(
    schema_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    component = tmp_path / "waitlist_schema.py"
    component.write_text(
        "from vschema import define_schema, define_table, v\n"
        'schema = define_schema({"entries": define_table({"email": v.string()})})\n'
    )
    entry = {"_id": new_id(7), "_creationTime": 1.0, "email": 5}
    path = write_export(
        tmp_path / "c.zip", {"users": (5, [])}, components={"waitlist": {"entries": (7, [entry])}}
    )
    argv = ["check-export", str(path), "--schema", str(schema_file), "--json"]
    status, out, _ = _run(capsys, *argv)
    assert (status, json.loads(out)["unchecked_tables"]) == (0, {"waitlist/entries": 1})
    status, out, _ = _run(capsys, *argv, "--component", f"waitlist={component}")
    report = json.loads(out)
    assert (status, report["tables"]["waitlist/entries"]["failing"]) == (1, 1)
    status, out, err = _run(capsys, *argv, "--component", "waitlist")
    assert (status, out) == (2, "")
    assert "write NAME=SCHEMA" in err
