"""The fast path: a validator tree rendered to Python source and compiled once.

The generated function answers only yes or no, so valid data never pays for error bookkeeping;
`_interpret` explains a no. The two must agree on every value, and a Hypothesis test checks it.

Rules that keep the generated code safe and debuggable (STYLE.md 4 to 6):

* this module is the only one in vschema that calls ``exec``;
* user text enters the source only through `vschema.codegen._source.py_literal`, or as hoisted
  constants passed in the exec globals; generated names come from a counter, never from fields;
* each program gets a unique ``linecache`` filename so tracebacks and pdb show the source, and
  `compiled_source` returns it for a person to read.

Shape of the code: a check is straight-line ``if <bad>: return False`` statements, so nested
objects inline without nesting blocks; loops (arrays, records) and union members that need
statements become helper functions once Python's block-nesting limit comes near.
"""

from __future__ import annotations

import functools
import itertools
import linecache
import math
from collections.abc import Callable

from typing_extensions import assert_never

from vschema.codegen._source import py_literal
from vschema.validators._ids import is_id
from vschema.validators._interpret import any_value_ok, union_tag
from vschema.validators._nodes import (
    VAny,
    VArray,
    VBoolean,
    VBytes,
    VFloat64,
    VId,
    VInt64,
    VLiteral,
    VNull,
    VObject,
    VRecord,
    VString,
    VUnion,
    Validator,
    as_node,
)
from vschema.validators._values import (
    FLOAT64_SAFE_INTEGER,
    INT64_MAX,
    INT64_MIN,
    MAX_ARRAY_LENGTH,
    MAX_FIELD_NAME_LENGTH,
    MAX_NESTING,
    MAX_OBJECT_FIELDS,
    is_utf8,
)

__all__ = ["compile_check", "compiled_source"]

Check = Callable[[object], bool]

# Python refuses more than 20 statically nested loops/try blocks in one function; start a new
# helper function well before that.
_MAX_BLOCKS = 8
_MISSING = object()
_RUNTIME: dict[str, object] = {
    "_MISSING": _MISSING,
    "_utf8": is_utf8,
    "_is_id": is_id,
    "_any_ok": any_value_ok,
    "_copysign": math.copysign,
}
_programs = itertools.count()


class _Program:
    """Source text under construction: helper functions plus hoisted constants."""

    def __init__(self) -> None:
        self.functions: list[list[str]] = []
        self.constants: dict[str, object] = {}
        self._names = itertools.count()

    def name(self, prefix: str) -> str:
        return f"_{prefix}{next(self._names)}"

    def hoist(self, value: object) -> str:
        name = self.name("k")
        self.constants[name] = value
        return name

    def function(self, node: Validator, depth: int) -> str:
        """Emit a helper ``def _fN(x): ... return True`` checking ``node``; returns its name."""
        name = self.name("f")
        body = _Body(self, indent=1, blocks=0)
        body.check(node, "x", depth)
        self.functions.append([f"def {name}(x):", *body.lines, "    return True"])
        return name

    def source(self) -> str:
        return "\n\n".join("\n".join(lines) for lines in self.functions) + "\n"


class _Body:
    """Statements of one function body, at one indentation."""

    def __init__(self, program: _Program, indent: int, blocks: int) -> None:
        self.program = program
        self.indent = indent
        self.blocks = blocks
        self.lines: list[str] = []

    def line(self, text: str) -> None:
        self.lines.append("    " * self.indent + text)

    def nested(self, extra_blocks: int = 0) -> _Body:
        return _Body(self.program, self.indent + 1, self.blocks + extra_blocks)

    def take(self, inner: _Body) -> None:
        self.lines.extend(inner.lines or ["    " * inner.indent + "pass"])

    def fail_if(self, condition: str) -> None:
        self.line(f"if {condition}: return False")

    def local(self) -> str:
        return self.program.name("v")

    def check(self, validator: Validator, var: str, depth: int) -> None:
        """Emit statements that return False unless ``var`` matches ``validator``."""
        expression = _expression(validator, var, self.program)
        if expression is not None:
            self.fail_if(f"not ({expression})")
            return
        node = as_node(validator)
        match node:
            case VArray(element=element):
                if depth >= MAX_NESTING:
                    self.line("return False")
                    return
                self.fail_if(f"type({var}) is not list or len({var}) > {MAX_ARRAY_LENGTH}")
                self.loop(var, False, lambda body, item: body.check(element, item, depth + 1))
            case VObject():
                if depth >= MAX_NESTING:
                    self.line("return False")
                    return
                self.fail_if(f"type({var}) is not dict")
                self.object_fields(node, var, depth)
            case VRecord(key=key, value=value):
                if depth >= MAX_NESTING:
                    self.line("return False")
                    return
                self.fail_if(f"type({var}) is not dict or len({var}) > {MAX_OBJECT_FIELDS}")

                def entry(body: _Body, item: str) -> None:
                    name, val = item.split(", ")
                    # Convex field-name rules: printable ASCII, no leading "$", bounded length.
                    body.fail_if(
                        f"type({name}) is not str or len({name}) > {MAX_FIELD_NAME_LENGTH} "
                        f"or not {name}.isascii() or not {name}.isprintable() "
                        f"or {name}.startswith('$')"
                    )
                    body.check(key, name, depth + 1)
                    body.check(value, val, depth + 1)

                self.loop(var, True, entry)
            case VUnion():
                self.union(node, var, depth)
            case VAny():
                self.fail_if(f"not _any_ok({var}, {depth})")
            case (
                VString()
                | VFloat64()
                | VInt64()
                | VBoolean()
                | VNull()
                | VBytes()
                | VId()
                | VLiteral()
            ):
                raise AssertionError(f"{node!r} has an expression form")
            case _:
                assert_never(node)

    def loop(self, var: str, items: bool, emit_body: Callable[[_Body, str], None]) -> None:
        """Emit ``for`` over a list (or a dict's items), with ``emit_body`` checking each one."""
        if self.blocks + 1 > _MAX_BLOCKS:
            # Move the loop into a helper function, where block nesting starts again from zero.
            helper = self.program.name("f")
            body = _Body(self.program, indent=1, blocks=0)
            body.loop("x", items, emit_body)
            self.program.functions.append([f"def {helper}(x):", *body.lines, "    return True"])
            self.fail_if(f"not {helper}({var})")
            return
        item = f"{self.local()}, {self.local()}" if items else self.local()
        self.line(f"for {item} in {var}{'.items()' if items else ''}:")
        inner = self.nested(extra_blocks=1)
        emit_body(inner, item)
        self.take(inner)

    def object_fields(self, node: VObject, var: str, depth: int) -> None:
        required = [(n, f) for n, f in node.fields.items() if not f.is_optional]
        optional = [(n, f) for n, f in node.fields.items() if f.is_optional]
        if not optional:
            self.fail_if(f"len({var}) != {len(required)}")
        locals_ = [self.local() for _ in required]
        if required:
            if self.blocks + 1 > _MAX_BLOCKS:
                for local, (name, _) in zip(locals_, required):
                    self.line(f"{local} = {var}.get({py_literal(name)}, _MISSING)")
                    self.fail_if(f"{local} is _MISSING")
            else:
                self.line("try:")
                inner = self.nested(extra_blocks=1)
                for local, (name, _) in zip(locals_, required):
                    inner.line(f"{local} = {var}[{py_literal(name)}]")
                self.take(inner)
                self.line("except KeyError: return False")
        if optional:
            count = self.local()
            self.line(f"{count} = {len(required)}")
            for name, field in optional:
                local = self.local()
                self.line(f"{local} = {var}.get({py_literal(name)}, _MISSING)")
                self.line(f"if {local} is not _MISSING:")
                inner = self.nested()
                inner.line(f"{count} += 1")
                inner.check(field, local, depth + 1)
                self.take(inner)
            self.fail_if(f"len({var}) != {count}")
        for local, (_, field) in zip(locals_, required):
            self.check(field, local, depth + 1)

    def union(self, node: VUnion, var: str, depth: int) -> None:
        members = node.members
        if not members:
            self.line("return False")
            return
        if len(members) == 1:
            self.check(members[0], var, depth)
            return
        tag = union_tag(node)
        if tag is not None and self.dispatch(node, tag, var, depth):
            return
        expressions = [(m, _expression(m, var, self.program)) for m in members]
        simple = [e for _, e in expressions if e is not None]
        complex_ = [m for m, e in expressions if e is None]
        if len(complex_) == 1:
            # The common `v.nullable(v.object(...))` shape: if no simple member matches, the one
            # statement-shaped member must, checked inline.
            if simple:
                self.line(f"if not ({' or '.join(simple)}):")
                inner = self.nested()
                inner.check(complex_[0], var, depth)
                self.take(inner)
            else:
                self.check(complex_[0], var, depth)
            return
        calls = [f"{self.program.function(m, depth)}({var})" for m in complex_]
        self.fail_if(f"not ({' or '.join([*simple, *calls])})")

    def dispatch(self, node: VUnion, tag: str, var: str, depth: int) -> bool:
        """Emit a table lookup on a string tag to the one member to check; False if not possible."""
        table: dict[str, str] = {}
        for member in node.members:
            assert isinstance(member, VObject)
            literals = _literal_leaves(member.fields[tag])
            if not all(isinstance(lit.value, str) for lit in literals):
                return False
            function = self.program.function(member, depth)
            for literal in literals:
                assert isinstance(literal.value, str)
                table[literal.value] = function
        entries = ", ".join(f"{py_literal(k)}: {f}" for k, f in table.items())
        lookup = self.program.name("d")
        self.program.functions.append([f"{lookup} = {{{entries}}}"])
        tag_value = self.local()
        self.fail_if(f"type({var}) is not dict")
        self.line(f"{tag_value} = {var}.get({py_literal(tag)})")
        self.fail_if(f"type({tag_value}) is not str")
        member_check = self.local()
        self.line(f"{member_check} = {lookup}.get({tag_value})")
        self.fail_if(f"{member_check} is None or not {member_check}({var})")
        return True


def _literal_leaves(validator: Validator) -> list[VLiteral]:
    if isinstance(validator, VLiteral):
        return [validator]
    assert isinstance(validator, VUnion)
    return [lit for member in validator.members for lit in _literal_leaves(member)]


def _literal_expression(node: VLiteral, var: str) -> str:
    value = node.value
    if isinstance(value, bool):
        return f"{var} is {py_literal(value)}"
    if isinstance(value, str):
        return f"(type({var}) is str and {var} == {py_literal(value)})"
    if node.int64:
        return f"(type({var}) is int and {var} == {py_literal(value)})"
    number = float(value)
    if abs(number) > FLOAT64_SAFE_INTEGER:
        # A Python int this large is no Float64, even where it equals the literal exactly.
        return f"(type({var}) is float and {var} == {py_literal(number)})"
    if number != 0:
        return f"(type({var}) in (float, int) and {var} == {py_literal(number)})"
    if math.copysign(1.0, number) > 0:
        return (
            f"((type({var}) is int and {var} == 0) or "
            f"(type({var}) is float and {var} == 0 and _copysign(1.0, {var}) > 0))"
        )
    return f"(type({var}) is float and {var} == 0 and _copysign(1.0, {var}) < 0)"


def _expression(validator: Validator, var: str, program: _Program) -> str | None:
    """A boolean expression checking ``var`` for scalar-shaped validators, else ``None``."""
    node = as_node(validator)
    match node:
        case VString():
            return f"(type({var}) is str and ({var}.isascii() or _utf8({var})))"
        case VFloat64():
            bound = py_literal(FLOAT64_SAFE_INTEGER)
            return (
                f"(type({var}) is float or "
                f"(type({var}) is int and -{bound} <= {var} <= {bound}))"
            )
        case VInt64():
            return (
                f"(type({var}) is int and "
                f"{py_literal(INT64_MIN)} <= {var} <= {py_literal(INT64_MAX)})"
            )
        case VBoolean():
            return f"type({var}) is bool"
        case VNull():
            return f"{var} is None"
        case VBytes():
            return f"type({var}) is bytes"
        case VId():
            return f"(type({var}) is str and _is_id({var}))"
        case VLiteral():
            return _literal_expression(node, var)
        case VUnion(members=members):
            if not members:
                return "False"
            if not all(_is_literal_tree(m) for m in members):
                parts = [_expression(m, var, program) for m in members]
                if any(p is None for p in parts):
                    return None
                return "(" + " or ".join(p for p in parts if p is not None) + ")"
            return _literal_set_expression(_literal_leaves(node), var, program)
        case VAny() | VArray() | VObject() | VRecord():
            return None
        case _:
            assert_never(node)


def _is_literal_tree(validator: Validator) -> bool:
    if isinstance(validator, VLiteral):
        return True
    return isinstance(validator, VUnion) and all(_is_literal_tree(m) for m in validator.members)


def _literal_set_expression(literals: list[VLiteral], var: str, program: _Program) -> str:
    strings = frozenset(lit.value for lit in literals if isinstance(lit.value, str))
    others = [lit for lit in literals if not isinstance(lit.value, str)]
    parts = []
    if len(strings) > 2:
        parts.append(f"(type({var}) is str and {var} in {program.hoist(strings)})")
    else:
        parts.extend(
            _literal_expression(lit, var) for lit in literals if isinstance(lit.value, str)
        )
    parts.extend(_literal_expression(lit, var) for lit in others)
    return "(" + " or ".join(parts) + ")"


def _render(validator: Validator) -> _Program:
    program = _Program()
    body = _Body(program, indent=1, blocks=0)
    body.check(validator, "x", 0)
    program.functions.append(["def check(x):", *body.lines, "    return True"])
    return program


@functools.lru_cache(maxsize=2048)
def _compile(validator: Validator) -> Check:
    program = _render(validator)
    source = program.source()
    filename = f"<vschema compiled validator {next(_programs)}>"
    namespace: dict[str, object] = {**_RUNTIME, **program.constants}
    exec(compile(source, filename, "exec"), namespace)
    # Register the source so tracebacks and debuggers can show the generated lines.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    check = namespace["check"]
    assert callable(check)
    return check  # type: ignore[no-any-return]


def compile_check(validator: Validator) -> Check:
    """The compiled yes/no check for ``validator``, built once and cached on the node."""
    check = _compile(validator)
    object.__setattr__(validator, "_check", check)
    return check


def compiled_source(validator: Validator) -> str:
    """The Python source that `validator.is_valid` runs, for reading and debugging."""
    return _render(validator).source()
