"""The one place where text from a schema becomes source code.

Every user string (field names, literal values, table names, file names in headers) that any
generator writes into Python or TypeScript passes through a function here. Each accepts a closed
set of types and refuses anything else, so a new value type cannot slip into generated code
unescaped. Templates apply these as named filters; they never build code from raw text.
"""

from __future__ import annotations

import json
import keyword
import math
import re

__all__ = [
    "comment_text",
    "is_py_identifier",
    "py_literal",
    "ts_key",
    "ts_number",
    "ts_str",
]

PyConstant = str | int | float | bool | None

_TS_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


def py_literal(value: PyConstant) -> str:
    """Python source for a constant: ``repr`` of `str`, `int`, `bool`, `None` or a finite float.

    ``repr`` of these types is always a valid Python literal that evaluates to an equal value;
    non-finite floats have no literal form (``inf`` is a name), so callers must hoist them.
    """
    if value is None or type(value) in (str, int, bool):
        return repr(value)
    if type(value) is float:
        if not math.isfinite(value):
            raise ValueError(f"{value!r} has no Python literal form; hoist it as a constant")
        return repr(value)
    raise TypeError(f"refusing to write a {type(value).__name__} into Python source")


def is_py_identifier(name: str) -> bool:
    """Whether ``name`` can be written as a bare Python name (an attribute, a class field)."""
    return name.isidentifier() and name.isascii() and not keyword.iskeyword(name)


def ts_str(text: str) -> str:
    """A TypeScript string literal (double-quoted) equal to ``text``.

    JSON string syntax is valid TypeScript; U+2028 and U+2029 are escaped as well, since older
    JavaScript parsers end a line there.
    """
    if type(text) is not str:
        raise TypeError(f"refusing to write a {type(text).__name__} as a TypeScript string")
    quoted = json.dumps(text, ensure_ascii=False)
    return quoted.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def ts_key(name: str) -> str:
    """An object-type key: bare when it is a plain identifier, quoted otherwise."""
    if type(name) is not str:
        raise TypeError(f"refusing to write a {type(name).__name__} as a TypeScript key")
    return name if _TS_IDENTIFIER.fullmatch(name) else ts_str(name)


def ts_number(value: int | float) -> str:
    """A TypeScript numeric literal type for a finite Float64 (``-0`` is written ``0``)."""
    if type(value) not in (int, float) or not math.isfinite(value):
        raise TypeError(f"refusing to write {value!r} as a TypeScript number")
    number = float(value)
    if number == 0:
        return "0"
    if number.is_integer() and abs(number) < 1e21:
        text = str(int(number))
    else:
        text = repr(number)
    # A negative literal type is written with a leading minus, which TypeScript accepts.
    return text


def comment_text(text: str) -> str:
    """``text`` made safe inside a ``//``, ``#`` or ``/* */`` comment on one line."""
    if type(text) is not str:
        raise TypeError(f"refusing to write a {type(text).__name__} into a comment")
    cleaned = "".join(
        " " if (not ch.isprintable() or ch in "\u2028\u2029") else ch for ch in text
    )
    return cleaned.replace("*/", "*\\/")
