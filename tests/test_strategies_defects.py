"""Regression tests for defects reported against `vschema.strategies`, one section each.

Each test failed on the code before its fix: enormous strategy reprs, record and array padding
that broke a second rule, `for_table` quietly empty, shrinking toward a 300-character constant,
and `register_types` leaving ID types and nested ``TypedDict``s to Hypothesis's own guesses.
"""

from __future__ import annotations

import importlib
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import vschema.codegen
from vschema import ValidationError, Validator, define_schema, define_table, v
from vschema.strategies import (
    for_table,
    from_validator,
    invalid,
    invalid_for_table,
    register_types,
    validators,
)
from vschema.strategies._walk import _DOCUMENTS, _VALUES
from vschema.validators._nodes import VArray, VObject, VRecord, VUnion
from vschema.validators._schema import Schema
from vschema.validators._values import MAX_ARRAY_LENGTH, MAX_OBJECT_FIELDS

# -- 1. Strategy reprs stay short -----------------------------------------------------------

_MOST = 200


def _wide_schema() -> Schema:
    nested = v.object(
        {
            "x": v.string(),
            "u": v.union(v.object({"a": v.string()}), v.array(v.int64())),
            "y": v.optional(v.array(v.record(v.string(), v.int64()))),
        }
    )
    return define_schema({"wide": define_table({f"f{i}": nested for i in range(200)})})


def _double(value: object) -> tuple[object, object]:
    return value, value


def test_public_strategy_reprs_are_short_and_name_their_builder() -> None:
    schema = _wide_schema()
    row = schema.tables["wide"].validator
    strategies = {
        "for_table(schema, 'wide')": for_table(schema, "wide"),
        "for_table(schema, 'wide', document=True)": for_table(schema, "wide", document=True),
        "invalid_for_table(schema, 'wide')": invalid_for_table(schema, "wide"),
        "from_validator(v.object({f0: v.object": from_validator(row),
        "invalid(v.object({f0: v.object": invalid(row),
        "invalid(v.string(), codes=['invalid_string'])": invalid(
            v.string(), codes=["invalid_string"]
        ),
        "validators(max_depth=6": validators(max_depth=6),
    }
    for start, strategy in strategies.items():
        shown = repr(strategy)
        assert shown.startswith(start), shown
        assert len(shown) <= _MOST, shown
        assert len(repr(strategy.map(_double))) <= _MOST + len(".map(_double)")
        assert len(repr(strategy.filter(bool))) <= _MOST + len(".filter(bool)")


def test_inner_strategy_reprs_are_short() -> None:
    """What Hypothesis may print from inside a draw (a filter event, a note) is bounded too:
    every strategy the walks cache for a node, valid and one-flaw, for a wide table and for
    random deep validators."""
    schema = _wide_schema()
    strategies: list[Any] = [invalid_for_table(schema, "wide", document=True)]

    @settings(max_examples=10, database=None, derandomize=True)
    @given(validators(max_depth=6))
    def build(tree: Validator) -> None:
        strategies.extend((from_validator(tree), invalid(tree)))

    build()
    for walk in (_VALUES, _DOCUMENTS):
        for _node, strategy in walk._valid.values():
            if strategy is not None:
                strategies.append(strategy)
        for _node, flaws in walk._flaws.values():
            strategies.extend(bad for _code, bad in flaws)
    longest = max(strategies, key=lambda s: len(repr(s)))
    # Bounded whatever the schema: the longest are a few leaf strategies side by side (bad
    # field names and values, a couple of thousand characters at most).
    assert len(repr(longest)) <= 2500, repr(longest)[:3000]


def test_naming_costs_no_nesting() -> None:
    """Hypothesis fails a draw nested 100 spans deep: the strategies that name others must not
    add a span a level, or flaws at the bottom of a 64-level chain are never drawn."""
    node: Validator = v.string()
    for _ in range(64):
        node = v.object({"a": node})
    deepest = find(
        invalid(node),
        lambda case: len(case[1].path) == 64,
        settings=settings(max_examples=2000, database=None),
    )
    assert node.errors(deepest[0])[0].path == deepest[1].path
    assert find(from_validator(node), lambda _: True) is not None


def test_a_failing_map_reports_a_short_note() -> None:
    schema = _wide_schema()

    def boom(case: tuple[Any, Any]) -> object:
        raise ZeroDivisionError("the user's bug")

    @settings(max_examples=5, database=None, derandomize=True)
    @given(invalid_for_table(schema, "wide").map(boom))
    def test(value: object) -> None:
        pass

    with pytest.raises(ZeroDivisionError) as error:
        test()
    notes = getattr(error.value, "__notes__", [])
    assert sum(len(note) for note in notes) < 10_000, [note[:300] for note in notes]


# -- 3. Too long and too many fields break no other rule --------------------------------------

_PADDED: list[Validator] = [
    v.record(v.id("users"), v.number()),
    v.record(v.string(), v.int64()),
    v.record(v.union(v.id("users"), v.id("messages")), v.object({"a": v.boolean()})),
    v.record(v.union(v.string(), v.id("users")), v.literal("on")),
    v.array(v.union(v.literal(1), v.literal(2))),
    v.array(v.id("users")),
    v.object(
        {"list": v.array(v.union(v.null(), v.string())), "map": v.record(v.id("t"), v.bytes())}
    ),
    # `v.any()` pads with `"~NNNN": None` entries and `0` items, both valid `v.any()` values;
    # an object over the limit has undeclared fields by necessity (see below).
    v.any(),
    v.object({"a": v.any(), "b": v.array(v.string())}),
]


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


def _without_the_excess(value: Any, path: tuple[Any, ...]) -> list[Any]:
    """The value with the container at ``path`` cut to Convex's limit, in every way the cut
    can go (the first items or entries, and the last)."""
    container = _at(value, path)
    if isinstance(container, list):
        cuts = [container[:MAX_ARRAY_LENGTH], container[-MAX_ARRAY_LENGTH:]]
    else:
        items = list(container.items())
        cuts = [dict(items[:MAX_OBJECT_FIELDS]), dict(items[-MAX_OBJECT_FIELDS:])]
    if not path:
        return cuts
    results = []
    for cut in cuts:
        copied = _replace(value, path, cut)
        results.append(copied)
    return results


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, list):
        return [_replace(item, rest, new) if i == head else item for i, item in enumerate(value)]
    return {k: _replace(item, rest, new) if k == head else item for k, item in value.items()}


@pytest.mark.parametrize("validator", _PADDED, ids=repr)
@settings(max_examples=15)
@given(data=st.data())
def test_too_big_containers_break_only_their_size(validator: Validator, data: Any) -> None:
    codes = ["too_long", "too_many_fields"]
    value, expected = data.draw(invalid(validator, codes=codes))
    issues = validator.errors(value)
    assert issues
    assert all(issue.code == expected.code for issue in issues), issues[:3]
    assert expected.matches(issues[0])
    if isinstance(_node_at(validator, expected.path), VObject):
        return  # an object over the limit has undeclared fields: Convex counts them first
    for cut in _without_the_excess(value, expected.path):
        assert validator.is_valid(cut), validator.errors(cut)[:3]


def _node_at(validator: Validator, path: tuple[Any, ...]) -> Validator:
    """The validator that checks the value at ``path`` (unions of one kind only)."""
    node = validator
    for key in path:
        if isinstance(node, VUnion):
            node = node.members[0]
        if isinstance(node, VObject):
            node = node.fields[key]
        elif isinstance(node, VArray):
            node = node.element
        elif isinstance(node, VRecord):
            node = node.value
    return node


@pytest.mark.parametrize("document", [False, True])
@settings(max_examples=10)
@given(data=st.data())
def test_too_big_rows_of_an_any_table_break_only_their_size(document: bool, data: Any) -> None:
    schema = define_schema({"open": define_table(v.any())})
    codes = ["too_long", "too_many_fields"]
    row, expected = data.draw(invalid_for_table(schema, "open", document=document, codes=codes))
    check = schema.validate_document if document else schema.validate
    with pytest.raises(ValidationError) as error:
        check("open", row)
    issues = error.value.issues
    assert all(issue.code == expected.code for issue in issues), issues[:3]
    assert expected.matches(issues[0])
    if expected.path:  # a container inside the row: cut to Convex's limit, the row fits
        for cut in _without_the_excess(row, expected.path):
            check("open", cut)
    elif isinstance(row, dict):  # the row padded with unreserved names and valid values
        system = {k: row[k] for k in ("_id", "_creationTime") if k in row}
        own = [(k, value) for k, value in row.items() if k not in system]
        # A row may hold 1022 fields of its own: the system fields count towards the 1024.
        check("open", {**dict(own[: MAX_OBJECT_FIELDS - 2]), **system})


@pytest.mark.parametrize(
    ("validator", "code"),
    [
        (v.array(v.union()), "too_long"),
        (v.record(v.string(), v.union()), "too_many_fields"),
        (v.record(v.union(), v.string()), "too_many_fields"),
        (v.record(v.string(), v.union()), "invalid_field_name"),
    ],
    ids=str,
)
def test_no_padding_where_no_item_is_valid(validator: Validator, code: str) -> None:
    """Only the empty container is valid: no big one can have just the one flaw."""
    with pytest.raises(InvalidArgument, match="admits no invalid value with code"):
        invalid(validator, codes=[code])  # type: ignore[list-item]


# -- 4. A table no row fits says so ---------------------------------------------------------


def _chain(levels: int) -> Validator:
    node: Validator = v.string()
    for _ in range(levels):
        node = v.object({"next": node})
    return node


@pytest.mark.parametrize("document", [False, True])
def test_a_table_no_row_fits_raises_when_defined(document: bool) -> None:
    schema = define_schema(
        {
            "deep": define_table({"a": _chain(20)}),
            "empty": define_table({"a": v.union()}),
            "fine": define_table({"a": v.optional(_chain(20))}),
        }
    )
    with pytest.raises(InvalidArgument, match=r"'deep'.*nesting limit of 16"):
        for_table(schema, "deep", document=document)
    with pytest.raises(InvalidArgument, match=r"'empty'( \(documents\))? has no valid row"):
        for_table(schema, "empty", document=document)
    row = find(for_table(schema, "fine", document=document), lambda _: True)
    assert "a" not in row


# -- 5. Strings shrink toward short ones ----------------------------------------------------


@pytest.mark.parametrize("seed", range(12))
def test_strings_shrink_to_the_shortest(seed: int) -> None:
    inquiry = v.object({"name": v.string(), "description": v.string()})
    found = find(
        from_validator(inquiry),
        lambda row: "x" in row["description"],
        settings=settings(database=None),
        random=random.Random(seed),
    )
    assert found["description"] == "x"
    assert (
        find(
            from_validator(v.string()),
            lambda text: "x" in text,
            settings=settings(database=None),
            random=random.Random(seed),
        )
        == "x"
    )


def test_long_strings_are_still_drawn() -> None:
    long = find(
        from_validator(v.string()), lambda text: len(text) > 200, settings=settings(database=None)
    )
    assert len(long) == 201


# -- 6. register_types covers ID types and nested TypedDicts --------------------------------


@pytest.fixture(scope="module")
def nested_types(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """A module generated now by `vschema.codegen.python`, imported as a user would."""
    schema = define_schema(
        {
            "users": define_table(
                {
                    "name": v.string(),
                    "best_friend": v.optional(v.id("users")),
                    "address": v.object(
                        {"city": v.string(), "geo": v.nullable(v.object({"lat": v.int64()}))}
                    ),
                    "posts": v.array(v.object({"id": v.id("posts"), "tags": v.array(v.string())})),
                    "by_post": v.record(v.id("posts"), v.object({"likes": v.int64()})),
                    "payload": v.union(
                        v.object({"kind": v.literal("a"), "n": v.int64()}),
                        v.object({"kind": v.literal("b"), "b": v.bytes()}),
                    ),
                }
            ),
            "posts": define_table({"author": v.id("users"), "body": v.string()}),
        }
    )
    folder = tmp_path_factory.mktemp("generated")
    source = vschema.codegen.python(schema, origin="schema.py", command="vschema codegen")
    Path(folder, "defect_types.py").write_text(source)
    sys.path.insert(0, str(folder))
    try:
        module = importlib.import_module("defect_types")
        register_types(module)
        yield module
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop("defect_types", None)


def _typed_dicts(module: ModuleType) -> dict[str, type]:
    return {
        name: value
        for name, value in vars(module).items()
        if isinstance(value, type) and hasattr(value, "__required_keys__")
    }


def test_register_types_registers_every_generated_type(nested_types: ModuleType) -> None:
    names = set(_typed_dicts(nested_types))
    assert {"User", "UserDocument", "Post", "PostDocument"} <= names
    assert len(names) > 4  # nested ones: the address, its geo, the post items, ...
    from hypothesis.strategies._internal.types import _global_type_lookup as lookup

    for name in (*sorted(names), "UserId", "PostId"):
        assert getattr(nested_types, name) in lookup, name


@settings(max_examples=40)
@given(data=st.data())
def test_from_type_of_id_types_draws_valid_ids(nested_types: ModuleType, data: Any) -> None:
    user_id = data.draw(st.from_type(nested_types.UserId))
    assert v.id("users").is_valid(user_id), user_id
    post_id = data.draw(st.from_type(nested_types.PostId))
    assert v.id("posts").is_valid(post_id), post_id


@settings(max_examples=40)
@given(data=st.data())
def test_from_type_of_nested_typed_dicts_draws_valid_values(
    nested_types: ModuleType, data: Any
) -> None:
    users = nested_types.schema.tables["users"].validator.fields
    checked_by = {
        "UserAddress": users["address"],
        "UserAddressGeo": users["address"].fields["geo"],
        "UserPost": users["posts"].element,
        "UserByPostValue": users["by_post"].value,
        "UserPayloadA": users["payload"].members[0],
        "UserPayloadB": users["payload"].members[1],
    }
    for name, validator in checked_by.items():
        value = data.draw(st.from_type(getattr(nested_types, name)), label=name)
        assert validator.is_valid(value), (name, value)
