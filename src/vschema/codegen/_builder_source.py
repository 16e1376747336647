"""Python source that builds a schema with vschema's own builders (``v.*``, ``define_table``).

The generated Python module defines its schema with this code instead of importing the user's
schema file, so it stands alone: it imports and works with only ``vschema`` installed. The code
is made by one walk over the validator tree (`BuilderSource.expression`), separate from
``builder_repr`` (a bounded display, cut with ``...`` when long): every user string reaches the
code through `vschema._source` (`py_str`, `py_literal`), and nothing is ever cut.

Two kinds of subtree become module-level constants, named by a counter (``_v1``, ``_v2``, ...)
and defined before their first use:

* a large subtree used in more than one place (`vschema.codegen._shared`), written once, so the
  code grows with the distinct parts of a schema, as the other outputs do;
* a subtree deeper than `MAX_INLINE_DEPTH` calls, so no expression nests more brackets than
  Python's parser takes (200).

Running the code rebuilds the schema through the same builders, with the same definition-time
checks, so the result equals the original (``==``, and the same ``to_convex_json()``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from vschema._source import py_literal, py_str
from vschema._typing import assert_never
from vschema.codegen._shared import SharedRefs, key, shared_subtrees
from vschema.validators._display import SCALAR_BUILDERS
from vschema.validators._nodes import (
    Validator,
    VAny,
    VArray,
    VBoolean,
    VBytes,
    VCommitTs,
    VFloat64,
    VId,
    VInt64,
    VLiteral,
    VNull,
    VObject,
    VRecord,
    VString,
    VUnion,
    as_node,
)
from vschema.validators._schema import Schema, TableDefinition

__all__ = ["MAX_INLINE_DEPTH", "BuilderSource"]

#: Calls nested deeper than this are hoisted into a constant: each level opens at most three
#: brackets (``v.optional(v.object({``), and Python's parser refuses more than 200 open at once.
MAX_INLINE_DEPTH = 40
_INDENT = "    "
_WIDTH = 88  # black's and ruff's default line length
_COMPOSITE = (VObject, VArray, VRecord, VUnion)
T = TypeVar("T")


class BuilderSource:
    """Builder code for one schema: `schema_expression` gives the ``define_schema(...)`` call,
    `constants` the ``(name, expression)`` pairs to define before it, in order."""

    def __init__(self, roots: Iterable[Validator]) -> None:
        self.constants: list[tuple[str, str]] = []
        self._refs = SharedRefs(shared_subtrees(roots), self._define)

    def _define(self, validator: Validator) -> str:
        # Rendered before it is named, so constants it uses come first in `constants`.
        source = self.expression(validator, 0)
        name = f"_v{len(self.constants) + 1}"
        self.constants.append((name, source))
        return name

    def expression(self, validator: Validator, depth: int, level: int = 0, lead: int = 0) -> str:
        """The ``v.*`` expression building ``validator``, written at indentation ``depth`` after
        ``lead`` characters on its first line, ``level`` calls deep in the expression it is
        part of."""
        required = as_node(key(validator))
        optional = validator.is_optional
        if isinstance(required, _COMPOSITE):
            name = self._refs.get(required)
            if name is None and level > MAX_INLINE_DEPTH:
                name = self._define(required)
                self._refs.setdefault(required, name)
            if name is not None:
                return f"v.optional({name})" if optional else name
        level += 1
        text: str
        match required:
            case (
                VString()
                | VFloat64()
                | VInt64()
                | VCommitTs()
                | VBoolean()
                | VNull()
                | VBytes()
                | VAny()
            ):
                text = SCALAR_BUILDERS[type(required)]
            case VId(table_name=table_name):
                text = f"v.id({py_str(table_name)})"
            case VLiteral(value=value, int64=int64):
                # The literal keeps its type: `1` stays a Float64 literal `1`, `1.0` stays `1.0`.
                literal = py_str(value) if isinstance(value, str) else py_literal(value)
                text = f"v.literal({literal}{', int64=True' if int64 else ''})"
            case VArray(element=element):
                text = f"v.array({self.expression(element, depth, level, lead + 8)})"
            case VObject(fields=fields):
                entries = []
                for name, field in fields.items():
                    label = f"{py_str(name)}: "
                    # The value starts after its key: the key's width counts against the line.
                    value = self.expression(field, depth + 1, level, len(label))
                    entries.append(label + value)
                text = f"v.object({_braced(entries, depth, lead + 9)})"
            case VRecord(key=record_key, value=value):
                args = [
                    self.expression(record_key, depth + 1, level),
                    self.expression(value, depth + 1, level),
                ]
                text = _call("v.record", args, depth, lead)
            case VUnion(members=members):
                args = [self.expression(member, depth + 1, level) for member in members]
                text = _call("v.union", args, depth, lead)
            case _:
                assert_never(required)
        if optional:
            text = f"v.optional({text})"
        return text

    def table_expression(self, table: TableDefinition, depth: int, lead: int = 0) -> str:
        """``define_table(...)`` and its index calls, in the order they rebuild the same
        table (live indexes of each kind, then staged ones, then a staged validator), after
        ``lead`` characters."""
        document = self.expression(table.validator, depth, lead=lead + len("define_table("))
        text = f"define_table({document})"
        pad = "\n" + _INDENT * (depth + 1)
        for index, staged in _tagged(table.indexes, table.staged_indexes):
            fields = "[" + ", ".join(py_str(f) for f in index.fields) + "]"
            text += f"{pad}.index({py_str(index.name)}, {fields}{_staged(staged)})"
        for search, staged in _tagged(table.search_indexes, table.staged_search_indexes):
            options = [f"search_field={py_str(search.search_field)}"]
            if search.filter_fields:
                options.append(f"filter_fields={_strings(search.filter_fields)}")
            text += f"{pad}.search_index({py_str(search.name)}, {', '.join(options)}"
            text += f"{_staged(staged)})"
        for vector, staged in _tagged(table.vector_indexes, table.staged_vector_indexes):
            options = [
                f"vector_field={py_str(vector.vector_field)}",
                f"dimensions={py_literal(vector.dimensions)}",
            ]
            if vector.filter_fields:
                options.append(f"filter_fields={_strings(vector.filter_fields)}")
            text += f"{pad}.vector_index({py_str(vector.name)}, {', '.join(options)}"
            text += f"{_staged(staged)})"
        if table.staged_validator is not None:
            # The full staged validator: `.staged()` given one rebuilds the same definition.
            staged_source = self.expression(table.staged_validator, depth + 1, lead=len(".staged("))
            text += f"{pad}.staged({staged_source})"
        return text

    def schema_expression(self, schema: Schema) -> str:
        """``define_schema({...}, ...)`` rebuilding ``schema``."""
        pad = _INDENT * 2
        entries = [
            f"{pad}{py_str(name)}: {self.table_expression(table, 2, len(py_str(name)) + 2)},\n"
            for name, table in schema.tables.items()
        ]
        tables = "{\n" + "".join(entries) + _INDENT + "}" if entries else "{}"
        args = [tables]
        if not schema.schema_validation:
            args.append("schema_validation=False")
        if not schema.strict_table_name_types:
            args.append("strict_table_name_types=False")
        return "define_schema(\n" + "".join(f"{_INDENT}{arg},\n" for arg in args) + ")"


def _tagged(live: tuple[T, ...], staged: tuple[T, ...]) -> list[tuple[T, bool]]:
    return [(index, False) for index in live] + [(index, True) for index in staged]


def _staged(staged: bool) -> str:
    return ", staged=True" if staged else ""


def _strings(items: Iterable[str]) -> str:
    return "[" + ", ".join(py_str(item) for item in items) + "]"


def _fits(text: str, depth: int, lead: int = 0) -> bool:
    # The closing `,` or `)` after it counts too.
    return "\n" not in text and len(_INDENT) * depth + lead + len(text) < _WIDTH


def _call(function: str, args: list[str], depth: int, lead: int = 0) -> str:
    """``function(args)`` on one line when it fits, else one argument a line."""
    inline = f"{function}({', '.join(args)})"
    if _fits(inline, depth, lead):
        return inline
    pad = _INDENT * (depth + 1)
    return f"{function}(\n" + "".join(f"{pad}{arg},\n" for arg in args) + _INDENT * depth + ")"


def _braced(entries: list[str], depth: int, lead: int = 0) -> str:
    """A dict display ``{"a": ..., ...}`` that starts on a line at ``depth``: on that line when
    it fits, else one entry a line, its closing brace back at ``depth``."""
    if not entries:
        return "{}"
    inline = "{" + ", ".join(entries) + "}"
    if _fits(inline, depth, lead):
        return inline
    pad = _INDENT * (depth + 1)
    return "{\n" + "".join(f"{pad}{entry},\n" for entry in entries) + _INDENT * depth + "}"
