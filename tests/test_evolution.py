"""`vschema.evolution.diff`: exact verdicts, verified witnesses, changes in words, plans.

A corpus of hand-written pairs with known verdicts covers every rule (unions that only an exact
procedure gets right among them); property tests draw a validator and a mutation of it and
check each verdict against drawn values; the plan is verified by the same decision.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, assume, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from vschema import COMMIT_TS, SchemaError, Validator, define_schema, define_table, v
from vschema.evolution import Verdict, diff
from vschema.evolution._plan import plan, widen
from vschema.evolution._subset import Decider, Unknown
from vschema.strategies import from_validator, rows_breaking, validators
from vschema.validators._nodes import VArray, VLiteral, VObject, VRecord, VUnion

x, y, z = v.literal("x"), v.literal("y"), v.literal("z")

# (name, old, new, stored data compatible, writers compatible)
CORPUS: list[tuple[str, Validator, Validator, bool, bool]] = [
    ("same", v.string(), v.string(), True, True),
    ("literal to base", v.literal("a"), v.string(), True, False),
    ("base to literals", v.string(), v.union(x, y), False, True),
    (
        "boolean is two literals",
        v.boolean(),
        v.union(v.literal(True), v.literal(False)),
        True,
        True,
    ),
    ("boolean to one literal", v.boolean(), v.literal(True), False, True),
    ("int64 to float64", v.int64(), v.float64(), False, False),
    ("float64 to int64", v.float64(), v.int64(), False, False),
    ("commitTs is int64 when stored", v.commitTs(), v.int64(), True, True),
    ("int64 literal to int64", v.literal(5, int64=True), v.int64(), True, False),
    ("int64 literal to float64", v.literal(5, int64=True), v.float64(), False, False),
    ("float literal to float64", v.literal(5), v.float64(), True, False),
    ("float literal to int64 literal", v.literal(5), v.literal(5, int64=True), False, False),
    ("-0.0 is not 0.0", v.literal(-0.0), v.literal(0.0), False, False),
    ("ids of different tables", v.id("users"), v.id("teams"), False, False),
    ("id to string", v.id("users"), v.string(), True, False),
    ("string to id", v.string(), v.id("users"), False, True),
    ("ids of two tables to both", v.union(v.id("a"), v.id("b")), v.id("a"), False, True),
    ("null to nullable", v.null(), v.nullable(v.string()), True, False),
    ("nullable to non-null", v.nullable(v.string()), v.string(), False, True),
    ("any to string", v.any(), v.string(), False, True),
    ("string to any", v.string(), v.any(), True, False),
    (
        "any is the union of every kind",
        v.any(),
        v.union(
            v.null(),
            v.boolean(),
            v.float64(),
            v.int64(),
            v.string(),
            v.bytes(),
            v.array(v.any()),
            v.record(v.string(), v.any()),
        ),
        True,
        True,
    ),
    (
        "any misses one kind",
        v.any(),
        v.union(v.null(), v.boolean(), v.float64(), v.int64(), v.string(), v.bytes()),
        False,
        True,
    ),
    ("empty union to anything", v.union(), v.string(), True, False),
    ("nothing left", v.string(), v.union(), False, True),
    (
        "optional to required",
        v.object({"a": v.optional(v.string())}),
        v.object({"a": v.string()}),
        False,
        True,
    ),
    (
        "optional field added",
        v.object({"a": v.string()}),
        v.object({"a": v.string(), "b": v.optional(v.string())}),
        True,
        False,
    ),
    (
        "required field added",
        v.object({"a": v.string()}),
        v.object({"a": v.string(), "b": v.string()}),
        False,
        False,
    ),
    (
        "optional field removed",
        v.object({"a": v.string(), "b": v.optional(v.string())}),
        v.object({"a": v.string()}),
        False,
        True,
    ),
    ("empty required field", v.object({"a": v.union()}), v.object({"b": v.string()}), True, False),
    # Unions only an exact procedure gets right: one OLD member split across NEW members.
    (
        "split across members",
        v.object({"a": v.union(x, y)}),
        v.union(v.object({"a": x}), v.object({"a": y})),
        True,
        True,
    ),
    (
        "split on two fields, covered",
        v.object({"a": v.union(x, y), "b": v.union(x, y)}),
        v.union(v.object({"a": x, "b": v.union(x, y)}), v.object({"a": y, "b": v.string()})),
        True,
        False,
    ),
    (
        "split on two fields, a corner missing",
        v.object({"a": v.union(x, y), "b": v.union(x, y)}),
        v.union(v.object({"a": x, "b": x}), v.object({"a": y, "b": y})),
        False,
        True,
    ),
    (
        "three-way split with an optional field",
        v.object({"a": v.union(x, y, z), "b": v.optional(v.string())}),
        v.union(
            v.object({"a": v.union(x, y)}),
            v.object({"a": z, "b": v.optional(v.string())}),
            v.object({"a": v.union(x, y), "b": v.string()}),
        ),
        True,
        True,
    ),
    ("mixed arrays", v.array(v.union(x, y)), v.union(v.array(x), v.array(y)), False, True),
    ("array widened", v.array(v.string()), v.array(v.nullable(v.string())), True, False),
    (
        "record to object",
        v.record(v.string(), v.string()),
        v.object({"a": v.optional(v.string())}),
        False,
        True,
    ),
    (
        "object to record",
        v.object({"a": v.optional(v.string())}),
        v.record(v.string(), v.string()),
        True,
        False,
    ),
    (
        "record keys narrowed",
        v.record(v.string(), v.string()),
        v.record(v.id("users"), v.string()),
        False,
        True,
    ),
    (
        "mixed record values",
        v.record(v.string(), v.union(v.string(), v.int64())),
        v.union(v.record(v.string(), v.string()), v.record(v.string(), v.int64())),
        False,
        True,
    ),
    ("empty object to record", v.object({}), v.record(v.string(), v.string()), True, False),
    (
        "object against an object and a record",
        v.object({"a": v.string(), "b": v.optional(v.int64())}),
        v.union(v.object({"a": v.string()}), v.record(v.string(), v.string())),
        False,
        False,
    ),
    (
        "object split into an object each way",
        v.object({"a": v.string(), "b": v.optional(v.int64())}),
        v.union(v.object({"a": v.string()}), v.object({"a": v.string(), "b": v.int64()})),
        True,
        True,
    ),
    (
        "tagged union, one member changed",
        v.union(
            v.object({"kind": v.literal("a"), "n": v.string()}),
            v.object({"kind": v.literal("b"), "n": v.int64()}),
        ),
        v.union(
            v.object({"kind": v.literal("a"), "n": v.string()}),
            v.object({"kind": v.literal("b"), "n": v.float64()}),
        ),
        False,
        False,
    ),
    ("reordered union", v.union(v.string(), v.int64()), v.union(v.int64(), v.string()), True, True),
    ("field any to string", v.object({"a": v.any()}), v.object({"a": v.string()}), False, True),
]


def _check_verdict(old: Validator, new: Validator, verdict: Verdict, compatible: bool) -> None:
    # Verification never fails: a verdict is never "unknown" on these small schemas.
    assert verdict.status == ("compatible" if compatible else "breaking"), verdict
    if compatible:
        assert verdict.witness is None
        return
    witness = verdict.witness
    assert witness is not None
    assert old.errors(witness.value) == []
    if witness.python_visible:
        issues = new.errors(witness.value)
        assert issues
        assert (issues[0].path, issues[0].code) == (witness.path, witness.code)
    else:
        # Only Int64 against Float64, or IDs of another table, hide from the Python spelling.
        assert new.is_valid(witness.value)
        assert witness.code in ("no_match", "wrong_table")


@pytest.mark.parametrize(
    ("old", "new", "stored", "writers"),
    [case[1:] for case in CORPUS],
    ids=[case[0] for case in CORPUS],
)
def test_corpus(old: Validator, new: Validator, stored: bool, writers: bool) -> None:
    result = diff(old, new)
    _check_verdict(old, new, result.stored, stored)
    _check_verdict(new, old, result.writers, writers)


def test_witnesses_are_small_and_exact() -> None:
    result = diff(
        v.object({"a": v.union(x, y), "b": v.union(x, y)}),
        v.union(v.object({"a": x, "b": x}), v.object({"a": y, "b": y})),
    )
    assert result.stored.witness is not None
    assert result.stored.witness.value in ({"a": "x", "b": "y"}, {"a": "y", "b": "x"})
    mixed = diff(v.array(v.union(x, y)), v.union(v.array(x), v.array(y))).stored.witness
    assert mixed is not None
    assert sorted(mixed.value) == ["x", "y"]
    optional = diff(v.object({"a": v.optional(v.string())}), v.object({"a": v.string()}))
    assert optional.stored.witness is not None
    assert optional.stored.witness.value == {}


def test_int64_witness_in_convex_json() -> None:
    result = diff(v.object({"n": v.literal(5, int64=True)}), v.object({"n": v.float64()}))
    witness = result.stored.witness
    assert witness is not None
    assert witness.convex_json == {"n": {"$integer": "BQAAAAAAAAA="}}
    assert witness.value == {"n": 5}
    assert not witness.python_visible
    # Where the Python spelling can show it, the witness is picked so that it does.
    wide = diff(v.int64(), v.float64()).stored.witness
    assert wide is not None
    assert wide.python_visible
    assert wide.value == 2**53 + 1


def test_changes_in_words() -> None:
    old = v.object(
        {
            "status": v.union(v.literal("active"), v.literal("archived")),
            "tags": v.array(v.string()),
            "bio": v.optional(v.string()),
            "legacy": v.optional(v.string()),
        }
    )
    new = v.object(
        {
            "status": v.literal("active"),
            "tags": v.array(v.int64()),
            "bio": v.string(),
            "nickname": v.optional(v.string()),
        }
    )
    texts = [str(change) for change in diff(old, new).changes]
    assert texts == [
        'status: literal "archived" removed',
        "tags: element v.string() → v.int64()",
        "bio: optional → required",
        "legacy: optional field removed",
        "nickname: optional field added",
    ]
    flags = {c.path: (c.stored, c.writers) for c in diff(old, new).changes}
    assert flags == {
        "status": (True, False),
        "tags": (True, True),
        "bio": (True, False),
        "legacy": (True, False),
        "nickname": (False, True),
    }


def test_budget_gives_unknown_not_a_guess() -> None:
    fields = {f"f{i}": v.union(x, y) for i in range(6)}
    members = [
        v.object({**{f"f{j}": v.union(x, y) for j in range(6)}, f"f{i}": x}) for i in range(6)
    ]
    old, new = v.object(fields), v.union(*members)
    exact = diff(old, new)
    assert exact.stored.status == "breaking"  # all six fields "y" escapes every member
    assert exact.stored.witness is not None
    assert exact.stored.witness.value == {f"f{i}": "y" for i in range(6)}
    limited = diff(old, new, budget=5)
    assert limited.stored.status == "unknown"
    assert "steps" in limited.stored.reason
    with pytest.raises(Unknown):
        Decider(budget=1).witness(old, [new])


def test_diff_rejects_mixed_arguments() -> None:
    with pytest.raises(SchemaError, match="two validators or two schemas"):
        diff(v.string(), define_schema({}))  # type: ignore[call-overload]


# -- schemas ----------------------------------------------------------------------------------


def _contact(project_type: Validator) -> Any:
    return define_schema(
        {
            "inquiries": define_table(
                {
                    "name": v.string(),
                    "email": v.string(),
                    "projectType": project_type,
                    "description": v.string(),
                }
            ).index("by_email", ["email"]),
        }
    )


OLD_TYPES = v.union(
    v.literal("saas_mvp"), v.literal("ai_agent"), v.literal("automation"), v.literal("other")
)
NEW_TYPES = v.union(v.literal("saas_mvp"), v.literal("ai_agent"), v.literal("automation"))


def test_schema_diff_narrowing_project_type() -> None:
    result = diff(_contact(OLD_TYPES), _contact(NEW_TYPES))
    table = result.table("inquiries")
    assert result.breaking
    assert table.breaking
    assert table.stored.status == "breaking"
    assert table.writers.status == "compatible"
    assert table.stored.witness is not None
    assert table.stored.witness.value["projectType"] == "other"
    assert table.stored.witness.path == ("projectType",)
    assert table.stored.witness.code == "literal_mismatch"
    assert [str(c) for c in table.changes] == ['projectType: literal "other" removed']


def test_schema_diff_tables_indexes_and_validation() -> None:
    old = define_schema(
        {
            "users": define_table({"name": v.string(), "email": v.string()})
            .index("by_email", ["email"])
            .index("by_name", ["name"]),
            "gone": define_table({"a": v.string()}),
        }
    )
    new = define_schema(
        {
            "users": define_table({"name": v.string(), "email": v.string()})
            .index("by_email", ["email", "name"])
            .search_index("search_name", search_field="name"),
            "posts": define_table({"author": v.id("users")}),
        },
        schema_validation=False,
    )
    result = diff(old, new)
    assert [(t.name, t.status) for t in result.tables] == [
        ("users", "changed"),
        ("gone", "removed"),
        ("posts", "added"),
    ]
    assert not result.breaking
    assert result.schema_validation == (True, False)
    changes = [str(c) for c in result.table("users").index_changes]
    assert changes == [
        "index by_email: [email] → [email, name]",
        "index by_name removed (was [name])",
        "search index search_name added: search name",
    ]
    assert result.as_dict()["schema_validation"] == {"old": True, "new": False}


def test_any_table_against_object_table() -> None:
    old = define_schema({"t": define_table(v.any())})
    new = define_schema({"t": define_table({"a": v.optional(v.string())})})
    result = diff(old, new).table("t")
    assert result.stored.status == "breaking"
    assert result.writers.status == "compatible"
    assert result.stored.witness is not None
    assert old.errors("t", result.stored.witness.value) == []


def test_witness_breaking_a_document_limit_is_unknown() -> None:
    # Required objects nested past Convex's 16 document levels: no document fits OLD at all.
    deep: Validator = v.string()
    for _ in range(17):
        deep = v.object({"a": deep})
    old = define_schema({"t": define_table({"a": deep})})
    new = define_schema({"t": define_table({"a": v.string()})})
    verdict = diff(old, new).table("t").stored
    assert verdict.status == "unknown"
    assert "too_nested" in verdict.reason or "nest" in verdict.reason


# -- plans ------------------------------------------------------------------------------------


def test_plan_for_the_contact_form() -> None:
    (step,) = plan(_contact(OLD_TYPES), _contact(NEW_TYPES))
    assert step.table == "inquiries"
    assert step.verified
    assert step.migrate == ("projectType",)
    decider = Decider()
    old = _contact(OLD_TYPES).tables["inquiries"].validator
    new = _contact(NEW_TYPES).tables["inquiries"].validator
    assert decider.subset(old, step.widened)
    assert decider.subset(new, step.widened)
    namespace: dict[str, Any] = {"v": v}
    exec(compile(step.widened_code, "<plan>", "eval"), namespace)
    assert eval(step.widened_code, namespace) == step.widened
    assert "Narrow" in step.text()
    assert "projectType" in step.text()


def test_plan_widens_field_by_field() -> None:
    old = v.object({"n": v.int64(), "gone": v.string()})
    new = v.object({"n": v.float64(), "added": v.string()})
    widened = widen(old, new)
    assert widened == v.object(
        {
            "n": v.union(v.int64(), v.float64()),
            "gone": v.optional(v.string()),
            "added": v.optional(v.string()),
        }
    )
    (step,) = plan(old, new)
    assert step.verified
    assert step.migrate == ("n", "gone", "added")
    assert plan(new, new) == []


# -- properties -------------------------------------------------------------------------------


def _nodes(validator: Validator, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    node = validator.required()
    if isinstance(node, VArray):
        out += _nodes(node.element, (*path, "element"))
    elif isinstance(node, VObject):
        for name, field in node.fields.items():
            out += _nodes(field, (*path, ("field", name)))
    elif isinstance(node, VRecord):
        out += _nodes(node.value, (*path, "value"))
    elif isinstance(node, VUnion):
        for index, member in enumerate(node.members):
            out += _nodes(member, (*path, ("member", index)))
    return out


def _replace(validator: Validator, path: tuple[Any, ...], new: Validator) -> Validator:
    if not path:
        return new.optional() if validator.is_optional else new.required()
    step, rest = path[0], path[1:]
    node = validator
    rebuilt: Validator
    if step == "element":
        assert isinstance(node, VArray)
        rebuilt = v.array(_replace(node.element, rest, new))
    elif step == "value":
        assert isinstance(node, VRecord)
        rebuilt = v.record(node.key, _replace(node.value, rest, new).required())
    elif step[0] == "field":
        assert isinstance(node, VObject)
        rebuilt = v.object(
            {k: _replace(f, rest, new) if k == step[1] else f for k, f in node.fields.items()}
        )
    else:
        assert isinstance(node, VUnion)
        rebuilt = v.union(
            *(
                _replace(m, rest, new).required() if i == step[1] else m
                for i, m in enumerate(node.members)
            )
        )
    return rebuilt.optional() if validator.is_optional else rebuilt


@st.composite
def mutated(draw: st.DrawFn) -> tuple[Validator, Validator]:
    old = draw(validators(max_depth=2, max_fields=3))
    path = draw(st.sampled_from(_nodes(old)))
    target = old
    for step in path:
        target = _child(target, step)
    kind = draw(
        st.sampled_from(["widen", "narrow", "reorder", "optional", "replace", "add", "remove"])
    )
    other = draw(validators(max_depth=1, max_fields=2))
    node = target.required()
    replacement: Validator
    if kind == "widen":
        replacement = v.union(node, other)
    elif kind == "narrow" and isinstance(node, VUnion) and node.members:
        replacement = v.union(*node.members[: len(node.members) - 1])
    elif kind == "reorder" and isinstance(node, VUnion):
        replacement = v.union(*reversed(node.members))
    elif kind == "optional" and isinstance(node, VObject) and node.fields:
        name = draw(st.sampled_from(sorted(node.fields)))
        field = node.fields[name]
        flipped = field.required() if field.is_optional else field.optional()
        replacement = node.extend({name: flipped})
    elif kind == "add" and isinstance(node, VObject):
        replacement = node.extend({"added_field": other.optional()})
    elif kind == "remove" and isinstance(node, VObject) and node.fields:
        replacement = node.omit(draw(st.sampled_from(sorted(node.fields))))
    else:
        replacement = other
    try:
        new = _replace(old, path, replacement)
    except SchemaError:
        assume(False)
    return old.required(), new.required()


def _child(node: Validator, step: Any) -> Validator:
    node = node.required()
    if step == "element":
        assert isinstance(node, VArray)
        return node.element
    if step == "value":
        assert isinstance(node, VRecord)
        return node.value
    if step[0] == "field":
        assert isinstance(node, VObject)
        return node.fields[step[1]]
    assert isinstance(node, VUnion)
    return node.members[step[1]]


def _holds_placeholder(value: object) -> bool:
    # Stored documents never hold the commit-timestamp placeholder (Convex replaces it when
    # the write commits), so diff reads v.commitTs() as v.int64(); draws that hold it are not
    # stored values.
    if value is COMMIT_TS:
        return True
    if isinstance(value, list):
        return any(_holds_placeholder(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_placeholder(item) for item in value.values())
    return False


@settings(
    max_examples=120, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(pair=mutated(), data=st.data())
def test_random_mutations(pair: tuple[Validator, Validator], data: st.DataObject) -> None:
    old, new = pair
    result = diff(old, new)
    for verdict, a, b in ((result.stored, old, new), (result.writers, new, old)):
        assert verdict.status != "unknown", verdict.reason
        if verdict.status == "breaking":
            _check_verdict(a, b, verdict, compatible=False)
        else:
            # Compatible: values drawn from one side all pass the other.
            for _ in range(8):
                value = data.draw(from_validator(a))
                if not _holds_placeholder(value):
                    assert b.is_valid(value), (a, b, value)


# -- rows_breaking ----------------------------------------------------------------------------


@settings(max_examples=60)
@given(data=st.data())
def test_rows_breaking_draws_rows_old_accepts_and_new_rejects(data: st.DataObject) -> None:
    old, new = _contact(OLD_TYPES), _contact(NEW_TYPES)
    row = data.draw(rows_breaking(old, new, "inquiries"))
    assert old.errors("inquiries", row) == []
    assert new.errors("inquiries", row)


def test_rows_breaking_varies_beyond_the_witness() -> None:
    old, new = _contact(OLD_TYPES), _contact(NEW_TYPES)
    witness = diff(old, new).table("inquiries").stored.witness
    assert witness is not None
    other = find(
        rows_breaking(old, new, "inquiries"),
        lambda row: row != witness.value,
        settings=settings(max_examples=200, database=None),
    )
    assert other["projectType"] == "other"
    assert new.errors("inquiries", other)


def test_rows_breaking_refuses_what_it_cannot_draw() -> None:
    old = _contact(OLD_TYPES)
    with pytest.raises(InvalidArgument, match="accepts every row"):
        rows_breaking(old, old, "inquiries")
    with pytest.raises(InvalidArgument, match="not in the new schema"):
        rows_breaking(old, define_schema({}), "inquiries")
    ints = define_schema({"t": define_table({"n": v.literal(5, int64=True)})})
    floats = define_schema({"t": define_table({"n": v.float64()})})
    with pytest.raises(InvalidArgument, match="only in Convex's types"):
        rows_breaking(ints, floats, "t")


# -- every node kind --------------------------------------------------------------------------

KINDS: dict[str, Validator] = {
    "VString": v.string(),
    "VFloat64": v.float64(),
    "VInt64": v.int64(),
    "VCommitTs": v.commitTs(),
    "VBoolean": v.boolean(),
    "VNull": v.null(),
    "VBytes": v.bytes(),
    "VAny": v.any(),
    "VId": v.id("users"),
    "VLiteral": v.literal("a"),
    "VArray": v.array(v.string()),
    "VObject": v.object({"a": v.optional(v.string())}),
    "VRecord": v.record(v.string(), v.int64()),
    "VUnion": v.union(v.string(), v.object({"b": v.null()})),
}


def test_every_node_class_is_a_kind_here() -> None:
    assert {cls.__name__ for cls in Validator.__subclasses__()} == set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_against_itself_nothing_and_anything(kind: str) -> None:
    node = KINDS[kind]
    same = diff(node, node)
    assert (same.stored.status, same.writers.status, same.changes) == ("compatible",) * 2 + ((),)
    # Every kind has a value, so against nothing it breaks, with a verified witness.
    _check_verdict(node, v.union(), diff(node, v.union()).stored, compatible=False)
    wrapped = v.object({"f": node.optional()})
    _check_verdict(wrapped, v.object({}), diff(wrapped, v.object({})).stored, compatible=False)
    anything = diff(v.any(), node)
    _check_verdict(v.any(), node, anything.stored, compatible=kind == "VAny")
    assert anything.writers.status == "compatible"


# -- exactness against brute force --------------------------------------------------------------
#
# Validators over finite value sets (literals, booleans, null, objects and unions of them) can
# be enumerated: OLD is a subset of NEW exactly when every value of OLD passes NEW. Random pairs
# of such validators (unions of objects split and merged every which way) check the procedure
# is exact on both answers, not only sound on one.

_FINITE_LEAVES = st.sampled_from(
    [
        v.literal("x"),
        v.literal("y"),
        v.literal("z"),
        v.literal(1),
        v.literal(1, int64=True),
        v.null(),
        v.boolean(),
        v.literal(True),
        v.union(),
    ]
)


def _finite_objects(children: st.SearchStrategy[Validator]) -> st.SearchStrategy[Validator]:
    field = st.tuples(children, st.booleans()).map(lambda p: p[0].optional() if p[1] else p[0])
    return st.dictionaries(st.sampled_from(["a", "b", "c"]), field, max_size=3).map(v.object)


_FINITE: st.SearchStrategy[Validator] = st.recursive(
    _FINITE_LEAVES,
    lambda children: st.one_of(
        _finite_objects(children),
        st.lists(children, min_size=1, max_size=3).map(lambda ms: v.union(*ms)),
    ),
    max_leaves=8,
)


def _values(node: Validator) -> list[object]:
    from vschema.evolution._values import literal_value

    node = node.required()
    if isinstance(node, VUnion):
        return [value for member in node.members for value in _values(member)]
    if isinstance(node, VObject):
        rows: list[dict[str, object]] = [{}]
        for name, field in node.fields.items():
            options: list[object] = [_ABSENT] if field.is_optional else []
            options += _values(field)
            rows = [
                {**row, **({} if option is _ABSENT else {name: option})}
                for row in rows
                for option in options
            ]
        return list(rows)
    if node == v.null():
        return [None]
    if node == v.boolean():
        return [False, True]
    assert isinstance(node, VLiteral)
    return [literal_value(node)]


_ABSENT = object()


@settings(max_examples=300)
@given(old=_FINITE, new=_FINITE)
def test_exact_on_finite_value_sets(old: Validator, new: Validator) -> None:
    from vschema.evolution._values import IdTables, convex_issue

    ids = IdTables()
    values = _values(old)
    assume(len(values) <= 2000)
    escapes = [value for value in values if convex_issue(new, value, ids) is not None]
    result = diff(old, new)
    assert result.stored.status == ("breaking" if escapes else "compatible")
    if escapes:
        _check_verdict(old, new, result.stored, compatible=False)
