"""The examples run and print what the README promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_contact_form_demo() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "contact_form.py")],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    assert "== a valid inquiry\n" in out
    assert "accepted" in out
    assert "at .projectType, code 'literal_mismatch'" in out
    assert "at .description, code 'missing_field'" in out
    assert "at .name, code 'no_match': Expected a string, got a number" in out
    assert "at .description, code 'missing_field': Required" in out
    assert "at .phone, code 'extra_field'" in out
    assert result.stderr == ""
