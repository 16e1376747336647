"""What validators accept, independently of the checks under test: literals, value classes,
near misses, bad IDs and record keys, nesting and padding of a flawed value."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from vschema._typing import assert_never
from vschema.strategies._budget import _named_one_of
from vschema.strategies._common import _CACHE_LIMIT, Path
from vschema.strategies._scalars import (
    _CONVEX_CLASSES,
    _CROCKFORD,
    _IDS,
    _SURROGATE_STRINGS,
    _fresh,
    _key_path,
)
from vschema.validators._errors import IssueCode, PathKey
from vschema.validators._ids import encode_id, id_error
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
from vschema.validators._values import FLOAT64_SAFE_INTEGER, MAX_OBJECT_FIELDS


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
