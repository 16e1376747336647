"""FastAPI and pydantic validate with vschema: `Validated`, and `install` for safe 422 bodies.

A pydantic model or a FastAPI body typed with a plain ``TypedDict`` is checked by pydantic's
rules, not Convex's: pydantic turns ``"12"`` into ``12.0`` for a number, ``True`` into ``1.0``,
drops unknown fields, and takes any string as an ID. `Validated` puts vschema in charge instead::

    from typing import Annotated
    from vschema.pydantic import Validated, install

    @app.post("/inquiries")
    def create(inquiry: Annotated[Inquiry, Validated(schema, "inquiries")]) -> ...: ...

    install(app)  # 422 bodies without the echoed input, and safe for any text

`Validated` implements ``__get_pydantic_core_schema__`` as one *plain* validator: pydantic runs
no coercion and no check of its own; the value is checked by vschema's compiled check and, when
valid, returned unchanged (the same object). When invalid, pydantic gets one error per vschema
issue: ``type`` ``"vschema.<code>"`` (``vschema.no_match``), ``loc`` the issue's path, ``msg``
its summary, and ``ctx`` exactly the issue's safe form (`vschema.Issue.as_dict`: path, code,
summary, expected, received). FastAPI puts ``("body",)`` before the ``loc`` and answers 422.
``__get_pydantic_json_schema__`` gives the JSON Schema of `vschema.codegen.json_schema`, so
``/openapi.json`` documents vschema's rules, not the ``TypedDict``'s.

JSON has no bytes: a body holding Int64 as ``{"$integer": ...}``, bytes or special floats, as
Convex sends them, needs ``Validated(..., encoding="convex")``, which decodes Convex JSON
before the check and encodes it again when pydantic writes JSON.

FastAPI's own 422 handler echoes each error's ``input`` (the value the client sent) and cannot
encode a lone surrogate in it (the response fails with 500; for pydantic's own errors too).
`install` replaces that handler with `validation_error_handler`: the same ``{"detail": [...]}``
body with ``type``, ``loc``, ``msg`` and ``ctx`` of each error, without ``input``, written as
ASCII JSON.

This module imports pydantic (the ``vschema[pydantic]`` extra) and FastAPI only when a schema is
built or a handler installed, so a module that merely mentions `Validated` (the generated
``schema_types.py`` does) imports without them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, cast

from vschema._source import json_def_ref
from vschema.validators._errors import Issue, SchemaError, ValidationError
from vschema.validators._nodes import Validator
from vschema.validators._schema import Schema

if TYPE_CHECKING:
    from fastapi import FastAPI
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["ERROR_TYPE_PREFIX", "Encoding", "Validated", "install", "validation_error_handler"]

#: How a value arrives: as it is (``"plain"``) or as Convex JSON (``"convex"``).
Encoding = Literal["plain", "convex"]

#: The prefix of the pydantic error ``type`` of every vschema issue: ``vschema.no_match``.
ERROR_TYPE_PREFIX = "vschema."


class Validated:
    """Annotated metadata that makes pydantic (and so FastAPI) check a value with vschema.

    * ``Validated(schema, "inquiries")``: a new row of the table, as `Schema.validate` checks it
      (no system fields, Convex's size and nesting limits);
    * ``Validated(schema, "inquiries", document=True)``: a stored document, as
      `Schema.validate_document` checks it (``_id`` and ``_creationTime`` required);
    * ``Validated(validator)``: any value, as ``validator.validate`` checks it.

    ``encoding`` is how the value arrives, as in `vschema.codegen.json_schema`. ``"plain"``
    (the default): as it is, in vschema's Python spelling, which is also what ``json.loads``
    makes of a plain JSON body (an Int64 is a JSON integer); the value is returned unchanged.
    JSON has no bytes, so a plain JSON body can never satisfy ``v.bytes()``: for that (and for
    Int64 and special floats as Convex sends them) use ``"convex"``: the value is Convex JSON
    (``{"$integer": ...}``, ``{"$bytes": ...}``), decoded with `vschema.from_convex_json` (a
    malformed one is an ``invalid_encoding`` issue) and checked; the decoded value is returned,
    and written back as Convex JSON (`vschema.to_convex_json`) when pydantic serializes to JSON.
    A value that is valid as it is (a handler's return value, checked before FastAPI serializes
    it) is taken unchanged without decoding; so a JSON integer where an Int64 belongs, which
    Convex JSON reads as a Float64, passes too (the plain encoding's spelling).

    Use it as ``Annotated[T, Validated(...)]``; ``T`` is only for type checkers (pydantic never
    builds a schema for it). The arguments are checked here, when the annotation is written: an
    unknown table raises `vschema.SchemaError`.
    """

    __slots__ = ("_document", "_encoding", "_source", "_table")

    _source: Schema | Validator
    _table: str | None
    _document: bool
    _encoding: Encoding

    def __init__(
        self,
        source: Schema | Validator,
        table: str | None = None,
        *,
        document: bool = False,
        encoding: Encoding = "plain",
    ) -> None:
        if isinstance(source, Schema):
            if table is None:
                raise SchemaError(
                    "Validated(schema, table): name the table, e.g. "
                    f'Validated(schema, "{next(iter(source), "inquiries")}")'
                )
            source.id(table)  # a SchemaError naming the tables when there is no such table
        elif isinstance(source, Validator):
            if table is not None or document:
                raise SchemaError(
                    "Validated(validator) takes no table and no document=: those are for "
                    "Validated(schema, table)"
                )
        else:
            raise SchemaError(
                "Validated(...) takes a vschema Schema and a table name, or a validator "
                f"(v.object(...)); got {type(source).__name__}"
            )
        if not isinstance(document, bool):
            raise SchemaError(f"Validated(document=...) must be a bool, got {document!r}")
        if encoding not in ("plain", "convex"):
            raise SchemaError(
                f"Validated(encoding=...) must be 'plain' or 'convex', got {encoding!r:.80}"
            )
        object.__setattr__(self, "_encoding", encoding)
        object.__setattr__(self, "_source", source)
        object.__setattr__(self, "_table", table)
        object.__setattr__(self, "_document", document)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Validated is immutable; cannot set {name}")

    def __repr__(self) -> str:
        options = ", document=True" if self._document else ""
        if self._encoding != "plain":
            options += f", encoding={self._encoding!r}"
        if self._table is None:
            return f"Validated({self._source!r}{options})"
        return f"Validated(<schema>, {self._table!r}{options})"

    def _key(self) -> tuple[object, ...]:
        return (self._source, self._table, self._document, self._encoding)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Validated):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((Validated, self._table, self._document, self._encoding))

    # -- the check -------------------------------------------------------------------------

    def _checks(self) -> tuple[Callable[[object], bool], Callable[[object], list[Issue]]]:
        """The yes/no fast path and the issue list, for the target this annotation names."""
        source, table = self._source, self._table
        if isinstance(source, Validator):
            return source.is_valid, source.errors
        assert table is not None  # __init__ refuses a schema without a table
        if not self._document:
            return (lambda value: source.is_valid(table, value)), (
                lambda value: source.errors(table, value)
            )

        def document_errors(value: object) -> list[Issue]:
            try:
                source.validate_document(table, value)
            except ValidationError as error:
                return list(error.issues)
            return []

        return (lambda value: source.is_valid_document(table, value)), document_errors

    def _title(self) -> str:
        if self._table is None:
            return "vschema validator"
        return f"{self._table} document" if self._document else f"{self._table} row"

    def validator_function(self) -> Callable[[object], object]:
        """The function pydantic calls: the value unchanged if valid, else a pydantic
        ``ValidationError`` with one error per vschema issue (see the module's docs)."""
        is_valid, errors = self._checks()
        title = self._title()

        def validate(value: object) -> object:
            if is_valid(value):
                return value
            issues = errors(value)
            if not issues:  # the fast path and the explainer disagree: a vschema bug
                raise AssertionError(f"vschema: is_valid said no but found no issue ({title})")
            raise _pydantic_error(title, issues, value)

        if self._encoding == "plain":
            return validate

        from vschema.validators._convex_json import from_convex_json

        def decode_and_validate(value: object) -> object:
            if is_valid(value):
                # Already a valid value (what a handler returns for a response model to
                # serialize as Convex JSON): taken as it is.
                return value
            try:
                decoded = from_convex_json(value)
            except ValidationError as error:
                raise _pydantic_error(title, list(error.issues), value) from None
            return validate(decoded)

        return decode_and_validate

    def _validator(self) -> Validator:
        """The validator a valid value matches (to encode it as Convex JSON)."""
        source, table = self._source, self._table
        if isinstance(source, Validator):
            return source
        assert table is not None
        return source.document(table) if self._document else source.tables[table].validator

    # -- pydantic's hooks --------------------------------------------------------------------

    def __get_pydantic_core_schema__(
        self, source_type: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        """One plain validator: no schema for ``source_type`` (the ``TypedDict``), so pydantic
        neither coerces nor checks anything itself."""
        from pydantic_core import core_schema

        if self._encoding == "plain":
            return core_schema.no_info_plain_validator_function(self.validator_function())
        from vschema.validators._convex_json import to_convex_json

        validator = self._validator()
        return core_schema.no_info_plain_validator_function(
            self.validator_function(),
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda value: to_convex_json(value, validator), when_used="json"
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The JSON Schema of `vschema.codegen.json_schema` for the target, in its encoding."""
        return _json_schema(self, handler)


def _json_schema(validated: Validated, handler: GetJsonSchemaHandler) -> dict[str, Any]:
    """The emitted JSON Schema of ``validated``'s target, made to sit inside another document.

    The emitter's ``$defs`` (``ConvexValue`` for ``v.any()``, ``SharedN``) are referred to as
    ``#/$defs/<name>``, which inside ``/openapi.json`` would point at its root: they become
    definitions of pydantic's own generator instead (OpenAPI's ``components/schemas``), under
    pydantic's naming and de-duplication, and the references are rewritten to match.
    """
    from vschema.codegen._json_schema import json_schema

    source, table = validated._source, validated._table
    encoding = validated._encoding
    if isinstance(source, Schema):
        emitted = json_schema(source, table, document=validated._document, encoding=encoding)
    else:
        emitted = json_schema(source, encoding=encoding)
    emitted.pop("$schema", None)  # a keyword of a document's root, not of a part of one
    defs: dict[str, Any] = emitted.pop("$defs", {})
    if not defs:
        return emitted
    generator = getattr(handler, "generate_json_schema", None)
    if generator is None:  # pydantic 2's handler always has it; say so if one day it does not
        raise SchemaError(
            "vschema.pydantic: this pydantic version gives no JSON Schema generator to add "
            f"definitions to ({', '.join(defs)}); report it with your pydantic version"
        )
    from pydantic.json_schema import CoreRef

    # Definitions refer to each other by name, so a set of them means the same wherever it is
    # the same set: one reference per name and set (pydantic caches them), so every target
    # with only `ConvexValue` shares one, and another target's "Shared1" is another.
    digest = hashlib.sha256(json.dumps(defs, sort_keys=True).encode()).hexdigest()
    refs: dict[str, str] = {}
    keys: dict[str, Any] = {}
    for name in defs:
        keys[name], reference = generator.get_cache_defs_ref_schema(
            CoreRef(f"vschema.{name}:{digest[:16]}")
        )
        refs[json_def_ref(name)] = reference["$ref"]
    for name, definition in defs.items():
        generator.definitions[keys[name]] = _with_refs(definition, refs)
    result: dict[str, Any] = _with_refs(emitted, refs)
    return result


def _with_refs(schema: Any, refs: dict[str, str]) -> Any:
    """``schema`` with each ``"$ref"`` in ``refs`` replaced (a copy; one pass over it)."""
    if isinstance(schema, dict):
        return {
            key: refs.get(value, value)
            if key == "$ref" and isinstance(value, str)
            else _with_refs(value, refs)
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_with_refs(item, refs) for item in schema]
    return schema


def _value_at(value: object, path: tuple[str | int, ...]) -> object:
    """The part of ``value`` at ``path``, as pydantic's ``input``: as far as the path leads
    (a missing field's issue gets the object it is missing from, as pydantic does)."""
    for key in path:
        in_dict = type(value) is dict and isinstance(key, str) and key in value
        in_list = type(value) is list and isinstance(key, int) and 0 <= key < len(value)
        if not (in_dict or in_list):
            break
        value = value[key]  # type: ignore[index]
    return value


def _pydantic_error(title: str, issues: list[Issue], value: object) -> Exception:
    """A pydantic ``ValidationError`` holding one error per issue (see the module's docs)."""
    from pydantic_core import PydanticCustomError
    from pydantic_core import ValidationError as PydanticValidationError

    line_errors: list[Any] = []
    for issue in issues:
        safe = issue.as_dict()
        # pydantic fills "{name}" in the template from ctx, key by key in order: the template
        # is only "{summary}" and the summary comes last, so no text of the issue (a field
        # named "{code}") is ever filled in again.
        context = {key: safe[key] for key in ("path", "code", "expected", "received")}
        context["summary"] = safe["summary"]
        error = PydanticCustomError(ERROR_TYPE_PREFIX + issue.code, "{summary}", context)
        # The safe path: pydantic's loc is UTF-8 text, which a lone surrogate is not.
        loc = tuple(cast("list[str | int]", safe["path"]))
        line_errors.append({"type": error, "loc": loc, "input": _value_at(value, issue.path)})
    return PydanticValidationError.from_exception_data(title, line_errors)


# -- FastAPI -------------------------------------------------------------------------------


def _safe_error(error: dict[str, Any]) -> dict[str, Any]:
    return {key: error[key] for key in ("type", "loc", "msg", "ctx") if key in error}


async def validation_error_handler(request: Request, exc: Exception) -> Response:
    """FastAPI's 422 for a `RequestValidationError`, without the echoed ``input``.

    The body is FastAPI's ``{"detail": [...]}``; each error keeps ``type``, ``loc``, ``msg`` and
    ``ctx`` (for vschema's issues, `vschema.Issue.as_dict`), written as ASCII JSON, so no text
    the client sent is repeated and none (a lone surrogate) can fail to encode.
    """
    from fastapi.encoders import jsonable_encoder
    from fastapi.exceptions import RequestValidationError
    from starlette.responses import Response

    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    detail = jsonable_encoder([_safe_error(error) for error in errors])
    body = json.dumps({"detail": detail}, ensure_ascii=True, separators=(",", ":"))
    return Response(body, status_code=422, media_type="application/json")


def install(app: FastAPI) -> None:
    """Answer every request validation error of ``app`` with `validation_error_handler`."""
    from fastapi.exceptions import RequestValidationError

    app.add_exception_handler(RequestValidationError, validation_error_handler)
