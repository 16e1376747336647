"""Code generators: each output is one walk over the validator tree."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vschema.codegen.json_schema import json_schema as json_schema
    from vschema.codegen.json_schema import json_schema_files as json_schema_files
    from vschema.codegen.python import python as python
    from vschema.codegen.typescript import typescript as typescript
    from vschema.codegen.zod import zod as zod

# Each generator loads on first use, so `import vschema.codegen` stays light: importing the
# generators here would load them all (and Jinja) for a caller that needs only one.
_GENERATORS = {
    "json_schema": "vschema.codegen.json_schema",
    "json_schema_files": "vschema.codegen.json_schema",
    "python": "vschema.codegen.python",
    "typescript": "vschema.codegen.typescript",
    "zod": "vschema.codegen.zod",
}


__all__ = ["json_schema", "json_schema_files", "python", "typescript", "zod"]


def __getattr__(name: str) -> Any:
    module = _GENERATORS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    generator = getattr(importlib.import_module(module), name)
    # Importing the submodule bound its name here to the module; the function is what we export.
    globals()[name] = generator
    return generator
