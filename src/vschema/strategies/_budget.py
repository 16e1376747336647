"""The per-draw size budget, and the short names (reprs) of the strategies built with it."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from vschema.strategies._common import _MAX_ITEMS
from vschema.strategies._scalars import _FIELD_NAMES
from vschema.validators._nodes import Validator

# A valid value is its validator's smallest value plus whatever optional parts a draw adds:
# array items, record entries, optional fields, a union member bigger than the smallest one,
# nested `v.any()` containers. Each part costs the size of the smallest value it brings (see
# `_Walk.min_size`) and is drawn only while one draw's budget covers it, so a draw is at most
# `_DRAW_BUDGET` nodes bigger than the smallest value however deep the validator nests, and
# every strategy can stop at its smallest value: each choice has a branch that costs nothing
# (no more items, the field absent, the cheapest member), and Hypothesis shrinks towards it.
# A part gets a share of what is left for its own parts, so deeper levels draw fewer and
# shorter collections.

#: How many value nodes one draw may add beyond its validator's smallest value.
_DRAW_BUDGET = 48
_T = TypeVar("_T")


class _Budget:
    """What is left of one draw's budget (one top-level value, valid or invalid)."""

    __slots__ = ("left",)

    def __init__(self, left: int) -> None:
        self.left = left


#: The budget of the draw under way: set by the outermost budgeted strategy, read by every
#: strategy it draws from (a context variable: draws on other threads have their own).
_CURRENT_BUDGET: ContextVar[_Budget | None] = ContextVar("vschema_draw_budget", default=None)


@contextmanager
def _budget(size: int = _DRAW_BUDGET) -> Iterator[_Budget]:
    """The budget of the draw under way, or a new one of ``size`` for a draw that starts
    here."""
    budget = _CURRENT_BUDGET.get()
    if budget is not None:
        yield budget
        return
    budget = _Budget(size)
    token = _CURRENT_BUDGET.set(budget)
    try:
        yield budget
    finally:
        _CURRENT_BUDGET.reset(token)


def _draw_part(draw: st.DrawFn, budget: _Budget, part: SearchStrategy[_T], cost: int) -> _T:
    """Draw one part of a value, paying ``cost``; its own parts may spend three quarters of
    what is left (what they spend is gone for the parts drawn after it)."""
    budget.left -= cost
    rest = budget.left
    share = rest - rest // 4
    budget.left = share
    try:
        return draw(part)
    finally:
        budget.left = rest - (share - budget.left)


#: Whether to draw one more item: 0 stops (what draws shrink to). Drawn from ``0..k`` for a
#: container of at most ``most`` items: ``k = most // 2`` (2 to `_MOST_MORE`) at the top
#: (a value's own lists, a row's fields), halved for each level below. The more items a
#: container may hold, the longer it tends to be: a top-level cap of 8 draws five or more
#: items in about a quarter of the draws (a bug that needs five shows), a raised cap draws
#: long ones; deeper lists stay short, so deep and wide values stay cheap to draw and check.
_MOST_MORE = 32
_MORE: dict[int, SearchStrategy[int]] = {}


def _more(most: int, depth: int = 0) -> SearchStrategy[int]:
    # A value's own lists and a row's fields' lists (depth 1) both count as the top.
    k = max(2, min(most // 2, _MOST_MORE) >> min(max(depth - 1, 0), 8))
    strategy = _MORE.get(k)
    if strategy is None:
        strategy = _MORE[k] = st.integers(0, k)
    return strategy


#: Serial numbers that give each budgeted strategy a span label of its own (see `_strategy`).
_SERIALS = itertools.count()


def _strategy(body: Callable[..., _T], *args: Any) -> SearchStrategy[_T]:
    """``body(draw, *args)`` as a strategy, with a span label of its own.

    Hypothesis labels a composite's spans by its function's code and defaults, not by its
    arguments; its mutator copies choices between spans with one label. Were all lists one
    label, it would copy a list of objects' choices where a list of arrays was drawn, and
    the draw would overrun its data budget. The serial number, a default, tells them apart.
    """
    serial = next(_SERIALS)

    def draw_part(draw: st.DrawFn, _label: int = serial) -> _T:
        return body(draw, *args)

    return st.composite(draw_part)()


#: How long the arguments in a strategy's repr may be (a validator is cut to `_HEAD_LENGTH`).
_ARGS_LENGTH = 160
_HEAD_LENGTH = 80


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 3] + "..."


class _Shown:
    """The arguments a strategy's repr shows, made only when the repr is asked for (a big
    validator's repr takes work) and cut to `_ARGS_LENGTH`."""

    __slots__ = ("_make", "_text")

    def __init__(self, make: Callable[[], str]) -> None:
        self._make = make
        self._text: str | None = None

    def __repr__(self) -> str:
        if self._text is None:
            self._text = _cut(self._make(), _ARGS_LENGTH)
        return self._text


def _head(node: Validator) -> str:
    """The start of a validator's builder syntax, enough to tell which one it is."""
    return _cut(repr(node), _HEAD_LENGTH)


def _named_draw(
    name: str, args: Callable[[], str], body: Callable[[st.DrawFn], _T]
) -> SearchStrategy[_T]:
    """``body(draw)`` as a strategy whose repr is ``name(args())``, bounded however big the
    strategies it draws from are.

    Hypothesis puts strategy reprs into failure notes and filter events, and the repr of a
    ``one_of``, ``builds`` or ``.map`` spells out every strategy inside it: built from a
    wide or deep validator that runs to megabytes. A composite's repr is its function's name
    and its arguments, so the drawing function takes the name, and a `_Shown` argument whose
    repr is the text; ``.map`` and ``.filter`` of the result then read ``name(args).map(f)``.
    (Hypothesis does not support subclassing `SearchStrategy` to override ``__repr__``.)

    The strategies named here do the work of the ``builds`` or ``one_of`` they replace rather
    than wrap it: Hypothesis fails a draw nested 100 spans deep, and a value 64 levels deep has
    no span to spare.
    """
    serial = next(_SERIALS)

    def shown(draw: st.DrawFn, arguments: _Shown, /, _label: int = serial) -> _T:
        return body(draw)

    shown.__name__ = shown.__qualname__ = name
    return st.composite(shown)(_Shown(args))


def _named(strategy: SearchStrategy[_T], name: str, args: Callable[[], str]) -> SearchStrategy[_T]:
    """``strategy`` with the repr ``name(args())`` (one span more: for the top of a draw)."""
    return _named_draw(name, args, lambda draw: draw(strategy))


def _named_builds(
    build: Callable[..., _T], name: str, args: Callable[[], str], *parts: SearchStrategy[Any]
) -> SearchStrategy[_T]:
    """``st.builds(build, *parts)`` with the repr ``name(args())``."""
    return _named_draw(name, args, lambda draw: build(*(draw(part) for part in parts)))


def _named_one_of(
    options: list[SearchStrategy[_T]], name: str, args: Callable[[], str]
) -> SearchStrategy[_T]:
    """``st.one_of(options)`` (shrinking towards the first) with the repr ``name(args())``."""
    if len(options) == 1:
        return options[0]
    choice = st.integers(0, len(options) - 1)
    return _named_draw(name, args, lambda draw: draw(options[draw(choice)]))


def _draw_budgeted(draw: st.DrawFn, strategy: SearchStrategy[_T], size: int) -> _T:
    with _budget(size):
        return draw(strategy)


def _budgeted(
    strategy: SearchStrategy[_T],
    name: str,
    args: Callable[[], str],
    size: int = _DRAW_BUDGET,
) -> SearchStrategy[_T]:
    """``strategy``, every part of one draw paid from one budget of ``size`` nodes (for public
    strategies), with the repr ``name(args())``."""
    return _named_draw(name, args, lambda draw: _draw_budgeted(draw, strategy, size))


def _draw_list(
    draw: st.DrawFn, items: SearchStrategy[Any], cost: int, most: int, more: SearchStrategy[int]
) -> list[Any]:
    with _budget() as budget:
        drawn: list[Any] = []
        while len(drawn) < most and budget.left >= cost and draw(more):
            drawn.append(_draw_part(draw, budget, items, cost))
        return drawn


def _lists(
    items: SearchStrategy[Any], cost: int, max_items: int = _MAX_ITEMS, depth: int = 0
) -> SearchStrategy[list[Any]]:
    """Lists of ``items`` (each costing ``cost``), up to ``max_items`` long, ``depth``
    containers deep (deeper lists tend to be shorter)."""
    return _strategy(_draw_list, items, cost, max_items, _more(max_items, depth))


def _draw_dict(
    draw: st.DrawFn,
    keys: SearchStrategy[Any],
    values: SearchStrategy[Any],
    cost: int,
    most: int,
    more: SearchStrategy[int],
) -> dict[Any, Any]:
    with _budget() as budget:
        drawn: dict[Any, Any] = {}
        while len(drawn) < most and budget.left >= cost and draw(more):
            key = draw(keys)  # a key drawn twice keeps the later value, as dict literals do
            drawn[key] = _draw_part(draw, budget, values, cost)
        return drawn


def _dicts(
    keys: SearchStrategy[Any],
    values: SearchStrategy[Any],
    cost: int,
    max_items: int = _MAX_ITEMS,
    depth: int = 0,
) -> SearchStrategy[dict[Any, Any]]:
    """Dicts with keys from ``keys`` and values from ``values`` (each costing ``cost``), as
    `_lists`."""
    return _strategy(_draw_dict, keys, values, cost, max_items, _more(max_items, depth))


#: A field's name, its strategy, and for an optional field what its presence costs.
_Fields = tuple[tuple[str, SearchStrategy[Any]], ...]
_OptionalFields = tuple[tuple[str, SearchStrategy[Any], int], ...]


def _draw_object(draw: st.DrawFn, required: _Fields, optional: _OptionalFields) -> dict[str, Any]:
    with _budget() as budget:
        drawn: dict[str, Any] = {}
        for name, strategy in required:
            drawn[name] = _draw_part(draw, budget, strategy, 0)
        for name, strategy, cost in optional:
            if budget.left >= cost and draw(st.booleans()):
                drawn[name] = _draw_part(draw, budget, strategy, cost)
        return drawn


def _objects_of(required: _Fields, optional: _OptionalFields) -> SearchStrategy[dict[str, Any]]:
    """Objects with every ``required`` field and some ``optional`` ones (in this order, as
    `hypothesis.strategies.fixed_dictionaries` draws them)."""
    return _strategy(_draw_object, required, optional)


_Options = tuple[tuple[SearchStrategy[Any], int], ...]


def _draw_one_of(draw: st.DrawFn, options: _Options) -> Any:
    with _budget() as budget:
        allowed = [(strategy, extra) for strategy, extra in options if extra <= budget.left]
        index = draw(st.integers(0, len(allowed) - 1)) if len(allowed) > 1 else 0
        strategy, extra = allowed[index]
        budget.left -= extra
        return draw(strategy)


def _one_of_within(options: _Options) -> SearchStrategy[Any]:
    """A value of one of ``options``, each ``(strategy, extra)``: ``extra`` is what choosing it
    costs beyond the cheapest option (which costs 0), so there is always one to choose."""
    return _strategy(_draw_one_of, options)


def _draw_any(
    draw: st.DrawFn,
    scalars: SearchStrategy[Any],
    containers: tuple[SearchStrategy[Any], ...],
) -> Any:
    with _budget() as budget:
        if budget.left < 1:
            return draw(scalars)
        kind = draw(st.integers(0, len(containers)))
        if kind == 0:
            return draw(scalars)
        budget.left -= 1
        return draw(containers[kind - 1])


def _any_containers(
    scalars: SearchStrategy[Any], inner: SearchStrategy[Any], chains: SearchStrategy[Any]
) -> SearchStrategy[Any]:
    """A `v.any()` value with room for containers: a scalar, a list or dict of ``inner``
    values, or a chain of one-element lists as deep as the nesting limit allows (cheap to
    draw however deep: one level count and one leaf)."""
    containers = (_lists(inner, 1, 3), _dicts(_FIELD_NAMES, inner, 1, 3), chains)
    return _strategy(_draw_any, scalars, containers)
