"""vschema: one Python schema for a web app's data, with Convex's semantics.

Build validators with `v` (mirroring Convex's ``v`` from ``convex/values``), then call
``validator.validate(value)``, ``is_valid`` or ``errors``.
"""

from vschema._version import __version__
from vschema.validators._builder import v
from vschema.validators._compile import compiled_source
from vschema.validators._convex_json import from_convex_json, to_convex_json
from vschema.validators._errors import (
    Issue,
    IssueCode,
    SchemaError,
    ValidationError,
    VSchemaError,
)
from vschema.validators._ids import DecodedId, decode_id, new_id
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
from vschema.validators._values import COMMIT_TS, CommitTsPlaceholder

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
    "from_convex_json",
    "new_id",
    "to_convex_json",
    "v",
]
