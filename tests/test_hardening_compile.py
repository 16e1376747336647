"""Compiling and defining stay linear in a validator's distinct nodes (hardening items 11, 12).

No test here is timed: each counts what grows (generated source, definition-time measurements)
or checks answers against the reference interpreter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from vschema import v
from vschema.validators import _builder
from vschema.validators import _compile as compiler
from vschema.validators._interpret import explain as interpret
from vschema.validators._nodes import Validator

Level = Callable[[Validator], Validator]

#: One level of each shared DAG shape: the level below is used twice.
SHAPES: dict[str, Level] = {
    "object": lambda x: v.object({"l": x, "r": x}),
    "optional": lambda x: v.object({"l": v.optional(x), "r": v.optional(x)}),
    "union": lambda x: v.union(v.object({"l": x, "r": x}), v.null()),
}


def dag(shape: str, levels: int, leaf: Validator | None = None) -> Validator:
    x = v.string() if leaf is None else leaf
    for _ in range(levels):
        x = SHAPES[shape](x)
    return x


def source_size(validator: Validator) -> int:
    renders = (compiler._render, compiler._render_explainer)
    return sum(len(render(validator).source()) for render in renders)


def agree(validator: Validator, value: object) -> list[Any]:
    """The compiled answers for ``value``, asserted equal to the interpreter's."""
    expected = interpret(validator, value)
    assert validator.errors(value) == expected
    assert validator.is_valid(value) is (not expected)
    return expected


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_generated_source_grows_linearly_with_levels(shape: str) -> None:
    small, large = source_size(dag(shape, 20)), source_size(dag(shape, 40))
    # Twice the distinct nodes; the tree doubles with every level (2**40 nodes).
    assert large < 2.5 * small, (small, large)
    assert source_size(dag(shape, 60)) < 4 * small


def test_equal_copies_share_helpers_and_give_the_same_programs() -> None:
    def copies(levels: int) -> Validator:
        if levels == 0:
            return v.string()
        return v.object({"l": copies(levels - 1), "r": copies(levels - 1)})

    shared, copied = dag("object", 8), copies(8)
    assert shared == copied
    renders = (compiler._render, compiler._render_explainer)
    for render in renders:
        assert render(shared).source() == render(copied).source()


def test_unshared_subtrees_stay_inline_in_the_check() -> None:
    chain: Validator = v.string()
    for _ in range(30):
        chain = v.object({"a": chain})
    source = compiler.compiled_source(chain)
    assert source.count("def ") == 1  # one function: nothing shared, nothing outlined


@pytest.mark.parametrize("shape", ["object", "union"])
def test_definition_measures_each_distinct_node_once(
    shape: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Validator] = []
    measure = _builder._measure

    def counting(validator: Validator) -> tuple[int, int, int]:
        calls.append(validator)
        return measure(validator)

    monkeypatch.setattr(_builder, "_measure", counting)
    x = dag(shape, 30)
    # One builder call a level (two for the union form, which builds an object and a union),
    # each measuring the new node and reading its children's numbers; never the tree's 2**30.
    assert len(calls) <= 2 * 30 + 2, len(calls)
    containers, validators = _builder.reach(x)
    assert containers == 30
    assert validators == (31 if shape == "object" else 61)


def test_nesting_and_reach_are_unchanged_for_ordinary_trees() -> None:
    x = v.object({"a": v.array(v.object({"b": v.string()})), "c": v.optional(v.object({}))})
    assert _builder.nesting(x) == 2  # the array may be empty; the optional field absent
    assert _builder.reach(x) == (3, 4)
    assert _builder.nesting(v.union(v.object({"a": v.object({})}), v.object({}))) == 1
    assert _builder.nesting(v.union()) == 0


def deepest_failure(shape: str, levels: int, bad: object) -> object:
    value = bad
    for _ in range(levels):
        value = {"l": value} if shape == "optional" else {"l": value, "r": None}
    return value


@pytest.mark.parametrize("shape", ["optional", "union"])
def test_deep_shared_dag_compiles_and_explains_its_deepest_level(shape: str) -> None:
    # The union form's ``r`` is None, so its innermost level must take None too.
    x = dag(shape, 24, leaf=v.null() if shape == "union" else None)
    good = deepest_failure(shape, 24, None if shape == "union" else "fine")
    assert agree(x, good) == []
    assert x.validate(good) is good
    issues = agree(x, deepest_failure(shape, 24, 7))
    assert issues
    if shape == "optional":
        [issue] = issues
        assert issue.path == ("l",) * 24
        assert issue.code == "no_match"


def test_object_dag_explains_every_level() -> None:
    x = dag("object", 24)
    issues = agree(x, deepest_failure("object", 24, 7))
    # ``r`` (None) fails at every level, and the innermost ``l`` (7) too.
    assert len(issues) == 25
    assert issues[0].path == ("l",) * 24


def test_union_of_unions_reused_twice_a_level() -> None:
    x: Validator = v.null()
    for i in range(150):
        x = v.union(x, x, v.literal(i))
    assert len(compiler.compiled_source(x)) < 2_000
    assert source_size(x) < 6_000
    for value in (None, 0, 149, 149.0):
        assert x.is_valid(value)
    for value in (150, -0.0, "0", True, 0.5):
        assert not x.is_valid(value)
    assert x.validate(3) == 3


# --------------------------------------------------------------------------------------------
# Unions of many literals: one set membership a kind, Convex's equality kept.

N = 10_000


def literal_union(*extra: Validator, values: Any = range(N), int64: bool = False) -> Validator:
    return v.union(*(v.literal(i, int64=int64) for i in values), *extra)


def assert_small(validator: Validator) -> None:
    # No chain of N ``==`` tests: the source does not grow with N.
    assert len(compiler.compiled_source(validator)) < 2_000
    assert len(compiler._render(validator).source()) < 2_000
    assert len(compiler._render_explainer(validator).source()) < 2_000


def verdicts(validator: Validator, accepted: list[object], refused: list[object]) -> None:
    for value in accepted:
        assert validator.is_valid(value), value
        assert interpret(validator, value) == [], value
        assert validator.validate(value) is value
    for value in refused:
        assert not validator.is_valid(value), value
        assert interpret(validator, value), value
        assert validator.errors(value), value


def test_many_string_literals() -> None:
    x = v.union(*(v.literal(f"s{i}") for i in range(N)))
    assert_small(x)
    verdicts(x, ["s0", "s9999"], ["s10000", "", 0, None, b"s0"])


def test_many_float64_literals() -> None:
    x = literal_union(v.literal(2.0**60), v.literal(0.5), v.literal(-0.0), values=range(1, N))
    assert_small(x)
    verdicts(
        x,
        [1, 1.0, 9999, 9999.0, -0.0, 2.0**60, 0.5],
        # bool is no number; an int beyond 2**53 is no Float64, even equal to a literal;
        # 0 and 0.0 are not the literal -0.0 (positive zero is not among the literals).
        [True, False, 10_000, 2**60, 0.25, 0, 0.0, -1, "1", None],
    )
    positive_zero = literal_union(values=range(N))  # 0 is among them
    verdicts(positive_zero, [0, 0.0], [-0.0, False])


def test_many_int64_literals() -> None:
    x = literal_union(values=range(N), int64=True)
    assert_small(x)
    verdicts(x, [0, 1, 9999], [1.0, 0.0, True, False, 10_000, -1, "1"])
    big = literal_union(values=[2**63 - 1 - i for i in range(N)], int64=True)
    verdicts(big, [2**63 - 1], [float(2**63), 2**63])


def test_many_literals_of_every_kind_at_once() -> None:
    x = v.union(
        v.literal(True),
        *(v.literal(i) for i in range(1, N)),
        *(v.literal(i, int64=True) for i in range(N, 2 * N)),
        *(v.literal(str(i)) for i in range(N)),
        v.null(),
    )
    assert_small(x)
    verdicts(
        x,
        [True, 1, 1.0, 9999.0, N, 2 * N - 1, "0", "9999", None],
        [False, 0, 0.0, float(N), 2 * N, "x", b"1", [1]],
    )
    # Inside an object, at a deeper level, the locator and the explainer agree.
    row = v.object({"a": x, "b": v.string()})
    assert agree(row, {"a": "1", "b": "b"}) == []
    assert agree(row, {"a": 0.5, "b": 1})
