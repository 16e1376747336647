"""The ``vschema`` command.

``vschema codegen SCHEMA --ts-out DIR --py-out FILE [--check | --watch]`` writes the generated
TypeScript and Python files for a schema. ``--check`` regenerates in memory and exits 1 with a
unified diff when the files on disk are stale (for CI); ``--watch`` regenerates whenever the
schema file changes.
"""

from __future__ import annotations

import argparse
import difflib
import shlex
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


def _command(args: argparse.Namespace, option: str, value: str) -> str:
    """The command that regenerates one output, for its header: the same however the user
    spelled the output path (``out/``, ``./out``), quoted so it can be pasted into a shell."""
    target, _ = split_spec(args.schema)
    suffix = args.schema[len(target) :]  # ":attribute", when the user named one
    if target.endswith(".py") or Path(target).is_file():
        target = Path(target).as_posix()
    return shlex.join(["vschema", "codegen", target + suffix, option, Path(value).as_posix()])


def _outputs(source: SchemaSource, args: argparse.Namespace) -> dict[Path, str]:
    # Each generator is imported only when asked for, so `vschema --help` stays fast and one
    # generator never depends on the other being importable.
    outputs: dict[Path, str] = {}
    if args.ts_out is not None:
        from vschema.codegen import typescript

        command = _command(args, "--ts-out", args.ts_out)
        for name, text in typescript(
            source.schema, exports=source.exports, origin=source.origin, command=command
        ).items():
            outputs[Path(args.ts_out) / name] = text
    if args.py_out is not None:
        from vschema.codegen import python

        command = _command(args, "--py-out", args.py_out)
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


def _generate_once(
    args: argparse.Namespace, *, fresh: bool = False
) -> tuple[SchemaSource, dict[Path, str]]:
    source = load_schema(args.schema, fresh=fresh)
    return source, _outputs(source, args)


def _signature(path: Path | None) -> tuple[int, int] | None:
    """What tells a changed file from an unchanged one: its modification time and size."""
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def _watch(args: argparse.Namespace) -> int:
    """Generate now, then again whenever the schema file changes, until interrupted.

    Only the schema file itself is watched (modules it imports are not). A schema that fails to
    load is reported and the watch goes on: the next save is tried again. When the schema is a
    module that cannot be imported yet, there is no file to watch, so loading is retried every
    few seconds.
    """
    target = Path(split_spec(args.schema)[0])
    watched: Path | None = target if target.is_file() else None
    seen = _signature(watched)
    stale = True
    while True:
        if stale:
            try:
                source, outputs = _generate_once(args, fresh=True)
            except (SchemaLoadError, VSchemaError) as error:
                print(f"vschema: error: {error}", file=sys.stderr, flush=True)
            except Exception as error:  # a generator bug must not end the watch either
                print(f"vschema: error: {error!r}", file=sys.stderr, flush=True)
            else:
                if watched is None and source.path is not None:
                    watched = source.path
                    seen = _signature(watched)
                for path in _write(outputs):
                    print(f"vschema: wrote {path}", flush=True)
            where = watched.as_posix() if watched is not None else args.schema
            print(f"vschema: watching {where} for changes (Ctrl-C to stop)", flush=True)
        if watched is None:
            time.sleep(10 * _POLL_SECONDS)
            stale = True
            continue
        time.sleep(_POLL_SECONDS)
        signature = _signature(watched)
        stale = signature != seen
        seen = signature


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
