"""Checking stored data against a schema: Convex snapshot exports, JSON Lines, and JSON files.

* `check_export`: every document of a ``npx convex export`` ZIP, read exactly (Int64 and Float64
  apart), IDs against the export's table numbers, optionally dangling references and
  duplicate ``_id``s;
* `validate_files`: rows (or stored documents) in JSON Lines and JSON files, read as
  ``validate_json`` reads a request body;
* `Report`: what both give (and `vschema.dask`), with ``render()`` and ``to_json()``.

Both use every core by default (the calling process and worker processes;
`vschema.data._parallel`). The commands
``vschema check-export`` and ``vschema validate`` are in `vschema.data.cli`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vschema.data._report import Dangling, Duplicate, Example, Group, Report, TableReport
    from vschema.data._run import check_export, validate_files

# Loaded on first use, so the commands' parsers (`vschema.data.cli`, imported by every
# `vschema` invocation) do not load the reader, the worker pool and the report.
_LAZY = {
    "Dangling": "vschema.data._report",
    "Duplicate": "vschema.data._report",
    "Example": "vschema.data._report",
    "Group": "vschema.data._report",
    "Report": "vschema.data._report",
    "TableReport": "vschema.data._report",
    "check_export": "vschema.data._run",
    "validate_files": "vschema.data._run",
}

__all__ = [
    "Dangling",
    "Duplicate",
    "Example",
    "Group",
    "Report",
    "TableReport",
    "check_export",
    "validate_files",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
