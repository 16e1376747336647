"""Compiled programs drop column positions (`_compile._lines_only`) but keep every line."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterator
from types import CodeType

import pytest

from vschema import v
from vschema.validators import _compile as compiler

pytestmark = pytest.mark.skipif(
    not compiler._STRIP_COLUMNS, reason="the location table has another format here"
)

VALIDATOR = v.object(
    {
        "name": v.string(),
        "when": v.optional(v.number()),
        "body": v.union(
            v.object({"type": v.literal("text"), "text": v.string()}),
            v.object({"type": v.literal("size"), "n": v.int64()}),
        ),
        "items": v.array(v.object({"sku": v.string(), "qty": v.int64()})),
        "labels": v.record(v.string(), v.array(v.string())),
    }
)


def codes(code: CodeType) -> Iterator[CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from codes(const)


def line_of_each_unit(code: CodeType) -> dict[int, int | None]:
    return {offset: line for start, end, line in code.co_lines() for offset in range(start, end, 2)}


@pytest.mark.parametrize("render", [compiler._render, compiler._render_explainer])
def test_every_instruction_keeps_its_line(render: Callable[..., object]) -> None:
    program = render(VALIDATOR)
    assert isinstance(program, compiler._Program)
    original = compile(program.source(), "test", "exec")
    stripped = compiler._lines_only(original)
    pairs = list(zip(codes(original), codes(stripped), strict=True))
    assert len(pairs) > 1
    for before, after in pairs:
        assert after.co_code == before.co_code
        assert line_of_each_unit(after) == line_of_each_unit(before)
        assert len(after.co_linetable) < len(before.co_linetable)
        # No columns left (a position is (line, end line, column, end column)).
        assert all(position[2] is None for position in after.co_positions())


def test_a_traceback_names_the_generated_line() -> None:
    source = "def f(x):\n    y = x + 1\n    return y / x\n"
    namespace: dict[str, object] = {}
    exec(compiler._lines_only(compile(source, "test_compile_lines", "exec")), namespace)
    function = namespace["f"]
    assert callable(function)
    with pytest.raises(ZeroDivisionError) as info:
        function(0)
    frame = traceback.extract_tb(info.value.__traceback__)[-1]
    assert (frame.filename, frame.lineno) == ("test_compile_lines", 3)


def test_compiled_programs_carry_no_columns() -> None:
    check = compiler.compile_check(VALIDATOR)
    code = check.__code__  # type: ignore[attr-defined]
    assert all(position[2] is None for position in code.co_positions())
    assert sys.version_info >= (3, 11)
