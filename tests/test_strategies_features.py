"""The strategy features a test suite asks for: overrides, IDs of existing rows, partial
updates, JSON-safe and Convex JSON draws, and size control (issue 17).

Every property here is checked on every draw; the ``find`` calls show that what a feature
promises is actually drawn (each raises ``NoSuchExample`` when it is not).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from vschema import (
    Validator,
    define_schema,
    define_table,
    from_convex_json,
    new_id,
    to_convex_json,
    v,
)
from vschema.strategies import (
    for_patch,
    for_table,
    from_validator,
    invalid_for_table,
    validators,
)
from vschema.validators._ids import id_error

_EMAILS = ["ada@example.com", "grace@example.org"]
_CITIES = ["Oslo", "Lima"]
_USER_IDS = [new_id(1, bytes([i]) * 16) for i in range(3)]
_COMMENT_IDS = [new_id(2, bytes([i]) * 16) for i in range(3)]

_ADDRESS = v.object({"city": v.string(), "zip": v.string()})

schema = define_schema(
    {
        "users": define_table(
            v.object(
                {
                    "name": v.string(),
                    "email": v.string(),
                    "avatar": v.optional(v.bytes()),
                    # The same object in two places: an override of one is not the other's.
                    "home": v.optional(_ADDRESS),
                    "work": v.nullable(_ADDRESS),
                    "score": v.float64(),
                    "tags": v.array(v.string()),
                    "links": v.record(v.string(), v.array(v.int64())),
                }
            )
        ),
        "comments": define_table(
            v.object(
                {
                    "author": v.id("users"),
                    "parent": v.optional(v.id("comments")),
                    "file": v.optional(v.id("files")),
                    "votes": v.record(v.id("users"), v.boolean()),
                    "extra": v.any(),
                }
            )
        ),
        "files": define_table(v.object({"blob": v.bytes(), "name": v.string()})),
        "events": define_table(
            v.union(
                v.object({"kind": v.literal("click"), "x": v.float64(), "note": v.string()}),
                v.object({"kind": v.literal("key"), "key": v.string(), "note": v.string()}),
            )
        ),
        "blobs": define_table(v.any()),
    }
)


def _drawn(
    strategy: st.SearchStrategy[Any], wanted: Callable[[Any], bool], examples: int = 100
) -> bool:
    """Whether ``strategy`` draws a value ``wanted`` accepts within ``examples`` draws (a
    bounded `find` that does not shrink what it finds)."""
    seen: list[Any] = []

    @settings(max_examples=examples, database=None, derandomize=True)
    @given(strategy)
    def look(value: Any) -> None:
        if not seen and wanted(value):
            seen.append(value)

    look()
    return bool(seen)


_OVERRIDES: dict[Any, Any] = {
    "email": st.sampled_from(_EMAILS),
    ("work", "city"): st.sampled_from(_CITIES),
}


# -- Overrides --------------------------------------------------------------------------------


@settings(max_examples=80)
@given(for_table(schema, "users", overrides=_OVERRIDES))
def test_overridden_fields_are_drawn_from_their_strategies(row: dict[str, Any]) -> None:
    schema.validate("users", row)
    assert row["email"] in _EMAILS
    if row["work"] is not None:
        assert row["work"]["city"] in _CITIES


def test_an_override_applies_at_its_path_only() -> None:
    rows = for_table(schema, "users", overrides=_OVERRIDES)
    # `home` is the same validator object as `work`, and is not overridden.
    assert _drawn(rows, lambda row: "home" in row and row["home"]["city"] not in _CITIES)
    assert _drawn(rows, lambda row: row["work"] is not None)


@settings(max_examples=60)
@given(for_table(schema, "events", overrides={"note": st.just("n"), "x": st.just(0.5)}))
def test_overrides_reach_the_union_members_that_have_the_field(row: dict[str, Any]) -> None:
    schema.validate("events", row)
    assert row["note"] == "n"
    assert row.get("x", 0.5) == 0.5


@settings(max_examples=150)
@given(invalid_for_table(schema, "users", overrides=_OVERRIDES))
def test_invalid_rows_keep_overrides_and_put_the_flaw_elsewhere(case: Any) -> None:
    row, expected = case
    issues = schema.errors("users", row)
    assert issues
    assert expected.matches(issues[0]), (expected, issues[0])
    assert expected.path[:1] != ("email",)
    assert expected.path[:2] != ("work", "city")
    if isinstance(row, dict) and "email" in row:
        assert row["email"] in _EMAILS, (row["email"], expected)
        work = row.get("work")
        if isinstance(work, dict) and "city" in work:
            assert work["city"] in _CITIES, (work, expected)


@pytest.mark.parametrize("code", ["missing_field", "no_match"])
def test_flaws_in_overrides_when_asked(code: Any) -> None:
    small = define_schema({"t": define_table({"name": v.string(), "email": v.string()})})

    def inside(flaws_in_overrides: bool) -> bool:
        cases = invalid_for_table(
            small,
            "t",
            overrides={"email": st.sampled_from(_EMAILS)},
            flaws_in_overrides=flaws_in_overrides,
            codes=[code],
        )
        return _drawn(cases, lambda case: case[1].path == ("email",), 60)

    assert inside(True)
    assert not inside(False)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"emial": st.just("x")}, r"no field \('emial',\) \(did you mean \('email',\)\?\)"),
        ({("work", "cty"): st.just("x")}, r"\('work', 'cty'\) \(did you mean \('work', 'city'\)"),
        ({"work.city": st.just("x")}, r"hold no dots.*\('work', 'city'\)"),
        ({("email", "x"): st.just("x")}, r"no field \('email', 'x'\).*v\.string\(\)"),
        ({("tags", "x"): st.just("x")}, r"no field \('tags', 'x'\).*v\.array"),
        ({(): st.just("x")}, r"overrides keys are field names or tuples"),
        ({3: st.just("x")}, r"overrides keys are field names or tuples"),
        ({"email": "ada@example.com"}, r"overrides\[\('email',\)\] must be a Hypothesis strategy"),
        ({"work": st.none(), ("work", "city"): st.just("x")}, r"replaces the whole field"),
        (["email"], r"overrides must map field paths to strategies"),
    ],
    ids=str,
)
def test_bad_overrides_are_refused_when_defined(overrides: Any, message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        for_table(schema, "users", overrides=overrides)
    with pytest.raises(InvalidArgument, match=message):
        invalid_for_table(schema, "users", overrides=overrides)


def test_an_override_drawing_an_invalid_value_says_which_field_and_value() -> None:
    @settings(max_examples=5, database=None)
    @given(for_table(schema, "users", overrides={("work", "zip"): st.just(12345)}))
    def uses(row: dict[str, Any]) -> None:
        pass

    message = r"overrides\[\('work', 'zip'\)\] drew 12345, which the field's validator v\.string"
    with pytest.raises(InvalidArgument, match=message):
        uses()


def test_an_override_of_a_table_with_no_fields_is_refused() -> None:
    with pytest.raises(InvalidArgument, match=r"no field \('x',\).*v\.any\(\), which has no"):
        for_table(schema, "blobs", overrides={"x": st.none()})


# -- IDs of existing rows ---------------------------------------------------------------------


@settings(max_examples=80)
@given(
    for_table(
        schema,
        "comments",
        existing_ids={
            "users": st.sampled_from(_USER_IDS),
            "comments": st.sampled_from(_COMMENT_IDS),
        },
    )
)
def test_existing_ids_draw_ids_of_those_rows(row: dict[str, Any]) -> None:
    schema.validate("comments", row)
    assert row["author"] in _USER_IDS
    assert row.get("parent", _COMMENT_IDS[0]) in _COMMENT_IDS
    assert set(row["votes"]) <= set(_USER_IDS)  # record keys too
    assert id_error(row.get("file", _USER_IDS[0])) is None  # other tables: fresh valid IDs


def test_a_bare_strategy_is_the_tables_own_ids() -> None:
    rows = for_table(schema, "comments", existing_ids=st.sampled_from(_COMMENT_IDS))
    assert _drawn(rows, lambda row: "parent" in row)
    assert not _drawn(rows, lambda row: row.get("parent", _COMMENT_IDS[0]) not in _COMMENT_IDS)
    assert _drawn(rows, lambda row: row["author"] not in _USER_IDS)  # not given: drawn fresh


@pytest.mark.parametrize(
    ("existing_ids", "message"),
    [
        ({"user": st.just(_USER_IDS[0])}, r"names table 'user'.*Tables in this schema: users"),
        ({"users": _USER_IDS}, r"existing_ids\['users'\] must be a Hypothesis strategy"),
        (_USER_IDS, r"existing_ids must be a strategy of this table's IDs"),
    ],
    ids=str,
)
def test_bad_existing_ids_are_refused_when_defined(existing_ids: Any, message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        for_table(schema, "comments", existing_ids=existing_ids)


def test_an_existing_id_that_is_no_id_says_so() -> None:
    @settings(max_examples=5, database=None)
    @given(for_table(schema, "comments", existing_ids={"users": st.just("alice")}))
    def uses(row: dict[str, Any]) -> None:
        pass

    with pytest.raises(InvalidArgument, match=r"existing_ids\['users'\] drew 'alice', which is"):
        uses()


# -- Partial updates --------------------------------------------------------------------------


@settings(max_examples=80)
@given(
    row=for_table(schema, "users"),
    patch=for_patch(schema, "users", overrides={"email": st.sampled_from(_EMAILS)}),
)
def test_a_patch_is_some_valid_fields(row: dict[str, Any], patch: dict[str, Any]) -> None:
    assert patch.keys() <= set(schema.tables["users"].validator.fields)
    schema.validate("users", {**row, **patch})
    assert patch.get("email", _EMAILS[0]) in _EMAILS


def test_patches_set_none_one_or_all_fields() -> None:
    patches = for_patch(schema, "users")
    assert _drawn(patches, lambda patch: patch == {}, 5)
    assert _drawn(patches, lambda patch: len(patch) == 1, 50)
    assert _drawn(patches, lambda patch: len(patch) >= 6, 100)


@settings(max_examples=40)
@given(row=for_table(schema, "blobs"), patch=for_patch(schema, "blobs"))
def test_patches_of_an_any_table(row: dict[str, Any], patch: dict[str, Any]) -> None:
    schema.validate("blobs", {**row, **patch})


def test_patches_of_a_union_table_are_refused() -> None:
    with pytest.raises(InvalidArgument, match=r"for_patch\(\): table 'events' is a union"):
        for_patch(schema, "events")


# -- JSON-safe and Convex JSON draws ----------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    """Equal as vschema sees values: types, float signs, NaN and container shapes too."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (
            a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
        )
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


@settings(max_examples=60)
@given(st.data())
def test_json_safe_draws_survive_json_with_the_same_meaning(data: st.DataObject) -> None:
    node: Validator = data.draw(validators(max_depth=3))
    value = data.draw(from_validator(node, json_safe=True, max_size=24))
    text = json.dumps(value, allow_nan=False)  # raises on NaN and inf; bytes raise TypeError
    assert _same(node.validate_json(text), value), (value, text)


@pytest.mark.parametrize("document", [False, True])
@pytest.mark.parametrize("table", ["users", "comments", "events", "blobs"])
@settings(max_examples=15)
@given(data=st.data())
def test_json_safe_rows_survive_json(table: str, document: bool, data: st.DataObject) -> None:
    row = data.draw(for_table(schema, table, document=document, json_safe=True))
    text = json.dumps(row, allow_nan=False)
    if document:
        assert _same(schema.validate_document(table, json.loads(text)), row)
    else:
        assert _same(schema.validate_json(table, text), row)


def test_json_safe_leaves_out_what_json_cannot_hold() -> None:
    rows = for_table(schema, "users", json_safe=True)
    assert _drawn(rows, lambda row: row["work"] is not None)
    with pytest.raises(InvalidArgument, match=r"table 'files' has no JSON-safe row"):
        for_table(schema, "files", json_safe=True)


@settings(max_examples=40)
@given(st.data())
def test_convex_json_draws_are_the_wire_form_of_valid_values(data: st.DataObject) -> None:
    node: Validator = data.draw(validators(max_depth=3))
    encoded = data.draw(from_validator(node, convex_json=True, max_size=24))
    wire = json.loads(json.dumps(encoded, allow_nan=False))
    value = from_convex_json(wire)
    node.validate(value)
    assert to_convex_json(value, node) == encoded


@pytest.mark.parametrize("table", ["users", "files", "comments", "blobs"])
@settings(max_examples=15)
@given(data=st.data())
def test_convex_json_rows(table: str, data: st.DataObject) -> None:
    encoded = data.draw(for_table(schema, table, document=True, convex_json=True))
    document = from_convex_json(json.loads(json.dumps(encoded, allow_nan=False)))
    schema.validate_document(table, document)


def test_convex_json_encodes_bytes() -> None:
    smallest = {"blob": {"$bytes": ""}, "name": ""}  # the first draw is the simplest
    assert _drawn(for_table(schema, "files", convex_json=True), lambda row: row == smallest, 5)
    assert _drawn(
        for_table(schema, "files", convex_json=True),
        lambda row: row["blob"]["$bytes"] != "" and from_convex_json(row)["blob"] != b"",
        30,
    )


def test_json_safe_and_convex_json_together_are_refused() -> None:
    with pytest.raises(InvalidArgument, match="choose one"):
        for_table(schema, "users", json_safe=True, convex_json=True)


# -- Size control -----------------------------------------------------------------------------


def _nodes(value: Any) -> int:
    if isinstance(value, list):
        return 1 + sum(_nodes(item) for item in value)
    if isinstance(value, dict):
        return 1 + sum(_nodes(item) for item in value.values())
    return 1


def test_a_bug_that_needs_five_items_shows_by_default() -> None:
    assert _drawn(from_validator(v.array(v.int64())), lambda items: len(items) >= 5)
    assert _drawn(from_validator(v.record(v.string(), v.null())), lambda kv: len(kv) >= 5)
    assert _drawn(for_table(schema, "users"), lambda row: len(row["tags"]) >= 5)


@settings(max_examples=60)
@given(for_table(schema, "users", max_items=2))
def test_max_items_caps_every_array_and_record(row: dict[str, Any]) -> None:
    assert len(row["tags"]) <= 2
    assert len(row["links"]) <= 2
    assert all(len(items) <= 2 for items in row["links"].values())


def test_max_items_by_path() -> None:
    rows = for_table(schema, "users", max_items={"tags": 40}, max_size=100)
    assert _drawn(rows, lambda row: len(row["tags"]) > 8, 60)  # past the default cap

    @settings(max_examples=30)
    @given(rows)
    def others_keep_the_default(row: dict[str, Any]) -> None:
        assert len(row["tags"]) <= 40
        assert len(row["links"]) <= 8

    others_keep_the_default()


@pytest.mark.parametrize("max_size", [0, 5])
@settings(max_examples=40)
@given(data=st.data())
def test_max_size_bounds_what_a_draw_adds(max_size: int, data: st.DataObject) -> None:
    deep = v.array(v.array(v.array(v.int64())))  # the smallest value, [], is one node
    assert _nodes(data.draw(from_validator(deep, max_items=50, max_size=max_size))) <= 1 + max_size


def test_a_bigger_max_size_draws_bigger_values() -> None:
    bigger = from_validator(v.array(v.int64()), max_items=100, max_size=200)
    # More items than the default budget (48 nodes) could draw.
    assert _drawn(bigger, lambda items: len(items) > 48, 60)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_items": -1}, r"max_items must be an int from 0 to 8192, got -1"),
        ({"max_items": True}, r"max_items must be an int from 0 to 8192, got True"),
        ({"max_items": 10**6}, r"max_items must be an int from 0 to 8192"),
        ({"max_size": "3"}, r"max_size must be an int from 0 to 10000, got '3'"),
        ({"max_items": {"tags": -2}}, r"max_items\[\('tags',\)\] must be an int"),
        ({"max_items": {"tag": 3}}, r"no field \('tag',\) \(did you mean \('tags',\)\?\)"),
        ({"max_items": {"email": 3}}, r"max_items\[\('email',\)\] names v\.string\(\), which"),
        ({"json_safe": 1}, r"json_safe must be True or False, got 1"),
        ({"convex_json": None}, r"convex_json must be True or False"),
    ],
    ids=str,
)
def test_bad_arguments_are_refused_when_defined(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        for_table(schema, "users", **kwargs)


def test_bad_arguments_of_the_other_strategies() -> None:
    with pytest.raises(InvalidArgument, match=r"from_validator.*max_items must be"):
        from_validator(v.array(v.string()), max_items=-1)
    with pytest.raises(InvalidArgument, match=r"invalid_for_table.*flaws_in_overrides must be"):
        invalid_for_table(schema, "users", flaws_in_overrides="yes")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match=r"for_patch.*max_size must be"):
        for_patch(schema, "users", max_size=-5)


# -- Reprs ------------------------------------------------------------------------------------


def test_reprs_show_the_new_arguments() -> None:
    assert repr(for_table(schema, "users", overrides=_OVERRIDES, json_safe=True)) == (
        "for_table(schema, 'users', overrides={'email': ..., ('work', 'city'): ...}, "
        "json_safe=True)"
    )
    assert repr(for_patch(schema, "users", max_items={"tags": 3}, max_size=9)) == (
        "for_patch(schema, 'users', max_items={'tags': 3}, max_size=9)"
    )
    assert (
        repr(
            invalid_for_table(
                schema,
                "comments",
                existing_ids={"users": st.just(_USER_IDS[0])},
                codes=["no_match"],
            )
        )
        == "invalid_for_table(schema, 'comments', existing_ids={'users'}, codes=['no_match'])"
    )
    assert repr(from_validator(v.bytes(), convex_json=True)) == (
        "from_validator(v.bytes(), convex_json=True)"
    )


def test_reprs_stay_short_with_many_overrides() -> None:
    wide = define_schema({"wide": define_table({f"field{i}": v.string() for i in range(300)})})
    overrides = {f"field{i}": st.just("x") for i in range(300)}
    shown = repr(for_table(wide, "wide", overrides=overrides, max_items=3))
    assert len(shown) < 200, shown
    assert re.match(r"for_table\(schema, 'wide', overrides=\{'field0': \.\.\., ", shown)
