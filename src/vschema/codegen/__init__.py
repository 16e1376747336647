"""Code generators: each output is one walk over the validator tree.

`typescript` (Convex's ``schema.ts`` and ``types.ts``), `python` (a typed module), `json_schema`
and `json_schema_files` (JSON Schema, draft 2020-12; `UNSTATED_FLAWS` and `NUMBER_FLAWS` say what
it cannot state) and `zod` (Zod 4). The modules behind them are private (``_typescript.py``, ...):
a public submodule named like its function would replace the function here once imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vschema.codegen._json_schema import NUMBER_FLAWS as NUMBER_FLAWS
    from vschema.codegen._json_schema import UNSTATED_FLAWS as UNSTATED_FLAWS
    from vschema.codegen._json_schema import json_schema as json_schema
    from vschema.codegen._json_schema import json_schema_files as json_schema_files
    from vschema.codegen._python import python as python
    from vschema.codegen._typescript import typescript as typescript
    from vschema.codegen._zod import zod as zod

# Each generator loads on first use, so `import vschema.codegen` stays light: importing the
# generators here would load them all (and Jinja) for a caller that needs only one.
_GENERATORS = {
    "NUMBER_FLAWS": "vschema.codegen._json_schema",
    "UNSTATED_FLAWS": "vschema.codegen._json_schema",
    "json_schema": "vschema.codegen._json_schema",
    "json_schema_files": "vschema.codegen._json_schema",
    "python": "vschema.codegen._python",
    "typescript": "vschema.codegen._typescript",
    "zod": "vschema.codegen._zod",
}


__all__ = [
    "NUMBER_FLAWS",
    "UNSTATED_FLAWS",
    "json_schema",
    "json_schema_files",
    "python",
    "typescript",
    "zod",
]


def __getattr__(name: str) -> Any:
    module = _GENERATORS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_GENERATORS])
