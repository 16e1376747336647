"""The TypeScript generator: its types are Convex's, its schema.ts is the same schema.

The corpus below (the golden schemas, a schema with non-default options, an empty one and a
seeded random one) is generated into one folder and checked by ONE run of the real `tsc` under
`strict` and `exactOptionalPropertyTypes`: for every table, the generated document type equals
Convex's `DocumentByName<DataModelFromSchemaDefinition<typeof schema>, T>` (the generated
schema.ts imported with the real `convex` package), the new-row type equals `Infer` of the table's
validator, and every named type equals `Infer<typeof validator>`, each in both directions with a
strict `Equals`. One file holds a deliberately wrong type, and that run must report exactly that
one error. The JavaScript tsc emits then runs under node: `schema.export()` must be the JSON
`Schema.to_convex_json()` gives, and each exported validator's `.json` its `to_convex_json()`.

Golden files pin the output for the seed and the stress schema. After a deliberate change:
`VSCHEMA_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_typescript.py`, then review the diff.
"""

from __future__ import annotations

import difflib
import json
import os
import random
import re
from collections.abc import Mapping
from pathlib import Path

import attrs
import pytest
from node_tools import NODE_MODULES, run_node_json, tsc
from test_naming import NAMING_SOURCE
from test_security import HOSTILE_STRINGS

from vschema import SchemaError, Validator, v
from vschema._source import ts_str
from vschema._version import __version__
from vschema.codegen import typescript
from vschema.codegen._load import load_schema
from vschema.codegen._naming import SchemaNames, schema_names
from vschema.codegen._typescript import (
    SCHEMA_FILE,
    TYPES_FILE,
    type_expression,
    validator_source,
)
from vschema.validators._schema import Schema, define_schema, define_table

GOLDEN = Path(__file__).resolve().parent / "golden" / "typescript"
UPDATE_GOLDEN = os.environ.get("VSCHEMA_UPDATE_GOLDEN") == "1"
ORIGIN = "schema.py"
COMMAND = "vschema codegen schema.py --ts-out ."

OPTIONS_SOURCE = """
from vschema import v
from vschema.validators._schema import define_schema, define_table

schema = define_schema(
    {
        "posts": define_table({"title": v.string(), "note": v.optional(v.string())})
        .index("by_title", ["title"])
        .index("by_missing", ["missing"])
        .search_index("search_title", search_field=".title"),
    },
    schema_validation=False,
    strict_table_name_types=False,
)
"""

EMPTY_SOURCE = """
from vschema import v
from vschema.validators._schema import define_schema

lonely = v.object({"a": v.optional(v.string()), "b": v.array(v.union())})
schema = define_schema({})
"""

# Tables whose types Convex computes in ways easy to get wrong: `v.any()`,
# declared system fields (the insert type drops them), and `v.commitTs()` wherever it can be.
HARDENING_SOURCE = """
from vschema import v
from vschema.validators._schema import define_schema, define_table

stamp = v.commitTs()
stamps = v.object({
    "at": v.commitTs(),
    "maybe": v.optional(v.commitTs()),
    "list": v.array(v.commitTs()),
    "either": v.union(v.commitTs(), v.string()),
    "by": v.record(v.string(), v.commitTs()),
})
maybe_stamp = v.optional(v.commitTs())

# One subtree used twice at each level: the files name the large ones once (Shared1, ...).
_tree = v.object({"leaf": v.string(), "ids": v.record(v.id("stamped"), v.int64())})
for _ in range(7):
    _tree = v.union(v.object({"l": _tree, "r": v.optional(_tree)}), v.array(_tree))
tree = v.object({"top": _tree, "again": v.array(_tree)})

schema = define_schema({
    "anything": define_table(v.any()),
    "declared": define_table(
        v.object({"_id": v.string(), "_creationTime": v.number(), "a": v.int64()})
    ),
    "declared_union": define_table(
        v.union(
            v.object({"kind": v.literal("x"), "_id": v.optional(v.string())}),
            v.object({"kind": v.literal("y"), "_creationTime": v.float64()}),
        )
    ),
    "stamped": define_table(stamps).index("by_at", ["at"]),
    "trees": define_table({"tree": _tree, "other": v.optional(_tree)}),
})
"""


@attrs.frozen
class Case:
    """One schema of the corpus and what the type test checks besides the generated names."""

    name: str
    schema: Schema
    exports: Mapping[str, Validator]
    #: Extra assertions in the case's check.ts: `(left, right)` types that must be equal.
    extra: tuple[tuple[str, str], ...] = ()


# -- a seeded random schema --------------------------------------------------------------------

FIELD_NAMES = [
    "a",
    "b",
    "class",
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    "_x",
    "x1",
    "Z",
    "new",
    "default",
]
NUMBER_LITERALS: list[tuple[int | float, bool]] = [
    (0, False),
    (-0.0, False),
    (1.5, False),
    (-7, False),
    (2**53, False),
    (1e300, False),
    (5e-324, False),
    (0, True),
    (-(2**63), True),
    (2**63 - 1, True),
]


def _random_validator(rng: random.Random, depth: int) -> Validator:
    kind = rng.randrange(14 if depth > 0 else 10)
    if kind < 7:
        return [v.string, v.float64, v.int64, v.boolean, v.null, v.bytes, v.any][kind]()
    if kind == 7:
        return v.id(rng.choice(["t1", "t2", "elsewhere"]))
    if kind == 8:
        text = rng.choice(HOSTILE_STRINGS)
        return v.literal(text)
    if kind == 9:
        choice = rng.randrange(len(NUMBER_LITERALS) + 2)
        if choice >= len(NUMBER_LITERALS):
            return v.literal(choice == len(NUMBER_LITERALS))
        number, int64 = NUMBER_LITERALS[choice]
        return v.literal(number, int64=int64)
    if kind == 10:
        return v.array(_random_validator(rng, depth - 1))
    if kind == 11:
        names = rng.sample(FIELD_NAMES, rng.randrange(4))
        return v.object(
            {
                name: _random_field(rng, depth - 1)
                for name in names
                if not name.startswith("_") or rng.random() < 0.5
            }
        )
    if kind == 12:
        key = rng.choice([v.string(), v.id("t1"), v.union(v.id("t1"), v.string()), v.union()])
        return v.record(key, _random_validator(rng, depth - 1))
    return v.union(*(_random_validator(rng, depth - 1) for _ in range(rng.randrange(4))))


def _random_field(rng: random.Random, depth: int) -> Validator:
    field = _random_validator(rng, depth)
    return field.optional() if rng.random() < 0.3 else field


def _random_object(rng: random.Random, names: list[str]) -> Validator:
    return v.object({name: _random_field(rng, 3) for name in names})


def random_case(seed: int = 20240601, count: int = 40) -> Case:
    rng = random.Random(seed)
    exports: dict[str, Validator] = {}
    for index in range(count):
        exports[f"r{index}"] = _random_field(rng, 4)
    first = _random_object(rng, ["a", "b", "class", "toString", "x1"])
    tagged = v.union(
        _random_object(rng, ["a", "Z"]),
        v.object({"kind": v.literal("two"), "new": v.optional(exports["r0"].required())}),
    )
    # Exported too, so the tables refer to them by name.
    exports["first_table"] = first
    exports["tagged"] = tagged
    schema = define_schema({"t1": define_table(first), "t2": define_table(tagged)})
    return Case("random", schema, exports)


# -- the corpus --------------------------------------------------------------------------------


def _load(path: Path, name: str, extra: tuple[tuple[str, str], ...] = ()) -> Case:
    source = load_schema(str(path))
    return Case(name, source.schema, dict(source.exports), extra)


def corpus(tmp: Path) -> list[Case]:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "options.py").write_text(OPTIONS_SOURCE, encoding="utf-8")
    (tmp / "empty.py").write_text(EMPTY_SOURCE, encoding="utf-8")
    (tmp / "hardening.py").write_text(HARDENING_SOURCE, encoding="utf-8")
    (tmp / "naming.py").write_text(NAMING_SOURCE, encoding="utf-8")
    return [
        _load(GOLDEN / "seed" / "schema.py", "seed"),
        _load(GOLDEN / "stress" / "schema.py", "stress"),
        _load(
            tmp / "options.py",
            "options",
            extra=(
                # Convex types an optional field `note?: string`, not `note?: string | undefined`.
                ("{ title: string; note?: string }", "T.Post"),
                # strictTableNameTypes: false: any name is a table, of `any` documents.
                ("T.TableNames", "string"),
                ('T.Doc<"elsewhere">', 'DocumentByName<DM, "elsewhere">'),
                ('T.NewDoc<"elsewhere">', 'WithoutSystemFields<DocumentByName<DM, "elsewhere">>'),
            ),
        ),
        _load(tmp / "hardening.py", "hardening"),
        _load(tmp / "empty.py", "empty"),
        # Names that clash: the export `user` is the row type `User` of `users` as well.
        _load(tmp / "naming.py", "naming", extra=(("T.User", 'T.NewDoc<"users">'),)),
        random_case(),
    ]


HELPERS = """\
/** True when TypeScript holds A and B identical (not merely mutually assignable)... */
type Equals<A, B> =
  (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
/** ...which misses one difference: `a?: T | undefined` is "identical" to `a?: T`, even under
 * exactOptionalPropertyTypes. Assignability tells them apart, so check it both ways too. */
type Same<A, B> =
  Equals<A, B> extends true ? ([A] extends [B] ? ([B] extends [A] ? true : false) : false) : false;
type Assert<Condition extends true> = Condition;
"""
PRELUDE = (
    "import type {\n"
    "  DataModelFromSchemaDefinition,\n"
    "  DocumentByName,\n"
    "  TableNamesInDataModel,\n"
    "  WithoutSystemFields,\n"
    '} from "convex/server";\n'
    'import type { GenericId, Infer } from "convex/values";\n'
    'import type * as T from "./types.js";\n\n' + HELPERS
)


def check_source(case: Case, names: SchemaNames) -> str:
    """check.ts: every generated type against what Convex infers, both ways round."""
    lines = [PRELUDE]
    if case.exports:
        lines.append('import schema, * as S from "./schema.js";\n')
    else:
        lines.append('import schema from "./schema.js";\n')
    lines.append("type DM = DataModelFromSchemaDefinition<typeof schema>;")
    lines.append(
        "export type Used = [DocumentByName<DM, never>, GenericId<never>, Infer<never>,"
        " WithoutSystemFields<never>];\n"
    )
    pairs: list[tuple[str, str]] = []
    for table in case.schema.tables:
        name = ts_str(table)
        document = f"DocumentByName<DM, {name}>"
        # What `db.insert` takes; the same as `Infer` of the validator, except that it drops a
        # top-level `_id` or `_creationTime` the table declares, and is no `any` for v.any().
        row = f"WithoutSystemFields<{document}>"
        pairs += [
            (f"T.{names.tables[table].document}", document),
            (f"keyof T.{names.tables[table].document}", f"keyof {document}"),
            (f"keyof T.{names.tables[table].row}", f"keyof {row}"),
            (f"T.Doc<{name}>", document),
            (f'T.DataModel[{name}]["document"]', document),
            (f"T.{names.tables[table].row}", row),
            (f"T.NewDoc<{name}>", row),
            (f"T.Id<{name}>", f"GenericId<{name}>"),
            (f"T.{names.tables[table].id}", f"GenericId<{name}>"),
        ]
    pairs.append(("T.TableNames", "TableNamesInDataModel<DM>"))
    for export in case.exports:
        export_names = names.exports[export]
        pairs.append((f"T.{export_names.type}", f"Infer<typeof S.{export_names.const}>"))
    pairs += case.extra
    for number, (left, right) in enumerate(pairs):
        lines.append(f"export type Check{number} = Assert<Same<{left}, {right}>>;")
        lines.append(f"export type Check{number}r = Assert<Same<{right}, {left}>>;")
    return "\n".join(lines) + "\n"


NEGATIVE = (
    'import type * as T from "./types.js";\n\n'
    + HELPERS
    + """
// Deliberately wrong, and tsc must say so: under exactOptionalPropertyTypes an optional field
// of Convex's types is `note?: string`, which `note?: string | undefined` is not.
export type Wrong = Assert<Same<{ title: string; note?: string | undefined }, T.Post>>;
"""
)
NEGATIVE_LINE = NEGATIVE.splitlines().index(
    next(line for line in NEGATIVE.splitlines() if line.startswith("export type Wrong"))
)

TSCONFIG = {
    "compilerOptions": {
        "strict": True,
        "exactOptionalPropertyTypes": True,
        "noUnusedLocals": True,
        "noUncheckedIndexedAccess": True,
        "verbatimModuleSyntax": True,
        "isolatedModules": True,
        "target": "ES2022",
        "module": "NodeNext",
        "moduleResolution": "NodeNext",
        "skipLibCheck": True,
        "rootDir": ".",
        "outDir": "out",
    },
    "include": ["cases/**/*.ts"],
}


@attrs.frozen
class Compiled:
    """The corpus written out and compiled by one tsc run."""

    root: Path
    cases: list[Case]
    names: dict[str, SchemaNames]
    files: dict[str, dict[str, str]]
    returncode: int
    output: str

    def errors(self) -> list[tuple[str, int, str, str]]:
        """Every error tsc reported: (file, line, code, message)."""
        found = []
        for match in re.finditer(
            r"^(\S[^\n(]*)\((\d+),\d+\): error (TS\d+): (.*)$", self.output, re.M
        ):
            found.append((match[1], int(match[2]), match[3], match[4]))
        return found


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Compiled:
    root = tmp_path_factory.mktemp("typescript")
    (root / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
    (root / "package.json").write_text('{"type": "module"}\n', encoding="utf-8")
    (root / "tsconfig.json").write_text(json.dumps(TSCONFIG, indent=2), encoding="utf-8")
    cases = corpus(root / "python")
    names: dict[str, SchemaNames] = {}
    files: dict[str, dict[str, str]] = {}
    for case in cases:
        folder = root / "cases" / case.name
        folder.mkdir(parents=True)
        names[case.name] = schema_names(case.schema, case.exports)
        files[case.name] = typescript(
            case.schema, exports=case.exports, origin=ORIGIN, command=COMMAND
        )
        for file_name, text in files[case.name].items():
            (folder / file_name).write_text(text, encoding="utf-8")
        check = check_source(case, names[case.name])
        (folder / "check.ts").write_text(check, encoding="utf-8")
    (root / "cases" / "options" / "negative.ts").write_text(NEGATIVE, encoding="utf-8")
    result = tsc(["-p", "tsconfig.json", "--pretty", "false"], cwd=root)
    return Compiled(root, cases, names, files, result.returncode, result.stdout + result.stderr)


def _case_listing(compiled: Compiled, name: str) -> str:
    folder = compiled.root / "cases" / name
    return "\n".join(
        f"--- {path.name}\n{path.read_text(encoding='utf-8')}"
        for path in sorted(folder.glob("*.ts"))
    )


def test_generated_types_equal_convex_types(compiled: Compiled) -> None:
    unexpected = [e for e in compiled.errors() if not e[0].endswith("options/negative.ts")]
    if unexpected:
        failing = sorted({Path(file).parent.name for file, *_ in unexpected})
        listings = "\n".join(_case_listing(compiled, name) for name in failing)
        pytest.fail(f"tsc reported errors:\n{compiled.output}\n{listings}")


def test_a_wrong_type_fails_to_compile(compiled: Compiled) -> None:
    errors = compiled.errors()
    assert compiled.returncode != 0, "tsc accepted the deliberately wrong type"
    negative = [e for e in errors if e[0].endswith("options/negative.ts")]
    assert negative == [
        (
            "cases/options/negative.ts",
            NEGATIVE_LINE + 1,
            "TS2344",
            "Type 'false' does not satisfy the constraint 'true'.",
        )
    ], compiled.output


def test_schema_ts_exports_the_same_json(compiled: Compiled) -> None:
    # Plain concatenation: the script is full of braces, so no formatting pass touches it.
    script = (
        "const root = "
        + json.dumps(str(compiled.root))
        + ";\nconst names = "
        + json.dumps([case.name for case in compiled.cases])
        + ";\n"
        + """
import { pathToFileURL } from "node:url";
const out = {};
for (const name of names) {
  const module = await import(pathToFileURL(`${root}/out/cases/${name}/schema.js`).href);
  const exports = {};
  for (const [key, value] of Object.entries(module)) {
    if (key !== "default") exports[key] = value.json;
  }
  out[name] = { schema: JSON.parse(module.default.export()), exports };
}
console.log(JSON.stringify(out));
"""
    )
    from_node = run_node_json(script)
    for case in compiled.cases:
        names = compiled.names[case.name]
        expected_schema = json.loads(json.dumps(case.schema.to_convex_json()))
        assert from_node[case.name]["schema"] == expected_schema, case.name
        expected_exports = {
            names.exports[name].const: json.loads(json.dumps(validator.to_convex_json()))
            for name, validator in case.exports.items()
        }
        assert from_node[case.name]["exports"] == expected_exports, case.name


def test_types_ts_is_types_only(compiled: Compiled) -> None:
    for case in compiled.cases:
        text = compiled.files[case.name][TYPES_FILE]
        assert not re.search(r"^\s*(import|require)\b", text, re.M), case.name
        emitted = (compiled.root / "out" / "cases" / case.name / "types.js").read_text()
        code = [line for line in emitted.splitlines() if not line.startswith("//")]
        assert code == ["/* eslint-disable */", "export {};"], case.name


# -- golden files ------------------------------------------------------------------------------


def _normalized(text: str) -> str:
    """The output with the version in its header replaced, so a release changes no golden file."""
    return text.replace(f"vschema {__version__} ", "vschema <version> ", 1)


@pytest.mark.parametrize("name", ["seed", "stress"])
def test_golden(name: str) -> None:
    source = load_schema(str(GOLDEN / name / "schema.py"))
    generated = typescript(source.schema, exports=source.exports, origin=ORIGIN, command=COMMAND)
    assert sorted(generated) == [SCHEMA_FILE, TYPES_FILE]
    problems = []
    for file_name, text in generated.items():
        path = GOLDEN / name / file_name
        text = _normalized(text)
        if UPDATE_GOLDEN:
            path.write_text(text, encoding="utf-8", newline="\n")
            continue
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
            problems.append(diff)
    if problems:
        pytest.fail(
            "generated TypeScript differs from the golden files:\n"
            + "\n".join(problems)
            + "\nIf the change is intended: VSCHEMA_UPDATE_GOLDEN=1 .venv/bin/pytest "
            "tests/test_typescript.py, then review the diff of tests/golden/."
        )


# -- the walks and the names, without tsc ------------------------------------------------------


def test_output_is_deterministic() -> None:
    case = random_case()
    first = typescript(case.schema, exports=case.exports)
    again = random_case()
    assert typescript(again.schema, exports=dict(again.exports)) == first


@pytest.mark.parametrize(
    ("validator", "expected"),
    [
        (v.string(), "string"),
        (v.float64(), "number"),
        (v.int64(), "bigint"),
        (v.boolean(), "boolean"),
        (v.null(), "null"),
        (v.bytes(), "ArrayBuffer"),
        (v.any(), "any"),
        (v.id("users"), 'Id<"users">'),
        (v.literal(-0.0), "0"),
        (v.literal(0.5), "0.5"),
        (v.literal(-3), "-3"),
        (v.literal(5, int64=True), "5n"),
        (v.literal(-5, int64=True), "-5n"),
        (v.literal(True), "true"),
        (v.literal('a"b\\c*/\u2028😀'), '"a\\"b\\\\c*/\\u2028😀"'),
        (v.array(v.string()), "string[]"),
        (v.array(v.id("t")), 'Array<Id<"t">>'),
        (v.array(v.union(v.string(), v.null())), "Array<string | null>"),
        (v.record(v.id("t"), v.int64()), 'Record<Id<"t">, bigint>'),
        (v.union(), "never"),
        (v.nullable(v.string()), "string | null"),
        (v.object({}), "{}"),
        (v.object({"a": v.optional(v.string())}), "{\n  a?: string;\n}"),
        (v.optional(v.string()), "string"),  # `?:` belongs to the field, not the type
    ],
)
def test_type_expression(validator: Validator, expected: str) -> None:
    assert type_expression(validator) == expected


@pytest.mark.parametrize(
    ("validator", "expected"),
    [
        (v.literal(-0.0), "v.literal(-0)"),
        (v.literal(0), "v.literal(0)"),
        (v.literal(1.0), "v.literal(1)"),
        (v.literal(1e21), "v.literal(1e+21)"),
        (v.literal(5, int64=True), "v.literal(5n)"),
        (v.literal("\u202e"), 'v.literal("\\u202e")'),
        (v.nullable(v.int64()), "v.nullable(v.int64())"),
        (v.union(v.null(), v.int64()), "v.union(v.null(), v.int64())"),
        (v.optional(v.array(v.bytes())), "v.optional(v.array(v.bytes()))"),
        (v.object({"__proto__": v.string()}), 'v.object({ ["__proto__"]: v.string() })'),
        (v.record(v.string(), v.any()), "v.record(v.string(), v.any())"),
    ],
)
def test_validator_source(validator: Validator, expected: str) -> None:
    assert validator_source(validator) == expected


def test_exported_validators_are_referred_to_by_name() -> None:
    tag = v.union(v.literal("a"), v.literal("b"))
    exports = {"tag": tag, "name": v.string()}
    schema = define_schema(
        {"items": define_table({"tag": tag, "tags": v.array(tag), "label": v.string()})}
    )
    files = typescript(schema, exports=exports)
    assert "    tag: tag,\n    tags: v.array(tag),\n    label: v.string(),\n" in files[SCHEMA_FILE]
    assert "  tag: Tag;\n  tags: Tag[];\n  label: string;\n" in files[TYPES_FILE]
    # Scalars are never replaced by a name: `label` is no `Name`.
    assert "label: Name" not in files[TYPES_FILE]


def test_table_names_collide_deterministically() -> None:
    tables = ["user_a", "userA", "id", "doc", "data_model", "table_names", "array", "nones"]
    schema = define_schema({name: define_table({"x": v.string()}) for name in tables})
    exports = {"user_a": v.string(), "Doc": v.string()}
    names = schema_names(schema, exports)
    # The singular, else the plural (when it differs), else the singular numbered; `Id`, `Doc`,
    # `DataModel` and `Array` are the file's own, `None` a Python keyword.
    assert {table: n.row for table, n in names.tables.items()} == {
        "user_a": "UserA",
        "userA": "UserA2",
        "id": "Id2",
        "doc": "Doc2",
        "data_model": "DataModel2",
        "table_names": "TableName",
        "array": "Array2",
        "nones": "Nones",
    }
    assert names.tables["userA"].document == "UserA2Document"
    assert names.tables["userA"].parse == "parse_user_a_2"
    assert names.tables["id"].id == "Id2Id"
    assert {n.export: n.type for n in names.exports.values()} == {
        "user_a": "UserA3",
        "Doc": "Doc3",
    }


def test_export_names_keep_python_names_or_are_mangled() -> None:
    schema = define_schema({})
    exports = {
        "project_type": v.string(),
        "new": v.string(),
        "new_": v.string(),
        "café": v.string(),
        "v": v.string(),
        "defineTable": v.string(),
        "Record": v.string(),
        "eval": v.string(),
    }
    names = schema_names(schema, exports)
    assert {n.export: n.const for n in names.exports.values()} == {
        "project_type": "project_type",
        "new": "new__2",
        "new_": "new_",
        "café": "caf_u00e9",
        "v": "v_2",
        "defineTable": "defineTable_2",
        "Record": "Record",
        "eval": "eval_",
    }
    assert names.exports["café"].type == "Caf"
    assert names.exports["Record"].type == "Record2"


def test_header_is_a_comment_whatever_the_origin() -> None:
    schema = define_schema({"t": define_table({"x": v.string()})})
    origin = "evil\n*/ export const x = 1; /*\u2028.py"
    files = typescript(schema, origin=origin, command="vschema codegen 'a\nb'")
    for text in files.values():
        lines = text.splitlines()
        assert lines[0].startswith(f"// Generated by vschema {__version__} (schema sha256:")
        assert lines[1] == "// Do not edit: regenerate with the command below."
        assert lines[2].startswith("// Schema: evil ")
        assert lines[3].startswith("// Command: vschema codegen 'a b'")
        assert lines[4] == "/* eslint-disable */"
        assert "\u2028" not in text


def test_untyped_index_paths_get_a_ts_ignore() -> None:
    schema = define_schema(
        {"posts": define_table({"title": v.string()}).index("by_missing", ["missing"])},
        schema_validation=False,
    )
    text = typescript(schema)[SCHEMA_FILE]
    assert (
        "  })\n    // @ts-ignore -- Convex's types do not know this field path\n"
        '    .index("by_missing", ["missing"]),\n'
    ) in text
    assert "export default defineSchema(" in text
    assert text.rstrip().endswith("}, { schemaValidation: false });")


def test_refuses_what_is_not_a_schema() -> None:
    with pytest.raises(TypeError, match="needs a Schema"):
        typescript(v.string())  # type: ignore[arg-type]


def test_a_document_type_needs_a_table_validator() -> None:
    with pytest.raises(SchemaError, match='Invalid validator for table "t"'):
        type_expression(v.string(), table="t")


def test_every_line_of_golden_output_is_clean() -> None:
    """No trailing spaces, no tabs, one final newline: output a formatter would leave alone."""
    for path in GOLDEN.glob("*/*.ts"):
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n"), path
        assert not text.endswith("\n\n"), path
        for line in text.splitlines():
            assert line == line.rstrip(), (path, line)
            assert "\t" not in line, (path, line)
