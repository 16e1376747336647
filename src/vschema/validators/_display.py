"""Text forms of validators and values.

Two walks over the tree, one per audience:

* `builder_repr` is the Python builder syntax a user writes (``v.object({name: v.string()})``),
  used for ``repr(validator)``;
* `convex_display` is how the Convex backend prints a validator inside error messages (fields
  sorted, ``v.float64()``, int64 literals as ``<bigint>``), so messages read like Convex's.

`display_value` renders a value the way the backend prints values (Rust's debug format), with a
size budget so a huge or cyclic payload never produces a huge message.
"""

from __future__ import annotations

import enum
import functools
import math

from vschema._typing import assert_never
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
from vschema.validators._values import COMMIT_TS, key_text

__all__ = [
    "DISPLAY_BUDGET",
    "REPR_BUDGET",
    "SCALAR_BUILDERS",
    "builder_repr",
    "convex_display",
    "display_value",
    "expected_text",
    "float_text",
    "int_text",
    "key_text",
    "safe_repr",
    "short_repr",
    "show_value",
    "string_text",
    "value_hint",
    "value_kind",
]

#: The call that builds each kind without arguments; Python's `v`, Convex's `v` and Convex's
#: error messages all spell these the same.
SCALAR_BUILDERS: dict[type[Validator], str] = {
    VString: "v.string()",
    VFloat64: "v.float64()",
    VInt64: "v.int64()",
    VCommitTs: "v.commitTs()",
    VBoolean: "v.boolean()",
    VNull: "v.null()",
    VBytes: "v.bytes()",
    VAny: "v.any()",
}


#: Ints with more digits than this are abbreviated: CPython refuses to write ints of more than
#: 4,300 digits as text at all (``sys.int_info.str_digits_check_threshold``), and no message
#: needs more than a glimpse of one.
_INT_DIGITS = 40


def int_text(number: int) -> str:
    """An int as text, abbreviated past 40 digits (``12345678901234567890…7890 (5000
    digits)``), never failing, however large: the digit count of an int too long for `str`
    comes from its bit length."""
    if -(10**_INT_DIGITS) < number < 10**_INT_DIGITS:
        return str(number)
    sign = "-" if number < 0 else ""
    magnitude = abs(number)
    if magnitude.bit_length() > 13_000:  # about 3,900 digits: `str` would refuse past 4,300
        approx = int(magnitude.bit_length() * 0.3010299956639812)
        return f"{sign}<an integer of about {approx} digits>"
    digits = str(magnitude)
    return f"{sign}{digits[:20]}…{digits[-4:]} ({len(digits)} digits)"


def safe_repr(value: object) -> str:
    """A short text naming ``value`` without running any of its code.

    `display_value` for Convex values; for anything else, the type's name, plus the value's
    `repr` only where that repr is the standard library's own (a user class's ``__repr__``
    may raise, lie or never finish).
    """
    cls = type(value)
    if cls in (type(None), bool, int, float, str, bytes, list, dict):
        return display_value(value)
    if cls in (tuple, set, frozenset):
        return f"{cls.__name__} {display_value(list(value))}"  # type: ignore[call-overload]
    if cls in (bytearray, memoryview):
        return f"{cls.__name__} {display_value(bytes(value))}"  # type: ignore[call-overload]
    if cls.__module__ in _STDLIB_MODULES and cls.__repr__ in _stdlib_reprs():
        text = cls.__repr__(value)
        return text if len(text) <= _BUDGET else text[:_BUDGET] + "..."
    if isinstance(value, enum.Enum):
        name = value._name_
        return f"{cls.__name__}.{key_text(name)}" if type(name) is str else cls.__name__
    return f"<{cls.__name__} object>"


def short_repr(value: object, limit: int = 80) -> str:
    """A value as a definition-time error shows it (``'my-field'``, ``5``, ``v.string()``):
    Python's `repr` for plain scalars and validators, `safe_repr` for anything else, cut at
    ``limit`` characters. Never runs a user object's code, never fails on a huge int."""
    cls = type(value)
    if cls in (str, float, bool, type(None)) or isinstance(value, Validator):
        text = repr(value)
    elif cls is int:
        text = int_text(value)  # type: ignore[arg-type]
    else:
        text = safe_repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


#: Modules whose classes `_stdlib_reprs` knows (checked first, so they load only when met).
_STDLIB_MODULES = frozenset({"datetime", "decimal", "fractions", "uuid", "builtins"})


@functools.cache
def _stdlib_reprs() -> frozenset[object]:
    import datetime
    import decimal
    import fractions
    import uuid

    classes: tuple[type, ...] = (
        datetime.datetime,
        datetime.date,
        datetime.time,
        datetime.timedelta,
        decimal.Decimal,
        fractions.Fraction,
        uuid.UUID,
        complex,
        range,
    )
    return frozenset(cls.__repr__ for cls in classes)


def string_text(text: str) -> str:
    """A double-quoted string literal that is valid JSON, Python and TypeScript alike."""
    import json  # here, not at `import vschema`: messages and reprs only

    return json.dumps(text, ensure_ascii=False)


def float_text(number: float) -> str:
    """A float as Rust prints it (``1.0``, ``-0.0``, ``1e16``, ``NaN``, ``inf``)."""
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    text = repr(number)
    if "e" in text:
        mantissa, _, exponent = text.partition("e")
        sign = "-" if exponent.startswith("-") else ""
        text = f"{mantissa.removesuffix('.0')}e{sign}{exponent.lstrip('+-').lstrip('0')}"
    return text


def _literal_repr(node: VLiteral) -> str:
    value = node.value
    if isinstance(value, str):
        return string_text(value)
    if node.int64:
        return f"{value}, int64=True"
    return repr(value)


def _is_nullable(node: VUnion) -> bool:
    return len(node.members) == 2 and isinstance(node.members[1], VNull)


#: How many characters `repr` shows of a validator before ``...``: a tree that reuses one
#: subtree on every level unfolds to 2**depth nodes, and Hypothesis puts reprs into reports.
REPR_BUDGET = 20_000


def builder_repr(validator: Validator, budget: int = REPR_BUDGET) -> str:
    """The builder syntax for ``validator``, like ``v.object({name: v.string()})``, in
    definition order, cut short with ``...`` past about ``budget`` characters."""
    out: list[str] = []
    _write_validator(validator, out, [budget], convex=False)
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Words for an app's own users: what was expected, what kind of value came, how to fix it.

#: How many literals an "one of" list names before "and N more".
LISTED_LITERALS = 10

#: The kind of each plain JSON value, in words (`value_kind`).
PLAIN_KINDS: dict[type, str] = {
    type(None): "null",
    bool: "boolean",
    int: "number",
    float: "number",
    str: "string",
    bytes: "bytes",
    list: "array",
    dict: "object",
}


def value_kind(value: object) -> str:
    """The kind of ``value`` in plain words (``number``, ``null``, ``Python tuple``); never the
    value itself, and never its own code."""
    kind = PLAIN_KINDS.get(type(value))
    if kind is not None:
        return kind
    if value is COMMIT_TS:
        return "commit timestamp"
    return f"Python {type(value).__name__}"


def literal_value_text(literal: VLiteral) -> str:
    """A literal as the Convex value it is: ``v.literal(0)`` is the Float64 ``0.0``, an Int64
    literal reads ``5n``; equal validators (which share compiled programs) read alike."""
    value = literal.value
    if isinstance(value, (bool, str)):
        return display_value(value)
    if literal.int64:
        return f"{int_text(int(value))}n"
    return display_value(float(value))


def one_of(literals: list[VLiteral]) -> str:
    """``one of "a", "b" and 3 more``, or the one literal."""
    if len(literals) == 1:
        return literal_value_text(literals[0])
    shown = ", ".join(literal_value_text(lit) for lit in literals[:LISTED_LITERALS])
    rest = len(literals) - LISTED_LITERALS
    return f"one of {shown} and {rest} more" if rest > 0 else f"one of {shown}"


def expected_text(validator: Validator) -> str:
    """What ``validator`` expects, in a few words: ``string``, ``integer (int64)``, ``an Id of
    table "users"``, ``one of "a", "b"``, ``string or null``."""
    node = as_node(validator)
    match node:
        case VString():
            return "string"
        case VFloat64():
            return "number"
        case VInt64():
            return "integer (int64)"
        case VCommitTs():
            return "integer (int64) or COMMIT_TS"
        case VBoolean():
            return "boolean"
        case VNull():
            return "null"
        case VBytes():
            return "bytes"
        case VAny():
            return "a Convex value"
        case VId(table_name=table):
            return f"an Id of table {string_text(table)}"
        case VLiteral():
            return literal_value_text(node)
        case VArray():
            return "array"
        case VObject() | VRecord():
            return "object"
        case VUnion(members=members):
            if not members:
                return "nothing (an empty union)"
            leaves = literals_of(node)
            if leaves is not None:
                return one_of(leaves)
            # A dict keeps the first-seen order and finds a repeat at once (a list's `in` made
            # a union of thousands of members quadratic).
            words = list(dict.fromkeys(expected_text(member) for member in members))
            if len(words) > LISTED_LITERALS:
                words = [*words[:LISTED_LITERALS], f"{len(words) - LISTED_LITERALS} more"]
            return " or ".join(words)
        case _:
            assert_never(node)


def literals_of(validator: Validator) -> list[VLiteral] | None:
    """The literals of a literal, or of a non-empty union (of unions) of literals; ``None`` for
    anything else. A union met twice (a tree may reuse one) is read once, so the work and the
    list stay as large as the distinct nodes."""
    found: list[VLiteral] = []
    seen: set[int] = set()

    def collect(node: Validator) -> bool:
        if isinstance(node, VLiteral):
            found.append(node)
            return True
        if not isinstance(node, VUnion) or not node.members:
            return False
        if id(node) in seen:
            return True
        seen.add(id(node))
        return all(collect(member) for member in node.members)

    return found if collect(validator) else None


#: Hints for Python values that are no Convex value, by how to turn them into one.
_TYPE_HINTS: dict[str, str] = {
    "tuple": "Convex arrays are Python lists: convert with list(...)",
    "set": "Convex has no sets: use a list",
    "frozenset": "Convex has no sets: use a list",
    "bytearray": "Convex bytes are Python bytes: convert with bytes(...)",
    "memoryview": "Convex bytes are Python bytes: convert with bytes(...)",
    "Decimal": "convert with float(...), or str(...) to keep every digit",
    "datetime": "Convex has no dates: store .timestamp() or .isoformat()",
    "date": "Convex has no dates: store .isoformat()",
    "time": "Convex has no times: store .isoformat()",
    "UUID": "convert with str(...)",
}


def value_hint(value: object, validator: Validator | None = None) -> str:
    """How to fix a common Python mistake behind ``value`` failing ``validator``, or ``""``."""
    cls = type(value)
    if value is None and validator is not None and validator.is_optional:
        return "an optional field may be left out, but not null; use v.nullable(...) to allow null"
    if isinstance(value, enum.Enum):
        return "this is an Enum member: use its .value"
    if cls.__module__ == "numpy":
        name = cls.__name__
        if name.startswith(("int", "uint")):
            return "this is a numpy integer: convert with int(...)"
        if name.startswith("float"):
            return "this is a numpy float: convert with float(...)"
        if name == "ndarray":
            return "this is a numpy array: convert with .tolist()"
        if name.startswith("bool"):
            return "this is a numpy boolean: convert with bool(...)"
    if cls.__module__ in ("builtins", "datetime", "decimal", "uuid"):
        return _TYPE_HINTS.get(cls.__name__, "")
    return ""


def _convex_literal(node: VLiteral) -> str:
    value = node.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return string_text(value)
    if node.int64:
        # Convex prints `<bigint>` for every Int64 literal; the value reads better.
        return f"{int_text(int(value))}n"
    return float_text(float(value))


#: How many characters of a validator an error message shows: a union of 10,000 literals, or a
#: tree that reuses one subtree on every level (2**depth nodes unfolded), would otherwise put
#: megabytes into every message.
DISPLAY_BUDGET = 2000


def convex_display(validator: Validator, budget: int = DISPLAY_BUDGET) -> str:
    """How the Convex backend prints ``validator`` in an error message (fields sorted, number
    literals as Float64, int64 literals as ``<bigint>``), cut short with ``...`` past about
    ``budget`` characters."""
    out: list[str] = []
    _write_validator(validator, out, [budget], convex=True)
    return "".join(out)


def _write_validator(validator: Validator, out: list[str], left: list[int], convex: bool) -> None:
    """Append the display of ``validator`` to ``out``: Convex's (``convex``) or the Python
    builder syntax. ``left[0]`` counts the character budget down."""
    if left[0] <= 0:
        out.append("...")
        return
    node = as_node(validator)
    if node.is_optional:
        out.append("v.optional(")
    match node:
        case (
            VString()
            | VFloat64()
            | VInt64()
            | VCommitTs()
            | VBoolean()
            | VNull()
            | VBytes()
            | VAny()
        ):
            _put(out, left, SCALAR_BUILDERS[type(node)])
        case VId(table_name=table):
            _put(out, left, f"v.id({string_text(table)})")
        case VLiteral():
            text = _convex_literal(node) if convex else _literal_repr(node)
            _put(out, left, f"v.literal({text})")
        case VArray(element=element):
            _put(out, left, "v.array(")
            _write_validator(element, out, left, convex)
            out.append(")")
        case VObject(fields=fields):
            _put(out, left, "v.object({")
            names = sorted(fields, key=_utf8) if convex else list(fields)
            for index, name in enumerate(names):
                if index:
                    out.append(", ")
                if left[0] <= 0:
                    out.append("...")
                    break
                _put(out, left, f"{name}: ")
                _write_validator(fields[name], out, left, convex)
            out.append("})")
        case VRecord(key=key, value=value):
            _put(out, left, "v.record(")
            _write_validator(key, out, left, convex)
            out.append(", ")
            _write_validator(value, out, left, convex)
            out.append(")")
        case VUnion(members=members):
            if not convex and _is_nullable(node):
                _put(out, left, "v.nullable(")
                _write_validator(members[0], out, left, convex)
                out.append(")")
            else:
                _put(out, left, "v.union(")
                for index, member in enumerate(members):
                    if index:
                        out.append(", ")
                    if left[0] <= 0:
                        out.append(f"... ({len(members) - index} more)")
                        break
                    _write_validator(member, out, left, convex)
                out.append(")")
        case _:
            assert_never(node)
    if node.is_optional:
        out.append(")")


def _put(out: list[str], left: list[int], text: str) -> None:
    out.append(text)
    left[0] -= len(text)


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\\0"}


def _rust_string(text: str) -> str:
    out = []
    for char in text:
        escaped = _ESCAPES.get(char)
        if escaped is not None:
            out.append(escaped)
        elif char.isprintable() or char == " ":
            out.append(char)
        else:
            out.append(f"\\u{{{ord(char):x}}}")
    return '"' + "".join(out) + '"'


_BUDGET = 400
_MAX_DEPTH = 8


def display_value(value: object) -> str:
    """A value as the Convex backend prints it, cut short past a few hundred characters."""
    out: list[str] = []
    _write_value(value, out, 0, [0])
    return "".join(out)


def show_value(value: object) -> str:
    """`display_value`, with a shortcut for what a wrong-type error shows most often: a small
    `int`, or a short `str` of printable ASCII that needs no escaping."""
    if type(value) is str:
        if (
            len(value) <= _BUDGET
            and value.isascii()
            and value.isprintable()
            and '"' not in value
            and "\\" not in value
        ):
            return '"' + value + '"'
    elif type(value) is int and -(10**20) < value < 10**20:
        return str(value)
    return display_value(value)


def _write_value(value: object, out: list[str], depth: int, used: list[int]) -> None:
    if used[0] > _BUDGET:
        out.append("...")
        return
    text: str | None = None
    if value is None:
        text = "null"
    elif value is True:
        text = "true"
    elif value is False:
        text = "false"
    elif type(value) is int:
        text = int_text(value)
    elif type(value) is float:
        text = float_text(value)
    elif type(value) is str:
        text = _rust_string(value if len(value) <= _BUDGET else value[:_BUDGET] + "...")
    elif type(value) is bytes:
        import base64

        text = f'b"{base64.b64encode(value[:_BUDGET]).decode()}"'
    elif type(value) is list:
        if depth >= _MAX_DEPTH:
            text = "[...]"
        else:
            out.append("[")
            for index, item in enumerate(value):
                if index:
                    out.append(", ")
                if used[0] > _BUDGET:
                    out.append("...")
                    break
                _write_value(item, out, depth + 1, used)
            out.append("]")
            return
    elif type(value) is dict:
        if depth >= _MAX_DEPTH:
            text = "{...}"
        else:
            out.append("{")
            # Keys that are not exactly `str` are shown by type, never by their own code, and
            # sort after the real ones in the order they came.
            entries = sorted(
                value.items(), key=lambda kv: (False, kv[0]) if type(kv[0]) is str else (True, "")
            )
            for index, (key, item) in enumerate(entries):
                if index:
                    out.append(", ")
                if used[0] > _BUDGET:
                    out.append("...")
                    break
                shown = key_text(key) if type(key) is str else f"<{type(key).__name__} key>"
                out.append(f"{shown}: ")
                used[0] += len(shown) + 2
                _write_value(item, out, depth + 1, used)
            out.append("}")
            return
    else:
        text = safe_repr(value)
    used[0] += len(text)
    out.append(text)
