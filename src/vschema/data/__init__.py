"""Checking stored data against a schema: Convex snapshot exports, JSON Lines, and JSON files.

* `check_export`: every document of a ``npx convex export`` ZIP, read exactly (Int64 and Float64
  apart), IDs against the export's table numbers, optionally dangling references;
* `validate_files`: rows (or stored documents) in JSON Lines and JSON files, read as
  ``validate_json`` reads a request body;
* `Report`: what both give (and `vschema.dask`), with ``render()`` and ``to_json()``.

Both use every core by default (worker processes; `vschema.data._parallel`). The commands
``vschema check-export`` and ``vschema validate`` are in `vschema.data.cli`.
"""

from vschema.data._report import Dangling, Example, Group, Report, TableReport
from vschema.data._run import check_export, validate_files

__all__ = [
    "Dangling",
    "Example",
    "Group",
    "Report",
    "TableReport",
    "check_export",
    "validate_files",
]
