"""A table's documents: system fields, and checking rows and stored documents against a table.

What Convex does, and so what this module does:

* ``schema.doc(table)`` appends ``_id: v.id(table)`` and ``_creationTime: v.number()`` to each
  object of the table's validator (`document_validator`);
* the backend drops every top-level field starting with ``_`` from a table's validator, strips
  those fields from a document, checks the rest against the validator, and refuses a ``_`` field
  that is not a system field (`without_system_fields`, `TableChecks`);
* a stored document's ``_creationTime`` lies strictly between 0 and 2**53 (milliseconds since
  the Unix epoch), which ``v.number()`` alone does not say;
* a stored document nests at most 16 levels and takes at most 1 MiB (`_size`);
* a stored document is an object like any other, of at most 1024 fields, and its system fields
  count: the backend adds them to a new row before it checks the count, so a row may have at most
  1022 fields, a stored document 1024 (`_stored_field_count_issue`).

`TableChecks` runs the table's compiled check first and comes back to build issues only when that
check says no, so a valid row costs one compiled call plus the size walk.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from vschema._typing import assert_never
from vschema.validators._builder import v
from vschema.validators._display import display_value, value_kind
from vschema.validators._errors import MAX_ISSUES, Issue, SchemaError, ValidationError, truncated
from vschema.validators._nodes import (
    FieldMap,
    Validator,
    VAny,
    VArray,
    VBoolean,
    VBytes,
    VCommitTs,
    VFloat64,
    VId,
    VInt64,
    VLiteral,
    VNull,
    VObject,
    VRecord,
    VString,
    VUnion,
    as_node,
)
from vschema.validators._size import (
    SMALLEST_SYSTEM_FIELDS_SIZE,
    document_limit_issues,
    fits_document,
)
from vschema.validators._values import MAX_DOCUMENT_NESTING, MAX_OBJECT_FIELDS

if TYPE_CHECKING:
    from vschema.validators._schema import Schema

__all__ = [
    "SYSTEM_FIELDS",
    "ExactDocumentChecks",
    "TableChecks",
    "document_validator",
    "exact_document_checks",
    "max_nesting",
    "system_fields",
    "without_system_fields",
]

SYSTEM_FIELDS = ("_id", "_creationTime")


def system_fields(table_name: str) -> dict[str, Validator]:
    """The validators of the fields Convex adds to every document of ``table_name``."""
    return {"_id": v.id(table_name), "_creationTime": v.number()}


def document_validator(table_name: str, validator: Validator) -> Validator:
    """Convex's ``docValidator``: ``validator`` with the system fields of ``table_name`` added.

    Objects get ``_id`` and ``_creationTime`` appended after their own fields; unions get them
    per member; ``v.any()`` is returned unchanged; anything else is no table validator.
    """
    if isinstance(validator, VObject):
        # Not `extend`, which builds through `v.object` and its limit of 1024 fields: a table of
        # 1023 or 1024 fields is a valid schema (Convex pushes it), whose documents hold at most
        # 1024 fields with the system fields counted (`validate_row` says so for a row).
        fields = {**validator.fields, **system_fields(table_name)}
        return attrs.evolve(validator, fields=FieldMap(fields))
    if isinstance(validator, VUnion):
        return v.union(*(document_validator(table_name, m) for m in validator.members))
    if isinstance(validator, VAny):
        return validator
    raise SchemaError(
        f'Invalid validator for table "{table_name}": a table\'s documents must be objects, or a '
        "union of objects (see https://docs.convex.dev/database/schemas)"
    )


def is_reserved_field(key: object) -> bool:
    """Whether ``key`` is a top-level field name only Convex may use (it starts with ``_``)."""
    return isinstance(key, str) and key.startswith("_")


def without_system_fields(validator: Validator) -> Validator:
    """The validator the backend enforces: top-level ``_`` fields of each object dropped.

    Returns ``validator`` itself when it declares no such field.
    """
    if isinstance(validator, VObject):
        reserved = [name for name in validator.fields if is_reserved_field(name)]
        return validator.omit(*reserved) if reserved else validator
    if isinstance(validator, VUnion):
        members = tuple(without_system_fields(m) for m in validator.members)
        if members == validator.members:
            return validator
        return attrs.evolve(validator, members=members)
    return validator


def max_nesting(validator: Validator, _seen: dict[int, int | None] | None = None) -> int | None:
    """How deeply a value matching ``validator`` can nest at most; ``None`` when unbounded.

    Each distinct node is measured once (by identity), so a tree that reuses a subtree on
    every level costs its number of nodes, not its unfolded size.
    """
    if _seen is None:
        _seen = {}
    key = id(validator)
    if key in _seen:
        return _seen[key]
    depth = _max_nesting(validator, _seen)
    _seen[key] = depth
    return depth


def _max_nesting(validator: Validator, seen: dict[int, int | None]) -> int | None:
    node = as_node(validator)
    match node:
        case (
            VString()
            | VFloat64()
            | VInt64()
            | VCommitTs()
            | VBoolean()
            | VNull()
            | VBytes()
            | VId()
            | VLiteral()
        ):
            return 0
        case VAny():
            return None
        case VArray(element=element):
            inner = max_nesting(element, seen)
            return None if inner is None else 1 + inner
        case VRecord(value=value):
            inner = max_nesting(value, seen)
            return None if inner is None else 1 + inner
        case VObject(fields=fields):
            depths = [max_nesting(f, seen) for f in fields.values()]
            if None in depths:
                return None
            return 1 + max((d for d in depths if d is not None), default=0)
        case VUnion(members=members):
            depths = [max_nesting(m, seen) for m in members]
            if None in depths:
                return None
            return max((d for d in depths if d is not None), default=0)
        case _:
            assert_never(node)


#: ``_creationTime`` lies strictly between these (Convex's document validation).
_CREATION_TIME_BOUNDS = (0, 2**53)
_NUMBER = v.number()


def _creation_time_ok(document: dict[str, Any]) -> bool:
    """Whether a document that matched its validator (so ``_creationTime`` is a number) has a
    creation time in range; NaN is not."""
    low, high = _CREATION_TIME_BOUNDS
    return bool(low < document["_creationTime"] < high)


def _document_matches(open_table: bool, check: Callable[[object], bool], document: object) -> bool:
    """The fast path's yes for a stored document, short of Convex's size and nesting limits:
    the compiled ``check`` of a table with a validator of its own (not ``v.any()``) accepts it,
    its ``_creationTime`` is in range and it has at most the fields a document may have."""
    return (
        not open_table
        and check(document)
        and type(document) is dict
        and _creation_time_ok(document)
        and len(document) <= MAX_OBJECT_FIELDS
    )


def _creation_time_issue(value: object) -> Issue:
    low, high = _CREATION_TIME_BOUNDS
    return Issue(
        ("_creationTime",),
        "out_of_range",
        f"Invalid _creationTime {display_value(value)}: a creation time is a Float64 strictly "
        f"between {low} and 2^53 ({high}), in milliseconds since the Unix epoch.",
        "a number of milliseconds since the Unix epoch, between 0 and 2^53",
        value_kind(value),
    )


#: The most fields a new row may have: its stored document adds the two system fields.
_MAX_ROW_FIELDS = MAX_OBJECT_FIELDS - len(SYSTEM_FIELDS)


def _stored_field_count_issue(count: int) -> Issue:
    """The backend's refusal of a document of ``count`` fields, system fields included."""
    return Issue(
        (),
        "too_many_fields",
        f"Object has too many fields ({count} > maximum number {MAX_OBJECT_FIELDS})",
        f"at most {_MAX_ROW_FIELDS} fields (Convex adds _id and _creationTime)",
        "object",
    )


def _reserved_issue(key: str) -> Issue:
    return Issue(
        (key,),
        "reserved_field",
        f"Field '{key}' starts with an underscore, which is only allowed for system fields "
        "like '_id'",
        "no top-level field starting with _ but _id and _creationTime",
    )


def _not_an_object(value: object) -> Issue:
    return Issue(
        (),
        "no_match",
        f"A document must be an object (a dict), got {type(value).__name__}.\n"
        f"Value: {display_value(value)}",
        "object",
        value_kind(value),
    )


def _utf8_order(key: str) -> bytes:
    return key.encode("utf-8", "surrogatepass")


@attrs.frozen
class TableChecks:
    """The compiled checks for one table's rows and documents, built once per schema and table.

    ``row`` is the table validator as the backend enforces it (no ``_`` fields); ``document``
    adds the system fields to it. For a ``v.any()`` table (``open``) no validator can express
    "system fields plus anything", so ``document`` is the system fields alone and the rest of a
    document is checked by ``row``. ``schema_doc`` is what Convex's ``schema.doc`` gives (the
    same as ``document`` unless the table declares ``_`` fields or is ``v.any()``).
    """

    table_name: str
    row: Validator
    document: Validator
    schema_doc: Validator
    open: bool
    deep: bool
    _row_check: Callable[[object], bool] = attrs.field(repr=False)
    # The fast path's yes for a stored document, short of the size and nesting limits.
    _document_check: Callable[[object], bool] = attrs.field(repr=False)

    @classmethod
    def build(cls, table_name: str, validator: Validator) -> TableChecks:
        """Checks for table ``table_name`` whose validator is ``validator``."""
        # The compiler loads with a schema's first check, not when `define_schema` is imported.
        from vschema.validators._compile import compile_check

        row = without_system_fields(validator)
        open_ = isinstance(row, VAny)
        document = (
            v.object(system_fields(table_name)) if open_ else document_validator(table_name, row)
        )
        if row is validator and not open_:
            schema_doc = document
        else:
            schema_doc = document_validator(table_name, validator)
        depth = max_nesting(row)
        return cls(
            table_name,
            row,
            document,
            schema_doc,
            open_,
            depth is None or depth > MAX_DOCUMENT_NESTING,
            compile_check(row),
            _documents_check(row, document, exact=False),
        )

    def _row_matches(self, row: object) -> bool:
        # A closed table's check refuses `_` fields itself; a `v.any()` table's cannot.
        return (
            self._row_check(row)
            and type(row) is dict
            and not (self.open and any(map(is_reserved_field, row)))
            and len(row) <= _MAX_ROW_FIELDS
        )

    def _document_matches(self, document: object) -> bool:
        return self._document_check(document)

    def is_valid_row(self, row: object) -> bool:
        """Whether `validate_row` accepts ``row``: no exception, no issue built."""
        return self._row_matches(row) and fits_document(
            row, extra_size=SMALLEST_SYSTEM_FIELDS_SIZE, deep=self.deep
        )

    def is_valid_document(self, document: object) -> bool:
        """Whether `validate_document` accepts ``document``: no exception, no issue built."""
        if self._document_matches(document):
            return fits_document(document, deep=self.deep)
        # A `v.any()` table's document has no compiled check of its own: the issue walk says.
        return self.open and not self._issues(document, system=True)

    def validate_row(self, row: object) -> dict[str, Any]:
        """``row`` if it can be inserted into the table; else raise `ValidationError`."""
        if self._row_matches(row) and fits_document(
            row, extra_size=SMALLEST_SYSTEM_FIELDS_SIZE, deep=self.deep
        ):
            return row  # type: ignore[return-value]
        raise ValidationError(self.row_issues(row))

    def row_issues(self, row: object) -> list[Issue]:
        """Every issue `validate_row` raises for ``row``; empty when it would return it."""
        if not self._row_matches(row):
            return self._issues(row, system=False)
        if fits_document(row, extra_size=SMALLEST_SYSTEM_FIELDS_SIZE, deep=self.deep):
            return []
        return document_limit_issues(row, extra_size=SMALLEST_SYSTEM_FIELDS_SIZE, deep=self.deep)

    def validate_document(self, document: object) -> dict[str, Any]:
        """``document`` if it is a valid stored document of the table; else raise."""
        if self._document_matches(document):
            if fits_document(document, deep=self.deep):
                return document  # type: ignore[return-value]
            raise ValidationError(document_limit_issues(document, deep=self.deep))
        issues = self._issues(document, system=True)
        if issues:
            raise ValidationError(issues)
        assert type(document) is dict
        return document

    def exact_numbers(self) -> ExactDocumentChecks:
        """The checks of a stored document read with exact numbers, as a snapshot export
        writes them (see `ExactDocumentChecks`)."""
        return ExactDocumentChecks(self, _documents_check(self.row, self.document, exact=True))

    def _issues(self, value: object, *, system: bool, exact: bool = False) -> list[Issue]:
        """Every issue of a row (``system=False``) or a stored document, in the backend's order.

        Reserved fields first, then the schema's issues, then, only for a value the schema
        accepts (so a bounded, acyclic Convex value), the nesting and size limits. ``exact``:
        read numbers exactly (`ExactDocumentChecks`), with the reference interpreter.
        """

        def errors(validator: Validator, part: object) -> list[Issue]:
            if exact:
                from vschema.validators._interpret import explain_exact_numbers

                return explain_exact_numbers(validator, part)
            if validator is self.document and isinstance(self.row, VObject):
                return self._document_errors(part)
            return validator.errors(part)

        if type(value) is not dict:
            # A v.any() table's validator accepts any value, so it cannot be the one to say no.
            whole = self.document if system and not self.open else self.row
            return errors(whole, value) or [_not_an_object(value)]
        allowed = SYSTEM_FIELDS if system else ()
        reserved = sorted(
            (k for k in value if is_reserved_field(k) and k not in allowed), key=_utf8_order
        )
        issues = [_reserved_issue(key) for key in reserved]
        rest = {k: item for k, item in value.items() if k not in reserved} if reserved else value
        if not system:
            found = errors(self.row, rest)
        elif self.open:
            own = {k: item for k, item in rest.items() if k not in SYSTEM_FIELDS}
            found = errors(self.document, {k: rest[k] for k in SYSTEM_FIELDS if k in rest})
            found += errors(self.row, own)
        else:
            found = errors(self.document, rest)
        creation_time = rest.get("_creationTime") if system else None
        number = type(creation_time) is float if exact else _NUMBER.is_valid(creation_time)
        if number and not _creation_time_ok(rest):
            found.append(_creation_time_issue(creation_time))
        stored_fields = len(rest) if system else len(rest) + len(SYSTEM_FIELDS)
        if not found and stored_fields > MAX_OBJECT_FIELDS:
            found = [_stored_field_count_issue(stored_fields)]
        if not found:
            extra = 0 if system else SMALLEST_SYSTEM_FIELDS_SIZE
            found = document_limit_issues(rest, extra_size=extra, deep=self.deep)
        return issues + found

    def _document_errors(self, document: object) -> list[Issue]:
        """``self.document.errors(document)`` for a table of objects, without a program of
        the document's own: its system fields are explained on their own, the rest by the
        rows' explainer, and the two merged in field order, which is the order in which
        Convex (and the explainer of the whole document) lists them.

        Wherever the shape is off (not a dict, a key that is not a `str`, a field missing
        or extra) the interpreter explains the whole document, as the compiled explainer
        hands it the whole value there too.
        """
        from vschema.validators._compile import compile_locator
        from vschema.validators._ids import is_id
        from vschema.validators._interpret import explain, explain_at

        row, whole = self.row, self.document
        assert isinstance(row, VObject)
        assert isinstance(whole, VObject)
        if (
            type(document) is not dict
            or list(map(type, document)).count(str) != len(document)
            or "_id" not in document
            or "_creationTime" not in document
        ):
            return explain(whole, document)
        own = {k: item for k, item in document.items() if k not in SYSTEM_FIELDS}
        # The rows' locator says -1 exactly where the shape is off (a field missing or extra),
        # else which field failed first, or None when none did.
        at = (row._locate or compile_locator(row))(own)
        if at == -1:
            return explain(whole, document)
        issues = [] if at is None else row._issues_at(own, at)
        if len(issues) > MAX_ISSUES:
            issues.pop()  # the `too_many_issues` of `truncated`: made again below
        id_, time = document["_id"], document["_creationTime"]
        for name, ok in (
            ("_creationTime", _NUMBER.is_valid(time)),
            ("_id", type(id_) is str and is_id(id_)),
        ):
            if not ok:
                found = explain_at(whole.fields[name], document[name], (name,), 1)
                # Every issue of a well-shaped object is inside one of its fields.
                place = bisect.bisect_right(issues, name, key=_first_key)
                issues[place:place] = found
        return truncated(issues) if len(issues) > MAX_ISSUES else issues


def _first_key(issue: Issue) -> str:
    first = issue.path[0]
    assert isinstance(first, str)
    return first


def _documents_check(
    row: Validator, document: Validator, *, exact: bool
) -> Callable[[object], bool]:
    """The fast path's yes for the stored documents of a table whose rows are ``row`` and
    documents ``document``; ``exact``: numbers read exactly (`ExactDocumentChecks`)."""
    # The compiler loads with a schema's first check, not when `define_schema` is imported.
    from vschema.validators._compile import compile_check, compile_exact_check, document_check

    if isinstance(row, VObject):
        # The documents of a table of objects are checked by the code of its rows.
        rows_check = document_check(row, len(SYSTEM_FIELDS), exact=exact)
        return _object_documents(rows_check, exact=exact)
    check = (compile_exact_check if exact else compile_check)(document)
    return functools.partial(_document_matches, isinstance(row, VAny), check)


def _object_documents(
    rows_check: Callable[[object], bool], *, exact: bool
) -> Callable[[object], bool]:
    """`_document_matches` for a table of objects, from ``rows_check``: the check of its rows,
    taking two keys more (`document_check`), which must be the system fields. ``exact``: a
    creation time is a `float`, never an `int`."""
    from vschema.validators._ids import is_id  # with the compiler, on a schema's first check

    times = (float,) if exact else (float, int)

    def matches(document: object) -> bool:
        if not rows_check(document):
            return False
        # A dict of exact str keys (the check tested them before any lookup).
        assert type(document) is dict
        id_, time = document.get("_id"), document.get("_creationTime")
        return (
            type(id_) is str
            and is_id(id_)
            and type(time) in times
            and _creation_time_ok(document)
            and len(document) <= MAX_OBJECT_FIELDS
        )

    return matches


@attrs.frozen
class ExactDocumentChecks:
    """A table's stored-document checks with exact numbers, as a Convex snapshot export writes
    them: a JSON integer is an Int64 and only a number with a decimal point or an exponent is a
    Float64. So a Python `int` matches no ``v.number()``/``v.float64()`` (``_creationTime``
    included) and no Float64 literal (``v.literal(1)`` or ``v.literal(1.0)``); it still
    matches ``v.int64()``, ``v.any()`` and Int64 literals. Everything else is exactly
    `TableChecks.validate_document`: system fields, reserved fields, nesting and size limits.

    `is_valid` runs a compiled check (`compile_exact_check`; for a table of objects, the rows'
    exact program, as `TableChecks` does); `issues` lists what the reference interpreter finds
    (`explain_exact_numbers`), at most `MAX_ISSUES` as usual. An `int` where a Float64 belongs
    is Convex's NoMatch (or LiteralValuesDoNotMatch), followed by the line ``The value is an
    Int64 (an integer without a decimal point), where a Float64 is expected.``
    """

    table: TableChecks
    # The fast path's yes, short of the size and nesting limits.
    _matches: Callable[[object], bool] = attrs.field(repr=False)

    def is_valid(self, document: object, *, size_at_most: int | None = None) -> bool:
        """Whether ``document`` is a valid stored document, numbers read exactly.

        ``size_at_most``: a bound on the document's Convex size known to the caller (see
        `vschema.validators._size.json_size_bound`); within the 1 MiB limit, the size walk is
        skipped.
        """
        table = self.table
        if self._matches(document):
            return fits_document(document, deep=table.deep, size_at_most=size_at_most)
        # A `v.any()` table's document has no compiled check of its own: the issue walk says.
        return table.open and not self.issues(document)

    def quick(self) -> Callable[[object], bool] | None:
        """For a caller checking many documents: a check that says yes exactly where
        `is_valid` does, for a document known to be within the 1 MiB size limit (``size_at_most``
        at most 1 MiB); a no means "ask `is_valid`". ``None`` for a ``v.any()`` table or one that
        can nest past the limit, where `is_valid` has more to do."""
        table = self.table
        return None if table.open or table.deep else self._matches

    def issues(self, document: object) -> list[Issue]:
        """Every issue of ``document`` as a stored document, numbers read exactly, in the
        backend's order; empty when it is valid."""
        return self.table._issues(document, system=True, exact=True)


def exact_document_checks(schema: Schema, table_name: str) -> ExactDocumentChecks:
    """The exact-numbers document checks of table ``table_name`` of ``schema`` (built once per
    schema and table with its other checks; an unknown table raises `SchemaError`)."""
    return schema._table_checks(table_name, "validate_document").exact_numbers()
