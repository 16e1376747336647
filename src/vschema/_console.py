"""What every ``vschema`` command shares: the one way it prints, and the error for a command
line that cannot work.

Each command (``vschema.cli`` for codegen, ``vschema.evolution`` for ``diff``, ``vschema.data``
for ``check-export`` and ``validate``) prints through `say` and raises one of `FAILURES` for
anything the user can fix; `vschema.cli.main` turns those into one line on stderr and exit 2.
"""

from __future__ import annotations

import sys
from typing import TextIO

from vschema.codegen._load import SchemaLoadError
from vschema.validators._errors import VSchemaError

__all__ = ["FAILURES", "UsageError", "say"]


class UsageError(Exception):
    """A command line that cannot work (an output path of the wrong kind); the message says why."""


#: Errors that are the user's to fix: each becomes one line on stderr and exit status 2.
FAILURES = (SchemaLoadError, VSchemaError, UsageError, OSError, UnicodeError)


def say(text: str, stream: TextIO | None = None) -> None:
    """Print ``text`` and a newline; a character ``stream`` cannot encode (a file name that is
    no valid UTF-8, on a UTF-8 or ASCII terminal) is written as a backslash escape instead."""
    stream = sys.stdout if stream is None else stream
    encoding = getattr(stream, "encoding", None) or "utf-8"
    safe = text.encode(encoding, "backslashreplace").decode(encoding, "replace")
    stream.write(safe + "\n")
    stream.flush()
