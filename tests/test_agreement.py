"""The compiled fast path and the reference interpreter agree, on every validator and value.

Values come from two sources: draws shaped by the validator (`vschema.strategies`, valid and
one-flaw-invalid), and arbitrary Python junk near Convex's edges. For each, `is_valid` must equal
"the interpreter found no issue", and fail-fast must report the interpreter's first issue.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from vschema import Validator
from vschema.validators._interpret import explain, first_issue

EDGE_INTS = [0, 1, -1, 2**53, 2**53 + 1, -(2**53) - 1, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1]
EDGE_FLOATS = [0.0, -0.0, 1.0, 1.5, float("nan"), float("inf"), float("-inf"), 2.0**60]
KEYS = st.sampled_from(["a", "b", "kind", "tag", "_x", "$a", "é", "", "x y", "\n", "1"])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from(EDGE_INTS),
    st.integers(),
    st.sampled_from(EDGE_FLOATS),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.sampled_from(["a", "b", "circle", "square", "\ud800", "x" * 40]),
    st.binary(max_size=4),
    st.builds(bytearray, st.binary(max_size=2)),
)


def junk_values() -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.tuples(inner),
            st.dictionaries(KEYS, inner, max_size=4),
            st.dictionaries(st.integers(0, 3), inner, max_size=2),
        ),
        max_leaves=12,
    )


def assert_agree(validator: Validator, value: object) -> None:
    issues = explain(validator, value)
    assert validator.is_valid(value) == (issues == []), (validator, value, issues)
    first = first_issue(validator, value)
    assert first == (issues[0] if issues else None)
