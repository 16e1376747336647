"""The one place where text from a schema becomes source code.

Every user string (field names, literal values, table names) that any generator writes into
Python or TypeScript source passes through a function here. Each accepts a closed set of types and
refuses anything else, so a new value type cannot slip into generated code unescaped.
"""

from __future__ import annotations

import math

__all__ = ["py_literal"]

PyConstant = str | int | float | bool | None


def py_literal(value: PyConstant) -> str:
    """Python source for a constant: ``repr`` of `str`, `int`, `bool`, `None` or a finite float.

    ``repr`` of these types is always a valid Python literal that evaluates to an equal value;
    non-finite floats have no literal form (``inf`` is a name), so callers must hoist them.
    """
    if value is None or type(value) in (str, int, bool):
        return repr(value)
    if type(value) is float:
        if not math.isfinite(value):
            raise ValueError(f"{value!r} has no Python literal form; hoist it as a constant")
        return repr(value)
    raise TypeError(f"refusing to write a {type(value).__name__} into Python source")
