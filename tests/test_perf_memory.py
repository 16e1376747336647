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
    # The check and the locator are one program: one code object, two functions.
    check, locate = compile_check(VALIDATOR), compile_locator(VALIDATOR)
    assert check.__code__ is locate.__code__  # type: ignore[attr-defined]
    good = {"name": "test_perf_memory", "tags": [{"k": 1}]}
    assert check(good) is True
    assert locate(good) is None
    assert check({**good, "tags": 1}) is False
    assert locate({**good, "tags": 1}) == 1  # `tags`, second in the check's order
    assert locate([]) == -1
    seen: set[str] = set()
    for program in (compile_check, compile_locator, compile_explainer):
        function = program(VALIDATOR)
        filename = function.__code__.co_filename
        assert filename.startswith("vschema compiled ")
        entry = linecache.cache[filename]
        if filename not in seen:
            # Lazy: a function that renders the program again, no text held.
            assert len(entry) == 1
            assert callable(entry[0])
        seen.add(filename)
        lines = linecache.getlines(filename)
        first = lines[function.__code__.co_firstlineno - 1]
        assert first.lstrip().startswith(f"def {function.__name__}(")
    # What `compiled_source` shows is what the check runs, line for line.
    check = compile_check(VALIDATOR)
    assert inspect.getsource(check) in compiled_source(VALIDATOR)
