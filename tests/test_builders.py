"""The `v` namespace: what each builder makes, and what it refuses at definition time."""

from __future__ import annotations

import copy
import math
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from vschema import (
    SchemaError,
    Validator,
    VAny,
    VArray,
    VBoolean,
    VBytes,
    VFloat64,
    VId,
    VInt64,
    VLiteral,
    VNull,
    VObject,
    VRecord,
    VString,
    VUnion,
    v,
)
from vschema.validators._builder import MAX_TREE_DEPTH

EVERY_KIND = [
    (v.string(), VString, "string"),
    (v.number(), VFloat64, "float64"),
    (v.float64(), VFloat64, "float64"),
    (v.int64(), VInt64, "int64"),
    (v.boolean(), VBoolean, "boolean"),
    (v.null(), VNull, "null"),
    (v.bytes(), VBytes, "bytes"),
    (v.any(), VAny, "any"),
    (v.id("users"), VId, "id"),
    (v.literal("a"), VLiteral, "literal"),
    (v.array(v.string()), VArray, "array"),
    (v.object({"a": v.string()}), VObject, "object"),
    (v.record(v.string(), v.int64()), VRecord, "record"),
    (v.union(v.string(), v.null()), VUnion, "union"),
    (v.nullable(v.string()), VUnion, "union"),
]


@pytest.mark.parametrize(("validator", "cls", "kind"), EVERY_KIND)
def test_builder_kind_and_class(validator: Validator, cls: type, kind: str) -> None:
    assert isinstance(validator, cls)
    assert validator.kind == kind
    assert validator.is_optional is False


@pytest.mark.parametrize(("validator", "cls", "kind"), EVERY_KIND)
def test_validators_are_hashable_picklable_values(
    validator: Validator, cls: type, kind: str
) -> None:
    assert validator.is_valid(None) in (True, False)  # compiles and caches a check
    clone = pickle.loads(pickle.dumps(validator))
    assert clone == validator
    assert hash(clone) == hash(validator)
    assert type(clone) is cls
    assert copy.deepcopy(validator) == validator
    assert {validator: 1}[clone] == 1
    with pytest.raises(AttributeError):
        validator.is_optional = True  # type: ignore[misc]


def test_optional_in_both_spellings() -> None:
    assert v.optional(v.string()) == v.string().optional()
    assert v.optional(v.string()).is_optional is True
    assert v.optional(v.optional(v.string())).is_optional is True
    assert v.optional(v.string()).required() == v.string()
    assert pickle.loads(pickle.dumps(v.optional(v.int64()))).is_optional is True


def test_nullable_is_union_with_null_last() -> None:
    assert v.nullable(v.string()) == v.union(v.string(), v.null())


def test_equal_trees_compare_equal() -> None:
    def build() -> Validator:
        return v.object(
            {"name": v.string(), "tags": v.array(v.string()), "n": v.optional(v.int64())}
        )

    assert build() == build()
    assert hash(build()) == hash(build())
    assert v.object({"a": v.string()}) != v.object({"a": v.int64()})
    assert v.literal(5, int64=True) != v.literal(5)
    assert v.literal(True) != v.literal(1)


def test_repr_is_builder_syntax() -> None:
    assert repr(v.object({"name": v.string(), "tags": v.array(v.string())})) == (
        "v.object({name: v.string(), tags: v.array(v.string())})"
    )
    assert repr(v.optional(v.nullable(v.int64()))) == "v.optional(v.nullable(v.int64()))"
    assert repr(v.literal('a"b')) == 'v.literal("a\\"b")'
    assert repr(v.literal(5, int64=True)) == "v.literal(5, int64=True)"
    assert repr(v.literal(1.5)) == "v.literal(1.5)"
    assert repr(v.record(v.id("t"), v.any())) == 'v.record(v.id("t"), v.any())'
    assert repr(v.union()) == "v.union()"
    assert repr(v.number()) == "v.float64()"


def test_object_helpers() -> None:
    obj = v.object({"a": v.string(), "b": v.int64(), "c": v.optional(v.boolean())})
    assert obj.pick("a", "c") == v.object({"a": v.string(), "c": v.optional(v.boolean())})
    assert obj.omit("b", "missing") == v.object({"a": v.string(), "c": v.optional(v.boolean())})
    assert obj.extend({"b": v.string(), "d": v.null()}).fields == {
        "a": v.string(),
        "b": v.string(),
        "c": v.optional(v.boolean()),
        "d": v.null(),
    }
    assert list(obj.extend({"d": v.null()}).fields) == ["a", "b", "c", "d"]
    assert all(f.is_optional for f in obj.partial().fields.values())
    # Helpers keep the receiver's optionality, as Convex's do.
    opt = obj.optional()
    for derived in (opt.pick("a"), opt.omit("a"), opt.extend({}), opt.partial()):
        assert derived.is_optional
    assert obj.fields["a"] == v.string()
    assert len(obj.fields) == 3


def test_pick_of_missing_field_fails_at_definition() -> None:
    with pytest.raises(SchemaError, match=r"no field 'zzz' to pick .*a, b"):
        v.object({"a": v.string(), "b": v.string()}).pick("zzz")


def test_extend_checks_new_fields() -> None:
    with pytest.raises(SchemaError, match="my-field"):
        v.object({}).extend({"my-field": v.string()})
    with pytest.raises(SchemaError, match="must be a validator"):
        v.object({}).extend({"a": "string"})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: v.literal(None), r"v\.literal\(value\) must be a string, number, or boolean"),  # type: ignore[arg-type]
        (lambda: v.literal([1]), r"must be a string, number, or boolean; got list \[1\]"),  # type: ignore[arg-type]
        (lambda: v.literal(math.nan), "Infinite or NaN values are not supported"),
        (lambda: v.literal(math.inf), "Infinite or NaN values are not supported"),
        (lambda: v.literal(2**53 + 1), r"beyond 2\*\*53.*int64=True"),
        (lambda: v.literal(2**63, int64=True), "BigInt 9223372036854775808 does not fit"),
        (lambda: v.literal(1.0, int64=True), "int64=True needs an int"),
        (lambda: v.literal("a", int64=True), "int64=True needs an int"),
        (lambda: v.literal("\ud800"), "lone surrogates"),
        (lambda: v.id(5), r"v\.id\(tableName\) requires a string"),  # type: ignore[arg-type]
        (lambda: v.id("my-table"), "invalid table name"),
        (lambda: v.array("x"), r"v\.array\(\): the element must be a validator.*got str 'x'"),  # type: ignore[arg-type]
        (lambda: v.array(None), "must be a validator"),  # type: ignore[arg-type]
        (lambda: v.array(v.optional(v.string())), "v.optional\\(\\) only has a meaning"),
        (lambda: v.object([("a", v.string())]), "takes a dict"),  # type: ignore[arg-type]
        (lambda: v.object({"a": 1}), r"field 'a' must be a validator"),  # type: ignore[dict-item]
        (lambda: v.object({1: v.string()}), "field names must be strings"),  # type: ignore[dict-item]
        (lambda: v.object({"my-field": v.string()}), r"Use v\.record\(v\.string\(\), \.\.\.\)"),
        (lambda: v.object({"1abc": v.string()}), "Invalid first character '1'"),
        (lambda: v.object({"___": v.string()}), "exclusively underscores"),
        (lambda: v.object({"a" * 65: v.string()}), r"Identifier is too long \(65 > maximum 64\)"),
        (lambda: v.object({"": v.string()}), "Identifier cannot be empty"),
        (lambda: v.object({f"f{i}": v.null() for i in range(1025)}), "too many fields"),
        (lambda: v.record(v.any(), v.string()), "Records can only have string keys"),
        (lambda: v.record(v.int64(), v.string()), r"key typed as `v\.int64\(\)`"),
        (lambda: v.record(v.literal("a"), v.string()), "Records cannot have string literal keys"),
        (
            lambda: v.record(v.union(v.literal("a"), v.string()), v.string()),
            "Records cannot have string literal keys",
        ),
        (lambda: v.record(v.union(v.string(), v.null()), v.string()), "only have string keys"),
        (lambda: v.record(v.optional(v.string()), v.string()), "cannot have optional keys"),
        (lambda: v.record(v.string(), v.optional(v.string())), "cannot have optional values"),
        (lambda: v.record(v.string(), 3), "the value must be a validator"),  # type: ignore[arg-type]
        (lambda: v.union(v.string(), "x"), "member at index 1 must be a validator"),  # type: ignore[arg-type]
        (lambda: v.union(v.optional(v.string())), "member at index 0 is optional"),
        (lambda: v.nullable(3), "must be a validator"),  # type: ignore[arg-type]
        (lambda: v.optional("x"), "must be a validator"),  # type: ignore[arg-type]
    ],
)
def test_bad_schemas_fail_when_defined(build: object, message: str) -> None:
    with pytest.raises(SchemaError, match=message):
        build()  # type: ignore[operator]


def test_record_keys_accept_string_subtypes() -> None:
    v.record(v.string(), v.any())
    v.record(v.id("users"), v.any())
    v.record(v.union(v.id("a"), v.string()), v.any())
    v.record(v.union(), v.any())  # Convex accepts it: only the empty record matches


def test_literal_accepts_every_convex_literal_type() -> None:
    assert v.literal("x").value == "x"
    assert v.literal(True).value is True
    assert v.literal(2**53).value == 2**53
    assert v.literal(-(2**63), int64=True).int64
    assert math.copysign(1.0, v.literal(-0.0).value) < 0  # type: ignore[arg-type]


def test_validator_nesting_beyond_convex_limit_is_rejected() -> None:
    node: Validator = v.string()
    for _ in range(64):
        node = v.object({"a": node})
    with pytest.raises(SchemaError, match="nests 65 levels deep"):
        v.object({"a": node})
    # An empty list matches any array validator, so arrays may nest as deep as values can.
    deep: Validator = v.string()
    for _ in range(64):
        deep = v.array(deep)
    assert deep.is_valid([])
    value: object = "x"
    for _ in range(30):
        value = [value]
    assert not deep.is_valid(value)  # "x" sits where a list belongs
    # One level more could never hold a value: no Convex value nests 65 levels.
    for build in (v.array, lambda inner: v.record(v.string(), inner)):
        with pytest.raises(SchemaError, match="nests arrays, objects and records 65 levels"):
            build(deep)
    with pytest.raises(SchemaError, match="65 levels"):
        v.object({"a": v.optional(deep)})


def test_validator_trees_deeper_than_the_walks_can_take_are_rejected() -> None:
    # Unions add levels without nesting values; each walk recurses once a level.
    node: Validator = v.string()
    for _ in range(MAX_TREE_DEPTH - 1):
        node = v.union(node, v.null())
    assert node.is_valid(None)
    assert hash(node) == hash(pickle.loads(pickle.dumps(node)))
    assert repr(node).startswith("v.nullable(")
    with pytest.raises(SchemaError, match=f"at most {MAX_TREE_DEPTH} deep"):
        v.nullable(node)
    with pytest.raises(SchemaError, match=f"at most {MAX_TREE_DEPTH} deep"):
        v.union(v.string(), node)


def test_v_is_a_namespace_and_validator_is_abstract() -> None:
    with pytest.raises(TypeError):
        v()
    with pytest.raises(TypeError):
        Validator()


# -- names that are no builder: an AttributeError naming the Convex builder meant -------------


@pytest.mark.parametrize(
    ("name", "meant"),
    [
        ("str", "v.string()"),
        ("int", "v.int64() (or v.number() for a Float64)"),
        ("bool", "v.boolean()"),
        ("dict", "v.object({...}) (fixed fields) or v.record(keys, values) (any keys)"),
        ("list", "v.array(element)"),
        ("float", "v.float64() (or its alias v.number())"),
        ("bigint", "v.int64() (Convex's v.bigint() is its deprecated alias)"),
        ("none", "v.null()"),
        # Close misspellings of the real builders, found by difflib.
        ("stirng", "v.string()"),
        ("optinal", "v.optional()"),
        ("litteral", "v.literal()"),
        ("nulable", "v.nullable()"),
        ("arrray", "v.array()"),
        ("int46", "v.int64()"),
    ],
)
def test_a_missing_builder_names_the_one_meant(name: str, meant: str) -> None:
    with pytest.raises(AttributeError) as info:
        getattr(v, name)
    assert str(info.value) == f"v has no builder {name!r}; did you mean {meant}?"
    assert info.value.name == name
    assert info.value.obj is v


@pytest.mark.parametrize("name", ["xyz", "validate", "__wrapped__", "__foo__"])
def test_other_missing_names_get_the_plain_error(name: str) -> None:
    with pytest.raises(AttributeError, match=f"^type object 'v' has no attribute '{name}'$"):
        getattr(v, name)
    assert not hasattr(v, name)


def test_the_namespace_behaves_as_before() -> None:
    assert not hasattr(v, "str")
    assert getattr(v, "str", None) is None
    assert v.string() is v.string()
    assert copy.deepcopy(v) is v
    assert pickle.loads(pickle.dumps(v)) is v
    with pytest.raises(TypeError, match="v is a namespace"):
        v()
    assert isinstance(v, type)


def test_type_checkers_still_flag_a_missing_builder(tmp_path: Path) -> None:
    # The suggestion is a run-time __getattr__ hidden from type checkers: visible to them, it
    # would type every misspelling as valid.
    (tmp_path / "use.py").write_text(
        "from vschema import v\n\nv.string()\nv.str()\n", encoding="utf-8"
    )
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "use.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 1, mypy.stdout
    assert 'use.py:4: error: "type[v]" has no attribute "str"' in mypy.stdout
    assert "use.py:3" not in mypy.stdout
