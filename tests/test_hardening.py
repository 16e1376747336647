"""Regression tests for the hardening issue: each test names the item it pins.

The generated-code items are in `test_hardening_codegen.py`, the example backend's in
`test_hardening_backend.py`, the compiler's linearity in `test_hardening_compile.py` and the
strategies' in `test_hardening_strategies.py`; the long-standing security list is
`test_security.py`.
"""

from __future__ import annotations

import ast
import json
import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vschema import (
    COMMIT_TS,
    Issue,
    ValidationError,
    Validator,
    VObject,
    VUnion,
    define_schema,
    define_table,
    from_convex_json,
    to_convex_json,
    v,
)
from vschema.strategies import from_validator, invalid, validators
from vschema.validators._errors import MAX_ISSUES
from vschema.validators._interpret import explain as reference

SRC = Path(__file__).resolve().parent.parent / "src" / "vschema"


def reordered(validator: Validator, rnd: random.Random) -> Validator:
    """An equal copy of ``validator`` whose objects list their fields in another order."""
    if isinstance(validator, VObject):
        names = list(validator.fields)
        rnd.shuffle(names)
        fields = {name: reordered(validator.fields[name], rnd) for name in names}
        copy = v.object(fields)
        return copy.optional() if validator.is_optional else copy
    if isinstance(validator, VUnion):
        members = tuple(reordered(m, rnd) for m in validator.members)
        return VUnion(members, is_optional=validator.is_optional)
    from vschema import VArray, VRecord

    if isinstance(validator, VArray):
        return VArray(reordered(validator.element, rnd), is_optional=validator.is_optional)
    if isinstance(validator, VRecord):
        return VRecord(
            validator.key, reordered(validator.value, rnd), is_optional=validator.is_optional
        )
    return validator


def assert_consistent(validator: Validator, value: object) -> None:
    """`is_valid`, `errors` and `validate` agree with each other and with the interpreter."""
    issues = reference(validator, value)
    valid = validator.is_valid(value)
    assert valid == (not issues), (validator, value, issues)
    errors = validator.errors(value)
    assert errors == issues, (validator, value)
    if valid:
        assert validator.validate(value) is value
    else:
        assert errors, "errors() must never be empty for a value is_valid rejects"
        with pytest.raises(ValidationError) as caught:
            validator.validate(value)
        assert list(caught.value.issues) == issues


# --------------------------------------------------------------------------------------------
# 1. Programs shared between equal validators with another field order


def test_item_1_reordered_object_shares_no_positions() -> None:
    a = v.object({"a": v.string(), "b": v.string()})
    b = v.object({"b": v.string(), "a": v.string()})
    assert a == b
    a.validate({"a": "x", "b": "y"})  # compiles the locator for the equality class
    assert [(i.path, i.code) for i in b.errors({"a": "ok", "b": 5})] == [(("b",), "no_match")]
    with pytest.raises(ValidationError):
        b.validate({"a": "ok", "b": 5})


def test_item_1_pick_in_either_order_and_json_with_sorted_keys() -> None:
    users = v.object({"name": v.string(), "email": v.string(), "age": v.optional(v.number())})
    first, second = users.pick("name", "email"), users.pick("email", "name")
    first.validate({"name": "n", "email": "e"})
    assert [i.path for i in second.errors({"name": "n", "email": 1})] == [("email",)]
    sorted_json = json.loads(json.dumps(users.to_convex_json(), sort_keys=True))
    back = v.from_convex_json(sorted_json)
    users.validate({"name": "n", "email": "e"})
    assert [i.path for i in back.errors({"name": "n", "email": "e", "age": "x"})] == [("age",)]


@given(st.data())
def test_item_1_reordered_copies_agree(data: st.DataObject) -> None:
    """The agreement invariant on reordered copies: compile the original first, so a copy
    that wrongly shared its programs would read the original's field positions."""
    validator = data.draw(validators(max_depth=3))
    copy = reordered(validator, random.Random(data.draw(st.integers(0, 2**32))))
    assert copy == validator
    assert hash(copy) == hash(validator)
    good = data.draw(from_validator(validator))
    validator.validate(good)
    validator.errors(good)
    bad = data.draw(st.one_of(from_validator(validator), st.none(), st.integers(), st.text()))
    assert_consistent(copy, bad)
    assert_consistent(validator, bad)


def test_item_1_program_source_is_a_function_of_equality() -> None:
    from vschema.validators._compile import _render, _render_explainer

    rnd = random.Random(7)
    base = v.object(
        {
            "z": v.string(),
            "a": v.optional(v.number()),
            "m": v.object({"y": v.boolean(), "b": v.optional(v.null()), "k": v.bytes()}),
        }
    )
    for _ in range(5):
        copy = reordered(base, rnd)
        for render in (_render, _render_explainer):
            assert render(copy).source() == render(base).source()


# --------------------------------------------------------------------------------------------
# 2. Literal equality of negative whole numbers


@pytest.mark.parametrize("number", [-1, -2, -(2**40), 1, 0, 3])
def test_item_2_int_and_float_literals_of_one_number_are_equal(number: int) -> None:
    assert v.literal(number) == v.literal(float(number))
    assert hash(v.literal(number)) == hash(v.literal(float(number)))


def test_item_2_negative_zero_stays_apart() -> None:
    assert v.literal(0.0) != v.literal(-0.0)
    assert v.literal(0) != v.literal(-0.0)
    assert v.literal(True) != v.literal(1)


def test_item_2_union_tagged_by_minus_one_twice_is_not_tagged() -> None:
    from vschema.validators._interpret import union_tag

    union = v.union(
        v.object({"t": v.literal(-1), "a": v.string()}),
        v.object({"t": v.literal(-1.0), "b": v.string()}),
    )
    assert union_tag(union) is None
    assert union.is_valid({"t": -1, "b": "x"})
    assert_consistent(union, {"t": -1, "c": "x"})


# --------------------------------------------------------------------------------------------
# 7. Values that hold themselves, or one part many times


def test_item_7_a_list_holding_itself_twice_is_bounded() -> None:
    a: list[object] = []
    a.append(a)
    a.append(a)
    for validator in (v.any(), v.array(v.any()), v.object({"x": v.any()})):
        value: object = {"x": a} if isinstance(validator, VObject) else a
        assert not validator.is_valid(value)
        issues = validator.errors(value)
        assert 1 <= len(issues) <= MAX_ISSUES + 1
        assert issues[0].code == "too_nested"
        assert "contains itself" in issues[0].message


def test_item_7_a_dict_holding_itself() -> None:
    d: dict[str, object] = {}
    d["self"] = d
    issues = v.any().errors(d)
    assert [(i.path, i.code) for i in issues] == [(("self",), "too_nested")]


def test_item_7_shared_parts_are_walked_once_per_level() -> None:
    # 2**40 leaves unfolded, 41 lists in memory: is_valid must not unfold it.
    x: object = 1.5
    for _ in range(40):
        x = [x, x]
    assert v.any().is_valid(x)
    assert v.any().errors(x) == []
    # One bad leaf shared everywhere: issues are capped, and the last one says so.
    y: object = "\ud800"
    for _ in range(40):
        y = [y, y]
    issues = v.any().errors(y)
    assert len(issues) == MAX_ISSUES + 1
    assert issues[-1].code == "too_many_issues"
    assert {i.code for i in issues[:-1]} == {"invalid_string"}
    with pytest.raises(ValidationError) as caught:
        v.any().validate(y)
    assert len(caught.value.issues) == MAX_ISSUES + 1


def test_item_7_issue_cap_applies_to_plain_wide_values() -> None:
    validator = v.array(v.string())
    issues = validator.errors(list(range(5000)))
    assert len(issues) == MAX_ISSUES + 1
    assert issues[-1].code == "too_many_issues"
    assert reference(validator, list(range(5000))) == issues


# --------------------------------------------------------------------------------------------
# 8. Ints too long for str()

HUGE = 10**5000


@pytest.mark.parametrize(
    "call",
    [
        lambda: v.int64().validate(HUGE),
        lambda: v.number().validate(HUGE),
        lambda: v.string().validate(HUGE),
        lambda: v.any().validate([HUGE]),
        lambda: v.literal("a").validate(HUGE),
        lambda: v.union(v.string(), v.null()).validate(HUGE),
        lambda: v.object({"n": v.int64()}).validate({"n": -HUGE}),
        lambda: to_convex_json(HUGE),
        lambda: to_convex_json(HUGE, v.any()),
        lambda: from_convex_json(HUGE),
    ],
)
def test_item_8_huge_ints_in_values(call: object) -> None:
    with pytest.raises(ValidationError) as caught:
        call()  # type: ignore[operator]
    for issue in caught.value.issues:
        assert "digits" in issue.message or "Value does not match" in issue.message
        assert len(issue.message) < 1000
    str(caught.value)


def test_item_8_huge_ints_in_schemas() -> None:
    from vschema import SchemaError

    with pytest.raises(SchemaError, match="digits"):
        v.from_convex_json({"type": "literal", "value": HUGE})
    with pytest.raises(SchemaError, match="digits"):
        define_schema(
            {
                "t": define_table({"e": v.array(v.float64())}).vector_index(
                    "by_e", vector_field="e", dimensions=HUGE
                )
            }
        )
    with pytest.raises(SchemaError):
        v.literal(HUGE)
    with pytest.raises(SchemaError):
        v.literal(HUGE, int64=True)


# --------------------------------------------------------------------------------------------
# 9. Dict keys are exactly str, and displaying a value never runs its code


class Key(str):
    """A str subclass: its text is "a", but it is not exactly a str."""


class Liar(str):
    """Claims to equal every string and hashes like "a", while its text is something else."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return hash("a")

    def __repr__(self) -> str:
        raise RuntimeError("repr ran")

    __str__ = __repr__


class Raising:
    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq ran")

    def __hash__(self) -> int:
        return hash("a")

    def __repr__(self) -> str:
        raise RuntimeError("repr ran")


@pytest.mark.parametrize("key", [Key("a"), Liar("zzz"), Raising()], ids=type)
@pytest.mark.parametrize(
    "validator",
    [v.object({"a": v.string()}), v.any(), v.record(v.string(), v.string())],
    ids=repr,
)
def test_item_9_keys_must_be_exactly_str(key: object, validator: Validator) -> None:
    value = {key: "x"}
    assert not validator.is_valid(value)
    issues = validator.errors(value)
    assert issues
    assert "invalid_field_name" in {i.code for i in issues}
    with pytest.raises(ValidationError):
        validator.validate(value)
    assert reference(validator, value) == issues
    json.dumps([i.as_dict() for i in issues])


def test_item_9_a_lying_key_cannot_stand_in_for_a_field() -> None:
    validator = v.object({"a": v.string()})
    value = {Liar("zzz"): "x"}
    # json.dumps would write {"zzz": "x"}: this must not pass as {"a": "x"}.
    assert json.dumps(value) == '{"zzz": "x"}'
    assert not validator.is_valid(value)
    issues = validator.errors(value)
    assert [(i.path, i.code) for i in issues] == [
        (("a",), "missing_field"),
        (("zzz",), "invalid_field_name"),
    ]


def test_item_9_messages_never_run_user_code() -> None:
    class Loud:
        def __repr__(self) -> str:
            raise AssertionError("repr must not run")

        def __str__(self) -> str:
            raise AssertionError("str must not run")

    for validator in (v.string(), v.any(), v.object({"a": v.string()})):
        for value in (Loud(), [Loud()], {"a": Loud()}, {Loud(): 1}):
            issues = validator.errors(value)
            assert issues
            for issue in issues:
                str(issue)
                json.dumps(issue.as_dict())


# --------------------------------------------------------------------------------------------
# 10. Lone surrogates in keys


@pytest.mark.parametrize(
    "validator",
    [v.any(), v.object({"a": v.string()}), v.record(v.string(), v.number())],
    ids=repr,
)
@pytest.mark.parametrize("key", ["\ud800", "a\udfffb", "\x00\ud83d"])
def test_item_10_as_dict_is_always_utf8_json(validator: Validator, key: str) -> None:
    issues = validator.errors({key: 1})
    assert issues
    for issue in issues:
        json.dumps(issue.as_dict(), ensure_ascii=False).encode("utf-8")
        str(issue).encode("utf-8")
        issue.message.encode("utf-8")
        issue.path_text.encode("utf-8")


@given(st.dictionaries(st.text(max_size=4), st.one_of(st.none(), st.text(max_size=3)), max_size=4))
def test_item_10_any_value_any_key(value: dict[str, object]) -> None:
    for validator in (v.any(), v.object({"a": v.optional(v.string())})):
        for issue in validator.errors(value):
            json.dumps(issue.as_dict(), ensure_ascii=False).encode("utf-8")
            str(issue).encode("utf-8")


# --------------------------------------------------------------------------------------------
# 12. Unions of many literals


def test_item_12_messages_of_huge_literal_unions_are_short() -> None:
    union = v.union(*[v.literal(f"k{i}") for i in range(10_000)])
    issues = union.errors("nope")
    assert [i.code for i in issues] == ["literal_mismatch"]
    assert len(issues[0].message) < 3000
    assert "and 9990 more" in issues[0].message
    numbers = v.union(*[v.literal(i) for i in range(10_000)])
    assert numbers.is_valid(9_999)
    assert numbers.is_valid(9_999.0)
    assert not numbers.is_valid(-1)
    assert len(numbers.errors(-1)[0].message) < 3000


def test_item_12_validator_display_is_bounded_for_shared_trees() -> None:
    x: Validator = v.string()
    for _ in range(30):
        x = v.object({"l": x, "r": x})
    issues = v.object({"top": x}).errors({"top": 5})
    assert len(issues[0].message) < 3000


# --------------------------------------------------------------------------------------------
# 13. v.commitTs()


def test_item_13_commit_ts_accepts_int64_and_the_placeholder() -> None:
    ts = v.commitTs()
    assert v.commit_ts() is ts
    assert repr(ts) == "v.commitTs()"
    for good in (0, -(2**63), 2**63 - 1, COMMIT_TS):
        assert_consistent(ts, good)
        assert ts.is_valid(good)
    for bad in (2**63, 1.0, True, None, "1", [COMMIT_TS]):
        assert_consistent(ts, bad)
        assert not ts.is_valid(bad)
    assert [i.code for i in ts.errors(2**63)] == ["out_of_range"]
    assert [i.code for i in ts.errors(1.5)] == ["no_match"]
    assert v.any().is_valid({"at": COMMIT_TS})


def test_item_13_commit_ts_json_forms_and_schema_export() -> None:
    assert v.commitTs().to_convex_json() == {"type": "commitTs"}
    assert v.from_convex_json({"type": "commitTs"}) == v.commitTs()
    assert to_convex_json(COMMIT_TS, v.commitTs()) == {"$commitTs": None}
    assert to_convex_json(7, v.commitTs()) == {"$integer": "BwAAAAAAAAA="}
    assert from_convex_json({"$commitTs": None}) is COMMIT_TS
    schema = define_schema({"events": define_table({"at": v.commitTs()})})
    exported = json.loads(json.dumps(schema.to_convex_json()))
    assert define_schema(exported) == schema
    import pickle

    assert pickle.loads(pickle.dumps(COMMIT_TS)) is COMMIT_TS


# --------------------------------------------------------------------------------------------
# Structure: validators/ never imports codegen/, and no two modules import each other


def _imports(path: Path) -> set[str]:
    """Every vschema module ``path`` imports, at any level (TYPE_CHECKING blocks excepted)."""
    tree = ast.parse(path.read_text())
    type_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_only.update(id(n) for n in ast.walk(node))
    found = set()
    package = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:
                base = ".".join([*package.split(".")[: -node.level], node.module])
            if base.startswith("vschema"):
                found.add(base)
                for alias in node.names:
                    found.add(f"{base}.{alias.name}")
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("vschema"))
    return found


def _module_graph() -> dict[str, set[str]]:
    modules = {
        ".".join(p.relative_to(SRC.parent).with_suffix("").parts).removesuffix(".__init__"): p
        for p in SRC.rglob("*.py")
    }
    return {name: _imports(path) & set(modules) - {name} for name, path in modules.items()}


def test_validators_never_import_codegen() -> None:
    for name, targets in _module_graph().items():
        if name.startswith("vschema.validators"):
            assert not {t for t in targets if t.startswith("vschema.codegen")}, name


def test_no_import_cycles_between_modules() -> None:
    graph = _module_graph()
    # A package's __init__ may import its own submodules (that is how it is assembled); a
    # cycle is any other path back to where it started.
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph.get(name, ())):
            if name.startswith(target + ".") or target.startswith(name + "."):
                continue
            if state.get(target) == 1:
                pytest.fail("import cycle: " + " -> ".join([*trail, name, target]))
            if target not in state:
                visit(target, [*trail, name])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_import_vschema_stays_light() -> None:
    import subprocess

    # The compiler loads on a validator's first check, the JSON parser on the first
    # validate_json; typing_extensions only for type checkers.
    heavy = (
        "base64",
        "json",
        "jinja2",
        "hypothesis",
        "typing_extensions",
        "vschema.codegen",
        "vschema.strategies",
        "vschema.validators._compile",
        "vschema.validators._interpret",
    )
    loaded = f"print(sorted(m for m in sys.modules if m.startswith({heavy})))"
    # Defining a schema loads no compiler either: that waits for its first check.
    for imports in ("import sys, vschema", "import sys; from vschema import define_schema, v"):
        out = subprocess.run(
            [sys.executable, "-c", f"{imports}; {loaded}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert out.strip() == "[]", imports


def test_issue_keeps_its_three_positional_fields() -> None:
    issue = Issue(("a",), "no_match", "m")
    assert (issue.path, issue.code, issue.message) == (("a",), "no_match", "m")
    assert issue.as_dict(detail=True)["message"] == "m"


def test_item_7_document_limits_measure_shared_parts_once() -> None:
    schema = define_schema({"t": define_table(v.any())})
    x: object = 1.0
    for _ in range(60):
        x = [x, x]
    with pytest.raises(ValidationError) as caught:
        schema.validate("t", {"a": x})
    assert [i.code for i in caught.value.issues] == ["too_nested", "too_large"]
    y: object = "s"
    for _ in range(14):
        y = [y, y]
    with pytest.raises(ValidationError) as caught:
        schema.validate("t", {"a": [y] * 64})
    assert [i.code for i in caught.value.issues] == ["too_large"]


def test_item_11_table_checks_measure_each_distinct_node_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from vschema.validators import _documents

    calls = 0
    measure = _documents._max_nesting

    def counting(validator: Validator, seen: dict[int, int | None]) -> int | None:
        nonlocal calls
        calls += 1
        return measure(validator, seen)

    monkeypatch.setattr(_documents, "_max_nesting", counting)
    x: Validator = v.id("t")
    for _ in range(40):
        x = v.object({"l": x, "r": x})
    schema = define_schema({"t": define_table({"x": x}).index("by_x", ["x.l.l"])})
    with pytest.raises(ValidationError):
        schema.validate("t", {"x": 5})
    assert calls <= 3 * 42


def test_item_13_rows_and_documents_hold_the_placeholder() -> None:
    schema = define_schema({"events": define_table({"at": v.commitTs(), "any": v.any()})})
    row = {"at": COMMIT_TS, "any": [COMMIT_TS]}
    assert schema.validate("events", row) is row


def test_item_11_equality_of_shared_trees_built_apart_is_linear(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def dag(levels: int, leaf: Validator) -> Validator:
        x = leaf
        for _ in range(levels):
            x = v.union(v.object({"l": x, "r": v.array(x)}), v.null())
        return x

    from vschema.validators import _nodes

    compared = 0
    generated = _nodes.VObject.__eq__

    def counting(self: Validator, other: object) -> object:
        nonlocal compared
        compared += 1
        return generated(self, other)

    monkeypatch.setattr(_nodes.VObject, "__eq__", counting)
    a, b = dag(30, v.string()), dag(30, v.string())
    assert a is not b
    assert a == b
    assert hash(a) == hash(b)
    assert compared <= 4 * 30
    assert a != dag(30, v.number())
    assert a.is_valid(None)
    assert b.errors({"l": None, "r": [5]})


def test_item_7_a_cut_list_still_names_the_tagged_member() -> None:
    union = v.union(
        v.object({"kind": v.literal("a"), "xs": v.array(v.string())}),
        v.object({"kind": v.literal("b"), "n": v.number()}),
    )
    value = {"kind": "a", "xs": list(range(300))}
    issues = union.errors(value)
    assert issues == reference(union, value)
    assert len(issues) == MAX_ISSUES + 1
    assert "Union member chosen by `kind`" in issues[0].message


def test_item_1_messages_are_a_function_of_equality() -> None:
    # v.literal(0) == v.literal(0.0): equal validators share programs, so their messages
    # must not depend on how the number was spelled.
    as_int = v.union(v.literal(False), v.literal(""), v.literal(0))
    as_float = v.union(v.literal(False), v.literal(""), v.literal(0.0))
    assert as_int == as_float
    assert as_int.errors(None) == reference(as_int, None)
    assert as_float.errors(None) == reference(as_float, None) == as_int.errors(None)
    assert 'expected one of false, "", 0.0.' in as_float.errors(None)[0].message


@settings(max_examples=100)
@given(st.data())
def test_item_1_agreement_on_deep_shared_trees_and_reordered_copies(data: st.DataObject) -> None:
    """The agreement invariant on deep trees that reuse subtrees (max_depth 8), and on a
    reordered copy of each, compiled after the original."""
    validator = data.draw(validators(max_depth=8, shared=True))
    copy = reordered(validator, random.Random(data.draw(st.integers(0, 2**32))))
    value = data.draw(st.one_of(from_validator(validator), st.none(), st.integers()))
    validator.validate(value) if validator.is_valid(value) else validator.errors(value)
    assert_consistent(copy, value)
    assert_consistent(validator, value)
    if data.draw(st.booleans()):
        bad, expected = data.draw(invalid(validator))
        assert_consistent(copy, bad)
        assert expected.matches(copy.errors(bad)[0])


def test_item_11_repr_of_a_shared_tree_is_bounded() -> None:
    x: Validator = v.string()
    for _ in range(40):
        x = v.object({"l": x, "r": x})
    assert len(repr(x)) < 30_000
    assert repr(x).startswith("v.object({l: v.object({l: ")


def test_issue_is_immutable_and_never_a_tuple() -> None:
    import json
    import pickle

    from vschema.validators._errors import make_issue

    issue = Issue(("a", 1), "no_match", "m", "string", "number")
    assert issue.hint == ""
    assert make_issue((("a", 1), "no_match", "m", "string", "number", "")) == issue
    with pytest.raises(AttributeError, match="immutable"):
        issue.message = "other"  # type: ignore[misc]
    changed = issue.__replace__(message="n")
    assert (changed.message, issue.message, changed.path) == ("n", "m", ("a", 1))
    assert pickle.loads(pickle.dumps(issue)) == issue
    assert repr(issue) == (
        "Issue(path=('a', 1), code='no_match', message='m', expected='string', "
        "received='number', hint='')"
    )
    assert {issue: 1}[Issue(("a", 1), "no_match", "m", "string", "number")] == 1
    assert issue != (("a", 1), "no_match", "m", "string", "number", "")
    # Its message shows the value: only `as_dict` may carry an issue out, never by accident.
    with pytest.raises(TypeError):
        json.dumps(issue)
    with pytest.raises(TypeError):
        tuple(issue)  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        ValidationError(issue)  # type: ignore[arg-type]
    match issue:
        case Issue(path, "no_match"):
            assert path == ("a", 1)
        case _:
            raise AssertionError("pattern matching on Issue")
    # A pickle of an Issue from before it held one slot (attrs: the fields by name).
    old = Issue.__new__(Issue)
    old.__setstate__(
        {"path": (), "code": "no_match", "message": "m", "expected": "", "received": "", "hint": ""}
    )
    assert old == Issue((), "no_match", "m")


def test_valid_values_never_compile_an_explainer() -> None:
    # The explainer is compiled on a value's first failure only: a valid value is settled by
    # the locator's pass alone, whichever call asks (errors, first_issue or validate).
    row = v.object({"a": v.string(), "u": v.union(v.literal("x"), v.object({"k": v.int64()}))})
    for value in ({"a": "s", "u": "x"}, {"a": "s", "u": {"k": 1}}):
        assert row.errors(value) == []
        assert row.first_issue(value) is None
        assert row.validate(value) is value
    assert row._explain is None
    assert row.errors({"a": 1, "u": "x"})[0].path == ("a",)
    assert row._explain is not None
