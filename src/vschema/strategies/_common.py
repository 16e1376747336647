"""Shared types and limits of the strategies: paths, flaws, item caps, `ExpectedIssue`."""

from __future__ import annotations

from typing import Any, get_args

import attrs
from hypothesis.strategies import SearchStrategy

from vschema.validators._errors import Issue, IssueCode, PathKey
from vschema.validators._values import MAX_ARRAY_LENGTH

Path = tuple[PathKey, ...]
#: A flaw: the issue code it causes, and a strategy of ``(value, path of the issue)``.
_Flaw = tuple[IssueCode, SearchStrategy[tuple[Any, Path]]]

_ISSUE_CODES: frozenset[str] = frozenset(get_args(IssueCode))
#: Arrays and records stay this small in valid draws by default (Convex allows 8192 / 1024):
#: large enough that a bug needing five items shows (a list reaches five items in about one
#: draw in eight), small enough that the draw budget, not this cap, bounds deep values.
_MAX_ITEMS = 8
#: The most ``max_items`` and ``max_size`` may ask for: far past this, draws overrun
#: Hypothesis's own data budget and fail as overruns, not as the bugs they look for.
_MAX_ITEMS_ARG = MAX_ARRAY_LENGTH
_MAX_SIZE_ARG = 10_000


@attrs.frozen
class ExpectedIssue:
    """The first issue an invalid draw must produce: its `IssueCode` and its path."""

    code: IssueCode
    path: Path

    def matches(self, issue: Issue | None) -> bool:
        """Whether ``issue`` has this code and path."""
        return issue is not None and issue.code == self.code and issue.path == self.path

    def __str__(self) -> str:
        where = "".join(f"[{key!r}]" for key in self.path) or "(the value)"
        return f"{self.code} at {where}"


#: Walks are shared and cache their strategies per node and depth: Hypothesis validates a
#: strategy object once, so reusing them keeps repeated and overlapping validators cheap.
#: Entries are keyed by the node's identity (the entry keeps the node, so its id is not reused
#: while the entry lives): a subtree that appears in many places is walked once, and equal but
#: distinct trees cost no deep comparison.
_CACHE_LIMIT = 20_000
