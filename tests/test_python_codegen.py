"""The typed Python module `vschema.codegen.python` generates (issue 5).

* Golden files pin the output for the seed's schema and a stress schema
  (``tests/golden/python``; ``VSCHEMA_UPDATE_GOLDEN=1`` rewrites them).
* mypy --strict and pyright strict (the pinned ones) check the generated modules and the usage
  files in ``tests/typing``, each once for all files: correct code is clean, each kind of mistake
  gives exactly the errors it names, ``reveal_type`` shows the generated types.
* The generated modules import and run: their parsers accept and refuse exactly what
  ``schema.validate`` / ``schema.validate_document`` do, with the same issues.

A missing checker fails these tests; it never skips them.
"""

from __future__ import annotations

import ast
import difflib
import importlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest

from vschema import Schema, ValidationError, Validator, define_schema, define_table, v
from vschema.cli import main
from vschema.codegen import python
from vschema.codegen._load import SchemaSource, load_schema
from vschema.codegen._python import singular
from vschema.validators._ids import encode_id

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "python"
TYPING = ROOT / "tests" / "typing"
PYRIGHT = ROOT / "node_modules" / ".bin" / "pyright"
CASES = ("seed", "stress")
USAGE_FILES = ("generated_python_ok.py", "generated_python_errors.py")
CANARY = Path("/tmp/vschema-python-codegen-canary")


def _generate(source: SchemaSource, out: str, spec: str) -> str:
    """What `vschema codegen SPEC --py-out OUT` writes (the CLI's own call)."""
    return python(
        source.schema,
        exports=source.exports,
        origin=source.origin,
        command=f"vschema codegen {spec} --py-out {out}",
        schema_module=source.module,
        schema_attribute=source.attribute,
    )


@pytest.fixture(scope="module")
def sources() -> Iterator[dict[str, SchemaSource]]:
    """The golden schemas, imported by module name as ``vschema codegen seed_schema`` would."""
    sys.path.insert(0, str(GOLDEN))
    try:
        yield {case: load_schema(f"{case}_schema") for case in CASES}
    finally:
        sys.path.remove(str(GOLDEN))


@pytest.fixture(scope="module")
def generated(sources: dict[str, SchemaSource]) -> dict[str, str]:
    return {case: _generate(sources[case], f"{case}_types.py", f"{case}_schema") for case in CASES}


# -- golden files ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, generated: dict[str, str]) -> None:
    path = GOLDEN / f"{case}_types.py"
    text = generated[case]
    if os.environ.get("VSCHEMA_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8", newline="\n")
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    if current != text:
        diff = "".join(
            difflib.unified_diff(
                current.splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"{path} (golden)",
                tofile=f"{path.name} (generated now)",
            )
        )
        pytest.fail(
            f"generated Python for {case}_schema differs from the golden file:\n{diff}\n"
            "If the change is intended, update with: "
            "VSCHEMA_UPDATE_GOLDEN=1 pytest tests/test_python_codegen.py",
            pytrace=False,
        )


def test_output_is_deterministic(generated: dict[str, str]) -> None:
    # A fresh import of the schema file (new module, new validator objects) renders the same bytes.
    loads = [load_schema(str(GOLDEN / "stress_schema.py")) for _ in range(2)]
    texts = {
        _generate(attrs.evolve(s, origin="stress_schema"), "out/types.py", "stress_schema")
        for s in loads
    }
    assert len(texts) == 1
    # The same types as the module-name form: only the way the schema is imported differs.
    assert _definitions(texts.pop()) == _definitions(generated["stress"])


def _definitions(text: str) -> str:
    return text[text.index("UserId = NewType") :]


# -- static checking: one mypy run and one pyright run for every file --------------------------


class Diagnostic(typing.NamedTuple):
    file: str
    line: int
    code: str
    severity: str  # "error" or "note" (reveal_type)
    message: str


def _run_mypy(folder: Path, files: list[str]) -> subprocess.Popen[str]:
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--python-version=3.10",
        "--no-error-summary",
        "--show-error-codes",
        "--no-pretty",
        "--no-color-output",
        f"--cache-dir={folder / '.mypy_cache'}",
        *files,
    ]
    return subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE, text=True)


def _mypy_diagnostics(output: str) -> list[Diagnostic]:
    found = []
    for line in output.splitlines():
        match = re.match(r"(.+?):(\d+): (error|note): (.*?)(?:  \[([a-z-]+)\])?$", line)
        if match is None:
            pytest.fail(f"unexpected mypy output line: {line!r}\n{output}")
        file, number, severity, message, code = match.groups()
        if severity == "note" and not message.startswith("Revealed type"):
            continue  # hints that follow an error ("See https://...")
        found.append(Diagnostic(Path(file).name, int(number), code or "", severity, message))
    return found


def _run_pyright(folder: Path, files: list[str]) -> subprocess.Popen[str]:
    if not PYRIGHT.exists():
        pytest.fail("node_modules/.bin/pyright is missing: run `npm ci` (make test does)")
    command = [str(PYRIGHT), "--outputjson", "--pythonpath", sys.executable, *files]
    return subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE, text=True)


def _pyright_diagnostics(output: str) -> list[Diagnostic]:
    report = json.loads(output)
    found = []
    for item in report["generalDiagnostics"]:
        severity = {"information": "note"}.get(item["severity"], item["severity"])
        found.append(
            Diagnostic(
                Path(item["file"]).name,
                item["range"]["start"]["line"] + 1,
                item.get("rule", ""),
                severity,
                item["message"],
            )
        )
    return found


@pytest.fixture(scope="module")
def checked(
    generated: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[Diagnostic]]:
    """Both checkers' diagnostics for the generated modules and the usage files."""
    folder = tmp_path_factory.mktemp("typecheck")
    for case in CASES:
        (folder / f"{case}_schema.py").write_text((GOLDEN / f"{case}_schema.py").read_text())
        (folder / f"{case}_types.py").write_text(generated[case])
    for name in USAGE_FILES:
        (folder / name).write_text((TYPING / name).read_text())
    # The same module, importing the schema by its file path instead of its module name.
    by_path = load_schema(str(folder / "seed_schema.py"))
    (folder / "seed_types_by_path.py").write_text(
        _generate(by_path, str(folder / "seed_types_by_path.py"), "seed_schema.py")
    )
    (folder / "pyrightconfig.json").write_text(
        json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.10"})
    )
    files = sorted(p.name for p in folder.glob("*.py"))
    mypy, pyright = _run_mypy(folder, files), _run_pyright(folder, files)
    mypy_out, _ = mypy.communicate(timeout=300)
    pyright_out, _ = pyright.communicate(timeout=300)
    if mypy.returncode not in (0, 1):
        pytest.fail(f"mypy crashed ({mypy.returncode}):\n{mypy_out}")
    if pyright.returncode not in (0, 1):
        pytest.fail(f"pyright failed ({pyright.returncode}):\n{pyright_out}")
    return {"mypy": _mypy_diagnostics(mypy_out), "pyright": _pyright_diagnostics(pyright_out)}


def _marked(name: str, marker: str) -> dict[int, str]:
    """``{line: text}`` for each line below a ``# marker: text`` comment in a usage file."""
    lines = (TYPING / name).read_text().splitlines()
    return {
        number + 1: line.strip().removeprefix(f"# {marker}: ")
        for number, line in enumerate(lines, start=1)
        if line.strip().startswith(f"# {marker}: ")
    }


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
def test_generated_code_and_correct_usage_type_check_clean(
    checker: str, checked: dict[str, list[Diagnostic]]
) -> None:
    errors = [
        d
        for d in checked[checker]
        if d.severity != "note" and d.file != "generated_python_errors.py"
    ]
    assert errors == []


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
def test_each_mistake_gives_exactly_the_expected_error(
    checker: str, checked: dict[str, list[Diagnostic]]
) -> None:
    expected = set()
    for line, text in _marked("generated_python_errors.py", "expect").items():
        match = re.search(rf"{checker}\[([A-Za-z,-]*)\]", text)
        assert match is not None, f"line {line} names no {checker} code"
        expected.update((line, code) for code in match.group(1).split(",") if code)
    found = {
        (d.line, d.code)
        for d in checked[checker]
        if d.file == "generated_python_errors.py" and d.severity != "note"
    }
    messages = "\n".join(
        f"{d.line}: [{d.code}] {d.message}"
        for d in checked[checker]
        if d.file == "generated_python_errors.py"
    )
    assert found == expected, messages
    assert len(expected) >= 10


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
def test_reveal_type_shows_the_generated_types(
    checker: str, checked: dict[str, list[Diagnostic]]
) -> None:
    reveals = _marked("generated_python_ok.py", "reveal")
    assert len(reveals) >= 5
    shown = {
        d.line: d.message
        for d in checked[checker]
        if d.file == "generated_python_ok.py" and d.severity == "note"
    }
    for line, text in reveals.items():
        pyright_text, _, mypy_part = text.rpartition(" | ")
        message = shown.get(line, "")
        if checker == "pyright":
            assert message.endswith(f' is "{pyright_text}"'), (line, message)
        else:
            assert message.startswith("Revealed type is"), (line, message)
            assert mypy_part in message, (line, message)


# -- runtime: the generated module calls the schema itself -----------------------------------


def _import(folder: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[name]
    return module


@pytest.fixture(scope="module")
def modules(
    generated: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, ModuleType]:
    folder = tmp_path_factory.mktemp("runtime")
    for case in CASES:
        (folder / f"{case}_types.py").write_text(generated[case])
    # Nothing of the schemas' folder is importable: the generated modules stand alone.
    return {case: _import(folder, f"{case}_types") for case in CASES}


def _id(number: int) -> str:
    return encode_id(10000 + number, bytes(range(number, number + 16)))


def _issues(call: Any, *args: object) -> tuple[Any, ...]:
    with pytest.raises(ValidationError) as caught:
        call(*args)
    return caught.value.issues


INQUIRY = {"name": "Ada", "email": "ada@example.com", "projectType": "ai_agent", "description": "x"}
BAD_INQUIRIES = [
    {**INQUIRY, "projectType": "website"},
    {key: value for key, value in INQUIRY.items() if key != "email"},
    {**INQUIRY, "name": 42},
    {**INQUIRY, "phone": "555"},
    {**INQUIRY, "_id": _id(1)},
    ["not", "a", "dict"],
]


def test_seed_parsers_match_the_schema(
    modules: dict[str, ModuleType], sources: dict[str, SchemaSource]
) -> None:
    seed = modules["seed"]
    schema: Schema = sources["seed"].schema  # the user's schema, not the module's rebuilt one
    assert seed.parse_inquiry(INQUIRY) is INQUIRY
    assert seed.is_inquiry(INQUIRY)
    document = {**INQUIRY, "_id": _id(1), "_creationTime": 1700000000000.5}
    assert seed.parse_inquiry_document(document) is document
    assert seed.is_inquiry_document(document)
    assert not seed.is_inquiry(document)
    assert not seed.is_inquiry_document(INQUIRY)
    for bad in BAD_INQUIRIES:
        assert _issues(seed.parse_inquiry, bad) == _issues(schema.validate, "inquiries", bad)
        assert not seed.is_inquiry(bad)
        if type(bad) is dict and "_id" in bad:
            continue  # a row must not have `_id`; a document must
        bad_document = {**bad, "_id": _id(2), "_creationTime": 1.0} if type(bad) is dict else bad
        assert _issues(seed.parse_inquiry_document, bad_document) == _issues(
            schema.validate_document, "inquiries", bad_document
        )
        assert not seed.is_inquiry_document(bad_document)


def test_seed_types_at_runtime(modules: dict[str, ModuleType]) -> None:
    seed = modules["seed"]
    assert typing.get_args(seed.ProjectType) == ("saas_mvp", "ai_agent", "automation", "other")
    assert seed.Inquiry.__required_keys__ == frozenset(INQUIRY)
    assert seed.InquiryDocument.__required_keys__ == {*INQUIRY, "_id", "_creationTime"}
    assert seed.InquiryId("x") == "x"
    # Its own schema, rebuilt: equal to the user's, and no import of the user's module.
    assert seed.schema == sys.modules["seed_schema"].schema
    assert seed.schema is not sys.modules["seed_schema"].schema


USER = {
    "name": "Ada",
    "role": 'it\'s "quoted" \\ {x}',
    "class": "first",
    "age": 2**62,
    "avatar": b"\x89PNG",
    "balance": 10,
    "active": True,
    "meta": {"anything": [1, "two", None]},
    "tags": ["a"],
    "scores": {"x-y": 1, "with space": -(2**63), "dots.and/slashes": 0},
    "friends": {},
    "level": 2,
    "ratio": 1.0,
    "flag": True,
    "nothing": None,
}
ADDRESS = {
    "from": "here",
    "import": 3,
    "owner": _id(3),
    "file": _id(4),
    "history": [{"at": 1.5, "change": {"a": "x"}}, {"at": 2, "change": None}],
    "geo": {"lat": 1.0, "lng": -2.0, "str": "s", "__x": b""},
    "labels": {"not an identifier!": {"color": "red"}, "class": {"color": "blue"}},
    "home": {"street": "1 Main St", "city": "Springfield"},
    "previous": None,
}
STRESS_ROWS = {
    "user": ("users", USER, [{**USER, "level": 3}, {**USER, "age": 1.0}, {**USER, "class": None}]),
    "address": (
        "addresses",
        ADDRESS,
        [{**ADDRESS, "owner": "nope"}, {**ADDRESS, "history": [{"at": 1, "change": {"c": 1}}]}],
    ),
    "event": (
        "events",
        {"kind": "sms", "phone": "+1 555"},
        [{"kind": "fax", "phone": "1"}, {"kind": "email", "to": "a@b.c"}],
    ),
    "log": ("logs", {"anything": [1, {"x": None}]}, [{"_secret": 1}, "text"]),
    "status": ("statuses", {"value": "ok", "never": []}, [{"value": "ok", "never": [1]}]),
}


@pytest.mark.parametrize("name", sorted(STRESS_ROWS))
def test_stress_parsers_match_the_schema(
    name: str, modules: dict[str, ModuleType], sources: dict[str, SchemaSource]
) -> None:
    stress = modules["stress"]
    schema: Schema = sources["stress"].schema
    table, good, bads = STRESS_ROWS[name]
    parse, is_row = getattr(stress, f"parse_{name}"), getattr(stress, f"is_{name}")
    parse_document = getattr(stress, f"parse_{name}_document")
    assert parse(good) is good
    assert is_row(good)
    document = {**good, "_id": _id(5), "_creationTime": 1.0}
    assert parse_document(document) is document
    for bad in bads:
        assert not is_row(bad)
        assert _issues(parse, bad) == _issues(schema.validate, table, bad)
        assert _issues(parse_document, bad) == _issues(schema.validate_document, table, bad)


@pytest.mark.parametrize("case", CASES)
def test_the_module_defines_a_schema_equal_to_its_source(
    case: str, sources: dict[str, SchemaSource], modules: dict[str, ModuleType]
) -> None:
    schema = modules[case].schema
    assert schema == sources[case].schema
    assert schema.to_convex_json() == sources[case].schema.to_convex_json()


STANDALONE_CHECK = """
import json, sys
sys.path.insert(0, sys.argv[1])  # the fresh folder, holding nothing but the generated module
# Code that must not depend on pydantic imports the module (and its Validated types) without it.
for blocked in ("pydantic", "pydantic_core", "fastapi", "starlette"):
    sys.modules[blocked] = None
import schema_types
assert schema_types.ValidatedInquiry.__metadata__[0] is not None
from vschema import ValidationError
good = {"name": "Ada", "email": "ada@example.com", "projectType": "ai_agent", "description": "x"}
assert schema_types.parse_inquiry(good) is good
try:
    schema_types.parse_inquiry({**good, "projectType": "website"})
except ValidationError as error:
    print(error.issues[0].code)
print(schema_types.is_inquiry({**good, "name": 42}))
print(json.dumps(schema_types.schema.to_convex_json(), sort_keys=True))
"""


def test_the_module_stands_alone(tmp_path: Path) -> None:
    # `vschema codegen app/schema.py --py-out app/backend/schema_types.py`, then only the
    # generated module is copied into a fresh folder (a container without `schema.py`) and
    # imported from yet another working directory.
    app = tmp_path / "my app"
    (app / "backend").mkdir(parents=True)
    (app / "schema.py").write_text((GOLDEN / "seed_schema.py").read_text())
    source = load_schema(str(app / "schema.py"))
    text = _generate(source, str(app / "backend" / "schema_types.py"), "schema.py")
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
        for node in ast.parse(text).body
        if isinstance(node, ast.Import | ast.ImportFrom)
    }
    assert imported == {"typing", "typing_extensions", "vschema", "vschema.pydantic", "warnings"}
    fresh = tmp_path / "container" / "srv"
    fresh.mkdir(parents=True)
    (fresh / "schema_types.py").write_text(text)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", STANDALONE_CHECK, str(fresh)],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    code, is_row, exported = result.stdout.splitlines()
    assert (code, is_row) == ("literal_mismatch", "False")
    assert json.loads(exported) == json.loads(json.dumps(source.schema.to_convex_json()))


def test_the_module_can_import_the_schema_by_name(tmp_path: Path) -> None:
    (tmp_path / "myapp").mkdir()
    (tmp_path / "myapp" / "__init__.py").write_text("")
    (tmp_path / "myapp" / "schema.py").write_text((GOLDEN / "seed_schema.py").read_text())
    args = ["codegen", "myapp.schema", "--py-out", "myapp/schema_types.py", "--py-import-schema"]
    result = subprocess.run(
        [sys.executable, "-m", "vschema", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "myapp" / "schema_types.py").read_text()
    assert "\nfrom myapp.schema import schema as schema\n" in text
    assert "--py-out myapp/schema_types.py --py-import-schema\n" in text
    shared = subprocess.run(
        [
            sys.executable,
            "-c",
            "import myapp.schema, myapp.schema_types as t; print(t.schema is myapp.schema.schema)",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert shared.stdout == "True\n", shared.stderr
    by_file = subprocess.run(
        [sys.executable, "-m", "vschema", "codegen", "myapp/schema.py", *args[2:]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert by_file.returncode == 2
    assert "--py-import-schema imports the schema by module name" in by_file.stderr


def test_cli_writes_checks_and_detects_stale_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("schema.py").write_text((GOLDEN / "seed_schema.py").read_text())
    assert main(["codegen", "schema.py", "--py-out", "backend/types.py"]) == 0
    assert main(["codegen", "schema.py", "--py-out", "backend/types.py", "--check"]) == 0
    first = Path("backend/types.py").read_text()
    assert first.startswith("# Generated by vschema ")
    assert "\n# Command: cd .. && vschema codegen schema.py --py-out backend/types.py\n" in first
    Path("schema.py").write_text(
        Path("schema.py").read_text().replace('v.literal("other")', 'v.literal("website")')
    )
    capsys.readouterr()
    assert main(["codegen", "schema.py", "--py-out", "backend/types.py", "--check"]) == 1
    assert '+ProjectType: TypeAlias = Literal["saas_mvp", "ai_agent", "automation", "website"]' in (
        capsys.readouterr().out
    )


# -- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plural", "one"),
    [
        ("inquiries", "inquiry"),
        ("users", "user"),
        ("addresses", "address"),
        ("statuses", "status"),
        ("status", "status"),
        ("boxes", "box"),
        ("matches", "match"),
        ("movies", "movie"),
        ("people", "person"),
        ("data", "data"),
        ("news", "news"),
        ("analyses", "analysis"),
        ("shelves", "shelf"),
        ("Users", "User"),
        ("USERS", "USER"),
    ],
)
def test_singular(plural: str, one: str) -> None:
    assert singular(plural) == one


def _names(schema: Schema, **exports: Validator) -> set[str]:
    text = python(schema, exports=exports, origin="s.py", command="c")
    tree = ast.parse(text)
    return {
        target.id
        for node in tree.body
        for target in (
            node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        )
        if isinstance(target, ast.Name)
    } | {node.name for node in tree.body if isinstance(node, ast.ClassDef | ast.FunctionDef)}


def test_names_that_collide_are_numbered_deterministically() -> None:
    schema = define_schema(
        {
            "users": define_table({"a": v.string()}),
            "user": define_table({"b": v.string()}),
            "any": define_table({"c": v.string()}),
            "userDocuments": define_table({"d": v.object({"e": v.string()})}),
        }
    )
    names = _names(schema, user=v.string())
    # `users` takes User...; `user` falls back to User2 (its plural is itself); `any` may not
    # shadow typing.Any; `userDocuments` cannot be UserDocument (taken), so keeps its plural.
    assert {"User", "UserDocument", "UserId", "parse_user", "is_user_document"} <= names
    assert {"User2", "User2Document", "User2Id", "parse_user_2"} <= names
    assert {"Any2", "parse_any_2"} <= names
    assert {"UserDocuments", "UserDocumentsDocument", "UserDocumentsD"} <= names
    assert "User3" in names  # the export `user`, after every table


def test_union_members_are_named_by_their_tag() -> None:
    schema = define_schema(
        {
            "jobs": define_table(
                {
                    "step": v.union(
                        v.object({"type": v.literal("send-email"), "to": v.string()}),
                        v.object({"type": v.literal("wait"), "ms": v.float64()}),
                    ),
                    "other": v.union(v.object({"a": v.string()}), v.object({"b": v.string()})),
                }
            )
        }
    )
    assert {"JobStepSendEmail", "JobStepWait", "JobOther1", "JobOther2"} <= _names(schema)


def test_every_node_kind_renders() -> None:
    from test_walks import SAMPLES

    fields = {f"f{n}": sample for n, sample in enumerate(SAMPLES.values())}
    fields.update({f"o{n}": sample.optional() for n, sample in enumerate(SAMPLES.values())})
    # The ID sample names table "users": the schema has it, so define_schema has no warning.
    schema = define_schema({"things": define_table(fields), "users": define_table({})})
    text = python(schema, origin="s.py", command="c")
    compile(text, "<generated>", "exec")
    assert "o0: NotRequired[str]" in text


# -- hostile text ----------------------------------------------------------------------------

HOSTILE = [
    "'",
    '"',
    "\\",
    '"""',
    "'''",
    "{x}",
    "\n",
    "\r\n",
    "\u2028",
    "\x00",
    "*/",
    "# comment\nimport os",
    "class",
    "😀",
    "é",
    '"); open("/tmp/vschema-python-codegen-canary", "w"); ("',
    "\"]; __import__('os').system('touch /tmp/vschema-python-codegen-canary'); x = [\"",
    '""" + __import__("os").system("touch /tmp/vschema-python-codegen-canary") + """',
]


def test_hostile_literals_and_origin_render_as_data(tmp_path: Path) -> None:
    literals = ", ".join(f"v.literal({text!r})" for text in HOSTILE)
    (tmp_path / "hostile_schema.py").write_text(
        "from vschema import define_schema, define_table, v\n"
        f"tricky = v.union({literals})\n"
        'schema = define_schema({"things": define_table({"class": tricky, "x": tricky})})\n'
    )
    source = load_schema(str(tmp_path / "hostile_schema.py"))
    evil = '"""\nimport os  # \u2028 */ \\'
    text = python(
        source.schema,
        exports=source.exports,
        origin=evil,
        command=evil,
    )
    tree = ast.parse(text)
    assert not any(
        isinstance(node, ast.Import) and node.names[0].name == "os" for node in tree.body
    )
    assert ast.get_docstring(tree, clean=False).startswith(  # type: ignore[union-attr]
        f"Typed rows, documents and parsers for the tables of the schema in {evil}."
    )
    (tmp_path / "hostile_types.py").write_text(text)
    module = _import(tmp_path, "hostile_types")
    assert typing.get_args(module.Tricky) == tuple(HOSTILE)
    assert module.Thing.__required_keys__ == {"class", "x"}
    assert module.parse_thing({"class": HOSTILE[5], "x": HOSTILE[-1]})
    # The module's own schema, rebuilt from builder code, is the schema it was made from.
    assert module.schema == source.schema
    assert module.schema.to_convex_json() == source.schema.to_convex_json()
    assert not CANARY.exists()


def test_a_formatter_leaves_the_generated_modules_alone(
    generated: dict[str, str], tmp_path: Path
) -> None:
    # Users run ruff or black over their backend; a reformatted module would fail `--check`.
    for case, text in generated.items():
        (tmp_path / f"{case}_types.py").write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--isolated", "--line-length", "100"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
