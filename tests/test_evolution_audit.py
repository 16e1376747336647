"""Audit of `vschema.evolution.diff`: regressions for what the audit broke, and two brute-force
oracles the first tests lacked (objects split on union-typed fields across many right-hand
members; every kind, arrays, records, `v.any()`, IDs and numbers included, on sampled values).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import hypothesis.strategies as st
import pytest
from hypothesis import assume, given, settings
from test_evolution import _check_verdict

from vschema import v
from vschema.evolution import diff
from vschema.evolution._values import IdTables, Int64, convex_issue, literal_value
from vschema.validators._nodes import (
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
)

KINDS = [v.literal(f"k{i}") for i in range(30)]


def test_a_field_of_many_tags_split_across_members_on_a_second_field() -> None:
    # Each OLD kind is covered by two NEW members (x a string, x null). The box search alone
    # tried every assignment of 60 boxes to 2 fields: "unknown" after 200,000 steps (a minute).
    old = v.object({"kind": v.union(*KINDS), "x": v.union(v.string(), v.null())})
    strings = [v.object({"kind": k, "x": v.string()}) for k in KINDS]
    nulls = [v.object({"kind": k, "x": v.null()}) for k in KINDS]
    result = diff(old, v.union(*strings, *nulls), budget=5_000)
    _check_verdict(old, v.union(*strings, *nulls), result.stored, compatible=True)
    # One member short: breaking, with that kind and a string as the witness.
    short = v.union(*strings[:-1], *nulls)
    result = diff(old, short, budget=5_000)
    _check_verdict(old, short, result.stored, compatible=False)
    assert result.stored.witness is not None
    assert result.stored.witness.value == {"kind": "k29", "x": ""}


def test_optional_field_split_from_absent_and_present() -> None:
    # "absent" is a part of its own when an optional field is split on.
    old = v.object({"kind": v.union(*KINDS[:6]), "x": v.optional(v.boolean())})
    members = [
        v.object({"kind": k, **fields})
        for k in KINDS[:6]
        for fields in ({}, {"x": v.literal(True)}, {"x": v.literal(False)})
    ]
    _check_verdict(old, v.union(*members), diff(old, v.union(*members)).stored, compatible=True)
    fewer = v.union(*members[:-1])
    result = diff(old, fewer)
    _check_verdict(old, fewer, result.stored, compatible=False)


def test_tags_nested_one_object_down() -> None:
    # {p: {u: string | null}, q: ..., r: ..., s: ...} against all 16 members of the product:
    # unknown after 200,000 steps before the split looked into nested objects.
    one, other = v.object({"u": v.string()}), v.object({"u": v.null()})
    names = "pqrs"
    old = v.object({n: v.object({"u": v.union(v.string(), v.null())}) for n in names})
    members = [
        v.object(dict(zip(names, combo, strict=True)))
        for combo in itertools.product([one, other], repeat=4)
    ]
    new = v.union(*members)
    _check_verdict(old, new, diff(old, new, budget=5_000).stored, compatible=True)
    fewer = v.union(*members[1:])
    result = diff(old, fewer, budget=5_000)
    _check_verdict(old, fewer, result.stored, compatible=False)
    assert result.stored.witness is not None
    assert result.stored.witness.value == {n: {"u": ""} for n in names}


def test_wide_unions_of_literals() -> None:
    # A literal against a union of thousands was a scan per literal (3,000 literals: minutes).
    many = [v.literal(f"s{i}") for i in range(3000)]
    same = diff(v.union(*many), v.union(*reversed(many)))
    assert (same.stored.status, same.writers.status) == ("compatible", "compatible")
    old, new = v.object({"s": v.union(*many)}), v.object({"s": v.union(*many[1:])})
    result = diff(old, new)
    _check_verdict(old, new, result.stored, compatible=False)
    assert result.stored.witness is not None
    assert result.stored.witness.value == {"s": "s0"}
    assert result.writers.status == "compatible"
    assert [str(change) for change in result.changes] == ['s: literal "s0" removed']


def test_literal_lookup_keeps_convex_equality() -> None:
    # The set lookup for literals tells -0.0 from 0.0, 1 from 1n and from True.
    for old, new in [
        (v.literal(-0.0), v.union(v.literal(0.0), v.literal("a"))),
        (v.literal(1, int64=True), v.union(v.literal(1), v.literal(True))),
        (v.literal(True), v.union(v.literal(1), v.literal(1, int64=True))),
        (v.literal(1), v.union(v.literal(True), v.literal(1, int64=True))),
    ]:
        _check_verdict(old, new, diff(old, new).stored, compatible=False)
    both = v.union(v.literal(0.0), v.literal(-0.0), v.literal(1, int64=True))
    assert diff(v.union(v.literal(-0.0), v.literal(1, int64=True)), both).stored.status == (
        "compatible"
    )


# -- oracle 1: objects split on union fields, exact on finite value sets ------------------------

_TAGS = [v.literal("x"), v.literal("y"), v.literal("z"), v.null(), v.literal(True)]
_TAG_UNIONS = st.lists(st.sampled_from(_TAGS), min_size=1, max_size=4).map(lambda ms: v.union(*ms))
# A nested object of tags too: the split looks one object down.
_FIELD_TYPES = st.one_of(
    _TAG_UNIONS,
    st.tuples(_TAG_UNIONS, st.booleans()).map(
        lambda p: v.object({"u": p[0].optional() if p[1] else p[0]})
    ),
)


def _object(fields: dict[str, tuple[Validator, bool]]) -> Validator:
    return v.object({n: t.optional() if opt else t for n, (t, opt) in fields.items()})


_OBJECTS = st.dictionaries(
    st.sampled_from(["a", "b", "c"]), st.tuples(_FIELD_TYPES, st.booleans()), max_size=3
).map(_object)


def _finite_values(node: Validator) -> list[object]:
    node = node.required()
    if isinstance(node, VUnion):
        return [value for member in node.members for value in _finite_values(member)]
    if isinstance(node, VObject):
        rows: list[dict[str, object]] = [{}]
        for name, field in node.fields.items():
            options: list[object] = [_ABSENT] if field.is_optional else []
            options += _finite_values(field)
            rows = [
                {**row, **({} if option is _ABSENT else {name: option})}
                for row in rows
                for option in options
            ]
        return list(rows)
    if isinstance(node, VNull):
        return [None]
    assert isinstance(node, VLiteral)
    return [literal_value(node)]


_ABSENT = object()


@settings(max_examples=60)
@given(old=_OBJECTS, new=st.lists(_OBJECTS, min_size=4, max_size=12))
def test_exact_when_objects_split_across_many_members(old: Validator, new: list[Validator]) -> None:
    right = v.union(*new)
    ids = IdTables()
    escapes = [value for value in _finite_values(old) if convex_issue(right, value, ids)]
    result = diff(old, right)
    _check_verdict(old, right, result.stored, compatible=not escapes)


# -- oracle 2: every kind, on sampled values ----------------------------------------------------
#
# Infinite types are sampled (a few strings, floats, Int64s, IDs of two tables, short arrays,
# records of at most two entries). A sampled value of OLD that NEW rejects proves "breaking";
# so "compatible" must find none, and "breaking" must come with a verified witness.

_LEAVES = st.sampled_from(
    [
        v.literal("a"),
        v.literal(1),
        v.literal(1, int64=True),
        v.literal(0.0),
        v.literal(-0.0),
        v.literal(True),
        v.null(),
        v.boolean(),
        v.string(),
        v.float64(),
        v.int64(),
        v.commit_ts(),
        v.id("users"),
        v.id("teams"),
        v.bytes(),
        v.any(),
        v.union(),
    ]
)
_KEYS = st.sampled_from([v.string(), v.id("users"), v.union(v.id("users"), v.id("teams"))])

_ANY: st.SearchStrategy[Validator] = st.recursive(
    _LEAVES,
    lambda children: st.one_of(
        st.dictionaries(
            st.sampled_from(["a", "b"]), st.tuples(children, st.booleans()), max_size=2
        ).map(_object),
        st.lists(children, min_size=1, max_size=3).map(lambda ms: v.union(*ms)),
        children.map(v.array),
        st.tuples(_KEYS, children).map(lambda kv: v.record(*kv)),
    ),
    max_leaves=5,
)


class _Sampler:
    def __init__(self) -> None:
        self.ids = IdTables()
        self.users = [self.ids.new_id("users")]
        self.teams = [self.ids.new_id("teams")]

    def values(self, node: Validator, depth: int = 0) -> list[object]:
        node = node.required()
        strings: list[object] = ["", "a", "b", *self.users, *self.teams]
        floats: list[object] = [0.0, -0.0, 1.0, 0.5]
        ints: list[object] = [Int64(0), Int64(1)]
        match node:
            case VUnion(members=members):
                return [value for m in members for value in self.values(m, depth)]
            case VLiteral():
                return [literal_value(node)]
            case VNull():
                return [None]
            case VBoolean():
                return [False, True]
            case VString():
                return strings
            case VId(table_name=table):
                return list(self.users if table == "users" else self.teams)
            case VFloat64():
                return floats
            case VInt64() | VCommitTs():
                return ints
            case VBytes():
                return [b""]
            case VAny():
                pool: list[object] = [None, True, *floats[:2], *ints[:1], *strings[:2], b""]
                return pool + ([[], {}, {"a": None}] if depth < 2 else [])
            case VArray(element=element):
                items = self.values(element, depth + 1)[:6]
                pairs = [list(p) for p in itertools.product(items[:3], repeat=2)]
                return [[], *([item] for item in items), *pairs]
            case VObject(fields=fields):
                rows: list[dict[str, object]] = [{}]
                for name, field in fields.items():
                    options = [_ABSENT] if field.is_optional else []
                    options += self.values(field, depth + 1)[:8]
                    rows = [
                        {**row, **({} if o is _ABSENT else {name: o})}
                        for row in rows
                        for o in options
                    ]
                return list(rows)
            case VRecord(key=key, value=value):
                keys = [k for k in self.values(key, depth + 1) if k][:4]
                items = self.values(value, depth + 1)[:4]
                out: list[object] = [{}]
                out += [{k: item} for k in keys for item in items]
                out += [
                    {k1: i1, k2: i2}
                    for k1, k2 in itertools.combinations(keys[:3], 2)
                    for i1 in items[:2]
                    for i2 in items[:2]
                ]
                return out
            case _:
                raise AssertionError(node)


@settings(max_examples=150)
@given(old=_ANY, new=_ANY)
def test_sound_on_sampled_values_of_every_kind(old: Validator, new: Validator) -> None:
    sampler = _Sampler()
    values = sampler.values(old)
    assume(len(values) <= 3000)
    escapes = [
        value
        for value in values
        if convex_issue(old, value, sampler.ids) is None
        and convex_issue(new, value, sampler.ids) is not None
    ]
    result = diff(old, new)
    assert result.stored.status != "unknown", result.stored
    if escapes:
        assert result.stored.status == "breaking", (escapes[:3], result.stored)
    _check_verdict(old, new, result.stored, compatible=result.stored.status == "compatible")


def test_staged_witness_is_the_staged_validators_and_shows_on_an_unchanged_table() -> None:
    from vschema import define_schema, define_table

    schema = define_schema(
        {
            "d": define_table({"x": v.union(v.literal("p"), v.literal("q"))}).staged(
                {"x": v.literal("p")}
            )
        }
    )
    lines = diff(schema, schema).summary().splitlines()
    assert lines[1] == "d: stored data compatible, writers compatible, staged validator BREAKING"
    assert lines[-2] == '  staged validator witness: {"x": "q"}'
    assert lines[-1].startswith("    the staged validator rejects it at .x (literal_mismatch): ")


def test_any_fields_split_into_convex_types() -> None:
    # {p: any, q: any} against the 64 members {p: type, q: type}: unknown after 200,000 steps
    # (both when covered and when one member is missing) before v.any() was split on.
    from vschema.evolution._subset import _ANY_KINDS

    old = v.object({"p": v.any(), "q": v.any()})
    members = [v.object({"p": a, "q": b}) for a in _ANY_KINDS for b in _ANY_KINDS]
    new = v.union(*members)
    _check_verdict(old, new, diff(old, new, budget=5_000).stored, compatible=True)
    fewer = v.union(*members[1:])
    _check_verdict(old, fewer, diff(old, fewer, budget=5_000).stored, compatible=False)


def test_cli_errors_on_export_json_files_are_one_clear_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from vschema.cli import main

    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe")
    folder = tmp_path / "folder.json"
    folder.mkdir()
    for path, expected in [
        (
            tmp_path / "missing.json",
            f"schema file not found: {(tmp_path / 'missing.json').as_posix()}",
        ),
        (binary, f"{binary.as_posix()}: not UTF-8 text"),
        (folder, f"{folder.as_posix()}: cannot read: Is a directory"),
    ]:
        status = main(["diff", str(path), str(path)])
        captured = capsys.readouterr()
        assert (status, captured.out, captured.err) == (2, "", f"vschema: error: {expected}\n")


def test_members_of_another_tag_are_dropped_only_when_they_hold_none_of_the_values() -> None:
    old = v.object({"t": v.literal("x"), "n": v.string()})
    other = v.union(
        v.object({"t": v.optional(v.literal("y")), "n": v.string()}), v.object({"n": v.string()})
    )
    _check_verdict(old, other, diff(old, other).stored, compatible=False)
    same = v.union(other, v.object({"t": v.optional(v.literal("x")), "n": v.string()}))
    _check_verdict(old, same, diff(old, same).stored, compatible=True)
    wider = v.union(other, v.object({"t": v.string(), "n": v.string()}))
    _check_verdict(old, wider, diff(old, wider).stored, compatible=True)
