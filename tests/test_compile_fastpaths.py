"""The compiled fast paths agree with the reference interpreter, shape by shape.

`_compile` takes shortcuts the interpreter does not: bulk checks of scalar arrays and record
values (`map`, `str.join`), one pass over a record's keys, tagged unions checked inline or through
a table, and an explainer that skips valid subtrees. Each test here pits one shortcut against
`_interpret.explain` on the values most likely to split them: the bulk threshold, the edges of
every scalar rule, bad keys anywhere among many good ones, and tags of every wrong type.
"""

from __future__ import annotations

import enum
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vschema import ValidationError, Validator, v
from vschema.strategies import from_validator, invalid, validators
from vschema.validators._compile import _BULK, _BULK_INT64, compile_exact_check, explain
from vschema.validators._interpret import explain as reference
from vschema.validators._interpret import explain_exact_numbers, first_issue


class Colour(enum.IntEnum):
    RED = 1


class Text(str):
    pass


def assert_agree(validator: Validator, value: object) -> None:
    """Verdict, issues from `errors()` and from `validate()` all equal the interpreter's."""
    issues = reference(validator, value)
    assert validator.is_valid(value) == (not issues), (validator, value, issues)
    assert explain(validator, value) == issues or not issues, (validator, value)
    assert validator.errors(value) == issues, (validator, value)
    # Fail-fast stops at the first issue collect-all reports.
    assert first_issue(validator, value) == (issues[0] if issues else None), (validator, value)
    if issues:
        with pytest.raises(ValidationError) as caught:
            validator.validate(value)
        assert list(caught.value.issues) == issues
    else:
        assert validator.validate(value) is value


# --------------------------------------------------------------------------------------------
# Random validators and values

junk = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.sampled_from([0, 1, -1, 2**53, 2**53 + 1, -(2**63), 2**63, 2**63 - 1, 1.0, -0.0]),
        st.floats(allow_nan=True),
        st.text(max_size=4),
        st.sampled_from(["kind", "a", "\ud800", "$x", "é"]),
        st.binary(max_size=2),
        st.builds(bytearray, st.binary(max_size=2)),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner),
        st.dictionaries(st.sampled_from(["a", "b", "kind", "tag", "$a", "é", "", "\n"]), inner),
        st.dictionaries(st.integers(0, 3), inner, max_size=2),
    ),
    max_leaves=10,
)


@given(st.data())
def test_random_validators_on_valid_and_one_flaw_values(data: st.DataObject) -> None:
    validator = data.draw(validators(max_depth=3))
    value = data.draw(st.one_of(from_validator(validator), junk))
    assert_agree(validator, value)
    if data.draw(st.booleans()):
        bad, expected = data.draw(invalid(validator))
        assert_agree(validator, bad)
        assert expected.matches(validator.errors(bad)[0])


# --------------------------------------------------------------------------------------------
# Bulk checks of scalar arrays and record values

SIZES = [0, 1, _BULK - 1, _BULK, _BULK + 1, _BULK_INT64 - 1, _BULK_INT64, 200]
EDGES: dict[str, tuple[list[Any], list[Any]]] = {
    # kind: (good items, bad items)
    "string": (["a", "é", "😀", ""], ["\ud800", "a\udc00", 1, None, b"a", Text("a")]),
    "float64": (
        [0.5, -0.0, float("nan"), float("inf"), 2**53, -(2**53), 0, 1e300],
        [2**53 + 1, -(2**53) - 1, True, "1", None, Colour.RED],
    ),
    "int64": ([0, -1, 2**63 - 1, -(2**63)], [2**63, -(2**63) - 1, True, 1.0, "1", Colour.RED]),
    "boolean": ([True, False], [0, 1, None, "true"]),
}
ELEMENTS = {
    "string": v.string(),
    "float64": v.float64(),
    "int64": v.int64(),
    "boolean": v.boolean(),
}


def _filled(good: list[Any], size: int) -> list[Any]:
    return [good[i % len(good)] for i in range(size)]


@pytest.mark.parametrize("kind", sorted(EDGES))
@pytest.mark.parametrize("size", SIZES)
def test_bulk_arrays_and_record_values(kind: str, size: int) -> None:
    good, bad = EDGES[kind]
    array, record = v.array(ELEMENTS[kind]), v.record(v.string(), ELEMENTS[kind])
    items = _filled(good, size)
    assert_agree(array, items)
    assert_agree(record, {f"k{i}": item for i, item in enumerate(items)})
    for wrong in bad:
        for where in {0, size // 2, size - 1} if size else {0}:
            spoiled = [*items[:where], wrong, *items[where + 1 :]] if size else [wrong]
            assert_agree(array, spoiled)
            assert_agree(record, {f"k{i}": item for i, item in enumerate(spoiled)})


def test_bulk_floats_mixed_with_ints() -> None:
    array = v.array(v.float64())
    items: list[Any] = [0.5] * 50 + [3] * 50
    assert_agree(array, items)
    assert_agree(array, [*items, 2**53 + 1])
    assert_agree(array, [2**53 + 1, *items])
    assert_agree(array, [1] * 100)
    assert_agree(array, [*([1] * 100), -(2**53) - 1])


def test_arrays_at_the_length_limit() -> None:
    for validator in (v.array(v.int64()), v.array(v.string()), v.array(v.array(v.null()))):
        assert_agree(validator, [])
        item: Any = [] if isinstance(validator.element, type(validator)) else 0  # type: ignore[attr-defined]
        if validator.element == v.string():  # type: ignore[attr-defined]
            item = "s"
        assert_agree(validator, [item] * 8192)
        assert_agree(validator, [item] * 8193)


# --------------------------------------------------------------------------------------------
# Record keys

BAD_KEYS = [
    "$x",
    "é",
    "a\nb",
    "\n",
    "\x00",
    "\t",
    "\x7f",
    "k" * 1025,
    "k" * 2000,
    "\ud800",
    1,
    None,
    Text("t"),
]
GOOD_KEYS = ["", " ", "a$", "x $y", "~", "k" * 1024, "a b", "_id"]


@pytest.mark.parametrize("size", [0, 3, _BULK - 1, _BULK, 120])
def test_record_keys_among_many(size: int) -> None:
    record = v.record(v.string(), v.float64())
    base: dict[Any, Any] = {f"key{i:03d}": float(i) for i in range(size)}
    assert_agree(record, base)
    assert_agree(record, {**base, **dict.fromkeys(GOOD_KEYS, 1.0)})
    for key in BAD_KEYS:
        assert_agree(record, {**base, key: 1.0})
        assert_agree(record, {key: 1.0, **base})
        assert_agree(record, {**base, key: 1.0, "zz": "bad value"})
    assert_agree(record, {**base, "\n$": 1.0})
    assert_agree(record, {**base, "a": "one", "b": True, "c": 2**60})


def test_record_keys_of_ids_and_unions() -> None:
    table_id = "k57c9mx7sh6sz4g2ttjkbz5fdh7aqwpg"  # a valid ID of some table
    for key in (v.id("users"), v.union(v.string(), v.id("users"))):
        record = v.record(key, v.array(v.int64()))
        assert_agree(record, {table_id: [1, 2]})
        assert_agree(record, {table_id: [1, "2"], "nope": [1]})
        assert_agree(record, {"$x": [], table_id: [True]})


def test_record_values_that_are_containers() -> None:
    record = v.record(v.string(), v.object({"a": v.int64(), "b": v.optional(v.string())}))
    good = {f"k{i}": {"a": i} for i in range(40)}
    assert_agree(record, good)
    assert_agree(record, {**good, "k7": {"a": "x"}, "k3": {"a": 1, "c": 2}, "k1": None})


# --------------------------------------------------------------------------------------------
# Tagged unions: inline up to four members, through a table beyond


def _tagged(members: int) -> Validator:
    return v.union(
        *(
            v.object(
                {"kind": v.literal(f"m{i}"), "value": v.int64(), "note": v.optional(v.string())}
            )
            for i in range(members)
        )
    )


@pytest.mark.parametrize("members", [2, 4, 5, 9])
def test_tagged_unions(members: int) -> None:
    union = _tagged(members)
    last = f"m{members - 1}"
    for value in (
        {"kind": "m0", "value": 1},
        {"kind": last, "value": 1, "note": "n"},
        {"kind": last, "value": "1"},
        {"kind": last, "value": 1, "note": None},
        {"kind": last, "value": 1, "extra": 1},
        {"kind": last},
        {"kind": "nope", "value": 1},
        {"kind": Text("m0"), "value": 1},
        {"kind": ["m0"], "value": 1},  # unhashable tags must not break the lookup
        {"kind": None, "value": 1},
        {"value": 1},
        [],
        None,
    ):
        assert_agree(union, value)
        assert_agree(v.object({"u": union, "z": v.string()}), {"u": value, "z": 1})
        assert_agree(v.array(union), [{"kind": "m0", "value": 1}, value])


def test_tagged_unions_with_several_tags_per_member() -> None:
    union = v.union(
        v.object({"t": v.union(v.literal("a"), v.literal("b")), "x": v.int64()}),
        v.object({"t": v.literal("c"), "y": v.string()}),
    )
    for value in ({"t": "a", "x": 1}, {"t": "b", "x": "1"}, {"t": "c", "y": 1}, {"t": "d"}):
        assert_agree(union, value)


# --------------------------------------------------------------------------------------------
# The explainer at depth: helper functions, Python's block limit, Convex's nesting limit


def _nested(levels: int, leaf: Validator) -> Validator:
    node = leaf
    for i in range(levels):
        node = v.object({"child": node, "n": v.int64()}) if i % 2 else v.array(node)
    return node


def _value(levels: int, leaf: Any) -> Any:
    value = leaf
    for i in range(levels):
        value = {"child": value, "n": i} if i % 2 else [value]
    return value


@pytest.mark.parametrize("levels", [3, 12, 25, 63, 64])
def test_deep_validators(levels: int) -> None:
    validator = _nested(levels, v.string())
    assert_agree(validator, _value(levels, "ok"))
    assert_agree(validator, _value(levels, 1))
    assert_agree(validator, _value(levels, "\ud800"))


def _nullable_chain(levels: int) -> Validator:
    node: Validator = v.string()
    for _ in range(levels):
        node = v.nullable(v.object({"a": v.optional(node), "b": v.int64()}))
    return node


def _chain_value(levels: int, leaf: object) -> Any:
    value: Any = None
    for i in range(levels):
        value = {"b": leaf} if i == 0 else {"a": value, "b": 1}
    return value


@pytest.mark.parametrize("levels", [10, 40, 64])
def test_deep_chains_of_nullable_objects_compile(levels: int) -> None:
    # Each level nests the check's `if`s deeper without a loop or try block; past Python's
    # limit of 100 indentation levels the source would not compile.
    validator = _nullable_chain(levels)
    for value in (None, {"b": 1}, _chain_value(levels, 1), _chain_value(levels, "x"), {"a": 1}):
        assert_agree(validator, value)


def test_explaining_nested_unions_takes_a_walk_per_level_not_two(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A union asks each member for its first issue; asking twice per level made the work grow
    # as 2**levels on a bad value deep inside nested nullable objects.
    from vschema.validators import _interpret

    calls = 0
    original = _interpret.first_issue

    def counted(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        return original(*args)

    monkeypatch.setattr(_interpret, "first_issue", counted)
    counts = []
    for levels in (12, 24):
        calls = 0
        issues = reference(_nullable_chain(levels), _chain_value(levels, "x"))
        assert issues
        counts.append(calls)
    # Linear in depth: each level asks a bounded number of questions (answers a union's walk
    # already has are remembered, so asking again is a lookup).
    assert counts[0] <= 8 * 12
    assert counts[1] <= 2.2 * counts[0]


def test_too_deep_values_under_any_and_records() -> None:
    deep: Any = "x"
    for _ in range(70):
        deep = [deep]
    for validator in (v.any(), v.record(v.string(), v.any()), v.object({"a": v.any()})):
        assert_agree(validator, {"a": deep})
        assert_agree(validator, deep)


def test_nullable_objects_and_plain_unions() -> None:
    nullable = v.object({"o": v.nullable(v.object({"a": v.string()}))})
    for value in ({"o": None}, {"o": {"a": "x"}}, {"o": {"a": 1}}, {"o": 3}, {}):
        assert_agree(nullable, value)
    plain = v.union(v.object({"a": v.string()}), v.array(v.int64()), v.string())
    for value in ({"a": 1}, [1, "2"], "s", 1, {"b": 1}):
        assert_agree(plain, value)


# --------------------------------------------------------------------------------------------
# `validate` and `errors` run the check as a locator: for an object, the failing field's place in
# check order (optional fields first, then required, each in definition order), so the explainer
# skips the fields before it. Sorted order, check order and definition order all differ here.

LOCATED = v.object(
    {
        "m": v.string(),
        "z": v.optional(v.int64()),
        "b": v.object({"y": v.string(), "a": v.optional(v.float64())}),
        "k": v.array(v.object({"n": v.int64()})),
        "a": v.optional(v.object({"q": v.boolean()})),
        "r": v.record(v.string(), v.array(v.int64())),
        "u": v.union(
            v.object({"kind": v.literal("p"), "w": v.int64()}),
            v.object({"kind": v.literal("q")}),
        ),
        "n": v.nullable(v.object({"s": v.string()})),
        "t": v.array(v.string()),
        "y": v.any(),
        "c": v.union(v.literal("x"), v.literal("y"), v.literal("z")),
    }
)
LOCATED_GOOD: dict[str, Any] = {
    "m": "text",
    "z": 1,
    "b": {"y": "y", "a": 0.5},
    "k": [{"n": 1}, {"n": 2}],
    "a": {"q": True},
    "r": {"r1": [1], "r2": []},
    "u": {"kind": "p", "w": 3},
    "n": {"s": "s"},
    "t": ["a", "b"],
    "y": [1, {"d": None}],
    "c": "z",
}
LOCATED_BAD: dict[str, list[Any]] = {
    "m": [1, "\ud800"],
    "z": ["1", 2**63, None],
    "b": [{"y": 1}, {"y": "y", "a": True}, {"y": "y", "x": 1}, {}, [], {"y": 1, "a": "a"}],
    "k": [[{"n": "1"}], [{"n": 1}, {}], ({"n": 1},), [{"n": 1}, {"n": 2.0}, 3]],
    "a": [{"q": 1}, {}, None],
    "r": [{"r1": [1, "2"]}, {"$r": []}, {"r1": [], "r2": 1}, []],
    "u": [{"kind": "p", "w": "3"}, {"kind": "x"}, {"kind": "q", "w": 1}, {"kind": 1}, "p"],
    "n": [{"s": 1}, {}, 1, "s"],
    "t": [["a", 1], "ab", ["\udc00", 2, None]],
    "y": [{1, 2}, {"$bad": 1}],
    "c": ["w", 1, None],
}


def _with(**changes: Any) -> dict[str, Any]:
    value = dict(LOCATED_GOOD)
    for name, new in changes.items():
        if new is _ABSENT:
            del value[name]
        else:
            value[name] = new
    return value


_ABSENT = object()


@pytest.mark.parametrize("name", sorted(LOCATED_BAD))
def test_located_one_bad_field(name: str) -> None:
    assert_agree(LOCATED, LOCATED_GOOD)
    for bad in LOCATED_BAD[name]:
        assert_agree(LOCATED, _with(**{name: bad}))


@pytest.mark.parametrize("first", sorted(LOCATED_BAD))
def test_located_two_bad_fields(first: str) -> None:
    # The locator stops at whichever field it checks first; the explainer must still report
    # every issue, in sorted order, including fields it checks before or after that one.
    for second in sorted(LOCATED_BAD):
        if second != first:
            assert_agree(
                LOCATED, _with(**{first: LOCATED_BAD[first][0], second: LOCATED_BAD[second][-1]})
            )


def test_located_bad_field_and_bad_shape() -> None:
    # A failing optional field is checked before the object's length: a missing or extra field
    # as well must still be reported, with everything else.
    for name in ("z", "a", "m", "c"):
        bad = LOCATED_BAD[name][0]
        assert_agree(LOCATED, {**_with(**{name: bad}), "extra": 1})
        assert_agree(LOCATED, _with(**{name: bad, "b": _ABSENT}))
        assert_agree(LOCATED, _with(**{name: bad, "z": _ABSENT}))
    for value in (None, [], "x", {}, {"m": 1}):
        assert_agree(LOCATED, value)


@pytest.mark.parametrize(
    "validator",
    [
        v.object({}),
        v.object({"o": v.optional(v.string())}),
        v.object({"only": v.int64()}),
        v.array(v.object({"a": v.int64(), "b": v.string()})),
        v.record(v.string(), v.object({"a": v.int64()})),
        v.union(
            v.object({"kind": v.literal("a"), "x": v.int64()}), v.object({"kind": v.literal("b")})
        ),
        v.union(v.object({"a": v.string()}), v.null()),
    ],
    ids=repr,
)
def test_located_roots_of_every_kind(validator: Validator) -> None:
    for value in (
        {},
        {"o": 1},
        {"o": "s", "x": 1},
        {"only": "1"},
        [{"a": 1, "b": 2}, {"a": "1", "b": "2"}],
        {"k": {"a": "1"}, "j": {"a": 1}},
        {"kind": "a", "x": "1"},
        {"kind": "b", "x": 1},
        {"a": 1},
        None,
        7,
    ):
        assert_agree(validator, value)


# --------------------------------------------------------------------------------------------
# The explainer words wrong-type issues itself, around a shortcut for common displays

SCALARS = [
    v.string(),
    v.float64(),
    v.int64(),
    v.boolean(),
    v.null(),
    v.bytes(),
    v.optional(v.int64()),
]
SHOWN: list[Any] = [
    None,
    True,
    0,
    -(2**63) - 1,
    2**64,
    1.5,
    float("nan"),
    -0.0,
    "",
    "1234",
    'say "hi"',
    "back\\slash",
    "tab\there",
    "new\nline",
    "é",
    "\ud800",
    "x" * 400,
    "x" * 401,
    Text("sub"),
    Colour.RED,
    b"\x00",
    [1, "a"],
    {"a": 1},
    ("t",),
    object,
]


@pytest.mark.parametrize("field", SCALARS, ids=repr)
def test_wrong_type_issues_match_the_interpreter(field: Validator) -> None:
    element = field.required()
    for value in SHOWN:
        assert_agree(element, value)
        assert_agree(v.object({"a": field, "b": v.string()}), {"a": value, "b": 1})
        assert_agree(v.array(element), [value, value])
        assert_agree(v.record(v.string(), element), {"k": value})
        assert_agree(
            v.union(
                v.object({"kind": v.literal("x"), "a": field}),
                v.object({"kind": v.literal("y")}),
            ),
            {"kind": "x", "a": value},
        )


def test_wrong_type_shortcut_displays_exactly() -> None:
    from vschema.validators._display import display_value
    from vschema.validators._display import show_value as _show

    for value in SHOWN:
        assert _show(value) == display_value(value), value


# --------------------------------------------------------------------------------------------
# Exact numbers (a snapshot export's reading: an `int` is an Int64, never a Float64)


def _floats_for_ints(value: object) -> object:
    """``value`` with every `int` (not `bool`) that a float holds exactly turned into that
    float, so the slots where a Float64 belongs now hold one (and Int64 slots no longer)."""
    if type(value) is int and abs(value) <= 2**53:
        return float(value)
    if type(value) is list:
        return [_floats_for_ints(item) for item in value]
    if type(value) is dict:
        return {key: _floats_for_ints(item) for key, item in value.items()}
    return value


def assert_exact_agree(validator: Validator, value: object) -> None:
    """The compiled exact-numbers check says yes exactly when the interpreter's exact walk
    finds no issue; an exact refusal of what the usual reading accepts involves an `int`."""
    issues = explain_exact_numbers(validator, value)
    assert compile_exact_check(validator)(value) == (not issues), (validator, value, issues)
    usual = reference(validator, value)
    if not usual and issues:
        assert "Int64" in issues[0].message or "does not match" in issues[0].message
    # The mode ends with the walk: the usual reading is untouched.
    assert validator.is_valid(value) == (not usual)


@given(st.data())
def test_exact_numbers_compiled_and_interpreter_agree(data: st.DataObject) -> None:
    validator = data.draw(validators(max_depth=3))
    value = data.draw(st.one_of(from_validator(validator), junk))
    assert_exact_agree(validator, value)
    assert_exact_agree(validator, _floats_for_ints(value))


NUMBER_SHAPES = [
    v.number(),
    v.float64(),
    v.literal(1),
    v.literal(1.0),
    v.literal(0),
    v.literal(-0.0),
    v.literal(2.0**60),
    v.union(v.literal(1), v.literal(2), v.literal(3)),
    v.union(v.literal(1), v.literal(2), v.literal(3), v.literal(1, int64=True)),
    v.union(v.number(), v.int64()),
    v.union(v.number(), v.string()),
    v.int64(),
    v.any(),
]


@pytest.mark.parametrize("shape", NUMBER_SHAPES, ids=repr)
@pytest.mark.parametrize("size", [1, _BULK - 1, _BULK + 1])
def test_exact_numbers_every_number_shape(shape: Validator, size: int) -> None:
    for number in [0, 1, -1, 2, 2**53, 2**60, 0.0, -0.0, 1.0, 2.0, 1.5, float("nan"), True]:
        assert_exact_agree(shape, number)
        assert_exact_agree(v.array(shape), [1.0] * (size - 1) + [number])
        assert_exact_agree(v.record(v.string(), shape), {f"k{i}": number for i in range(size)})
        assert_exact_agree(
            v.object({"a": v.optional(shape), "b": v.string()}), {"a": number, "b": ""}
        )


def test_exact_numbers_refuse_ints_for_float64_only() -> None:
    assert not compile_exact_check(v.number())(1)
    assert compile_exact_check(v.number())(1.0)
    assert compile_exact_check(v.int64())(1)
    assert not compile_exact_check(v.literal(1))(1)
    assert compile_exact_check(v.literal(1))(1.0)
    assert compile_exact_check(v.literal(1, int64=True))(1)
    assert compile_exact_check(v.any())([1, 1.0])
    (issue,) = explain_exact_numbers(v.object({"n": v.number()}), {"n": 7})
    assert issue.path == ("n",)
    assert issue.code == "no_match"
    assert issue.message == (
        "Value does not match validator.\nValue: 7\nValidator: v.float64()\n"
        "The value is an Int64 (an integer without a decimal point), where a Float64 is expected."
    )
    (issue,) = explain_exact_numbers(v.literal(1.0), 1)
    assert issue.code == "literal_mismatch"
    assert issue.message.startswith("`1` does not match literal validator `v.literal(1.0)`.")
    assert issue.message.endswith("where a Float64 is expected.")
    # The usual reading, before and after: an int is a Float64.
    assert v.number().is_valid(7)
    assert v.literal(1.0).is_valid(1)
    assert reference(v.number(), 7) == []
