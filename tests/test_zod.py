"""The Zod 4 generator: its schemas infer types.ts's types, and accept what vschema accepts.

One fixture builds everything, then runs ONE `tsc` and ONE `node`:

* The corpus of test_typescript (golden schemas, options, hardening, naming, empty, a seeded
  random schema), a schema of the security list (STYLE.md rule 9), and a schema whose exports
  are validators drawn by `vschema.strategies.validators`. For each, types.ts and the Zod module
  are written next to a check.ts asserting, under `strict` and `exactOptionalPropertyTypes`,
  that `z.infer` and `z.input` of every table's new-row and document schema and of every
  export's schema are identical to the types.ts type of the same name, both ways round. A
  deliberately wrong schema must give exactly one error.
* The JavaScript tsc emits is imported by tests/node/zod_check.mjs, which runs every value of
  one JSON file through `safeParse`: valid draws of `from_validator` / `for_table` (which must
  pass) and one-flaw draws of `invalid` / `invalid_for_table` (which must fail, unless their
  flaw is one of `UNSTATED`, the rules a browser-side schema does not check).

Golden files pin the output for the seed and the stress schema. After a deliberate change:
`VSCHEMA_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_zod.py`, then review the diff.
"""

from __future__ import annotations

import base64
import contextlib
import difflib
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from node_tools import NODE_MODULES, node_binary, tsc
from test_security import HOSTILE_FIELD_NAMES, HOSTILE_STRINGS
from test_typescript import HELPERS, TSCONFIG, Case, corpus
from test_walks import SAMPLES

from vschema import COMMIT_TS, SchemaError, Validator, v
from vschema._source import ts_str
from vschema._version import __version__
from vschema.codegen import typescript, zod
from vschema.codegen._load import load_schema
from vschema.codegen._naming import SchemaNames, schema_names, zod_schema_name
from vschema.codegen._typescript import TYPES_FILE
from vschema.codegen._zod import schema_expression
from vschema.strategies import (
    ExpectedIssue,
    for_table,
    from_validator,
    invalid,
    invalid_for_table,
    validators,
)
from vschema.validators._nodes import (
    VAny,
    VArray,
    VCommitTs,
    VFloat64,
    VInt64,
    VLiteral,
    VObject,
    VRecord,
    VUnion,
    as_node,
    children,
)
from vschema.validators._schema import define_schema, define_table

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "zod"
TS_GOLDEN = Path(__file__).resolve().parent / "golden" / "typescript"
CHECK_SCRIPT = Path(__file__).resolve().parent / "node" / "zod_check.mjs"
UPDATE_GOLDEN = os.environ.get("VSCHEMA_UPDATE_GOLDEN") == "1"
ORIGIN = "schema.py"
COMMAND = "vschema codegen schema.py --zod-out zod.ts"
ZOD_FILE = "zod.ts"

#: What an emitted Zod schema does not check, by the category `_category` gives a flaw: the
#: server is the authority for these (README, "Zod 4 for the frontend island").
UNSTATED = {
    "too_nested": "the nesting depth of objects and arrays (64 levels)",
    "too_large": "a document's size in bytes (1 MiB)",
    "out_of_range/float64": "a Python int beyond 2**53: JavaScript has no such number",
    "no_match/placeholder": (
        "Convex's commit-timestamp placeholder (a class instance) where an object with no "
        "required field belongs: a Zod object takes any object that is no array"
    ),
}

# -- the corpus --------------------------------------------------------------------------------


def security_case() -> Case:
    """STYLE.md rule 9: every hostile string as a literal, a record key and a table name."""
    literals = v.union(*(v.literal(text) for text in HOSTILE_STRINGS))
    fields = {
        name: v.optional(v.union(v.literal(name), v.array(v.literal(name))))
        for name in HOSTILE_FIELD_NAMES
    }
    tagged = v.union(
        *(v.object({"class": v.literal(text), "p": v.string()}) for text in HOSTILE_STRINGS[:6])
    )
    exports: dict[str, Validator] = {
        "literals": literals,
        "fields": v.object(fields),
        "tagged": tagged,
        "keys": v.record(v.string(), literals),
        "proto": v.object({"__proto__": v.string(), "constructor": v.optional(v.int64())}),
    }
    schema = define_schema(
        {
            "constructor": define_table({"class": v.string(), "__proto__": v.optional(literals)}),
            "class": define_table(v.object(fields)),
        }
    )
    return Case("security", schema, exports)


@attrs.frozen
class Drawn:
    """Validators drawn by `validators()`, with valid and invalid values of each."""

    validators: list[Validator]
    #: (index of the validator, value, expected issue code or None when valid)
    values: list[tuple[int, Any, ExpectedIssue | None]]


def drawn_validators(count: int) -> Drawn:
    """Draw ``count`` validators and values of each, through one Hypothesis run."""
    found: list[Validator] = []
    values: list[tuple[int, Any, ExpectedIssue | None]] = []

    @settings(
        max_examples=count,
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def collect(data: st.DataObject) -> None:
        validator = data.draw(validators(max_depth=3), label="validator")
        index = len(found)
        found.append(validator)
        valid = from_validator(validator)
        if not valid.is_empty:  # (`v.union()`, or a required field of it, matches nothing)
            for value in data.draw(st.lists(valid, max_size=3)):
                values.append((index, value, None))
        try:
            bad = invalid(validator)
        except InvalidArgument:  # a validator no value breaks in one rule
            return
        if bad.is_empty:
            return
        for value, expected in data.draw(st.lists(bad, max_size=3)):
            values.append((index, value, expected))

    collect()
    return Drawn(found, values)


def drawn_case(drawn: Drawn) -> Case:
    exports = {f"d{index}": validator for index, validator in enumerate(drawn.validators)}
    return Case("drawn", define_schema({}), exports)


# -- values as tagged JSON -----------------------------------------------------------------------


class Unrepresentable(Exception):
    """A Python value with no JavaScript form (a tuple, a set, a non-string key)."""


@attrs.define
class Encoding:
    """What encoding a value met: a float64 int that JavaScript rounds."""

    lossy: bool = False


def _int_as_bigint(validator: Validator, value: int) -> bool:
    """Whether the int ``value`` at ``validator`` is a JavaScript bigint (Convex's Int64)."""
    node = as_node(validator)
    if isinstance(node, VUnion):
        for member in node.members:
            if member.is_valid(value):
                return _int_as_bigint(member, value)
        for member in node.members:
            if isinstance(member, (VInt64, VCommitTs)) or (
                isinstance(member, VLiteral) and member.int64
            ):
                return True
            if isinstance(member, (VFloat64, VLiteral)):
                return False
    if isinstance(node, (VInt64, VCommitTs)):
        return True
    if isinstance(node, VLiteral):
        return node.int64
    if isinstance(node, VFloat64):
        return False
    return abs(value) > 2**53  # as `to_convex_json` does under v.any()


def _child(validator: Validator, value: object) -> Validator:
    """The validator a container ``value`` meets at ``validator`` (its union member)."""
    node = as_node(validator)
    if isinstance(node, VUnion):
        # A member may be a union itself (`v.nullable(v.union(...))`): look inside it too.
        for member in node.members:
            if member.is_valid(value):
                return _child(member, value)
        kind = VArray if isinstance(value, list) else (VObject, VRecord)
        for member in node.members:
            inner = _child(member, value)
            if isinstance(inner, kind):
                return inner
        return VAny()
    return node


def encode(value: object, validator: Validator, seen: Encoding) -> Any:
    """``value`` as tagged JSON for zod_check.mjs, its ints made bigints where ``validator``
    (walked alongside) takes an Int64."""
    if value is None or type(value) in (bool, str):
        return value
    if value is COMMIT_TS:
        return {"$": "commitTs"}
    if type(value) is float:
        if math.isnan(value):
            return {"$": "float", "v": "nan"}
        if math.isinf(value):
            return {"$": "float", "v": "inf" if value > 0 else "-inf"}
        if value == 0 and math.copysign(1.0, value) < 0:
            return {"$": "float", "v": "-0"}
        return value
    if type(value) is int:
        if _int_as_bigint(validator, value):
            return {"$": "bigint", "v": str(value)}
        if abs(value) > 2**53:
            seen.lossy = True
            return {"$": "float", "v": str(value)}
        return value
    if type(value) is bytes:
        return {"$": "bytes", "v": base64.b64encode(value).decode("ascii")}
    if type(value) is list:
        node = _child(validator, value)
        element = node.element if isinstance(node, VArray) else VAny()
        return [encode(item, element, seen) for item in value]
    if type(value) is dict:
        node = _child(validator, value)
        entries = []
        for key, item in value.items():
            if type(key) is not str:
                raise Unrepresentable(key)
            if isinstance(node, VObject):
                inner = node.fields.get(key, VAny())
            elif isinstance(node, VRecord):
                inner = node.value
            else:
                inner = VAny()
            entries.append([key, encode(item, inner, seen)])
        return {"$": "object", "v": entries}
    raise Unrepresentable(value)


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    """The part of ``value`` at ``path`` (``None`` where there is none)."""
    for key in path:
        inside = isinstance(value, dict) and key in value
        inside = inside or (isinstance(value, list) and type(key) is int and 0 <= key < len(value))
        if inside:
            value = value[key]
        else:
            return None
    return value


def _category(expected: ExpectedIssue, value: Any, seen: Encoding) -> str:
    """The entry of `UNSTATED` a flaw would be, or its issue code."""
    if expected.code == "out_of_range" and seen.lossy:
        return "out_of_range/float64"
    if expected.code == "no_match" and _at(value, expected.path) is COMMIT_TS:
        return "no_match/placeholder"
    return expected.code


@attrs.frozen
class Check:
    """One value for zod_check.mjs: which schema, and what vschema says of it."""

    case: str
    schema: str
    value: Any
    #: None when vschema accepts the value; else the category of its flaw.
    flaw: str | None
    shown: str


# -- the fixture ---------------------------------------------------------------------------------


NEGATIVE = (
    'import { z } from "zod";\n'
    'import type * as T from "./types.js";\n\n'
    + HELPERS
    + """
// Deliberately wrong, and tsc must say so: `.optional()` admits `undefined`, which Convex's
// `note?: string` does not (exactOptionalPropertyTypes).
const Wrong = z.strictObject({ title: z.string(), note: z.string().optional() });
export type Bad = Assert<Same<z.infer<typeof Wrong>, T.Post>>;
"""
)
NEGATIVE_LINE = NEGATIVE.splitlines().index(
    next(line for line in NEGATIVE.splitlines() if line.startswith("export type Bad"))
)


def check_source(case: Case, names: SchemaNames) -> str:
    """check.ts: each schema's `z.infer` and `z.input` against types.ts, both ways round."""
    lines = [
        'import type { z } from "zod";',
        'import type * as T from "./types.js";',
        'import type * as Z from "./zod.js";\n',
        HELPERS,
    ]
    pairs: list[tuple[str, str]] = []
    for table in case.schema.tables:
        table_names = names.tables[table]
        for type_name in (table_names.row, table_names.document):
            pairs.append((f"typeof Z.{zod_schema_name(type_name)}", f"T.{type_name}"))
    for export in case.exports:
        type_name = names.exports[export].type
        pairs.append((f"typeof Z.{zod_schema_name(type_name)}", f"T.{type_name}"))
    number = 0
    for schema, type_name in pairs:
        for infer in ("z.infer", "z.input"):
            left = f"{infer}<{schema}>"
            lines.append(f"export type Check{number} = Assert<Same<{left}, {type_name}>>;")
            lines.append(f"export type Check{number}r = Assert<Same<{type_name}, {left}>>;")
            number += 1
    return "\n".join(lines) + "\n"


@attrs.frozen
class Run:
    root: Path
    cases: list[Case]
    files: dict[str, str]
    tsc_code: int
    tsc_output: str
    checks: list[Check]
    results: list[dict[str, Any]]
    unrepresentable: list[str]

    def errors(self) -> list[tuple[str, int, str, str]]:
        return [
            (m[1], int(m[2]), m[3], m[4])
            for m in re.finditer(
                r"^(\S[^\n(]*)\((\d+),\d+\): error (TS\d+): (.*)$", self.tsc_output, re.M
            )
        ]


def _table_checks(case: Case, names: SchemaNames, checks: list[Check], skipped: list[str]) -> None:
    """Valid and one-flaw rows and documents of each table of ``case``."""
    drawn: list[tuple[str, bool, Any, ExpectedIssue | None]] = []
    strategies: list[tuple[str, bool, st.SearchStrategy[Any], bool]] = []
    for table in case.schema.tables:
        for document in (False, True):
            # A table no row fits (a required `v.union()`) has no valid draw, and maybe no
            # invalid one: Hypothesis says so when the strategy is made.
            with contextlib.suppress(InvalidArgument):
                strategies.append(
                    (table, document, for_table(case.schema, table, document=document), True)
                )
            with contextlib.suppress(InvalidArgument):
                strategies.append(
                    (
                        table,
                        document,
                        invalid_for_table(case.schema, table, document=document),
                        False,
                    )
                )

    @settings(
        max_examples=12,
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def collect(data: st.DataObject) -> None:
        for table, document, strategy, valid in strategies:
            if valid:
                drawn.append((table, document, data.draw(strategy), None))
            else:
                bad, expected = data.draw(strategy)
                drawn.append((table, document, bad, expected))

    collect()
    for table, document, value, expected in drawn:
        table_names = names.tables[table]
        type_name = table_names.document if document else table_names.row
        validator = case.schema.tables[table].validator
        add(checks, skipped, case.name, zod_schema_name(type_name), value, validator, expected)


def add(
    checks: list[Check],
    skipped: list[str],
    case: str,
    schema: str,
    value: Any,
    validator: Validator,
    expected: ExpectedIssue | None,
) -> None:
    seen = Encoding()
    try:
        encoded = encode(value, validator, seen)
    except Unrepresentable:
        skipped.append(str(expected and expected.code))
        return
    flaw = None if expected is None else _category(expected, value, seen)
    checks.append(Check(case, schema, encoded, flaw, f"{value!r:.300} at {validator!r:.600}"))


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("zod")
    (root / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
    (root / "package.json").write_text('{"type": "module"}\n', encoding="utf-8")
    (root / "tsconfig.json").write_text(json.dumps(TSCONFIG, indent=2), encoding="utf-8")
    drawn = drawn_validators(40)
    unstated, pinned = unstated_case()
    cases = [*corpus(root / "python"), security_case(), drawn_case(drawn), unstated]
    files: dict[str, str] = {}
    checks: list[Check] = []
    skipped: list[str] = []
    for case in cases:
        folder = root / "cases" / case.name
        folder.mkdir(parents=True)
        names = schema_names(case.schema, case.exports)
        types = typescript(case.schema, exports=case.exports, origin=ORIGIN, command=COMMAND)
        (folder / TYPES_FILE).write_text(types[TYPES_FILE], encoding="utf-8")
        files[case.name] = zod(case.schema, exports=case.exports, origin=ORIGIN, command=COMMAND)
        (folder / ZOD_FILE).write_text(files[case.name], encoding="utf-8")
        (folder / "check.ts").write_text(check_source(case, names), encoding="utf-8")
        if case.name not in ("drawn", "unstated"):
            _table_checks(case, names, checks, skipped)
    (root / "cases" / "options" / "negative.ts").write_text(NEGATIVE, encoding="utf-8")
    drawn_names = schema_names(define_schema({}), drawn_case(drawn).exports)
    for flaw, schema_name, value, validator in pinned:
        seen = Encoding()
        encoded = encode(value, validator, seen)
        assert _category(ExpectedIssue(flaw.split("/")[0], ()), value, seen) == flaw
        checks.append(Check("unstated", schema_name, encoded, flaw, flaw))
    for index, value, expected in drawn.values:
        schema = zod_schema_name(drawn_names.exports[f"d{index}"].type)
        add(checks, skipped, "drawn", schema, value, drawn.validators[index], expected)
    result = tsc(["-p", "tsconfig.json", "--pretty", "false"], cwd=root)
    payload = {
        "modules": {
            case.name: str(root / "out" / "cases" / case.name / "zod.js") for case in cases
        },
        "checks": [{"module": c.case, "schema": c.schema, "value": c.value} for c in checks],
    }
    values_file = root / "checks.json"
    values_file.write_text(json.dumps(payload, ensure_ascii=True), encoding="utf-8")
    node = subprocess.run(
        [node_binary(), str(CHECK_SCRIPT), str(values_file)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if node.returncode != 0:
        pytest.fail(f"zod_check.mjs failed:\n{node.stderr}\n(tsc said:\n{result.stdout})")
    # Split at "\n" only: a message may hold U+2028, which `splitlines` would split at too.
    results = json.loads(node.stdout.rstrip("\n").split("\n")[-1])
    return Run(
        root,
        cases,
        files,
        result.returncode,
        result.stdout + result.stderr,
        checks,
        results,
        skipped,
    )


def _listing(run: Run, name: str) -> str:
    folder = run.root / "cases" / name
    return "\n".join(
        f"--- {p.name}\n{p.read_text(encoding='utf-8')}" for p in sorted(folder.glob("*.ts"))
    )


# -- the type proofs -------------------------------------------------------------------------


def test_inferred_types_equal_types_ts(run: Run) -> None:
    unexpected = [e for e in run.errors() if not e[0].endswith("options/negative.ts")]
    if unexpected:
        failing = sorted({Path(file).parent.name for file, *_ in unexpected})
        pytest.fail(
            f"tsc reported errors:\n{run.tsc_output}\n"
            + "\n".join(_listing(run, name) for name in failing)
        )


def test_a_wrong_schema_fails_to_compile(run: Run) -> None:
    assert run.tsc_code != 0, "tsc accepted the deliberately wrong schema"
    negative = [e for e in run.errors() if e[0].endswith("options/negative.ts")]
    assert negative == [
        (
            "cases/options/negative.ts",
            NEGATIVE_LINE + 1,
            "TS2344",
            "Type 'false' does not satisfy the constraint 'true'.",
        )
    ], run.tsc_output


def test_every_case_was_checked(run: Run) -> None:
    # The proof covers what it claims: each case's check.ts has its pairs, and the corpus
    # holds every kind of node.
    for case in run.cases:
        text = (run.root / "cases" / case.name / "check.ts").read_text(encoding="utf-8")
        # (new row and document per table, one per export) x (infer, input) x both ways
        expected = 2 * 2 * (2 * len(case.schema.tables) + len(case.exports))
        assert text.count("export type Check") == expected, case.name
    kinds: set[str] = set()
    stack = [
        node
        for case in run.cases
        for node in [*case.exports.values(), *(t.validator for t in case.schema.tables.values())]
    ]
    while stack:
        node = stack.pop()
        kinds.add(node.kind)
        stack.extend(children(node))
    assert kinds == {cls.kind for cls in Validator.__subclasses__()}


# -- the runtime proofs ------------------------------------------------------------------------


def test_valid_values_pass(run: Run) -> None:
    failures = [
        (check.case, check.schema, check.shown, result)
        for check, result in zip(run.checks, run.results, strict=True)
        if check.flaw is None and not result["ok"]
    ]
    assert not failures, "\n".join(map(str, failures[:20]))
    assert sum(check.flaw is None for check in run.checks) >= 200


def test_invalid_values_fail_unless_their_flaw_is_unstated(run: Run) -> None:
    passed = [
        (check.case, check.schema, check.flaw, check.shown)
        for check, result in zip(run.checks, run.results, strict=True)
        if check.flaw is not None and result["ok"] and check.flaw not in UNSTATED
    ]
    # The pinned examples pass by design; the drawn ones must fail but for `UNSTATED`.
    assert not passed, "\n".join(map(str, passed[:20]))
    flawed = [c for c in run.checks if c.flaw is not None and c.case != "unstated"]
    assert len(flawed) >= 150
    # Values with no JavaScript form are only those with a Python-only type in them.
    assert set(run.unrepresentable) <= {"no_match", "unsupported_type", "invalid_field_name"}


# -- the list of what Zod does not state, pinned one example each ------------------------------


def unstated_case() -> tuple[Case, list[tuple[str, str, Any, Validator]]]:
    """One value for each entry of `UNSTATED`: (flaw, schema name, value, validator)."""
    # Documents nest at most 16 levels; a validator may nest deeper (values up to 64).
    deep_validator: Validator = v.string()
    deep: Any = "x"
    for _ in range(17):
        deep_validator, deep = v.array(deep_validator), [deep]
    exports: dict[str, Validator] = {
        "number": v.float64(),
        "loose": v.object({"a": v.optional(v.string())}),
    }
    schema = define_schema(
        {
            "big": define_table({"s": v.string()}),
            "deep": define_table({"a": deep_validator}),
        }
    )
    examples: list[tuple[str, str, Any, Validator]] = [
        ("too_nested", "DeepSchema", {"a": deep}, schema.tables["deep"].validator),
        ("too_large", "BigSchema", {"s": "x" * (1 << 20)}, schema.tables["big"].validator),
        ("out_of_range/float64", "NumberSchema", 2**53 + 1, exports["number"]),
        ("no_match/placeholder", "LooseSchema", COMMIT_TS, exports["loose"]),
    ]
    # vschema refuses each, for the reason the entry names.
    assert schema.errors("deep", examples[0][2])[0].code == "too_nested"
    assert schema.errors("big", examples[1][2])[0].code == "too_large"
    assert exports["number"].errors(examples[2][2])[0].code == "out_of_range"
    assert exports["loose"].errors(COMMIT_TS)[0].code == "no_match"
    return Case("unstated", schema, exports), examples


def test_unstated_flaws_are_exactly_the_list(run: Run) -> None:
    """Each entry of `UNSTATED` passes the emitted schema (so the list is not too long), and
    every other flaw an invalid draw can have fails (the test above: not too short)."""
    pinned = [
        (check.flaw, result["ok"])
        for check, result in zip(run.checks, run.results, strict=True)
        if check.case == "unstated" and check.flaw is not None
    ]
    assert sorted(pinned) == sorted((flaw, True) for flaw in UNSTATED)


# -- golden files and the walk without tools ---------------------------------------------------


def _normalized(text: str) -> str:
    return text.replace(f"vschema {__version__} ", "vschema <version> ", 1)


@pytest.mark.parametrize("name", ["seed", "stress"])
def test_golden(name: str) -> None:
    source = load_schema(str(TS_GOLDEN / name / "schema.py"))
    text = _normalized(zod(source.schema, exports=source.exports, origin=ORIGIN, command=COMMAND))
    path = GOLDEN / f"{name}.zod.ts"
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    golden = path.read_text(encoding="utf-8") if path.is_file() else ""
    if golden != text:
        diff = "".join(
            difflib.unified_diff(
                golden.splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"{path} (golden)",
                tofile=f"{path} (generated)",
            )
        )
        pytest.fail(
            f"generated Zod differs from the golden file:\n{diff}\nIf intended: "
            "VSCHEMA_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_zod.py, then review the diff."
        )


def test_golden_files_are_clean() -> None:
    paths = sorted(GOLDEN.glob("*.zod.ts"))
    assert [p.name for p in paths] == ["seed.zod.ts", "stress.zod.ts"]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n"), path
        assert not text.endswith("\n\n"), path
        for line in text.splitlines():
            assert line == line.rstrip(), (path, line)
            assert "\t" not in line, (path, line)


def test_imports_only_zod() -> None:
    source = load_schema(str(TS_GOLDEN / "stress" / "schema.py"))
    text = zod(source.schema, exports=source.exports)
    assert re.findall(r"^import .*$", text, re.M) == ['import { z } from "zod";']


@pytest.mark.parametrize(
    ("validator", "expected"),
    [
        (v.string(), "zString"),
        (v.float64(), "zFloat64"),
        (v.int64(), "zInt64"),
        (v.bytes(), "zBytes"),
        (v.any(), "zAny"),
        (v.id("users"), 'zId("users")'),
        (v.literal(0), "zZero"),
        (v.literal(-0.0), "zNegativeZero"),
        (v.literal(0, int64=True), "z.literal(0n)"),
        (v.literal(1e300), "z.literal(1e+300)"),
        (v.literal('a"b\u2028'), 'z.literal("a\\"b\\u2028")'),
        (v.union(), "z.never()"),
        (v.union(v.literal("a"), v.literal("b")), 'z.enum(["a", "b"])'),
        (v.nullable(v.string()), "zString.nullable()"),
        (v.array(v.null()), "zArray(z.null())"),
        (v.record(v.id("t"), v.boolean()), 'zRecord(zId("t"), z.boolean())'),
        (v.object({}), "zEmpty"),
        (
            v.object({"__proto__": v.optional(v.string())}),
            'zOwn(z.strictObject({\n  ["__proto__"]: zString.exactOptional(),\n}))',
        ),
    ],
)
def test_schema_expression(validator: Validator, expected: str) -> None:
    assert schema_expression(validator) == expected


def test_tagged_unions_are_discriminated() -> None:
    tagged = v.union(
        v.object({"kind": v.literal("a"), "x": v.string()}),
        v.object({"kind": v.literal("b")}),
    )
    assert schema_expression(tagged).startswith('z.discriminatedUnion("kind", [\n  z.strictObject')
    # A tag shared by two members cannot discriminate: a plain union.
    same = v.union(
        v.object({"kind": v.literal("a")}), v.object({"kind": v.literal("a"), "y": v.null()})
    )
    assert schema_expression(same).startswith("z.union(")


def test_every_node_kind_has_a_schema() -> None:
    # As tests/test_walks.py does for the other walks: each kind, and each as an optional field.
    for kind, sample in SAMPLES.items():
        assert schema_expression(sample), kind
        text = schema_expression(v.object({"field": sample.optional()}))
        assert ".exactOptional()" in text, kind


def test_refuses_what_is_not_a_schema() -> None:
    with pytest.raises(TypeError, match="needs a Schema"):
        zod(v.string())  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match='Invalid validator for table "t"'):
        schema_expression(v.string(), table="t")


def test_the_command_line_writes_the_module(tmp_path: Path) -> None:
    schema = tmp_path / "schema.py"
    schema.write_text(
        (TS_GOLDEN / "seed" / "schema.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "vschema", "codegen", "schema.py", "--zod-out", "web/zod.ts"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "web" / "zod.ts").read_text(encoding="utf-8")
    assert "// Command: cd .. && vschema codegen schema.py --zod-out web/zod.ts" in text
    source = load_schema(str(schema))
    assert text.splitlines()[4:] == zod(source.schema, exports=source.exports).splitlines()[4:]


def test_names_follow_the_naming_module() -> None:
    case = security_case()
    text = zod(case.schema, exports=case.exports)
    names = schema_names(case.schema, case.exports)
    for table in case.schema.tables:
        assert f"export const {names.tables[table].row}Schema = " in text
        assert f"export const {names.tables[table].document}Schema = " in text
    assert f"/** A new row for table {ts_str('constructor')}" in text


def test_the_contact_form_island_schema_is_up_to_date() -> None:
    example = ROOT / "examples" / "contact-form"
    args = ["codegen", "schema.py", "--zod-out", "site/src/schema.zod.ts", "--check"]
    result = subprocess.run(
        [sys.executable, "-m", "vschema", *args],
        cwd=example,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, (
        "examples/contact-form/site/src/schema.zod.ts is stale: run `python -m vschema codegen "
        f"schema.py --zod-out site/src/schema.zod.ts` in examples/contact-form\n{result.stdout}"
        f"{result.stderr}"
    )
    island = (example / "site" / "src" / "components" / "ContactForm.tsx").read_text("utf-8")
    assert 'import { InquirySchema } from "../schema.zod";' in island
