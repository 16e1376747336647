"""Convex document ID strings: decoding, checking and encoding.

An ID is ``VInt(table_number) || 16-byte internal id || 2-byte footer``, written in lowercase
Crockford base32 without padding. The footer is a Fletcher-16 checksum of the bytes before it,
stored little-endian. Decoding is strict: the string must be the canonical encoding of what it
decodes to, which also rejects stray bits in the last character.

`new_id` and `decode_id` are public (``vschema.new_id``): fixtures, tests and backends other than
Convex need IDs that `v.id` accepts.

Decoding runs in C: the Crockford alphabet is translated to Python's base-32 digits and read with
``int(text, 32)``; the checksum is read off ``zlib.adler32`` (`_fletcher16`). `v.id` checks call
this on every value.
"""

from __future__ import annotations

import base64
import zlib
from typing import NamedTuple

from vschema.validators._errors import VSchemaError

__all__ = [
    "ID_LENGTHS",
    "DecodedId",
    "IdError",
    "decode_id",
    "encode_id",
    "id_error",
    "is_id",
    "new_id",
]

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
_RFC4648 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_TO_DIGITS = str.maketrans(_CROCKFORD, "0123456789abcdefghijklmnopqrstuv")
_FROM_RFC = str.maketrans(_RFC4648, _CROCKFORD)
_CROCKFORD_SET = frozenset(_CROCKFORD)

#: The string lengths a valid ID can have (table numbers below 2**7, 2**14, 2**21, 2**28, 2**32).
ID_LENGTHS = frozenset({31, 32, 34, 36, 37})
_INTERNAL_ID_BYTES = 16
_MAX_TABLE_NUMBER = 2**32 - 1


class IdError(VSchemaError):
    """A string is not a Convex ID; the message is the Convex backend's decode error."""


class DecodedId(NamedTuple):
    """What a Convex ID holds: the number of its table in the deployment, and 16 bytes.

    The table number is the deployment's, not the table's name: Convex numbers tables when it
    creates them, so an ID says which table it belongs to only to the deployment that made it.
    """

    table_number: int
    internal_id: bytes


def _fletcher16(data: bytes) -> int:
    """The footer of an ID whose other bytes are ``data``, read as a big-endian number: its
    Fletcher-16 (mod 256) checksum ``c0 << 8 | c1``, for the footer holds ``c0`` first.

    ``c0`` is the byte sum and ``c1`` the sum of the running ``c0``s, both mod 256. Adler-32
    keeps the same two sums, mod 65521 and with ``c0`` starting at 1: for at most 21 bytes
    neither sum reaches 65521 (at most 21 + 255 * 231 = 58,926), so one C call gives both
    exactly (this is on every ``v.id`` check).
    """
    sums = zlib.adler32(data)
    return ((sums >> 16) - len(data)) & 0xFF | ((sums - 1) & 0xFF) << 8


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        group = n & 0x7F
        n >>= 7
        if n:
            out.append(group | 0x80)
        else:
            out.append(group)
            return bytes(out)


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=").translate(_FROM_RFC)


def encode_id(table_number: int, internal_id: bytes) -> str:
    """Encode a table number and a 16-byte internal id as a Convex ID string."""
    if not 0 < table_number <= _MAX_TABLE_NUMBER:
        raise ValueError(f"table number {table_number} is outside 1..{_MAX_TABLE_NUMBER}")
    if len(internal_id) != _INTERNAL_ID_BYTES:
        raise ValueError(f"internal id must be {_INTERNAL_ID_BYTES} bytes, got {len(internal_id)}")
    body = _varint(table_number) + internal_id
    return _b32(body + _fletcher16(body).to_bytes(2, "big"))


def new_id(table_number: int, internal_id: bytes | None = None) -> str:
    """A Convex document ID of table number ``table_number``, which ``v.id(...)`` accepts.

    The format is Convex's: the table number as a varint (7 bits a byte, low bits first, 1 to 5
    bytes), the 16-byte ``internal_id``, then a 2-byte Fletcher-16 checksum of the bytes before
    it (little-endian), all written in lowercase Crockford base32 (``0-9a-z`` without ``i``,
    ``l``, ``o``, ``u``) without padding. The text is 31 characters long for table numbers below
    2**7, then 32, 34, 36 and 37 characters below 2**14, 2**21, 2**28 and 2**32.

    ``table_number`` is an ``int`` from 1 to 2**32 - 1 (in a Convex deployment, a table's
    number; any number will do for fixtures and other backends). ``internal_id`` is 16 bytes,
    random (`secrets.token_bytes`) by default; pass it to get the same ID every time.
    ``v.id("t")`` cannot tell which table an ID belongs to (that takes the deployment's table
    numbers), so any table number passes any ``v.id``.

    >>> new_id(10001, bytes(range(16)))
    'j57000820c20a1g7104gm2rc1m70ynr8'
    """
    if type(table_number) is not int:
        raise TypeError(f"new_id(): table_number must be an int, got {type(table_number).__name__}")
    if not 0 < table_number <= _MAX_TABLE_NUMBER:
        raise ValueError(
            f"new_id(): table_number must be from 1 to 2**32 - 1 ({_MAX_TABLE_NUMBER}), "
            f"got {table_number}"
        )
    if internal_id is None:
        # Loaded only here, so `import vschema` stays light.
        import secrets

        internal_id = secrets.token_bytes(_INTERNAL_ID_BYTES)
    elif type(internal_id) is not bytes:
        raise TypeError(f"new_id(): internal_id must be bytes, got {type(internal_id).__name__}")
    elif len(internal_id) != _INTERNAL_ID_BYTES:
        raise ValueError(
            f"new_id(): internal_id must be {_INTERNAL_ID_BYTES} bytes long, got {len(internal_id)}"
        )
    return encode_id(table_number, internal_id)


def decode_id(text: str) -> DecodedId:
    """The table number and 16-byte internal id a Convex ID string holds; the inverse of
    `new_id`.

    Decoding is as strict as Convex's: the text must be 31, 32, 34, 36 or 37 characters of
    lowercase Crockford base32, canonically encoded (no stray bits in the last character),
    with a table number from 1 to 2**32 - 1 in its shortest varint, exactly 16 bytes after it,
    and a checksum that matches. Otherwise raises `IdError` (a ``ValueError``) with the Convex
    backend's message, such as ``Unable to decode ID: Invalid ID length 30``.
    """
    if type(text) is not str:
        raise TypeError(f"decode_id() takes a str, got {type(text).__name__}")
    return _decode(text)


def _decode(text: str) -> DecodedId:
    if len(text) not in ID_LENGTHS:
        raise IdError(f"Unable to decode ID: Invalid ID length {len(text)}")
    if not _CROCKFORD_SET.issuperset(text):
        raise IdError("Unable to decode ID: ID wasn't valid base32")
    # Crockford digits become Python's base-32 digits, so int() decodes in C; the bits past the
    # last whole byte must be zero, or the text is not the canonical encoding of any bytes.
    bits = int(text.translate(_TO_DIGITS), 32)
    spare = len(text) * 5 % 8
    if bits & ((1 << spare) - 1):
        raise IdError("Unable to decode ID: ID wasn't valid base32")
    data = (bits >> spare).to_bytes(len(text) * 5 // 8, "big")
    table_number = 0
    shift = 0
    index = 0
    while True:
        if index >= 5 or index >= len(data):
            raise IdError("Unable to decode ID: Invalid table number")
        byte = data[index]
        table_number |= (byte & 0x7F) << shift
        index += 1
        shift += 7
        if not byte & 0x80:
            break
    if table_number == 0 or table_number > _MAX_TABLE_NUMBER:
        raise IdError("Unable to decode ID: Invalid table number")
    if _varint(table_number) != data[:index]:
        raise IdError("Unable to decode ID: Invalid table number")
    if len(data) != index + _INTERNAL_ID_BYTES + 2:
        raise IdError(f"Unable to decode ID: Invalid ID length {len(text)}")
    body, footer = data[:-2], data[-2:]
    version = int.from_bytes(footer, "little") ^ int.from_bytes(
        _fletcher16(body).to_bytes(2, "big"), "little"
    )
    if version != 0:
        raise IdError(f"Unable to decode ID: Invalid ID version {version} (expected 0)")
    return DecodedId(table_number, bytes(body[index:]))


def id_error(text: str) -> str | None:
    """The reason ``text`` is not a valid ID, or ``None`` when it is one."""
    try:
        _decode(text)
    except IdError as error:
        return str(error)
    return None


#: For each valid ID length: the bytes it decodes to, the spare bits past the last whole byte
#: and their mask, and the length of the table number's varint (the rest is 16 bytes of id and
#: a 2-byte footer).
_SHAPES = {
    length: (
        length * 5 // 8,
        length * 5 % 8,
        (1 << length * 5 % 8) - 1,
        length * 5 // 8 - _INTERNAL_ID_BYTES - 2,
    )
    for length in ID_LENGTHS
}
#: bytes.translate table: each Crockford digit to Python's base-32 digit, every other byte to
#: "!", which `int` refuses (as it would not refuse "i", "_", " " or a sign).
_ID_DIGITS = bytes(
    ord("0123456789abcdefghijklmnopqrstuv"[_CROCKFORD.index(chr(b))])
    if chr(b) in _CROCKFORD
    else ord("!")
    for b in range(256)
)


def is_id(text: str) -> bool:
    """Whether ``text`` is a well-formed Convex ID with a correct checksum.

    Exactly ``id_error(text) is None``, without building the decoded parts or an error: `v.id`
    checks run this on every value, so each step is one C call on the whole text.
    """
    shape = _SHAPES.get(len(text))
    if shape is None:
        return False
    try:
        # A character outside ASCII fails the encoding, one outside the alphabet `int`.
        bits = int(text.encode("ascii").translate(_ID_DIGITS), 32)
    except (UnicodeEncodeError, ValueError):
        return False
    size, spare, mask, varint = shape
    if bits & mask:
        return False
    bits >>= spare
    body = (bits >> 16).to_bytes(size - 2, "big")
    # The table number: `varint` bytes, every one but the last with its high bit set; the
    # last nonzero (the shortest encoding, and no table 0) and, in a 5-byte varint, at most
    # 0x0F (table numbers stop at 2**32 - 1).
    last = body[varint - 1]
    if last >= 0x80 or not last or (varint == 5 and last > 0x0F):
        return False
    if varint > 1 and min(body[: varint - 1]) < 0x80:
        return False
    return bits & 0xFFFF == _fletcher16(body)
