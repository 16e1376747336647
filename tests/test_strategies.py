"""`vschema.strategies`: valid draws validate, invalid draws name their flaw (issue 6).

For a corpus of validators and for random validators (`strategies.validators`): every valid draw
passes ``validate``; every invalid draw is rejected and the first issue ``errors()`` reports is
the ``expected`` one (code and path); fail-fast (`first_issue`) and collect-all (`errors`, the
reference `explain`) agree on that first issue. Each flaw kind the issue lists is produced, draws
shrink to small payloads, health checks pass without suppressions, tables draw rows and documents
their schema accepts, arguments are checked at definition time, and ``st.from_type`` works for the
generated ``TypedDict``s after `register_types`.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from vschema import ValidationError, Validator, define_schema, define_table, v
from vschema.strategies import (
    ExpectedIssue,
    for_table,
    from_validator,
    invalid,
    invalid_for_table,
    register_types,
    validators,
)
from vschema.validators._interpret import explain, first_issue
from vschema.validators._schema import Schema

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "python"
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)

project_type = v.union(
    v.literal("saas_mvp"), v.literal("ai_agent"), v.literal("automation"), v.literal("other")
)
inquiry = v.object(
    {
        "name": v.string(),
        "email": v.string(),
        "projectType": project_type,
        "description": v.string(),
    }
)
shape = v.union(
    v.object({"kind": v.literal("circle"), "r": v.float64()}),
    v.object({"kind": v.literal("square"), "side": v.int64(), "label": v.optional(v.string())}),
)

CORPUS: dict[str, Validator] = {
    "string": v.string(),
    "float64": v.float64(),
    "int64": v.int64(),
    "boolean": v.boolean(),
    "null": v.null(),
    "bytes": v.bytes(),
    "any": v.any(),
    "id": v.id("users"),
    "literal string": v.literal("a"),
    "literal float": v.literal(1),
    "literal -0.0": v.literal(-0.0),
    "literal int64 edge": v.literal(INT64_MAX, int64=True),
    "literal bool": v.literal(True),
    "array": v.array(v.string()),
    "array of arrays": v.array(v.array(v.int64())),
    "empty object": v.object({}),
    "nested object": v.object(
        {
            "a": v.object({"b": v.optional(v.array(v.object({"c": v.bytes()})))}),
            "n": v.nullable(v.float64()),
            "o": v.optional(v.id("t")),
        }
    ),
    "nullable object": v.nullable(v.object({"x": v.int64()})),
    "record string keys": v.record(v.string(), v.float64()),
    "record id keys": v.record(v.id("users"), v.boolean()),
    "record id-union keys": v.record(v.union(v.id("a"), v.id("b")), v.null()),
    "record string-or-id keys": v.record(v.union(v.string(), v.id("a")), v.any()),
    "tagged union": shape,
    "tagged union, -0.0 tag": v.union(
        v.object({"k": v.literal(0.0)}), v.object({"k": v.literal(-0.0), "x": v.string()})
    ),
    "untagged union": v.union(v.object({"a": v.string()}), v.object({"b": v.int64()}), v.null()),
    "union of scalars": v.union(v.string(), v.int64(), v.bytes()),
    "union of literals": project_type,
    "empty union": v.union(),
    "one-member union": v.union(v.array(v.null())),
    "inquiries": inquiry,
    "any inside": v.object({"meta": v.any(), "list": v.array(v.any())}),
}
CORPUS_IDS = list(CORPUS)


def assert_first_issue(validator: Validator, value: Any, expected: ExpectedIssue) -> None:
    """``value`` is rejected with ``expected`` first, by every path that reports issues."""
    assert not validator.is_valid(value), (validator, value, expected)
    issues = validator.errors(value)
    assert issues, (validator, value, expected)
    assert expected.matches(issues[0]), (validator, value, str(expected), issues[0])
    # Collect-all (compiled explainer, reference interpreter) and fail-fast agree.
    assert explain(validator, value) == issues
    assert first_issue(validator, value) == issues[0]
    with pytest.raises(ValidationError) as caught:
        validator.validate(value)
    assert caught.value.issues[0] == issues[0]


# -- the corpus ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CORPUS_IDS)
@settings(max_examples=40)
@given(data=st.data())
def test_corpus_valid_draws_validate(name: str, data: st.DataObject) -> None:
    validator = CORPUS[name]
    if name == "empty union":
        assert from_validator(validator).is_empty
        return
    value = data.draw(from_validator(validator))
    assert validator.validate(value) is value
    assert first_issue(validator, value) is None


@pytest.mark.parametrize("name", CORPUS_IDS)
@settings(max_examples=40)
@given(data=st.data())
def test_corpus_invalid_draws_name_their_flaw(name: str, data: st.DataObject) -> None:
    validator = CORPUS[name]
    value, expected = data.draw(invalid(validator))
    assert_first_issue(validator, value, expected)


# -- random validators -----------------------------------------------------------------------


@settings(max_examples=150)
@given(validator=validators(), data=st.data())
def test_random_validators(validator: Validator, data: st.DataObject) -> None:
    strategy = from_validator(validator)
    if not strategy.is_empty:
        value = data.draw(strategy)
        assert validator.is_valid(value), (validator, value, validator.errors(value))
        assert first_issue(validator, value) is None
    value, expected = data.draw(invalid(validator))
    assert_first_issue(validator, value, expected)


@settings(max_examples=30)
@given(validators(max_depth=0, max_fields=0))
def test_validators_respects_its_bounds(validator: Validator) -> None:
    assert validator.kind not in {"array", "object", "record"} or validator == v.object({})


def test_validators_draws_every_kind() -> None:
    kinds: set[str] = set()

    def collect(node: Validator) -> None:
        kinds.add(node.kind)
        for child in getattr(node, "members", ()):
            collect(child)
        for attribute in ("element", "value"):
            child = getattr(node, attribute, None)
            if isinstance(child, Validator):
                collect(child)
        if hasattr(node, "fields"):
            for child in node.fields.values():
                collect(child)

    @settings(max_examples=300, database=None)
    @given(validators())
    def draw(validator: Validator) -> None:
        collect(validator)

    draw()
    expected = {"string", "float64", "int64", "commitTs", "boolean", "null", "bytes", "any", "id"}
    expected |= {"literal", "array", "object", "record", "union"}
    assert kinds == expected


# -- each kind of flaw -----------------------------------------------------------------------

FLAWS: list[tuple[str, Validator, str, Callable[[Any, ExpectedIssue], bool]]] = [
    ("wrong type", v.string(), "no_match", lambda x, e: x is None and e.path == ()),
    (
        "missing required field",
        inquiry,
        "missing_field",
        lambda x, e: e.path[0] not in x,
    ),
    ("extra field", inquiry, "extra_field", lambda x, e: e.path[0] in x and len(x) == 5),
    ("literal miss", v.literal("a"), "literal_mismatch", lambda x, e: x != "a"),
    (
        "wrong union tag",
        shape,
        "literal_mismatch",
        lambda x, e: e.path == ("kind",) and x["kind"] not in ("circle", "square"),
    ),
    ("int64 out of range", v.int64(), "out_of_range", lambda x, e: not INT64_MIN <= x <= INT64_MAX),
    ("float64 out of range", v.float64(), "out_of_range", lambda x, e: abs(x) > 2**53),
    ("bool for a float64", v.float64(), "no_match", lambda x, e: type(x) is bool),
    ("bool for an int64", v.int64(), "no_match", lambda x, e: type(x) is bool),
    ("bad id", v.id("users"), "invalid_id", lambda x, e: type(x) is str),
    ("too deep", v.any(), "too_nested", lambda x, e: True),
    ("too long", v.array(v.string()), "too_long", lambda x, e: len(x) == 8193),
    ("too many fields", v.record(v.string(), v.null()), "too_many_fields", lambda x, e: True),
    ("bad field name", v.object({"a": v.null()}), "invalid_field_name", lambda x, e: True),
    ("lone surrogate", v.string(), "invalid_string", lambda x, e: True),
    ("not a Convex value", v.any(), "unsupported_type", lambda x, e: True),
    ("id record key", v.record(v.id("users"), v.null()), "invalid_id", lambda x, e: True),
]


@pytest.mark.parametrize(
    ("validator", "code", "check"), [f[1:] for f in FLAWS], ids=[f[0] for f in FLAWS]
)
def test_each_flaw_kind_is_drawn(
    validator: Validator, code: str, check: Callable[[Any, ExpectedIssue], bool]
) -> None:
    """Without ``codes``, `invalid` produces this flaw; with it, only this flaw."""
    value, expected = find(
        invalid(validator),
        lambda drawn: drawn[1].code == code and check(*drawn),
        settings=settings(max_examples=2000, database=None),
    )
    assert_first_issue(validator, value, expected)

    @settings(max_examples=10, database=None)
    @given(invalid(validator, codes=[code]))  # type: ignore[list-item]
    def only(drawn: tuple[Any, ExpectedIssue]) -> None:
        assert drawn[1].code == code
        assert_first_issue(validator, *drawn)

    only()


def test_every_listed_flaw_kind_is_covered() -> None:
    listed = {
        "wrong type",
        "missing required field",
        "extra field",
        "literal miss",
        "wrong union tag",
        "int64 out of range",
        "bool for a float64",
        "bad id",
        "too deep",
        "too long",
    }
    assert listed <= {name for name, *_ in FLAWS}


# -- shrinking -------------------------------------------------------------------------------

SHRINKS: list[tuple[Validator, str, object, ExpectedIssue | None]] = [
    (v.string(), "no_match", None, ExpectedIssue("no_match", ())),
    (v.int64(), "out_of_range", 2**63, ExpectedIssue("out_of_range", ())),
    (v.id("users"), "invalid_id", "", ExpectedIssue("invalid_id", ())),
    (
        v.object({"name": v.string(), "tags": v.array(v.string()), "n": v.optional(v.int64())}),
        "missing_field",
        {"tags": []},
        ExpectedIssue("missing_field", ("name",)),
    ),
    (inquiry, "literal_mismatch", None, None),  # checked by size below
    (
        v.object({"a": v.array(v.object({"b": v.int64()}))}),
        "out_of_range",
        {"a": [{"b": 2**63}]},
        ExpectedIssue("out_of_range", ("a", 0, "b")),
    ),
    (shape, "literal_mismatch", None, None),
]


@pytest.mark.parametrize(("validator", "code", "value", "expected"), SHRINKS)
def test_invalid_draws_shrink_to_small_payloads(
    validator: Validator, code: str, value: object, expected: ExpectedIssue | None
) -> None:
    found = find(
        invalid(validator),
        lambda drawn: drawn[1].code == code,
        settings=settings(max_examples=2000, database=None),
    )
    if expected is not None:
        assert found == (value, expected)
    else:
        assert len(repr(found[0])) < 80, found
        assert_first_issue(validator, *found)


def test_extra_fields_and_bad_names_shrink_small() -> None:
    obj = v.object({"a": v.null()})
    for code in ("extra_field", "invalid_field_name"):
        value, expected = find(
            invalid(obj, codes=[code]),
            lambda _: True,
            settings=settings(max_examples=500, database=None),
        )
        assert len(repr(value)) < 30, (code, value)
        assert_first_issue(obj, value, expected)


# -- health checks ---------------------------------------------------------------------------

STRICT = settings(max_examples=20, suppress_health_check=(), deadline=None, database=None)


@pytest.mark.parametrize("name", CORPUS_IDS)
def test_health_checks_pass_without_suppression(name: str) -> None:
    """The ci profile suppresses too_slow for the whole suite; here nothing is suppressed."""
    validator = CORPUS[name]
    assert not STRICT.suppress_health_check  # () on recent Hypothesis, [] on older
    assert HealthCheck.too_slow not in STRICT.suppress_health_check
    strategies = [invalid(validator)]
    if name != "empty union":
        strategies.append(from_validator(validator))
    for strategy in strategies:

        @STRICT
        @given(strategy)
        def run(_: object) -> None:
            pass

        run()


def test_health_checks_pass_for_tables() -> None:
    for table in ("inquiries", "events", "logs"):
        for document in (False, True):

            @STRICT
            @given(for_table(TABLES, table, document=document))
            def rows(_: object) -> None:
                pass

            @STRICT
            @given(invalid_for_table(TABLES, table, document=document))
            def bad(_: object) -> None:
                pass

            rows()
            bad()


# -- tables ----------------------------------------------------------------------------------

TABLES = define_schema(
    {
        "inquiries": define_table(inquiry).index("by_email", ["email"]),
        "events": define_table(
            v.union(
                v.object({"kind": v.literal("email"), "to": v.string(), "user": v.id("users")}),
                v.object({"kind": v.literal("sms"), "phone": v.string(), "meta": v.any()}),
            )
        ),
        "logs": define_table(v.any()),
        "deep": define_table({"tree": v.any(), "blob": v.optional(v.bytes())}),
        "users": define_table({"name": v.string(), "_secret": v.optional(v.string())}),
    }
)
TABLE_NAMES = list(TABLES.tables)


@pytest.mark.parametrize("document", [False, True], ids=["row", "document"])
@pytest.mark.parametrize("table", TABLE_NAMES)
@settings(max_examples=40)
@given(data=st.data())
def test_tables(table: str, document: bool, data: st.DataObject) -> None:
    check = TABLES.validate_document if document else TABLES.validate
    row = data.draw(for_table(TABLES, table, document=document))
    assert check(table, row) is row
    if document:
        assert set(row) >= {"_id", "_creationTime"}
    else:
        assert not any(key.startswith("_") for key in row)
    value, expected = data.draw(invalid_for_table(TABLES, table, document=document))
    with pytest.raises(ValidationError) as caught:
        check(table, value)
    assert expected.matches(caught.value.issues[0]), (value, str(expected), caught.value.issues)


TABLE_FLAWS = [
    ("inquiries", False, "reserved_field"),
    ("inquiries", False, "missing_field"),
    ("deep", False, "too_nested"),
    ("deep", False, "too_large"),
    ("logs", False, "too_many_fields"),
    ("events", True, "invalid_id"),
    ("inquiries", True, "missing_field"),
    ("users", True, "reserved_field"),
]


@pytest.mark.parametrize(("table", "document", "code"), TABLE_FLAWS)
def test_table_flaws(table: str, document: bool, code: str) -> None:
    check = TABLES.validate_document if document else TABLES.validate

    @settings(max_examples=15, database=None)
    @given(invalid_for_table(TABLES, table, document=document, codes=[code]))  # type: ignore[list-item]
    def run(drawn: tuple[Any, ExpectedIssue]) -> None:
        value, expected = drawn
        assert expected.code == code
        with pytest.raises(ValidationError) as caught:
            check(table, value)
        assert expected.matches(caught.value.issues[0]), (str(expected), caught.value.issues)

    run()


def test_document_system_fields_are_flawed() -> None:
    system = find(
        invalid_for_table(TABLES, "inquiries", document=True),
        lambda drawn: drawn[1].path in {("_id",), ("_creationTime",)},
        settings=settings(max_examples=2000, database=None),
    )
    with pytest.raises(ValidationError) as caught:
        TABLES.validate_document("inquiries", system[0])
    assert system[1].matches(caught.value.issues[0])


# -- definition-time argument checks ---------------------------------------------------------

BAD_ARGUMENTS: list[tuple[Callable[[], object], str]] = [
    (lambda: from_validator("string"), r"from_validator\(\) expects a vschema validator"),  # type: ignore[arg-type]
    (lambda: from_validator({"a": v.string()}), "expects a vschema validator"),  # type: ignore[arg-type]
    (lambda: invalid(str), r"invalid\(\) expects a vschema validator"),  # type: ignore[arg-type]
    (lambda: invalid(v.string(), codes="no_match"), "codes must be a collection"),  # type: ignore[arg-type]
    (lambda: invalid(v.string(), codes=["nope"]), "unknown issue code"),  # type: ignore[list-item]
    (lambda: invalid(v.any(), codes=["missing_field"]), "admits no invalid value"),
    (lambda: for_table(object(), "t"), "expects a schema built with vschema.define_schema"),  # type: ignore[arg-type]
    (lambda: for_table(TABLES, "nope"), "table 'nope' is not in this schema"),
    (lambda: for_table(TABLES, 3), "the table name must be a str"),  # type: ignore[arg-type]
    (lambda: for_table(TABLES, "logs", document=1), "document must be True or False"),  # type: ignore[arg-type]
    (lambda: invalid_for_table(TABLES, "logs", codes=["nope"]), "unknown issue code"),  # type: ignore[list-item]
    (lambda: validators(max_depth=-1), "max_depth must be an int >= 0"),
    (lambda: validators(max_fields=True), "max_fields must be an int >= 0"),
    (lambda: validators(max_depth=65), "beyond Convex's nesting limit"),
    (lambda: register_types("seed_types"), "expects the module vschema codegen generated"),  # type: ignore[arg-type]
    (lambda: register_types(sys), "no types module generated by this vschema"),
]


@pytest.mark.parametrize(("call", "message"), BAD_ARGUMENTS)
def test_arguments_are_checked_when_the_strategy_is_defined(
    call: Callable[[], object], message: str
) -> None:
    with pytest.raises(InvalidArgument, match=message):
        call()  # no draw: the check runs at definition time


def test_import_without_hypothesis_says_what_to_install() -> None:
    script = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'hypothesis' or name.startswith('hypothesis.'):\n"
        "            raise ImportError('blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
        "try:\n"
        "    import vschema.strategies\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert "pip install 'vschema[hypothesis]'" in out


# -- st.from_type for the generated TypedDicts -----------------------------------------------


@pytest.fixture(scope="module")
def generated() -> Iterator[dict[str, ModuleType]]:
    """The golden generated modules, imported as the CLI's users would import theirs."""
    sys.path.insert(0, str(GOLDEN))
    try:
        modules = {name: importlib.import_module(f"{name}_types") for name in ("seed", "stress")}
        schemas = {name: importlib.import_module(f"{name}_schema") for name in ("seed", "stress")}
        for module in modules.values():
            register_types(module)
        yield {**modules, **{f"{k}_schema": m for k, m in schemas.items()}}
    finally:
        sys.path.remove(str(GOLDEN))


@settings(max_examples=60)
@given(data=st.data())
def test_from_type_inquiry(generated: dict[str, ModuleType], data: st.DataObject) -> None:
    seed = generated["seed"]
    row = data.draw(st.from_type(seed.Inquiry))
    assert seed.parse_inquiry(row) is row
    document = data.draw(st.from_type(seed.InquiryDocument))
    assert seed.parse_inquiry_document(document) is document


@settings(max_examples=60)
@given(data=st.data())
def test_from_type_stress(generated: dict[str, ModuleType], data: st.DataObject) -> None:
    """IDs, int64 and bytes fields: Hypothesis's own TypedDict strategy would draw bad rows."""
    stress = generated["stress"]
    schema: Schema = generated["stress_schema"].schema
    user = data.draw(st.from_type(stress.User))
    assert stress.parse_user(user) is user
    assert stress.parse_user_document(data.draw(st.from_type(stress.UserDocument)))
    event = data.draw(st.from_type(stress.Event))  # a union alias: each member registered
    schema.validate("events", event)
    sms = data.draw(st.from_type(stress.EventSms))
    assert sms["kind"] == "sms"
    schema.validate("events", sms)
    email = data.draw(st.from_type(stress.EventEmailDocument))
    assert email["kind"] == "email"
    schema.validate_document("events", email)
    address = data.draw(st.from_type(stress.AddressDocument))
    schema.validate_document("addresses", address)


def test_from_type_draws_from_every_union_member(generated: dict[str, ModuleType]) -> None:
    stress = generated["stress"]
    kinds: set[str] = set()

    def both_seen(event: dict[str, Any]) -> bool:
        kinds.add(event["kind"])
        return kinds == {"email", "sms"}

    find(st.from_type(stress.Event), both_seen, settings=settings(max_examples=500, database=None))


def test_register_types_refuses_a_stale_module(generated: dict[str, ModuleType]) -> None:
    stale = ModuleType("stale_types")
    stale.__dict__.update(generated["seed"].__dict__)
    stale.__vschema_tables__ = {"inquiries": (("Inquiry", "Gone"),)}  # type: ignore[attr-defined]
    with pytest.raises(InvalidArgument, match="has no TypedDict 'Gone'"):
        register_types(stale)
    stale.__vschema_tables__ = {"nope": ()}  # type: ignore[attr-defined]
    with pytest.raises(InvalidArgument, match="names table 'nope'"):
        register_types(stale)
