"""Issues an app can show its own users: `summary`, `expected`, `received`, `hint`, and an
`as_dict()` that is safe to send to a client."""

from __future__ import annotations

import datetime
import decimal
import enum
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vschema import Issue, ValidationError, Validator, define_schema, define_table, v
from vschema.strategies import validators
from vschema.validators._errors import MAX_ISSUES
from vschema.validators._interpret import explain as reference
from vschema.validators._size import MAX_DOCUMENT_SIZE


def first(validator: Validator, value: object) -> Issue:
    issues = validator.errors(value)
    assert issues, (validator, value)
    assert issues == reference(validator, value)
    return issues[0]


def row_issue(row: dict[str, Any], fields: dict[str, Validator] | None = None) -> Issue:
    schema = define_schema({"t": define_table(fields or {"a": v.optional(v.string())})})
    with pytest.raises(ValidationError) as caught:
        schema.validate("t", row)
    return caught.value.issues[0]


ID = v.id("users")
DEEP: list[Any] = []
for _ in range(70):
    DEEP = [DEEP]


# (code, validator, value, summary, expected, received) for a representative value of each code
CASES: list[tuple[str, Validator, object, str, str, str]] = [
    ("no_match", v.string(), 5, "Expected a string, got a number", "string", "number"),
    ("no_match", v.int64(), 1.5, "Expected an integer (int64), got a number", "integer (int64)",
     "number"),
    ("no_match", v.object({"a": v.string()}), [], "Expected an object, got an array", "object",
     "array"),
    ("no_match", v.union(v.string(), v.null()), True, "Expected a string or null, got a boolean",
     "string or null", "boolean"),
    ("no_match", ID, 5, 'Expected an Id of table "users", got a number',
     'an Id of table "users"', "number"),
    ("literal_mismatch", v.union(v.literal("saas_mvp"), v.literal("ai_agent")), "x",
     'Must be one of "saas_mvp", "ai_agent"', 'one of "saas_mvp", "ai_agent"', "string"),
    ("literal_mismatch", v.literal(5, int64=True), 6, "Must be 5n", "5n", "number"),
    ("missing_field", v.object({"a": v.string()}), {}, "Required", "string", ""),
    ("extra_field", v.object({}), {"password": "hunter2"}, 'Unknown field "password"',
     "no such field", "string"),
    ("invalid_id", ID, "not-an-id", 'Expected an Id of table "users"', 'an Id of table "users"',
     "string"),
    ("out_of_range", v.int64(), 2**63, "Must be an integer from -2^63 to 2^63 - 1",
     "an integer from -2^63 to 2^63 - 1", "number"),
    ("invalid_string", v.string(), "a\ud800", "Must be valid text (it holds a lone surrogate)",
     "valid UTF-8 text", "string"),
    ("invalid_field_name", v.any(), {"$a": 1},
     "Invalid field name: must be a string of printable ASCII, not starting with $, at most "
     "1024 characters",
     "a string of printable ASCII, not starting with $, at most 1024 characters", "string"),
    ("unsupported_type", v.any(), {1, 2},
     "Expected a Convex value, got a Python set (Convex has no sets: use a list)",
     "a Convex value", "Python set"),
    ("too_nested", v.any(), DEEP,
     "Nested too deeply: at most 64 levels of nesting", "at most 64 levels of nesting", "array"),
    ("too_long", v.array(v.null()), [None] * 8193, "Too many items: at most 8192 items",
     "at most 8192 items", "array"),
    ("too_many_fields", v.record(v.string(), v.null()), {f"k{i}": None for i in range(1025)},
     "Too many fields: at most 1024 fields", "at most 1024 fields", "object"),
    ("too_many_issues", v.array(v.string()), list(range(MAX_ISSUES + 5)),
     "More problems not listed", f"at most {MAX_ISSUES} issues", ""),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "validator", "value", "summary", "expected", "received"),
    CASES,
    ids=[f"{case[0]}-{i}" for i, case in enumerate(CASES)],
)
def test_every_code_has_plain_words(
    code: str, validator: Validator, value: object, summary: str, expected: str, received: str
) -> None:
    issues = validator.errors(value)
    assert issues == reference(validator, value)
    issue = issues[-1] if code == "too_many_issues" else issues[0]
    assert issue.code == code
    assert (issue.summary, issue.expected, issue.received) == (summary, expected, received)


def test_document_codes_have_plain_words() -> None:
    issue = row_issue({"_secret": 1})
    assert (issue.code, issue.summary) == (
        "reserved_field",
        "Field names starting with _ are reserved",
    )
    big = row_issue({"a": "x" * MAX_DOCUMENT_SIZE}, {"a": v.string()})
    assert (big.code, big.summary, big.expected) == (
        "too_large",
        "Too large: at most 1 MiB",
        "at most 1 MiB",
    )
    with pytest.raises(ValidationError) as caught:
        v.string().validate_json(b"{nope")
    issue = caught.value.issues[0]
    assert (issue.code, issue.summary) == ("invalid_encoding", "Not valid JSON")


def test_sizes_just_over_the_limit_read_larger() -> None:
    # 1 MiB plus a few bytes must not read "1.00 MiB > maximum size 1 MiB".
    from vschema.validators._size import SMALLEST_SYSTEM_FIELDS_SIZE, convex_size

    for extra in (1, 100, 5000):
        at_limit = MAX_DOCUMENT_SIZE - SMALLEST_SYSTEM_FIELDS_SIZE - convex_size({"a": ""})
        row = {"a": "x" * (at_limit + extra)}
        issue = row_issue(row, {"a": v.string()})
        shown = issue.message.split("(")[1].split(" > ")[0]
        assert shown not in {"1 MiB", "1.00 MiB"}, issue.message
        number, unit = shown.split(" ")
        assert unit == "MiB"
        assert float(number) > 1


# --------------------------------------------------------------------------------------------
# Hints where Python users go wrong


class Colour(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


def numpy_like(name: str) -> object:
    """An instance of a class that presents itself as numpy's ``name`` (numpy is not needed)."""
    cls = type(name, (), {"__module__": "numpy"})
    return cls()


@pytest.mark.parametrize(
    ("validator", "value", "hint"),
    [
        (v.object({"nick": v.optional(v.string())}), {"nick": None},
         "an optional field may be left out, but not null; use v.nullable(...) to allow null"),
        (v.number(), decimal.Decimal("1.5"),
         "convert with float(...), or str(...) to keep every digit"),
        (v.string(), Colour.RED, "this is an Enum member: use its .value"),
        (v.number(), Level.HIGH, "this is an Enum member: use its .value"),
        (v.number(), datetime.datetime(2026, 1, 1),
         "Convex has no dates: store .timestamp() or .isoformat()"),
        (v.array(v.number()), (1, 2), "Convex arrays are Python lists: convert with list(...)"),
        (v.int64(), numpy_like("int64"), "this is a numpy integer: convert with int(...)"),
        (v.number(), numpy_like("float32"), "this is a numpy float: convert with float(...)"),
        (v.number(), 2**60, "a larger integer needs v.int64()"),
    ],
)  # fmt: skip
def test_hints_for_common_mistakes(validator: Validator, value: object, hint: str) -> None:
    issue = first(validator, value)
    assert issue.hint == hint
    assert issue.summary.endswith(f"({hint})")
    assert f"Hint: {hint}" in str(issue)


def test_int64_literals_read_as_bigint_literals() -> None:
    issue = first(v.literal(5, int64=True), 4)
    assert "v.literal(5n)" in issue.message
    assert "<bigint>" not in issue.message


# --------------------------------------------------------------------------------------------
# Unions of objects without a tag: issues a form can place


CONTACT = v.union(
    v.object({"email": v.string(), "name": v.string()}),
    v.object({"phone": v.string(), "name": v.string()}),
)


def test_untagged_union_reports_the_closest_member_at_its_paths() -> None:
    issues = CONTACT.errors({"email": "ada@example.com", "name": 5})
    assert issues == reference(CONTACT, {"email": "ada@example.com", "name": 5})
    # Convex's own issue comes first, at the union, saying what each member expected ...
    assert (issues[0].path, issues[0].code) == ((), "no_match")
    assert "No member matched:" in issues[0].message
    # ... then the closest member's issues, where a form can show them.
    assert [(i.path, i.code) for i in issues[1:]] == [(("name",), "no_match")]
    assert issues[1].summary == "Expected a string, got a number"


def test_untagged_union_picks_the_member_with_most_valid_fields() -> None:
    issues = CONTACT.errors({"phone": "555", "name": "Ada", "extra": 1})
    assert [(i.path, i.code) for i in issues[1:]] == [(("extra",), "extra_field")]


def test_untagged_union_of_non_objects_adds_nothing() -> None:
    issues = v.union(v.string(), v.number()).errors(None)
    assert [i.path for i in issues] == [()]


# --------------------------------------------------------------------------------------------
# as_dict(): safe for a client by default


def test_as_dict_has_no_message_or_value_by_default() -> None:
    issue = first(v.object({"name": v.string()}), {"name": 5, "password": "hunter2"})
    safe = issue.as_dict()
    assert set(safe) == {"path", "code", "summary", "expected", "received"}
    full = issue.as_dict(detail=True)
    assert full["message"] == issue.message
    assert "hunter2" not in json.dumps([i.as_dict() for i in issue_list()])


def issue_list() -> list[Issue]:
    return v.object({"name": v.string()}).errors({"name": 5, "password": "hunter2"})


MARK = "zqx"
marked = st.text(alphabet="abc", max_size=5).map(lambda text: MARK + text)


def _marked_values() -> st.SearchStrategy[object]:
    return st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), marked),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(st.one_of(marked, st.sampled_from(["a", "kind", "$x"])), inner,
                            max_size=3),
            st.tuples(inner),
        ),
        max_leaves=8,
    )  # fmt: skip


@given(validators(max_depth=3), _marked_values())
def test_as_dict_never_echoes_the_value(validator: Validator, value: object) -> None:
    """No text drawn inside the value reaches `as_dict()`, but for a key on the path."""
    for issue in validator.errors(value):
        safe = issue.as_dict()
        path_keys = {key for key in issue.path if isinstance(key, str)}
        for field in ("summary", "expected", "received"):
            text = safe[field]
            assert isinstance(text, str)
            leaked = MARK in text and not any(key in text for key in path_keys if MARK in key)
            assert not leaked, (field, text, value)
        json.dumps(safe, ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize(
    ("validator", "value", "summary"),
    [
        (v.string(), None, "Expected a string, got null"),
        (v.null(), 1, "Expected null, got a number"),
        (v.bytes(), "x", "Expected bytes, got a string"),
        (v.string(), b"x", "Expected a string, got bytes"),
        (v.union(v.null(), v.string()), 1, "Expected null or string, got a number"),
        (v.array(v.string()), {"a": 1}, "Expected an array, got an object"),
    ],
)
def test_summaries_read_as_english(validator: Validator, value: object, summary: str) -> None:
    assert first(validator, value).summary == summary
