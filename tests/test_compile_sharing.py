"""Programs share compiled helpers (`_compile._SHARED`): equal subtrees compile once per process,
the registry stays bounded, and every program still agrees with the interpreter and still shows
its own source in tracebacks."""

from __future__ import annotations

import linecache
import sys
import types

import pytest

from vschema import v
from vschema.validators import _compile as compiler
from vschema.validators._interpret import explain as interpret
from vschema.validators._nodes import Validator


def settings(tag: str) -> Validator:
    # A literal no other test uses, so these helpers are first compiled here.
    return v.object(
        {
            "mode": v.literal(f"test_compile_sharing {tag}"),
            "limit": v.optional(v.int64()),
            "tags": v.array(v.object({"k": v.string()})),
        }
    )


def table(name: str, tag: str) -> Validator:
    return v.object({f"{name}": v.string(), "settings": settings(tag)})


def helper_definitions(source: str) -> int:
    return sum(line.startswith(("def _f", "def _e")) for line in source.splitlines())


def test_a_second_program_reuses_the_first_ones_helpers() -> None:
    first, second = table("a", "reuse"), table("b", "reuse")
    alone = compiler._render_explainer(second).source()
    assert helper_definitions(alone) > 0
    compiler.compile_explainer(first)
    # `settings` (and all below it) are compiled: the second explainer emits no helper.
    reused = compiler._render_explainer(second, compiler._SHARED).source()
    assert helper_definitions(reused) == 0, reused
    # Without the registry the source is what it always was.
    assert compiler._render_explainer(second).source() == alone


def test_reused_helpers_give_the_interpreters_issues() -> None:
    first, second = table("a", "agree"), table("b", "agree")
    compiler.compile_explainer(first)
    bad = [
        {"b": "x", "settings": {"mode": "no", "tags": [{"k": 1}, {}, 3]}},
        {"b": 1, "settings": {"mode": "test_compile_sharing agree", "limit": "x", "tags": 5}},
        {"settings": None},
    ]
    for value in bad:
        assert second.errors(value) == interpret(second, value)
        assert second.errors(value)  # the values are bad: a test that can fail


def test_tracebacks_show_each_programs_own_lines() -> None:
    first, second = table("a", "lines"), table("b", "lines")
    compiler.compile_explainer(first)
    explainer = compiler.compile_explainer(second)
    filename = explainer.__code__.co_filename  # type: ignore[attr-defined]
    lines = linecache.getlines(filename)
    functions = [
        f
        for f in explainer.__globals__.values()  # type: ignore[attr-defined]
        if isinstance(f, types.FunctionType) and f.__code__.co_filename == filename
    ]
    assert explainer in functions
    for function in functions:
        assert lines[function.__code__.co_firstlineno - 1].startswith(f"def {function.__name__}(")


def test_the_registry_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiler, "_SHARED", {})
    monkeypatch.setattr(compiler, "_SHARED_MAX", 8)
    for i in range(20):
        compiler.compile_explainer(table("a", f"bounded {i}"))
    assert len(compiler._SHARED) == compiler._SHARED_MAX
    # The newest helpers stay; the oldest went first.
    assert ("explain", settings("bounded 19"), 1) in compiler._SHARED
    assert ("explain", settings("bounded 0"), 1) not in compiler._SHARED


def test_wrong_type_messages_are_worked_out_once_per_node() -> None:
    def facts(validator: Validator) -> set[int]:
        explainer = compiler.compile_explainer(validator)
        namespace = explainer.__globals__  # type: ignore[attr-defined]
        return {id(x) for x in namespace.values() if type(x).__name__ == "NoMatch"}

    first, second = facts(table("a", "facts")), facts(table("b", "facts"))
    assert second
    # The second reuses the first one's `settings` helpers; its own field `b` is a string
    # as `a` is: equal nodes, one set of facts.
    assert second <= first


def test_hoisted_names_are_the_codes_own_strings() -> None:
    explainer = compiler.compile_explainer(table("a", "interned"))
    names = [k for k in explainer.__globals__ if k.startswith("_k")]  # type: ignore[attr-defined]
    assert names
    # The namespace's key is the interned string the code reads, not a second copy.
    assert all(sys.intern(name) is name for name in names)
