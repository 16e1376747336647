"""Reading a Convex snapshot export: the ZIP's layout, and the exact export value decoding.

What `npx convex export --path snapshot.zip` (and a dashboard backup) writes, as Convex's backend
writes it (``get-convex/convex-backend``, ``crates/exports/src/lib.rs`` and ``zip_uploader.rs``):

* ``README.md``; then, per component, ``<prefix>_tables/documents.jsonl``: one
  ``{"name": <table>, "id": <table number>}`` per user table of that component
  (`write_tables_table`); the app's own prefix is empty, a component's is
  ``_components/<name>/`` for each name on its path (`get_export_path_prefix`);
* per table ``<prefix><table>/documents.jsonl`` (one document per line, each line
  ``serde_json::to_vec`` of the document and ``\\n``) and ``<prefix><table>/generated_schema.jsonl``
  holding only the JSON string ``"uniform"`` (`write_legacy_generated_schema`: the marker of the
  current format; older exports held a generated schema there and encoded values differently,
  so anything else is refused here);
* ``<prefix>_storage/documents.jsonl`` and the stored files, with ``--include-file-storage``:
  not table data, so not read here;
* every member is Deflate-compressed (``Compression::Deflate``).

Values are in ``ValueFormat::ConvexExportJSON`` (``export_clean_lossless`` in
``crates/value/src/export``), read back by ``from_clean_lossless``: an Int64 is a bare JSON integer
(``123``); a finite Float64 always has a decimal point or an exponent (``123.0``, ``-0.0``), a
non-finite one is ``{"$float": <base64>}``; bytes are ``{"$bytes": <base64>}``; an object whose
first key starts with ``$`` is read as Convex's internal JSON. Reading back, a JSON number that
fits an i64 is an Int64, any other a Float64. So `decode_value` is exact: a Python `int` from it
is an Int64 only, a `float` a Float64 only (`json` and `orjson` already give `int` for a JSON
integer and `float` otherwise; integers beyond the i64 range become `float`, as Convex reads them).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

from vschema._console import UsageError
from vschema.validators._convex_json import from_convex_json
from vschema.validators._errors import Issue, PathKey, ValidationError

__all__ = [
    "COMPONENTS",
    "MAX_LINE_BYTES",
    "Export",
    "ExportTable",
    "decode_value",
    "line_blocks",
    "open_export",
    "read_blocks",
]

COMPONENTS = "_components"
_TABLES = "_tables"
_STORAGE = "_storage"
_DOCUMENTS = "documents.jsonl"
_GENERATED_SCHEMA = "generated_schema.jsonl"
_UNIFORM = b'"uniform"'
#: No line of an export is longer (a document is at most 1 MiB; its export text a few times that).
MAX_LINE_BYTES = 64 * 1024 * 1024
#: How much a reader hands on at a time: enough lines that a worker's call costs more than its
#: message, few enough that the work in flight stays small.
BLOCK_BYTES = 512 * 1024

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1


@attrs.frozen
class ExportTable:
    """One table's documents in an export: its ``component`` path (``""`` for the app itself,
    ``a/b`` for component ``b`` inside ``a``), its ``name``, its ZIP ``member``, its table
    ``number`` (``None`` when ``_tables`` does not list it) and its uncompressed ``size``."""

    component: str
    name: str
    member: str
    number: int | None
    size: int

    @property
    def label(self) -> str:
        """The table as a report names it: ``users``, or ``component/users``."""
        return f"{self.component}/{self.name}" if self.component else self.name


@attrs.frozen
class Export:
    """An opened snapshot export: its ``tables`` in ZIP order, and per component the table
    numbers that ``_tables`` gives (``numbers[""]`` for the app)."""

    path: Path
    tables: tuple[ExportTable, ...]
    numbers: dict[str, dict[str, int]]


def _split_member(name: str) -> tuple[str, str, str] | None:
    """``(component, folder, file)`` of a member ``[_components/<c>/...]<folder>/<file>``."""
    parts = name.split("/")
    component: list[str] = []
    while len(parts) > 3 and parts[0] == COMPONENTS:
        component.append(parts[1])
        parts = parts[2:]
    if len(parts) != 2:
        return None
    return "/".join(component), parts[0], parts[1]


def _table_numbers(archive: zipfile.ZipFile, member: str) -> dict[str, int]:
    import json

    numbers: dict[str, int] = {}
    with archive.open(member) as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                name, table_number = entry["name"], entry["id"]
            except (ValueError, KeyError, TypeError):
                raise UsageError(
                    f'{member} line {number}: not a {{"name": ..., "id": ...}} entry; '
                    "is this a Convex snapshot export?"
                ) from None
            if type(name) is not str or type(table_number) is not int:
                raise UsageError(f"{member} line {number}: name must be a string, id an integer")
            numbers[name] = table_number
    return numbers


def open_export(path: str | Path) -> Export:
    """Read the layout of the snapshot export at ``path`` (no document is read yet).

    Raises `UsageError` for a file that is not a ZIP, a ZIP without ``_tables/documents.jsonl``,
    and an export in the old format (a ``generated_schema.jsonl`` that is not ``"uniform"``).
    """
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise UsageError(
            f"{path.as_posix()}: not a ZIP file (a Convex snapshot export is one)"
        ) from None
    with archive:
        members = {info.filename: info for info in archive.infolist() if not info.is_dir()}
        numbers: dict[str, dict[str, int]] = {}
        found: list[tuple[str, str, zipfile.ZipInfo]] = []
        for name, info in members.items():
            split = _split_member(name)
            if split is None:
                continue
            component, folder, file = split
            if folder == _TABLES and file == _DOCUMENTS:
                numbers[component] = _table_numbers(archive, name)
            elif folder == _STORAGE:
                continue
            elif file == _DOCUMENTS:
                found.append((component, folder, info))
            elif file == _GENERATED_SCHEMA:
                with archive.open(info) as stream:
                    head = stream.read(len(_UNIFORM) + 2).strip()
                if head != _UNIFORM:
                    raise UsageError(
                        f'{path.as_posix()}: {name} is not "uniform": an export in Convex\'s '
                        "older format, whose values are encoded differently; export again with "
                        "a current `npx convex export`"
                    )
    if "" not in numbers:
        raise UsageError(
            f"{path.as_posix()}: no {_TABLES}/{_DOCUMENTS}: not a Convex snapshot export"
        )
    tables = tuple(
        ExportTable(
            component, folder, info.filename, numbers.get(component, {}).get(folder), info.file_size
        )
        for component, folder, info in found
    )
    return Export(path, tables, numbers)


def read_blocks(
    path: Path | str, member: str | None = None, *, block: int = BLOCK_BYTES
) -> Iterator[tuple[int, bytes]]:
    """The lines of a ZIP ``member`` of ``path`` (or of the file ``path`` itself, ``-`` for
    stdin), in blocks of whole lines: ``(number of the block's first line, bytes)``.

    Memory stays at about two blocks whatever the file's size. A line longer than
    `MAX_LINE_BYTES` raises `UsageError` (no Convex document is that long).
    """
    import sys

    def chunks() -> Iterator[bytes]:
        if member is not None:
            with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
                while chunk := stream.read(block):
                    yield chunk
        elif str(path) == "-":
            stream = sys.stdin.buffer
            while chunk := stream.read(block):
                yield chunk
        else:
            with open(path, "rb") as stream:
                while chunk := stream.read(block):
                    yield chunk

    where = f"{path}:{member}" if member is not None else str(path)
    yield from line_blocks(chunks(), where)


def line_blocks(chunks: Iterable[bytes], where: str) -> Iterator[tuple[int, bytes]]:
    """``chunks`` of bytes regrouped into blocks of whole lines, as `read_blocks` gives them
    (``where`` names the input in the error for an overlong line)."""
    line = 1
    # The pieces of an unfinished line, joined once it ends: no copying per chunk.
    pending: list[bytes] = []
    pending_size = 0
    for chunk in chunks:
        cut = chunk.rfind(b"\n") + 1
        if not cut:
            pending.append(chunk)
            pending_size += len(chunk)
            if pending_size > MAX_LINE_BYTES:
                raise UsageError(f"{where}: line {line} is longer than {MAX_LINE_BYTES} bytes")
            continue
        whole = b"".join((*pending, chunk[:cut])) if pending else chunk[:cut]
        pending = [chunk[cut:]] if cut < len(chunk) else []
        pending_size = len(chunk) - cut
        yield line, whole
        line += whole.count(b"\n")
    if pending:
        yield line, b"".join(pending)


def _repath(issues: list[Issue], path: tuple[PathKey, ...]) -> list[Issue]:
    return [
        Issue((*path, *i.path), i.code, i.message, i.expected, i.received, i.hint) for i in issues
    ]


def _walk(value: Any, path: tuple[PathKey, ...], depth: int, issues: list[Issue]) -> Any:
    kind = type(value)
    if kind is int:
        # Convex reads an integer beyond i64 as the Float64 nearest to it.
        if _INT64_MIN <= value <= _INT64_MAX:
            return value
        try:
            return float(value)
        except OverflowError:
            issues.append(
                Issue(path, "invalid_encoding", "Number out of range of Float64", "Convex JSON")
            )
            return None
    if depth > 64:
        # Deeper than any Convex value may nest: the document check reports it as too nested.
        return value
    if kind is list:
        return [_walk(item, (*path, i), depth + 1, issues) for i, item in enumerate(value)]
    if kind is dict:
        if value and min(value).startswith("$"):
            try:
                return from_convex_json(value)
            except ValidationError as error:
                issues.extend(_repath(list(error.issues), path))
                return None
        return {key: _walk(item, (*path, key), depth + 1, issues) for key, item in value.items()}
    return value


def decode_value(line: bytes, loads: Callable[[bytes], Any], *, walk: bool = False) -> Any:
    """One line of an export's ``documents.jsonl`` as the exact Convex value it encodes.

    ``loads`` parses JSON (`orjson.loads`, or the standard library's, which refuses ``NaN``).
    The ``$`` objects are decoded when the line holds one; integers beyond the i64 range become
    Float64 only with ``walk`` (the caller's second try for a document that failed: Convex
    never writes such integers, so looking for them in every line would cost for nothing).
    Raises `ValidationError` (code ``invalid_encoding``) for a line that is not JSON or holds a
    broken ``$float``/``$bytes``/``$integer``.
    """
    try:
        value = loads(line)
    except (ValueError, RecursionError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ValidationError(
            [Issue((), "invalid_encoding", f"Invalid JSON: {reason}", "JSON")]
        ) from None
    if not walk and b'"$' not in line:
        return value
    issues: list[Issue] = []
    value = _walk(value, (), 0, issues)
    if issues:
        raise ValidationError(issues)
    return value
