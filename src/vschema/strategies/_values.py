"""The public strategies of one validator: `from_validator` and `invalid`."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from vschema.strategies._arguments import FieldPath, _Arguments
from vschema.strategies._budget import _DRAW_BUDGET, _budgeted, _head
from vschema.strategies._common import _ISSUE_CODES, ExpectedIssue, Path, _Flaw
from vschema.strategies._walk import _VALUES, _walk_for
from vschema.validators._errors import IssueCode
from vschema.validators._nodes import Validator


def _check_validator(where: str, validator: object) -> Validator:
    if not isinstance(validator, Validator):
        raise InvalidArgument(
            f"{where} expects a vschema validator (built with vschema.v), "
            f"got {type(validator).__name__} {validator!r:.80}"
        )
    return validator


def _check_codes(where: str, codes: Iterable[str] | None) -> frozenset[str] | None:
    if codes is None:
        return None
    if isinstance(codes, str):
        raise InvalidArgument(f"{where}: codes must be a collection of issue codes, got {codes!r}")
    chosen = frozenset(codes)
    unknown = sorted(chosen - _ISSUE_CODES)
    if unknown:
        raise InvalidArgument(
            f"{where}: unknown issue code(s) {', '.join(map(repr, unknown))}; "
            f"known codes: {', '.join(sorted(_ISSUE_CODES))}"
        )
    return chosen


def from_validator(
    validator: Validator,
    *,
    json_safe: bool = False,
    convex_json: bool = False,
    max_items: int | Mapping[FieldPath, int] | None = None,
    max_size: int | None = None,
) -> SearchStrategy[Any]:
    """Values that ``validator`` accepts.

    Objects come with optional fields both present and absent, unions from every member, numbers
    at their edges (``±2**63`` for `v.int64()`; NaN, ±inf, -0.0 and ints up to ``2**53`` for
    `v.float64()`), valid Convex IDs of every length, awkward strings, and `v.any()` as arbitrary
    Convex values. Arrays and records stay small; nesting stays within Convex's limit.
    A validator nothing can match (``v.union()``) gives `hypothesis.strategies.nothing()`,
    and so does one with ``json_safe=True`` that only bytes match.

    ``json_safe``, ``convex_json``, ``max_items`` and ``max_size`` are `for_table`'s (paths
    in ``max_items`` start at ``validator``, an object).
    """
    where = "from_validator()"
    node = _check_validator(where, validator)
    arguments = _Arguments(where)
    arguments.json(json_safe, convex_json)
    arguments.sizes(max_items, max_size)
    node = arguments.paths.apply(node)
    strategy = _walk_for(arguments.options, document=False).valid(node, 0)
    if strategy is None:
        return st.nothing()
    text = arguments.text()
    return _budgeted(
        arguments.finish(strategy, node),
        "from_validator",
        lambda: _head(node) + text,
        arguments.size,
    )


def _one_flaw(
    flaws: list[_Flaw],
    codes: frozenset[str] | None,
    what: Callable[[], str],
    name: str,
    args: Callable[[], str],
    size: int = _DRAW_BUDGET,
) -> SearchStrategy[tuple[Any, ExpectedIssue]]:
    chosen = [(c, s) for c, s in flaws if codes is None or c in codes]
    if not chosen:
        wanted = f" with code {', '.join(sorted(codes))}" if codes else ""
        raise InvalidArgument(f"{what()} admits no invalid value{wanted} to draw")
    drawn = st.one_of([strategy.map(_expected(code)) for code, strategy in chosen])
    return _budgeted(drawn, name, lambda: args() + _codes_arg(codes), size)


def _codes_arg(codes: frozenset[str] | None) -> str:
    return "" if codes is None else f", codes={sorted(codes)!r}"


def _expected(code: IssueCode) -> Callable[[tuple[Any, Path]], tuple[Any, ExpectedIssue]]:
    def build(drawn: tuple[Any, Path]) -> tuple[Any, ExpectedIssue]:
        return drawn[0], ExpectedIssue(code, drawn[1])

    return build


def invalid(
    validator: Validator, *, codes: Collection[IssueCode] | None = None
) -> SearchStrategy[tuple[Any, ExpectedIssue]]:
    """Pairs ``(value, expected)``: a value that breaks exactly one rule of ``validator``, and
    the first issue `validator.errors(value)` reports for it (``expected.code``,
    ``expected.path``).

    Flaws: a wrong type (``bool`` where a number belongs, ``tuple`` for a list, ...), a missing
    required field, an extra field, a bad field name, a literal or union-tag miss, an int out of
    range, a bad ID, a lone surrogate, and Convex's limits broken (too deep, an array over 8192
    elements, an object over 1024 fields), at any path. A long array repeats one valid item and
    a big record adds valid entries, so the size is the only flaw; where no item or entry is
    valid (``v.array(v.union())``) those flaws are not offered. Draws shrink to the simplest
    flaw on the smallest payload. ``codes`` keeps only flaws reporting those issue codes;
    asking for codes no value of this validator can produce raises `InvalidArgument`.
    """
    node = _check_validator("invalid()", validator)
    chosen = _check_codes("invalid()", codes)
    # The message is made only when it is raised: a tree that reuses subtrees can have a
    # repr far longer than the tree is big.
    return _one_flaw(
        _VALUES.trimmed().flaws(node, 0),
        chosen,
        lambda: f"invalid(): {node!r:.200}",
        "invalid",
        lambda: _head(node),
    )
