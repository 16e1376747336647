"""Hypothesis strategies for vschema validators (the ``vschema[hypothesis]`` extra).

* `from_validator` draws values a validator accepts: every kind, optional fields present and
  absent, union branches, edge numbers, valid Convex IDs, awkward strings, Convex's limits kept.
* `invalid` draws ``(value, expected)``: a value that breaks exactly one rule, and the first issue
  validation reports for it (`ExpectedIssue`: its code and path).
* `for_table` / `invalid_for_table` do the same for a table of a `define_schema` schema;
  `for_patch` draws partial updates of its rows. They take ``overrides`` (strategies for
  fields, by path), ``existing_ids`` (IDs of rows that exist, for stateful tests),
  ``json_safe`` / ``convex_json`` (draws ready for ``json.dumps`` or Convex's wire) and
  ``max_items`` / ``max_size`` (collection caps and the per-draw size budget).
* `register_types` registers `for_table` for the ``TypedDict``s of a module that
  ``vschema codegen --py-out`` generated, so ``st.from_type(Inquiry)`` draws valid rows.
* `validators` draws validator trees, for testing code that is generic over validators.

Every strategy is built by one walk over the validator tree, constructively: nothing is drawn and
thrown away, except near-misses in unions whose members overlap. Every strategy's repr is short
(``for_table(schema, 'inquiries')``, ``from_validator(v.object({...``), inner ones too, since
Hypothesis prints reprs into failure notes and filter events. Invalid values are a valid draw
plus one mutation at one path, simplest flaws first, so they shrink to the smallest payload that
still has the flaw. Arguments are checked when a strategy is defined, as Hypothesis does.
"""

from __future__ import annotations

import copy
import itertools
import math
import types
import typing
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import ModuleType
from typing import Any, Literal, TypeVar, get_args, get_origin

try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
    from hypothesis.strategies import SearchStrategy
except ImportError as error:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "vschema.strategies needs Hypothesis, which is not installed: "
        "pip install 'vschema[hypothesis]'"
    ) from error

import attrs
from typing_extensions import assert_never, get_type_hints, is_typeddict

from vschema.validators._builder import v
from vschema.validators._display import safe_repr, short_repr
from vschema.validators._documents import (
    SYSTEM_FIELDS,
    document_validator,
    system_fields,
    without_system_fields,
)
from vschema.validators._errors import Issue, IssueCode, PathKey
from vschema.validators._ids import encode_id, id_error
from vschema.validators._interpret import first_issue
from vschema.validators._nodes import (
    FieldMap,
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
from vschema.validators._schema import Schema
from vschema.validators._size import MAX_DOCUMENT_SIZE
from vschema.validators._values import (
    COMMIT_TS,
    FLOAT64_SAFE_INTEGER,
    INT64_MAX,
    INT64_MIN,
    MAX_ARRAY_LENGTH,
    MAX_DOCUMENT_NESTING,
    MAX_FIELD_NAME_LENGTH,
    MAX_NESTING,
    MAX_OBJECT_FIELDS,
)

__all__ = [
    "ExpectedIssue",
    "FieldPath",
    "for_patch",
    "for_table",
    "from_validator",
    "invalid",
    "invalid_for_table",
    "register_types",
    "rows_breaking",
    "validators",
]

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


# --------------------------------------------------------------------------------------------
# Scalar strategies


def _fresh(values: list[Any]) -> SearchStrategy[Any]:
    """Sample from ``values``, copying each draw so no two draws share a mutable object."""
    return st.sampled_from(values).map(copy.copy)


_PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))
_IDENT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"

#: Short strings that break naive escaping and encoding. Each is one fixed choice, which no
#: shrinker can make shorter: so they are all short, and the template-like ones hold a digit
#: (``{0}``) rather than the ``x`` the long strings below repeat.
_AWKWARD_STRINGS = [
    " ",
    "\x00",
    "\n",
    "\u2028",
    "\u2029",
    "'\"\\",
    "{0}",
    "${0}",
    "*/",
    '"""',
    "é",
    "e\u0301",
    "\ufeff",
    "\u200b",
    "\U0001f600",
    "\U0010ffff",
    "\uffff",
    "null",
    "__proto__",
    "class",
]
#: Long strings, drawn as a repeat count that shrinks: a failure that needs a long string
#: shrinks to the shortest one that still fails, never to a fixed 300-character constant.
_LONG_STRINGS: SearchStrategy[str] = st.builds(
    lambda unit, count: unit * count,
    st.sampled_from(["x", "é", "\U0001f600"]),
    st.integers(1, 300),
)
_STRINGS: SearchStrategy[str] = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=16), _fresh(_AWKWARD_STRINGS), _LONG_STRINGS
)

_FLOAT_EDGES: list[float | int] = [
    -0.0,
    math.nan,
    math.inf,
    -math.inf,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    FLOAT64_SAFE_INTEGER,
    -FLOAT64_SAFE_INTEGER,
    float(FLOAT64_SAFE_INTEGER),
    float(2**63),
    0.1,
]
_FLOAT64S: SearchStrategy[float | int] = st.one_of(
    st.floats(),
    st.integers(-FLOAT64_SAFE_INTEGER, FLOAT64_SAFE_INTEGER),
    st.sampled_from(_FLOAT_EDGES),
)
_INT64_EDGES = [INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1, -1, 2**53 + 1, -(2**53) - 1]
_INT64S: SearchStrategy[int] = st.one_of(
    st.integers(INT64_MIN, INT64_MAX), st.sampled_from(_INT64_EDGES)
)
#: `v.commitTs()`: Int64s, or the placeholder. Both branches cost one choice, and the ints come
#: first, so draws shrink to ``0`` rather than to `COMMIT_TS`.
_COMMIT_TSS: SearchStrategy[int | Any] = st.one_of(
    st.integers(INT64_MIN, INT64_MAX), st.sampled_from([COMMIT_TS, *_INT64_EDGES])
)
_BYTES: SearchStrategy[bytes] = st.binary(max_size=16)
#: `v.any()`'s scalars (the commit-timestamp placeholder too, which `v.any()` accepts); its
#: containers nest as deep as the draw budget and the nesting limit allow.
_ANY_SCALARS: SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    _INT64S,
    _FLOAT64S,
    _STRINGS,
    _BYTES,
    st.sampled_from([COMMIT_TS]),
)

#: The JSON-safe scalars (``json_safe=True``): what ``json.dumps`` writes and ``json.loads``
#: reads back as the same value, and `validate_json` accepts with the same meaning: finite
#: floats, ints within 2**53 for a Float64 (a larger int comes back an int Float64 refuses),
#: any Int64 (JSON integers arrive as exact `int`s), no bytes and no `COMMIT_TS`.
_JSON_FLOAT64S: SearchStrategy[float | int] = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-FLOAT64_SAFE_INTEGER, FLOAT64_SAFE_INTEGER),
    st.sampled_from([e for e in _FLOAT_EDGES if math.isfinite(e)]),
)
_JSON_ANY_SCALARS: SearchStrategy[Any] = st.one_of(
    st.none(), st.booleans(), _INT64S, _JSON_FLOAT64S, _STRINGS
)

# Table numbers at each boundary of the ID's variable-length table number (31 to 37 chars).
_TABLE_NUMBER_EDGES = [1, 127, 128, 2**14 - 1, 2**14, 2**21 - 1, 2**21, 2**28 - 1, 2**28, 2**32 - 1]
_IDS: SearchStrategy[str] = st.builds(
    encode_id,
    st.one_of(st.integers(1, 127), st.sampled_from(_TABLE_NUMBER_EDGES), st.integers(1, 2**32 - 1)),
    st.binary(min_size=16, max_size=16),
)


def _by_index(values: list[Any]) -> SearchStrategy[Any]:
    """``st.sampled_from(values)``, but its repr shows indexes, not the values (some are a
    thousand characters long, and reprs are printed into Hypothesis's notes)."""

    def value_at(index: int) -> Any:
        return values[index]

    return st.sampled_from(range(len(values))).map(value_at)


def _no_dollar(name: str) -> str:
    return "_" + name[1:] if name.startswith("$") else name


# Hypothesis shrinks towards fewer choices first, and `st.just` costs none: a large constant
# goes into a `sampled_from` list, never into its own `st.just` branch of a `one_of`, or every
# draw would shrink to it.

#: Keys a Convex object value may have: printable ASCII, no leading ``$``, at most 1024 chars.
_FIELD_NAMES: SearchStrategy[str] = st.one_of(
    st.text(_IDENT_CHARS, min_size=1, max_size=8),
    st.text(_PRINTABLE, max_size=12).map(_no_dollar),
    _by_index(
        [
            "",
            " ",
            "_id",
            "_creationTime",
            "__proto__",
            "a.b",
            "a-b",
            "~",
            "k" * MAX_FIELD_NAME_LENGTH,
        ]
    ),
)

_SURROGATE_STRINGS: SearchStrategy[str] = st.builds(
    lambda head, surrogate, tail: head + chr(surrogate) + tail,
    st.text(max_size=3),
    st.integers(0xD800, 0xDFFF),
    st.text(max_size=3),
)

_NON_FIELD_CHARS: SearchStrategy[str] = st.one_of(
    st.characters(max_codepoint=0x1F),
    st.just("\x7f"),
    st.characters(min_codepoint=0x80, codec="utf-8"),
)
#: Keys no Convex object may have, each with the path its issue is reported at.
_BAD_FIELD_NAMES: SearchStrategy[Any] = st.one_of(
    st.text(_PRINTABLE, max_size=6).map(lambda rest: "$" + rest),
    st.builds(
        lambda a, c, b: a + c + b,
        st.text(_PRINTABLE, max_size=3),
        _NON_FIELD_CHARS,
        st.text(_PRINTABLE, max_size=3),
    ),
    _SURROGATE_STRINGS,
    _by_index([0, 1, None, 1.5, b"k", (1,), "x" * (MAX_FIELD_NAME_LENGTH + 1)]),
)


def _key_path(key: object) -> PathKey:
    """The path segment the interpreter reports for an object key (non-strings as
    `safe_repr` names them: ``None`` as ``null``, as Convex displays it)."""
    return key if isinstance(key, str) else safe_repr(key)


_FLOAT64_OVERFLOW: SearchStrategy[int] = st.one_of(
    st.sampled_from([2**53 + 1, -(2**53) - 1, 2**63, INT64_MIN - 1, 2**64]),
    st.integers(min_value=2**53 + 1),
    st.integers(max_value=-(2**53) - 1),
)
_INT64_OVERFLOW: SearchStrategy[int] = st.one_of(
    st.sampled_from([INT64_MAX + 1, INT64_MIN - 1, 2**64, -(2**64)]),
    st.integers(min_value=INT64_MAX + 1),
    st.integers(max_value=INT64_MIN - 1),
)
#: Python values that are no Convex value at all (`v.any()` reports ``unsupported_type``).
_UNSUPPORTED: SearchStrategy[Any] = st.one_of(
    st.tuples(),
    st.tuples(st.integers(0, 3)),
    st.builds(set),
    st.builds(frozenset, st.lists(st.integers(0, 3), max_size=2)),
    st.builds(bytearray, st.binary(max_size=3)),
    st.binary(max_size=3).map(lambda data: memoryview(data)),
    st.complex_numbers(allow_nan=False, max_magnitude=10),
    st.builds(object),
)

_CLASS_VALUES: dict[str, SearchStrategy[Any]] = {
    "null": st.none(),
    "bool": st.booleans(),
    "int": st.integers(-FLOAT64_SAFE_INTEGER, FLOAT64_SAFE_INTEGER),
    "float": st.floats(),
    "str": st.text(max_size=4),
    "bytes": st.binary(max_size=4),
    "list": st.lists(st.none() | st.integers(0, 3), max_size=2),
    "dict": st.dictionaries(st.sampled_from(["a", "b"]), st.none() | st.integers(0, 3), max_size=2),
    # The commit-timestamp placeholder: a Convex value only `v.commitTs()` and `v.any()` take.
    "commit_ts": st.sampled_from([COMMIT_TS]),
    "tuple": st.tuples() | st.tuples(st.integers(0, 3)),
    "bytearray": st.builds(bytearray, st.binary(max_size=3)),
}
_CONVEX_CLASSES = frozenset(
    ("null", "bool", "int", "float", "str", "bytes", "list", "dict", "commit_ts")
)
_ALL_CLASSES = frozenset(_CLASS_VALUES)


def _at_root(value: Any) -> tuple[Any, Path]:
    return (value, ())


def _wrong_types(accepted: Collection[str]) -> SearchStrategy[Any] | None:
    """Values of every Python type class outside ``accepted``, simplest classes first."""
    options = [values for name, values in _CLASS_VALUES.items() if name not in accepted]
    return st.one_of(options) if options else None


# --------------------------------------------------------------------------------------------
# What validators accept, independently of the checks under test


def _literal_accepts(node: VLiteral, value: object) -> bool:
    """Convex literal equality in vschema's Python spelling (convex-semantics.md section 8)."""
    literal = node.value
    if isinstance(literal, bool):
        return value is literal
    if isinstance(literal, str):
        return type(value) is str and value == literal
    if node.int64:
        return type(value) is int and value == literal
    if type(value) is int:
        if abs(value) > FLOAT64_SAFE_INTEGER:
            return False
        number = float(value)
    elif type(value) is float:
        number = value
    else:
        return False
    return number == literal and math.copysign(1.0, number) == math.copysign(1.0, literal)


def _literal_leaves(node: Validator) -> list[VLiteral] | None:
    """The literals of a literal or a (non-empty, nested) union of literals; else ``None``."""
    if isinstance(node, VLiteral):
        return [node]
    if isinstance(node, VUnion) and node.members:
        leaves: list[VLiteral] = []
        for member in node.members:
            found = _literal_leaves(member)
            if found is None:
                return None
            leaves.extend(found)
        return leaves
    return None


def _tag_field(node: VUnion) -> str | None:
    """The field that tells a union's object members apart (vschema's rule, as documented in
    `vschema.validators._interpret.union_tag`): required everywhere, literal-valued, values
    distinct across members; the first such field in sorted order."""
    members = node.members
    if len(members) < 2 or not all(isinstance(m, VObject) for m in members):
        return None
    objects = [m for m in members if isinstance(m, VObject)]
    common = set(objects[0].fields).intersection(*(m.fields for m in objects[1:]))
    for name in sorted(common):
        # `VLiteral` equality is Convex's literal equality: 1 == 1.0, 0.0 != -0.0, True != 1.
        keys: list[VLiteral] = []
        for member in objects:
            field = member.fields[name]
            leaves = _literal_leaves(field)
            if leaves is None or field.is_optional:
                break
            keys.extend(lit.required() for lit in leaves)
        else:
            if len(keys) == len(set(keys)):
                return name
    return None


#: `_accepted_classes` per node identity: unions of one union twice a level stay linear.
_CLASSES: dict[int, tuple[Validator, frozenset[str]]] = {}


def _accepted_classes(node: Validator) -> frozenset[str]:
    """Python type classes of which the validator accepts at least one value (conservative)."""
    hit = _CLASSES.get(id(node))
    if hit is not None:
        return hit[1]
    if len(_CLASSES) > _CACHE_LIMIT:
        _CLASSES.clear()
    classes = _classes_of(node)
    _CLASSES[id(node)] = (node, classes)
    return classes


def _classes_of(node: Validator) -> frozenset[str]:
    n = as_node(node)
    match n:
        case VString() | VId():
            return frozenset({"str"})
        case VFloat64():
            return frozenset({"int", "float"})
        case VInt64():
            return frozenset({"int"})
        case VCommitTs():
            return frozenset({"int", "commit_ts"})
        case VBoolean():
            return frozenset({"bool"})
        case VNull():
            return frozenset({"null"})
        case VBytes():
            return frozenset({"bytes"})
        case VAny():
            return _CONVEX_CLASSES
        case VLiteral(value=value):
            if isinstance(value, bool):
                return frozenset({"bool"})
            if isinstance(value, str):
                return frozenset({"str"})
            return frozenset({"int"}) if n.int64 else frozenset({"int", "float"})
        case VArray():
            return frozenset({"list"})
        case VObject() | VRecord():
            return frozenset({"dict"})
        case VUnion(members=members):
            return frozenset().union(*(_accepted_classes(m) for m in members))
        case _:
            assert_never(n)


def _accepts_every_string(key: Validator) -> bool:
    if isinstance(key, VString):
        return True
    return isinstance(key, VUnion) and any(_accepts_every_string(m) for m in key.members)


# Values that break a literal: tried first, in this order, when they match none of the literals.
_LITERAL_NEAR_MISSES: list[Any] = ["", None, 0, False, True, 1, -1, 0.0, -0.0, 1.5, math.nan, b""]


def _near_misses(literal: VLiteral) -> list[Any]:
    value = literal.value
    if isinstance(value, bool):
        return [int(value), float(value), str(value).lower(), not value]
    if isinstance(value, str):
        return [value + "x", value.upper(), value[:-1], " " + value, value + "\x00"]
    if literal.int64:
        return [float(value), value + 1, value - 1, -value, str(value)]
    near: list[Any] = [value + 1, -value, str(value), math.nextafter(float(value), math.inf)]
    if isinstance(value, float) and value.is_integer() and abs(value) > FLOAT64_SAFE_INTEGER:
        near.append(int(value))  # equal as a number, but no Float64 in Python's spelling
    return near


def _literal_misses(literals: list[VLiteral]) -> SearchStrategy[Any]:
    """Values that match none of ``literals``: near misses first, then generated ones."""

    def matches(value: object) -> bool:
        return any(_literal_accepts(lit, value) for lit in literals)

    candidates: list[Any] = []
    near = [*_LITERAL_NEAR_MISSES, *(m for lit in literals for m in _near_misses(lit)), []]
    for value in near:
        if not matches(value) and not any(
            type(value) is type(c) and value == c for c in candidates
        ):
            candidates.append(value)
    strings = {lit.value for lit in literals if isinstance(lit.value, str)}

    def away_from_strings(text: str) -> str:
        while text in strings:
            text += "~"
        return text

    def away_from_numbers(number: float) -> float:
        return math.nan if matches(number) else number

    options = [
        _fresh(candidates),
        st.text(max_size=6).map(away_from_strings),
        st.floats().map(away_from_numbers),
    ]
    # Named: the candidates hold the literals, which may be long.
    shown = ", ".join(repr(lit) for lit in literals[:3]) + (", ..." if len(literals) > 3 else "")
    return _named_one_of(options, "literal_misses", lambda: shown)


def _bad_id(text: str, how: int, position: int, char: str) -> str:
    """A mutation of a valid ID that is certainly no ID (checked with the ID decoder)."""
    i = position % len(text)
    mutations = [
        "",
        text[:-1],
        text + char,
        text.upper(),
        text[:i] + "ilou"[position % 4] + text[i + 1 :],
        text[:i] + char + text[i + 1 :],
        text[:i] + "-" + text[i + 1 :],
        text[:-2],
    ]
    bad = mutations[how % len(mutations)]
    if id_error(bad) is None:  # e.g. an all-digit ID upper-cased, or a char replaced by itself
        bad += "!"
    return bad


_BAD_ID_KEYS: SearchStrategy[str] = st.builds(
    _bad_id,
    _IDS,
    st.integers(0, 7),
    st.integers(0, 40),
    st.sampled_from(_CROCKFORD),
)
_BAD_IDS: SearchStrategy[str] = st.one_of(
    _BAD_ID_KEYS,
    st.builds(lambda text, s: text[:-1] + s, _IDS, _SURROGATE_STRINGS),
    st.text(max_size=40).filter(lambda text: id_error(text) is not None),
)


def _key_flaw(key: Validator) -> tuple[IssueCode, SearchStrategy[str]] | None:
    """For a record's key validator: valid field names it rejects, and the code reported."""
    if _accepts_every_string(key):
        return None
    if isinstance(key, VId):
        return ("invalid_id", _BAD_ID_KEYS)
    if isinstance(key, VUnion):
        if len(key.members) == 1:
            return _key_flaw(key.members[0])
        if all(isinstance(m, (VId, VUnion)) for m in key.members):
            # Members are IDs (v.record refuses literal keys): a non-ID name matches none.
            return ("no_match", _BAD_ID_KEYS)
    return None


def _nest(value: Any, levels: int, key: PathKey) -> tuple[Any, Path]:
    path: list[PathKey] = []
    for _ in range(levels):
        value = [value] if key == 0 else {key: value}
        path.append(key)
    return value, tuple(path[1:])


def _pad(value: dict[Any, Any]) -> dict[Any, Any]:
    """``value`` with filler fields up to one more than Convex allows (fillers sort last)."""
    padded = dict(value)
    for i in range(MAX_OBJECT_FIELDS + 1 - len(padded)):
        padded[f"~{i:04}"] = None
    return padded


def _filler_keys(key: Validator) -> Callable[[int], str] | None:
    """The ``i``-th of many distinct keys ``key`` accepts (IDs in a fixed table, or field names
    that sort last), or ``None`` when it accepts none (``v.union()``)."""
    if _accepts_every_string(key):
        return lambda i: f"~{i:04}"
    if isinstance(key, VId):
        return lambda i: encode_id(1, i.to_bytes(16, "big"))
    if isinstance(key, VUnion):
        return next((keys for m in key.members if (keys := _filler_keys(m)) is not None), None)
    return None


def _pad_record(
    fillers: Callable[[int], str],
) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    def build(value: dict[str, Any], item: Any) -> dict[str, Any]:
        padded = dict(value)
        i = 0
        while len(padded) <= MAX_OBJECT_FIELDS:
            padded.setdefault(fillers(i), item)
            i += 1
        return padded

    return build


def _with_bad_record_key(base: dict[Any, Any], key: Any, value: Any) -> tuple[Any, Path]:
    return {**base, key: value}, (_key_path(key),)


# --------------------------------------------------------------------------------------------
# The draw budget
#
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


# --------------------------------------------------------------------------------------------
# The walk


def _never(_: str) -> bool:
    return False


def _always(_: str) -> bool:
    return True


#: Walks are shared and cache their strategies per node and depth: Hypothesis validates a
#: strategy object once, so reusing them keeps repeated and overlapping validators cheap.
#: Entries are keyed by the node's identity (the entry keeps the node, so its id is not reused
#: while the entry lives): a subtree that appears in many places is walked once, and equal but
#: distinct trees cost no deep comparison.
_CACHE_LIMIT = 20_000

#: Flaws a document's limits report once the validator accepted the value: in a union they
#: stay what they are (the union accepts the value), instead of becoming a union-level miss.
_LIMIT_CODES = frozenset({"too_large", "too_nested"})


def _flaw_args(node: Validator, code: str) -> Callable[[], str]:
    return lambda: f"{_head(node)}, codes=[{code!r}]"


def _grouped(node: Validator, flaws: list[_Flaw]) -> list[_Flaw]:
    """One entry per issue code, in order of first appearance: a parent wraps each code of a
    child once, so the work of building a tree's flaws is linear in its distinct nodes, not in
    its paths (which double with every level of a subtree used twice)."""
    by_code: dict[IssueCode, list[SearchStrategy[tuple[Any, Path]]]] = {}
    for code, strategy in flaws:
        by_code.setdefault(code, []).append(strategy)
    return [
        (code, _named_one_of(group, "invalid", _flaw_args(node, code)))
        for code, group in by_code.items()
    ]


class _Settings:
    """What a public strategy's arguments change in a walk.

    ``json_safe`` keeps draws to JSON's values; ``max_items`` caps arrays and records;
    ``ids`` draws a table's `v.id` values from a strategy (``existing_ids``). Overrides and
    per-path caps are keyed by node identity: `_Paths` copies the nodes along each path, so
    the copies are distinct from every other place the same subtree appears. ``fields`` maps
    ``(id(object), name)`` to the field's strategy; ``protected`` lists the fields no flaw is
    placed in; ``limits`` maps ``id(array or record)`` to its cap; ``keep`` holds the copies
    (their ids must stay theirs while the walk lives).
    """

    __slots__ = ("fields", "ids", "json_safe", "keep", "limits", "max_items", "protected")

    def __init__(
        self,
        *,
        json_safe: bool = False,
        max_items: int = _MAX_ITEMS,
        ids: dict[str, SearchStrategy[str]] | None = None,
    ) -> None:
        self.json_safe = json_safe
        self.max_items = max_items
        self.ids: dict[str, SearchStrategy[str]] = ids or {}
        self.fields: dict[tuple[int, str], SearchStrategy[Any]] = {}
        self.protected: set[tuple[int, str]] = set()
        self.limits: dict[int, int] = {}
        self.keep: list[Validator] = []

    def is_default(self) -> bool:
        """Whether the shared, cached walks can serve these options."""
        return (
            not self.json_safe
            and self.max_items == _MAX_ITEMS
            and not self.ids
            and not self.fields
            and not self.limits
        )


_DEFAULT_OPTIONS = _Settings()


class _Walk:
    """Builds valid and one-flaw strategies for nodes, ``depth`` containers deep.

    ``limit`` is the nesting limit containers must stay under (Convex: 64 for a value). With
    ``document=True`` the walk draws a table's rows or documents: ``limit`` is the document
    limit (16), checked only after the validator accepted the value, so a value nested past it
    must be otherwise valid and is reported at the document (path ``()``); top-level keys avoid
    the reserved ``_`` prefix; and `_LIMIT_CODES` flaws include a document over 1 MiB.
    ``builds`` counts the strategies built for a node and depth (the definition-time work).
    ``options`` (`_Settings`) carry what the public strategy's arguments change.
    """

    def __init__(
        self,
        limit: int = MAX_NESTING,
        *,
        document: bool = False,
        options: _Settings = _DEFAULT_OPTIONS,
    ) -> None:
        self.limit = limit
        self.document = document
        self.options = options
        self._deep = _Walk(options=options) if document else None
        #: Strategies replacing the valid values of top-level fields (``_creationTime``).
        self.top_fields: dict[str, SearchStrategy[Any]] = {}
        self._valid: dict[tuple[int, int], tuple[Validator, SearchStrategy[Any] | None]] = {}
        self._flaws: dict[tuple[int, int], tuple[Validator, list[_Flaw]]] = {}
        self._sizes: dict[int, tuple[Validator, int | None]] = {}
        self._any: dict[int, SearchStrategy[Any]] = {}
        self.builds = 0

    def trimmed(self) -> _Walk:
        """This walk, its caches emptied first if they grew past a bound."""
        if len(self._valid) + len(self._flaws) + len(self._sizes) > _CACHE_LIMIT:
            self._valid.clear()
            self._flaws.clear()
            self._sizes.clear()
        return self

    def min_size(self, node: Validator) -> int | None:
        """How many nodes (scalars and containers) the smallest value of ``node`` has, or
        ``None`` when nothing matches it (the nesting limit aside: it only sizes draws)."""
        hit = self._sizes.get(id(node))
        if hit is not None:
            return hit[1]
        size: int | None
        n = as_node(node)
        match n:
            case VObject(fields=fields):
                size = 1
                for field in fields.values():
                    if not field.is_optional:
                        below = self.min_size(field)
                        if below is None:
                            size = None
                            break
                        size += below
            case VUnion(members=members):
                sizes = [s for m in members if (s := self.min_size(m)) is not None]
                size = min(sizes) if sizes else None
            case VBytes():
                size = None if self.options.json_safe else 1  # no JSON value is bytes
            case (
                VString()
                | VFloat64()
                | VInt64()
                | VCommitTs()
                | VBoolean()
                | VNull()
                | VAny()
                | VId()
                | VLiteral()
                | VArray()  # empty
                | VRecord()  # empty
            ):
                size = 1
            case _:
                assert_never(n)
        self._sizes[id(node)] = (node, size)
        return size

    def cost(self, node: Validator) -> int:
        """What adding a value of ``node`` (as an optional part) costs at least."""
        size = self.min_size(node)
        return 1 if size is None else size

    # ---- valid values ---------------------------------------------------------------------

    def valid(self, node: Validator, depth: int) -> SearchStrategy[Any] | None:
        """Values ``node`` accepts at ``depth``, or ``None`` when there are none."""
        key = (id(node), depth)
        hit = self._valid.get(key)
        if hit is None:
            self.builds += 1
            hit = (node, self._valid_uncached(node, depth))
            self._valid[key] = hit
        return hit[1]

    def _valid_uncached(self, node: Validator, depth: int) -> SearchStrategy[Any] | None:
        n = as_node(node)
        json_safe = self.options.json_safe
        match n:
            case VString():
                return _STRINGS
            case VFloat64():
                return _JSON_FLOAT64S if json_safe else _FLOAT64S
            case VInt64():
                return _INT64S
            case VCommitTs():
                return _INT64S if json_safe else _COMMIT_TSS
            case VBoolean():
                return st.booleans()
            case VNull():
                return st.none()
            case VBytes():
                return None if json_safe else _BYTES
            case VAny():
                return self.any_values(depth)
            case VId():
                return self.options.ids.get(n.table_name, _IDS)
            case VLiteral():
                return _literal_values(n)
            case VArray(element=element):
                if depth >= self.limit:
                    return None
                items = self.valid(element, depth + 1)
                if items is None:
                    return st.builds(list)
                return _lists(items, self.cost(element), self.most_items(n), depth)
            case VObject():
                if depth >= self.limit:
                    return None
                return self.object_base(n, depth, skip=None, lenient=_never)
            case VRecord(key=key, value=value):
                if depth >= self.limit:
                    return None
                keys = _record_keys(key, self.options.ids)
                values = self.valid(value, depth + 1)
                if keys is None or values is None:
                    return st.builds(dict)
                most = min(self.most_items(n), MAX_OBJECT_FIELDS)
                return _dicts(keys, values, self.cost(value), most, depth)
            case VUnion(members=members):
                return self.union_values(members, depth)
            case _:
                assert_never(n)

    def most_items(self, node: VArray | VRecord) -> int:
        """How many items or entries a valid draw of ``node`` may have at most."""
        return self.options.limits.get(id(node), self.options.max_items)

    def union_values(
        self, members: tuple[Validator, ...], depth: int
    ) -> SearchStrategy[Any] | None:
        """Values of any member; one bigger than the smallest member's costs the difference."""
        viable = [(m, s) for m in members if (s := self.valid(m, depth)) is not None]
        if not viable:
            return None
        if len(viable) == 1:
            return viable[0][1]
        sizes = [self.cost(m) for m, _ in viable]
        cheapest = min(sizes)
        # Not `st.one_of`, whose repr spells out every member's: a composite's repr is short,
        # and its draw nests no deeper (Hypothesis fails a draw nested 100 spans deep, so a
        # 64-level value has no span to spare for a wrapper that would only name it).
        return _one_of_within(
            tuple((s, size - cheapest) for (_, s), size in zip(viable, sizes, strict=True))
        )

    def any_values(self, depth: int) -> SearchStrategy[Any]:
        """Arbitrary Convex values that fit ``depth`` containers deep."""
        hit = self._any.get(depth)
        if hit is not None:
            return hit
        room = self.limit - depth
        scalars = _JSON_ANY_SCALARS if self.options.json_safe else _ANY_SCALARS
        values = scalars
        if room > 0:
            # One chain as deep as the limit allows, to reach Convex's nesting edge.
            chains = st.builds(
                lambda levels, leaf: _nest(leaf, levels, 0)[0],
                st.one_of(st.just(room), st.integers(1, room)),
                scalars,
            )
            values = _any_containers(scalars, self.any_values(depth + 1), chains)
        self._any[depth] = values
        return values

    def object_base(
        self,
        node: VObject,
        depth: int,
        *,
        skip: str | None,
        lenient: Callable[[str], bool],
        pin: tuple[str, SearchStrategy[Any]] | None = None,
    ) -> SearchStrategy[dict[str, Any]] | None:
        """Valid objects without field ``skip``; a required field with no valid value is
        left out where ``lenient(name)`` (its absence is reported after the flaw), else there
        is no such object. ``pin`` fixes one field's strategy (a union's tag)."""
        required: list[tuple[str, SearchStrategy[Any]]] = []
        optional: list[tuple[str, SearchStrategy[Any], int]] = []
        for name, field in node.fields.items():
            if name == skip:
                continue
            strategy: SearchStrategy[Any] | None
            if pin is not None and name == pin[0]:
                strategy = pin[1]
            elif (id(node), name) in self.options.fields:
                strategy = self.options.fields[(id(node), name)]
            elif depth == 0 and name in self.top_fields:
                strategy = self.top_fields[name]
            else:
                strategy = self.valid(field, depth + 1)
            if strategy is None:
                if not field.is_optional and not lenient(name):
                    return None
            elif field.is_optional:
                optional.append((name, strategy, self.cost(field)))
            else:
                required.append((name, strategy))
        return _objects_of(tuple(required), tuple(optional))

    # ---- one-flaw values ------------------------------------------------------------------

    def flaws(self, node: Validator, depth: int) -> list[_Flaw]:
        """Every way to break ``node`` at ``depth`` once, simplest first."""
        key = (id(node), depth)
        hit = self._flaws.get(key)
        if hit is None:
            self.builds += 1
            hit = (node, _grouped(node, self._flaws_uncached(node, depth)))
            self._flaws[key] = hit
        return hit[1]

    def _flaws_uncached(self, node: Validator, depth: int) -> list[_Flaw]:
        n = as_node(node)
        flaws: list[_Flaw] = []
        match n:
            case VLiteral():
                return [("literal_mismatch", _literal_misses([n]).map(_at_root))]
            case VAny():
                return self.any_flaws(depth)
            case VUnion():
                return self.union_flaws(n, depth)
            case _:
                pass
        wrong = _wrong_types(_accepted_classes(n))
        if wrong is not None:
            flaws.append(("no_match", wrong.map(_at_root)))
        match n:
            case VString():
                flaws.append(("invalid_string", _SURROGATE_STRINGS.map(_at_root)))
            case VId():
                flaws.append(("invalid_id", _BAD_IDS.map(_at_root)))
            case VFloat64():
                flaws.append(("out_of_range", _FLOAT64_OVERFLOW.map(_at_root)))
            case VInt64() | VCommitTs():
                # The placeholder is the only non-int a commit timestamp takes: an int outside
                # Int64 is out of range for both, as the interpreter reports it.
                flaws.append(("out_of_range", _INT64_OVERFLOW.map(_at_root)))
            case VBoolean() | VNull() | VBytes():
                pass
            case VArray():
                flaws.extend(self.array_flaws(n, depth))
            case VObject():
                flaws.extend(self.object_flaws(n, depth))
            case VRecord():
                flaws.extend(self.record_flaws(n, depth))
            case VLiteral() | VAny() | VUnion():  # handled above
                raise AssertionError(n)
            case _:
                assert_never(n)
        return flaws

    def too_nested(self, node: Validator, depth: int, empty: Callable[[], Any]) -> list[_Flaw]:
        """A container where no container may be (``depth`` is at the limit)."""
        if self._deep is None:
            return [("too_nested", st.builds(empty).map(_at_root))]
        # A document's limit is checked after its validator: the value must be valid.
        value = self._deep.valid(node, depth)
        return [] if value is None else [("too_nested", value.map(_at_root))]

    def array_flaws(self, node: VArray, depth: int) -> list[_Flaw]:
        if depth >= self.limit:
            return self.too_nested(node, depth, list)
        items = self.valid(node.element, depth + 1)
        flaws: list[_Flaw] = []
        if items is not None:  # else (`v.array(v.union())`) only [] is valid: no long array
            # One valid item repeated: the array is too long and has no other flaw.
            too_long = st.builds(lambda item: [item] * (MAX_ARRAY_LENGTH + 1), items)
            flaws.append(("too_long", too_long.map(_at_root)))
        around = st.builds(list) if items is None else _lists(items, self.cost(node.element), 2)
        for code, bad in self.flaws(node.element, depth + 1):
            # Named (each level's repr would spell out every level below it), and a composite
            # rather than `st.builds` in a wrapper, which would cost a span a level.
            nested = _named_builds(_in_list, "invalid", _flaw_args(node, code), around, bad, around)
            flaws.append((code, nested))
        return flaws

    def object_flaws(
        self, node: VObject, depth: int, pin: tuple[str, SearchStrategy[Any]] | None = None
    ) -> list[_Flaw]:
        """Flaws of an object (a union member when ``pin`` fixes its tag field)."""
        if depth >= self.limit:
            return [] if pin is not None else self.too_nested(node, depth, dict)
        top = self.document and depth == 0
        tag = pin[0] if pin is not None else None
        flaws: list[_Flaw] = []
        names = sorted(node.fields)
        protected = self.options.protected
        for name in names:
            if name == tag or node.fields[name].is_optional or (id(node), name) in protected:
                continue
            base = self.object_base(node, depth, skip=name, lenient=_after(name), pin=pin)
            if base is not None:
                flaws.append(("missing_field", base.map(_without(name))))
        whole = self.object_base(node, depth, skip=None, lenient=_never, pin=pin)
        if whole is not None:
            extra = st.builds(
                _extra_field(frozenset(node.fields), top),
                whole,
                _FIELD_NAMES,
                self.any_values(depth + 1),
            )
            flaws.append(("extra_field", extra))
            bad_key = st.builds(_with_bad_key(top), whole, _BAD_FIELD_NAMES)
            flaws.append(("invalid_field_name", bad_key))
            flaws.append(("too_many_fields", whole.map(_pad).map(_at_root)))
            if top:
                for name in names:
                    big = _big_value(node.fields[name])
                    if name != tag and big is not None and (id(node), name) not in protected:
                        flaws.append(("too_large", st.builds(_at_document(name), whole, big)))
        for name in names:
            if name == tag or (id(node), name) in protected:
                continue
            base = self.object_base(node, depth, skip=name, lenient=_after(name), pin=pin)
            if base is None:
                continue
            for code, bad in self.flaws(node.fields[name], depth + 1):
                nested = _named_builds(_in_dict(name), "invalid", _flaw_args(node, code), base, bad)
                flaws.append((code, nested))
        return flaws

    def record_flaws(self, node: VRecord, depth: int) -> list[_Flaw]:
        if depth >= self.limit:
            return self.too_nested(node, depth, dict)
        keys = _record_keys(node.key, self.options.ids)
        values = self.valid(node.value, depth + 1)
        whole = self.valid(node, depth)
        assert whole is not None
        flaws: list[_Flaw] = []
        if values is None:
            # No entry has a valid value (`v.record(k, v.union())`): every entry would break
            # two rules, its own and the value's, so the only flaws are those of no entry.
            return flaws
        # A bad key's value is a valid value: the entry breaks only the key's rule.
        flaws.append(
            ("invalid_field_name", st.builds(_with_bad_record_key, whole, _BAD_FIELD_NAMES, values))
        )
        key_flaw = _key_flaw(node.key)
        if key_flaw is not None:
            code, bad_keys = key_flaw
            flaws.append((code, st.builds(_with_entry, whole, bad_keys, values)))
        fillers = _filler_keys(node.key)
        if fillers is not None:
            # Padded with valid entries (distinct valid keys, one valid value), as arrays repeat
            # a valid item: the record is too big and has no other flaw.
            padded = st.builds(_pad_record(fillers), whole, values)
            flaws.append(("too_many_fields", padded.map(_at_root)))
        if keys is not None:
            for code, bad in self.flaws(node.value, depth + 1):
                args = _flaw_args(node, code)
                flaws.append(
                    (code, _named_builds(_with_bad_entry, "invalid", args, whole, keys, bad))
                )
        return flaws

    def union_flaws(self, node: VUnion, depth: int) -> list[_Flaw]:
        members = node.members
        if len(members) == 1:
            return self.flaws(members[0], depth)
        if not members:
            return [("no_match", st.one_of(list(_CLASS_VALUES.values())).map(_at_root))]
        literals = _literal_leaves(node)
        if literals is not None:
            return [("literal_mismatch", _literal_misses(literals).map(_at_root))]
        flaws: list[_Flaw] = []
        wrong = _wrong_types(_accepted_classes(node))
        if wrong is not None:
            flaws.append(("no_match", wrong.map(_at_root)))
        tag = _tag_field(node)
        if tag is not None:
            return flaws + self.tagged_flaws(node, tag, depth)
        # Near misses: a member's one-flaw value, kept when no member accepts it; the union
        # then reports no_match at its own path.
        near: list[SearchStrategy[tuple[Any, Path]]] = []
        for member in members:
            for code, bad in self.flaws(member, depth):
                if self.document and code in _LIMIT_CODES:
                    flaws.append((code, bad))  # valid for the member: the limit is the issue
                else:
                    near.append(bad)
        if near:

            def rejected(drawn: tuple[Any, Path]) -> bool:
                return all(first_issue(m, drawn[0], depth) is not None for m in members)

            # Named before filtering: Hypothesis reports the filtered strategy's repr in events.
            misses = _named_one_of(near, "invalid", _flaw_args(node, "no_match"))
            flaws.append(("no_match", misses.filter(rejected).map(_root_of)))
        return flaws

    def tagged_flaws(self, node: VUnion, tag: str, depth: int) -> list[_Flaw]:
        if depth >= self.limit:
            return []
        objects = [m for m in node.members if isinstance(m, VObject)]
        every = [lit for m in objects for lit in _literal_leaves(m.fields[tag]) or []]
        missing: list[SearchStrategy[tuple[Any, Path]]] = []
        mistagged: list[SearchStrategy[tuple[Any, Path]]] = []
        branches: list[_Flaw] = []
        for member in objects:
            others = [
                lit
                for m in objects
                if m is not member
                for lit in _literal_leaves(m.fields[tag]) or []
            ]
            own = [
                lit.value
                for lit in _literal_leaves(member.fields[tag]) or []
                if not any(_literal_accepts(other, lit.value) for other in others)
            ]
            if not own:
                continue  # every tag value of this member also selects another member
            base = self.object_base(member, depth, skip=tag, lenient=_always)
            if base is not None:
                missing.append(base.map(_without(tag)))
                misses = _literal_misses(every).map(_at_root)
                mistagged.append(st.builds(_in_dict(tag), base, misses))
            pin = (tag, st.sampled_from(own))
            branches.extend(self.object_flaws(member, depth, pin))
        flaws: list[_Flaw] = []
        if missing:
            flaws.append(
                (
                    "missing_field",
                    _named_one_of(missing, "invalid", _flaw_args(node, "missing_field")),
                )
            )
        if mistagged:
            args = _flaw_args(node, "literal_mismatch")
            flaws.append(("literal_mismatch", _named_one_of(mistagged, "invalid", args)))
        return flaws + branches

    def any_flaws(self, depth: int) -> list[_Flaw]:
        leaf_flaws: list[_Flaw] = [
            ("unsupported_type", _UNSUPPORTED.map(_at_root)),
            ("out_of_range", _INT64_OVERFLOW.map(_at_root)),
            ("invalid_string", _SURROGATE_STRINGS.map(_at_root)),
        ]
        room = max(self.limit - depth, 0)
        # Containers nested one level past the limit; each level otherwise valid.
        chains = st.builds(
            _nest, self.any_values(self.limit), st.just(room + 1), st.sampled_from([0, "a"])
        )
        flaws = [*leaf_flaws, ("too_nested", chains)]
        if room == 0:
            return flaws
        inner = self.any_values(depth + 1)
        entries = _dicts(_FIELD_NAMES, inner, 1, 2)
        flaws.append(("too_long", st.builds(lambda: [0] * (MAX_ARRAY_LENGTH + 1)).map(_at_root)))
        flaws.append(("too_many_fields", entries.map(_pad).map(_at_root)))
        flaws.append(
            ("invalid_field_name", st.builds(_with_bad_key(False), entries, _BAD_FIELD_NAMES))
        )
        around = _lists(inner, 1, 2)
        for code, bad in leaf_flaws:
            flaws.append((code, st.builds(_in_list, around, bad, around)))
            flaws.append((code, st.builds(_with_bad_entry, entries, _FIELD_NAMES, bad)))
        return flaws


_VALUES = _Walk()
#: Rows and documents; only a document validator has a top-level ``_creationTime`` field.
_DOCUMENTS = _Walk(MAX_DOCUMENT_NESTING, document=True)
_CREATION_TIMES: SearchStrategy[float] = st.one_of(
    # Realistic creation times: Convex requires a Float64 in (0, 2**53) milliseconds.
    st.floats(min_value=1.6e12, max_value=2.0e12),
    st.floats(min_value=0.0, max_value=2.0**53, exclude_min=True, exclude_max=True),
)
_DOCUMENTS.top_fields["_creationTime"] = _CREATION_TIMES


def _walk_for(options: _Settings, *, document: bool) -> _Walk:
    """The shared walk for default options; a walk of its own for any other (its strategies
    depend on them, and overrides on the node copies `_Paths` made for this call)."""
    if options.is_default():
        return (_DOCUMENTS if document else _VALUES).trimmed()
    if not document:
        return _Walk(options=options)
    walk = _Walk(MAX_DOCUMENT_NESTING, document=True, options=options)
    walk.top_fields["_creationTime"] = _CREATION_TIMES
    return walk


def _big_value(field: Validator) -> SearchStrategy[Any] | None:
    """A value of ``field`` too large for a document by itself, if ``field`` has one."""
    if isinstance(field, (VString, VAny)):
        return st.builds(lambda: "x" * MAX_DOCUMENT_SIZE).map(_at_root)
    if isinstance(field, VBytes):
        return st.builds(lambda: bytes(MAX_DOCUMENT_SIZE)).map(_at_root)
    if isinstance(field, VUnion):
        return next((big for m in field.members if (big := _big_value(m)) is not None), None)
    return None


def _literal_values(node: VLiteral) -> SearchStrategy[Any]:
    value = node.value
    if isinstance(value, (bool, str)) or node.int64:
        return st.just(value)
    # A Float64 literal matches a float and an int of the same value (but -0.0 only as float).
    forms: list[float | int] = [value]
    if isinstance(value, int):
        forms.append(float(value))
    elif (
        value.is_integer()
        and abs(value) <= FLOAT64_SAFE_INTEGER
        and (value != 0 or math.copysign(1.0, value) > 0)
    ):
        forms.append(int(value))
    return st.sampled_from(forms)


def _record_keys(key: Validator, ids: dict[str, SearchStrategy[str]]) -> SearchStrategy[str] | None:
    """Valid field names that ``key`` (a string-like validator) accepts; a table's IDs from
    ``ids`` where it has a strategy there."""
    if isinstance(key, VString):
        return _FIELD_NAMES
    if isinstance(key, VId):
        return ids.get(key.table_name, _IDS)
    if isinstance(key, VUnion):
        options = [s for m in key.members if (s := _record_keys(m, ids)) is not None]
        return st.one_of(options) if options else None
    if isinstance(key, VLiteral) and isinstance(key.value, str):
        return st.just(key.value)
    return None


def _after(name: str) -> Callable[[str], bool]:
    return lambda other: other > name


def _without(name: str) -> Callable[[dict[str, Any]], tuple[Any, Path]]:
    def build(value: dict[str, Any]) -> tuple[Any, Path]:
        return value, (name,)

    return build


def _in_dict(name: str) -> Callable[[dict[str, Any], tuple[Any, Path]], tuple[Any, Path]]:
    def build(base: dict[str, Any], bad: tuple[Any, Path]) -> tuple[Any, Path]:
        return {**base, name: bad[0]}, (name, *bad[1])

    return build


def _in_list(before: list[Any], bad: tuple[Any, Path], after: list[Any]) -> tuple[list[Any], Path]:
    return [*before, bad[0], *after], (len(before), *bad[1])


def _at_document(name: str) -> Callable[[dict[str, Any], tuple[Any, Path]], tuple[Any, Path]]:
    def build(base: dict[str, Any], bad: tuple[Any, Path]) -> tuple[Any, Path]:
        return {**base, name: bad[0]}, ()

    return build


def _unreserved(key: str) -> str:
    """A field name that does not start with ``_`` (reserved at a document's top level)."""
    return "x" + key if key.startswith("_") else key


def _extra_field(
    declared: frozenset[str], top: bool
) -> Callable[[dict[str, Any], str, Any], tuple[Any, Path]]:
    def build(base: dict[str, Any], key: str, value: Any) -> tuple[Any, Path]:
        if top:
            key = _unreserved(key)
        while key in declared:  # declared names are identifiers: one "~" makes any name new
            key += "~"
        return {**base, key: value}, (key,)

    return build


def _with_bad_key(top: bool) -> Callable[[dict[Any, Any], Any], tuple[Any, Path]]:
    def build(base: dict[Any, Any], key: Any) -> tuple[Any, Path]:
        if top and isinstance(key, str) and key.startswith("_"):
            key = "$" + key  # still a bad name, but not a reserved one
        return {**base, key: None}, (_key_path(key),)

    return build


def _with_entry(base: dict[str, Any], key: str, value: Any) -> tuple[Any, Path]:
    return {**base, key: value}, (key,)


def _with_bad_entry(base: dict[str, Any], key: str, bad: tuple[Any, Path]) -> tuple[Any, Path]:
    return {**base, key: bad[0]}, (key, *bad[1])


def _root_of(drawn: tuple[Any, Path]) -> tuple[Any, Path]:
    return drawn[0], ()


# --------------------------------------------------------------------------------------------
# Public strategies


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


# --------------------------------------------------------------------------------------------
# Arguments: field paths (overrides, per-path sizes), IDs of existing rows, sizes, JSON

#: A field's path: a field name (a top-level field), or a tuple of names through nested
#: objects. Convex field names are identifiers, so a name never holds a dot: a dotted string
#: is refused with the tuple it likely meant.
FieldPath = str | tuple[str, ...]


class _Spot:
    """One place in the tree of paths the arguments name: the fields below it, and what an
    argument asks for the field here (its override strategy; its array's or record's cap)."""

    __slots__ = ("below", "items", "override")

    def __init__(self) -> None:
        self.below: dict[str, _Spot] = {}
        self.override: SearchStrategy[Any] | None = None
        self.items: int | None = None


def _shown(value: object) -> str:
    """A Python repr of an argument or a drawn value for a message, bounded in length (a
    huge value's full repr would be the message)."""
    import reprlib  # loaded only for messages

    shown = reprlib.Repr()  # attributes, not keywords: those arrived in Python 3.12
    shown.maxstring = shown.maxother = 60
    return shown.repr(value)


def _path_of(where: str, argument: str, key: object) -> tuple[str, ...]:
    if isinstance(key, str):
        if "." in key:
            raise InvalidArgument(
                f"{where}: {argument} key {key!r}: Convex field names hold no dots; the path "
                f"of a nested field is a tuple of names, {tuple(key.split('.'))!r}"
            )
        return (key,)
    if isinstance(key, tuple) and key and all(isinstance(name, str) for name in key):
        return key
    raise InvalidArgument(
        f"{where}: {argument} keys are field names or tuples of field names (the path of a "
        f"nested field, ('address', 'city')), got {_shown(key)}"
    )


def _int_arg(where: str, argument: str, value: object, most: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= most:
        raise InvalidArgument(
            f"{where}: {argument} must be an int from 0 to {most}, got {_shown(value)}"
        )
    return value


def _bool_arg(where: str, argument: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{where}: {argument} must be True or False, got {_shown(value)}")
    return value


def _strategy_arg(where: str, argument: str, value: object) -> SearchStrategy[Any]:
    if not isinstance(value, SearchStrategy):
        raise InvalidArgument(
            f"{where}: {argument} must be a Hypothesis strategy, got "
            f"{type(value).__name__} {_shown(value)}"
        )
    return value


class _Paths:
    """Applies the path arguments (``overrides``, ``max_items`` by path) to a validator: each
    path is checked against it when the strategy is defined, and the nodes along it are
    copied, so that the options can name the copies (`_Settings`) without touching any other
    place the same subtree appears."""

    def __init__(self, where: str, options: _Settings, flaws_in_overrides: bool) -> None:
        self.where = where
        self.options = options
        self.flaws_in_overrides = flaws_in_overrides
        self.root = _Spot()

    def spot(self, argument: str, key: object) -> tuple[tuple[str, ...], _Spot]:
        path = _path_of(self.where, argument, key)
        spot = self.root
        for name in path:
            spot = spot.below.setdefault(name, _Spot())
        return path, spot

    def add_overrides(self, overrides: object) -> None:
        if overrides is None:
            return
        if not isinstance(overrides, Mapping):
            raise InvalidArgument(
                f"{self.where}: overrides must map field paths to strategies "
                f"({{'email': st.emails()}}), got {type(overrides).__name__}"
            )
        for key, strategy in overrides.items():
            path, spot = self.spot("overrides", key)
            spot.override = _strategy_arg(self.where, f"overrides[{path!r}]", strategy)

    def add_items(self, limits: Mapping[Any, Any]) -> None:
        for key, most in limits.items():
            path, spot = self.spot("max_items", key)
            spot.items = _int_arg(self.where, f"max_items[{path!r}]", most, _MAX_ITEMS_ARG)

    def apply(self, node: Validator) -> Validator:
        """``node`` with copies along every path; `InvalidArgument` for a path it lacks."""
        if not self.root.below:
            return node
        self.check_overlaps(self.root, ())
        return self.rewrite(node, self.root, ())

    def check_overlaps(self, spot: _Spot, path: tuple[str, ...]) -> None:
        for name, below in spot.below.items():
            here = (*path, name)
            if below.override is not None and below.below:
                inner = next(iter(below.below))
                raise InvalidArgument(
                    f"{self.where}: overrides[{here!r}] replaces the whole field, so a path "
                    f"inside it ({(*here, inner)!r}) cannot apply too"
                )
            self.check_overlaps(below, here)

    def rewrite(self, node: Validator, spot: _Spot, path: tuple[str, ...]) -> Validator:
        """A copy of ``node`` (at ``path``) whose fields named in ``spot`` are rewritten."""
        n = as_node(node)
        if isinstance(n, VUnion):
            # The object members (nullable objects too) that have the fields: each gets the
            # fields it has; a name that no member has is refused.
            members: list[Validator] = []
            found: set[str] = set()
            for member in n.members:
                names = _field_names(member) & spot.below.keys()
                if names:
                    part = _Spot()
                    part.below = {name: spot.below[name] for name in names}
                    members.append(self.rewrite(member, part, path))
                    found |= names
                else:
                    members.append(member)
            missing = sorted(spot.below.keys() - found)
            if missing:
                self.not_found(n, path, missing[0], sorted(_field_names(n)))
            return attrs.evolve(n, members=tuple(members))
        if not isinstance(n, VObject):
            name = next(iter(spot.below))
            self.not_found(n, path, name, [])
        fields = dict(n.fields)
        for name, below in spot.below.items():
            if name not in fields:
                self.not_found(n, path, name, list(fields))
            here = (*path, name)
            if below.below:
                fields[name] = self.rewrite(fields[name], below, here)
            if below.items is not None:
                fields[name] = self.limit(fields[name], here, below.items)
        copy_ = attrs.evolve(n, fields=FieldMap(fields))
        self.options.keep.append(copy_)
        for name, below in spot.below.items():
            if below.override is not None:
                here = (*path, name)
                key = (id(copy_), name)
                check = _checked_override(self.where, here, n.fields[name], len(here))
                self.options.fields[key] = below.override.map(check)
                if not self.flaws_in_overrides:
                    self.options.protected.add(key)
        return copy_

    def limit(self, node: Validator, path: tuple[str, ...], most: int) -> Validator:
        """A copy of the array or record at ``path`` (each one, in a union) capped at ``most``."""
        n = as_node(node)
        if isinstance(n, (VArray, VRecord)):
            copy_ = attrs.evolve(n)
            self.options.keep.append(copy_)
            self.options.limits[id(copy_)] = most
            return copy_
        if isinstance(n, VUnion) and any(_is_container(m) for m in n.members):
            return attrs.evolve(
                n,
                members=tuple(
                    self.limit(m, path, most) if _is_container(m) else m for m in n.members
                ),
            )
        raise InvalidArgument(
            f"{self.where}: max_items[{path!r}] names {_head(n)}, which is no array or record"
        )

    def not_found(
        self, node: Validator, path: tuple[str, ...], name: str, names: list[str]
    ) -> typing.NoReturn:
        import difflib  # loaded only for this message

        here = f"{path!r}" if path else "the top"
        if not names:
            raise InvalidArgument(
                f"{self.where}: no field {(*path, name)!r}: the value at {here} is "
                f"{_head(node)}, which has no fields"
            )
        close = difflib.get_close_matches(name, names, n=1)
        hint = f" (did you mean {(*path, close[0])!r}?)" if close else ""
        shown = ", ".join(map(repr, names[:8])) + (", ..." if len(names) > 8 else "")
        raise InvalidArgument(
            f"{self.where}: no field {(*path, name)!r}{hint}; the object at {here} has "
            f"the fields {shown}"
        )


def _field_names(node: Validator) -> set[str]:
    """The field names of an object, or of the objects of a union."""
    n = as_node(node)
    if isinstance(n, VObject):
        return set(n.fields)
    if isinstance(n, VUnion):
        return set().union(*(_field_names(m) for m in n.members))
    return set()


def _is_container(node: Validator) -> bool:
    return isinstance(node, (VArray, VRecord))


def _checked_override(
    where: str, path: tuple[str, ...], field: Validator, depth: int
) -> Callable[[Any], Any]:
    """Passes an override's draws through, or raises `InvalidArgument` for one the field
    rejects (a silent invalid row would fail the user's test for the wrong reason)."""
    required = field.required()

    def check(value: Any) -> Any:
        issue = first_issue(required, value, depth)
        if issue is not None:
            raise InvalidArgument(
                f"{where}: overrides[{path!r}] drew {_shown(value)}, which the "
                f"field's validator {_head(required)} rejects: {issue.summary}"
            )
        return value

    return check


def _checked_id(where: str, table: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if type(value) is not str or id_error(value) is not None:
            raise InvalidArgument(
                f"{where}: existing_ids[{table!r}] drew {_shown(value)}, which is no "
                "Convex ID (its rows' IDs, such as vschema.new_id makes, belong there)"
            )
        return value

    return check


class _Arguments:
    """The checked arguments of one public strategy, the `_Settings` they make, and the text
    its repr shows for them."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.shown: list[str] = []
        self.size = _DRAW_BUDGET
        self.convex_json = False
        self.options = _Settings()
        self.paths = _Paths(where, self.options, flaws_in_overrides=False)

    def json(self, json_safe: object, convex_json: object) -> None:
        self.options.json_safe = _bool_arg(self.where, "json_safe", json_safe)
        self.convex_json = _bool_arg(self.where, "convex_json", convex_json)
        if self.options.json_safe and self.convex_json:
            raise InvalidArgument(
                f"{self.where}: json_safe=True and convex_json=True are two ways of making "
                "values JSON: choose one (Convex JSON keeps bytes, NaN and Int64s exact)"
            )
        if self.options.json_safe:
            self.shown.append("json_safe=True")
        if self.convex_json:
            self.shown.append("convex_json=True")

    def sizes(self, max_items: object, max_size: object) -> None:
        if isinstance(max_items, Mapping):
            self.paths.add_items(max_items)
            shown = ", ".join(f"{key!r}: {most!r}" for key, most in max_items.items())
            self.shown.append(f"max_items={{{shown}}}")
        elif max_items is not None:
            self.options.max_items = _int_arg(self.where, "max_items", max_items, _MAX_ITEMS_ARG)
            self.shown.append(f"max_items={max_items}")
        if max_size is not None:
            self.size = _int_arg(self.where, "max_size", max_size, _MAX_SIZE_ARG)
            self.shown.append(f"max_size={max_size}")

    def overrides(self, overrides: object, flaws_in_overrides: object = False) -> None:
        self.paths.flaws_in_overrides = _bool_arg(
            self.where, "flaws_in_overrides", flaws_in_overrides
        )
        self.paths.add_overrides(overrides)
        if overrides:
            assert isinstance(overrides, Mapping)
            shown = ", ".join(f"{key!r}: ..." for key in overrides)
            self.shown.append(f"overrides={{{shown}}}")
        if self.paths.flaws_in_overrides:
            self.shown.append("flaws_in_overrides=True")

    def existing_ids(self, schema: Schema, table: str, existing_ids: object) -> None:
        if existing_ids is None:
            return
        if isinstance(existing_ids, SearchStrategy):
            by_table: Mapping[Any, Any] = {table: existing_ids}
        elif isinstance(existing_ids, Mapping):
            by_table = existing_ids
        else:
            raise InvalidArgument(
                f"{self.where}: existing_ids must be a strategy of this table's IDs (a Bundle) "
                "or map table names to such strategies, got "
                f"{type(existing_ids).__name__} {_shown(existing_ids)}"
            )
        for name, ids in by_table.items():
            if not isinstance(name, str) or name not in schema.tables:
                raise InvalidArgument(
                    f"{self.where}: existing_ids names table {_shown(name)}, which is "
                    f"not in this schema. Tables in this schema: {', '.join(schema.tables)}"
                )
            strategy = _strategy_arg(self.where, f"existing_ids[{name!r}]", ids)
            self.options.ids[name] = strategy.map(_checked_id(self.where, name))
        self.shown.append(f"existing_ids={{{', '.join(map(repr, by_table))}}}")

    def text(self) -> str:
        return "".join(", " + part for part in self.shown)

    def finish(self, strategy: SearchStrategy[Any], node: Validator) -> SearchStrategy[Any]:
        """``strategy``'s draws as Convex JSON when asked (of ``node``, the validator)."""
        if not self.convex_json:
            return strategy
        # Loaded only here: the value encoding is not needed to draw Python values.
        from vschema.validators._convex_json import to_convex_json

        return strategy.map(lambda value: to_convex_json(value, node))


# --------------------------------------------------------------------------------------------
# Tables

_OWN_FIELD_NAMES: SearchStrategy[str] = _FIELD_NAMES.map(_unreserved)
_RESERVED_KEYS: SearchStrategy[str] = st.text(_PRINTABLE, max_size=8).map(lambda t: "_" + t)
_SYSTEM_FIELD_CODES = frozenset({"missing_field", "no_match", "invalid_id", "out_of_range"})


def _merged(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    return {**first, **second}


def _beside(bad: tuple[Any, Path], valid: dict[str, Any]) -> tuple[Any, Path]:
    return {**valid, **bad[0]}, bad[1]


def _with_reserved(
    allowed: tuple[str, ...],
) -> Callable[[dict[str, Any], str, Any], tuple[Any, Path]]:
    def build(base: dict[str, Any], key: str, value: Any) -> tuple[Any, Path]:
        while key in allowed:
            key += "_"
        return {**base, key: value}, (key,)

    return build


class _Table:
    """Valid and one-flaw rows (or stored documents) of one table, as `Schema.validate`
    (`Schema.validate_document`) sees them: reserved ``_`` fields first, then the validator
    (whose own ``_`` fields the backend drops), then the 16-level and 1 MiB document limits."""

    def __init__(
        self,
        where: str,
        schema: object,
        table: object,
        document: object,
        member: int | None = None,
        *,
        patch: bool = False,
    ) -> None:
        if not isinstance(schema, Schema):
            raise InvalidArgument(
                f"{where} expects a schema built with vschema.define_schema, "
                f"got {type(schema).__name__} {schema!r:.80}"
            )
        if not isinstance(table, str):
            raise InvalidArgument(f"{where}: the table name must be a str, got {table!r:.80}")
        if not isinstance(document, bool):
            raise InvalidArgument(f"{where}: document must be True or False, got {document!r:.80}")
        if table not in schema.tables:
            raise InvalidArgument(
                f"{where}: table {table!r} is not in this schema. "
                f"Tables in this schema: {', '.join(schema.tables)}"
            )
        row = without_system_fields(schema.tables[table].validator)
        if member is not None:  # one object (or `v.any()`) of a union table, as codegen counts
            row = _flat_members(row)[member]
        if patch:
            if isinstance(row, VUnion):
                raise InvalidArgument(
                    f"{where}: table {table!r} is a union of objects, and which fields a patch "
                    "may set depends on the member the row is: draw whole rows with for_table"
                )
            if isinstance(row, VObject):
                row = row.partial()
        self.where = where
        self.name = where.removesuffix("()")
        self.table = table
        self.document = document
        self.open = isinstance(row, VAny)
        self.system = v.object(system_fields(table))
        self.top = document_validator(table, row) if document and not self.open else row
        self.walk = _DOCUMENTS.trimmed()
        self.arguments = _Arguments(where)

    def configure(self, arguments: _Arguments) -> None:
        """Use ``arguments``: their paths are checked against the table's validator here."""
        self.arguments = arguments
        self.top = arguments.paths.apply(self.top)
        self.walk = _walk_for(arguments.options, document=True)

    def args(self) -> Callable[[], str]:
        text = self.arguments.text()
        table_args = _table_args(self.table, self.document)
        return lambda: table_args() + text

    def valid(self) -> SearchStrategy[Any] | None:
        if not self.open:
            return self.walk.valid(self.top, 0)
        own = self.own_fields()
        if not self.document:
            return own
        system = self.walk.valid(self.system, 0)
        assert system is not None
        return st.builds(_merged, own, system)

    def rows(self) -> SearchStrategy[Any]:
        """`valid`, budgeted; a table no row fits raises `InvalidArgument` saying why (an
        empty strategy would surface only as ``Unsatisfiable``, at the first test run)."""
        valid = self.valid()
        if valid is not None:
            encoded = self.arguments.finish(valid, v.any() if self.open else self.top)
            return _budgeted(encoded, self.name, self.args(), self.arguments.size)
        what = f"{self.where}: table {self.table!r}" + (" (documents)" if self.document else "")
        json_safe = self.arguments.options.json_safe
        if json_safe and _DOCUMENTS.trimmed().valid(self.top, 0) is not None:
            raise InvalidArgument(
                f"{what} has no JSON-safe row (json_safe=True): a required field has no "
                "value JSON can hold, such as v.bytes(); use convex_json=True to draw its "
                "Convex JSON instead"
            )
        if _VALUES.trimmed().valid(self.top, 0) is not None:
            raise InvalidArgument(
                f"{what} has no row within Convex's document nesting limit of "
                f"{MAX_DOCUMENT_NESTING} levels: required fields nest deeper than that"
            )
        raise InvalidArgument(
            f"{what} has no valid row: its validator matches no value (a required field "
            "nothing matches, such as v.union())"
        )

    def own_fields(self) -> SearchStrategy[dict[str, Any]]:
        """A `v.any()` table's fields: any values, under names that are not reserved."""
        return _dicts(_OWN_FIELD_NAMES, self.walk.any_values(1), 1)

    def flaws(self) -> list[_Flaw]:
        flaws = self.open_flaws() if self.open else list(self.walk.flaws(self.top, 0))
        valid = self.valid()
        if valid is not None:
            allowed = SYSTEM_FIELDS if self.document else ()
            reserved = st.builds(
                _with_reserved(allowed), valid, _RESERVED_KEYS, self.walk.any_values(1)
            )
            flaws.insert(min(1, len(flaws)), ("reserved_field", reserved))
        # A document's nesting limit is reported for the whole document.
        return [(c, s.map(_root_of) if c == "too_nested" else s) for c, s in flaws]

    def open_flaws(self) -> list[_Flaw]:
        walk = self.walk
        not_objects = _wrong_types(_ALL_CLASSES - _CONVEX_CLASSES | {"dict"})
        assert not_objects is not None
        flaws: list[_Flaw] = [
            ("no_match", not_objects.map(_at_root)),
            ("unsupported_type", _UNSUPPORTED.map(_at_root)),
            ("out_of_range", _INT64_OVERFLOW.map(_at_root)),
            ("invalid_string", _SURROGATE_STRINGS.map(_at_root)),
            ("too_long", st.builds(lambda: [0] * (MAX_ARRAY_LENGTH + 1)).map(_at_root)),
        ]
        own = self.own_fields()
        big = _big_value(v.any())
        assert big is not None
        own_flaws: list[_Flaw] = [
            ("too_many_fields", own.map(_pad).map(_at_root)),
            ("invalid_field_name", st.builds(_with_bad_key(True), own, _BAD_FIELD_NAMES)),
            ("too_large", st.builds(_at_document("x"), own, big)),
        ]
        for code, bad in walk.flaws(v.any(), 1):
            own_flaws.append((code, st.builds(_with_bad_entry, own, _OWN_FIELD_NAMES, bad)))
        if self.document:
            system = walk.valid(self.system, 0)
            assert system is not None
            own_flaws = [(c, st.builds(_beside, s, system)) for c, s in own_flaws]
            for code, bad in walk.object_flaws(self.system, 0):
                if code in _SYSTEM_FIELD_CODES:
                    flaws.append((code, st.builds(_beside, bad, own)))
        return flaws + own_flaws


def for_table(
    schema: Schema,
    table: str,
    *,
    document: bool = False,
    overrides: Mapping[FieldPath, SearchStrategy[Any]] | None = None,
    existing_ids: SearchStrategy[str] | Mapping[str, SearchStrategy[str]] | None = None,
    json_safe: bool = False,
    convex_json: bool = False,
    max_items: int | Mapping[FieldPath, int] | None = None,
    max_size: int | None = None,
) -> SearchStrategy[Any]:
    """Rows ``schema.validate(table, row)`` accepts: what a handler may insert into ``table``.

    With ``document=True``, stored documents ``schema.validate_document(table, doc)`` accepts:
    the row's fields plus a valid ``_id`` and a realistic ``_creationTime``. Draws nest at most
    16 levels, as Convex's documents must. A table no row fits (a required field that matches
    nothing, or required fields nested past those 16 levels) raises `InvalidArgument` saying
    which, rather than drawing nothing.

    * ``overrides`` maps field paths to strategies that draw those fields instead:
      ``{"email": st.emails(), ("address", "city"): st.sampled_from(["Oslo", "Lima"])}``. A
      path is a top-level field's name or a tuple of names through nested objects (through
      the object members of unions and nullables too). Each path must exist (else
      `InvalidArgument` naming it and the nearest field), and each drawn value must be valid
      for its field: one that is not raises `InvalidArgument` naming the field and the value.
    * ``existing_ids``: IDs for `v.id` fields, so that rows refer to rows that exist: a
      strategy (a stateful test's ``Bundle``) of this table's IDs, or a mapping from table
      names to such strategies (``{"users": users}``). IDs of other tables are drawn as
      fresh valid IDs, such as `vschema.new_id` makes.
    * ``json_safe=True``: only values ``json.dumps`` writes and `validate_json` reads back
      with the same meaning (finite floats, Float64 ints within 2**53, no bytes, no
      `COMMIT_TS`); ``convex_json=True``: each row as `vschema.to_convex_json` encodes it,
      ready for Convex's wire (`from_convex_json` reads it back).
    * ``max_items`` caps every array and record (default 8), or, as a mapping from field
      paths to caps, those at the paths (``{"tags": 100}``); ``max_size`` is how many value
      nodes one draw may add beyond the row's smallest value (default 48), shared out so that
      deeper levels draw fewer and shorter collections.
    """
    rows = _Table("for_table()", schema, table, document)
    rows.configure(
        _arguments(
            "for_table()",
            schema,
            table,
            overrides,
            existing_ids,
            json_safe,
            convex_json,
            max_items,
            max_size,
        )
    )
    return rows.rows()


def for_patch(
    schema: Schema,
    table: str,
    *,
    overrides: Mapping[FieldPath, SearchStrategy[Any]] | None = None,
    existing_ids: SearchStrategy[str] | Mapping[str, SearchStrategy[str]] | None = None,
    json_safe: bool = False,
    convex_json: bool = False,
    max_items: int | Mapping[FieldPath, int] | None = None,
    max_size: int | None = None,
) -> SearchStrategy[dict[str, Any]]:
    """Partial updates of ``table``'s rows, as Convex's ``db.patch`` takes them: dicts of some
    of the table's fields (none, one or all), each value valid for its field, so a valid row
    updated with one (``{**row, **patch}``) is still valid.

    The table must be an object (or a `v.any()` table: then any unreserved fields); a union
    table raises `InvalidArgument`, since which fields a patch may set depends on the member.
    The keyword arguments are `for_table`'s.
    """
    patches = _Table("for_patch()", schema, table, False, patch=True)
    patches.configure(
        _arguments(
            "for_patch()",
            schema,
            table,
            overrides,
            existing_ids,
            json_safe,
            convex_json,
            max_items,
            max_size,
        )
    )
    return patches.rows()


def _arguments(
    where: str,
    schema: Schema,
    table: str,
    overrides: object,
    existing_ids: object,
    json_safe: object,
    convex_json: object,
    max_items: object,
    max_size: object,
    flaws_in_overrides: object = False,
) -> _Arguments:
    arguments = _Arguments(where)
    arguments.overrides(overrides, flaws_in_overrides)
    arguments.existing_ids(schema, table, existing_ids)
    arguments.json(json_safe, convex_json)
    arguments.sizes(max_items, max_size)
    return arguments


def invalid_for_table(
    schema: Schema,
    table: str,
    *,
    document: bool = False,
    codes: Collection[IssueCode] | None = None,
    overrides: Mapping[FieldPath, SearchStrategy[Any]] | None = None,
    flaws_in_overrides: bool = False,
    existing_ids: SearchStrategy[str] | Mapping[str, SearchStrategy[str]] | None = None,
    max_items: int | Mapping[FieldPath, int] | None = None,
    max_size: int | None = None,
) -> SearchStrategy[tuple[Any, ExpectedIssue]]:
    """`invalid` for a row of ``table`` (or, with ``document=True``, a stored document): the
    first issue of ``schema.validate(table, row)`` (``validate_document``) is ``expected``.

    Besides the validator's flaws: a reserved top-level ``_`` field, a document nested past
    16 levels and one over 1 MiB (both reported at the document, path ``()``), and with
    ``document=True`` a missing or bad ``_id`` or ``_creationTime``.

    ``overrides``, ``existing_ids``, ``max_items`` and ``max_size`` are `for_table`'s: the
    rest of the row is drawn as `for_table` draws it, overridden fields included, and the
    flaw is placed elsewhere, never in (or as the absence of) an overridden field, unless
    ``flaws_in_overrides=True``.
    """
    chosen = _check_codes("invalid_for_table()", codes)
    rows = _Table("invalid_for_table()", schema, table, document)
    arguments = _arguments(
        "invalid_for_table()",
        schema,
        table,
        overrides,
        existing_ids,
        False,
        False,
        max_items,
        max_size,
        flaws_in_overrides,
    )
    rows.configure(arguments)
    return _one_flaw(
        rows.flaws(),
        chosen,
        lambda: f"invalid_for_table(): table {table!r}",
        "invalid_for_table",
        rows.args(),
        arguments.size,
    )


def _table_args(table: str, document: bool) -> Callable[[], str]:
    return lambda: (
        f"schema, {_cut(repr(table), _HEAD_LENGTH)}" + (", document=True" if document else "")
    )


def _flat_members(validator: Validator) -> tuple[Validator, ...]:
    """A table validator's objects (and ``v.any()``), nested unions flattened, in order."""
    if isinstance(validator, VUnion):
        return tuple(m for member in validator.members for m in _flat_members(member))
    return (validator,)


def register_types(module: ModuleType) -> None:
    """Register strategies for the types of a generated types module, for ``st.from_type``.

    ``module`` is the module ``vschema codegen --py-out`` wrote (imported). For each table,
    ``st.from_type(Inquiry)`` then draws rows `for_table` draws (valid for
    ``schema.validate``), ``st.from_type(InquiryDocument)`` stored documents (valid for
    ``schema.validate_document``), and ``st.from_type(InquiryId)`` valid IDs. A table whose
    validator is a union of objects gets one ``TypedDict`` per member, each registered with rows
    of that member, so the union alias (``st.from_type(Event)``) draws from every member. Nested
    ``TypedDict``s (``InquiryAddress``) draw values of the object they were generated from,
    nested no deeper than where the schema puts them lets a document be, and every
    ``NewType`` ID the module's types use draws valid IDs. Registration uses
    `hypothesis.strategies.register_type_strategy` and replaces earlier registrations of the
    same types. A module generated by a vschema without this support, or a table no row fits,
    raises `InvalidArgument`.
    """
    where = "register_types()"
    if not isinstance(module, ModuleType):
        raise InvalidArgument(
            f"{where} expects the module vschema codegen generated (imported), "
            f"got {type(module).__name__} {module!r:.80}"
        )
    tables = getattr(module, "__vschema_tables__", None)
    # ``schema`` in modules generated now; ``_schema`` in those of earlier versions.
    schema = getattr(module, "schema", getattr(module, "_schema", None))
    if not isinstance(tables, dict) or not isinstance(schema, Schema):
        raise InvalidArgument(
            f"{where}: module {module.__name__!r} is no types module generated by this "
            "vschema (no __vschema_tables__ or schema): regenerate it with `vschema codegen`"
        )
    registrations: list[tuple[Any, SearchStrategy[Any]]] = []
    nested = _TypeWalk()
    for table, members in tables.items():
        if table not in schema.tables:
            raise InvalidArgument(
                f"{where}: module {module.__name__!r} names table {table!r}, which its schema "
                "does not have: regenerate it with `vschema codegen`"
            )
        union = len(members) != 1 or isinstance(schema.tables[table].validator, VUnion)
        for index, names in enumerate(members):
            if names is None:
                continue  # a `v.any()` member: its type is dict[str, Any], nothing to register
            for name, document in zip(names, (False, True), strict=True):
                typed_dict = getattr(module, name, None)
                if not isinstance(typed_dict, type):
                    raise InvalidArgument(
                        f"{where}: module {module.__name__!r} has no TypedDict {name!r} "
                        "(it is stale or edited): regenerate it with `vschema codegen`"
                    )
                member = index if union else None
                rows = _Table(where, schema, table, document, member)
                registrations.append((typed_dict, rows.rows()))
                nested.fields(typed_dict, rows.top, 0)
    registrations.extend(nested.registrations())
    for registered, strategy in registrations:  # all checked first: nothing half-registered
        st.register_type_strategy(registered, strategy)


def _typed_dict_keys(typed_dict: Any) -> frozenset[str]:
    return frozenset(typed_dict.__required_keys__) | frozenset(typed_dict.__optional_keys__)


class _TypeWalk:
    """Pairs a generated module's annotations with the validators they were generated from:
    each nested ``TypedDict`` with its object (and the deepest level it is used at), each
    ``NewType`` ID with its `v.id`. A pair whose shapes differ is not followed (a type edited
    by hand draws what Hypothesis would draw for it)."""

    def __init__(self) -> None:
        self.objects: dict[Any, tuple[Validator, int]] = {}
        self.ids: dict[Any, str] = {}

    def fields(self, typed_dict: Any, node: Validator, depth: int) -> None:
        """The fields of ``typed_dict`` (an object ``depth`` containers deep)."""
        if not isinstance(node, VObject) or _typed_dict_keys(typed_dict) != frozenset(node.fields):
            return
        hints = get_type_hints(typed_dict)  # NotRequired[X] read as X
        for name, field in node.fields.items():
            if name in hints:
                self.pair(hints[name], field, depth + 1)

    def pair(self, annotation: Any, node: Validator, depth: int) -> None:
        n = as_node(node)
        origin = get_origin(annotation)
        if isinstance(n, VUnion):
            self.union(annotation, n, depth)
        elif is_typeddict(annotation):
            if isinstance(n, VObject):
                seen = self.objects.get(annotation)
                if seen is not None and seen[1] >= depth:
                    return  # met before, as deep: its fields are paired already
                self.objects[annotation] = (n, depth)
                self.fields(annotation, n, depth)
        elif isinstance(annotation, typing.NewType) and isinstance(n, VId):
            self.ids.setdefault(annotation, n.table_name)
        elif origin is list and isinstance(n, VArray):
            self.pair(get_args(annotation)[0], n.element, depth + 1)
        elif origin is dict and isinstance(n, VRecord):
            key, value = get_args(annotation)
            self.pair(key, n.key, depth)
            self.pair(value, n.value, depth + 1)

    def union(self, annotation: Any, node: VUnion, depth: int) -> None:
        members = _flat_members(node)
        if get_origin(annotation) not in (typing.Union, types.UnionType):
            if len(members) == 1:
                self.pair(annotation, members[0], depth)
            return
        left = list(members)
        for arg in get_args(annotation):
            match = next((m for m in left if _same_shape(arg, m)), None)
            if match is not None:
                left.remove(match)
                self.pair(arg, match, depth)

    def registrations(self) -> list[tuple[Any, SearchStrategy[Any]]]:
        found: list[tuple[Any, SearchStrategy[Any]]] = []
        walk = _DOCUMENTS.trimmed()
        for typed_dict, (node, depth) in self.objects.items():
            values = walk.valid(node, depth)
            if values is not None:
                found.append((typed_dict, _budgeted(values, "from_validator", _head_of(node))))
        for id_type, table in self.ids.items():
            found.append((id_type, _named(_IDS, "from_validator", _head_of(v.id(table)))))
        return found


def _head_of(node: Validator) -> Callable[[], str]:
    return lambda: _head(node)


def _same_shape(annotation: Any, node: Validator) -> bool:
    """Whether ``annotation`` can be the type codegen wrote for ``node`` (a union member)."""
    origin = get_origin(annotation)
    if is_typeddict(annotation):
        if not isinstance(node, VObject) or _typed_dict_keys(annotation) != frozenset(node.fields):
            return False
        # Members told apart by a tag: the tag's Literal must hold the member's literals.
        hints = get_type_hints(annotation)
        for name, field in node.fields.items():
            hint = hints.get(name)
            leaves = _literal_leaves(as_node(field))
            literal = get_origin(hint) is Literal and leaves is not None
            if literal and {leaf.value for leaf in leaves or ()} != set(get_args(hint)):
                return False
        return True
    if isinstance(annotation, typing.NewType):
        return isinstance(node, VId)
    if origin is list:
        return isinstance(node, VArray)
    if origin is dict:
        return isinstance(node, VRecord)
    return False


# --------------------------------------------------------------------------------------------
# Validator trees

_TABLE_NAMES = ["users", "messages", "t", "_storage"]
_TAG_NAMES = ["kind", "type", "t"]
_LITERAL_STRINGS: SearchStrategy[str] = st.one_of(
    st.text(max_size=6), st.sampled_from(["a", "b", "saas_mvp", "x y", "'\"", "\u2028", "é"])
)
_LITERALS: SearchStrategy[VLiteral] = st.one_of(
    st.builds(v.literal, _LITERAL_STRINGS),
    st.builds(v.literal, st.booleans()),
    st.builds(v.literal, st.integers(-FLOAT64_SAFE_INTEGER, FLOAT64_SAFE_INTEGER)),
    st.builds(v.literal, st.floats(allow_nan=False, allow_infinity=False)),
    st.builds(lambda n: v.literal(n, int64=True), _INT64S),
)
_RECORD_KEYS: SearchStrategy[Validator] = st.sampled_from(
    [
        v.string(),
        v.id("users"),
        v.union(v.id("users"), v.id("messages")),
        v.union(v.string(), v.id("users")),
        v.union(v.id("users")),
        v.union(),
    ]
)
_LEAVES: SearchStrategy[Validator] = st.one_of(
    st.sampled_from(
        [
            v.string(),
            v.float64(),
            v.int64(),
            v.commitTs(),
            v.boolean(),
            v.null(),
            v.bytes(),
            v.any(),
        ]
    ),
    st.builds(v.id, st.sampled_from(_TABLE_NAMES)),
    _LITERALS,
    st.lists(_LITERALS, min_size=2, max_size=4).map(lambda ms: v.union(*ms)),
    st.sampled_from([v.union(), v.union(v.null())]),
)
_FIELD_IDENTIFIERS: SearchStrategy[str] = st.one_of(
    st.sampled_from(["a", "b", "name", "kind", "_x", "class", "z9"]),
    st.builds(
        lambda first, rest: first + rest if (first + rest).strip("_") else first + rest + "a",
        st.sampled_from(_IDENT_CHARS[:52] + "_"),
        st.text(_IDENT_CHARS, max_size=5),
    ),
)


_FIXED_TAGS: dict[int, list[list[Any]]] = {
    2: [[True, False], [0.0, -0.0], [1, 1.0]],
    3: [[0.0, -0.0, 1], [1, 1.0, 2]],
}
_TAG_VALUES: dict[int, SearchStrategy[list[Any]]] = {
    count: st.one_of(
        st.lists(_LITERAL_STRINGS, min_size=count, max_size=count, unique=True),
        st.lists(st.integers(-3, 3), min_size=count, max_size=count, unique=True),
        # Convex's literal equality: 0.0 and -0.0 tell members apart, 1 and 1.0 do not
        # (then there is no tag, and the union is checked member by member).
        st.sampled_from(_FIXED_TAGS[count]),
    )
    for count in (2, 3)
}
#: Container kinds a tree node may be, after 0 (a leaf, what trees shrink to).
_ARRAY, _OBJECT, _RECORD, _UNION, _NULLABLE, _TAGGED = range(1, 7)


class _Forest:
    """One tree draw: how many nodes are left to build, how big the tree may still grow
    (counting each use of a shared subtree), and the subtrees built so far (``(node,
    levels)``) that a later place may reuse."""

    __slots__ = ("expanded", "left", "max_fields", "pool", "shared")

    def __init__(self, max_nodes: int, max_fields: int, shared: bool) -> None:
        self.left = max_nodes
        # A subtree used in many places multiplies what every walk over the tree (and the
        # smallest valid value) costs: sharing stops there, well within Hypothesis's budget.
        self.expanded = _MAX_EXPANDED_PER_NODE * max_nodes
        self.max_fields = max_fields
        self.shared = shared
        self.pool: list[tuple[Validator, int, int]] = []  # node, levels, expanded size

    def child(self, draw: st.DrawFn, levels: int, last: bool) -> tuple[Validator, int, int]:
        """A child tree up to ``levels`` deep; one with siblings after it leaves them a
        quarter of the nodes, so a chain can use every node and a wide node shares them."""
        if last:
            return self.tree(draw, levels)
        rest = self.left
        share = rest - rest // 4
        self.left = share
        try:
            return self.tree(draw, levels)
        finally:
            self.left = rest - (share - self.left)

    def tree(self, draw: st.DrawFn, levels: int) -> tuple[Validator, int, int]:
        """``(node, levels it uses, its expanded size)``."""
        if self.shared and self.pool:
            fitting = [e for e in self.pool if e[1] <= levels and e[2] <= self.expanded]
            # A quarter of the places reuse a subtree, the latest (often a sibling) first.
            if fitting and draw(st.integers(0, 3)) == 3:
                entry = fitting[-1 - draw(st.integers(0, len(fitting) - 1))]
                self.expanded -= entry[2]
                return entry
        kind = 0 if levels == 0 or self.left <= 0 or self.expanded <= 0 else draw(_KINDS)
        self.expanded -= 1
        if kind == 0:
            entry = (draw(_LEAVES), 0, 1)
        else:
            self.left -= 1
            entry = self.container(draw, kind, levels - 1)
        if self.shared:
            self.pool.append(entry)
        return entry

    def container(self, draw: st.DrawFn, kind: int, below: int) -> tuple[Validator, int, int]:
        node: Validator
        children: list[tuple[Validator, int, int]]
        if kind == _OBJECT:
            node, children = self.object(draw, below)
        elif kind == _TAGGED:
            tag = draw(st.sampled_from(_TAG_NAMES))
            values = draw(_TAG_VALUES[draw(st.integers(2, 3))])
            members: list[Validator] = []
            children = []
            for i, value in enumerate(values):
                body, parts = self.object(draw, below, last=i == len(values) - 1)
                members.append(v.object({**body.omit(tag).fields, tag: v.literal(value)}))
                children.extend(parts)
            node = v.union(*members)
        elif kind == _UNION:
            count = draw(st.integers(1, 3))
            children = [self.child(draw, below, i == count - 1) for i in range(count)]
            node = v.union(*(c[0] for c in children))
        else:
            only = self.child(draw, below, True)
            children = [only]
            if kind == _ARRAY:
                node = v.array(only[0])
            elif kind == _RECORD:
                node = v.record(draw(_RECORD_KEYS), only[0])
            else:
                node = v.nullable(only[0])
        levels = 1 + max((c[1] for c in children), default=0)
        return node, levels, 1 + sum(c[2] for c in children)

    def object(
        self, draw: st.DrawFn, below: int, last: bool = True
    ) -> tuple[VObject, list[tuple[Validator, int, int]]]:
        count = draw(st.integers(0, self.max_fields))
        fields: dict[str, Validator] = {}
        children: list[tuple[Validator, int, int]] = []
        for i in range(count):
            name = draw(_FIELD_IDENTIFIERS)
            child = self.child(draw, below, last and i == count - 1)
            children.append(child)
            fields[name] = child[0].optional() if draw(st.booleans()) else child[0]
        return v.object(fields), children


_KINDS = st.integers(0, _TAGGED)
#: How big (counting each use of a shared subtree) a tree of ``max_nodes`` nodes may grow.
_MAX_EXPANDED_PER_NODE = 8


def _draw_validator(
    draw: st.DrawFn, max_depth: int, max_fields: int, max_nodes: int, shared: bool
) -> Validator:
    return _Forest(max_nodes, max_fields, shared).tree(draw, max_depth)[0]


def validators(
    *,
    max_depth: int = 3,
    max_fields: int = 4,
    max_nodes: int | None = None,
    shared: bool = False,
) -> SearchStrategy[Validator]:
    """Validator trees of every kind, up to ``max_depth`` levels deep (each array, object,
    record, union and nullable is a level).

    Built with `vschema.v`, so every tree is one a user could write; includes optional fields,
    nullable values, unions of literals, unions of objects told apart by a tag field, records
    keyed by strings or IDs, the empty union and `v.commitTs()`. For testing code that is
    generic over validators (a serializer, a form renderer, a code generator).

    A tree has at most ``max_nodes`` containers (default ``max(24, 4 * max_depth)``), shared
    out so that one path can use them all: ``validators(max_depth=12)`` draws chains twelve
    levels deep as well as wide shallow trees, and draws stay cheap however deep they go
    (``max_depth`` may be up to Convex's nesting limit, 64).

    With ``shared=True``, a place in the tree may reuse a subtree already drawn elsewhere in
    it, the same node object (``x = v.object({"l": y, "r": y})``, and nested: ``y`` itself
    reusing a subtree), so walks that memoize per node, or should, meet trees whose size
    doubles with each shared level. Sharing stops once the tree, each use counted, is eight
    times ``max_nodes``.
    """
    for name, value in (("max_depth", max_depth), ("max_fields", max_fields)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidArgument(f"validators(): {name} must be an int >= 0, got {value!r}")
    if max_depth > MAX_NESTING:
        raise InvalidArgument(
            f"validators(): max_depth={max_depth} is beyond Convex's nesting limit {MAX_NESTING}"
        )
    if max_fields > MAX_OBJECT_FIELDS:
        raise InvalidArgument(
            f"validators(): max_fields={max_fields} is beyond Convex's limit of "
            f"{MAX_OBJECT_FIELDS} fields an object"
        )
    if max_nodes is None:
        max_nodes = max(24, 4 * max_depth)
    elif isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 0:
        raise InvalidArgument(
            f"validators(): max_nodes must be None or an int >= 0, got {max_nodes!r}"
        )
    if not isinstance(shared, bool):
        raise InvalidArgument(f"validators(): shared must be True or False, got {shared!r}")
    drawn = _strategy(_draw_validator, max_depth, max_fields, max_nodes, shared)
    args = f"max_depth={max_depth}, max_fields={max_fields}, max_nodes={max_nodes}"
    return _named(drawn, "validators", lambda: args + (", shared=True" if shared else ""))


def rows_breaking(old_schema: Schema, new_schema: Schema, table: str) -> SearchStrategy[Any]:
    """Rows of ``table`` that ``old_schema`` accepts and ``new_schema`` rejects: the documents
    a push of NEW would fail on, for testing a migration.

    Built on `vschema.diff`'s witness: the witness itself (the smallest such row, which
    draws shrink to) and rows drawn from OLD's table with the witness's breaking field grafted
    in. Every draw is checked (OLD accepts it, NEW does not); a graft that does not break NEW
    falls back to the witness, so no draw is ever wrong.

    Raises `InvalidArgument` when defined if there are none to draw: the table is missing from
    either schema, NEW accepts every row OLD accepts, the question could not be decided, or the
    difference exists only in Convex's types (an Int64 where NEW wants a Float64, an ID of
    another table), which vschema's Python spelling of values cannot show.
    """
    from vschema.evolution import diff

    where = f"rows_breaking({short_repr(table)})"
    if not isinstance(old_schema, Schema) or not isinstance(new_schema, Schema):
        raise InvalidArgument(f"{where}: old_schema and new_schema must be schemas")
    for label, schema in (("old", old_schema), ("new", new_schema)):
        if not isinstance(table, str) or table not in schema:
            raise InvalidArgument(
                f"{where}: table {short_repr(table)} is not in the {label} schema"
            )
    verdict = diff(old_schema, new_schema).table(table).stored
    if verdict.status == "compatible":
        raise InvalidArgument(f"{where}: NEW accepts every row OLD accepts; none breaks")
    if verdict.status == "unknown":
        raise InvalidArgument(f"{where}: undecided: {verdict.reason}")
    witness = verdict.witness
    assert witness is not None  # a breaking verdict always carries its verified witness
    if not witness.python_visible:
        raise InvalidArgument(
            f"{where}: the rows break only in Convex's types ({witness.message}); their "
            "Python spelling passes NEW too"
        )
    row: dict[str, Any] = witness.value
    field = witness.path[0] if witness.path else None

    def graft(drawn: dict[str, Any]) -> dict[str, Any]:
        candidate = dict(drawn)
        if isinstance(field, str):
            if field in row:
                candidate[field] = row[field]
            else:
                candidate.pop(field, None)
        breaks = old_schema.is_valid(table, candidate) and not new_schema.is_valid(table, candidate)
        return candidate if breaks else row

    drawn = st.one_of(st.just(row), for_table(old_schema, table).map(graft))
    return _named(drawn, "rows_breaking", lambda: f"<schema>, <schema>, {short_repr(table)}")
