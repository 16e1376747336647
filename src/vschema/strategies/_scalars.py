"""Scalar strategies: strings, numbers, IDs, field names and awkward values, valid and not."""

from __future__ import annotations

import copy
import math
from collections.abc import Collection
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from vschema.strategies._common import Path
from vschema.validators._display import safe_repr
from vschema.validators._errors import PathKey
from vschema.validators._ids import encode_id
from vschema.validators._values import (
    COMMIT_TS,
    FLOAT64_SAFE_INTEGER,
    INT64_MAX,
    INT64_MIN,
    MAX_FIELD_NAME_LENGTH,
)


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
