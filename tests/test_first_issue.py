"""`Validator.first_issue`: the first of `errors()`, found by a walk that stops there."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vschema import Validator, v
from vschema.strategies import from_validator, invalid, validators


def assert_first(validator: Validator, value: object) -> None:
    issues = validator.errors(value)
    assert validator.first_issue(value) == (issues[0] if issues else None), (validator, value)


@given(st.data())
def test_first_issue_is_the_first_of_errors(data: st.DataObject) -> None:
    validator = data.draw(validators(max_depth=3))
    assert_first(validator, data.draw(from_validator(validator)))
    bad, _ = data.draw(invalid(validator))
    assert_first(validator, bad)


def test_first_issue_stops_at_the_first_of_many() -> None:
    row = v.object({"a": v.string(), "b": v.int64(), "tags": v.array(v.string())})
    bad = {"a": 1, "b": "x", "tags": [1] * 500}
    assert len(row.errors(bad)) == 100 + 1  # cut at MAX_ISSUES, with the last saying so
    issue = row.first_issue(bad)
    assert issue is not None
    assert (issue.path, issue.code, issue.received) == (("a",), "no_match", "number")
    assert row.first_issue({"a": "x", "b": 1, "tags": []}) is None


def test_first_issue_keeps_the_union_member_note() -> None:
    kind = v.union(
        v.object({"kind": v.literal("text"), "text": v.string()}),
        v.object({"kind": v.literal("image"), "width": v.int64(), "height": v.int64()}),
    )
    issue = kind.first_issue({"kind": "image", "width": "1", "height": "2"})
    assert issue is not None
    assert issue.path == ("height",)
    assert 'Union member chosen by `kind` = "image"' in issue.message
    assert issue == kind.errors({"kind": "image", "width": "1", "height": "2"})[0]


def test_first_issue_of_a_scalar_and_of_non_values() -> None:
    assert v.string().first_issue("ok") is None
    issue = v.string().first_issue({1, 2})
    assert issue is not None
    assert (issue.code, issue.received) == ("no_match", "Python set")
    cyclic: list[object] = []
    cyclic.append(cyclic)
    deep = v.array(v.any()).first_issue(cyclic)
    assert deep is not None
    assert deep.code == "too_nested"
