"""Regression tests for the hardening issue, code generation and CLI part.

Each test fails on the code before its fix: user text in the first two lines of a generated file
(an encoding declaration), CLI tracebacks, ``v.commitTs()`` in every walk, the 1024-field limit,
TypeScript that differed from Convex's types, and output exponential in a shared subtree.
"""

from __future__ import annotations

import ast
import importlib.util
import math
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest
from test_cli import vschema

from vschema import Schema, ValidationError, Validator, define_schema, define_table, v
from vschema.cli import main
from vschema.codegen import python, typescript
from vschema.codegen._header import FIXED_HEADER_LINES
from vschema.codegen._typescript import SCHEMA_FILE, TYPES_FILE, type_expression
from vschema.validators._ids import encode_id

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "tests" / "golden" / "python" / "seed_schema.py").read_text(encoding="utf-8")
#: PEP 263: what makes Python read a comment on line 1 or 2 as the file's encoding.
CODING = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


# -- 3. no user text on the first two lines --------------------------------------------------


def test_an_encoding_declaration_in_a_path_does_not_reach_the_first_two_lines(
    tmp_path: Path,
) -> None:
    # `transcoding:schema` is a module spec ("transcoding", attribute "schema") whose text holds
    # `coding:schema`; the output folder holds a UTF-7 declaration that would decode `+AFwACg-`
    # to a backslash-newline and so hide code after it from a reader.
    (tmp_path / "transcoding.py").write_text(SEED, encoding="utf-8")
    folder = tmp_path / "coding=utf-7 +AFwACg-print(1)"
    folder.mkdir()
    out = folder / "gen.py"
    result = vschema(
        "codegen", "transcoding:schema", "--py-out", str(out), "--ts-out", str(folder), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    for path in [out, folder / SCHEMA_FILE, folder / TYPES_FILE]:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert not any(CODING.match(line) for line in lines[:FIXED_HEADER_LINES]), lines[:4]
        assert "coding" not in "\n".join(lines[:FIXED_HEADER_LINES])
    text = out.read_text(encoding="utf-8")
    ast.parse(text)
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]); import gen;"
            " print(gen.parse_inquiry is not None)",
            str(folder),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == "True\n"


@pytest.mark.parametrize("origin", ["coding=utf-7", "x\n# -*- coding: latin-1 -*-", "coding:zz"])
def test_no_generated_file_has_user_text_on_its_first_two_lines(origin: str) -> None:
    schema = define_schema({"t": define_table({"x": v.string()})})
    command = f"vschema codegen {origin} --py-out gen.py"
    texts = list(typescript(schema, origin=origin, command=command).values())
    texts.append(python(schema, origin=origin, command=command, schema_module="m"))
    for text in texts:
        head = text.splitlines()[:FIXED_HEADER_LINES]
        assert "coding" not in "\n".join(head), head
        assert "coding" in text  # it is still there, further down


# -- 6. the CLI: one line, exit 2 --------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "schema.py").write_text(SEED, encoding="utf-8")
    (tmp_path / "a_file").write_text("not a folder")
    (tmp_path / "a_folder").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ts-out", "a_file"], "--ts-out a_file: is a file; --ts-out names a folder"),
        (["--py-out", "a_folder"], "--py-out a_folder: is a folder; --py-out names a .py file"),
        (["--py-out", "types"], "--py-out types: the typed module must be a .py file"),
        (["--py-out", "my-types.py"], "'my-types' cannot be imported"),
        (["--py-out", "class.py"], "'class' cannot be imported"),
        (["--py-out", "a_file/gen.py"], "cannot write a_file/gen.py: "),
        (["--ts-out", "a_file/out"], "cannot write a_file/out/schema.ts: "),
    ],
)
def test_an_unusable_output_path_is_one_line_and_exit_2(
    project: Path, args: list[str], message: str
) -> None:
    result = vschema("codegen", "schema.py", *args, cwd=project)
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("vschema: error: ")
    assert message in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names are bytes")
@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
def test_a_file_name_the_terminal_cannot_show_is_escaped(project: Path, encoding: str) -> None:
    folder = os.fsdecode(b"out\xff\xc3\xa9")
    result = vschema(
        "codegen", "schema.py", "--ts-out", folder, cwd=project, env={"PYTHONIOENCODING": encoding}
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "vschema: wrote out\\udcff" in result.stdout
    assert (project / folder / TYPES_FILE).is_file()


def test_main_reports_os_errors_without_a_traceback(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project)
    assert main(["codegen", "schema.py", "--py-out", "a_folder"]) == 2
    assert main(["codegen", "schema.py", "--ts-out", "a_file/x", "--check"]) == 1  # stale only
    err = capsys.readouterr().err
    assert err == "vschema: error: --py-out a_folder: is a folder; --py-out names a .py file\n"


def test_an_existing_output_that_is_no_utf8_is_stale_not_a_crash(project: Path) -> None:
    out = project / "gen.py"
    out.write_bytes(b"\xff\xfe old")
    check = vschema("codegen", "schema.py", "--py-out", "gen.py", "--check", cwd=project)
    assert check.returncode == 1, check.stderr
    assert "Traceback" not in check.stderr
    write = vschema("codegen", "schema.py", "--py-out", "gen.py", cwd=project)
    assert write.returncode == 0, write.stderr
    assert out.read_text(encoding="utf-8").startswith("# Generated by vschema")


# -- 13. v.commitTs() in every walk --------------------------------------------------------------


def test_commit_ts_in_each_output() -> None:
    schema = define_schema({"events": define_table({"at": v.commitTs(), "n": v.int64()})})
    files = typescript(schema, exports={"stamp": v.optional(v.commitTs())})
    assert "    at: v.commitTs(),\n" in files[SCHEMA_FILE]
    assert "export const stamp = v.optional(v.commitTs());" in files[SCHEMA_FILE]
    assert '  at: bigint | import("convex/values").CommitTsPlaceholder;\n' in files[TYPES_FILE]
    assert type_expression(v.array(v.commitTs())) == (
        'Array<bigint | import("convex/values").CommitTsPlaceholder>'
    )
    module = python(schema, origin="s.py", command="c", schema_module="s")
    assert "from vschema import CommitTsPlaceholder, SchemaWarning, define_schema" in module
    assert "    at: int | CommitTsPlaceholder\n" in module
    ast.parse(module)


def test_commit_ts_table_module_imports_and_types(tmp_path: Path) -> None:
    (tmp_path / "ts_schema.py").write_text(
        "from vschema import define_schema, define_table, v\n"
        'schema = define_schema({"events": define_table({"at": v.commitTs()})})\n',
        encoding="utf-8",
    )
    result = vschema("codegen", "ts_schema", "--py-out", "ts_types.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (tmp_path / "use.py").write_text(
        "from vschema import COMMIT_TS\n"
        "from ts_types import Event, parse_event\n"
        'row: Event = {"at": COMMIT_TS}\n'
        'other: Event = {"at": 5}\n'
        'print(parse_event({"at": 5}), row)\n',
        encoding="utf-8",
    )
    ran = subprocess.run(
        [sys.executable, "use.py"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == "{'at': 5} {'at': COMMIT_TS}\n"
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "use.py", "ts_types.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout


# -- 5. a table of 1023 or 1024 fields -------------------------------------------------------


@pytest.mark.parametrize("count", [1022, 1023, 1024])
def test_a_table_at_the_field_limit_generates_and_counts_system_fields(count: int) -> None:
    # Convex pushes such a schema; the backend adds `_id` and `_creationTime` to a new row and
    # then checks that the object has at most 1024 fields (crates/value/src/object.rs).
    fields = {f"f{i}": v.optional(v.string()) for i in range(count)}
    schema = define_schema({"wide": define_table(fields)})
    module = python(schema, origin="s.py", command="c", schema_module="s")
    ast.parse(module)
    assert f"    f{count - 1}: NotRequired[str]\n" in module
    files = typescript(schema)
    assert f"  f{count - 1}?: string;\n" in files[TYPES_FILE]
    document = schema.document("wide")
    assert list(document.fields)[-2:] == ["_id", "_creationTime"]  # type: ignore[attr-defined]

    full = {f"f{i}": "x" for i in range(count)}
    if count <= 1022:
        assert schema.validate("wide", full) is full
    else:
        with pytest.raises(ValidationError) as raised:
            schema.validate("wide", full)
        [issue] = raised.value.issues
        assert issue.code == "too_many_fields"
        assert issue.message == f"Object has too many fields ({count + 2} > maximum number 1024)"
    assert schema.validate("wide", {"f0": "x"}) == {"f0": "x"}
    stored = {**full, "_id": encode_id(10001, bytes(16)), "_creationTime": 1.0}
    if count <= 1022:
        assert schema.validate_document("wide", stored) is stored
    else:
        with pytest.raises(ValidationError, match="Object has too many fields"):
            schema.validate_document("wide", stored)


# -- 11. a subtree used twice per level ------------------------------------------------------


def _dag(levels: int) -> Validator:
    node: Validator = v.object({"leaf": v.string()})
    for _ in range(levels):
        node = v.object({"l": node, "r": v.optional(node)})
    return node


def _sizes(levels: int) -> tuple[int, int, int]:
    schema = define_schema({})
    exports = {"tree": _dag(levels)}
    files = typescript(schema, exports=exports)
    module = python(schema, exports=exports, origin="s.py", command="c", schema_module="s")
    return len(files[SCHEMA_FILE]), len(files[TYPES_FILE]), len(module)


def test_a_shared_dag_generates_quickly_and_linearly() -> None:
    start = time.perf_counter()
    sizes = {levels: _sizes(levels) for levels in (18, 19, 20)}
    assert time.perf_counter() - start < 10  # was hours: 2**20 copies of the leaf, per file
    for output in range(3):
        step = sizes[20][output] - sizes[19][output]
        # One more level, the same text again (give or take a digit of a counter name).
        assert abs(step - (sizes[19][output] - sizes[18][output])) <= 8, sizes
        assert 0 < step < 400, sizes
        assert sizes[20][output] < 40_000, sizes


def test_shared_subtrees_are_named_once_and_type_check(tmp_path: Path) -> None:
    tree = _dag(10)
    schema = define_schema({"forests": define_table({"tree": tree, "spare": v.optional(tree)})})
    module = python(schema, exports={"tree": tree}, origin="s.py", command="c", schema_module="s")
    files = typescript(schema, exports={"tree": tree})
    # Generated names come from a counter, never from user text.
    assert "class Shared1(TypedDict):" in module
    assert "\ntype Shared1 = {" in files[TYPES_FILE]
    assert "\nconst shared1 = v.object(" in files[SCHEMA_FILE]
    assert "export const tree = v.object({ l: shared" in files[SCHEMA_FILE]
    (tmp_path / "s.py").write_text(
        "from vschema import Validator, define_schema, define_table, v\n"
        "def _dag(levels: int) -> Validator:\n"
        '    node: Validator = v.object({"leaf": v.string()})\n'
        "    for _ in range(levels):\n"
        '        node = v.object({"l": node, "r": v.optional(node)})\n'
        "    return node\n"
        "tree = _dag(10)\n"
        'schema = define_schema({"forests": define_table({"tree": tree, '
        '"spare": v.optional(tree)})})\n',
        encoding="utf-8",
    )
    (tmp_path / "gen.py").write_text(module, encoding="utf-8")
    leaf = '{"leaf": "x"}'
    value = leaf
    for _ in range(10):
        value = f'{{"l": {value}}}'
    (tmp_path / "use.py").write_text(
        "from gen import Forest, Tree, parse_forest\n"
        f"tree: Tree = {value}\n"
        'row: Forest = {"tree": tree}\n'
        "print(parse_forest(row) == row)\n",
        encoding="utf-8",
    )
    ran = subprocess.run(
        [sys.executable, "use.py"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert (ran.returncode, ran.stdout) == (0, "True\n"), ran.stderr
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "use.py", "gen.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout


# -- the standalone module: its schema is builder code that rebuilds the same schema ---------


def _rebuilt(schema: Schema, tmp_path: Path, name: str) -> ModuleType:
    """The generated module for ``schema``, written alone into a fresh folder and imported."""
    folder = tmp_path / name
    folder.mkdir()
    path = folder / f"{name}_types.py"
    path.write_text(python(schema, origin="s.py", command="c"), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"{name}_types", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _nested(levels: int) -> Validator:
    node: Validator = v.string()
    for _ in range(levels):
        node = v.object({"a": node, "b": v.optional(v.array(v.int64()))})
    return node


def _unions(levels: int) -> Validator:
    node: Validator = v.object({"x": v.string()})
    for _ in range(levels):
        node = v.union(node)
    return node


def _round_trip_schemas() -> dict[str, Schema]:
    from test_security import HOSTILE_STRINGS
    from test_walks import SAMPLES

    kinds = {f"f{n}": sample for n, sample in enumerate(SAMPLES.values())}
    kinds.update({f"o{n}": sample.optional() for n, sample in enumerate(SAMPLES.values())})
    numbers = v.union(
        *(v.literal(x) for x in (-0.0, 0, 1, 1.0, 2**53, 5e-324, 1.7976931348623157e308, -1.5)),
        *(v.literal(x, int64=True) for x in (0, -(2**63), 2**63 - 1)),
        v.literal(True),
        v.literal(False),
    )
    texts = v.union(*(v.literal(text) for text in HOSTILE_STRINGS))
    tables = (
        define_table(
            {
                "kinds": v.object(kinds),
                "n": numbers,
                "t": texts,
                "s": v.string(),
                "s2": v.string(),
                "e": v.array(v.float64()),
            }
        )
        .index("by_s", ["s"])
        .index("by_n", ["n", "s"], staged=True)
        .search_index("search", search_field="s", filter_fields=["n"])
        .search_index("staged_search", search_field="s2", staged=True)
        .vector_index("vec", vector_field="e", dimensions=3, filter_fields=["s"])
        .vector_index("staged_vec", vector_field="e", dimensions=2, staged=True)
    )
    return {
        "kinds": define_schema(
            {"things": tables, "any": define_table(v.any()), "users": define_table({})}
        ),
        "options": define_schema(
            {"t": define_table({"x": v.id("t")})},
            schema_validation=False,
            strict_table_name_types=False,
        ),
        "empty": define_schema({}),
        # Convex 1.47's staged document validator, as fields and as a whole union.
        "staged": define_schema(
            {
                "fields": define_table({"a": v.string()}).staged({"a": v.optional(v.string())}),
                "union": define_table({"k": v.literal("x")}).staged(
                    v.union(v.object({"k": v.literal("x")}), v.object({"k": v.literal("y")}))
                ),
            }
        ),
        "deep": define_schema({"deep": define_table({"d": _nested(62)})}),
        "unions": define_schema({"u": define_table({"u": _unions(150)})}),
        "dag": define_schema({"forest": define_table({"tree": _dag(12), "more": _dag(11)})}),
    }


@pytest.mark.parametrize("case", sorted(_round_trip_schemas()))
def test_the_embedded_schema_equals_the_original(case: str, tmp_path: Path) -> None:
    schema = _round_trip_schemas()[case]
    module = _rebuilt(schema, tmp_path, case)
    assert module.schema == schema
    assert module.schema.to_convex_json() == schema.to_convex_json()
    if case in ("deep", "unions", "dag"):  # hoisted: too deep for one expression, or shared
        assert "\n_v1 = v." in Path(module.__file__ or "").read_text(encoding="utf-8")
    if case == "kinds":  # `-0.0 == 0.0`: the sign must survive as well
        rebuilt = module.schema.tables["things"].validator.fields["n"].members[0].value
        assert math.copysign(1.0, rebuilt) == -1.0


def test_the_embedded_schema_of_a_shared_dag_is_linear() -> None:
    sizes = [
        len(python(define_schema({"f": define_table({"t": _dag(n)})}), origin="s", command="c"))
        for n in (18, 19, 20)
    ]
    assert sizes[2] - sizes[1] == pytest.approx(sizes[1] - sizes[0], abs=8), sizes
    assert sizes[2] < 40_000, sizes
