"""Table strategies: `for_table`, `for_patch`, `invalid_for_table` and `rows_breaking`."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from vschema.strategies._accepts import _pad
from vschema.strategies._arguments import FieldPath, _Arguments
from vschema.strategies._budget import _HEAD_LENGTH, _budgeted, _cut, _dicts, _named
from vschema.strategies._common import ExpectedIssue, Path, _Flaw
from vschema.strategies._scalars import (
    _ALL_CLASSES,
    _BAD_FIELD_NAMES,
    _CONVEX_CLASSES,
    _FIELD_NAMES,
    _INT64_OVERFLOW,
    _PRINTABLE,
    _SURROGATE_STRINGS,
    _UNSUPPORTED,
    _at_root,
    _wrong_types,
)
from vschema.strategies._values import _check_codes, _one_flaw
from vschema.strategies._walk import (
    _DOCUMENTS,
    _VALUES,
    _at_document,
    _big_value,
    _root_of,
    _unreserved,
    _walk_for,
    _with_bad_entry,
    _with_bad_key,
)
from vschema.validators._builder import v
from vschema.validators._display import short_repr
from vschema.validators._documents import (
    SYSTEM_FIELDS,
    document_validator,
    system_fields,
    without_system_fields,
)
from vschema.validators._errors import IssueCode
from vschema.validators._nodes import Validator, VAny, VObject, VUnion
from vschema.validators._schema import Schema
from vschema.validators._values import MAX_ARRAY_LENGTH, MAX_DOCUMENT_NESTING

_OWN_FIELD_NAMES: SearchStrategy[str] = _FIELD_NAMES.map(_unreserved)
_RESERVED_KEYS: SearchStrategy[str] = st.text(_PRINTABLE, max_size=8).map(lambda t: "_" + t)
_SYSTEM_FIELD_CODES = frozenset({"missing_field", "no_match", "invalid_id", "out_of_range"})


def _merged(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    return {**first, **second}


def _beside(bad: tuple[Any, Path], valid: dict[str, Any]) -> tuple[Any, Path]:
    return {**valid, **bad[0]}, bad[1]


def _with_reserved(
    allowed: tuple[str, ...],
) -> Callable[[dict[str, Any], str, Any], tuple[Any, Path]]:
    def build(base: dict[str, Any], key: str, value: Any) -> tuple[Any, Path]:
        while key in allowed:
            key += "_"
        return {**base, key: value}, (key,)

    return build


class _Table:
    """Valid and one-flaw rows (or stored documents) of one table, as `Schema.validate`
    (`Schema.validate_document`) sees them: reserved ``_`` fields first, then the validator
    (whose own ``_`` fields the backend drops), then the 16-level and 1 MiB document limits."""

    def __init__(
        self,
        where: str,
        schema: object,
        table: object,
        document: object,
        member: int | None = None,
        *,
        patch: bool = False,
    ) -> None:
        if not isinstance(schema, Schema):
            raise InvalidArgument(
                f"{where} expects a schema built with vschema.define_schema, "
                f"got {type(schema).__name__} {schema!r:.80}"
            )
        if not isinstance(table, str):
            raise InvalidArgument(f"{where}: the table name must be a str, got {table!r:.80}")
        if not isinstance(document, bool):
            raise InvalidArgument(f"{where}: document must be True or False, got {document!r:.80}")
        if table not in schema.tables:
            raise InvalidArgument(
                f"{where}: table {table!r} is not in this schema. "
                f"Tables in this schema: {', '.join(schema.tables)}"
            )
        row = without_system_fields(schema.tables[table].validator)
        if member is not None:  # one object (or `v.any()`) of a union table, as codegen counts
            row = _flat_members(row)[member]
        if patch:
            if isinstance(row, VUnion):
                raise InvalidArgument(
                    f"{where}: table {table!r} is a union of objects, and which fields a patch "
                    "may set depends on the member the row is: draw whole rows with for_table"
                )
            if isinstance(row, VObject):
                row = row.partial()
        self.where = where
        self.name = where.removesuffix("()")
        self.table = table
        self.document = document
        self.open = isinstance(row, VAny)
        self.system = v.object(system_fields(table))
        self.top = document_validator(table, row) if document and not self.open else row
        self.walk = _DOCUMENTS.trimmed()
        self.arguments = _Arguments(where)

    def configure(self, arguments: _Arguments) -> None:
        """Use ``arguments``: their paths are checked against the table's validator here."""
        self.arguments = arguments
        self.top = arguments.paths.apply(self.top)
        self.walk = _walk_for(arguments.options, document=True)

    def args(self) -> Callable[[], str]:
        text = self.arguments.text()
        table_args = _table_args(self.table, self.document)
        return lambda: table_args() + text

    def valid(self) -> SearchStrategy[Any] | None:
        if not self.open:
            return self.walk.valid(self.top, 0)
        own = self.own_fields()
        if not self.document:
            return own
        system = self.walk.valid(self.system, 0)
        assert system is not None
        return st.builds(_merged, own, system)

    def rows(self) -> SearchStrategy[Any]:
        """`valid`, budgeted; a table no row fits raises `InvalidArgument` saying why (an
        empty strategy would surface only as ``Unsatisfiable``, at the first test run)."""
        valid = self.valid()
        if valid is not None:
            encoded = self.arguments.finish(valid, v.any() if self.open else self.top)
            return _budgeted(encoded, self.name, self.args(), self.arguments.size)
        what = f"{self.where}: table {self.table!r}" + (" (documents)" if self.document else "")
        json_safe = self.arguments.options.json_safe
        if json_safe and _DOCUMENTS.trimmed().valid(self.top, 0) is not None:
            raise InvalidArgument(
                f"{what} has no JSON-safe row (json_safe=True): a required field has no "
                "value JSON can hold, such as v.bytes(); use convex_json=True to draw its "
                "Convex JSON instead"
            )
        if _VALUES.trimmed().valid(self.top, 0) is not None:
            raise InvalidArgument(
                f"{what} has no row within Convex's document nesting limit of "
                f"{MAX_DOCUMENT_NESTING} levels: required fields nest deeper than that"
            )
        raise InvalidArgument(
            f"{what} has no valid row: its validator matches no value (a required field "
            "nothing matches, such as v.union())"
        )

    def own_fields(self) -> SearchStrategy[dict[str, Any]]:
        """A `v.any()` table's fields: any values, under names that are not reserved."""
        return _dicts(_OWN_FIELD_NAMES, self.walk.any_values(1), 1)

    def flaws(self) -> list[_Flaw]:
        flaws = self.open_flaws() if self.open else list(self.walk.flaws(self.top, 0))
        valid = self.valid()
        if valid is not None:
            allowed = SYSTEM_FIELDS if self.document else ()
            reserved = st.builds(
                _with_reserved(allowed), valid, _RESERVED_KEYS, self.walk.any_values(1)
            )
            flaws.insert(min(1, len(flaws)), ("reserved_field", reserved))
        # A document's nesting limit is reported for the whole document.
        return [(c, s.map(_root_of) if c == "too_nested" else s) for c, s in flaws]

    def open_flaws(self) -> list[_Flaw]:
        walk = self.walk
        not_objects = _wrong_types(_ALL_CLASSES - _CONVEX_CLASSES | {"dict"})
        assert not_objects is not None
        flaws: list[_Flaw] = [
            ("no_match", not_objects.map(_at_root)),
            ("unsupported_type", _UNSUPPORTED.map(_at_root)),
            ("out_of_range", _INT64_OVERFLOW.map(_at_root)),
            ("invalid_string", _SURROGATE_STRINGS.map(_at_root)),
            ("too_long", st.builds(lambda: [0] * (MAX_ARRAY_LENGTH + 1)).map(_at_root)),
        ]
        own = self.own_fields()
        big = _big_value(v.any())
        assert big is not None
        own_flaws: list[_Flaw] = [
            ("too_many_fields", own.map(_pad).map(_at_root)),
            ("invalid_field_name", st.builds(_with_bad_key(True), own, _BAD_FIELD_NAMES)),
            ("too_large", st.builds(_at_document("x"), own, big)),
        ]
        for code, bad in walk.flaws(v.any(), 1):
            own_flaws.append((code, st.builds(_with_bad_entry, own, _OWN_FIELD_NAMES, bad)))
        if self.document:
            system = walk.valid(self.system, 0)
            assert system is not None
            own_flaws = [(c, st.builds(_beside, s, system)) for c, s in own_flaws]
            for code, bad in walk.object_flaws(self.system, 0):
                if code in _SYSTEM_FIELD_CODES:
                    flaws.append((code, st.builds(_beside, bad, own)))
        return flaws + own_flaws


def for_table(
    schema: Schema,
    table: str,
    *,
    document: bool = False,
    overrides: Mapping[FieldPath, SearchStrategy[Any]] | None = None,
    existing_ids: SearchStrategy[str] | Mapping[str, SearchStrategy[str]] | None = None,
    json_safe: bool = False,
    convex_json: bool = False,
    max_items: int | Mapping[FieldPath, int] | None = None,
    max_size: int | None = None,
) -> SearchStrategy[Any]:
    """Rows ``schema.validate(table, row)`` accepts: what a handler may insert into ``table``.

    With ``document=True``, stored documents ``schema.validate_document(table, doc)`` accepts:
    the row's fields plus a valid ``_id`` and a realistic ``_creationTime``. Draws nest at most
    16 levels, as Convex's documents must. A table no row fits (a required field that matches
    nothing, or required fields nested past those 16 levels) raises `InvalidArgument` saying
    which, rather than drawing nothing.

    * ``overrides`` maps field paths to strategies that draw those fields instead:
      ``{"email": st.emails(), ("address", "city"): st.sampled_from(["Oslo", "Lima"])}``. A
      path is a top-level field's name or a tuple of names through nested objects (through
      the object members of unions and nullables too). Each path must exist (else
      `InvalidArgument` naming it and the nearest field), and each drawn value must be valid
      for its field: one that is not raises `InvalidArgument` naming the field and the value.
    * ``existing_ids``: IDs for `v.id` fields, so that rows refer to rows that exist: a
      strategy (a stateful test's ``Bundle``) of this table's IDs, or a mapping from table
      names to such strategies (``{"users": users}``). IDs of other tables are drawn as
      fresh valid IDs, such as `vschema.new_id` makes.
    * ``json_safe=True``: only values ``json.dumps`` writes and `validate_json` reads back
      with the same meaning (finite floats, Float64 ints within 2**53, no bytes, no
      `COMMIT_TS`); ``convex_json=True``: each row as `vschema.to_convex_json` encodes it,
      ready for Convex's wire (`from_convex_json` reads it back).
    * ``max_items`` caps every array and record (default 8), or, as a mapping from field
      paths to caps, those at the paths (``{"tags": 100}``); ``max_size`` is how many value
      nodes one draw may add beyond the row's smallest value (default 48), shared out so that
      deeper levels draw fewer and shorter collections.
    """
    rows = _Table("for_table()", schema, table, document)
    rows.configure(
        _arguments(
            "for_table()",
            schema,
            table,
            overrides,
            existing_ids,
            json_safe,
            convex_json,
            max_items,
            max_size,
        )
    )
    return rows.rows()


def for_patch(
    schema: Schema,
    table: str,
    *,
    overrides: Mapping[FieldPath, SearchStrategy[Any]] | None = None,
    existing_ids: SearchStrategy[str] | Mapping[str, SearchStrategy[str]] | None = None,
    json_safe: bool = False,
    convex_json: bool = False,
    max_items: int | Mapping[FieldPath, int] | None = None,
    max_size: int | None = None,
) -> SearchStrategy[dict[str, Any]]:
    """Partial updates of ``table``'s rows, as Convex's ``db.patch`` takes them: dicts of some
    of the table's fields (none, one or all), each value valid for its field, so a valid row
    updated with one (``{**row, **patch}``) is still valid.

    The table must be an object (or a `v.any()` table: then any unreserved fields); a union
    table raises `InvalidArgument`, since which fields a patch may set depends on the member.
    The keyword arguments are `for_table`'s.
    """
    patches = _Table("for_patch()", schema, table, False, patch=True)
    patches.configure(
        _arguments(
            "for_patch()",
            schema,
            table,
            overrides,
            existing_ids,
            json_safe,
            convex_json,
            max_items,
            max_size,
        )
    )
    return patches.rows()


def _arguments(
    where: str,
    schema: Schema,
    table: str,
    overrides: object,
    existing_ids: object,
    json_safe: object,
    convex_json: object,
    max_items: object,
    max_size: object,
    flaws_in_overrides: object = False,
) -> _Arguments:
    arguments = _Arguments(where)
    arguments.overrides(overrides, flaws_in_overrides)
    arguments.existing_ids(schema, table, existing_ids)
    arguments.json(json_safe, convex_json)
    arguments.sizes(max_items, max_size)
    return arguments


def invalid_for_table(
    schema: Schema,
    table: str,
    *,
    document: bool = False,
    codes: Collection[IssueCode] | None = None,
    overrides: Mapping[FieldPath, SearchStrategy[Any]] | None = None,
    flaws_in_overrides: bool = False,
    existing_ids: SearchStrategy[str] | Mapping[str, SearchStrategy[str]] | None = None,
    max_items: int | Mapping[FieldPath, int] | None = None,
    max_size: int | None = None,
) -> SearchStrategy[tuple[Any, ExpectedIssue]]:
    """`invalid` for a row of ``table`` (or, with ``document=True``, a stored document): the
    first issue of ``schema.validate(table, row)`` (``validate_document``) is ``expected``.

    Besides the validator's flaws: a reserved top-level ``_`` field, a document nested past
    16 levels and one over 1 MiB (both reported at the document, path ``()``), and with
    ``document=True`` a missing or bad ``_id`` or ``_creationTime``.

    ``overrides``, ``existing_ids``, ``max_items`` and ``max_size`` are `for_table`'s: the
    rest of the row is drawn as `for_table` draws it, overridden fields included, and the
    flaw is placed elsewhere, never in (or as the absence of) an overridden field, unless
    ``flaws_in_overrides=True``.
    """
    chosen = _check_codes("invalid_for_table()", codes)
    rows = _Table("invalid_for_table()", schema, table, document)
    arguments = _arguments(
        "invalid_for_table()",
        schema,
        table,
        overrides,
        existing_ids,
        False,
        False,
        max_items,
        max_size,
        flaws_in_overrides,
    )
    rows.configure(arguments)
    return _one_flaw(
        rows.flaws(),
        chosen,
        lambda: f"invalid_for_table(): table {table!r}",
        "invalid_for_table",
        rows.args(),
        arguments.size,
    )


def _table_args(table: str, document: bool) -> Callable[[], str]:
    return lambda: (
        f"schema, {_cut(repr(table), _HEAD_LENGTH)}" + (", document=True" if document else "")
    )


def _flat_members(validator: Validator) -> tuple[Validator, ...]:
    """A table validator's objects (and ``v.any()``), nested unions flattened, in order."""
    if isinstance(validator, VUnion):
        return tuple(m for member in validator.members for m in _flat_members(member))
    return (validator,)


def rows_breaking(old_schema: Schema, new_schema: Schema, table: str) -> SearchStrategy[Any]:
    """Rows of ``table`` that ``old_schema`` accepts and ``new_schema`` rejects: the documents
    a push of NEW would fail on, for testing a migration.

    Built on `vschema.diff`'s witness: the witness itself (the smallest such row, which
    draws shrink to) and rows drawn from OLD's table with the witness's breaking field grafted
    in. Every draw is checked (OLD accepts it, NEW does not); a graft that does not break NEW
    falls back to the witness, so no draw is ever wrong.

    Raises `InvalidArgument` when defined if there are none to draw: the table is missing from
    either schema, NEW accepts every row OLD accepts, the question could not be decided, or the
    difference exists only in Convex's types (an Int64 where NEW wants a Float64, an ID of
    another table), which vschema's Python spelling of values cannot show.
    """
    from vschema.evolution import diff

    where = f"rows_breaking({short_repr(table)})"
    if not isinstance(old_schema, Schema) or not isinstance(new_schema, Schema):
        raise InvalidArgument(f"{where}: old_schema and new_schema must be schemas")
    for label, schema in (("old", old_schema), ("new", new_schema)):
        if not isinstance(table, str) or table not in schema:
            raise InvalidArgument(
                f"{where}: table {short_repr(table)} is not in the {label} schema"
            )
    verdict = diff(old_schema, new_schema).table(table).stored
    if verdict.status == "compatible":
        raise InvalidArgument(f"{where}: NEW accepts every row OLD accepts; none breaks")
    if verdict.status == "unknown":
        raise InvalidArgument(f"{where}: undecided: {verdict.reason}")
    witness = verdict.witness
    assert witness is not None  # a breaking verdict always carries its verified witness
    if not witness.python_visible:
        raise InvalidArgument(
            f"{where}: the rows break only in Convex's types ({witness.message}); their "
            "Python spelling passes NEW too"
        )
    row: dict[str, Any] = witness.value
    field = witness.path[0] if witness.path else None

    def graft(drawn: dict[str, Any]) -> dict[str, Any]:
        candidate = dict(drawn)
        if isinstance(field, str):
            if field in row:
                candidate[field] = row[field]
            else:
                candidate.pop(field, None)
        breaks = old_schema.is_valid(table, candidate) and not new_schema.is_valid(table, candidate)
        return candidate if breaks else row

    drawn = st.one_of(st.just(row), for_table(old_schema, table).map(graft))
    return _named(drawn, "rows_breaking", lambda: f"<schema>, <schema>, {short_repr(table)}")
