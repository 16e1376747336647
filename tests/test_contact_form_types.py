"""The contact form's generated files are fresh, and every piece type-checks against them.

- `vschema codegen --check` finds the committed schema.ts, types.ts and schema_types.py current;
- the Convex functions compile against the real `convex` package (`tsc`, Convex's tsconfig);
- the Astro site passes `astro check`, and a file of deliberate mistakes fails with exactly the
  errors it marks (a wrong field name or literal does not compile);
- the backend passes `mypy --strict` with the generated Python module.
"""

from __future__ import annotations

import re
import subprocess
import sys

from contact_form_support import BACKEND, CODEGEN_ARGS, EXAMPLE, ROOT, SITE, run, site_tool
from node_tools import tsc

WRONG_USAGE = SITE / "type-errors" / "wrong-usage.tsx"


def test_generated_files_are_up_to_date() -> None:
    result = run(
        [sys.executable, "-m", "vschema", *CODEGEN_ARGS, "--check"], cwd=EXAMPLE, timeout=120
    )
    assert result.returncode == 0, (
        "the example's generated files are stale; regenerate them in examples/contact-form with "
        f"`python -m vschema {' '.join(CODEGEN_ARGS)}`\n{result.stdout}{result.stderr}"
    )
    assert "3 generated file(s) up to date" in result.stdout


def test_generated_files_say_where_they_come_from() -> None:
    for path in [
        EXAMPLE / "convex" / "schema.ts",
        EXAMPLE / "convex" / "types.ts",
        BACKEND / "schema_types.py",
    ]:
        head = path.read_text(encoding="utf-8").splitlines()[:2]
        assert "from schema.py" in head[0], (path, head)
        assert "Do not edit" in head[1], (path, head)


def test_convex_functions_compile_against_the_real_convex_package() -> None:
    result = tsc(["-p", "tsconfig.json", "--pretty", "false"], cwd=EXAMPLE / "convex")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_site_passes_astro_check() -> None:
    result = run([site_tool("astro"), "check"], cwd=SITE, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"- 0 errors\b", result.stdout), result.stdout


def test_wrong_usage_of_the_generated_types_does_not_compile() -> None:
    expected: dict[int, tuple[str, str]] = {}
    for number, line in enumerate(WRONG_USAGE.read_text(encoding="utf-8").splitlines(), 1):
        marker = re.search(r"// expect (TS\d+) (.+)$", line)
        if marker:
            expected[number] = (marker[1], marker[2])
    assert len(expected) >= 5, "the wrong-usage file lost its markers"

    result = run(
        [site_tool("tsc"), "-p", "tsconfig.type-errors.json", "--pretty", "false"],
        cwd=SITE,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    found: dict[int, list[tuple[str, str]]] = {}
    for match in re.finditer(
        r"^type-errors/wrong-usage\.tsx\((\d+),\d+\): error (TS\d+): (.+)$", output, re.MULTILINE
    ):
        found.setdefault(int(match[1]), []).append((match[2], match[3]))
    assert sorted(found) == sorted(expected), output
    for number, (code, text) in expected.items():
        [(found_code, message)] = found[number]
        assert found_code == code, (number, message)
        assert text in message, (number, message)
    # Nothing else in the program broke: only the marked lines fail.
    assert output.count("error TS") == len(expected), output


def test_the_backend_passes_mypy_strict() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(BACKEND)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
