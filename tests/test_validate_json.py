"""``validate_json``: JSON text in, a checked value out, and one kind of error for bad text."""

from __future__ import annotations

import json

import pytest
from hypothesis import assume, given

from vschema import ValidationError, define_schema, define_table, v
from vschema.strategies import from_validator, invalid

INQUIRY = v.object(
    {
        "name": v.string(),
        "visits": v.int64(),
        "score": v.number(),
        "tags": v.array(v.string()),
        "nick": v.optional(v.string()),
    }
)
SCHEMA = define_schema({"inquiries": define_table(INQUIRY.fields)})
GOOD = {"name": "Ada", "visits": 3, "score": 1.5, "tags": ["a"]}


@pytest.mark.parametrize("data", [json.dumps(GOOD), json.dumps(GOOD).encode()])
def test_text_and_bytes_give_the_parsed_value(data: str | bytes) -> None:
    assert INQUIRY.validate_json(data) == GOOD
    assert SCHEMA.validate_json("inquiries", data) == GOOD


def test_buffers_are_read_as_bytes() -> None:
    raw = json.dumps(GOOD).encode()
    assert INQUIRY.validate_json(bytearray(raw)) == GOOD
    assert INQUIRY.validate_json(memoryview(raw)) == GOOD


def test_json_integers_pass_int64_and_number() -> None:
    assert v.int64().validate_json("5") == 5
    assert v.number().validate_json("5") == 5
    assert v.number().validate_json("5.5") == 5.5
    with pytest.raises(ValidationError) as caught:
        v.int64().validate_json("5.0")
    assert caught.value.issues[0].code == "no_match"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"{", "Expecting property name enclosed in double quotes at line 1 column 2"),
        (b"", "Expecting value at line 1 column 1"),
        (b'{"a": 1} x', "Extra data at line 1 column 10"),
        (b"\xff{}", "not UTF-8 (invalid start byte at byte 0)"),
        ('{"a": 1}'.encode("utf-16"), "not UTF-8"),
        (b"NaN", "NaN is not JSON"),
        (b'{"score": -Infinity}', "-Infinity is not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply to parse"),
    ],
)
def test_text_that_is_not_json_is_one_invalid_encoding_issue(data: bytes, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        INQUIRY.validate_json(data)
    [issue] = caught.value.issues
    assert issue.code == "invalid_encoding"
    assert issue.path == ()
    assert issue.message.startswith("Invalid JSON: ")
    assert reason in issue.message
    with pytest.raises(ValidationError) as for_table:
        SCHEMA.validate_json("inquiries", data)
    assert list(for_table.value.issues) == [issue]


def test_valid_json_with_invalid_content_reports_what_validate_reports() -> None:
    body = {**GOOD, "visits": "3", "_id": "x"}
    with pytest.raises(ValidationError) as caught:
        SCHEMA.validate_json("inquiries", json.dumps(body))
    with pytest.raises(ValidationError) as direct:
        SCHEMA.validate("inquiries", body)
    assert caught.value.issues == direct.value.issues
    assert caught.value.issues[0].code == "reserved_field"


def test_a_parsed_value_is_a_type_error_not_a_validation_error() -> None:
    with pytest.raises(TypeError, match=r"takes JSON text as str or bytes, got dict"):
        INQUIRY.validate_json(GOOD)  # type: ignore[arg-type]


@given(from_validator(INQUIRY))
def test_every_valid_value_survives_the_json_round_trip(value: object) -> None:
    text = json.dumps(value, allow_nan=True)
    if "NaN" in text or "Infinity" in text:
        with pytest.raises(ValidationError, match="is not JSON"):
            INQUIRY.validate_json(text)
    else:
        assert INQUIRY.validate_json(text) == value


@given(invalid(INQUIRY, codes=["no_match", "missing_field", "extra_field"]))
def test_invalid_values_sent_as_json_name_the_same_flaw(case: tuple[object, object]) -> None:
    value, expected = case
    # Only flaws JSON can carry: a tuple, bytes or NaN does not survive the trip as itself.
    try:
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        assume(False)
    assume(json.loads(text) == value)
    with pytest.raises(ValidationError) as caught:
        INQUIRY.validate_json(text)
    assert expected.matches(caught.value.issues[0])  # type: ignore[attr-defined]
