"""Hardening of `vschema.strategies` (issue items 17 and 13).

Item 17: draws stay small and cheap on deep validators. Every valid draw is paid from one size
budget, so deep chains draw valid values without overrunning Hypothesis's data budget or
failing a health check, every strategy can stop at its validator's smallest value, and
building strategies is linear in a tree's distinct nodes (a subtree reused twice a level is
built once). `validators()` draws deep trees and, with ``shared=True``, trees that reuse
subtrees. No test here is timed: they count overruns, nodes and strategy builds.

Item 13: `v.commitTs()` in every walk: valid draws (Int64s and `COMMIT_TS`), invalid draws
with the codes the interpreter reports, and `validators()` drawing it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.statistics import collector

from vschema import COMMIT_TS, Validator, define_schema, define_table, v
from vschema.strategies import for_table, from_validator, invalid, validators
from vschema.strategies._budget import _DRAW_BUDGET
from vschema.strategies._walk import _VALUES, _Walk
from vschema.validators._builder import reach
from vschema.validators._interpret import explain, first_issue
from vschema.validators._nodes import VArray, VObject, VRecord, VUnion

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
DRAW_BUDGET = _DRAW_BUDGET


def chain(depth: int, leaf: Validator | None = None) -> Validator:
    """``depth`` containers, objects and arrays by turns, around ``leaf``."""
    node = v.string() if leaf is None else leaf
    for level in range(depth):
        node = v.object({"a": node}) if level % 2 == 0 else v.array(node)
    return node


def value_nodes(value: object) -> int:
    """How many scalars and containers a value has (`_Walk.min_size` counts the same)."""
    if isinstance(value, list):
        return 1 + sum(value_nodes(item) for item in value)
    if isinstance(value, dict):
        return 1 + sum(value_nodes(item) for item in value.values())
    return 1


def children(node: Validator) -> list[Validator]:
    if isinstance(node, VArray):
        return [node.element]
    if isinstance(node, VObject):
        return list(node.fields.values())
    if isinstance(node, VRecord):
        return [node.key, node.value]
    if isinstance(node, VUnion):
        return list(node.members)
    return []


def distinct_nodes(root: Validator) -> dict[int, Validator]:
    seen: dict[int, Validator] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen[id(node)] = node
            stack.extend(children(node))
    return seen


def generate_statistics(test: Any) -> Counter[str]:
    """Run a @given test (generation only) and count its test cases by status."""
    stats: list[Any] = []
    with collector.with_value(stats.append):
        test()
    return Counter(case["status"] for case in stats[0]["generate-phase"]["test-cases"])


# -- item 17: deep chains --------------------------------------------------------------------

DEPTHS = [4, 12, 32, 64]


@pytest.mark.parametrize("depth", DEPTHS)
def test_deep_chains_draw_valid_values_without_overrunning(depth: int) -> None:
    """Before the budget a 64-level chain overran Hypothesis's data budget about six times
    per valid draw (1,683 overruns for 300 draws); now overruns (Hypothesis's mutator trying
    a shorter choice sequence than a draw needs, as for any `st.lists`) stay below one per
    draw, and no health check fires: none is suppressed here."""
    node = chain(depth)
    sizes: list[int] = []

    @settings(
        max_examples=150,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=(),
    )
    @given(from_validator(node))
    def draw(value: Any) -> None:
        assert node.is_valid(value), (value, node.errors(value))
        sizes.append(value_nodes(value))

    statuses = generate_statistics(draw)
    assert statuses["valid"] == 150
    assert statuses["overrun"] < statuses["valid"], statuses
    # The smallest value of the chain is [] or {"a": []}; a draw adds at most the budget.
    assert max(sizes) <= 2 + DRAW_BUDGET, max(sizes)


@pytest.mark.parametrize("depth", DEPTHS)
def test_deep_chains_invalid_draws_name_their_flaw(depth: int) -> None:
    node = chain(depth)

    @settings(max_examples=60, database=None, deadline=None, suppress_health_check=())
    @given(invalid(node))
    def draw(drawn: tuple[Any, Any]) -> None:
        value, expected = drawn
        issues = node.errors(value)
        assert issues, value
        assert expected.matches(issues[0]), (value, str(expected), issues[0])

    draw()


def test_the_deepest_value_is_still_drawn() -> None:
    """Budgets shrink collections with depth but never cut the nesting edge off: `v.any()`
    keeps its chain to Convex's limit, and a 64-level chain still draws values 64 deep."""

    def depth_of(value: object) -> int:
        if isinstance(value, list):
            return 1 + max(map(depth_of, value), default=0)
        if isinstance(value, dict):
            return 1 + max(map(depth_of, value.values()), default=0)
        return 0

    deepest = find(
        from_validator(v.any()),
        lambda value: depth_of(value) == 64,
        settings=settings(max_examples=1000, database=None),
    )
    assert v.any().is_valid(deepest)


SMALLEST: list[tuple[Validator, object]] = [
    (chain(64), []),
    (chain(63), {"a": []}),
    (v.object({"a": v.optional(chain(40)), "b": v.array(chain(40))}), {"b": []}),
    (v.record(v.string(), chain(60)), {}),
    (v.union(chain(50), v.null()), None),  # the cheapest member, wherever it is
    (v.union(v.object({"x": v.object({"y": v.string()})}), v.object({"z": v.null()})), {"z": None}),
    (v.any(), None),
]


@pytest.mark.parametrize(("validator", "smallest"), SMALLEST)
def test_every_strategy_can_stop_at_the_smallest_value(
    validator: Validator, smallest: object
) -> None:
    found = find(
        from_validator(validator),
        lambda _: True,
        settings=settings(max_examples=50, database=None),
    )
    assert found == smallest


# -- item 17: definition-time work -----------------------------------------------------------


def shared_dag(levels: int, *, optional: bool) -> Validator:
    """``x = v.object({"l": x, "r": x})``, ``levels`` deep: 2**levels paths, levels+1 nodes."""
    node: Validator = v.string()
    for _ in range(levels):
        field = node.optional() if optional else node
        node = v.object({"l": field, "r": field})
    return node


def test_shared_dag_builds_strategies_in_linear_work() -> None:
    """A fresh walk builds each node's strategies once per depth it appears at: for the
    20-level DAG (2**20 paths, 21 distinct nodes), a few builds a node, not 2**20."""
    node = shared_dag(20, optional=False)
    walk = _Walk()
    assert walk.valid(node, 0) is not None
    valid_builds = walk.builds
    assert valid_builds == 21  # each object and the leaf, once
    flaws = walk.flaws(node, 0)
    assert {code for code, _ in flaws} >= {"missing_field", "no_match", "extra_field"}
    assert walk.builds - valid_builds <= 3 * 21, walk.builds


def test_shared_dag_public_strategies_are_linear_and_draw() -> None:
    """Through the public functions, on the module's shared walk: builds grow linearly, and
    draws (with optional fields, so the smallest value is ``{}``) are valid or name their
    flaw."""
    node = shared_dag(20, optional=True)
    walk = _VALUES
    before = walk.builds
    valid, bad = from_validator(node), invalid(node)
    assert walk.builds - before <= 4 * 42, walk.builds - before

    @settings(max_examples=40, database=None, deadline=None, suppress_health_check=())
    @given(valid, bad)
    def draw(value: Any, drawn: tuple[Any, Any]) -> None:
        assert node.is_valid(value)
        assert first_issue(node, value) is None
        issues = node.errors(drawn[0])
        assert issues, drawn
        assert drawn[1].matches(issues[0]), (drawn, issues[0])

    draw()


def test_subtrees_shared_across_depths_build_once_a_depth() -> None:
    """A subtree reachable at many depths is built once for each (node, depth): polynomial,
    at most 65 depths a node, never once a path (here 3**20 paths)."""
    node: Validator = v.union(v.string(), v.int64())
    for _ in range(20):
        node = v.union(v.array(node), v.object({"k": node}), node)
    walk = _Walk()
    walk.flaws(node, 0)
    assert walk.builds <= 2 * len(distinct_nodes(node)) * 21, walk.builds


# -- item 17: deep and shared validator trees ------------------------------------------------


def containers_reused(root: Validator) -> int:
    """How many container nodes (not the builder's shared scalars) appear at two places."""
    uses: Counter[int] = Counter()
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        for child in children(node):
            if isinstance(child, (VArray, VObject, VRecord)):
                uses[id(child)] += 1
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return sum(1 for count in uses.values() if count > 1)


@pytest.mark.parametrize(("max_depth", "reached"), [(12, 10), (64, 16)])
def test_validators_draws_deep_trees(max_depth: int, reached: int) -> None:
    depths: list[int] = []

    @settings(max_examples=100, database=None, deadline=None, suppress_health_check=())
    @given(validators(max_depth=max_depth))
    def draw(node: Validator) -> None:
        depths.append(reach(node)[0])

    draw()
    assert max(depths) >= reached, Counter(depths)


def test_validators_draws_shared_subtrees() -> None:
    reused: list[int] = []

    @settings(max_examples=100, database=None, deadline=None, suppress_health_check=())
    @given(validators(max_depth=8, shared=True))
    def shared(node: Validator) -> None:
        reused.append(containers_reused(node))

    shared()
    assert sum(count >= 1 for count in reused) >= 10, Counter(reused)
    assert max(reused) >= 2, Counter(reused)

    @settings(max_examples=100, database=None)
    @given(validators(max_depth=8))
    def unshared(node: Validator) -> None:
        assert containers_reused(node) == 0

    unshared()


@settings(max_examples=100, database=None, deadline=None)
@given(validators(max_depth=5, max_nodes=6))
def test_validators_keeps_to_max_nodes(node: Validator) -> None:
    containers = [n for n in distinct_nodes(node).values() if isinstance(n, VObject | VArray)]
    # A tagged union is one container here but brings two or three objects.
    assert len(containers) <= 3 * 6


@settings(max_examples=100, deadline=None)
@given(validator=validators(max_depth=8, shared=True), data=st.data())
def test_deep_shared_validators_draw_valid_and_invalid_values(
    validator: Validator, data: st.DataObject
) -> None:
    """What the agreement tests of the compiled check and the interpreter will draw."""
    strategy = from_validator(validator)
    if not strategy.is_empty:
        value = data.draw(strategy)
        assert validator.is_valid(value), (value, validator.errors(value))
        assert first_issue(validator, value) is None
    value, expected = data.draw(invalid(validator))
    issues = validator.errors(value)
    assert issues, value
    assert expected.matches(issues[0]), (value, str(expected), issues[0])
    assert explain(validator, value) == issues


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"max_nodes": -1}, "max_nodes"),
        ({"max_nodes": True}, "max_nodes"),
        ({"max_nodes": 2.0}, "max_nodes"),
        ({"shared": 1}, "shared"),
        ({"max_depth": 65}, "max_depth"),
        ({"max_fields": 1025}, "max_fields"),
    ],
)
def test_validators_checks_its_new_arguments(kwargs: dict[str, Any], argument: str) -> None:
    with pytest.raises(InvalidArgument, match=argument):
        validators(**kwargs)


# -- item 13: v.commitTs() -------------------------------------------------------------------


def test_commit_ts_valid_draws_are_int64s_and_the_placeholder() -> None:
    node = v.commitTs()
    seen: set[str] = set()

    @settings(max_examples=200, database=None)
    @given(from_validator(node))
    def draw(value: Any) -> None:
        assert node.is_valid(value)
        if value is COMMIT_TS:
            seen.add("placeholder")
        else:
            assert type(value) is int
            assert INT64_MIN <= value <= INT64_MAX
            seen.add("edge" if value in (INT64_MIN, INT64_MAX) else "int")

    draw()
    assert seen == {"placeholder", "edge", "int"}
    assert find(from_validator(node), lambda _: True) == 0  # shrinks to 0, not the placeholder


@pytest.mark.parametrize(
    ("code", "check"),
    [
        ("no_match", lambda x: x is not COMMIT_TS and type(x) is not int),
        ("out_of_range", lambda x: type(x) is int and not INT64_MIN <= x <= INT64_MAX),
    ],
)
def test_commit_ts_invalid_draws(code: str, check: Any) -> None:
    node = v.object({"ts": v.commitTs(), "at": v.array(v.commitTs())})

    @settings(max_examples=60, database=None)
    @given(invalid(node, codes=[code]))  # type: ignore[list-item]
    def draw(drawn: tuple[Any, Any]) -> None:
        value, expected = drawn
        issues = node.errors(value)
        assert issues, value
        assert expected.matches(issues[0]), (value, str(expected), issues[0])
        if expected.path != ("ts",) and not (len(expected.path) == 2 and expected.path[0] == "at"):
            return  # a flaw of the object or the array itself
        bad: Any = value
        for key in expected.path:
            bad = bad[key]
        assert check(bad), bad

    draw()


def test_commit_ts_placeholder_is_a_wrong_type_elsewhere() -> None:
    """`COMMIT_TS` is a Convex value only `v.commitTs()` and `v.any()` take."""
    value, _ = find(
        invalid(v.int64(), codes=["no_match"]),
        lambda drawn: drawn[0] is COMMIT_TS,
        settings=settings(max_examples=2000, database=None),
    )
    assert v.int64().errors(value)[0].code == "no_match"
    assert find(from_validator(v.any()), lambda x: x is COMMIT_TS) is COMMIT_TS


def test_commit_ts_placeholder_in_rows_and_documents() -> None:
    schema = define_schema({"t": define_table({"ts": v.commitTs(), "m": v.any()})})
    assert schema.validate("t", {"ts": COMMIT_TS, "m": COMMIT_TS}) == {
        "ts": COMMIT_TS,
        "m": COMMIT_TS,
    }
    assert find(for_table(schema, "t", document=True), lambda doc: doc["ts"] is COMMIT_TS)


def test_commit_ts_rows_validate() -> None:
    schema = define_schema({"t": define_table({"ts": v.commitTs(), "m": v.any()})})

    @settings(max_examples=50, database=None)
    @given(for_table(schema, "t"))
    def draw(row: Any) -> None:
        schema.validate("t", row)

    draw()
