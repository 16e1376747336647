"""JSON in: the parser (orjson when installed, the standard library otherwise) and the input files
of ``vschema validate`` (JSON Lines, or JSON holding an array or one value; ``-`` for stdin).

The parsing rules are ``validate_json``'s (`vschema.validators._json_text`, whose decoder, digit
scan and orjson import this module uses): standard JSON only (RFC 8259: UTF-8, no ``NaN``), and
a line reads the same whichever parser is installed: where they differ, the standard library
decides. ``orjson`` reads an integer beyond 64 bits as a `float` where `json` keeps an `int`, so
a line holding a run of 19 digits is parsed by `json`; a line orjson refuses (``1e400``, a lone
surrogate escape) is parsed again by `json`. Both are rare, so the fast path is the common one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from vschema.data._export import BLOCK_BYTES, read_blocks
from vschema.validators._json_text import decode_stdlib, has_digit_run, orjson_loads

__all__ = ["Block", "input_blocks", "loader", "parser_name"]

#: Items of a JSON array handed on at a time.
ITEMS_PER_BLOCK = 2000


def _stdlib_loads(data: bytes) -> Any:
    # Decoded first: `json.loads` on bytes would also guess UTF-16 from a byte order mark.
    return decode_stdlib(data.decode("utf-8"))


def _orjson(*, big_integers: bool = True) -> Callable[[bytes], Any] | None:
    fast = orjson_loads()
    if fast is None:
        return None

    def loads(data: bytes) -> Any:
        if big_integers and has_digit_run(data):
            return _stdlib_loads(data)
        try:
            return fast(data)
        except ValueError:
            # orjson refuses some JSON the standard parser reads (1e400 is infinity there, a
            # lone surrogate escape a str the check then reports): the standard one decides,
            # with its own message when it refuses too.
            return _stdlib_loads(data)

    return loads


def loader(fast: bool | None = None, *, big_integers: bool = True) -> Callable[[bytes], Any]:
    """The JSON parser to use: orjson when ``fast`` is not ``False`` and orjson is installed
    (``vschema[fast]``), else the standard library's. Both raise `ValueError` on bad input.

    ``big_integers=False`` skips the look for 20-digit integers that makes orjson read them as
    `json` does: for callers that handle integers beyond the i64 range themselves (an export,
    where Convex reads them as Float64, as orjson does beyond u64)."""
    if fast is not False:
        loads = _orjson(big_integers=big_integers)
        if loads is not None:
            return loads
    return _stdlib_loads


def parser_name(fast: bool | None = None) -> str:
    """``orjson`` or ``json``: which parser `loader` gives."""
    return "orjson" if fast is not False and _orjson() is not None else "json"


@attrs.frozen
class Block:
    """Input for one batch: either ``data``, whole lines of JSON (the first is line ``first``),
    or ``items``, values already parsed (item ``first`` of a JSON array, or ``first == -1``
    for a file holding one value). ``source`` names the file in the report."""

    source: str
    first: int
    data: bytes = b""
    items: tuple[Any, ...] = ()
    #: Bytes of input this block stands for (for the progress bar).
    size: int = 0


def _is_json_file(path: str, head: bytes) -> bool:
    suffix = Path(path).suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return False
    if suffix == ".json":
        return True
    return head.lstrip()[:1] == b"["


def _read_all(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    return Path(path).read_bytes()


def input_blocks(
    path: str, loads: Callable[[bytes], Any], *, block: int = BLOCK_BYTES
) -> Iterator[Block]:
    """The blocks of one input file of ``vschema validate``.

    ``.jsonl``/``.ndjson`` files are JSON Lines (read a block at a time); ``.json`` files hold
    one JSON value, an array of rows or one row (read whole); any other name, and ``-``
    (stdin), is JSON when its first character is ``[`` and JSON Lines otherwise. A JSON file
    that does not parse raises `ValueError` with the parser's reason.
    """
    if path == "-":
        blocks = read_blocks("-", block=block)
        first = next(blocks, None)
        if first is None:
            return
        if first[1].lstrip()[:1] == b"[":
            rest = b"".join(data for _, data in blocks)
            yield from _json_blocks("<stdin>", first[1] + rest, loads)
            return
        yield Block("<stdin>", first[0], first[1], size=len(first[1]))
        yield from (Block("<stdin>", line, data, size=len(data)) for line, data in blocks)
        return
    with open(path, "rb") as stream:
        head = stream.read(64)
    if _is_json_file(path, head):
        yield from _json_blocks(path, _read_all(path), loads)
        return
    yield from (
        Block(path, line, data, size=len(data)) for line, data in read_blocks(path, block=block)
    )


def _json_blocks(source: str, data: bytes, loads: Callable[[bytes], Any]) -> Iterator[Block]:
    value = loads(data)
    if type(value) is not list:
        yield Block(source, -1, items=(value,), size=len(data))
        return
    share = len(data) // max(1, -(-len(value) // ITEMS_PER_BLOCK))
    for start in range(0, len(value), ITEMS_PER_BLOCK):
        items = tuple(value[start : start + ITEMS_PER_BLOCK])
        yield Block(source, start, items=items, size=share)
