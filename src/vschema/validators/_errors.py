"""The two kinds of failure: a bad schema (`SchemaError`) and bad data (`ValidationError`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from vschema.validators._values import identifier_error, key_text

__all__ = [
    "MAX_ISSUES",
    "FirstIssue",
    "Issue",
    "IssueCode",
    "IssueLimitReached",
    "IssueList",
    "LeadingIssue",
    "PathKey",
    "SchemaError",
    "VSchemaError",
    "ValidationError",
    "collect_issues",
    "format_path",
    "make_issue",
    "truncated",
    "validation_error",
]

#: The stable codes an `Issue` can carry. Convex's backend variants map onto the first five.
IssueCode = Literal[
    "no_match",  # Convex NoMatch: wrong type, or no member of a union matched
    "literal_mismatch",  # Convex LiteralValuesDoNotMatch
    "missing_field",  # Convex MissingRequiredField
    "extra_field",  # Convex ExtraField
    "invalid_id",  # a string that does not decode as a Convex ID
    "out_of_range",  # an int outside int64, or beyond 2**53 where a float64 belongs
    "invalid_string",  # a str with lone surrogates: not UTF-8, so not a Convex string
    "invalid_field_name",  # an object key Convex rejects ($-prefixed, non-ASCII, too long, not str)
    "reserved_field",  # a top-level document field starting with "_" that is not a system field
    "unsupported_type",  # a Python value that is no Convex value (set, tuple, datetime, ...)
    "too_nested",  # deeper than Convex's nesting limit
    "too_long",  # an array longer than 8192 elements
    "too_many_fields",  # an object with more than 1024 fields
    "too_large",  # a document over Convex's size limit
    "invalid_encoding",  # malformed Convex JSON: a broken $integer/$float/$bytes, $set, non-JSON
    "too_many_issues",  # the last issue of a list cut at MAX_ISSUES: there are more
]

PathKey = str | int


def format_path(path: tuple[PathKey, ...]) -> str:
    """A path as Convex prints it (``.a[1].b``), quoting keys that are not identifiers."""
    parts = []
    for key in path:
        if isinstance(key, int):
            parts.append(f"[{key}]")
        elif identifier_error(key) is None:
            parts.append(f".{key}")
        else:
            # Quote keys that would read ambiguously after a dot (record keys can be any text).
            escaped = key_text(key.replace("\\", "\\\\").replace('"', '\\"'))
            parts.append(f'["{escaped}"]')
    return "".join(parts)


class Issue:
    """One thing wrong with a value.

    ``path`` is where, as keys and list indexes from the validated value (``("tags", 3)``);
    ``code`` is a stable `IssueCode` for programs; ``message`` is the Convex backend's wording,
    without the ``Path:`` line that `str` adds (what Convex users search for).

    For an app's own users: ``expected`` is a short text of what was expected (``string``,
    ``one of "saas_mvp", "ai_agent"``, ``an Id of table "users"``, ``at most 8192 items``),
    ``received`` the kind of value found (``number``, ``null``, ``Python tuple``; empty where
    the issue is not about one value's kind), ``hint`` how to fix a common Python mistake, and
    `summary` all of it in plain words (``Expected a string, got a number``). None of these
    echo the value itself.

    Immutable, hashable, picklable, equal to an issue of the same fields. Deliberately not a
    tuple: an issue is never serialised by accident (`message` shows the value), only through
    `as_dict`. ``copy.replace(issue, message=...)`` (Python 3.13+) makes a changed copy.
    """

    # One slot holding the six fields: every rejection builds issues, and one tuple set on a
    # new object (`make_issue`) costs about 140 ns where six attribute stores cost 360 ns.
    __slots__ = ("_fields",)
    __match_args__ = ("path", "code", "message", "expected", "received", "hint")
    _fields: tuple[tuple[PathKey, ...], IssueCode, str, str, str, str]

    def __init__(
        self,
        path: tuple[PathKey, ...],
        code: IssueCode,
        message: str,
        expected: str = "",
        received: str = "",
        hint: str = "",
    ) -> None:
        _set_fields(self, (path, code, message, expected, received, hint))

    @property
    def path(self) -> tuple[PathKey, ...]:
        """Where: the keys and list indexes from the validated value, ``("tags", 3)``."""
        return self._fields[0]

    @property
    def code(self) -> IssueCode:
        """A stable `IssueCode`, for programs."""
        return self._fields[1]

    @property
    def message(self) -> str:
        """The Convex backend's wording (it shows the value), without the ``Path:`` line."""
        return self._fields[2]

    @property
    def expected(self) -> str:
        """What was expected, in a few words: ``string``, ``an Id of table "users"``."""
        return self._fields[3]

    @property
    def received(self) -> str:
        """The kind of value found (``number``, ``Python tuple``), or empty."""
        return self._fields[4]

    @property
    def hint(self) -> str:
        """How to fix a common Python mistake, or empty."""
        return self._fields[5]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Issue is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Issue is immutable: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not Issue:
            return NotImplemented
        return self._fields == other._fields

    def __hash__(self) -> int:
        return hash(self._fields)

    def __repr__(self) -> str:
        parts = ", ".join(
            f"{name}={value!r}" for name, value in zip(_NAMES, self._fields, strict=True)
        )
        return f"Issue({parts})"

    def __reduce__(self) -> tuple[type[Issue], tuple[object, ...]]:
        return (Issue, self._fields)

    def __setstate__(self, state: dict[str, object]) -> None:
        # Pickles made before Issue held one slot (an attrs class's state: a dict by name).
        _set_fields(self, tuple(state[name] for name in _NAMES))

    def __replace__(self, **changes: object) -> Issue:
        """A copy with some fields changed (``copy.replace`` calls this, on Python 3.13+)."""
        unknown = set(changes) - set(_NAMES)
        if unknown:
            raise TypeError(f"Issue has no field {sorted(unknown)[0]!r}")
        fields = tuple(
            changes.get(name, value) for name, value in zip(_NAMES, self._fields, strict=True)
        )
        return make_issue(fields)  # type: ignore[arg-type]

    @property
    def path_text(self) -> str:
        """The path as Convex prints it: ``.comments[3].author``; empty at the top level."""
        return format_path(self.path)

    @property
    def summary(self) -> str:
        """The issue in plain words for an app's users: ``Expected a string, got a number``,
        ``Required``, ``Unknown field "password"``, ``Must be one of "a", "b"``."""
        text = _SUMMARIES.get(self.code, _plain)(self)
        return f"{text} ({self.hint})" if self.hint else text

    def as_dict(self, *, detail: bool = False) -> dict[str, object]:
        """JSON-ready, for HTTP error bodies, and safe to send to a client by default.

        ``{"path": [...], "code": ..., "summary": ..., "expected": ..., "received": ...}``:
        no part of the value is echoed (a key on ``path`` is where, not what) and nothing of
        the validator beyond ``expected``. ``detail=True`` adds Convex's full ``message``
        (which shows the value and the validator) and the ``hint``, for logs and developers.
        Always encodable as UTF-8 JSON: text with lone surrogates (which no UTF-8 text can
        hold) is written with them escaped, ``\\u{d800}``.
        """
        out: dict[str, object] = {
            "path": [_utf8_safe(key) if isinstance(key, str) else key for key in self.path],
            "code": self.code,
            "summary": _utf8_safe(self.summary),
            "expected": _utf8_safe(self.expected),
            "received": self.received,
        }
        if detail:
            out["message"] = _utf8_safe(self.message)
            out["hint"] = _utf8_safe(self.hint)
        return out

    def __str__(self) -> str:
        headline, _, details = self.message.partition("\n")
        lines = [headline]
        if self.path:
            lines.append(f"Path: {self.path_text}")
        if details:
            lines.append(details)
        if self.hint:
            lines.append(f"Hint: {self.hint}")
        return "\n".join(lines)


def _article(text: str) -> str:
    """``string`` -> ``a string``; texts that already read as a phrase stay as they are."""
    if not text or text.startswith(("a ", "an ", "one of", "at ", "the ", "no ", '"')):
        return text
    if text == "null" or text.startswith(("null ", "bytes")):
        return text  # a mass noun and a value: "got null", "expected bytes"
    if text[0].isdigit() or text[0] in "-<":
        return text
    return ("an " if text[0] in "aeiou" else "a ") + text


def _plain(issue: Issue) -> str:
    return f"Expected {_article(issue.expected)}" if issue.expected else "Invalid value"


def _no_match(issue: Issue) -> str:
    got = f", got {_article(issue.received)}" if issue.received else ""
    return f"Expected {_article(issue.expected)}{got}"


def _last_key(issue: Issue) -> str:
    key = issue.path[-1] if issue.path else ""
    return '"' + key_text(str(key)).replace("\\", "\\\\").replace('"', '\\"') + '"'


_SUMMARIES: dict[str, Callable[[Issue], str]] = {
    "no_match": _no_match,
    "literal_mismatch": lambda issue: f"Must be {issue.expected}",
    "missing_field": lambda issue: "Required",
    "extra_field": lambda issue: f"Unknown field {_last_key(issue)}",
    "invalid_id": _plain,
    "out_of_range": lambda issue: f"Must be {issue.expected}",
    "invalid_string": lambda issue: "Must be valid text (it holds a lone surrogate)",
    "invalid_field_name": lambda issue: f"Invalid field name: must be {issue.expected}",
    "reserved_field": lambda issue: "Field names starting with _ are reserved",
    "unsupported_type": _no_match,
    "too_nested": lambda issue: f"Nested too deeply: {issue.expected}",
    "too_long": lambda issue: f"Too many items: {issue.expected}",
    "too_many_fields": lambda issue: f"Too many fields: {issue.expected}",
    "too_large": lambda issue: f"Too large: {issue.expected}",
    "invalid_encoding": lambda issue: f"Not valid {issue.expected or 'input'}",
    "too_many_issues": lambda issue: "More problems not listed",
}


def _utf8_safe(text: str) -> str:
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return key_text(text)
    return text


_NAMES = Issue.__match_args__
_set_fields: Callable[[Issue, tuple[object, ...]], None] = Issue.__dict__["_fields"].__set__
_new_object = object.__new__


def make_issue(fields: tuple[tuple[PathKey, ...], str, str, str, str, str]) -> Issue:
    """An `Issue` of exactly these six fields (path, code, message, expected, received,
    hint), without ``Issue(...)``'s argument handling: the walks build one per issue."""
    issue: Issue = _new_object(Issue)
    _set_fields(issue, fields)
    return issue


def reworded(issue: Issue, message: str) -> Issue:
    """``issue`` with another message (a union's note added, a record key's prefix)."""
    path, code, _, expected, received, hint = issue._fields
    return make_issue((path, code, message, expected, received, hint))


#: How many issues one call collects at most; the last one then says that there are more. A
#: value that repeats one bad part many times (or holds itself) would otherwise make an issue
#: list, and the time to build it, as large as the value unfolded.
MAX_ISSUES = 100


_list_append = list.append


class IssueLimitReached(Exception):
    """Raised to stop a walk whose issue list is full: at `MAX_ISSUES` (by `IssueList`, or by the
    walks' own checks on a plain list), or at the first issue or two (`FirstIssue`,
    `LeadingIssue`)."""


class IssueList(list[Issue]):
    """A list of issues that holds at most `MAX_ISSUES`: the next append stops the walk."""

    __slots__ = ()

    def append(self, issue: Issue) -> None:
        if len(self) >= MAX_ISSUES:
            raise IssueLimitReached
        # Not `super().append`: every issue of every rejection comes through here.
        _list_append(self, issue)

    def extend(self, issues: Iterable[Issue]) -> None:
        for issue in issues:
            self.append(issue)


class FirstIssue(list[Issue]):
    """A list that takes one issue and then stops the walk that fills it (fail-fast mode)."""

    __slots__ = ()

    def append(self, issue: Issue) -> None:
        _list_append(self, issue)
        raise IssueLimitReached

    def extend(self, issues: Iterable[Issue]) -> None:
        # A union's walk extends with the chosen member's issues: the first must stop the walk.
        for issue in issues:
            self.append(issue)


class LeadingIssue(FirstIssue):
    """A list that keeps the first issue and stops the walk when a second comes (`first_issue`):
    a value with one issue, the commonest rejection, is explained without raising, and one
    with many stops at the second."""

    __slots__ = ()

    def append(self, issue: Issue) -> None:
        if self:
            raise IssueLimitReached
        _list_append(self, issue)


def collect_issues(fill: Callable[[list[Issue]], None]) -> list[Issue]:
    """The issues ``fill`` appends, cut at `MAX_ISSUES` with a last one saying so."""
    issues = IssueList()
    try:
        fill(issues)
    except IssueLimitReached:
        return truncated(issues)
    return list(issues)


def truncated(issues: list[Issue]) -> list[Issue]:
    """The first `MAX_ISSUES` of more than that many ``issues``, with a last one saying that
    there are more."""
    out = issues[:MAX_ISSUES]
    out.append(
        Issue(
            (),
            "too_many_issues",
            f"The value has more issues than the {MAX_ISSUES} listed; the rest are left out.",
            f"at most {MAX_ISSUES} issues",
        )
    )
    return out


class VSchemaError(ValueError):
    """Base class of every error vschema raises on purpose."""


class SchemaError(VSchemaError):
    """A schema or validator is malformed; raised when it is defined, never when it is used."""


class ValidationError(VSchemaError):
    """A value does not match a validator; ``issues`` lists every problem, in Convex's order."""

    # The message is rendered when first read (`__str__`), not when raised: a handler that
    # answers with `issues` (an HTTP 422, say) never pays for text it does not show.
    _message: str | None = None

    def __init__(self, issues: Iterable[Issue]) -> None:
        issues = tuple(issues)
        if not issues:
            raise ValueError("ValidationError needs at least one issue")
        # What `super().__init__(issues)` would do, without its cost.
        self.args = (issues,)

    @property
    def issues(self) -> tuple[Issue, ...]:
        """Every issue, in Convex's order (at least one)."""
        issues: tuple[Issue, ...] = self.args[0]
        return issues

    def __str__(self) -> str:
        if self._message is None:
            text = str(self.issues[0])
            others = len(self.issues) - 1
            if others:
                text += f"\n(and {others} more issue{'s' if others > 1 else ''})"
            self._message = text
        return self._message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self.issues)!r})"

    def __reduce__(self) -> tuple[type[ValidationError], tuple[tuple[Issue, ...]]]:
        return (type(self), (self.issues,))


#: ``validation_error(issues)``: a `ValidationError` of ``issues``, a non-empty `list` or tuple
#: of `Issue` that vschema built, made without running `ValidationError.__init__`: exceptions
#: are made in C (`BaseException.__new__` sets ``args``), and every rejection makes one.
def validation_error(issues: list[Issue] | tuple[Issue, ...]) -> ValidationError:
    """A `ValidationError` of vschema's own non-empty ``issues``, made in C."""
    return _new_error(ValidationError, tuple(issues))


_new_error = BaseException.__new__
