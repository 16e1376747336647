"""Finding the user's schema: a Python file or ``module:attribute``, and its named validators."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import traceback
import uuid
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

import attrs

from vschema.validators._nodes import Validator
from vschema.validators._schema import Schema

__all__ = ["SchemaLoadError", "SchemaSource", "load_schema", "named_validators", "split_spec"]


class SchemaLoadError(Exception):
    """The schema could not be found or is not a vschema `Schema`; the message says why."""


@attrs.frozen
class SchemaSource:
    """A loaded schema with what the generators need besides the tables.

    ``exports`` are the validators the schema module binds to public top-level names (in
    definition order), which become named types; ``origin`` is the schema's name as the user
    gave it (the command writes headers relative to each generated file instead, see
    `vschema.cli`); ``path`` is the file to watch for changes;
    ``module`` is the importable module name when the schema was named as one; ``attribute`` is
    the name the schema is bound to in its module.
    """

    schema: Schema
    exports: Mapping[str, Validator]
    origin: str
    path: Path | None
    module: str | None
    attribute: str


def named_validators(module: ModuleType) -> dict[str, Validator]:
    """The validators bound to public top-level names of ``module``, in definition order."""
    return {
        name: value
        for name, value in vars(module).items()
        if isinstance(value, Validator) and not name.startswith("_")
    }


def split_spec(spec: str) -> tuple[str, str]:
    """``path_or_module[:attribute]`` as ``(path_or_module, attribute)``."""
    target, colon, attribute = spec.rpartition(":")
    if colon and attribute.isidentifier():
        return target, attribute
    return spec, "schema"


def load_schema(spec: str, *, fresh: bool = False) -> SchemaSource:
    """Load ``path/to/schema.py[:attr]`` or ``package.module[:attr]``.

    ``attr`` defaults to ``schema``, as Convex's ``export default`` does. A file is run anew at
    every call; a module is imported once, unless ``fresh`` asks to run it again (``--watch``
    needs the edited module, not the one Python cached).
    """
    target, attribute = split_spec(spec)
    path: Path | None = Path(target)
    if target.endswith(".py") or "/" in target or os.sep in target or Path(target).is_file():
        if not Path(target).is_file():
            raise SchemaLoadError(f"schema file not found: {target}")
        module = _import_file(Path(target))
        module_name = None
    else:
        module = _import_module(target, fresh=fresh)
        module_name = target
        path = Path(module.__file__) if module.__file__ else None
    try:
        schema = getattr(module, attribute)
    except AttributeError:
        raise SchemaLoadError(
            f"{target} has no attribute {attribute!r}; name the schema as {target}:NAME"
        ) from None
    if not isinstance(schema, Schema):
        raise SchemaLoadError(
            f"{target}:{attribute} is not a schema made by define_schema() "
            f"(it is of type {type(schema).__name__})"
        )
    origin = path.as_posix() if module_name is None and path is not None else target
    return SchemaSource(schema, named_validators(module), origin, path, module_name, attribute)


def _import_file(path: Path) -> ModuleType:
    # A fresh module object each time, so `--watch` sees edits; the file's folder is importable
    # while it runs, as it would be for `python schema.py`.
    name = f"_vschema_schema_{uuid.uuid4().hex}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SchemaLoadError(f"cannot load {path} as a Python module")
    module = importlib.util.module_from_spec(spec)
    folder = str(path.resolve().parent)
    sys.path.insert(0, folder)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # whatever the user's file raises, say where, without a traceback
        raise SchemaLoadError(_failure(error)) from error
    finally:
        sys.path.remove(folder)
        sys.modules.pop(name, None)
    return module


def _import_module(target: str, *, fresh: bool) -> ModuleType:
    # The current folder is importable, as for `python -m` (the `vschema` script's own folder is
    # what Python puts first on the path, which holds no user code).
    here = os.getcwd()
    added = here not in sys.path
    if added:
        sys.path.insert(0, here)
    try:
        if fresh and target in sys.modules:
            return importlib.reload(sys.modules[target])
        return importlib.import_module(target)
    except ModuleNotFoundError as error:
        missing = error.name or ""
        if target == missing or target.startswith(missing + "."):
            raise SchemaLoadError(
                f"cannot import schema module {target!r}: {error} "
                "(name a file, like path/to/schema.py, or a module importable from here)"
            ) from error
        raise SchemaLoadError(_failure(error)) from error
    except Exception as error:
        raise SchemaLoadError(_failure(error)) from error
    finally:
        if added:
            sys.path.remove(here)


_PACKAGE = Path(__file__).resolve().parent.parent


def _failure(error: BaseException) -> str:
    """``error``, raised while a schema module ran, as one line that says where in user code.

    The place is the innermost frame outside vschema (the user's line that called a builder),
    or, for a `SyntaxError`, the place the parser names.
    """
    where: tuple[str, int | None] | None = None
    if isinstance(error, SyntaxError) and error.filename:
        where = (error.filename, error.lineno)
    else:
        for frame in traceback.extract_tb(error.__traceback__):
            if frame.filename.startswith("<") or _PACKAGE in Path(frame.filename).resolve().parents:
                continue
            where = (frame.filename, frame.lineno)
    place = "" if where is None else f"{where[0]}, line {where[1]}: "
    message = error.msg if isinstance(error, SyntaxError) else str(error)
    return f"{place}{type(error).__name__}: {message}"
