"""Building Convex snapshot exports for the data tests, in the format Convex's backend writes.

The layout and the value encoding are those `vschema.data._export` documents (and cites): a
``README.md``, ``_tables/documents.jsonl`` with ``{"name", "id"}`` per table, per table
``<table>/documents.jsonl`` and ``<table>/generated_schema.jsonl`` (``"uniform"``), component
tables under ``_components/<name>/``, every member Deflate-compressed. `export_json` writes a
value as ``ValueFormat::ConvexExportJSON`` does: an `int` (an Int64) as a bare integer, a finite
`float` always with a decimal point or an exponent, a non-finite one as ``{"$float": ...}``,
bytes as ``{"$bytes": ...}``, compactly as ``serde_json::to_vec`` does.
"""

from __future__ import annotations

import base64
import json
import math
import struct
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

README = "# Welcome to your Convex snapshot export!\n"


def _encode(value: Any) -> Any:
    if type(value) is float:
        if math.isfinite(value):
            return value  # json.dumps writes 1.0, -0.0, 1e+300: always a point or an exponent
        return {"$float": base64.b64encode(struct.pack("<d", value)).decode()}
    if type(value) is bytes:
        return {"$bytes": base64.b64encode(value).decode()}
    if type(value) is list:
        return [_encode(item) for item in value]
    if type(value) is dict:
        return {key: _encode(item) for key, item in value.items()}
    return value


def export_json(value: Any) -> str:
    """``value`` as one line of an export's ``documents.jsonl`` (without the newline)."""
    return json.dumps(_encode(value), separators=(",", ":"), ensure_ascii=False)


def write_export(
    path: Path,
    tables: Mapping[str, tuple[int, Sequence[str | Any]]],
    *,
    components: Mapping[str, Mapping[str, tuple[int, Sequence[str | Any]]]] | None = None,
    storage: bool = False,
    unlisted: Iterable[str] = (),
) -> Path:
    """Write an export ZIP to ``path``: ``tables`` maps a table name to its number and its
    documents (a `str` is written as the line itself, anything else through `export_json`).

    ``components`` adds component tables the same way; ``storage`` adds a ``_storage`` table
    and a stored file; ``unlisted`` names tables left out of ``_tables`` (a broken export).
    """
    skip = set(unlisted)

    def lines(documents: Sequence[str | Any]) -> str:
        return "".join(
            (doc if isinstance(doc, str) else export_json(doc)) + "\n" for doc in documents
        )

    def add(
        archive: zipfile.ZipFile, prefix: str, group: Mapping[str, tuple[int, Sequence[Any]]]
    ) -> None:
        listed = sorted((number, name) for name, (number, _) in group.items() if name not in skip)
        archive.writestr(
            f"{prefix}_tables/documents.jsonl",
            "".join(export_json({"name": name, "id": number}) + "\n" for number, name in listed),
        )
        for name, (_, documents) in group.items():
            archive.writestr(f"{prefix}{name}/documents.jsonl", lines(documents))
            archive.writestr(f"{prefix}{name}/generated_schema.jsonl", '"uniform"\n')

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.md", README)
        add(archive, "", tables)
        for component, group in (components or {}).items():
            add(archive, f"_components/{component}/", group)
        if storage:
            archive.writestr(
                "_storage/documents.jsonl",
                '{"_id":"kg2abc","_creationTime":1.0,"sha256":"x","size":3}\n',
            )
            archive.writestr("_storage/kg2abc.txt", "abc")
    for info in zipfile.ZipFile(path).infolist():
        assert info.compress_type == zipfile.ZIP_DEFLATED
    return path
