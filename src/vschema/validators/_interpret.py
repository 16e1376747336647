"""The reference validator: a plain recursive walk that collects every issue.

This is the definition of what a validator accepts, written to be obviously right rather than
fast. The compiled checks in `_compile` must agree with it on every value (a Hypothesis test says
so); validation runs the compiled check first and comes here only to explain a failure.

Order follows the Convex backend (``convex-semantics.md`` section 8): object fields in sorted
order (a wrong type on ``a`` before a missing ``b``), extra fields after every declared field,
record entries in sorted key order. Where Convex stops at the first problem, this walk goes on and
reports every one, so the backend's error is always the first issue.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable

import attrs

from vschema._typing import assert_never
from vschema.validators._display import (
    PLAIN_KINDS,
    convex_display,
    display_value,
    expected_text,
    int_text,
    literal_value_text,
    literals_of,
    one_of,
    safe_repr,
    show_value,
    value_hint,
    value_kind,
)
from vschema.validators._errors import (
    MAX_ISSUES,
    FirstIssue,
    Issue,
    IssueLimitReached,
    PathKey,
    collect_issues,
    make_issue,
    reworded,
)
from vschema.validators._ids import id_error
from vschema.validators._nodes import (
    Validator,
    VAny,
    VArray,
    VBoolean,
    VBytes,
    VCommitTs,
    VFloat64,
    VId,
    VInt64,
    VLiteral,
    VNull,
    VObject,
    VRecord,
    VString,
    VUnion,
    as_node,
)
from vschema.validators._values import (
    COMMIT_TS,
    FLOAT64_SAFE_INTEGER,
    INT64_MAX,
    INT64_MIN,
    MAX_ARRAY_LENGTH,
    MAX_NESTING,
    MAX_OBJECT_FIELDS,
    field_name_error,
    is_utf8,
)

__all__ = [
    "NoMatch",
    "any_value_ok",
    "explain",
    "explain_exact_numbers",
    "first_issue",
    "literal_matches",
    "no_match_facts",
    "no_match_issue",
    "tagged_union_note",
    "union_tag",
]

Path = tuple[PathKey, ...]


def explain(validator: Validator, value: object) -> list[Issue]:
    """Every issue of ``value`` against ``validator``, in Convex's order (empty when valid);
    at most `MAX_ISSUES`, the last then saying that there are more."""
    return collect_issues(lambda issues: _walk(validator, value, (), 0, issues))


class _Numbers(threading.local):
    """Whether this thread's walk reads numbers exactly (`explain_exact_numbers`)."""

    exact = False


_numbers = _Numbers()

#: Added to a refusal of an `int` in exact-numbers mode: the value is an Int64 there.
INT64_NOT_FLOAT64 = (
    "\nThe value is an Int64 (an integer without a decimal point), where a Float64 is expected."
)
_INT64_HINT = "write the number as a Float64, with a decimal point (5.0) or an exponent"


def explain_exact_numbers(validator: Validator, value: object) -> list[Issue]:
    """`explain`, reading numbers as a Convex snapshot export writes them: a Python `int` is an
    Int64 only, so it matches no ``v.number()``/``v.float64()`` and no Float64 literal (a
    ``v.literal(1)`` or ``v.literal(1.0)``); a Float64 must be a `float`. Everything else, and
    ``v.int64()``, ``v.any()`` and Int64 literals, is exactly as `explain` reads it."""
    before = _numbers.exact
    _numbers.exact = True
    try:
        return explain(validator, value)
    finally:
        _numbers.exact = before


def first_issue(validator: Validator, value: object, depth: int = 0) -> Issue | None:
    """The first issue only, stopping as soon as it is found; ``None`` when ``value`` is valid."""
    memo: dict[tuple[int, int, int], tuple[object, object, Issue | None]] | None = getattr(
        _unions, "memo", None
    )
    if memo is not None:
        key = (id(validator), id(value), depth)
        known = memo.get(key)
        if known is not None:
            return known[2]
    sink = FirstIssue()
    found: Issue | None = None
    try:
        _walk(validator, value, (), depth, sink)
    except IssueLimitReached:
        found = sink[0]
    if memo is not None:
        # The entry holds the validator and the value, so their ids stay theirs meanwhile.
        memo[key] = (validator, value, found)
    return found


#: While a union is explained, the first issues its walk has asked for, by (validator, value,
#: depth): explaining a union asks its members, then walks the closest one, whose own unions
#: would ask again at every level below (quadratic in depth without it).
_unions = threading.local()


def any_value_ok(value: object, depth: int) -> bool:
    """Whether ``value`` is a Convex value that fits, ``depth`` containers deep (for `v.any()`)."""
    sink = FirstIssue()
    try:
        _walk_any(value, (), depth, sink)
    except IssueLimitReached:
        return False
    return True


def literal_matches(node: VLiteral, value: object) -> bool:
    """Convex's literal equality: same type, and Float64 compared bit for bit (``-0.0 != 0.0``)."""
    literal = node.value
    if isinstance(literal, bool):
        return value is literal
    if isinstance(literal, str):
        return type(value) is str and value == literal
    if node.int64:
        return type(value) is int and value == literal
    if type(value) is int:
        if abs(value) > FLOAT64_SAFE_INTEGER or _numbers.exact:
            return False
        number = float(value)
    elif type(value) is float:
        number = value
    else:
        return False
    return number == literal and math.copysign(1.0, number) == math.copysign(1.0, literal)


@attrs.frozen
class NoMatch:
    """What a wrong-type issue against ``node`` says around the value itself: worked out once
    per validator (the compiled explainer hoists it), so each rejection only adds the value."""

    node: Validator
    head: str
    tail: str
    expected: str


def no_match_facts(node: Validator, extra: str = "") -> NoMatch:
    """The `NoMatch` for ``node``; ``extra`` goes after Convex's message (a union's list of
    what each member expected)."""
    return NoMatch(
        node,
        "Value does not match validator.\nValue: ",
        f"\nValidator: {convex_display(node)}{extra}",
        expected_text(node),
    )


def no_match_issue(path: Path, value: object, facts: NoMatch) -> Issue:
    """Convex's NoMatch for ``value`` at ``path``, with what was expected, what came, and a
    hint where the value is a common Python mistake."""
    kind = PLAIN_KINDS.get(type(value))
    if kind is None:
        kind, hint = value_kind(value), value_hint(value, facts.node)
    elif value is None and facts.node.is_optional:
        hint = value_hint(value, facts.node)
    else:
        hint = ""  # a plain JSON value of the wrong type: the commonest rejection, kept cheap
    return make_issue(
        (path, "no_match", facts.head + show_value(value) + facts.tail, facts.expected, kind, hint)
    )


def _no_match(path: Path, value: object, node: Validator, extra: str = "") -> Issue:
    return no_match_issue(path, value, no_match_facts(node, extra))


def _container_limits(
    value: dict[object, object] | list[object], path: Path, depth: int, issues: list[Issue]
) -> bool:
    """Report Convex's size and nesting limits for a container; True when it may be walked."""
    if depth >= MAX_NESTING:
        issues.append(
            Issue(
                path,
                "too_nested",
                f"Value is too nested (nested {depth + 1} levels deep > maximum nesting "
                f"{MAX_NESTING})",
                f"at most {MAX_NESTING} levels of nesting",
                value_kind(value),
            )
        )
        return False
    if type(value) is list and len(value) > MAX_ARRAY_LENGTH:
        issues.append(
            Issue(
                path,
                "too_long",
                f"Array length is too long ({len(value)} > maximum length {MAX_ARRAY_LENGTH})",
                f"at most {MAX_ARRAY_LENGTH} items",
                "array",
            )
        )
        return False
    if type(value) is dict and len(value) > MAX_OBJECT_FIELDS:
        issues.append(
            Issue(
                path,
                "too_many_fields",
                f"Object has too many fields ({len(value)} > maximum number {MAX_OBJECT_FIELDS})",
                f"at most {MAX_OBJECT_FIELDS} fields",
                "object",
            )
        )
        return False
    return True


def _entries(value: dict[object, object]) -> list[tuple[object, object]]:
    """A dict's entries in Convex's order: keys by UTF-8 bytes; keys that are not exactly
    `str` last, in the order they came. Read from ``items()``, never by looking a key up, so
    a key's own ``__hash__`` and ``__eq__`` never run."""
    return sorted(value.items(), key=_entry_order)


def _str_keyed(entries: Iterable[tuple[object, object]]) -> dict[str, object]:
    """The entries whose key is exactly a `str`: the only ones a field is looked up among. A
    key of another type could claim to equal a field's name (its ``__eq__`` runs in a lookup)
    and stand in for it."""
    return {key: item for key, item in entries if type(key) is str}


def _entry_order(entry: tuple[object, object]) -> tuple[bool, bytes]:
    key = entry[0]
    if type(key) is str:
        return (False, key.encode("utf-8", "surrogatepass"))
    return (True, b"")


def _field_name_issue(key: object, path: Path) -> Issue | None:
    if type(key) is not str:
        if isinstance(key, str):
            # Its text, copied by str's own code: a subclass may redefine __str__ and __eq__.
            text = str.__str__(key)
            return Issue(
                (*path, text),
                "invalid_field_name",
                f"Field name {display_value(text)} is a {type(key).__name__}, not a str: Convex "
                "object keys are exactly str (convert the key with str(...)).",
                _FIELD_NAME,
                value_kind(key),
                "convert the key with str(...)",
            )
        return Issue(
            (*path, safe_repr(key)),
            "invalid_field_name",
            f"Field name {safe_repr(key)} is not a string: Convex object keys are strings.",
            _FIELD_NAME,
            value_kind(key),
        )
    problem = field_name_error(key)
    if problem is None:
        return None
    return Issue((*path, key), "invalid_field_name", problem, _FIELD_NAME, "string")


#: What a key of a Convex object must be, for `Issue.expected`.
_FIELD_NAME = "a string of printable ASCII, not starting with $, at most 1024 characters"


def _string_issue(value: str, path: Path) -> Issue | None:
    if is_utf8(value):
        return None
    return Issue(
        path,
        "invalid_string",
        f"String {display_value(value)} is not valid UTF-8: it contains a lone surrogate.",
        "valid UTF-8 text",
        "string",
    )


def _walk(validator: Validator, value: object, path: Path, depth: int, issues: list[Issue]) -> None:
    # The cap on collected issues, for the plain lists compiled explainers pass in: every part of
    # a value is walked through here, so a value that repeats a bad part stops early.
    if len(issues) > MAX_ISSUES:
        raise IssueLimitReached
    node = as_node(validator)
    match node:
        case VLiteral():
            if not literal_matches(node, value):
                exact = type(value) is int and _int64_for_float64(value, [node])
                issues.append(
                    Issue(
                        path,
                        "literal_mismatch",
                        f"`{display_value(value)}` does not match literal validator "
                        f"`{convex_display(node.required())}`."
                        + (INT64_NOT_FLOAT64 if exact else ""),
                        literal_value_text(node),
                        value_kind(value),
                        _INT64_HINT if exact else value_hint(value, node),
                    )
                )
        case VString():
            if type(value) is not str:
                issues.append(_no_match(path, value, node))
            elif (issue := _string_issue(value, path)) is not None:
                issues.append(issue)
        case VFloat64():
            if type(value) is int:
                if _numbers.exact:
                    issues.append(_int64_no_match(path, value, node))
                elif abs(value) > FLOAT64_SAFE_INTEGER:
                    issues.append(
                        Issue(
                            path,
                            "out_of_range",
                            f"Integer {int_text(value)} is outside the range of a Convex `Float64` "
                            "(-2^53 to 2^53). Consider using `v.int64()`.",
                            "a number from -2^53 to 2^53",
                            "number",
                            "a larger integer needs v.int64()",
                        )
                    )
            elif type(value) is not float:
                issues.append(_no_match(path, value, node))
        case VInt64():
            if type(value) is not int:
                issues.append(_no_match(path, value, node))
            elif not INT64_MIN <= value <= INT64_MAX:
                issues.append(_int64_range(path, value))
        case VCommitTs():
            if value is COMMIT_TS:
                pass
            elif type(value) is not int:
                issues.append(_no_match(path, value, node))
            elif not INT64_MIN <= value <= INT64_MAX:
                issues.append(_int64_range(path, value))
        case VBoolean():
            if type(value) is not bool:
                issues.append(_no_match(path, value, node))
        case VNull():
            if value is not None:
                issues.append(_no_match(path, value, node))
        case VBytes():
            if type(value) is not bytes:
                issues.append(_no_match(path, value, node))
        case VAny():
            _walk_any(value, path, depth, issues)
        case VId(table_name=table):
            if type(value) is not str:
                issues.append(_no_match(path, value, node))
            elif (problem := id_error(value)) is not None:
                issues.append(
                    Issue(
                        path,
                        "invalid_id",
                        f"Value is not a valid ID for table `{table}`: {problem}\n"
                        f"Value: {display_value(value)}\nValidator: {convex_display(node)}",
                        expected_text(node),
                        "string",
                    )
                )
        case VArray(element=element):
            if type(value) is not list:
                issues.append(_no_match(path, value, node))
            elif _container_limits(value, path, depth, issues):
                for index, item in enumerate(value):
                    _walk(element, item, (*path, index), depth + 1, issues)
        case VObject():
            if type(value) is not dict:
                issues.append(_no_match(path, value, node))
            elif _container_limits(value, path, depth, issues):
                _walk_object(node, value, path, depth, issues)
        case VRecord(key=key_validator, value=value_validator):
            if type(value) is not dict:
                issues.append(_no_match(path, value, node))
            elif _container_limits(value, path, depth, issues):
                for key, item in _entries(value):
                    issue = _field_name_issue(key, path)
                    if issue is not None:
                        issues.append(issue)
                        continue
                    assert isinstance(key, str)
                    for key_issue in explain_at(key_validator, key, (*path, key), depth + 1):
                        message = "Invalid record key: " + key_issue.message
                        issues.append(reworded(key_issue, message))
                    _walk(value_validator, item, (*path, key), depth + 1, issues)
        case VUnion():
            _walk_union(node, value, path, depth, issues)
        case _:
            assert_never(node)


def explain_at(validator: Validator, value: object, path: Path, depth: int) -> list[Issue]:
    """`explain` for a value found at ``path``, ``depth`` containers deep."""
    issues: list[Issue] = []
    _walk(validator, value, path, depth, issues)
    return issues


def _int64_for_float64(value: object, literals: list[VLiteral]) -> bool:
    """Whether, in exact-numbers mode, ``value`` is an Int64 refused where one of ``literals``
    would take a Float64 of the same number."""
    return (
        _numbers.exact
        and type(value) is int
        and any(
            type(lit.value) in (int, float) and not lit.int64 and lit.value == value
            for lit in literals
        )
    )


def _int64_no_match(path: Path, value: int, node: Validator) -> Issue:
    """Convex's NoMatch for an Int64 where a Float64 belongs (exact-numbers mode)."""
    return Issue(
        path,
        "no_match",
        f"Value does not match validator.\nValue: {int_text(value)}\n"
        f"Validator: {convex_display(node)}{INT64_NOT_FLOAT64}",
        expected_text(node),
        # Not "number": "Expected a number, got a number" says nothing. An export's JSON
        # integer is an Int64, which the hint says how to write as a Float64.
        "integer",
        _INT64_HINT,
    )


def _int64_range(path: Path, value: int) -> Issue:
    return Issue(
        path,
        "out_of_range",
        f"BigInt {int_text(value)} does not fit into a 64-bit signed integer.",
        "an integer from -2^63 to 2^63 - 1",
        "number",
    )


def _walk_object(
    node: VObject, value: dict[object, object], path: Path, depth: int, issues: list[Issue]
) -> None:
    fields = node.fields
    entries = _entries(value)
    exact = _str_keyed(entries)
    for name in sorted(fields):
        field = fields[name]
        if name in exact:
            _walk(field, exact[name], (*path, name), depth + 1, issues)
        elif not field.is_optional:
            issues.append(
                Issue(
                    (*path, name),
                    "missing_field",
                    f"Object is missing the required field `{name}`. Consider wrapping the field "
                    "validator in `v.optional(...)` if this is expected.\n"
                    f"Object: {display_value(value)}\nValidator: {convex_display(node.required())}",
                    expected_text(field),
                )
            )
    for key, item in entries:
        if type(key) is str and key in fields:
            continue
        issue = _field_name_issue(key, path)
        if issue is None:
            assert isinstance(key, str)
            issue = Issue(
                (*path, key),
                "extra_field",
                f"Object contains extra field `{key}` that is not in the validator.\n"
                f"Object: {display_value(value)}\nValidator: {convex_display(node.required())}",
                "no such field",
                value_kind(item),
            )
        issues.append(issue)


class _Seen:
    """What one `v.any()` walk has met: the containers on the current path (a container met
    again there holds itself) and, for each container found valid, the deepest level it was
    found valid at (a value may hold one list in many places: it is walked once per level)."""

    __slots__ = ("active", "valid_at")

    def __init__(self) -> None:
        self.active: set[int] = set()
        self.valid_at: dict[int, int] = {}


def _walk_any(
    value: object, path: Path, depth: int, issues: list[Issue], seen: _Seen | None = None
) -> None:
    if value is None or type(value) in (bool, float, bytes) or value is COMMIT_TS:
        return
    if len(issues) > MAX_ISSUES:  # see `_walk`: this walk recurses on its own
        raise IssueLimitReached
    if type(value) is int:
        if not INT64_MIN <= value <= INT64_MAX:
            issues.append(_int64_range(path, value))
    elif type(value) is str:
        if (issue := _string_issue(value, path)) is not None:
            issues.append(issue)
    elif type(value) is list or type(value) is dict:
        if seen is None:
            seen = _Seen()
        key = id(value)
        if seen.valid_at.get(key, -1) >= depth:
            return  # valid there, so valid at this level too: nesting only shrinks
        if key in seen.active:
            issues.append(
                Issue(
                    path,
                    "too_nested",
                    f"Value contains itself: this {type(value).__name__} is inside itself, so "
                    f"it nests without end (maximum nesting {MAX_NESTING})",
                    f"at most {MAX_NESTING} levels of nesting",
                    value_kind(value),
                    "the value holds itself",
                )
            )
            return
        if not _container_limits(value, path, depth, issues):
            return
        before = len(issues)
        seen.active.add(key)
        try:
            if type(value) is list:
                for index, item in enumerate(value):
                    _walk_any(item, (*path, index), depth + 1, issues, seen)
            else:
                for name, item in _entries(value):  # type: ignore[arg-type]
                    issue = _field_name_issue(name, path)
                    if issue is not None:
                        issues.append(issue)
                        continue
                    assert isinstance(name, str)
                    _walk_any(item, (*path, name), depth + 1, issues, seen)
        finally:
            seen.active.discard(key)
        if len(issues) == before:
            seen.valid_at[key] = depth
    else:
        hint = value_hint(value)
        issues.append(
            Issue(
                path,
                "unsupported_type",
                f"{safe_repr(value)} is not a supported Convex type."
                + (f" Hint: {hint}." if hint else ""),
                "a Convex value",
                value_kind(value),
                hint,
            )
        )


def union_tag(node: VUnion) -> str | None:
    """The field that tells this union's object members apart, if there is one.

    A tag is a field that every member declares as required with literal values (a literal or a
    union of literals), no two members sharing a value; the first such field in sorted order wins.
    """
    members = node.members
    if len(members) < 2 or not all(isinstance(m, VObject) for m in members):
        return None
    objects = [m for m in members if isinstance(m, VObject)]
    common = set(objects[0].fields).intersection(*(m.fields for m in objects[1:]))
    for name in sorted(common):
        literal_sets: list[list[VLiteral]] = []
        for member in objects:
            literals = literals_of(member.fields[name])
            if literals is None or member.fields[name].is_optional:
                break
            literal_sets.append(literals)
        else:
            # VLiteral equality is Convex's literal equality (1 == 1.0, True != 1).
            keys = [lit.required() for lits in literal_sets for lit in lits]
            if len(keys) == len(set(keys)):
                return name
    return None


def _walk_union(node: VUnion, value: object, path: Path, depth: int, issues: list[Issue]) -> None:
    if getattr(_unions, "memo", None) is not None:
        _walk_union_in_scope(node, value, path, depth, issues)
        return
    _unions.memo = {}
    try:
        _walk_union_in_scope(node, value, path, depth, issues)
    finally:
        _unions.memo = None


def _walk_union_in_scope(
    node: VUnion, value: object, path: Path, depth: int, issues: list[Issue]
) -> None:
    members = node.members
    if len(members) == 1:
        _walk(members[0], value, path, depth, issues)
        return
    # Each member's first issue once: asking again below would redo every nested union's work,
    # twice a level, which grows as 2**depth on nested nullable objects.
    # A member listed twice (a tree may reuse one subtree) is asked once: asking each copy
    # would double the work at every level of such a tree.
    asked: dict[int, Issue | None] = {}
    firsts = []
    for member in members:
        if id(member) not in asked:
            asked[id(member)] = first_issue(member, value, depth)
        firsts.append(asked[id(member)])
    if any(found is None for found in firsts):
        return
    literals = literals_of(node)
    if literals is not None:
        expected = one_of(literals)
        exact = _int64_for_float64(value, literals)
        issues.append(
            Issue(
                path,
                "literal_mismatch",
                f"`{display_value(value)}` does not match literal validator "
                f"`{convex_display(node.required())}`: expected {expected}."
                + (INT64_NOT_FLOAT64 if exact else ""),
                expected,
                value_kind(value),
                _INT64_HINT if exact else value_hint(value, node),
            )
        )
        return
    tag = union_tag(node)
    if tag is not None and type(value) is dict:
        _walk_tagged(node, tag, value, path, depth, issues)
        return
    lines = []
    for member, found in zip(members, firsts, strict=True):
        if found is not None:
            where = f" at {found.path_text}" if found.path else ""
            lines.append(
                f"\n  - {convex_display(member)}: {found.message.partition(chr(10))[0]}{where}"
            )
    issues.append(_no_match(path, value, node, "\nNo member matched:" + "".join(lines)))
    # Convex's issue comes first; then, so a form can place them, the issues of the object
    # member the value came closest to, at their own paths.
    closest = _closest_object(members, value, depth)
    if closest is not None:
        _walk(closest, value, path, depth, issues)


def _closest_object(members: tuple[Validator, ...], value: object, depth: int) -> VObject | None:
    """The object member with the most of its fields present and valid in ``value`` (the
    first of equals), or ``None`` when ``value`` is no dict or no member is an object."""
    if type(value) is not dict:
        return None
    exact = _str_keyed(value.items())
    best: VObject | None = None
    best_score = -1
    for member in members:
        if not isinstance(member, VObject):
            continue
        score = sum(
            1
            for name, field in member.fields.items()
            if name in exact and first_issue(field, exact[name], depth + 1) is None
        )
        if score > best_score:
            best, best_score = member, score
    return best


def _walk_tagged(
    node: VUnion,
    tag: str,
    value: dict[object, object],
    path: Path,
    depth: int,
    issues: list[Issue],
) -> None:
    objects = [m for m in node.members if isinstance(m, VObject)]
    tags = [lit for m in objects for lit in literals_of(m.fields[tag]) or []]
    allowed = one_of(tags)
    exact = _str_keyed(value.items())
    if tag not in exact:
        issues.append(
            Issue(
                (*path, tag),
                "missing_field",
                f"Object is missing the required field `{tag}`, which tells the members of this "
                f"union apart ({allowed}).\nObject: {display_value(value)}\n"
                f"Validator: {convex_display(node)}",
                allowed,
            )
        )
        return
    tag_value = exact[tag]
    chosen = next(
        (m for m in objects if first_issue(m.fields[tag], tag_value, depth + 1) is None), None
    )
    if chosen is None:
        issues.append(
            Issue(
                (*path, tag),
                "literal_mismatch",
                f"`{display_value(tag_value)}` does not match any union member's `{tag}`: "
                f"expected {allowed}.",
                allowed,
                value_kind(tag_value),
            )
        )
        return
    start = len(issues)
    try:
        _walk(chosen, value, path, depth, issues)
    finally:
        # Also when a full issue list stops the walk: the first issue still names the member.
        if len(issues) > start:
            first = issues[start]
            note = tagged_union_note(tag, tag_value, chosen)
            issues[start] = reworded(first, first.message + note)
    if len(issues) == start:  # unreachable while the union as a whole rejected the value
        issues.append(_no_match(path, value, node))


def tagged_union_note(tag: str, tag_value: object, chosen: VObject) -> str:
    """The line added to the first issue of the member a tag chose (`_compile` adds it too)."""
    return (
        f"\nUnion member chosen by `{tag}` = {display_value(tag_value)}: {convex_display(chosen)}"
    )
