"""Plain JSON text in: the parse step behind ``validate_json``.

What a browser's ``JSON.stringify`` writes and a web backend receives: UTF-8 text of standard
JSON (RFC 8259). Python's `json` also reads ``NaN`` and ``Infinity`` and guesses UTF-16 from a
byte order mark; neither is JSON, so both are refused here. This is not Convex's wire encoding
(``$integer``, ``$bytes``): that is `from_convex_json`.

Every way the text can be wrong becomes one `Issue` with code ``invalid_encoding`` at the top,
so a handler answers a malformed body and an invalid one the same way.

Two parsers, one result. With orjson installed (the ``vschema[fast]`` extra; imported on the
first call, never at ``import vschema``) it parses, and wherever it would differ from the
standard library the standard library parses instead, so every text gives exactly the value
(or the issue) it gives without orjson:

* text orjson refuses (a lone surrogate written ``\\ud800``, which Python's `json` reads and
  ``v.string()`` then refuses with a path; a number too large for a double, ``1e400``, which
  `json` reads as ``inf``; ``NaN``; nesting past orjson's 1024 levels; any malformed text) is
  parsed again by the standard library, which gives the value or the error message;
* an integer outside 64 bits, which orjson reads as a lossy `float` and `json` as an exact
  `int`: text holding a run of 19 or more digits (anywhere, strings included: cheap to find,
  and a false alarm only costs the slower parse) goes to the standard library.

Duplicate keys keep the last value in both. Without orjson the standard library's C scanner
is called directly (`_stdlib_parse`), skipping `json.loads`' per-call set-up.
"""

from __future__ import annotations

import json
import json.scanner
from collections.abc import Callable
from typing import Any

from vschema.validators._errors import Issue, ValidationError

__all__ = ["decode_stdlib", "has_digit_run", "orjson_loads", "parse_json", "parse_json_stdlib"]


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


# One decoder for every call: `json.loads` with keyword arguments would build a new one each time.
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)
# Its scanner, called directly: `decode` first matches a whitespace regex on both ends.
# (`make_scanner` is the C scanner, where `_json` is built; typeshed types its argument wrongly.)
_SCAN: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(_DECODER)  # type: ignore[arg-type]
_WHITESPACE = " \t\n\r"


def _invalid(reason: str) -> ValidationError:
    return ValidationError([Issue((), "invalid_encoding", f"Invalid JSON: {reason}", "JSON")])


def _text(data: str | bytes | bytearray | memoryview) -> str:
    if isinstance(data, str):
        return data
    if isinstance(data, bytes | bytearray | memoryview):
        try:
            return bytes(data).decode("utf-8")
        except UnicodeDecodeError as error:
            raise _invalid(f"not UTF-8 ({error.reason} at byte {error.start})") from None
    raise TypeError(
        f"validate_json() takes JSON text as str or bytes, got {type(data).__name__}; "
        "to check a parsed value, use validate()"
    )


def parse_json_stdlib(data: str | bytes | bytearray | memoryview) -> object:
    """`parse_json` with the standard library's parser only (what it does without orjson)."""
    text = _text(data)
    try:
        value, end = _SCAN(text, 0)
    except Exception:
        pass  # `_decode` says what is wrong, in its own words
    else:
        if end == len(text) or not text[end:].strip(_WHITESPACE):
            return value
    return _decode(text)


def decode_stdlib(text: str) -> Any:
    """``text`` parsed by the standard library as standard JSON (no ``NaN`` or ``Infinity``);
    `ValueError` (a ``json.JSONDecodeError`` for malformed text) when it is not JSON."""
    return _DECODER.decode(text)


def _decode(text: str) -> object:
    """The whole decoder: leading whitespace, extra data, and every error's message."""
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as error:
        raise _invalid(f"{error.msg} at line {error.lineno} column {error.colno}") from None
    except ValueError as error:  # NaN, Infinity, -Infinity
        raise _invalid(str(error)) from None
    except RecursionError:
        raise _invalid("nested too deeply to parse") from None


#: bytes.translate table: every digit to "0", everything else to ".", so a run of 19 digits
#: is one substring search.
_DIGIT_RUNS = bytes(0x30 if 0x30 <= b <= 0x39 else 0x2E for b in range(256))
#: The shortest run of digits that can be an integer outside 64 bits (2**63 has 19 digits).
LONG_DIGITS = 19
_LONG_DIGITS = b"0" * LONG_DIGITS


def has_digit_run(data: bytes, length: int = LONG_DIGITS) -> bool:
    """Whether ``data`` holds a run of at least ``length`` decimal digits (one C pass: a
    regular expression would cost several times the parse of a typical line)."""
    return b"0" * length in data.translate(_DIGIT_RUNS)


_UNSET: Any = object()
_orjson_loads: Callable[[Any], Any] | None = _UNSET


def orjson_loads() -> Callable[[Any], Any] | None:
    """orjson's ``loads`` if orjson is installed, else None; imported on the first call."""
    global _orjson_loads
    if _orjson_loads is _UNSET:
        try:
            import orjson
        except ImportError:
            _orjson_loads = None
        else:
            _orjson_loads = orjson.loads
    return _orjson_loads


def parse_json(data: str | bytes | bytearray | memoryview) -> object:
    """``data`` parsed as standard JSON; `ValidationError` (``invalid_encoding``) if it is not.

    Bytes must be UTF-8. JSON integers become `int` and other numbers `float`, as in `json`;
    the result is the same with orjson installed or not (see the module's docstring).
    """
    loads = _orjson_loads if _orjson_loads is not _UNSET else orjson_loads()
    if loads is None or type(data) is not bytes:
        if loads is None or not isinstance(data, str | bytearray | memoryview):
            return parse_json_stdlib(data)
        try:
            data = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        except UnicodeEncodeError:  # a str holding a lone surrogate: orjson refuses it
            return parse_json_stdlib(data)
    if _LONG_DIGITS in data.translate(_DIGIT_RUNS):
        return parse_json_stdlib(data)
    try:
        return loads(data)
    except ValueError:  # orjson.JSONDecodeError: the standard library decides, and says why
        return parse_json_stdlib(data)
