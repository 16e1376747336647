"""One naming scheme for every generated file (`vschema.codegen._naming`).

The TypeScript types and the Python module must call each table's row, document and ID, and each
exported validator, by the same name, and resolve clashes the same way: checked here on a schema
built to clash (a validator named like a table, a singular and a plural table, keywords and
builtins of both languages). `test_typescript` compiles this schema with `tsc` against Convex's
own types (the ``naming`` case); here mypy checks the Python module and the module runs.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from vschema.codegen import python, typescript
from vschema.codegen._load import load_schema
from vschema.codegen._naming import RESERVED, Claims, schema_names, singular, words

NAMING_SOURCE = """
from vschema import v
from vschema.validators._schema import define_schema, define_table

# The row validator of table `users`, exported under the row's own name: one type `User`.
user = v.object({"name": v.string(), "class": v.optional(v.string())})
# A validator named like a table.
users = v.array(user)
# Named like the row of `posts`, but another validator: it must give way.
post = v.object({"title": v.string(), "draft": v.boolean()})
new = v.union(v.literal("a"), v.literal("b"))
Exception = v.string()

schema = define_schema({
    "users": define_table(user),
    "user": define_table({"nick": v.string()}),
    "posts": define_table({"title": v.string(), "author": v.id("users"), "kind": new}),
    "class": define_table({"of": v.id("class")}),
    "none": define_table({"x": v.float64()}),
    "exceptions": define_table({"message": v.string()}),
})
"""

#: table -> (row, document, id), the same in both languages.
EXPECTED_TABLES = {
    "users": ("User", "UserDocument", "UserId"),
    # Its singular is itself, and `User` is taken: numbered.
    "user": ("User2", "User2Document", "User2Id"),
    "posts": ("Post", "PostDocument", "PostId"),
    # `class` is a keyword in both languages; `Class` is a name in both.
    "class": ("Class", "ClassDocument", "ClassId"),
    # `None` is a Python keyword; "none" has no plural of its own: numbered.
    "none": ("None2", "None2Document", "None2Id"),
    # `Exception` is a Python builtin: the plural.
    "exceptions": ("Exceptions", "ExceptionsDocument", "ExceptionsId"),
}
#: export -> (type, schema.ts const).
EXPECTED_EXPORTS = {
    "user": ("User", "user"),
    "users": ("Users", "users"),
    "post": ("Post2", "post"),
    "new": ("New", "new_"),
    "Exception": ("Exception2", "Exception"),
}


def naming_source(tmp_path: Path) -> Path:
    """The clashing schema, as a file in ``tmp_path``."""
    path = tmp_path / "naming_schema.py"
    path.write_text(NAMING_SOURCE, encoding="utf-8")
    return path


def _python_names(text: str) -> set[str]:
    tree = ast.parse(text)
    names = {node.name for node in tree.body if isinstance(node, ast.ClassDef | ast.FunctionDef)}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        names |= {target.id for target in targets if isinstance(target, ast.Name)}
    return names


def _ts_names(text: str) -> set[str]:
    return set(re.findall(r"^export type (\w+)", text, re.MULTILINE))


def test_the_naming_module_resolves_every_clash(tmp_path: Path) -> None:
    source = load_schema(str(naming_source(tmp_path)))
    names = schema_names(source.schema, source.exports)
    assert {t: (n.row, n.document, n.id) for t, n in names.tables.items()} == EXPECTED_TABLES
    assert {e: (n.type, n.const) for e, n in names.exports.items()} == EXPECTED_EXPORTS
    assert names.exports["user"].row_of == "users"
    assert names.tables["user"].parse == "parse_user_2"
    assert names.tables["class"].is_document == "is_class_document"


def test_both_outputs_use_the_same_names(tmp_path: Path) -> None:
    path = naming_source(tmp_path)
    source = load_schema(str(path))
    ts = typescript(source.schema, exports=source.exports)["types.ts"]
    py = python(
        source.schema,
        exports=source.exports,
        origin="naming_schema.py",
        command="c",
    )
    ts_names, py_names = _ts_names(ts), _python_names(py)
    shared = {n for triple in EXPECTED_TABLES.values() for n in triple}
    shared |= {type_name for type_name, _ in EXPECTED_EXPORTS.values()}
    assert shared <= ts_names, shared - ts_names
    assert shared <= py_names, shared - py_names
    # TypeScript defines nothing but these and its lookups by table name.
    assert ts_names == shared | {"Id", "Doc", "NewDoc", "DataModel", "TableNames"}
    # `User` is defined once in each file, as the export and the row of `users` at once.
    assert len(re.findall(r"^export type User =", ts, re.MULTILINE)) == 1
    # (a functional TypedDict: its field `class` is a Python keyword)
    assert len(re.findall(r"^(?:class User\(|User = )", py, re.MULTILINE)) == 1
    assert "users: { document: UserDocument; newDocument: User };" in ts


def test_the_python_module_type_checks_and_runs(tmp_path: Path) -> None:
    path = naming_source(tmp_path)
    source = load_schema(str(path))
    module = tmp_path / "naming_types.py"
    module.write_text(
        python(
            source.schema,
            exports=source.exports,
            origin="naming_schema.py",
            command="c",
        ),
        encoding="utf-8",
    )
    usage = tmp_path / "use_naming.py"
    usage.write_text(
        "from naming_types import User, User2, Post2, None2, parse_user, parse_none_2\n"
        "a: User = parse_user({'name': 'Ada'})\n"
        "b: User2 = {'nick': 'ada'}\n"
        "c: Post2 = {'title': 't', 'draft': False}\n"
        "d: None2 = parse_none_2({'x': 1.5})\n"
        "print(a['name'], b['nick'], c['title'], d['x'])\n",
        encoding="utf-8",
    )
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(usage), str(module)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    ran = subprocess.run(
        [sys.executable, str(usage)], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == "Ada ada t 1.5\n"


@pytest.mark.parametrize(
    ("table", "row"),
    [("inquiries", "Inquiry"), ("user_profiles", "UserProfile"), ("people", "Person")],
)
def test_rows_are_singular_pascal_case(table: str, row: str) -> None:
    assert Claims().name("".join(w[:1].upper() + w[1:] for w in words(singular(table), "t"))) == row


def test_no_reserved_name_is_ever_claimed() -> None:
    claims = Claims()
    for name in ["Record", "Array", "Id", "DataModel", "Any", "TypedDict", "list", "None"]:
        assert name in RESERVED or not claims.free((name,))
        assert claims.name(name) != name
