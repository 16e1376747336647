"""Staged document validators (Convex 1.47+ ``.staged()``): building, Convex JSON both ways,
the generated ``schema.ts`` (compiled with ``tsc`` and run with the real ``convex`` package,
whose ``schema.export()`` must equal ours), and what `diff` says about them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from node_tools import NODE_MODULES, run_node, tsc

from vschema import SchemaError, define_schema, define_table, v
from vschema.codegen._typescript import typescript
from vschema.evolution import diff

FRUIT = {"apple": v.string(), "banana": v.float64(), "legacy": v.optional(v.string())}


def test_field_changes_merge_onto_the_enforced_fields() -> None:
    table = define_table(FRUIT).staged({"banana": v.union(v.string(), v.float64()), "legacy": None})
    assert table.staged_validator == v.object(
        {"apple": v.string(), "banana": v.union(v.string(), v.float64())}
    )
    assert table.validator == v.object(FRUIT)
    full = define_table(FRUIT).staged(v.union(v.object({"a": v.string()})))
    assert full.staged_validator == v.union(v.object({"a": v.string()}))
    anything = define_table(v.any()).staged({"a": v.string()})
    assert anything.staged_validator == v.object({"a": v.string()})


def test_staged_errors_are_convex_s() -> None:
    with pytest.raises(SchemaError, match="Table cannot have more than one staged validator"):
        define_table(FRUIT).staged({}).staged({})
    with pytest.raises(SchemaError, match="only supported for simple table definitions"):
        define_table(v.union(v.object({}))).staged({"a": v.string()})
    with pytest.raises(SchemaError, match="must be a validator or None"):
        define_table(FRUIT).staged({"a": "string"})  # type: ignore[dict-item]
    with pytest.raises(SchemaError, match="must be an object, a union of objects"):
        define_schema({"t": define_table(FRUIT).staged(v.string())})


def test_convex_json_round_trip() -> None:
    schema = define_schema({"fruit": define_table(FRUIT).staged({"legacy": None})})
    exported = schema.to_convex_json()
    entry = exported["tables"][0]
    assert list(entry)[-2:] == ["documentType", "stagedDocumentType"]
    assert (
        entry["stagedDocumentType"]
        == v.object({"apple": v.string(), "banana": v.float64()}).to_convex_json()
    )
    assert define_schema(json.loads(json.dumps(exported))) == schema
    plain = define_schema({"fruit": define_table(FRUIT)}).to_convex_json()
    assert "stagedDocumentType" not in plain["tables"][0]


def test_generated_schema_ts_exports_what_convex_exports(tmp_path: Path) -> None:
    schema = define_schema(
        {
            "fruit": define_table(FRUIT)
            .index("by_apple", ["apple"])
            .staged({"banana": v.union(v.string(), v.float64()), "legacy": None}),
            "plain": define_table({"a": v.string()}).staged(v.object({"a": v.string()})),
        }
    )
    files = typescript(schema)
    (tmp_path / "schema.ts").write_text(files["schema.ts"], encoding="utf-8")
    os.symlink(NODE_MODULES, tmp_path / "node_modules")
    (tmp_path / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    result = tsc(
        [
            "schema.ts",
            "--outDir",
            "out",
            "--module",
            "esnext",
            "--moduleResolution",
            "bundler",
            "--target",
            "es2022",
            "--strict",
            "--skipLibCheck",
        ],
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr + files["schema.ts"]
    (tmp_path / "out" / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    script = (
        f"const m = await import({json.dumps((tmp_path / 'out' / 'schema.js').as_uri())});"
        "console.log(m.default.export());"
    )
    exported = json.loads(run_node(script).strip().splitlines()[-1])
    assert exported == schema.to_convex_json()


def test_diff_reports_the_staged_verdict() -> None:
    old = define_schema({"fruit": define_table(FRUIT)})
    widened = define_table(FRUIT).staged({"banana": v.union(v.string(), v.float64())})
    result = diff(old, define_schema({"fruit": widened})).table("fruit")
    assert result.stored.status == "compatible"
    assert result.staged is not None
    assert result.staged.status == "compatible"
    narrowing = define_table(FRUIT).staged({"legacy": None})
    verdict = diff(old, define_schema({"fruit": narrowing})).table("fruit").staged
    assert verdict is not None
    assert verdict.status == "breaking"
    assert verdict.witness is not None
    assert verdict.witness.code == "extra_field"
    assert verdict.witness.path == ("legacy",)
