"""A table of objects checks and explains its stored documents with its rows' programs (its
exact-numbers check too).

`TableChecks` used to compile the document validator (the row's fields plus ``_id`` and
``_creationTime``) as a program of its own, a second copy of every table's check and explainer.
Now the rows' check takes the two system fields as extra keys, and the rows' explainer explains
the rest of a document. These tests hold the results to what the whole document's own program
(and the interpreter) says, on drawn tables and documents.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vschema import ValidationError, define_schema, define_table, new_id, v
from vschema.strategies import from_validator, invalid, validators
from vschema.validators import _compile
from vschema.validators._documents import _NUMBER, TableChecks, _document_matches
from vschema.validators._errors import MAX_ISSUES
from vschema.validators._interpret import explain
from vschema.validators._nodes import Validator, VObject

# Upper-case names sort before "_" and lower-case ones after it, so the system fields' issues
# land between a table's own fields.
_NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,4}", fullmatch=True)


@st.composite
def _tables(draw: st.DrawFn) -> TableChecks:
    fields = draw(st.dictionaries(_NAMES, validators(max_depth=2, max_fields=3), max_size=5))
    return TableChecks.build("t", v.object(fields))


@st.composite
def _documents(draw: st.DrawFn, document: Validator) -> Any:
    """A valid document, one with one flaw, or a row's flaws with system fields around them."""
    return draw(
        st.one_of(
            from_validator(document),
            invalid(document).map(lambda pair: pair[0]),
        )
    )


def _reference_match(checks: TableChecks, document: object) -> bool:
    """The fast path's yes as it was: the whole document's own compiled check."""
    return _document_matches(False, _compile.compile_check(checks.document), document)


@given(st.data())
def test_documents_are_judged_as_by_the_documents_own_program(data: st.DataObject) -> None:
    checks = data.draw(_tables())
    document = data.draw(_documents(checks.document))
    assert checks._document_matches(document) is _reference_match(checks, document)
    # Compiled for the whole document here, as a reference only.
    expected = checks.document.errors(document)
    assert checks._document_errors(document) == expected
    assert explain(checks.document, document) == expected


def _table_with_many_issues() -> TableChecks:
    return TableChecks.build(
        "t",
        v.object({"A": v.array(v.string()), "b": v.int64(), "z": v.array(v.boolean())}),
    )


@pytest.mark.parametrize(
    ("a", "z"),
    [(150, 0), (99, 0), (98, 0), (100, 0), (0, 150), (97, 5)],
)
def test_system_issues_merge_in_field_order_up_to_the_cap(a: int, z: int) -> None:
    checks = _table_with_many_issues()
    document = {
        "A": [1] * a,
        "b": "not an int",
        "z": ["no"] * z,
        "_id": "not an id",
        "_creationTime": "yesterday",
    }
    issues = checks._document_errors(document)
    assert issues == checks.document.errors(document)
    assert len(issues) <= MAX_ISSUES + 1
    firsts = [issue.path[0] for issue in issues if issue.path]
    assert firsts == sorted(firsts)
    if a < MAX_ISSUES - 2:
        assert ("_creationTime",) in [issue.path for issue in issues]


def test_a_table_of_objects_compiles_no_program_for_its_documents(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kinds: list[str] = []
    real = _compile._exec

    def counting(render: Any, entry: str, *, kind: str) -> object:
        kinds.append(kind)
        return real(render, entry, kind=kind)

    _NUMBER.is_valid(1.0)  # shared by every table (`_creationTime`), compiled once for all
    monkeypatch.setattr(_compile, "_exec", counting)
    # A literal no other test uses: nothing of this table is compiled before.
    table = {"label": v.literal("test_document_checks"), "n": v.optional(v.float64())}
    schema = define_schema({"things": define_table(table)})
    good = {"_id": new_id(7), "_creationTime": 1.5, "label": "test_document_checks"}
    assert schema.is_valid("things", {"label": "test_document_checks"})
    assert kinds == ["validator"]
    assert schema.is_valid_document("things", good)
    assert schema.errors("things", {"label": 1}) != []
    assert kinds == ["validator", "explainer"]
    for bad in ({**good, "n": "x"}, {**good, "_id": "x"}, {"label": 1}, [], {**good, "x": 1}):
        assert not schema.is_valid_document("things", bad)
        with pytest.raises(ValidationError):
            schema.validate_document("things", bad)
    assert kinds == ["validator", "explainer"]
    document = schema.document("things")
    assert isinstance(document, VObject)
    assert document._check is None
    assert document._explain is None


def test_a_union_table_still_compiles_its_document_validator() -> None:
    members = (v.object({"k": v.literal("a")}), v.object({"k": v.literal("b"), "n": v.int64()}))
    checks = TableChecks.build("u", v.union(*members))
    good = {"_id": new_id(3), "_creationTime": 2.0, "k": "b", "n": 1}
    assert checks.is_valid_document(good)
    assert not checks.is_valid_document({**good, "n": 1.5})
    assert checks.validate_document(good) is good


@pytest.mark.parametrize(
    "time", [0, 0.0, -1.0, 2.0**53, float("nan"), float("inf"), True, None, "1", 2**53]
)
def test_creation_time_bounds_hold_on_the_shared_check(time: object) -> None:
    checks = TableChecks.build("t", v.object({"a": v.string()}))
    document = {"_id": new_id(1), "_creationTime": time, "a": "x"}
    assert not checks.is_valid_document(document)
    assert checks.is_valid_document({**document, "_creationTime": 1})
    assert checks.is_valid_document({**document, "_creationTime": 2.0**53 - 1})


def _exact_reference(checks: TableChecks, document: object) -> bool:
    """The exact-numbers fast path as it was: the whole document's own exact program."""
    return _document_matches(False, _compile.compile_exact_check(checks.document), document)


def _with_ints(document: Any) -> Any:
    """``document`` with every integral float as an `int`: what an export's Int64s look like."""
    if isinstance(document, dict):
        return {k: _with_ints(item) for k, item in document.items()}
    if isinstance(document, list):
        return [_with_ints(item) for item in document]
    if type(document) is float and document.is_integer():
        return int(document)
    return document


@given(st.data())
def test_exact_documents_are_judged_by_the_rows_exact_program(data: st.DataObject) -> None:
    checks = data.draw(_tables())
    document = data.draw(_documents(checks.document))
    if data.draw(st.booleans(), label="integral floats as ints"):
        document = _with_ints(document)
    exact = checks.exact_numbers()
    assert exact._matches(document) is _exact_reference(checks, document)
    assert exact.is_valid(document) is (not exact.issues(document))


@pytest.mark.parametrize("time", [1, 1.0, 2**52, True])
def test_an_exact_creation_time_is_a_float(time: object) -> None:
    checks = TableChecks.build("t", v.object({"a": v.float64()}))
    document = {"_id": new_id(1), "_creationTime": time, "a": 1.5}
    assert checks.exact_numbers().is_valid(document) is (type(time) is float)
    assert not checks.exact_numbers().is_valid({**document, "_creationTime": 1.0, "a": 1})
