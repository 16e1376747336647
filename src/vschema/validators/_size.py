"""Convex's limits on a stored document: its size in bytes and how deeply it nests.

Both walks run only on values that already passed a validator, so they meet nothing but Convex
values: exact builtin types, no cycles, at most 64 levels deep. Plain recursion is safe and no
type needs checking twice; a container held in several places is measured once, so a value
that shares its parts costs its size in memory, not unfolded. Numbers and messages follow the
backend (``convex-semantics.md`` sections 5 and 6; ``crates/value/src/size.rs``,
``crates/common/src/document.rs``).
"""

from __future__ import annotations

import sys

from vschema.validators._errors import Issue
from vschema.validators._values import COMMIT_TS, MAX_DOCUMENT_NESTING

__all__ = [
    "MAX_DOCUMENT_SIZE",
    "SMALLEST_SYSTEM_FIELDS_SIZE",
    "binary_size_text",
    "convex_size",
    "document_limit_issues",
    "fits_document",
    "json_size_bound",
    "nesting",
]

#: A user document may take at most 1 MiB, system fields included.
MAX_DOCUMENT_SIZE = 1 << 20
#: What ``_id`` and ``_creationTime`` add to a document at the least: ``_id`` is a key of 3 bytes
#: plus a terminator and a string of 31 characters or more (2 + 31); ``_creationTime`` is 13 + 1
#: bytes of key and a Float64 (9).
SMALLEST_SYSTEM_FIELDS_SIZE = (3 + 1 + 2 + 31) + (13 + 1 + 9)

_BINARY_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB")


def convex_size(value: object, _seen: dict[int, int] | None = None) -> int:
    """The size Convex counts for ``value``, in bytes, exactly as the backend's ``Size``.

    null and booleans 1; Int64 and Float64 9; strings 2 + UTF-8 length; bytes 2 + length;
    arrays 2 + their elements; objects 2 + each field's key length + 1 + value size.
    A list or dict met again (a value may hold one in many places) is measured once.
    """
    # Dispatch on the exact type (a validated value holds no subclasses, and bool must not
    # count as int), and measure strings inline: this walk runs on every valid write.
    if type(value) is dict:
        # Keys of a validated object are field names: printable ASCII, a byte per character.
        size = 2 + len(value) + sum(map(len, value))
        for item in value.values():
            if type(item) is str:
                size += 2 + (len(item) if item.isascii() else len(item.encode("utf-8")))
            else:
                size += _size_of(item, _seen)
        return size
    if type(value) is str:
        return 2 + (len(value) if value.isascii() else len(value.encode("utf-8")))
    if type(value) is list:
        size = 2
        for item in value:
            if type(item) is str:
                size += 2 + (len(item) if item.isascii() else len(item.encode("utf-8")))
            else:
                size += _size_of(item, _seen)
        return size
    if type(value) is float or type(value) is int or value is COMMIT_TS:
        return 9  # the placeholder becomes an Int64 timestamp when the write commits
    if value is None or type(value) is bool:
        return 1
    if type(value) is bytes:
        return 2 + len(value)
    raise TypeError(f"{type(value).__name__} is not a Convex value; validate it first")


def _size_of(item: object, seen: dict[int, int] | None) -> int:
    if type(item) is not dict and type(item) is not list:
        return convex_size(item)
    # Nested containers are remembered by identity, so a shared one costs one walk.
    if seen is None:
        seen = {}
    known = seen.get(id(item))
    if known is None:
        known = seen[id(item)] = convex_size(item, seen)
    return known


def nesting(value: object, _seen: dict[int, int] | None = None) -> int:
    """How deeply ``value`` nests: 0 for a scalar, 1 + its deepest child for arrays and objects.

    A list or dict met again is measured once (a value may hold one in many places)."""
    if type(value) is dict:
        children: object = value.values()
    elif type(value) is list:
        children = value
    else:
        return 0
    if _seen is None:
        _seen = {}
    known = _seen.get(id(value))
    if known is None:
        deepest = 0
        for child in children:  # type: ignore[attr-defined]
            if type(child) is dict or type(child) is list:
                deepest = max(deepest, nesting(child, _seen))
        known = _seen[id(value)] = 1 + deepest
    return known


def _binary_scaled(size: int) -> tuple[float, int]:
    """``size`` divided by 1024 while it is at least 1024, and how many times."""
    value, scale = float(size), 0
    while abs(value) >= 1024:
        value /= 1024
        scale += 1
    return value, scale


def binary_size_text(size: int) -> str:
    """``size`` bytes as the backend prints them (Rust ``humansize`` with ``BINARY`` options).

    Divide by 1024 while the value is at least 1024; print two decimals, or none when the value
    is whole: ``1023 B``, ``1 KiB``, ``1.05 MiB``.
    """
    value, scale = _binary_scaled(size)
    whole = abs(value - int(value)) <= sys.float_info.epsilon
    return f"{value:.{0 if whole else 2}f} {_BINARY_UNITS[scale]}"


def _size_beyond(size: int, limit: int) -> str:
    """``size`` as Convex prints it, with as many decimals as it takes to read as more than
    ``limit`` (``1.00 MiB > maximum size 1 MiB`` would not), or in bytes past six decimals."""
    scaled, scale = _binary_scaled(size)
    texts = [binary_size_text(size)] + [
        f"{scaled:.{decimals}f} {_BINARY_UNITS[scale]}" for decimals in range(3, 7)
    ]
    for text in texts:
        if float(text.split(" ")[0]) * 1024**scale > limit:
            return text
    return f"{size:,} bytes"


def json_size_bound(text_bytes: int) -> int:
    """A bound on the Convex size of a value read from ``text_bytes`` bytes of JSON (plain, or
    Convex's export or wire encoding): 9 per byte.

    A number takes at least one byte of text and counts 9; nothing else counts more than its
    text: a string 2 plus its UTF-8 for two quotes and at least as many bytes, a field 1 plus its
    key for the key's quotes and colon, an array or object 2 for its brackets, null and booleans
    1 for 4 or 5 bytes, ``{"$bytes": ...}`` 2 plus 3 per 4 base64 characters, ``{"$float": ...}``
    9 for 20 bytes or more.
    """
    return 9 * text_bytes


def fits_document(
    document: object, *, extra_size: int = 0, deep: bool = True, size_at_most: int | None = None
) -> bool:
    """Whether a validated document is within Convex's nesting and size limits.

    The fast path of `document_limit_issues` (same arguments), which explains a no.
    ``size_at_most`` is a bound on the document's size the caller already knows (from the
    length of the text it was read from): within the limit, the size walk is skipped.
    """
    if deep and nesting(document) > MAX_DOCUMENT_NESTING:
        return False
    if size_at_most is not None and size_at_most + extra_size <= MAX_DOCUMENT_SIZE:
        return True
    return convex_size(document) + extra_size <= MAX_DOCUMENT_SIZE


def document_limit_issues(
    document: object, *, extra_size: int = 0, deep: bool = True
) -> list[Issue]:
    """Issues for a validated document past Convex's nesting or size limit; empty when it fits.

    ``extra_size`` counts bytes the stored document will have beyond ``document`` (system fields
    not yet assigned); ``deep=False`` skips the nesting walk for a validator that cannot nest
    past the limit anyway.
    """
    issues = []
    if deep:
        depth = nesting(document)
        if depth > MAX_DOCUMENT_NESTING:
            issues.append(
                Issue(
                    (),
                    "too_nested",
                    f"Document is too nested (nested {depth} levels deep > maximum nesting "
                    f"{MAX_DOCUMENT_NESTING})",
                    f"at most {MAX_DOCUMENT_NESTING} levels of nesting in a document",
                    "object",
                )
            )
    size = convex_size(document) + extra_size
    if size > MAX_DOCUMENT_SIZE:
        issues.append(
            Issue(
                (),
                "too_large",
                f"Value is too large ({_size_beyond(size, MAX_DOCUMENT_SIZE)} > maximum size "
                f"{binary_size_text(MAX_DOCUMENT_SIZE)})",
                f"at most {binary_size_text(MAX_DOCUMENT_SIZE)}",
                "object",
            )
        )
    return issues
