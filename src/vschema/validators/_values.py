"""Convex's value rules that both validation paths share: limits, field names, identifiers.

Numbers and messages follow the Convex backend (``convex-semantics.md`` sections 5 and 6).
"""

from __future__ import annotations

import re

__all__ = [
    "COMMIT_TS",
    "FLOAT64_SAFE_INTEGER",
    "INT64_MAX",
    "INT64_MIN",
    "MAX_ARRAY_LENGTH",
    "MAX_DOCUMENT_NESTING",
    "MAX_FIELD_NAME_LENGTH",
    "MAX_IDENTIFIER_LENGTH",
    "MAX_NESTING",
    "MAX_OBJECT_FIELDS",
    "CommitTsPlaceholder",
    "field_name_error",
    "identifier_error",
    "is_utf8",
    "key_text",
]

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
#: Python ints up to this magnitude are exact Float64 values (the official Python client's line).
FLOAT64_SAFE_INTEGER = 2**53
MAX_NESTING = 64
MAX_DOCUMENT_NESTING = 16
MAX_ARRAY_LENGTH = 8192
MAX_OBJECT_FIELDS = 1024
MAX_FIELD_NAME_LENGTH = 1024
MAX_IDENTIFIER_LENGTH = 64


class CommitTsPlaceholder:
    """The type of `COMMIT_TS`: Convex's commit-timestamp placeholder (``db.vars.commitTs``).

    A write may hold it where ``v.commitTs()`` (or ``v.any()``) is declared; Convex replaces it
    with the commit's timestamp, an Int64. Its Convex JSON form is ``{"$commitTs": null}``.
    """

    __slots__ = ()
    _instance: CommitTsPlaceholder | None = None

    def __new__(cls) -> CommitTsPlaceholder:
        # A singleton, as in ``convex/values``, so a value read back compares equal to it.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "COMMIT_TS"

    def __reduce__(self) -> str:
        return "COMMIT_TS"


#: The commit-timestamp placeholder: the Python spelling of Convex's ``db.vars.commitTs``.
COMMIT_TS = CommitTsPlaceholder()

_FIELD_NAME_CHARS = re.compile(r"[\x20-\x7e]*")
_IDENTIFIER = re.compile(r"[A-Za-z0-9_]*")


def is_utf8(text: str) -> bool:
    """Whether ``text`` encodes as UTF-8, which fails exactly on lone surrogates."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def key_text(key: str) -> str:
    """An object key for a message or a path: as it is, with lone surrogates and non-printable
    characters escaped Rust-style (``\\u{d800}``), so every message is valid UTF-8."""
    if key.isascii() and key.isprintable():
        return key
    return "".join(
        char if char.isprintable() and not 0xD800 <= ord(char) <= 0xDFFF else _escape(char)
        for char in key
    )


def _escape(char: str) -> str:
    return f"\\u{{{ord(char):x}}}"


def field_name_error(name: str) -> str | None:
    """Why ``name`` cannot be a key of a Convex object value, or ``None`` when it can."""
    if len(name) > MAX_FIELD_NAME_LENGTH:
        return f"Field name is too long ({len(name)} > maximum {MAX_FIELD_NAME_LENGTH})"
    if name.startswith("$"):
        return f"Field name {key_text(name)} starts with '$', which is reserved."
    if _FIELD_NAME_CHARS.fullmatch(name) is None:
        bad = next(c for c in name if not " " <= c <= "~")
        return (
            f"Field name {key_text(name)} has invalid character {bad!r}: "
            "Field names can only contain non-control ASCII characters"
        )
    return None


def identifier_error(name: str) -> str | None:
    """Why ``name`` is not a Convex identifier (validator field, table, index), or ``None``."""
    if not name:
        return "Identifier cannot be empty"
    if len(name) > MAX_IDENTIFIER_LENGTH:
        return f"Identifier is too long ({len(name)} > maximum {MAX_IDENTIFIER_LENGTH})"
    first = name[0]
    if not (first == "_" or (first.isascii() and first.isalpha())):
        return (
            f"Invalid first character {first!r} in {name}: "
            "Identifiers must start with an alphabetic character or underscore"
        )
    if _IDENTIFIER.fullmatch(name) is None:
        bad = next(c for c in name if not (c.isascii() and (c.isalnum() or c == "_")))
        return (
            f"Identifier {name} has invalid character {bad!r}: "
            "Identifiers can only contain alphanumeric characters or underscores"
        )
    if name.strip("_") == "":
        return f"Identifier {name} cannot have exclusively underscores"
    return None
