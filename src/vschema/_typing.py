"""Typing helpers needed at run time, without importing ``typing_extensions``.

``typing_extensions`` stays a dependency for what is only read by type checkers (imported under
``TYPE_CHECKING``); at run time the walks need only `assert_never`, and importing
``typing_extensions`` for it costs a few milliseconds of every ``import vschema``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from typing_extensions import assert_never
elif sys.version_info >= (3, 11):
    from typing import assert_never
else:

    def assert_never(arg: NoReturn, /) -> NoReturn:
        """Fail: a branch the type checker proved unreachable was reached."""
        raise AssertionError(f"Expected code to be unreachable, but got: {arg!r}")


__all__ = ["assert_never"]
