"""Convex's value model, as `diff` reasons about stored documents.

vschema's Python spelling of values cannot tell every Convex value apart: a Python ``int`` up to
2**53 passes both ``v.int64()`` and ``v.float64()``, and `v.id` checks an ID's format, not which
table it belongs to (that needs a deployment). Convex stores Int64 and Float64 as different
types and an ID names its table, so a change from ``v.int64()`` to ``v.float64()``, or from
``v.id("users")`` to ``v.id("teams")``, breaks stored documents even where Python cannot show it.

So witnesses are Convex values: `Int64` marks an Int64 (a bare ``float`` is always a Float64,
``1.0`` included), and ID strings are made by `IdTables`, which numbers the tables one diff
meets, so an ID's table is known. `convex_issue` is the Convex backend's check on such values
(section 8 of the semantics notes), the second judge every witness must pass; `python_value` is
the value as vschema's validators take it, and `convex_json` its Convex JSON form.
"""

from __future__ import annotations

import base64
import math
import struct
from typing import Any

import attrs

from vschema._typing import assert_never
from vschema.validators._display import convex_display
from vschema.validators._ids import decode_id, is_id, new_id
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
from vschema.validators._values import field_name_error

__all__ = [
    "ConvexIssue",
    "IdTables",
    "Int64",
    "convex_issue",
    "convex_json",
    "literal_value",
    "python_value",
]

Path = tuple[str | int, ...]


@attrs.frozen
class Int64:
    """A Convex Int64 (``5n`` in JavaScript); a Python ``float`` stands for a Float64."""

    value: int


class IdTables:
    """Table numbers for the IDs one diff makes: the first table named gets 1, and so on, so an
    ID string says which table it belongs to, as in a deployment."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self._names: dict[int, str] = {}
        self._made = 0

    def number(self, table: str) -> int:
        """The number of ``table``, given on first use."""
        number = self._numbers.get(table)
        if number is None:
            number = self._numbers[table] = len(self._numbers) + 1
            self._names[number] = table
        return number

    def table_of(self, text: str) -> str | None:
        """The table an ID string belongs to, or ``None`` when it is no ID of a known table."""
        if not is_id(text):
            return None
        return self._names.get(decode_id(text).table_number)

    def new_id(self, table: str) -> str:
        """A fresh ID of ``table`` (distinct from every ID made before)."""
        self._made += 1
        internal = self._made.to_bytes(16, "big")
        return new_id(self.number(table), internal)


def literal_value(node: VLiteral) -> object:
    """The Convex value a literal validator matches: a str, a bool, an `Int64` or a float."""
    value = node.value
    if isinstance(value, (str, bool)):
        return value
    if node.int64:
        return Int64(int(value))
    return float(value)


def _same_float(a: float, b: float) -> bool:
    # Convex compares floats by their bits (total order): -0.0 != 0.0, NaN == NaN.
    return struct.pack("<d", a) == struct.pack("<d", b)


def _literal_equal(node: VLiteral, value: object) -> bool:
    expected = literal_value(node)
    if isinstance(expected, bool):
        return value is expected
    if isinstance(expected, str):
        return type(value) is str and value == expected
    if isinstance(expected, Int64):
        return isinstance(value, Int64) and value.value == expected.value
    assert isinstance(expected, float)
    return type(value) is float and _same_float(value, expected)


@attrs.frozen
class ConvexIssue:
    """Why the Convex backend rejects a value: where, a stable code, and what it says."""

    path: Path
    code: str
    message: str


def convex_issue(
    validator: Validator, value: object, ids: IdTables, path: Path = ()
) -> ConvexIssue | None:
    """The first issue Convex finds checking ``value`` against ``validator``, or ``None``."""
    node = as_node(validator)

    def no_match() -> ConvexIssue:
        return ConvexIssue(
            path, "no_match", f"Value does not match validator {convex_display(node.required())}"
        )

    match node:
        case VLiteral():
            return None if _literal_equal(node, value) else no_match()
        case VString():
            return None if type(value) is str else no_match()
        case VFloat64():
            return None if type(value) is float else no_match()
        case VInt64() | VCommitTs():
            # Stored documents hold Int64 where `v.commitTs()` is declared: the placeholder is
            # replaced when the write commits.
            return None if isinstance(value, Int64) else no_match()
        case VBoolean():
            return None if type(value) is bool else no_match()
        case VNull():
            return None if value is None else no_match()
        case VBytes():
            return None if type(value) is bytes else no_match()
        case VAny():
            return None
        case VId(table_name=table):
            if type(value) is not str:
                return no_match()
            found = ids.table_of(value)
            if found == table:
                return None
            if found is None:
                return ConvexIssue(path, "invalid_id", f"Value is not an ID of table `{table}`")
            return ConvexIssue(
                path,
                "wrong_table",
                f"Found ID from table `{found}`, which does not match the table name in "
                f'validator `v.id("{table}")`',
            )
        case VArray(element=element):
            if type(value) is not list:
                return no_match()
            for index, item in enumerate(value):
                issue = convex_issue(element, item, ids, (*path, index))
                if issue is not None:
                    return issue
            return None
        case VObject(fields=fields):
            if type(value) is not dict:
                return no_match()
            for name in sorted(fields):
                if name in value:
                    issue = convex_issue(fields[name], value[name], ids, (*path, name))
                    if issue is not None:
                        return issue
                elif not fields[name].is_optional:
                    return ConvexIssue(
                        (*path, name),
                        "missing_field",
                        f"Object is missing the required field `{name}`",
                    )
            for key in sorted(value):
                if key not in fields:
                    return ConvexIssue(
                        (*path, key),
                        "extra_field",
                        f"Object contains extra field `{key}` that is not in the validator",
                    )
            return None
        case VRecord(key=key_validator, value=value_validator):
            if type(value) is not dict:
                return no_match()
            for key in sorted(value):
                if type(key) is not str or field_name_error(key) is not None:
                    return ConvexIssue((*path, str(key)), "invalid_key", "Invalid field name")
                issue = convex_issue(key_validator, key, ids, (*path, key))
                if issue is not None:
                    return attrs.evolve(issue, message="Invalid record key: " + issue.message)
                issue = convex_issue(value_validator, value[key], ids, (*path, key))
                if issue is not None:
                    return issue
            return None
        case VUnion(members=members):
            if len(members) == 1:
                return convex_issue(members[0], value, ids, path)
            for member in members:
                if convex_issue(member, value, ids, path) is None:
                    return None
            return no_match()
        case _:
            assert_never(node)


def python_value(value: object) -> Any:
    """``value`` as vschema's validators take it: an `Int64` becomes a plain ``int``."""
    if isinstance(value, Int64):
        return value.value
    if type(value) is list:
        return [python_value(item) for item in value]
    if type(value) is dict:
        return {key: python_value(item) for key, item in value.items()}
    return value


def convex_json(value: object) -> Any:
    """``value`` in Convex JSON (``convexToJson``): ``{"$integer": ...}`` for an Int64,
    ``{"$float": ...}`` for NaN, infinities and -0.0, ``{"$bytes": ...}`` for bytes; object
    keys sorted."""
    if isinstance(value, Int64):
        raw = struct.pack("<q", value.value)
        return {"$integer": base64.b64encode(raw).decode("ascii")}
    if type(value) is float:
        if not math.isfinite(value) or (value == 0.0 and math.copysign(1.0, value) < 0):
            return {"$float": base64.b64encode(struct.pack("<d", value)).decode("ascii")}
        return value
    if type(value) is bytes:
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if type(value) is list:
        return [convex_json(item) for item in value]
    if type(value) is dict:
        return {key: convex_json(value[key]) for key in sorted(value)}
    return value
