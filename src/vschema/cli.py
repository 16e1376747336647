"""The ``vschema`` command.

``vschema codegen SCHEMA --ts-out DIR --py-out FILE [--check | --watch]`` writes the generated
TypeScript and Python files for a schema. ``--check`` regenerates in memory and exits 1 with a
unified diff when the files on disk are stale (for CI); ``--watch`` regenerates whenever the
schema file changes.
"""

from __future__ import annotations

import argparse
import difflib
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from vschema.codegen._load import SchemaLoadError, SchemaSource, load_schema, split_spec
from vschema.validators._errors import VSchemaError

__all__ = ["main"]

_POLL_SECONDS = 0.2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vschema", description="One Python schema; TypeScript and Python types from it."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    codegen = commands.add_parser(
        "codegen",
        help="generate TypeScript and Python types from a schema",
        description="Generate TypeScript (schema.ts, types.ts) and a typed Python module.",
    )
    codegen.add_argument(
        "schema",
        help="a Python file or module, optionally with :ATTRIBUTE (default: schema), "
        "e.g. app/schema.py or app.schema:schema",
    )
    codegen.add_argument("--ts-out", metavar="DIR", help="write schema.ts and types.ts here")
    codegen.add_argument("--py-out", metavar="FILE", help="write the typed Python module here")
    mode = codegen.add_mutually_exclusive_group()
    mode.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 with a diff if the files on disk are out of date",
    )
    mode.add_argument(
        "--watch", action="store_true", help="regenerate whenever the schema file changes"
    )
    return parser


def _outputs(source: SchemaSource, args: argparse.Namespace) -> dict[Path, str]:
    # Imported here so `vschema --help` stays fast and a generator's import cost is paid once.
    from vschema.codegen import python, typescript

    outputs: dict[Path, str] = {}
    if args.ts_out is not None:
        command = f"vschema codegen {args.schema} --ts-out {args.ts_out}"
        for name, text in typescript(
            source.schema, exports=source.exports, origin=source.origin, command=command
        ).items():
            outputs[Path(args.ts_out) / name] = text
    if args.py_out is not None:
        command = f"vschema codegen {args.schema} --py-out {args.py_out}"
        outputs[Path(args.py_out)] = python(
            source.schema,
            exports=source.exports,
            origin=source.origin,
            command=command,
            schema_module=source.module,
            schema_path=source.path,
            schema_attribute=source.attribute,
            output_path=Path(args.py_out),
        )
    return outputs


def _write(outputs: dict[Path, str]) -> list[Path]:
    written = []
    for path, text in outputs.items():
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def _check(outputs: dict[Path, str]) -> int:
    stale = 0
    for path, text in outputs.items():
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        if current == text:
            continue
        stale += 1
        sys.stdout.writelines(
            difflib.unified_diff(
                current.splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"{path} (on disk)",
                tofile=f"{path} (generated)",
            )
        )
    if stale:
        print(f"vschema: {stale} generated file(s) out of date; run without --check to update")
        return 1
    print(f"vschema: {len(outputs)} generated file(s) up to date")
    return 0


def _generate_once(args: argparse.Namespace) -> tuple[SchemaSource, dict[Path, str]]:
    source = load_schema(args.schema)
    return source, _outputs(source, args)


def _watch(args: argparse.Namespace) -> int:
    target = Path(split_spec(args.schema)[0])
    watched: Path | None = target if target.is_file() else None
    seen: float | None = None
    while True:
        try:
            mtime = watched.stat().st_mtime if watched is not None else None
        except FileNotFoundError:
            mtime = None
        if watched is None or mtime != seen:
            seen = mtime
            try:
                source, outputs = _generate_once(args)
            except (SchemaLoadError, VSchemaError) as error:
                print(f"vschema: error: {error}", file=sys.stderr, flush=True)
            except Exception as error:  # a broken schema file must not end the watch
                print(f"vschema: error in schema: {error!r}", file=sys.stderr, flush=True)
            if watched is None:
                # Nothing to watch yet (a module that failed to import): retry now and then.
                time.sleep(10 * _POLL_SECONDS)
            else:
                watched = source.path or watched
                if watched is not None:
                    seen = watched.stat().st_mtime
                for path in _write(outputs):
                    print(f"vschema: wrote {path}", flush=True)
                print("vschema: watching for changes (Ctrl-C to stop)", flush=True)
        time.sleep(_POLL_SECONDS)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``vschema`` command; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.ts_out is None and args.py_out is None:
        _parser().error("codegen needs --ts-out DIR, --py-out FILE, or both")
    try:
        if args.watch:
            return _watch(args)
        _, outputs = _generate_once(args)
    except KeyboardInterrupt:
        return 0
    except (SchemaLoadError, VSchemaError) as error:
        print(f"vschema: error: {error}", file=sys.stderr)
        return 2
    if args.check:
        return _check(outputs)
    for path in _write(outputs):
        print(f"vschema: wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
