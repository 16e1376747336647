"""Stored documents checked with exact numbers, as a Convex snapshot export writes them.

In an export a JSON integer is an Int64 and only a number with a decimal point or an exponent is
a Float64, so `ExactDocumentChecks` refuses a Python `int` wherever a Float64 belongs
(``v.number()``, ``_creationTime``, Float64 literals) and is otherwise `validate_document`.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vschema import SchemaError, ValidationError, define_schema, define_table, v
from vschema.validators._documents import ExactDocumentChecks, exact_document_checks
from vschema.validators._errors import MAX_ISSUES
from vschema.validators._ids import new_id

SCHEMA = define_schema(
    {
        "things": define_table(
            {
                "n": v.number(),
                "i": v.int64(),
                "kind": v.optional(v.union(v.literal(1), v.literal(2), v.literal(3))),
                "xs": v.optional(v.array(v.float64())),
                "meta": v.optional(v.any()),
            }
        ),
        "open": define_table(v.any()),
        "shapes": define_table(
            v.union(
                v.object({"t": v.literal("a"), "r": v.number()}),
                v.object({"t": v.literal("b"), "c": v.int64()}),
            )
        ),
    }
)
THINGS_ID = new_id(10001)
SHAPES_ID = new_id(10003)
OPEN_ID = new_id(10002)
GOOD: dict[str, Any] = {"_id": THINGS_ID, "_creationTime": 1712345678901.5, "n": 1.0, "i": 5}
INT64_LINE = (
    "\nThe value is an Int64 (an integer without a decimal point), where a Float64 is expected."
)


def exact(table: str = "things") -> ExactDocumentChecks:
    return exact_document_checks(SCHEMA, table)


def usual_issues(table: str, document: object) -> list[Any]:
    try:
        SCHEMA.validate_document(table, document)
    except ValidationError as error:
        return list(error.issues)
    return []


def assert_consistent(table: str, document: object) -> list[Any]:
    """`is_valid` and `issues` agree; the issues are returned."""
    checks = exact(table)
    issues = checks.issues(document)
    assert checks.is_valid(document) == (not issues), (document, issues)
    return issues


def test_a_document_of_floats_is_valid_as_usual() -> None:
    assert assert_consistent("things", GOOD) == []
    assert SCHEMA.is_valid_document("things", GOOD)


@pytest.mark.parametrize(
    ("change", "path", "code"),
    [
        ({"n": 1}, ("n",), "no_match"),
        ({"_creationTime": 1712345678901}, ("_creationTime",), "no_match"),
        ({"kind": 2}, ("kind",), "literal_mismatch"),
        ({"xs": [0.5] * 40 + [3]}, ("xs", 40), "no_match"),
        ({"xs": [3]}, ("xs", 0), "no_match"),
    ],
)
def test_an_int_where_a_float64_belongs_is_an_int64(
    change: dict[str, Any], path: tuple[Any, ...], code: str
) -> None:
    document = {**GOOD, **change}
    assert SCHEMA.is_valid_document("things", document)  # the usual reading: an int is a number
    (issue,) = assert_consistent("things", document)
    assert (issue.path, issue.code) == (path, code)
    assert issue.message.endswith(INT64_LINE)
    assert "decimal point" in issue.hint


def test_the_message_is_convex_nomatch_with_the_int64_line() -> None:
    (issue,) = exact().issues({**GOOD, "n": 7})
    assert issue.message == (
        "Value does not match validator.\nValue: 7\nValidator: v.float64()" + INT64_LINE
    )
    (issue,) = exact().issues({**GOOD, "kind": 2})
    assert issue.message == (
        "`2` does not match literal validator `v.union(v.literal(1.0), v.literal(2.0), "
        "v.literal(3.0))`: expected one of 1.0, 2.0, 3.0." + INT64_LINE
    )


def test_int64_any_and_float_literals_read_as_before() -> None:
    ok = {**GOOD, "kind": 2.0, "meta": {"a": [1, 1.5, 2**62]}, "xs": [1.0, -0.0]}
    assert assert_consistent("things", ok) == []
    # An Int64 field still refuses a float, with the usual issue.
    bad = {**GOOD, "i": 5.0}
    assert assert_consistent("things", bad) == usual_issues("things", bad)


@pytest.mark.parametrize(
    "document",
    [
        {**GOOD, "_x": 1.0},
        {**GOOD, "extra": 1.0},
        {k: item for k, item in GOOD.items() if k != "n"},
        {**GOOD, "_creationTime": -1.0},
        {**GOOD, "_creationTime": float("nan")},
        {**GOOD, "_id": "not-an-id"},
        {**GOOD, "meta": "x" * (1 << 20)},
        [GOOD],
        None,
    ],
    ids=repr,
)
def test_everything_else_is_validate_document(document: object) -> None:
    issues = assert_consistent("things", document)
    assert issues
    assert issues == usual_issues("things", document)


def test_open_and_union_tables() -> None:
    open_doc = {"_id": OPEN_ID, "_creationTime": 5.0, "anything": [1, 2.5]}
    assert assert_consistent("open", open_doc) == []
    (issue,) = assert_consistent("open", {**open_doc, "_creationTime": 5})
    assert issue.path == ("_creationTime",)
    assert issue.message.endswith(INT64_LINE)
    shape = {"_id": SHAPES_ID, "_creationTime": 5.0, "t": "a", "r": 2.0}
    assert assert_consistent("shapes", shape) == []
    assert (
        assert_consistent("shapes", {"_id": SHAPES_ID, "_creationTime": 5.0, "t": "b", "c": 2})
        == []
    )
    assert assert_consistent("shapes", {**shape, "r": 2}) != []


def test_issues_are_capped_as_usual() -> None:
    schema = define_schema({"wide": define_table({"xs": v.array(v.number())})})
    document = {"_id": new_id(10001), "_creationTime": 5.0, "xs": list(range(500))}
    assert schema.is_valid_document("wide", document)
    checks = exact_document_checks(schema, "wide")
    issues = checks.issues(document)
    assert len(issues) == MAX_ISSUES + 1
    assert issues[-1].code == "too_many_issues"
    assert not checks.is_valid(document)


def test_an_unknown_table_is_a_schema_error() -> None:
    with pytest.raises(SchemaError, match="not in this schema"):
        exact_document_checks(SCHEMA, "nope")


@settings(max_examples=60)
@given(
    st.dictionaries(
        st.sampled_from(["n", "i", "kind", "xs", "meta", "_creationTime"]),
        st.one_of(
            st.integers(-(2**63), 2**63),
            st.floats(),
            st.lists(st.one_of(st.integers(-3, 3), st.floats(-3, 3)), max_size=40),
        ),
    )
)
def test_exact_refuses_only_more_than_validate_document(change: dict[str, Any]) -> None:
    document = {**GOOD, **change}
    issues = assert_consistent("things", document)
    if not usual_issues("things", document):
        # What the usual reading accepts, the exact one refuses only for an int somewhere.
        assert all(INT64_LINE in issue.message for issue in issues), issues
