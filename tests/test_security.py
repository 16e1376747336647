"""No schema and no value can run code or break the compiled validators.

User text reaches generated Python only through `vschema._source.py_literal` or as
hoisted constants. These tests throw the strings that broke other code generators (quotes,
backslashes, format braces, newlines, U+2028, triple quotes, comment closers, keywords, names of
generated locals) at every place a schema can carry text, and check that the generated source
parses, contains no executable trace of the text, and behaves exactly like the interpreter.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from vschema import SchemaError, Validator, compiled_source, v
from vschema._source import py_literal
from vschema.validators._interpret import explain

CANARY = Path("/tmp/vschema-security-canary")

HOSTILE_STRINGS = [
    "'",
    '"',
    "\\",
    "\\'",
    '"""',
    "'''",
    "{x}",
    "{0}",
    "{{",
    "%s",
    "\n",
    "\r\n",
    "\u2028",
    "\u2029",
    "\x00",
    "*/",
    "/*",
    "#",
    "# comment\nimport os",
    "class",
    "import",
    "__proto__",
    "__class__",
    "inf",
    "nan",
    "x-y",
    "_MISSING",
    "_v0",
    "check",
    "True",
    "None",
    "😀",
    "é",
    "'); open('/tmp/vschema-security-canary', 'w'); ('",
    '"); open("/tmp/vschema-security-canary", "w"); ("',
    "\\'); open('/tmp/vschema-security-canary', 'w'); ('",
    "\"]; __import__('os').system('touch /tmp/vschema-security-canary'); x = [\"",
    "' + __import__('os').system('touch /tmp/vschema-security-canary') + '",
    "${alert(1)}",
    "</script><script>alert(1)</script>",
]

# Identifier-shaped names are the only ones v.object accepts; these collide with keywords,
# builtins and the names the compiler generates.
HOSTILE_FIELD_NAMES = [
    "class",
    "import",
    "def",
    "return",
    "lambda",
    "None",
    "True",
    "x",
    "check",
    "_MISSING",
    "_utf8",
    "_is_id",
    "_any_ok",
    "_v0",
    "_v1",
    "_f0",
    "_k0",
    "_d0",
    "__proto__",
    "__class__",
    "__builtins__",
    "type",
    "len",
    "dict",
    "str",
    "inf",
]


def assert_safe(validator: Validator, values: list[object]) -> None:
    source = compiled_source(validator)
    ast.parse(source)  # the generated code is valid Python
    for value in values:
        assert validator.is_valid(value) == (explain(validator, value) == []), value
    assert not CANARY.exists(), "a schema string was executed"


@pytest.fixture(autouse=True)
def _no_canary() -> None:
    CANARY.unlink(missing_ok=True)


@pytest.mark.parametrize("text", HOSTILE_STRINGS)
def test_string_literals_are_inert(text: str) -> None:
    validator = v.object({"a": v.literal(text)})
    assert_safe(validator, [{"a": text}, {"a": text + "x"}, {"a": None}, {}])
    assert validator.is_valid({"a": text})
    assert not validator.is_valid({"a": text + "x"})


def test_many_string_literals_in_one_union_are_inert() -> None:
    validator = v.union(*(v.literal(t) for t in HOSTILE_STRINGS))
    assert_safe(validator, [*HOSTILE_STRINGS, "other", 1, None])
    assert all(validator.is_valid(t) for t in HOSTILE_STRINGS)


@pytest.mark.parametrize("name", HOSTILE_FIELD_NAMES)
def test_field_names_that_collide_with_python_and_generated_names(name: str) -> None:
    validator = v.object(
        {
            name: v.string(),
            "other": v.optional(v.object({name: v.array(v.int64())})),
            "tagged": v.optional(
                v.union(
                    v.object({name: v.literal("a"), "p": v.string()}),
                    v.object({name: v.literal("b"), "q": v.int64()}),
                )
            ),
        }
    )
    good = {name: "s", "other": {name: [1, 2]}, "tagged": {name: "b", "q": 5}}
    bad = {name: 1, "other": {name: ["x"]}, "tagged": {name: "c"}}
    assert_safe(validator, [good, bad, {name: "s"}, {}])
    assert validator.is_valid(good)
    assert not validator.is_valid(bad)


@pytest.mark.parametrize("text", HOSTILE_STRINGS)
def test_record_keys_in_values_are_data_not_code(text: str) -> None:
    validator = v.record(v.string(), v.string())
    assert_safe(validator, [{text: "x"}, {text: text}])


@pytest.mark.parametrize("text", HOSTILE_STRINGS)
def test_tagged_union_dispatch_tables_are_inert(text: str) -> None:
    validator = v.union(
        v.object({"kind": v.literal(text), "a": v.string()}),
        v.object({"kind": v.literal(text + "2"), "b": v.string()}),
    )
    assert_safe(validator, [{"kind": text, "a": "x"}, {"kind": text + "2", "b": "y"}, {}])
    assert validator.is_valid({"kind": text, "a": "x"})


def test_number_literals_render_as_equal_constants() -> None:
    for value in (1e308, -1e308, 5e-324, -0.0, 0.0, 2.0**53, 0.1):
        validator = v.literal(value)
        assert_safe(validator, [value, -value, 0, 1])
        assert validator.is_valid(value)
    for number in (2**63 - 1, -(2**63), 0):
        validator = v.literal(number, int64=True)
        assert_safe(validator, [number, float(number), number + 1])
        assert validator.is_valid(number)


def test_hostile_strings_cannot_be_field_names() -> None:
    for text in HOSTILE_STRINGS:
        if text.isidentifier() and text.isascii() and text.strip("_"):
            continue
        with pytest.raises(SchemaError):
            v.object({text: v.string()})


def test_table_names_of_ids_must_be_identifiers() -> None:
    for text in HOSTILE_STRINGS:
        if text.isidentifier() and text.isascii() and text.strip("_"):
            continue
        with pytest.raises(SchemaError):
            v.id(text)


def test_hostile_value_objects_cannot_break_validation() -> None:
    class Exploding:
        def __repr__(self) -> str:
            CANARY.write_text("repr ran")
            raise RuntimeError("boom")

        def __eq__(self, other: object) -> bool:
            raise RuntimeError("eq ran")

        __hash__ = object.__hash__

    validator = v.object({"a": v.any(), "b": v.literal("x")})
    errors = validator.errors({"a": Exploding(), "b": Exploding()})
    assert [e.code for e in errors] == ["unsupported_type", "literal_mismatch"]
    # Displaying a value never runs its code: the message names the type, not its repr, and
    # the type checks run before any comparison, so __eq__ is never reached.
    assert errors[0].message == "<Exploding object> is not a supported Convex type."
    assert not CANARY.exists()


def test_py_literal_refuses_what_it_cannot_write_safely() -> None:
    with pytest.raises(ValueError, match="hoist"):
        py_literal(float("inf"))
    with pytest.raises(TypeError):
        py_literal(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        py_literal(["list"])  # type: ignore[arg-type]
    for text in HOSTILE_STRINGS:
        assert ast.literal_eval(py_literal(text)) == text
