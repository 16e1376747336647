"""Runtime validation: Convex's semantics in the Python mapping, the issues and their texts."""

from __future__ import annotations

import math
import pickle
import traceback
from typing import Any

import pytest

from vschema import Issue, ValidationError, Validator, v
from vschema.validators._ids import encode_id
from vschema.validators._interpret import explain, first_issue

USER_ID = encode_id(10001, bytes(range(16)))
OTHER_ID = encode_id(3, bytes(16))


def codes(validator: Validator, value: object) -> list[tuple[tuple[Any, ...], str]]:
    return [(issue.path, issue.code) for issue in validator.errors(value)]


def agree(validator: Validator, value: object) -> bool:
    """The verdict, after checking that the compiled path and the interpreter agree on it."""
    verdict = validator.is_valid(value)
    assert verdict == (explain(validator, value) == []), (validator, value)
    assert verdict == (first_issue(validator, value) is None)
    return verdict


ACCEPTS: list[tuple[Validator, object]] = [
    (v.string(), ""),
    (v.string(), "héllo ✓ 😀"),
    (v.float64(), 1.5),
    (v.float64(), math.nan),
    (v.float64(), -math.inf),
    (v.float64(), -0.0),
    (v.float64(), 5),
    (v.float64(), 2**53),
    (v.float64(), -(2**53)),
    (v.int64(), 0),
    (v.int64(), 2**63 - 1),
    (v.int64(), -(2**63)),
    (v.boolean(), False),
    (v.null(), None),
    (v.bytes(), b"\x00\xff"),
    (v.any(), {"a": [1, 2.5, None, b"x", {"_nested": True}]}),
    (v.id("users"), USER_ID),
    (v.id("users"), OTHER_ID),  # the table check needs a deployment; the format is right
    (v.literal("a"), "a"),
    (v.literal(1), 1),
    (v.literal(1), 1.0),
    (v.literal(0.0), 0),
    (v.literal(-0.0), -0.0),
    (v.literal(5, int64=True), 5),
    (v.literal(True), True),
    (v.array(v.int64()), []),
    (v.array(v.int64()), [1, 2, 3]),
    (v.array(v.null()), [None] * 8192),
    (v.object({}), {}),
    (v.object({"a": v.optional(v.string())}), {}),
    (v.object({"a": v.optional(v.string())}), {"a": "x"}),
    (v.record(v.string(), v.int64()), {"": 1, "_x": 2, "a b~": 3}),
    (v.record(v.id("users"), v.boolean()), {USER_ID: True}),
    (v.union(v.string(), v.int64()), 3),
    (v.nullable(v.string()), None),
]

REJECTS: list[tuple[Validator, object, str]] = [
    (v.string(), 1, "no_match"),
    (v.string(), b"x", "no_match"),
    (v.string(), "\ud800", "invalid_string"),
    (v.float64(), True, "no_match"),
    (v.float64(), "1", "no_match"),
    (v.float64(), 2**53 + 1, "out_of_range"),
    (v.int64(), 1.0, "no_match"),
    (v.int64(), True, "no_match"),
    (v.int64(), 2**63, "out_of_range"),
    (v.int64(), -(2**63) - 1, "out_of_range"),
    (v.boolean(), 1, "no_match"),
    (v.boolean(), None, "no_match"),
    (v.null(), 0, "no_match"),
    (v.bytes(), bytearray(b"x"), "no_match"),
    (v.bytes(), memoryview(b"x"), "no_match"),
    (v.bytes(), "x", "no_match"),
    (v.any(), {1, 2}, "unsupported_type"),
    (v.any(), (1, 2), "unsupported_type"),
    (v.any(), {"$a": 1}, "invalid_field_name"),
    (v.any(), {"é": 1}, "invalid_field_name"),
    (v.any(), {1: 1}, "invalid_field_name"),
    (v.any(), 2**63, "out_of_range"),
    (v.any(), "\udfff", "invalid_string"),
    (v.id("users"), "nope", "invalid_id"),
    (v.id("users"), USER_ID[:-1] + ("3" if USER_ID[-1] != "3" else "4"), "invalid_id"),
    (v.id("users"), USER_ID.upper(), "invalid_id"),
    (v.id("users"), 5, "no_match"),
    (v.literal("a"), "b", "literal_mismatch"),
    (v.literal("a"), 5, "literal_mismatch"),
    (v.literal(1), True, "literal_mismatch"),
    (v.literal(True), 1, "literal_mismatch"),
    (v.literal(0.0), -0.0, "literal_mismatch"),
    (v.literal(-0.0), 0, "literal_mismatch"),
    (v.literal(5, int64=True), 5.0, "literal_mismatch"),
    (v.literal(2.0**60), 2**60, "literal_mismatch"),
    (v.array(v.int64()), (1, 2), "no_match"),
    (v.array(v.int64()), [1, "2"], "no_match"),
    (v.array(v.null()), [None] * 8193, "too_long"),
    (v.object({}), {"a": 1}, "extra_field"),
    (v.object({"a": v.string()}), {}, "missing_field"),
    (v.object({"a": v.optional(v.string())}), {"a": None}, "no_match"),
    (v.object({"a": v.string()}), [], "no_match"),
    (v.record(v.string(), v.int64()), {"$x": 1}, "invalid_field_name"),
    (v.record(v.string(), v.int64()), {"x" * 1025: 1}, "invalid_field_name"),
    (v.record(v.string(), v.int64()), {"\n": 1}, "invalid_field_name"),
    (v.record(v.string(), v.int64()), {3: 1}, "invalid_field_name"),
    (v.record(v.string(), v.int64()), {"a": "x"}, "no_match"),
    (v.record(v.id("users"), v.int64()), {"abc": 1}, "invalid_id"),
    (v.record(v.union(), v.int64()), {"a": 1}, "no_match"),
    (v.union(), None, "no_match"),
    (v.union(v.string(), v.int64()), 1.5, "no_match"),
    (v.nullable(v.string()), 3, "no_match"),
]


@pytest.mark.parametrize(("validator", "value"), ACCEPTS)
def test_accepts(validator: Validator, value: object) -> None:
    assert agree(validator, value)
    assert validator.validate(value) is value
    assert validator.errors(value) == []


@pytest.mark.parametrize(("validator", "value", "code"), REJECTS)
def test_rejects(validator: Validator, value: object, code: str) -> None:
    assert not agree(validator, value)
    with pytest.raises(ValidationError) as caught:
        validator.validate(value)
    assert caught.value.issues[0].code == code
    assert isinstance(caught.value, ValueError)
    assert validator.errors(value)[0].code == code


def test_object_issues_follow_convex_order_and_collect_everything() -> None:
    validator = v.object({"b": v.string(), "a": v.int64(), "c": v.string()})
    # A wrong type on "a" comes before the missing "b" (sorted fields); extras come last.
    assert codes(validator, {"a": "x", "c": "ok", "zz": 1, "aa": 2}) == [
        (("a",), "no_match"),
        (("b",), "missing_field"),
        (("aa",), "extra_field"),
        (("zz",), "extra_field"),
    ]


def test_paths_name_keys_and_indexes() -> None:
    validator = v.object(
        {"comments": v.array(v.object({"author": v.object({"name": v.string()})}))}
    )
    value = {"comments": [{"author": {"name": "a"}}, {"author": {"name": 3}}]}
    [issue] = validator.errors(value)
    assert issue.path == ("comments", 1, "author", "name")
    assert issue.path_text == ".comments[1].author.name"


def test_record_paths_use_the_key() -> None:
    [issue] = v.record(v.string(), v.int64()).errors({"ok": 1, "my key": "x"})
    assert issue.path == ("my key",)
    assert issue.path_text == '["my key"]'


def test_message_texts_match_convex() -> None:
    [issue] = v.string().errors(1.5)
    assert issue.message == "Value does not match validator.\nValue: 1.5\nValidator: v.string()"
    [issue] = v.object({"a": v.float64()}).errors({"a": "x"})
    assert str(issue) == (
        'Value does not match validator.\nPath: .a\nValue: "x"\nValidator: v.float64()'
    )
    [issue] = v.object({"a": v.string()}).errors({})
    assert issue.message == (
        "Object is missing the required field `a`. Consider wrapping the field validator in "
        "`v.optional(...)` if this is expected.\nObject: {}\nValidator: v.object({a: v.string()})"
    )
    [issue] = v.object({}).errors({"x": 1})
    assert issue.message == (
        "Object contains extra field `x` that is not in the validator.\n"
        "Object: {x: 1}\nValidator: v.object({})"
    )
    [issue] = v.literal("a").errors("b")
    assert issue.message == '`"b"` does not match literal validator `v.literal("a")`.'
    [issue] = v.literal(5, int64=True).errors(6)
    assert issue.message == "`6` does not match literal validator `v.literal(5n)`."
    [issue] = v.int64().errors(2**63)
    assert issue.message == "BigInt 9223372036854775808 does not fit into a 64-bit signed integer."
    [issue] = v.array(v.null()).errors([None] * 8193)
    assert issue.message == "Array length is too long (8193 > maximum length 8192)"


def test_validator_display_in_messages_sorts_fields_and_names_float64() -> None:
    validator = v.object({"z": v.number(), "a": v.optional(v.literal(1))})
    [issue] = validator.errors({"z": 1.0, "b": 1})
    assert issue.message.endswith(
        "Validator: v.object({a: v.optional(v.literal(1.0)), z: v.float64()})"
    )


def test_value_display_uses_convex_forms() -> None:
    value = {"s": 'q"\n', "f": 1.0, "big": 1e16, "nan": math.nan, "b": b"\x01\x02", "n": None}
    [issue] = v.string().errors(value)
    assert 'Value: {b: b"AQI=", big: 1e16, f: 1.0, n: null, nan: NaN, s: "q\\"\\n"}' in (
        issue.message
    )


def test_error_str_counts_other_issues() -> None:
    validator = v.object({"a": v.string(), "b": v.string(), "c": v.string()})
    with pytest.raises(ValidationError) as caught:
        validator.validate({})
    text = str(caught.value)
    assert text.startswith("Object is missing the required field `a`.")
    assert "\nPath: .a\n" in text
    assert text.endswith("(and 2 more issues)")
    assert len(caught.value.issues) == 3
    with pytest.raises(ValidationError) as single:
        validator.validate({"a": "", "b": ""})
    assert "more issue" not in str(single.value)


def test_validation_error_pickles_with_its_issues() -> None:
    with pytest.raises(ValidationError) as caught:
        v.string().validate(1)
    clone = pickle.loads(pickle.dumps(caught.value))
    assert clone.issues == caught.value.issues
    assert str(clone) == str(caught.value)


def test_validation_error_reads_the_same_however_it_is_shown() -> None:
    # The message is rendered on first use; str, repr, a traceback and `raise ... from` all see it.
    with pytest.raises(ValidationError) as caught:
        v.object({"a": v.string()}).validate({"a": 1})
    error = caught.value
    assert str(error) == str(error)
    assert str(error).startswith("Value does not match validator.\nPath: .a\n")
    assert repr(error) == f"ValidationError({list(error.issues)!r})"
    assert error.args == (error.issues,)
    assert "Path: .a" in "".join(traceback.format_exception_only(error))
    with pytest.raises(ValidationError, match=r"^Value does not match validator\."):
        raise error


def test_issue_as_dict_is_json_ready() -> None:
    [issue] = v.object({"a": v.array(v.string())}).errors({"a": [1]})
    safe = {
        "path": ["a", 0],
        "code": "no_match",
        "summary": "Expected a string, got a number",
        "expected": "string",
        "received": "number",
    }
    assert issue.as_dict() == safe
    assert issue.as_dict(detail=True) == {**safe, "message": issue.message, "hint": ""}
    assert isinstance(issue, Issue)


# --- unions ----------------------------------------------------------------------------------

SHAPES = v.union(
    v.object({"kind": v.literal("circle"), "radius": v.float64()}),
    v.object({"kind": v.literal("square"), "side": v.float64()}),
    v.object({"kind": v.union(v.literal("rect"), v.literal("box")), "w": v.float64()}),
)


def test_tagged_union_reports_the_branch_the_tag_chose() -> None:
    [issue] = SHAPES.errors({"kind": "square", "side": "big"})
    assert issue.path == ("side",)
    assert issue.code == "no_match"
    assert 'Union member chosen by `kind` = "square"' in issue.message
    [issue] = SHAPES.errors({"kind": "box", "w": 1.0, "h": 2.0})
    assert (issue.path, issue.code) == (("h",), "extra_field")


def test_tagged_union_with_unknown_or_missing_tag() -> None:
    [issue] = SHAPES.errors({"kind": "triangle"})
    assert (issue.path, issue.code) == (("kind",), "literal_mismatch")
    assert '"circle", "square", "rect", "box"' in issue.message
    [issue] = SHAPES.errors({"radius": 1.0})
    assert (issue.path, issue.code) == (("kind",), "missing_field")


def test_untagged_union_lists_what_each_member_expected() -> None:
    validator = v.union(v.string(), v.object({"a": v.int64()}))
    issue, closest = validator.errors({"a": "x"})
    # Then the issues of the closest object member, at their own paths.
    assert (closest.path, closest.code) == (("a",), "no_match")
    assert issue.code == "no_match"
    assert issue.path == ()
    assert "No member matched:" in issue.message
    assert "- v.string(): Value does not match validator." in issue.message
    assert "- v.object({a: v.int64()}): Value does not match validator. at .a" in issue.message


def test_union_of_literals_is_a_literal_mismatch() -> None:
    project_type = v.union(v.literal("saas_mvp"), v.literal("ai_agent"))
    [issue] = project_type.errors("saas")
    assert issue.code == "literal_mismatch"
    assert 'expected one of "saas_mvp", "ai_agent"' in issue.message


def test_single_member_union_delegates() -> None:
    [issue] = v.union(v.object({"a": v.string()})).errors({"a": 1})
    assert (issue.path, issue.code) == (("a",), "no_match")


# --- limits, deep and cyclic input -----------------------------------------------------------


def nested_lists(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth - 1):
        value = [value]
    return value


def test_nesting_limit_64() -> None:
    assert agree(v.any(), nested_lists(64))
    assert not agree(v.any(), nested_lists(65))
    [issue] = v.any().errors(nested_lists(65))
    assert issue.code == "too_nested"
    assert issue.message == "Value is too nested (nested 65 levels deep > maximum nesting 64)"
    assert len(issue.path) == 64


def test_very_deep_input_gives_validation_error_not_recursion_error() -> None:
    deep = nested_lists(100_000)
    for validator in (v.any(), v.array(v.any()), v.object({"a": v.any()})):
        assert not validator.is_valid(deep)
        with pytest.raises(ValidationError):
            validator.validate(deep)


def test_cyclic_input_gives_validation_error() -> None:
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    loop: dict[str, Any] = {}
    loop["self"] = loop
    for validator, value in ((v.any(), cyclic), (v.any(), loop), (v.array(v.any()), cyclic)):
        with pytest.raises(ValidationError) as caught:
            validator.validate(value)
        assert caught.value.issues[0].code == "too_nested"
        str(caught.value)  # rendering a cyclic value must terminate too


def test_object_field_limit_1024() -> None:
    ok = {f"f{i}": i for i in range(1024)}
    assert agree(v.any(), ok)
    assert agree(v.record(v.string(), v.float64()), ok)
    too_many = {f"f{i}": i for i in range(1025)}
    assert not agree(v.record(v.string(), v.float64()), too_many)
    assert codes(v.any(), too_many) == [((), "too_many_fields")]


def test_field_name_length_limit_1024() -> None:
    assert agree(v.record(v.string(), v.null()), {"x" * 1024: None})
    assert not agree(v.record(v.string(), v.null()), {"x" * 1025: None})


def test_subclasses_are_not_accepted() -> None:
    class MyStr(str):
        pass

    class MyDict(dict):  # type: ignore[type-arg]
        pass

    assert not agree(v.string(), MyStr("x"))
    assert not agree(v.object({}), MyDict())
    assert not agree(v.int64(), True)


def test_validate_returns_the_same_object_without_coercion() -> None:
    row = {"n": 1}
    assert v.object({"n": v.float64()}).validate(row) is row
    assert type(row["n"]) is int


def test_top_level_optional_flag_is_ignored() -> None:
    assert not agree(v.optional(v.string()), None)
    assert agree(v.optional(v.string()), "x")
