"""Every node kind against every walk over the tree, so a kind one output forgot fails loudly.

mypy already checks each `match` ends in `assert_never`; this test also catches a walk that
handles a kind by raising, and a new node class that has no sample here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from vschema import Validator, compiled_source, v
from vschema.codegen._json_schema import json_schema
from vschema.codegen._zod import schema_expression as zod_expression
from vschema.data._references import IdWalk
from vschema.evolution import diff
from vschema.evolution._values import IdTables, convex_issue
from vschema.validators._convex_json import validator_to_json
from vschema.validators._display import builder_repr, convex_display
from vschema.validators._interpret import explain

SAMPLES: dict[str, Validator] = {
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

WALKS: dict[str, Callable[[Validator], object]] = {
    "builder_repr": builder_repr,
    "convex_display": convex_display,
    "convex_json": validator_to_json,
    "interpret": lambda node: explain(node, object()),
    "compile": compiled_source,
    "is_valid": lambda node: node.is_valid(None),
    "json_schema": json_schema,
    "json_schema_convex": lambda node: json_schema(node, encoding="convex"),
    "zod": zod_expression,
    "diff": lambda node: diff(node, v.union(node, v.null())),
    "convex_issue": lambda node: convex_issue(node, None, IdTables()),
    "export_ids": lambda node: IdWalk(node, {"users": 10001}),
}


def test_every_node_class_has_a_sample() -> None:
    kinds = {cls.__name__ for cls in Validator.__subclasses__()}
    assert kinds == set(SAMPLES)


@pytest.mark.parametrize("walk", sorted(WALKS))
@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_walk_handles_kind(walk: str, kind: str) -> None:
    WALKS[walk](SAMPLES[kind])
    WALKS[walk](v.object({"field": SAMPLES[kind].optional()}))
