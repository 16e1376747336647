"""The public surface is deliberate: nothing leaks, everything public is documented."""

from __future__ import annotations

import inspect

import vschema

EXPECTED = {
    "COMMIT_TS",
    "CommitTsPlaceholder",
    "DecodedId",
    "FieldMap",
    "Issue",
    "Index",
    "IssueCode",
    "Schema",
    "SchemaError",
    "SchemaWarning",
    "SearchIndex",
    "TableDefinition",
    "VAny",
    "VArray",
    "VBoolean",
    "VBytes",
    "VCommitTs",
    "VFloat64",
    "VId",
    "VInt64",
    "VLiteral",
    "VNull",
    "VObject",
    "VRecord",
    "VSchemaError",
    "VString",
    "VUnion",
    "ValidationError",
    "Validator",
    "VectorIndex",
    "__version__",
    "compiled_source",
    "decode_id",
    "define_schema",
    "define_table",
    "diff",
    "from_convex_json",
    "new_id",
    "to_convex_json",
    "v",
}


def test_all_is_sorted_and_exact() -> None:
    assert vschema.__all__ == sorted(vschema.__all__)
    assert set(vschema.__all__) == EXPECTED
    public = {name for name in dir(vschema) if not name.startswith("_")}
    # Submodules are importable (other tests may have imported them), but everything else
    # public must be in __all__.
    submodules = {"validators", "codegen", "cli", "strategies", "evolution", "data"}
    assert public - set(vschema.__all__) <= submodules | {"pydantic", "dask"}


def test_public_names_have_docstrings() -> None:
    for name in vschema.__all__:
        obj = getattr(vschema, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), name
    for name, member in inspect.getmembers(vschema.v):
        if not name.startswith("_"):
            assert inspect.getdoc(member), f"v.{name}"


def test_import_does_not_pull_in_optional_dependencies() -> None:
    import subprocess
    import sys

    code = "import sys, vschema; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
