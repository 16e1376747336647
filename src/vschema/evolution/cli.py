"""``vschema diff OLD NEW``: is a schema change safe for stored documents and for writers?

Each side is a schema file (``schema.py`` or ``schema.py:attribute``), a module spec
(``app.schema:schema``) or a ``schema.export()`` JSON file (``*.json``). Prints the summary
(``--json``: the full result as JSON; ``--plan``: the widen-migrate-narrow steps for each
table whose stored data breaks). Exit status 0 when stored data stays valid in every table,
1 when some table's stored data breaks (or cannot be decided), 2 on errors; ``--writers``
also fails on a writers break.

Only argparse is imported here: the rest loads when the command runs.
"""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``diff`` subcommand to the ``vschema`` parser."""
    parser = commands.add_parser(
        "diff",
        help="compare two schemas: will stored documents and writers stay valid?",
        description=(
            "Compare two schemas in Convex's value model. For each table: stored data "
            "(every document valid under OLD is valid under NEW, or a document that breaks) "
            "and writers (every document NEW accepts is valid under OLD). Exit status 0: "
            "compatible; 1: stored data breaks; 2: error."
        ),
    )
    parser.add_argument("old", metavar="OLD", help="schema file, module spec or export JSON")
    parser.add_argument("new", metavar="NEW", help="schema file, module spec or export JSON")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--plan", action="store_true", help="print widen-migrate-narrow steps for breaks"
    )
    parser.add_argument("--writers", action="store_true", help="also exit 1 when writers break")
    parser.set_defaults(handler=_run)


def _load(spec: str) -> object:
    import json
    from pathlib import Path

    from vschema.codegen._load import SchemaLoadError, load_schema
    from vschema.validators._schema import define_schema

    if spec.endswith(".json"):
        path = Path(spec)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SchemaLoadError(f"schema file not found: {path.as_posix()}") from None
        except UnicodeDecodeError:
            raise SchemaLoadError(f"{path.as_posix()}: not UTF-8 text") from None
        except OSError as error:
            raise SchemaLoadError(f"{path.as_posix()}: cannot read: {error.strerror}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise SchemaLoadError(f"{path.as_posix()}: not JSON: {error}") from None
        if not isinstance(data, dict):
            raise SchemaLoadError(
                f'{path.as_posix()}: expected the JSON of schema.export(), an object with "tables"'
            )
        return define_schema(data)
    return load_schema(spec).schema


def _run(args: argparse.Namespace) -> int:
    import json

    from vschema._console import say
    from vschema.evolution._diff import diff
    from vschema.evolution._plan import plan
    from vschema.validators._schema import Schema

    old = _load(args.old)
    new = _load(args.new)
    assert isinstance(old, Schema)
    assert isinstance(new, Schema)
    result = diff(old, new)
    plans = plan(old, new) if args.plan else []
    if args.json:
        out = result.as_dict()
        if args.plan:
            out["plans"] = [p.as_dict() for p in plans]
        say(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        say(result.summary())
        for item in plans:
            say("")
            say(item.text())
    failed = result.breaking or (
        args.writers and any(t.writers.status != "compatible" for t in result.tables)
    )
    return 1 if failed else 0
