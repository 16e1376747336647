"""``validate_json`` parses with orjson when it is installed, and gives exactly what the
standard library's parser gives: the same value, or the same issue, for every text.

These tests need orjson (the ``vschema[fast]`` extra, installed for development): they fail,
not skip, without it.
"""

from __future__ import annotations

import json
import subprocess
import sys

import orjson  # required: the orjson path is what is tested
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vschema import ValidationError, v
from vschema.validators import _json_text
from vschema.validators._json_text import parse_json, parse_json_stdlib


def outcome(parse: object, data: object) -> tuple[str, str]:
    """What ``parse`` gives for ``data``: the value's repr (which tells 1 from 1.0 and 0.0
    from -0.0, and shows lone surrogates) or the error's type and text."""
    assert callable(parse)
    try:
        value = parse(data)
    except ValidationError as error:
        return ("issue", repr(error.issues))
    except TypeError as error:
        return ("TypeError", str(error))
    return ("value", repr(value))


def assert_same(data: object) -> None:
    fast, stdlib = outcome(parse_json, data), outcome(parse_json_stdlib, data)
    assert fast == stdlib, data
    if isinstance(data, bytes):
        for other in (bytearray(data), memoryview(data)):
            assert outcome(parse_json, other) == stdlib
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return
        assert outcome(parse_json, text) == outcome(parse_json_stdlib, text)


def test_orjson_is_the_parser_when_installed() -> None:
    parse_json(b"1")
    assert _json_text._orjson_loads is orjson.loads


EDGES = [
    b"1",
    b" 1 ",
    b"\t[1]\n",
    b"-0",
    b"-0.0",
    b"1.0",
    b"1e2",
    b"1E-400",
    b"1e400",
    b"-1e400",
    b"18446744073709551615",
    b"18446744073709551616",
    b"-9223372036854775808",
    b"-9223372036854775809",
    b"123456789012345678901234567890",
    b'{"id": "1234567890123456789012"}',
    b'{"a": 1, "a": 2}',
    b'{"a": 1, "a": {"b": 2}}',
    b'"\\ud800"',
    b'{"\\udc00": 1}',
    b'"\\ud83d\\ude00"',
    b'"\\u0000"',
    b"NaN",
    b"[Infinity]",
    b'{"x": -Infinity}',
    b"",
    b"{",
    b"[1,]",
    b'{"a": 1} x',
    b"1 2",
    b"\xef\xbb\xbf1",
    b"\xff{}",
    '{"a": 1}'.encode("utf-16"),
    b'"\x01"',
    b"[" * 1025 + b"]" * 1025,
    b"[" * 100_000 + b"]" * 100_000,
    b"true",
    b"null",
    b"tru",
    b'"caf\xc3\xa9"',
]


@pytest.mark.parametrize("data", EDGES, ids=repr)
def test_edges_parse_the_same(data: bytes) -> None:
    assert_same(data)


def test_strings_with_lone_surrogates_and_wrong_types() -> None:
    assert_same('"\ud800"')  # a str that cannot be UTF-8
    assert_same('["\ud800"]')
    for wrong in (None, 1, ["x"]):
        assert outcome(parse_json, wrong) == outcome(parse_json_stdlib, wrong)
        assert outcome(parse_json, wrong)[0] == "TypeError"


def test_validation_results_agree_on_both_parsers() -> None:
    validator = v.object({"n": v.number(), "s": v.string(), "i": v.int64()})
    for text in (
        b'{"n": 18446744073709551616, "s": "a", "i": 1}',  # orjson alone: a lossy float
        b'{"n": 1, "s": "\\ud800", "i": 1}',
        b'{"n": 1e400, "s": "a", "i": 99999999999999999999}',
    ):
        fast = outcome(validator.validate_json, text)
        _json_text._orjson_loads = None  # as without orjson
        try:
            stdlib = outcome(validator.validate_json, text)
        finally:
            _json_text._orjson_loads = _json_text._UNSET
        assert fast == stdlib, text
        assert fast[0] == "issue"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=100)
@given(json_values, st.booleans())
def test_random_json_parses_the_same(value: object, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert_same(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=100)
@given(st.text(alphabet='0123456789.eE-+[]{}":, \\nutrlfasNI\x00\ud800', max_size=20))
def test_random_text_parses_the_same(text: str) -> None:
    assert_same(text.encode("utf-8", "surrogatepass"))
    assert_same(text)


def test_import_vschema_does_not_import_orjson() -> None:
    code = (
        "import sys, vschema\n"
        "assert 'orjson' not in sys.modules\n"
        "vschema.v.number().validate_json(b'1')\n"
        "print('orjson' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
