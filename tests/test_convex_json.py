"""Convex's JSON forms: validator JSON and the value encoding, checked against the real package.

Each corpus below is written twice, in Python and as the TypeScript/JavaScript Convex users
write, and all of them run through ``convex/values`` in one node process. Hypothesis checks
the round trips on validators and values the corpora do not list.
"""

from __future__ import annotations

import base64
import json
import math
import struct
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from node_tools import run_node_json

from vschema import COMMIT_TS, SchemaError, ValidationError, Validator, strategies, v
from vschema._source import ts_str
from vschema.validators._convex_json import (
    MAX_VALIDATOR_DEPTH,
    from_convex_json,
    to_convex_json,
    validator_from_json,
    validator_to_json,
)

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

AWKWARD = [
    "",
    'say "hi"',
    "back\\slash",
    "line\nbreak\ttab",
    "\u2028\u2029",
    "😀 emoji",
    "é",
    "{x}",
    "*/",
    "\x00",
    "__proto__",
]


def js_key_order(keys: list[str]) -> list[str]:
    """The order a JavaScript object lists ``keys`` inserted in this order: array indexes first."""

    def is_index(key: str) -> bool:
        return key.isdigit() and str(int(key)) == key and int(key) < 2**32 - 1

    return sorted(filter(is_index, keys), key=int) + [k for k in keys if not is_index(k)]


def same_json(ours: object, theirs: object, *, js: bool = True) -> bool:
    """JSON equality that checks dict key order and never mistakes a bool for a number.

    With ``js``, ``theirs`` comes from JavaScript, whose objects list integer-like keys first
    whatever the insertion order: `to_convex_json` sorts every key, as the Convex backend does,
    so a dict with keys like ``"10"`` and ``"2"`` is compared in JavaScript's order.
    """
    a, b = ours, theirs
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        order = js_key_order(list(a)) if js else list(a)
        return order == list(b) and all(same_json(a[k], b[k], js=js) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y, js=js) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def same_value(a: object, b: object) -> bool:
    """Equality of decoded Convex values: exact types, floats bit for bit."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and isinstance(b, float):
        return struct.pack("<d", a) == struct.pack("<d", b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(same_value, a, b))
    return a == b


def float_b64(number: float) -> str:
    return base64.b64encode(struct.pack("<d", number)).decode()


def int_b64(number: int) -> str:
    return base64.b64encode(number.to_bytes(8, "little", signed=True)).decode()


# `run_node_json` splits stdout with str.splitlines, which also splits at U+2028 and U+2029:
# print them escaped (still the same JSON).
PRINT_JSON_JS = r"""
function printJson(x) {
  console.log(JSON.stringify(x).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029"));
}
"""

# ---------------------------------------------------------------------------------------------
# Validator JSON against `validator.json`

VALIDATORS: list[tuple[Validator, str]] = [
    (v.string(), "v.string()"),
    (v.number(), "v.number()"),
    (v.float64(), "v.float64()"),
    (v.int64(), "v.int64()"),
    (v.boolean(), "v.boolean()"),
    (v.null(), "v.null()"),
    (v.bytes(), "v.bytes()"),
    (v.any(), "v.any()"),
    (v.id("users"), 'v.id("users")'),
    (v.id("_storage"), 'v.id("_storage")'),
    (v.literal(True), "v.literal(true)"),
    (v.literal(False), "v.literal(false)"),
    (v.literal(0), "v.literal(0)"),
    (v.literal(1), "v.literal(1)"),
    (v.literal(1.0), "v.literal(1)"),
    (v.literal(-1), "v.literal(-1)"),
    (v.literal(2**53), "v.literal(2 ** 53)"),
    (v.literal(1.5), "v.literal(1.5)"),
    (v.literal(0.0), "v.literal(0)"),
    (v.literal(-0.0), "v.literal(-0)"),
    (v.literal(5e-324), "v.literal(5e-324)"),
    (v.literal(1e300), "v.literal(1e300)"),
    (v.literal(0, int64=True), "v.literal(0n)"),
    (v.literal(5, int64=True), "v.literal(5n)"),
    (v.literal(-1, int64=True), "v.literal(-1n)"),
    (v.literal(INT64_MIN, int64=True), "v.literal(-(2n ** 63n))"),
    (v.literal(INT64_MAX, int64=True), "v.literal(2n ** 63n - 1n)"),
    *((v.literal(text), f"v.literal({ts_str(text)})") for text in AWKWARD),
    (v.array(v.string()), "v.array(v.string())"),
    (v.array(v.array(v.int64())), "v.array(v.array(v.int64()))"),
    (v.object({}), "v.object({})"),
    (
        v.object({"zeta": v.string(), "alpha": v.optional(v.number()), "_mid": v.int64()}),
        "v.object({zeta: v.string(), alpha: v.optional(v.number()), _mid: v.int64()})",
    ),
    (
        v.object(
            {
                "author": v.object({"name": v.string(), "email": v.optional(v.string())}),
                "comments": v.array(
                    v.object({"body": v.string(), "likes": v.optional(v.array(v.id("users")))})
                ),
                "meta": v.optional(v.object({"tags": v.array(v.string())})),
            }
        ),
        """v.object({
            author: v.object({name: v.string(), email: v.optional(v.string())}),
            comments: v.array(
                v.object({body: v.string(), likes: v.optional(v.array(v.id("users")))})
            ),
            meta: v.optional(v.object({tags: v.array(v.string())})),
        })""",
    ),
    (v.string().optional(), "v.optional(v.string())"),
    (v.object({"a": v.string()}).optional(), "v.object({a: v.string()}).optional()"),
    (v.union(), "v.union()"),
    (v.union(v.string()), "v.union(v.string())"),
    (v.union(v.string(), v.number(), v.null()), "v.union(v.string(), v.number(), v.null())"),
    (v.nullable(v.int64()), "v.nullable(v.int64())"),
    (v.commitTs(), "v.commitTs()"),
    (v.object({"ts": v.optional(v.commitTs())}), "v.object({ts: v.optional(v.commitTs())})"),
    (
        v.union(
            v.object({"kind": v.literal("circle"), "r": v.number()}),
            v.object({"kind": v.literal("square"), "side": v.number()}),
        ),
        """v.union(
            v.object({kind: v.literal("circle"), r: v.number()}),
            v.object({kind: v.literal("square"), side: v.number()}),
        )""",
    ),
    (
        v.union(v.literal("a"), v.literal(1), v.literal(2, int64=True), v.literal(False)),
        'v.union(v.literal("a"), v.literal(1), v.literal(2n), v.literal(false))',
    ),
    (v.record(v.string(), v.number()), "v.record(v.string(), v.number())"),
    (v.record(v.id("users"), v.array(v.string())), 'v.record(v.id("users"), v.array(v.string()))'),
    (
        v.record(v.union(v.id("users"), v.id("teams")), v.nullable(v.boolean())),
        'v.record(v.union(v.id("users"), v.id("teams")), v.nullable(v.boolean()))',
    ),
    (v.record(v.union(), v.any()), "v.record(v.union(), v.any())"),
    (
        v.object({"byUser": v.record(v.id("users"), v.object({"n": v.optional(v.int64())}))}),
        'v.object({byUser: v.record(v.id("users"), v.object({n: v.optional(v.int64())}))})',
    ),
]


def test_validator_corpus_has_every_kind() -> None:
    kinds = {type(validator).__name__ for validator, _ in VALIDATORS}
    assert kinds == {cls.__name__ for cls in Validator.__subclasses__()}


@pytest.mark.parametrize("index", range(len(VALIDATORS)))
def test_validator_json_equals_convex(index: int, convex: dict[str, Any]) -> None:
    validator, ts = VALIDATORS[index]
    ours = validator.to_convex_json()
    assert same_json(ours, convex["validators"][index]), (ts, ours, convex["validators"][index])
    assert ours == validator_to_json(validator)
    # ... and Python's own JSON text of it reads back as the same JSON.
    assert same_json(json.loads(json.dumps(ours)), ours, js=False)


@pytest.mark.parametrize("index", range(len(VALIDATORS)))
def test_validator_json_from_convex_round_trips(index: int, convex: dict[str, Any]) -> None:
    validator, _ = VALIDATORS[index]
    expected = validator.required()  # Convex's JSON has no place for a top-level optional flag
    for obj in (validator.to_convex_json(), convex["validators"][index]):
        rebuilt = v.from_convex_json(obj)
        assert rebuilt == expected
        assert hash(rebuilt) == hash(expected)


def test_round_trip_keeps_the_literal_python_type() -> None:
    for literal in (v.literal(1), v.literal(1.0), v.literal(-0.0), v.literal(2**53)):
        rebuilt = v.from_convex_json(json.loads(json.dumps(literal.to_convex_json())))
        assert repr(rebuilt) == repr(literal)
        assert type(rebuilt.value) is type(literal.value)  # type: ignore[attr-defined]


def test_out_of_range_int64_literal_fails_like_convex(convex: dict[str, Any]) -> None:
    message = convex["bigint_literal_error"]
    assert message == "BigInt 9223372036854775808 does not fit into a 64-bit signed integer."
    with pytest.raises(SchemaError, match=message):
        v.literal(2**63, int64=True)


def test_legacy_map_and_set_read_as_any() -> None:
    assert v.from_convex_json({"type": "map", "keys": {"type": "string"}}) == v.any()
    assert v.from_convex_json({"type": "set", "value": {"type": "string"}}) == v.any()
    nested = {"type": "array", "value": {"type": "set", "value": {"type": "number"}}}
    assert v.from_convex_json(nested) == v.array(v.any())


def test_large_json_integer_literals() -> None:
    assert v.from_convex_json({"type": "literal", "value": 2**60}) == v.literal(float(2**60))
    with pytest.raises(SchemaError, match=r"at \$\.value: Arbitrary precision"):
        v.from_convex_json({"type": "literal", "value": 2**53 + 1})


def _string() -> dict[str, Any]:
    return {"type": "string"}


def _field(field_type: object, optional: object = False) -> dict[str, Any]:
    return {"fieldType": field_type, "optional": optional}


MALFORMED_VALIDATORS: list[tuple[object, str]] = [
    ("string", r'at \$: expected a validator object like \{"type": "string"\}, got "string"'),
    ({}, r'at \$: missing the "type" key'),
    ({"type": "text"}, r'at \$: unknown validator type "text"; expected one of any, array'),
    ({"type": 5}, r"at \$: unknown validator type 5"),
    ({"type": ["string"]}, r'at \$: unknown validator type \["string"\]'),
    ({"type": "string", "optional": True}, r'at \$: \{"type": "string"\} has no key "optional"'),
    ({"type": "array"}, r'at \$: \{"type": "array"\} needs the key "value"'),
    ({"type": "array", "value": [_string()]}, r"at \$\.value: expected a validator object"),
    ({"type": "id", "tableName": 5}, r"at \$: v.id\(tableName\) requires a string"),
    ({"type": "id", "tableName": "my-table"}, r"at \$: v.id\('my-table'\): invalid table name"),
    ({"type": "object", "value": []}, r"at \$\.value: expected an object, got \[\]"),
    ({"type": "object", "value": {"a": _string()}}, r"at \$\.value\.a: a field wrapper needs"),
    (
        {"type": "object", "value": {"a": _field(_string(), "yes")}},
        r'at \$\.value\.a\.optional: expected true or false, got "yes"',
    ),
    (
        {"type": "object", "value": {"a": _field({"type": "nope"})}},
        r'at \$\.value\.a\.fieldType: unknown validator type "nope"',
    ),
    (
        {"type": "object", "value": {"my-field": _field(_string())}},
        r"at \$: v.object\(\): field name 'my-field' is not a valid Convex identifier",
    ),
    (
        {
            "type": "object",
            "value": {"a": _field({"type": "object", "value": {"b c": _field(_string())}})},
        },
        r"at \$\.value\.a\.fieldType: v.object\(\): field name 'b c'",
    ),
    ({"type": "union", "value": {}}, r"at \$\.value: expected an array, got \{\}"),
    ({"type": "union", "value": [_string(), 5]}, r"at \$\.value\[1\]: expected a validator"),
    ({"type": "literal", "value": None}, r"at \$\.value: Value null is not a valid literal\."),
    ({"type": "literal", "value": [1]}, r"at \$\.value: Value \[1\.0\] is not a valid literal\."),
    ({"type": "literal", "value": {"$bytes": ""}}, r'at \$\.value: Value b"" is not a valid'),
    (
        {"type": "literal", "value": {"$float": float_b64(math.nan)}},
        r"at \$: v.literal\(nan\): Infinite or NaN values are not supported in literal validators",
    ),
    (
        {"type": "literal", "value": {"$float": float_b64(1.0)}},
        r"at \$\.value: Float 1 should be encoded as a number",
    ),
    (
        {"type": "literal", "value": {"$integer": "AQ=="}},
        r"at \$\.value: Received 1 bytes, expected 8 for \$integer",
    ),
    (
        {"type": "literal", "value": "\ud800"},
        r"at \$\.value: String .* is not valid UTF-8",
    ),
    (
        {"type": "record", "keys": _string(), "values": _field(_string(), True)},
        r"at \$: v.record\(\): Record validator cannot have optional values",
    ),
    (
        {"type": "record", "keys": {"type": "literal", "value": "a"}, "values": _field(_string())},
        r"at \$: v.record\(\): Records cannot have string literal keys",
    ),
    (
        {"type": "record", "keys": {"type": "any"}, "values": _field(_string())},
        r"at \$: v.record\(\): Records can only have string keys",
    ),
    (
        {"type": "record", "keys": _string(), "values": _string()},
        r'at \$\.values: a field wrapper needs the key "fieldType"',
    ),
]


@pytest.mark.parametrize(("obj", "pattern"), MALFORMED_VALIDATORS)
def test_malformed_validator_json_names_the_path(obj: object, pattern: str) -> None:
    with pytest.raises(SchemaError, match=r"^Invalid Convex validator JSON " + pattern):
        validator_from_json(obj)


def test_builder_refusals_apply_to_json() -> None:
    # 65 nested required objects: v.object() refuses it, so reading its JSON must too.
    obj: dict[str, Any] = _string()
    for _ in range(65):
        obj = {"type": "object", "value": {"a": {"fieldType": obj, "optional": False}}}
    with pytest.raises(
        SchemaError, match=r"at \$(\.value\.a\.fieldType)*: v.object\(\): no value can match"
    ):
        v.from_convex_json(obj)


def test_deep_or_cyclic_validator_json_is_a_schema_error() -> None:
    cyclic: dict[str, Any] = {"type": "union", "value": []}
    cyclic["value"].append(cyclic)
    with pytest.raises(SchemaError, match=f"nest deeper than {MAX_VALIDATOR_DEPTH} levels"):
        v.from_convex_json(cyclic)
    deep: dict[str, Any] = _string()
    for _ in range(MAX_VALIDATOR_DEPTH - 1):
        deep = {"type": "union", "value": [deep]}
    assert v.from_convex_json(deep).to_convex_json() == deep
    with pytest.raises(SchemaError, match=f"nest deeper than {MAX_VALIDATOR_DEPTH} levels"):
        v.from_convex_json({"type": "union", "value": [deep]})


# ---------------------------------------------------------------------------------------------
# Value encoding against `convexToJson`

ENCODE: list[tuple[object, Validator | None, str]] = [
    (None, None, "null"),
    (True, None, "true"),
    (False, v.boolean(), "false"),
    *((text, None, ts_str(text)) for text in AWKWARD),
    (0.0, None, "0"),
    (1.5, v.number(), "1.5"),
    (-0.0, None, "-0"),
    (math.nan, None, "NaN"),
    (math.inf, v.number(), "Infinity"),
    (-math.inf, None, "-Infinity"),
    (5e-324, None, "5e-324"),
    (1e21, None, "1e21"),
    (1, None, "1"),
    (-(2**53), None, "-(2 ** 53)"),
    (2**53, v.number(), "2 ** 53"),
    (1, v.int64(), "1n"),
    (-1, v.int64(), "-1n"),
    (INT64_MIN, v.int64(), "-(2n ** 63n)"),
    (INT64_MAX, v.int64(), "2n ** 63n - 1n"),
    (7, v.literal(7, int64=True), "7n"),
    (7, v.literal(7), "7"),
    (2**53, v.any(), "2 ** 53"),
    (2**53 + 1, v.any(), "2n ** 53n + 1n"),
    (-(2**60), v.any(), "-(2n ** 60n)"),
    (5, v.union(v.number(), v.int64()), "5"),
    (5, v.union(v.int64(), v.number()), "5n"),
    (5.0, v.union(v.int64(), v.number()), "5"),
    (b"", None, "new ArrayBuffer(0)"),
    (b"\x00\xff\x10abc", v.bytes(), "new Uint8Array([0, 255, 16, 97, 98, 99]).buffer"),
    ([], None, "[]"),
    ([1, "a", None, [2.5]], None, '[1, "a", null, [2.5]]'),
    ([1, 2], v.array(v.int64()), "[1n, 2n]"),
    (
        {"b": 1, "a": 2, "B": 3, "_": 4, " ": 5, "~": 6, "a b": 7, "aa": 8, "10": 9, "2": 10},
        None,
        '{b: 1, a: 2, B: 3, _: 4, " ": 5, "~": 6, "a b": 7, aa: 8, "10": 9, "2": 10}',
    ),
    (
        {"n": 3, "f": 3, "list": [1, 2**62]},
        v.object({"n": v.int64(), "f": v.number(), "o": v.optional(v.int64()), "list": v.any()}),
        "{n: 3n, f: 3, list: [1, 2n ** 62n]}",
    ),
    ({"y": -1, "x": 1}, v.record(v.string(), v.int64()), "{y: -1n, x: 1n}"),
    (
        [{"kind": "a", "n": 1}, {"kind": "b", "n": 1}],
        v.array(
            v.union(
                v.object({"kind": v.literal("a"), "n": v.int64()}),
                v.object({"kind": v.literal("b"), "n": v.number()}),
            )
        ),
        '[{kind: "a", n: 1n}, {kind: "b", n: 1}]',
    ),
    (
        {"at": COMMIT_TS, "n": 5, "any": [COMMIT_TS]},
        v.object({"at": v.commitTs(), "n": v.commitTs(), "any": v.any()}),
        "{at: jsonToConvex({$commitTs: null}), n: 5n, any: [jsonToConvex({$commitTs: null})]}",
    ),
    (
        {"deep": [[{"x": [b"\x01", -0.0, math.inf]}]]},
        None,
        "{deep: [[{x: [new Uint8Array([1]).buffer, -0, Infinity]}]]}",
    ),
]


@pytest.mark.parametrize("index", range(len(ENCODE)))
def test_value_encoding_equals_convex(index: int, convex: dict[str, Any]) -> None:
    value, validator, js = ENCODE[index]
    ours = to_convex_json(value, validator)
    assert same_json(ours, convex["encodings"][index]), (js, ours, convex["encodings"][index])


def test_dict_keys_are_sorted_like_the_backend() -> None:
    # Field-name rules allow only printable ASCII, where code point, UTF-16 and UTF-8 byte
    # order agree; JavaScript's output differs only by listing integer-like keys first.
    keys = ["b", "a", "B", "_", " ", "~", "a b", "aa", "10", "2"]
    encoded = to_convex_json(dict.fromkeys(keys, 1))
    assert list(encoded) == [" ", "10", "2", "B", "_", "a", "a b", "aa", "b", "~"]
    assert list(encoded) == sorted(keys, key=lambda k: k.encode("utf-16-be"))


def test_python_ints_need_a_validator_beyond_2_53() -> None:
    with pytest.raises(ValidationError) as caught:
        to_convex_json({"a": [2**53 + 1, -(2**60)]})
    assert [(i.path, i.code) for i in caught.value.issues] == [
        (("a", 0), "out_of_range"),
        (("a", 1), "out_of_range"),
    ]
    assert "Integer 9007199254740993 is outside the range of a Convex `Float64`" in str(
        caught.value
    )
    assert to_convex_json(2**53 + 1, v.int64()) == {"$integer": int_b64(2**53 + 1)}


def test_encoding_validates_first() -> None:
    with pytest.raises(ValidationError) as caught:
        to_convex_json({"n": "x"}, v.object({"n": v.int64()}))
    assert caught.value.issues[0].path == ("n",)
    with pytest.raises(ValidationError, match="BigInt 9223372036854775808 does not fit"):
        to_convex_json(2**63, v.int64())
    with pytest.raises(SchemaError, match="the validator must be built with v"):
        to_convex_json(1, {"type": "number"})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ((1, 2), "unsupported_type"),
        ({"$a": 1}, "invalid_field_name"),
        ({"é": 1}, "invalid_field_name"),
        ({1: 1}, "invalid_field_name"),
        ("\ud800", "invalid_string"),
        (2**64, "out_of_range"),
        (bytearray(b"x"), "unsupported_type"),
    ],
)
def test_encoding_refuses_what_is_no_convex_value(value: object, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        to_convex_json(value)
    assert caught.value.issues[0].code == code


def test_encoding_cyclic_value_is_a_validation_error() -> None:
    cyclic: list[object] = []
    cyclic.append(cyclic)
    with pytest.raises(ValidationError) as caught:
        to_convex_json(cyclic)
    assert caught.value.issues[0].code == "too_nested"


# ---------------------------------------------------------------------------------------------
# Value decoding against `jsonToConvex`

# Convex values described the same way in both languages, so decoded results can be compared.
DESCRIBE_JS = """
function describe(x) {
  if (typeof x === "bigint") return { int: x.toString() };
  if (x !== null && typeof x === "object" && x.constructor.name === "CommitTsPlaceholder") {
    return { commitTs: null };
  }
  if (typeof x === "number") {
    const bytes = new Uint8Array(new Float64Array([x]).buffer);
    return { float: Buffer.from(bytes).toString("base64") };
  }
  if (x instanceof ArrayBuffer) return { bytes: Buffer.from(x).toString("base64") };
  if (Array.isArray(x)) return x.map(describe);
  if (x !== null && typeof x === "object") {
    return { object: Object.keys(x).sort().map((k) => [k, describe(x[k])]) };
  }
  return x;
}
"""


def describe(value: object) -> object:
    if value is COMMIT_TS:
        return {"commitTs": None}
    if type(value) is int:
        return {"int": str(value)}
    if type(value) is float:
        return {"float": float_b64(value)}
    if type(value) is bytes:
        return {"bytes": base64.b64encode(value).decode()}
    if type(value) is list:
        return [describe(item) for item in value]
    if type(value) is dict:
        return {"object": [[key, describe(value[key])] for key in sorted(value)]}
    return value


DECODE_OK = [
    "null",
    "true",
    '"a\\u2028b"',
    "1",
    "1.5",
    "-0.0",
    "1e300",
    "[]",
    "{}",
    f'{{"$integer": "{int_b64(1)}"}}',
    f'{{"$integer": "{int_b64(-1)}"}}',
    f'{{"$integer": "{int_b64(INT64_MIN)}"}}',
    f'{{"$integer": "{int_b64(INT64_MAX)}"}}',
    f'{{"$float": "{float_b64(math.nan)}"}}',
    f'{{"$float": "{float_b64(math.inf)}"}}',
    f'{{"$float": "{float_b64(-math.inf)}"}}',
    f'{{"$float": "{float_b64(-0.0)}"}}',
    '{"$bytes": ""}',
    '{"$commitTs": null}',
    '{"at": {"$commitTs": null}, "n": {"$integer": "BQAAAAAAAAA="}}',
    '{"$bytes": "AQID/w=="}',
    '{"b": [1, {"$integer": "AQAAAAAAAAA="}], "a": {"c": null, "_d": "x"}, "10": 2, "2": 3}',
    '{"nested": {"$bytes": "AA=="}}',
]

# (JSON text, jsonToConvex's message, ours where it differs)
DECODE_ERRORS: list[tuple[str, str, str | None]] = [
    ('{"$integer": "AQ=="}', "Received 1 bytes, expected 8 for $integer", None),
    ('{"$integer": ""}', "Received 0 bytes, expected 8 for $integer", None),
    (
        f'{{"$integer": "{base64.b64encode(bytes(9)).decode()}"}}',
        "Received 9 bytes, expected 8 for $integer",
        None,
    ),
    ('{"$float": "AQ=="}', "Received 1 bytes, expected 8 for $float", None),
    *(
        (f'{{"$float": "{float_b64(x)}"}}', f"Float {text} should be encoded as a number", None)
        for x, text in [
            (1.0, "1"),
            (0.0, "0"),
            (-1.5, "-1.5"),
            (5e-324, "5e-324"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1e-7, "1e-7"),
            (1e-6, "0.000001"),
            (123456.789, "123456.789"),
            (2.0**70, "1.1805916207174113e+21"),
            (0.1 + 0.2, "0.30000000000000004"),
        ]
    ),
    (
        '{"$bytes": 5}',
        "Malformed $bytes field on [object Object]",
        "Malformed $bytes field on {$bytes: 5}",
    ),
    (
        '{"$integer": null}',
        "Malformed $integer field on [object Object]",
        "Malformed $integer field on {$integer: null}",
    ),
    (
        '{"$float": 1}',
        "Malformed $float field on [object Object]",
        "Malformed $float field on {$float: 1}",
    ),
    ('{"$set": []}', "Received a Set which is no longer supported as a Convex type.", None),
    ('{"$map": []}', "Received a Map which is no longer supported as a Convex type.", None),
    # Field names: JavaScript says "a '$'", the backend (and vschema) says "'$'".
    (
        '{"$foo": 1}',
        "Field name $foo starts with a '$', which is reserved.",
        "Field name $foo starts with '$', which is reserved.",
    ),
    (
        '{"$integer": "AQAAAAAAAAA=", "b": 1}',
        "Field name $integer starts with a '$', which is reserved.",
        "Field name $integer starts with '$', which is reserved.",
    ),
    ('[1, {"a": {"$float": "AAAAAAAA8D8="}}]', "Float 1 should be encoded as a number", None),
]


@pytest.mark.parametrize("index", range(len(DECODE_OK)))
def test_value_decoding_equals_convex(index: int, convex: dict[str, Any]) -> None:
    text = DECODE_OK[index]
    assert convex["decodings"][index] == {"ok": describe(from_convex_json(json.loads(text)))}, text


@pytest.mark.parametrize("index", range(len(DECODE_ERRORS)))
def test_decoding_errors_equal_convex(index: int, convex: dict[str, Any]) -> None:
    text, convex_message, our_message = DECODE_ERRORS[index]
    assert convex["decodings"][len(DECODE_OK) + index] == {"error": convex_message}
    with pytest.raises(ValidationError) as caught:
        from_convex_json(json.loads(text))
    assert caught.value.issues[0].message == (our_message or convex_message)


def test_decoding_errors_carry_path_and_code() -> None:
    with pytest.raises(ValidationError) as caught:
        from_convex_json([1, {"a": {"$integer": "AQ=="}, "b": {"$set": []}}, {"$x": 1}])
    assert [(i.path, i.code) for i in caught.value.issues] == [
        ((1, "a"), "invalid_encoding"),
        ((1, "b"), "invalid_encoding"),
        ((2, "$x"), "invalid_field_name"),
    ]


@pytest.mark.parametrize(
    ("obj", "code", "message"),
    [
        ((1,), "invalid_encoding", "Unexpected type tuple: Convex JSON is made of dict, list,"),
        ({"a": b"x"}, "invalid_encoding", "Unexpected type bytes"),
        ({"a": {1, 2}}, "invalid_encoding", "Unexpected type set"),
        ({"$commitTs": 5}, "invalid_encoding", "Malformed $commitTs field on {$commitTs: 5}"),
        ({"$bytes": "AQ"}, "invalid_encoding", 'Malformed $bytes field on {$bytes: "AQ"}: not'),
        ({"$bytes": "A?=="}, "invalid_encoding", "Malformed $bytes field"),
        (2**53 + 1, "invalid_encoding", "Arbitrary precision JSON integers unsupported"),
        (10**400, "invalid_encoding", "Arbitrary precision JSON integers unsupported"),
        ("\ud800", "invalid_string", "String"),
        ({"é": 1}, "invalid_field_name", "Field name é has invalid character"),
        ([0] * 8193, "too_long", "Array length is too long (8193 > maximum length 8192)"),
    ],
)
def test_decoding_refusals(obj: object, code: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        from_convex_json(obj)
    issue = caught.value.issues[0]
    assert (issue.code, issue.message[: len(message)]) == (code, message)


def test_json_numbers_decode_as_floats() -> None:
    assert same_value(from_convex_json([1, 2**60, -0.0, 2.5]), [1.0, 2.0**60, -0.0, 2.5])


def test_deep_and_cyclic_json_is_a_validation_error() -> None:
    cyclic: list[object] = []
    cyclic.append(cyclic)
    deep: object = [{"$integer": int_b64(1)}]
    for _ in range(63):
        deep = [deep]
    assert from_convex_json(deep) is not None  # 64 levels, a special object at the bottom
    for obj in (cyclic, [deep], {"a": cyclic}):
        with pytest.raises(ValidationError) as caught:
            from_convex_json(obj)
        assert caught.value.issues[0].code == "too_nested"


@pytest.fixture(scope="module")
def convex() -> dict[str, Any]:
    """What ``convex/values`` makes of every corpus above, from one node process."""
    validators = ",\n".join(f"() => {ts}" for _, ts in VALIDATORS)
    values = ",\n".join(js for _, _, js in ENCODE)
    texts = DECODE_OK + [text for text, _, _ in DECODE_ERRORS]
    script = f"""
import {{ v, convexToJson, jsonToConvex }} from "convex/values";
{DESCRIBE_JS}
{PRINT_JSON_JS}
const validators = [
{validators}
];
const values = [
{values}
];
const texts = {json.dumps(texts)};
let bigintLiteralError = null;
try {{ v.literal(2n ** 63n).json; }} catch (e) {{ bigintLiteralError = e.message; }}
printJson({{
  validators: validators.map((make) => make().json),
  encodings: values.map(convexToJson),
  decodings: texts.map((text) => {{
    try {{ return {{ ok: describe(jsonToConvex(JSON.parse(text))) }}; }}
    catch (e) {{ return {{ error: e.message }}; }}
  }}),
  bigint_literal_error: bigintLiteralError,
}});
"""
    return run_node_json(script)  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------
# Round trips (Hypothesis)

IDENTIFIERS = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True).filter(
    lambda name: name.strip("_") != ""
)
TEXT = st.text(st.characters(codec="utf-8"), max_size=8)  # no lone surrogates
FINITE = st.floats(allow_nan=False, allow_infinity=False)

literals = st.one_of(
    TEXT.map(v.literal),
    st.booleans().map(v.literal),
    st.integers(-(2**53), 2**53).map(v.literal),
    FINITE.map(v.literal),
    st.integers(INT64_MIN, INT64_MAX).map(lambda n: v.literal(n, int64=True)),
)
leaves = st.one_of(
    st.sampled_from([v.string(), v.number(), v.int64(), v.boolean(), v.null(), v.bytes(), v.any()]),
    IDENTIFIERS.map(v.id),
    literals,
)
record_keys = st.one_of(
    st.just(v.string()),
    IDENTIFIERS.map(v.id),
    st.lists(IDENTIFIERS.map(v.id), max_size=3).map(lambda ids: v.union(*ids)),
)


def _extend(inner: st.SearchStrategy[Validator]) -> st.SearchStrategy[Validator]:
    fields = st.dictionaries(IDENTIFIERS, st.tuples(inner, st.booleans()), max_size=4).map(
        lambda spec: {name: f.optional() if opt else f for name, (f, opt) in spec.items()}
    )
    return st.one_of(
        inner.map(v.array),
        fields.map(v.object),
        st.builds(v.record, record_keys, inner),
        st.lists(inner, max_size=4).map(lambda members: v.union(*members)),
        inner.map(v.nullable),
    )


validators = st.recursive(leaves, _extend, max_leaves=12)


@given(validators, st.booleans())
def test_validator_json_round_trip(validator: Validator, optional: bool) -> None:
    obj = validator.to_convex_json()
    assert v.from_convex_json(obj) == validator
    via_text = v.from_convex_json(json.loads(json.dumps(obj)))
    assert via_text == validator
    assert repr(via_text) == repr(validator)
    # A top-level optional flag has no place in the JSON; a field's flag does.
    if optional:
        assert validator.optional().to_convex_json() == obj
        field = v.object({"f": validator.optional()})
        assert v.from_convex_json(field.to_convex_json()) == field


@given(strategies.validators())
def test_generated_validator_json_round_trip(validator: Validator) -> None:
    """The validators `vschema.strategies` draws (tagged unions, int64 literals, -0.0, IDs)."""
    obj = validator.to_convex_json()
    via_text = v.from_convex_json(json.loads(json.dumps(obj, allow_nan=False)))
    assert via_text == validator
    assert repr(via_text) == repr(validator)
    assert via_text.to_convex_json() == obj


def same_number_value(a: object, b: object) -> bool:
    """`same_value`, except that an int may come back as the float of the same value."""
    if type(a) is int and type(b) is float:
        return float(a) == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_number_value(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(same_number_value, a, b))
    return same_value(a, b)


@settings(max_examples=100)
@given(st.data())
def test_value_round_trip_through_its_validator(data: st.DataObject) -> None:
    """Values `from_validator` draws encode under their validator, decode, and stay valid."""
    validator = data.draw(strategies.validators(max_depth=2))
    values = strategies.from_validator(validator)
    assume(not values.is_empty)
    value = data.draw(values)
    encoded = to_convex_json(value, validator)
    decoded = from_convex_json(json.loads(json.dumps(encoded, allow_nan=False)))
    assert validator.is_valid(decoded), (validator, value, decoded)
    assert same_number_value(value, decoded)
    assert same_json(to_convex_json(decoded, validator), encoded, js=False)


BIG_INTS = st.integers(INT64_MIN, -(2**53) - 1) | st.integers(2**53 + 1, INT64_MAX)
FIELD_NAMES = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=6).filter(
    lambda name: not name.startswith("$")
)
# Convex values as `from_convex_json` returns them: Int64 as big ints (small ones come back as
# floats, see below), floats of every kind, NaN payloads included.
convex_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        TEXT,
        st.floats(),
        BIG_INTS,
        st.binary(max_size=8),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(FIELD_NAMES, inner, max_size=4)
    ),
    max_leaves=16,
)


@given(convex_values)
def test_value_round_trip(value: object) -> None:
    encoded = to_convex_json(value, v.any())
    assert same_value(from_convex_json(encoded), value)
    text = json.dumps(encoded, allow_nan=False)  # Convex JSON is plain JSON
    assert same_value(from_convex_json(json.loads(text)), value)
    # Decoding then encoding is the identity on Convex's JSON.
    assert same_json(to_convex_json(from_convex_json(encoded), v.any()), encoded, js=False)


@given(st.lists(st.integers(INT64_MIN, INT64_MAX), max_size=5))
def test_int64_round_trip(numbers: list[int]) -> None:
    encoded = to_convex_json(numbers, v.array(v.int64()))
    assert all(set(item) == {"$integer"} for item in encoded)
    assert same_value(from_convex_json(encoded), numbers)


@given(st.integers(-(2**53), 2**53), st.sampled_from([None, v.number(), v.any()]))
def test_small_ints_encode_as_numbers(number: int, validator: Validator | None) -> None:
    encoded = to_convex_json(number, validator)
    assert type(encoded) is int
    assert same_value(from_convex_json(encoded), float(number))
