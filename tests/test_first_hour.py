"""The issue "Smaller things a user hits in the first hour", one test per item, as a user hits it.

Each test first does what the issue describes, then checks what the user now sees instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import vschema
from vschema import (
    SchemaError,
    SchemaWarning,
    ValidationError,
    decode_id,
    define_schema,
    define_table,
    new_id,
    v,
)

ROOT = Path(__file__).resolve().parent.parent


def test_v_id_of_a_table_spelt_differently_warns_at_the_users_line() -> None:
    # "v.id("user") in a schema whose table is users is accepted silently".
    with pytest.warns(SchemaWarning, match=r'v\.id\("user"\) .*did you mean v\.id\("users"\)\?'):
        schema = define_schema(
            {
                "users": define_table({"name": v.string()}),
                "posts": define_table({"author": v.id("user"), "cover": v.id("_storage")}),
            }
        )
    # Still a schema: Convex would push it (the table may live in another component).
    assert list(schema) == ["users", "posts"]


def test_fixtures_can_make_ids_that_the_schema_accepts() -> None:
    # "A public way to make an ID for fixtures and non-Convex backends".
    schema = define_schema(
        {
            "users": define_table({"name": v.string()}),
            "posts": define_table({"author": v.id("users")}),
        }
    )
    author = new_id(1)
    post = {"_id": new_id(2, bytes(16)), "_creationTime": 1.7e12, "author": author}
    assert schema.validate_document("posts", post) is post
    assert decode_id(post["_id"]) == (2, bytes(16))
    with pytest.raises(ValueError, match=r"^Unable to decode ID: Invalid ID length 5$"):
        decode_id("nope!")


def test_swapped_arguments_say_so_instead_of_unhashable_type() -> None:
    # "schema.validate({"a": "x"}, "t") (arguments swapped) raises a raw TypeError".
    schema = define_schema({"t": define_table({"a": v.string()})})
    with pytest.raises(
        SchemaError, match=r'arguments are swapped: write schema\.validate\("t", row'
    ):
        schema.validate({"a": "x"}, "t")  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match=r'^Table "u" is not in this schema\. Tables in this '):
        schema.validate("u", {"a": "x"})
    # The guards generated code needs, without try/except.
    assert schema.is_valid("t", {"a": "x"})
    assert not schema.is_valid("t", {"a": 1})
    assert [issue.path for issue in schema.errors("t", {"a": 1})] == [("a",)]
    assert schema.errors("t", {"a": "x"}) == []
    with pytest.raises(ValidationError):
        schema.validate("t", {"a": 1})


@pytest.mark.parametrize(
    ("name", "meant"),
    [("str", "v.string()"), ("int", "v.int64()"), ("bool", "v.boolean()"),
     ("dict", "v.object("), ("list", "v.array(")],
)  # fmt: skip
def test_python_type_names_on_v_name_the_convex_builder(name: str, meant: str) -> None:
    # "v.str(), v.int(), v.bool(), v.dict(), v.list() get a did-you-mean".
    with pytest.raises(AttributeError, match=f"did you mean {re.escape(meant)}"):
        getattr(v, name)


def _make(target: str, path: str) -> subprocess.CompletedProcess[str]:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    return subprocess.run(
        [make, "--no-print-directory", "-s", target],
        cwd=ROOT,
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        check=False,
    )


def _fake_node(folder: Path, version: str) -> str:
    """A PATH whose ``node`` reports ``version`` (and evaluates scripts with the real node)."""
    real = shutil.which("node")
    if real is None:
        pytest.skip("node is not installed")
    fake = folder / "node"
    fake.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = --version ]; then echo v{version}; exit 0; fi\n'
        # `node -e SCRIPT`: run it with process.versions.node replaced by the fake version.
        f"exec {real} -e \"Object.defineProperty(process.versions, 'node', "
        f'{{value: \'{version}\'}}); eval(process.argv[1])" "$2"\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    return f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"


@pytest.mark.parametrize("version", ["18.19.0", "20.18.1", "21.7.3", "22.12.0", "23.4.0"])
def test_make_refuses_an_old_node_in_one_line(tmp_path: Path, version: str) -> None:
    # "the tests need Node 20.19+ (Debian 12 ships 18): make test [should] check".
    result = _make("node-version", _fake_node(tmp_path, version))
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[0]
    assert message.startswith(
        f"make: the tests need Node.js 20.19+, 22.13+ or 23.5+, found node v{version}; install"
    )
    assert "https://nodejs.org" in message


@pytest.mark.parametrize("version", ["20.19.0", "20.20.2", "22.13.0", "23.5.0", "24.0.0"])
def test_make_accepts_a_suitable_node(tmp_path: Path, version: str) -> None:
    result = _make("node-version", _fake_node(tmp_path, version))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_make_says_when_there_is_no_node(tmp_path: Path) -> None:
    result = _make("node-version", str(tmp_path))
    assert result.returncode != 0
    assert "node is not on PATH; install Node.js" in result.stderr


def test_make_checks_node_before_every_npm_ci() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for stamp in ("$(NODE_STAMP):", "$(SITE_STAMP):"):
        rule = next(line for line in makefile.splitlines() if line.startswith(stamp))
        assert rule.endswith("| node-version"), rule


def test_pyproject_cites_only_files_the_repository_has() -> None:
    # "pyproject.toml mentions a DESIGN.md that the repository lacks".
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    local = re.sub(r"https?://\S+", "", text)
    assert "DESIGN.md" not in local
    for name in re.findall(r"\b[\w./-]+\.md\b", local):
        assert (ROOT / name).exists(), name
    assert 'readme = "README.md"' in text


def test_the_new_names_are_public_and_documented() -> None:
    for name in ("SchemaWarning", "new_id", "decode_id", "DecodedId"):
        assert name in vschema.__all__
        assert getattr(vschema, name).__doc__
    assert vschema.Schema.is_valid.__doc__
    assert vschema.Schema.errors.__doc__


def test_is_valid_and_is_valid_document_agree_with_validate() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from vschema import ValidationError, define_schema, define_table, v
    from vschema.strategies import for_table, invalid_for_table

    schema = define_schema(
        {
            "posts": define_table({"title": v.string(), "tags": v.optional(v.array(v.string()))}),
            "blobs": define_table(v.any()),
        }
    )

    def accepts(method: str, table: str, value: object) -> bool:
        try:
            getattr(schema, method)(table, value)
        except ValidationError:
            return False
        return True

    @settings(max_examples=60)
    @given(st.data())
    def agree(data: st.DataObject) -> None:
        table = data.draw(st.sampled_from(["posts", "blobs"]))
        document = data.draw(st.booleans())
        good = data.draw(for_table(schema, table, document=document))
        bad, _ = data.draw(invalid_for_table(schema, table, document=document))
        for value in (good, bad):
            if document:
                assert schema.is_valid_document(table, value) == accepts(
                    "validate_document", table, value
                )
            else:
                assert schema.is_valid(table, value) == accepts("validate", table, value)
                assert (schema.errors(table, value) == []) == schema.is_valid(table, value)

    agree()
