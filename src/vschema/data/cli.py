"""``vschema check-export`` and ``vschema validate``: stored data against a schema.

``vschema check-export SNAPSHOT.zip --schema SCHEMA [--component NAME=SCHEMA] [--references]``
checks a Convex snapshot export; ``vschema validate SCHEMA TABLE FILE... [--documents]`` checks
JSON Lines or JSON files of new rows (or stored documents). Both print a report (``--json`` for
programs), exit 0 when the data agrees with the schema, 1 when it does not, 2 when the check
cannot run; both take ``--jobs N`` (default: every core), ``--max-failures N`` and ``--top N``.

Only argparse is imported here at module level, so ``vschema --help`` stays fast.
"""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["register"]


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print the report as JSON (for programs)"
    )
    parser.add_argument(
        "--jobs",
        type=_positive,
        metavar="N",
        help="worker processes (default: every core; small inputs use one)",
    )
    parser.add_argument(
        "--max-failures", type=_positive, metavar="N", help="stop after N failing documents"
    )
    parser.add_argument(
        "--top",
        type=_positive,
        default=5,
        metavar="N",
        help="issue groups shown per table (default: 5; --json lists all)",
    )
    parser.add_argument(
        "--no-progress", action="store_true", help="no progress bar, even on a terminal"
    )


def register(commands: Any) -> None:
    """Add ``check-export`` and ``validate`` to the ``vschema`` subcommands ``commands``."""
    export = commands.add_parser(
        "check-export",
        help="check a Convex snapshot export (ZIP) against a schema",
        description="Check every document of a Convex snapshot export (npx convex export) "
        "against a schema: numbers read exactly (Int64 is not Float64), IDs against the "
        "export's table numbers, tables the schema lacks. Exit 0: all valid; 1: not; 2: error.",
    )
    export.add_argument("snapshot", metavar="SNAPSHOT.zip", help="the export's ZIP file")
    export.add_argument(
        "--schema", required=True, help="the schema: a Python file or module[:attribute]"
    )
    export.add_argument(
        "--component",
        action="append",
        default=[],
        metavar="NAME=SCHEMA",
        help="also check the tables of component NAME (a/b for one inside another) against "
        "SCHEMA; may be repeated (other components' tables are only counted)",
    )
    export.add_argument(
        "--references",
        action="store_true",
        help="also report IDs that name no document of the export, and documents sharing an "
        "_id (holds every _id in memory)",
    )
    _common(export)
    export.set_defaults(handler=_check_export)

    validate = commands.add_parser(
        "validate",
        help="check JSON Lines or JSON files of rows against a table",
        description="Check new rows (or, with --documents, stored documents) in JSON Lines "
        "(.jsonl) or JSON (.json: an array or one value) files against a table of a schema, "
        "as validate_json reads JSON. - reads stdin. Exit 0: all valid; 1: not; 2: error.",
    )
    validate.add_argument("schema", help="the schema: a Python file or module[:attribute]")
    validate.add_argument("table", help="the table the rows belong to")
    validate.add_argument("files", nargs="+", metavar="FILE", help="input files, - for stdin")
    validate.add_argument(
        "--documents",
        action="store_true",
        help="the values are stored documents (with _id and _creationTime), not new rows",
    )
    _common(validate)
    validate.set_defaults(handler=_validate)


def _print(report: Any, args: argparse.Namespace) -> int:
    from vschema._console import say

    if args.json:
        import json

        say(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        for line in report.render(top=args.top):
            say(line)
    status: int = report.exit_status()
    return status


def _progress(args: argparse.Namespace) -> bool | None:
    return False if args.no_progress else None


def _check_export(args: argparse.Namespace) -> int:
    from vschema._console import UsageError
    from vschema.codegen._load import load_schema
    from vschema.data._run import check_export

    schema = load_schema(args.schema).schema
    components = {}
    for spec in args.component:
        name, equals, target = spec.partition("=")
        if not equals or not name or not target:
            raise UsageError(
                f"--component {spec}: write NAME=SCHEMA, e.g. waitlist=waitlist/schema.py"
            )
        components[name.strip("/")] = load_schema(target).schema
    report = check_export(
        args.snapshot,
        schema,
        components=components,
        references=args.references,
        jobs=args.jobs,
        max_failures=args.max_failures,
        progress=_progress(args),
    )
    return _print(report, args)


def _validate(args: argparse.Namespace) -> int:
    from vschema.codegen._load import load_schema
    from vschema.data._run import validate_files

    schema = load_schema(args.schema).schema
    report = validate_files(
        schema,
        args.table,
        args.files,
        documents=args.documents,
        jobs=args.jobs,
        max_failures=args.max_failures,
        progress=_progress(args),
    )
    return _print(report, args)
