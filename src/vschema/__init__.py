"""vschema: one Python schema for a web app's data, with Convex's semantics.

Build validators with `v` (mirroring Convex's ``v`` from ``convex/values``), then call
``validator.validate(value)``, ``is_valid`` or ``errors``; `define_schema` and `define_table`
for a whole schema, `diff` to compare two. The emitters are in `vschema.codegen`, the data
commands in `vschema.data`, the test-data strategies in `vschema.strategies`.
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING

from vschema._version import __version__
from vschema.validators._builder import v
from vschema.validators._errors import (
    Issue,
    IssueCode,
    SchemaError,
    ValidationError,
    VSchemaError,
)
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
)
from vschema.validators._values import COMMIT_TS, CommitTsPlaceholder

if _TYPE_CHECKING:
    from vschema.evolution import diff
    from vschema.validators._compile import compiled_source
    from vschema.validators._convex_json import from_convex_json, to_convex_json
    from vschema.validators._ids import DecodedId, decode_id, new_id
    from vschema.validators._schema import (
        Index,
        Schema,
        SchemaWarning,
        SearchIndex,
        TableDefinition,
        VectorIndex,
        define_schema,
        define_table,
    )

#: Names loaded on first use, not at ``import vschema`` (which stays what validating needs):
#: name -> the module defining it. One line each.
_LAZY = {
    "DecodedId": "vschema.validators._ids",
    "Index": "vschema.validators._schema",
    "Schema": "vschema.validators._schema",
    "SchemaWarning": "vschema.validators._schema",
    "SearchIndex": "vschema.validators._schema",
    "TableDefinition": "vschema.validators._schema",
    "VectorIndex": "vschema.validators._schema",
    "compiled_source": "vschema.validators._compile",
    "decode_id": "vschema.validators._ids",
    "define_schema": "vschema.validators._schema",
    "define_table": "vschema.validators._schema",
    "diff": "vschema.evolution",
    "from_convex_json": "vschema.validators._convex_json",
    "new_id": "vschema.validators._ids",
    "to_convex_json": "vschema.validators._convex_json",
}


def __getattr__(name: str) -> object:
    """Load a `_LAZY` name from its module the first time it is asked for (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'vschema' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups find it without coming here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "COMMIT_TS",
    "CommitTsPlaceholder",
    "DecodedId",
    "FieldMap",
    "Index",
    "Issue",
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
]
