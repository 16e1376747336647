"""The one place where text from a schema becomes source code (both halves import it).

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
    "identifier_words",
    "is_py_identifier",
    "is_ts_identifier",
    "js_key",
    "js_number",
    "json_def_ref",
    "json_text",
    "py_doc",
    "py_literal",
    "py_name",
    "py_str",
    "ts_bigint",
    "ts_key",
    "ts_number",
    "ts_str",
    "ts_value_name",
]

PyConstant = str | int | float | bool | None

_TS_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
# Words of a name: "projectType" -> project, Type; "HTTPServer" -> HTTP, Server; "v2_api" -> v2, api
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])[0-9]*|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+")


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


def py_str(text: str) -> str:
    """A Python string literal equal to ``text``, double-quoted where that needs no escape.

    ``repr`` escapes everything that could end the literal or the line (quotes, backslashes,
    newlines, U+2028, lone surrogates); swapping its single quotes for double quotes is safe
    exactly when the text has no quote character at all.
    """
    if type(text) is not str:
        raise TypeError(f"refusing to write a {type(text).__name__} as a Python string")
    quoted = repr(text)
    if quoted.startswith("'") and '"' not in text:
        return f'"{quoted[1:-1]}"'
    return quoted


def py_doc(text: str) -> str:
    """``text`` escaped for the inside of a ``\"\"\"`` docstring (the template writes the quotes).

    Backslashes and double quotes are escaped, so nothing in ``text`` can close the docstring
    early, and so is every character that is not printable (line breaks included), so the
    docstring stays the one statement it is meant to be.
    """
    if type(text) is not str:
        raise TypeError(f"refusing to write a {type(text).__name__} into a docstring")
    out = []
    for char in text:
        if char in '\\"':
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        else:
            out.append(repr(char)[1:-1])  # \n, \x00, \u2028, \udc80: always an escape here
    return "".join(out)


def py_name(name: str) -> str:
    """``name`` itself, after checking it is a plain Python identifier (not a keyword)."""
    if type(name) is not str or not is_py_identifier(name):
        raise ValueError(f"refusing to write {name!r} as a Python name")
    return name


def identifier_words(text: str) -> list[str]:
    """The ASCII words in ``text``, the only parts of user text that become generated names.

    Splits at every other character and at case changes: ``"projectType"`` gives
    ``["project", "Type"]``, ``"user_profiles"`` gives ``["user", "profiles"]``; ``"héllo-wörld"``
    gives ``["h", "llo", "w", "rld"]``. Callers join the words into names of their own style.
    """
    if type(text) is not str:
        raise TypeError(f"refusing to make a name from a {type(text).__name__}")
    return _WORD.findall(text)


def ts_str(text: str) -> str:
    """A TypeScript string literal (double-quoted) equal to ``text``.

    JSON string syntax is valid TypeScript. Every other character that is not printable is
    escaped as well: U+2028 and U+2029 (older JavaScript parsers end a line there), and format
    characters such as the bidirectional overrides (U+202E), which would make the source read
    differently from what it is ("Trojan Source").
    """
    if type(text) is not str:
        raise TypeError(f"refusing to write a {type(text).__name__} as a TypeScript string")
    quoted = json.dumps(text, ensure_ascii=False)
    if quoted.isprintable():
        return quoted
    return "".join(char if char.isprintable() else _utf16_escape(char) for char in quoted)


def _utf16_escape(char: str) -> str:
    """``\\uXXXX`` escapes of ``char``'s UTF-16 code units (valid for every JavaScript target)."""
    units = char.encode("utf-16-be", "surrogatepass")
    return "".join(
        f"\\u{int.from_bytes(units[i : i + 2], 'big'):04x}" for i in range(0, len(units), 2)
    )


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
    cleaned = "".join(" " if (not ch.isprintable() or ch in "\u2028\u2029") else ch for ch in text)
    return cleaned.replace("*/", "*\\/")


# Words that cannot name a `const` in an ES module (reserved words, strict-mode and module
# restrictions), and global values a module-level `const` would shadow confusingly.
_JS_RESERVED = frozenset(
    {
        "await",
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "implements",
        "import",
        "in",
        "instanceof",
        "interface",
        "let",
        "new",
        "null",
        "package",
        "private",
        "protected",
        "public",
        "return",
        "static",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "yield",
        "arguments",
        "eval",
        "undefined",
        "NaN",
        "Infinity",
        "globalThis",
    }
)


def is_ts_identifier(name: str) -> bool:
    """Whether ``name`` can be a TypeScript binding as it is: ASCII, and not a reserved word."""
    return (
        type(name) is str
        and _TS_IDENTIFIER.fullmatch(name) is not None
        and name not in _JS_RESERVED
    )


def ts_value_name(name: str) -> str:
    """A TypeScript binding for ``name``, which need not be unique (callers resolve clashes).

    ``name`` itself when `is_ts_identifier`; otherwise each character outside ``[A-Za-z0-9_$]``
    becomes ``_uXXXX`` (its code point in hex), a leading digit gets a ``_`` before it, and a
    reserved word gets a ``_`` after it (``new`` -> ``new_``, as Convex's own code generator does).
    """
    if type(name) is not str:
        raise TypeError(f"refusing to make a TypeScript name from a {type(name).__name__}")
    text = "".join(
        char if char.isascii() and (char.isalnum() or char in "_$") else f"_u{ord(char):04x}"
        for char in name
    )
    if not text or text[0].isdigit():
        text = "_" + text
    if text in _JS_RESERVED:
        text += "_"
    return text


def ts_bigint(value: int) -> str:
    """A TypeScript bigint literal (``5n``, ``-5n``), the same text as a type and as a value."""
    if type(value) is not int:
        raise TypeError(f"refusing to write {value!r} as a TypeScript bigint")
    return f"{value}n"


def js_number(value: int | float) -> str:
    """A JavaScript number expression for a finite Float64, keeping ``-0`` (unlike `ts_number`).

    Python's ``repr`` of a float is the shortest text that reads back as the same double, and
    JavaScript reads decimal text to the nearest double too, so the value survives exactly.
    """
    if type(value) is float and value == 0 and math.copysign(1.0, value) < 0:
        return "-0"
    return ts_number(value)


def js_key(name: str) -> str:
    """A property name in a JavaScript object literal (a value, not a type).

    As `ts_key`, except ``__proto__``: written plainly or quoted, it sets the object's prototype
    instead of defining a property, so it is written as the computed key ``["__proto__"]``.
    """
    if name == "__proto__":
        return f"[{ts_str(name)}]"
    return ts_key(name)


_JSON_DEF_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def json_def_ref(name: str) -> str:
    """The JSON Schema reference ``#/$defs/<name>`` to a definition of the same document.

    Only plain identifiers (names from `vschema.codegen._naming`) are accepted, so the name
    needs no JSON Pointer escape (``~0``, ``~1``) and no percent-encoding.
    """
    if type(name) is not str or _JSON_DEF_NAME.fullmatch(name) is None:
        raise ValueError(f"refusing to write {name!r} as a JSON Schema definition name")
    return f"#/$defs/{name}"


def json_text(data: object) -> str:
    """``data`` (dicts with `str` keys, lists, `str`, `int`, finite `float`, `bool`, ``None``)
    as the text of a JSON file: two-space indents, keys in the order given, one final newline.

    Every character outside printable ASCII is written as a ``\\uXXXX`` escape, so the file is
    ASCII whatever the schema's text holds (line separators, bidirectional overrides); NaN and
    the infinities have no JSON form and raise `ValueError`.
    """
    return json.dumps(data, indent=2, ensure_ascii=True, allow_nan=False) + "\n"
