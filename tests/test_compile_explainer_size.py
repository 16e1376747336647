"""The explainer calls an object's or tagged union's explainer without checking it first, so it
compiles no check helper of its own for them, and still lists exactly the interpreter's issues."""

from __future__ import annotations

from vschema import v
from vschema.validators import _compile as compiler
from vschema.validators._interpret import explain as interpret

VALIDATOR = v.object(
    {
        "a": v.string(),
        "author": v.object({"name": v.string(), "karma": v.int64()}),
        "body": v.union(
            v.object({"type": v.literal("text"), "text": v.string()}),
            v.object({"type": v.literal("size"), "n": v.int64()}),
        ),
        "items": v.array(v.object({"sku": v.string()})),
        "tags": v.array(v.string()),
    }
)


def test_objects_and_tagged_unions_get_no_check_helper() -> None:
    source = compiler._render_explainer(VALIDATOR).source()
    checks = [line for line in source.splitlines() if line.startswith("def _f")]
    # Left: the check of an item of `items` (each item is checked before its path is built)
    # and the bulk check of `tags`; none for `author`, `body`, its members or `items` itself.
    assert len(checks) == 2, source


def test_valid_parts_list_nothing() -> None:
    good = {
        "a": "x",
        "author": {"name": "n", "karma": 1},
        "body": {"type": "size", "n": 2},
        "items": [{"sku": "s"}],
        "tags": ["t"],
    }
    values = [
        {**good, "a": 1},
        {**good, "author": {"name": 1, "karma": "k"}},
        {**good, "body": {"type": "text", "text": 3}},
        {**good, "body": {"type": "nope"}, "items": [{"sku": 1}, {}]},
        {**good, "a": None, "author": None, "body": None, "items": None, "tags": None},
    ]
    for value in values:
        expected = interpret(VALIDATOR, value)
        assert expected
        assert VALIDATOR.errors(value) == expected
        assert compiler.explain(VALIDATOR, value) == expected
