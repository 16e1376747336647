"""Convex document IDs: the format and checksum that `v.id` checks."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from vschema import VSchemaError, v
from vschema.validators._ids import (
    ID_LENGTHS,
    DecodedId,
    IdError,
    decode_id,
    encode_id,
    id_error,
    is_id,
    new_id,
)

# A real ID from a Convex deployment, quoted in get-convex/convex-js#106.
REAL_ID = "j57cbywe1te7fvzf26g0x3ftsd7vagd2"


def test_decodes_a_real_convex_id() -> None:
    table_number, internal = decode_id(REAL_ID)
    assert table_number == 10001
    assert len(internal) == 16
    assert encode_id(table_number, internal) == REAL_ID


@pytest.mark.parametrize(
    ("table_number", "length"),
    [(1, 31), (127, 31), (128, 32), (16383, 32), (16384, 34), (2**21, 36), (2**28, 37)],
)
def test_length_follows_the_table_number(table_number: int, length: int) -> None:
    text = encode_id(table_number, bytes(16))
    assert len(text) == length
    assert length in ID_LENGTHS
    assert decode_id(text) == (table_number, bytes(16))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Invalid ID length 0"),
        (REAL_ID[:-2], "Invalid ID length 30"),
        (REAL_ID + "0", "Invalid ID length 33"),
        (REAL_ID.upper(), "ID wasn't valid base32"),
        (REAL_ID[:-1] + "u", "ID wasn't valid base32"),  # u is not in Crockford's alphabet
        (REAL_ID[:5] + "i" + REAL_ID[6:], "ID wasn't valid base32"),
        (REAL_ID[:-1] + "3", "Invalid ID version"),  # checksum no longer matches
        (REAL_ID[:-1] + "3", "(expected 0)"),
    ],
)
def test_rejects_malformed_ids_with_convex_messages(text: str, message: str) -> None:
    with pytest.raises(IdError, match=message.replace("(", r"\(").replace(")", r"\)")):
        decode_id(text)
    assert not is_id(text)
    error = id_error(text)
    assert error is not None
    assert error.startswith("Unable to decode ID: ")


def test_rejects_non_canonical_final_character() -> None:
    # The last character of a 31-char ID carries 3 padding bits that must be zero.
    text = encode_id(5, bytes(range(16)))
    last = "0123456789abcdefghjkmnpqrstvwxyz".index(text[-1])
    tampered = text[:-1] + "0123456789abcdefghjkmnpqrstvwxyz"[last | 1]
    assert tampered != text
    assert not is_id(tampered)


def test_rejects_table_number_zero() -> None:
    # Build the bytes by hand: varint 0, 16 bytes, a correct checksum.
    from vschema.validators._ids import _b32, _fletcher16

    body = b"\x00" + bytes(16)
    footer = _fletcher16(body).to_bytes(2, "big")
    assert id_error(_b32(body + footer)) == "Unable to decode ID: Invalid table number"


@given(st.binary(max_size=21))
@example(b"\xff" * 21)  # the largest sums an ID's 21 bytes can give
def test_the_checksum_is_fletcher16_mod_256(data: bytes) -> None:
    # Convex's definition, byte by byte; `_fletcher16` reads both sums off zlib.adler32.
    from vschema.validators._ids import _fletcher16

    c0 = c1 = 0
    for byte in data:
        c0 = (c0 + byte) % 256
        c1 = (c1 + c0) % 256
    assert _fletcher16(data) == c0 << 8 | c1


@given(st.integers(1, 2**32 - 1), st.binary(min_size=16, max_size=16))
def test_round_trip(table_number: int, internal: bytes) -> None:
    text = encode_id(table_number, internal)
    assert decode_id(text) == (table_number, internal)
    assert is_id(text)


@given(st.text(alphabet="0123456789abcdefghjkmnpqrstvwxyz", min_size=31, max_size=37))
def test_random_strings_decode_only_when_canonical(text: str) -> None:
    error = id_error(text)
    if error is None:
        assert encode_id(*decode_id(text)) == text


def test_encode_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="table number"):
        encode_id(0, bytes(16))
    with pytest.raises(ValueError, match="16 bytes"):
        encode_id(1, bytes(15))


# The public API: vschema.new_id and vschema.decode_id.


def test_new_id_is_deterministic_given_the_internal_id() -> None:
    assert new_id(10001, bytes(range(16))) == "j57000820c20a1g7104gm2rc1m70ynr8"
    assert new_id(10001, bytes(range(16))) == encode_id(10001, bytes(range(16)))
    assert decode_id(REAL_ID) == DecodedId(10001, decode_id(REAL_ID).internal_id)
    assert new_id(*decode_id(REAL_ID)) == REAL_ID


def test_new_id_draws_random_internal_ids() -> None:
    ids = {new_id(7) for _ in range(50)}
    assert len(ids) == 50
    for text in ids:
        assert decode_id(text).table_number == 7
        assert len(decode_id(text).internal_id) == 16


@given(st.integers(1, 2**32 - 1), st.one_of(st.none(), st.binary(min_size=16, max_size=16)))
def test_new_id_round_trips_and_passes_v_id(table_number: int, internal: bytes | None) -> None:
    text = new_id(table_number, internal)
    decoded = decode_id(text)
    assert decoded.table_number == table_number
    if internal is not None:
        assert decoded.internal_id == internal
    assert new_id(decoded.table_number, decoded.internal_id) == text
    assert len(text) in ID_LENGTHS
    # v.id cannot know which table a number belongs to, so every table's v.id accepts it.
    assert v.id("users").is_valid(text)
    assert v.id("users").errors(text) == []


@pytest.mark.parametrize(
    ("table_number", "internal", "error", "message"),
    [
        (0, None, ValueError, r"table_number must be from 1 to 2\*\*32 - 1 \(4294967295\), got 0"),
        (-1, None, ValueError, r"table_number must be from 1 .*, got -1$"),
        (2**32, None, ValueError, r"table_number must be from 1 .*, got 4294967296$"),
        (True, None, TypeError, "table_number must be an int, got bool"),
        (1.0, None, TypeError, "table_number must be an int, got float"),
        ("1", None, TypeError, "table_number must be an int, got str"),
        (1, bytes(15), ValueError, "internal_id must be 16 bytes long, got 15"),
        (1, bytes(17), ValueError, "internal_id must be 16 bytes long, got 17"),
        (1, bytearray(16), TypeError, "internal_id must be bytes, got bytearray"),
        (1, "0" * 16, TypeError, "internal_id must be bytes, got str"),
    ],
)
def test_new_id_checks_its_arguments(
    table_number: Any, internal: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=r"^new_id\(\): " + message):
        new_id(table_number, internal)


def test_decode_id_raises_vschema_errors_with_convex_messages() -> None:
    with pytest.raises(IdError, match=r"^Unable to decode ID: Invalid ID length 3$") as info:
        decode_id("abc")
    assert isinstance(info.value, VSchemaError)
    assert isinstance(info.value, ValueError)
    with pytest.raises(TypeError, match=r"^decode_id\(\) takes a str, got bytes$"):
        decode_id(REAL_ID.encode())  # type: ignore[arg-type]


def test_the_public_names_are_the_ones_here() -> None:
    import vschema

    assert vschema.new_id is new_id
    assert vschema.decode_id is decode_id
    assert vschema.DecodedId is DecodedId
    for name in ("new_id", "decode_id"):
        doc = getattr(vschema, name).__doc__
        # The format's rules are stated where users read them.
        assert "Crockford base32" in doc
        assert "16" in doc


# --------------------------------------------------------------------------------------------
# `is_id`, the fast check `v.id` runs, says exactly what decoding says


def _from_bytes(data: bytes) -> str:
    """``data`` in lowercase Crockford base32, as an ID's text (any bytes, checksum or not)."""
    import base64

    rfc = base64.b32encode(data).decode("ascii").rstrip("=")
    return rfc.translate(str.maketrans(_RFC, _CROCKFORD_DIGITS))


_RFC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_CROCKFORD_DIGITS = "0123456789abcdefghjkmnpqrstvwxyz"


def _with_checksum(body: bytes) -> str:
    c0 = sum(body) & 0xFF
    c1 = sum((len(body) - i) * b for i, b in enumerate(body)) & 0xFF
    return _from_bytes(body + bytes((c0, c1)))


def assert_is_id_agrees(text: str) -> None:
    assert is_id(text) == (id_error(text) is None), (text, id_error(text))


@given(
    st.sampled_from([1, 2, 3, 4, 5, 6]),
    st.binary(min_size=0, max_size=6),
    st.binary(min_size=15, max_size=17),
    st.booleans(),
)
def test_is_id_agrees_with_decoding_on_crafted_bodies(
    varint_len: int, prefix: bytes, internal: bytes, good_sum: bool
) -> None:
    # Varints of every length, canonical or not (high bits, trailing zero bytes, table 0,
    # tables past 2**32), ids of 15 to 17 bytes, checksums right or wrong.
    body = prefix[:varint_len].ljust(varint_len, b"\x80") + internal
    text = _with_checksum(body) if good_sum else _from_bytes(body + b"\x00\x01")
    assert_is_id_agrees(text)


@given(st.integers(1, 2**32 - 1), st.binary(min_size=16, max_size=16), st.data())
def test_is_id_agrees_with_decoding_on_one_character_changes(
    table: int, internal: bytes, data: st.DataObject
) -> None:
    text = encode_id(table, internal)
    assert_is_id_agrees(text)
    where = data.draw(st.integers(0, len(text) - 1))
    char = data.draw(st.sampled_from("0az9iloulIOU_ +-!é\x00Z" + _CROCKFORD_DIGITS))
    changed = text[:where] + char + text[where + 1 :]
    assert_is_id_agrees(changed)
    assert_is_id_agrees(text[:where] + text[where + 1 :])
    assert_is_id_agrees(text + char)
    assert_is_id_agrees(text.upper())
