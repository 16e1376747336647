"""Plain JSON text in: the parse step behind ``validate_json``.

What a browser's ``JSON.stringify`` writes and a web backend receives: UTF-8 text of standard
JSON (RFC 8259). Python's `json` also reads ``NaN`` and ``Infinity`` and guesses UTF-16 from a
byte order mark; neither is JSON, so both are refused here. This is not Convex's wire encoding
(``$integer``, ``$bytes``): that is `from_convex_json`.

Every way the text can be wrong becomes one `Issue` with code ``invalid_encoding`` at the top,
so a handler answers a malformed body and an invalid one the same way.
"""

from __future__ import annotations

import json

from vschema.validators._errors import Issue, ValidationError

__all__ = ["parse_json"]


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


# One decoder for every call: `json.loads` with keyword arguments would build a new one each time.
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def _invalid(reason: str) -> ValidationError:
    return ValidationError([Issue((), "invalid_encoding", f"Invalid JSON: {reason}", "JSON")])


def parse_json(data: str | bytes | bytearray | memoryview) -> object:
    """``data`` parsed as standard JSON; `ValidationError` (``invalid_encoding``) if it is not.

    Bytes must be UTF-8. JSON integers become `int` and other numbers `float`, as in `json`.
    """
    if isinstance(data, str):
        text = data
    elif isinstance(data, bytes | bytearray | memoryview):
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as error:
            raise _invalid(f"not UTF-8 ({error.reason} at byte {error.start})") from None
    else:
        raise TypeError(
            f"validate_json() takes JSON text as str or bytes, got {type(data).__name__}; "
            "to check a parsed value, use validate()"
        )
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as error:
        raise _invalid(f"{error.msg} at line {error.lineno} column {error.colno}") from None
    except ValueError as error:  # NaN, Infinity, -Infinity
        raise _invalid(str(error)) from None
    except RecursionError:
        raise _invalid("nested too deeply to parse") from None
