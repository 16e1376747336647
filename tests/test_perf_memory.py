"""Compiled programs do not keep their source text, yet tracebacks and pdb still show it."""

from __future__ import annotations

import inspect
import linecache

from vschema import compiled_source, v
from vschema.validators._compile import compile_check, compile_explainer, compile_locator

# A literal no other test uses: these programs are compiled here, first.
VALIDATOR = v.object(
    {"name": v.literal("test_perf_memory"), "tags": v.array(v.object({"k": v.int64()}))}
)


def test_source_is_not_held_but_read_again_on_demand() -> None:
    for program in (compile_check, compile_locator, compile_explainer):
        function = program(VALIDATOR)
        filename = function.__code__.co_filename
        assert filename.startswith("vschema compiled ")
        entry = linecache.cache[filename]
        # Lazy: a function that renders the program again, no text held.
        assert len(entry) == 1
        assert callable(entry[0])
        lines = linecache.getlines(filename)
        first = lines[function.__code__.co_firstlineno - 1]
        assert first.startswith(f"def {function.__name__}(")
    # What `compiled_source` shows is what the check runs, line for line.
    check = compile_check(VALIDATOR)
    assert inspect.getsource(check) in compiled_source(VALIDATOR)
