"""The ``vschema`` command.

``vschema codegen SCHEMA --ts-out DIR --py-out FILE --json-schema-out DIR --zod-out FILE
[--check | --watch]`` writes the generated TypeScript, Python, JSON Schema and Zod files for a
schema (any of the outputs; at least one). ``--check`` regenerates in memory and exits 1 with a
unified diff when the files on disk are stale (for CI); ``--watch`` regenerates whenever the
schema file changes. ``vschema --version`` prints ``vschema <version>``.

Each generated file's header names the schema relative to that file, and the command that
regenerates it as run from that file's folder (`_origin`, `_command`): no absolute path and no
trace of the working directory, so ``--check`` agrees wherever and however it is run.

Every failure the user can cause (a schema that does not load, an output path that cannot be
written, a path the terminal cannot show) ends the same way: one line on stderr, exit status 2.
`main` is the one place that turns those errors into that line (`_failure_text`), for every
subcommand; everything a command prints goes through `vschema._console.say`, which never fails on
a character the stream cannot encode. The other subcommands live beside what they run and are
added by `_COMMAND_MODULES`.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import keyword
import os
import shlex
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from vschema._console import FAILURES as _FAILURES
from vschema._console import UsageError
from vschema._console import say as _say
from vschema._version import __version__
from vschema.codegen._load import SchemaSource, load_schema, split_spec

__all__ = ["main"]

_POLL_SECONDS = 0.2

#: The modules that add the other subcommands: each has ``register(commands)``, which adds its
#: parser with ``set_defaults(handler=...)``; a handler takes the parsed arguments and returns
#: the exit status. They import only argparse at module level, so ``vschema --help`` stays fast.
_COMMAND_MODULES: tuple[str, ...] = ("vschema.data.cli", "vschema.evolution.cli")


def _failure_text(error: BaseException) -> str:
    """``error`` as the one line the user sees (without the ``vschema: error:`` prefix)."""
    if isinstance(error, OSError):
        reason = error.strerror or type(error).__name__
        if error.filename is not None:
            return f"{reason}: {Path(os.fsdecode(error.filename)).as_posix()}"
        return reason
    if isinstance(error, UnicodeError):
        return f"cannot encode or decode a text: {error}"
    return str(error).replace("\n", " ")


def _report(error: BaseException) -> None:
    _say(f"vschema: error: {_failure_text(error)}", sys.stderr)


def _check_outputs(args: argparse.Namespace) -> None:
    """Refuse output paths that cannot work, before anything is generated or written."""
    for option, value in (("--ts-out", args.ts_out), ("--json-schema-out", args.json_schema_out)):
        if value is not None and Path(value).exists() and not Path(value).is_dir():
            raise UsageError(
                f"{option} {Path(value).as_posix()}: is a file; {option} names a folder"
            )
    if args.zod_out is not None:
        zod_out = Path(args.zod_out)
        if zod_out.is_dir():
            raise UsageError(
                f"--zod-out {zod_out.as_posix()}: is a folder; --zod-out names a .ts file"
            )
        if zod_out.suffix != ".ts":
            raise UsageError(f"--zod-out {zod_out.as_posix()}: the Zod module must be a .ts file")
    if args.py_import_schema and args.py_out is None:
        raise UsageError("--py-import-schema needs --py-out")
    if args.py_out is not None:
        py_out = Path(args.py_out)
        shown = py_out.as_posix()
        if py_out.is_dir():
            raise UsageError(f"--py-out {shown}: is a folder; --py-out names a .py file")
        if py_out.suffix != ".py":
            raise UsageError(f"--py-out {shown}: the typed module must be a .py file")
        if not py_out.stem.isidentifier() or keyword.iskeyword(py_out.stem):
            raise UsageError(
                f"--py-out {shown}: {py_out.stem!r} cannot be imported; a module name is letters, "
                "digits and _, not starting with a digit, and not a keyword"
            )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vschema",
        description="One Python schema for a web app's data: generate code from it, check "
        "schema changes and stored data against it.",
    )
    parser.add_argument("--version", action="version", version=f"vschema {__version__}")
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
    codegen.add_argument(
        "--json-schema-out",
        metavar="DIR",
        help="write a JSON Schema (draft 2020-12) per table, for new rows and documents, here",
    )
    codegen.add_argument(
        "--json-schema-encoding",
        choices=("plain", "convex"),
        default="plain",
        help="how --json-schema-out spells Int64, bytes and NaN/inf: plain JSON (a bounded "
        "integer, a base64 string, no NaN) or Convex JSON ($integer, $bytes, $float); "
        "default: plain",
    )
    codegen.add_argument(
        "--zod-out", metavar="FILE", help="write Zod 4 schemas for every table to this .ts file"
    )
    codegen.add_argument(
        "--py-import-schema",
        action="store_true",
        help="make the typed module import the schema by its module name (SCHEMA must be a "
        "module) instead of defining it itself",
    )
    mode = codegen.add_mutually_exclusive_group()
    mode.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 with a diff if the files on disk are out of date",
    )
    mode.add_argument(
        "--watch", action="store_true", help="regenerate whenever the schema file changes"
    )
    codegen.set_defaults(handler=_run)
    for module in _COMMAND_MODULES:
        importlib.import_module(module).register(commands)
    return parser


def _relative(path: Path, folder: Path) -> str:
    """``path`` relative to ``folder``, both resolved (so ``./out``, ``out/``, an absolute path
    and a path through a symlink are the same), in ``/`` form; absolute only where no relative
    path exists (another drive, on Windows)."""
    try:
        return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def _anchor(source: SchemaSource) -> Path | None:
    """The folder the regenerating command runs in: a schema file's own folder, or the folder a
    schema module is imported from (``app.schema`` in ``/x/app/schema.py``: ``/x``)."""
    if source.path is None:
        return None
    path = source.path.resolve()
    if source.module is None:
        return path.parent
    depth = len(source.module.split(".")) + (path.name == "__init__.py")
    return path.parents[depth - 1] if depth <= len(path.parents) else None


def _spec(source: SchemaSource, anchor: Path | None) -> str:
    """The schema as the regenerating command names it, relative to ``anchor``; the attribute
    only when it is not the default ``schema``."""
    if source.module is None and source.path is not None and anchor is not None:
        target = _relative(source.path, anchor)
    else:
        target = source.module or source.origin
    return target if source.attribute == "schema" else f"{target}:{source.attribute}"


def _origin(source: SchemaSource, folder: Path) -> str:
    """The ``Schema:`` header line of a file generated into ``folder``: the schema file relative
    to it (the same from wherever the command ran), or the module's name."""
    if source.module is None and source.path is not None:
        where = _relative(source.path, folder)
    else:
        where = source.module or source.origin
    return where if source.attribute == "schema" else f"{where}:{source.attribute}"


def _command(source: SchemaSource, option: str, value: str, folder: Path, *flags: str) -> str:
    """The ``Command:`` header line of a file generated into ``folder``, for the output
    ``option value``: the command that regenerates it, run from ``folder`` (a ``cd`` to the
    schema's folder first when that is elsewhere), quoted so it can be pasted into a shell.

    Every path in it is relative and resolved, so the same schema and outputs give the same
    line from any working directory and however the paths were spelled."""
    anchor = _anchor(source)
    output = _relative(Path(value), anchor) if anchor is not None else Path(value).as_posix()
    command = shlex.join(["vschema", "codegen", _spec(source, anchor), option, output, *flags])
    if anchor is None:
        return command
    place = _relative(anchor, folder)
    return command if place == "." else f"cd {shlex.quote(place)} && {command}"


def _outputs(source: SchemaSource, args: argparse.Namespace) -> dict[Path, str]:
    # Each generator is imported only when asked for, so `vschema --help` stays fast and one
    # generator never depends on the other being importable.
    outputs: dict[Path, str] = {}
    if args.ts_out is not None:
        from vschema.codegen import typescript

        folder = Path(args.ts_out)
        command = _command(source, "--ts-out", args.ts_out, folder)
        origin = _origin(source, folder)
        for name, text in typescript(
            source.schema, exports=source.exports, origin=origin, command=command
        ).items():
            outputs[Path(args.ts_out) / name] = text
    if args.py_out is not None:
        from vschema.codegen import python

        if args.py_import_schema and source.module is None:
            raise UsageError(
                "--py-import-schema imports the schema by module name: name SCHEMA as a module "
                "(app.schema), not a file"
            )
        folder = Path(args.py_out).parent
        py_flags = ("--py-import-schema",) if args.py_import_schema else ()
        command = _command(source, "--py-out", args.py_out, folder, *py_flags)
        outputs[Path(args.py_out)] = python(
            source.schema,
            exports=source.exports,
            origin=_origin(source, folder),
            command=command,
            schema_module=source.module,
            schema_attribute=source.attribute,
            import_schema=args.py_import_schema,
        )
    if args.json_schema_out is not None:
        from vschema.codegen import json_schema_files

        folder = Path(args.json_schema_out)
        encoding = args.json_schema_encoding
        json_flags = () if encoding == "plain" else ("--json-schema-encoding", encoding)
        command = _command(source, "--json-schema-out", args.json_schema_out, folder, *json_flags)
        for name, text in json_schema_files(
            source.schema,
            exports=source.exports,
            origin=_origin(source, folder),
            command=command,
            encoding=encoding,
        ).items():
            outputs[folder / name] = text
    if args.zod_out is not None:
        from vschema.codegen import zod

        folder = Path(args.zod_out).parent
        command = _command(source, "--zod-out", args.zod_out, folder)
        outputs[Path(args.zod_out)] = zod(
            source.schema, exports=source.exports, origin=_origin(source, folder), command=command
        )
    return outputs


def _on_disk(path: Path) -> bytes | None:
    """The bytes of ``path``, or ``None`` when there is no such file."""
    return path.read_bytes() if path.is_file() else None


def _write(outputs: dict[Path, str]) -> list[Path]:
    written = []
    for path, text in outputs.items():
        data = text.encode("utf-8")
        try:
            if _on_disk(path) == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as error:
            raise UsageError(f"cannot write {path.as_posix()}: {_failure_text(error)}") from error
        written.append(path)
    return written


def _check(outputs: dict[Path, str]) -> int:
    stale = 0
    for path, text in outputs.items():
        data = _on_disk(path)
        if data == text.encode("utf-8"):
            continue
        stale += 1
        current = "" if data is None else data.decode("utf-8", "replace")
        diff = difflib.unified_diff(
            current.splitlines(keepends=True),
            text.splitlines(keepends=True),
            fromfile=f"{path.as_posix()} (on disk)",
            tofile=f"{path.as_posix()} (generated)",
        )
        for line in diff:
            _say(line.rstrip("\n"))
    if stale:
        _say(f"vschema: {stale} generated file(s) out of date; run without --check to update")
        return 1
    _say(f"vschema: {len(outputs)} generated file(s) up to date")
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
                if watched is None and source.path is not None:
                    watched = source.path
                    seen = _signature(watched)
                for path in _write(outputs):
                    _say(f"vschema: wrote {path.as_posix()}")
            except _FAILURES as error:
                _report(error)
            except Exception as error:  # a generator bug must not end the watch either
                _say(f"vschema: error: {error!r}", sys.stderr)
            where = watched.as_posix() if watched is not None else args.schema
            _say(f"vschema: watching {where} for changes (Ctrl-C to stop)")
        if watched is None:
            time.sleep(10 * _POLL_SECONDS)
            stale = True
            continue
        time.sleep(_POLL_SECONDS)
        signature = _signature(watched)
        stale = signature != seen
        seen = signature


_OUTPUT_OPTIONS = ("ts_out", "py_out", "json_schema_out", "zod_out")


def _run(args: argparse.Namespace) -> int:
    """``vschema codegen``."""
    _check_outputs(args)
    if args.watch:
        return _watch(args)
    _, outputs = _generate_once(args)
    if args.check:
        return _check(outputs)
    for path in _write(outputs):
        _say(f"vschema: wrote {path.as_posix()}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``vschema`` command; returns the exit status (2 for any error, said in one line)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "codegen" and all(getattr(args, o) is None for o in _OUTPUT_OPTIONS):
        parser.error(
            "codegen needs at least one of --ts-out DIR, --py-out FILE, --json-schema-out DIR, "
            "--zod-out FILE"
        )
    try:
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except KeyboardInterrupt:
        return 0
    except _FAILURES as error:
        _report(error)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
