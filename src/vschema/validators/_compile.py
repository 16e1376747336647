"""The fast path: a validator tree rendered to Python source and compiled once.

Three programs per validator, each compiled on first need and cached per node:

* the **check** (`compile_check`, what ``is_valid`` runs) answers only yes or no, so valid data
  never pays for error bookkeeping;
* the **locator** (`compile_locator`, what ``validate`` and ``errors`` run) is the same check,
  returning ``None`` for yes and, for no, where it stopped: for an object, the failing field's
  place in the order the check tests fields (`_check_order`), so every field before it is known
  to be valid;
* the **explainer** (`compile_explainer`, compiled the first time a value fails) lists the
  issues. It follows the reference interpreter's walk (fields in sorted order, entries in key
  order), skips the fields the locator passed and every subtree whose own compiled check passes,
  goes straight to explaining the field the locator stopped at, and hands each part that fails
  to the interpreter (`_interpret`), which words every message. So an error says exactly what
  the interpreter says, at the cost of checking some good parts of a bad value, not explaining
  them. The one exception is the commonest issue, a scalar of the wrong type: its message is
  the interpreter's own, split once around the value's display and hoisted
  (`_Explain.no_match`).

All three must agree with `_interpret` on every value; Hypothesis tests check it.

Rules that keep the generated code safe and debuggable (STYLE.md 4 to 6):

* this module is the only one in vschema that calls ``exec``;
* user text enters the source only through `vschema._source.py_literal`, or as hoisted
  constants passed in the exec globals; generated names come from a counter, never from fields;
* each program gets a unique ``linecache`` filename so tracebacks and pdb show the source, and
  `compiled_source` returns the check's source for a person to read.

Shape of the check: straight-line ``if <bad>: return False`` statements, so nested objects inline
without nesting blocks; loops (arrays, records) and union members that need statements become
helper functions once Python's block-nesting limit comes near. Arrays and record values of scalars
are checked by the bulk helpers below, which run the per-item work in C for long inputs.
"""

from __future__ import annotations

import builtins
import functools
import itertools
import math
import sys
import threading
from collections.abc import Callable, Collection, Mapping
from struct import Struct
from struct import error as _StructError
from types import CodeType, FunctionType
from typing import Protocol, cast

from vschema._source import py_literal
from vschema._typing import assert_never
from vschema.validators._errors import MAX_ISSUES, Issue, IssueLimitReached, reworded
from vschema.validators._ids import is_id
from vschema.validators._interpret import (
    _walk,
    any_value_ok,
    no_match_facts,
    no_match_issue,
    tagged_union_note,
    union_tag,
)
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
    children,
)
from vschema.validators._values import (
    COMMIT_TS,
    FLOAT64_SAFE_INTEGER,
    INT64_MAX,
    INT64_MIN,
    MAX_ARRAY_LENGTH,
    MAX_FIELD_NAME_LENGTH,
    MAX_NESTING,
    MAX_OBJECT_FIELDS,
    is_utf8,
)

__all__ = [
    "Explainer",
    "Locate",
    "compile_check",
    "compile_exact_check",
    "compile_explainer",
    "compile_locator",
    "compiled_source",
    "document_check",
    "explain",
]

Check = Callable[[object], bool]
#: The check as `validate` runs it: ``None`` when valid, else where it failed (for the explainer).
Locate = Callable[[object], int | None]


class Explainer(Protocol):
    def __call__(self, value: object, issues: list[Issue], at: int) -> None:
        """Append the issues of ``value`` to ``issues``; ``at`` is what the locator returned
        for it (-1: nothing known)."""


# --------------------------------------------------------------------------------------------
# Bulk checks: every item of a list (or of a dict's keys or values) at once. Below _BULK items a
# plain loop is faster; above it, `map` and `str.join` move the per-item work into C.

_BULK = 32
# Packing pays off later for ints: at 32 items the loop is still faster.
_BULK_INT64 = 48
_SAFE = FLOAT64_SAFE_INTEGER
# Field names' shapes for bytes.translate (`_field_names`): printable ASCII (what Convex allows
# in field names) to "a", "\n" kept, every other byte to NUL.
_NAME_SHAPE = bytes(0x61 if 0x20 <= b < 0x7F else 0x0A if b == 0x0A else 0 for b in range(256))
_TOO_LONG_NAME = b"a" * (MAX_FIELD_NAME_LENGTH + 1)


def _all_str(items: Collection[object]) -> bool:
    """Every item is a `str` without lone surrogates."""
    if len(items) < _BULK:
        for item in items:
            if type(item) is not str or not (item.isascii() or is_utf8(item)):
                return False
        return True
    if list(map(type, items)).count(str) != len(items):
        return False
    # A lone surrogate stays lone when joined (Python never pairs surrogates while encoding).
    joined = "".join(items)  # type: ignore[arg-type]
    return joined.isascii() or is_utf8(joined)


def _all_float64(items: Collection[object]) -> bool:
    """Every item is a `float`, or an `int` of magnitude at most 2**53 (never `bool`)."""
    if len(items) < _BULK:
        for item in items:
            if type(item) is not float and (type(item) is not int or not -_SAFE <= item <= _SAFE):
                return False
        return True
    types = list(map(type, items))
    floats = types.count(float)
    if floats == len(items):
        return True
    if floats + types.count(int) != len(items):
        return False
    if not floats:
        return min(items) >= -_SAFE and max(items) <= _SAFE  # type: ignore[type-var,operator]
    return all(type(item) is not int or -_SAFE <= item <= _SAFE for item in items)


def _all_float(items: Collection[object]) -> bool:
    """Every item is a `float` (exact-numbers mode: an `int` is an Int64, no Float64)."""
    return list(map(type, items)).count(float) == len(items)


def _all_int64(items: Collection[object]) -> bool:
    """Every item is an `int` in the signed 64-bit range (never `bool`)."""
    if len(items) < _BULK_INT64:
        for item in items:
            if type(item) is not int or not INT64_MIN <= item <= INT64_MAX:
                return False
        return True
    if list(map(type, items)).count(int) != len(items):
        return False
    # Every item is an exact int: packing them as signed 64-bit integers checks the range in C,
    # in one pass (min and max would take two, comparing big ints generically).
    pack = _INT64_PACKERS.get(len(items))
    if pack is None:
        if len(_INT64_PACKERS) >= 256:
            _INT64_PACKERS.clear()  # bounded: one packer per recent length
        pack = _INT64_PACKERS[len(items)] = Struct(f"{len(items)}q").pack
    try:
        pack(*items)
    except _StructError:
        return False
    return True


#: ``Struct(f"{n}q").pack`` by length n: `struct.pack` parses its format on every call.
_INT64_PACKERS: dict[int, Callable[..., bytes]] = {}


def _all_bool(items: Collection[object]) -> bool:
    """Every item is `True` or `False`."""
    return list(map(type, items)).count(bool) == len(items)


def _field_names(keys: Collection[object]) -> bool:
    """Every key is a `str` that Convex allows as a field name and `v.string()` accepts: at most
    1024 characters of printable ASCII, not starting with ``$``."""
    if len(keys) < _BULK:
        for key in keys:
            if (
                type(key) is not str
                or not (key.isascii() and key.isprintable())
                or key[:1] == "$"
                or len(key) > MAX_FIELD_NAME_LENGTH
            ):
                return False
        return True
    if list(map(type, keys)).count(str) != len(keys):
        return False
    # Joined with "\n", which no valid name contains: the separators are then exactly the
    # non-printable characters left after deleting the printable ones.
    joined = "\n".join(keys)  # type: ignore[arg-type]
    if not joined.isascii():
        return False
    # Printable characters become "a", newlines stay, anything else becomes NUL: then a name is
    # a run of "a"s between newlines, and each rule is one C-level search.
    shape = joined.encode("ascii").translate(_NAME_SHAPE)
    if b"\0" in shape or shape.count(b"\n") != len(keys) - 1:
        return False
    # One memchr for "$" first: searching for "\n$" stops at every separator.
    if "$" in joined and (joined.startswith("$") or "\n$" in joined):
        return False
    return len(joined) <= MAX_FIELD_NAME_LENGTH or _TOO_LONG_NAME not in shape


#: The bulk check for a collection of each scalar kind.
_BULK_CHECKS: dict[type[Validator], str] = {
    VString: "_all_str",
    VFloat64: "_all_float64",
    VInt64: "_all_int64",
    VBoolean: "_all_bool",
}

_MISSING = object()
# Python refuses more than 20 statically nested loops/try blocks in one function; start a new
# helper function well before that.
_MAX_BLOCKS = 8
# Python's tokenizer refuses more than 100 levels of indentation; `if`s nest without counting as
# blocks (an optional field inside a nullable object inside ...), so past this depth a subtree
# moves into a helper function too.
_MAX_INDENT = 40
_RUNTIME: dict[str, object] = {
    "_MISSING": _MISSING,
    "_COMMIT_TS": COMMIT_TS,
    "_utf8": is_utf8,
    "_is_id": is_id,
    "_any_ok": any_value_ok,
    "_copysign": math.copysign,
    "_all_str": _all_str,
    "_all_float64": _all_float64,
    "_all_float": _all_float,
    "_all_int64": _all_int64,
    "_all_bool": _all_bool,
    "_field_names": _field_names,
    # for explainers
    "_walk": _walk,
    "_reworded": reworded,
    "_no_match_issue": no_match_issue,
    "_MAX_ISSUES": MAX_ISSUES,
    "_IssueLimitReached": IssueLimitReached,
}
#: The first line of every explainer helper and explained loop (see `_Explain._emit_function`).
_LIMIT = "if len(issues) > _MAX_ISSUES: raise _IssueLimitReached"
#: What every program reads besides its own constants: Python's builtins and `_RUNTIME`, one
#: dict for all programs (as their ``__builtins__``, looked up as fast as globals), so each
#: program's namespace holds only its own names, not a copy of the runtime's.
_BUILTINS: dict[str, object] = {**builtins.__dict__, **_RUNTIME}
_programs = itertools.count()

#: What a compiled helper is for: ``("check", node, depth, exact)`` for a ``_fN(x)`` check,
#: ``("explain", node, depth)`` for an ``_eN(x, path, issues)`` explainer. A helper's behaviour
#: is a function of its key alone (it reads nothing of the program around it but its own
#: globals, which it carries), so any program may call one another program compiled.
_SharedKey = tuple[object, ...]
#: Helpers compiled so far, for any program that needs the same one again (`_share`): equal
#: subtrees of different tables, and a document's fields (its table's, plus two), compile once.
_SHARED: dict[_SharedKey, Callable[..., object]] = {}
#: At most this many entries: past it the oldest goes (a program that uses it keeps its own
#: reference), so the registry holds a bounded number of programs alive on top of the caches.
_SHARED_MAX = 4096
_shared_lock = threading.Lock()


def _share(key: _SharedKey, helper: Callable[..., object]) -> None:
    with _shared_lock:
        if key in _SHARED:
            return
        if len(_SHARED) >= _SHARED_MAX:
            del _SHARED[next(iter(_SHARED))]
        _SHARED[key] = helper


#: A subtree of at most this many nodes is written out in full wherever it is used; a larger
#: one that is used more than once becomes one helper function, called from each use.
_INLINE_NODES = 24


class _Program:
    """Source text under construction: helper functions plus hoisted constants.

    Each distinct subtree needing a helper is emitted once (`function`, keyed by the node and
    its depth: the node's equality, so equal subtrees share one) and called from every use,
    so a tree that reuses a subtree twice a level compiles in time and source linear in its
    distinct nodes, not in its size. Which uses call rather than inline (`outlined`): in the
    check and the locator, a subtree larger than `_INLINE_NODES` reached from more than one
    place (`_references`); in the explainer (``outline_all``), which makes a check helper for
    every container it explains, every container, so no helper repeats another's body (its
    checks run only for values already refused, where a call per level costs little).
    """

    def __init__(
        self,
        root: Validator | None = None,
        *,
        outline_all: bool = False,
        exact: bool = False,
        reuse: Mapping[_SharedKey, Callable[..., object]] | None = None,
    ) -> None:
        self.functions: list[list[str]] = []
        # Helpers compiled elsewhere (`_SHARED`, or the ``hits`` of an earlier rendering of the
        # same program), hoisted instead of emitted; ``hits``: those this program took, so a
        # rendering given them again writes the same source. ``offered``: helpers emitted
        # here, for `_exec` to put in `_SHARED` once they exist.
        self._reuse = reuse
        self.hits: dict[_SharedKey, Callable[..., object]] = {}
        self.offered: list[tuple[_SharedKey, str]] = []
        # Exact numbers (`compile_exact_check`): a Float64 is a `float`, never an `int`.
        self.exact = exact
        self.constants: dict[str, object] = {}
        self._names = itertools.count()
        self._helpers: dict[tuple[Validator, int], str] = {}
        self._literal_sets: dict[tuple[Validator, str], str] = {}
        self._outline_all = outline_all
        # By identity (the tree outlives the program, so no id is reused meanwhile): a size is
        # the same for equal nodes anyway.
        self._sizes: dict[int, int] = {}
        self._references: dict[tuple[Validator, int], int] = {}
        if root is not None:
            self._count_references(root, 0, set())

    def name(self, prefix: str) -> str:
        # Interned, as `compile` interns every name in the code: a hoisted constant's name, a
        # key of the program's namespace, is then one string, not two.
        return sys.intern(f"_{prefix}{next(self._names)}")

    def hoist(self, value: object) -> str:
        name = self.name("k")
        self.constants[name] = value
        return name

    def hoist_literals(self, node: Validator, kind: str, values: frozenset[object]) -> str:
        """Hoist the ``kind`` literal values of the union ``node`` once per program."""
        key = (node, kind)
        name = self._literal_sets.get(key)
        if name is None:
            name = self._literal_sets[key] = self.hoist(values)
        return name

    def reused(self, key: _SharedKey) -> str | None:
        """The name of the helper for ``key`` compiled by another program, hoisted here, if
        there is one."""
        if self._reuse is None:
            return None
        helper = self._reuse.get(key)
        if helper is None:
            return None
        self.hits[key] = helper
        return self.hoist(helper)

    def function(self, node: Validator, depth: int) -> str:
        """The helper ``def _fN(x): ... return True`` checking ``node`` at ``depth``, emitted
        the first time it is asked for (or reused, `reused`); returns its name."""
        key = (node, depth)
        name = self._helpers.get(key)
        if name is not None:
            return name
        shared: _SharedKey = ("check", node, depth, self.exact)
        name = self.reused(shared)
        if name is not None:
            self._helpers[key] = name
            return name
        name = self._helpers[key] = self.name("f")
        body = _Body(self, indent=1, blocks=0)
        body.emit(node, "x", depth)
        self.functions.append([f"def {name}(x):", *body.lines, "    return True"])
        self.offered.append((shared, name))
        return name

    def outlined(self, node: Validator, depth: int) -> bool:
        """Whether a use of the container ``node`` calls its helper instead of inlining it."""
        if self._outline_all or (node, depth) in self._helpers:
            return True
        if self._size(node) <= _INLINE_NODES:
            return False
        return self._references.get((node, depth), 0) > 1

    def _size(self, node: Validator) -> int:
        """The tree size of ``node``, counted up to just past `_INLINE_NODES`."""
        size = self._sizes.get(id(node))
        if size is None:
            size = 1
            for child in children(node):
                size += self._size(child)
                if size > _INLINE_NODES:
                    break
            self._sizes[id(node)] = size = min(size, _INLINE_NODES + 1)
        return size

    def _count_references(
        self, node: Validator, depth: int, seen: set[tuple[Validator, int]]
    ) -> None:
        """Count, for each (node, depth) below, its uses in the code of distinct parents (equal
        nodes are one: they share one helper)."""
        key = (node, depth)
        if key in seen:
            return
        seen.add(key)
        inner = depth if isinstance(node, VUnion) else depth + 1
        if inner > MAX_NESTING:
            return
        for child in children(node):
            if not _is_scalar(child):
                child_key = (child, inner)
                self._references[child_key] = self._references.get(child_key, 0) + 1
                self._count_references(child, inner, seen)

    def source(self) -> str:
        return "\n\n".join("\n".join(lines) for lines in self.functions) + "\n"


def _is_scalar(validator: Validator) -> bool:
    return not isinstance(validator, (VArray, VObject, VRecord, VUnion))


class _Body:
    """Statements of one function body, at one indentation."""

    def __init__(self, program: _Program, indent: int, blocks: int, fail: str = "False") -> None:
        self.program = program
        self.indent = indent
        self.blocks = blocks
        # What the function returns on a failure: False in a check, a field's code in a locator.
        self.fail = fail
        self.lines: list[str] = []

    def line(self, text: str) -> None:
        self.lines.append("    " * self.indent + text)

    def nested(self, extra_blocks: int = 0) -> _Body:
        return _Body(self.program, self.indent + 1, self.blocks + extra_blocks, self.fail)

    def take(self, inner: _Body) -> None:
        self.lines.extend(inner.lines or ["    " * inner.indent + "pass"])

    def fail_if(self, condition: str) -> None:
        self.line(f"if {condition}: return {self.fail}")

    def local(self) -> str:
        return self.program.name("v")

    def check(self, validator: Validator, var: str, depth: int) -> None:
        """Emit statements that return False unless ``var`` matches ``validator``."""
        bad = _failure(validator, var, self.program)
        if bad is not None:
            self.fail_if(bad)
            return
        if self.indent > _MAX_INDENT or self.program.outlined(validator, depth):
            self.fail_if(f"not {self.program.function(validator, depth)}({var})")
            return
        self.emit(validator, var, depth)

    def emit(self, validator: Validator, var: str, depth: int) -> None:
        """`check`, written out here (not as a call to a helper) for a container."""
        bad = _failure(validator, var, self.program)
        if bad is not None:
            self.fail_if(bad)
            return
        node = as_node(validator)
        match node:
            case VArray(element=element):
                if depth >= MAX_NESTING:
                    self.line(f"return {self.fail}")
                    return
                self.fail_if(f"type({var}) is not list or len({var}) > {MAX_ARRAY_LENGTH}")
                bulk = _bulk_check(element, self.program.exact)
                if bulk is not None:
                    self.fail_if(f"not {bulk}({var})")
                    return
                self.loop(var, "", lambda body, item: body.check(element, item, depth + 1))
            case VObject():
                if depth >= MAX_NESTING:
                    self.line(f"return {self.fail}")
                    return
                self.fail_if(f"type({var}) is not dict")
                self.object_fields(node, var, depth)
            case VRecord(key=key, value=value):
                if depth >= MAX_NESTING:
                    self.line(f"return {self.fail}")
                    return
                self.fail_if(f"type({var}) is not dict or len({var}) > {MAX_OBJECT_FIELDS}")
                if isinstance(key, VString):
                    # Every field name `v.string()` accepts: check the keys in one go.
                    self.fail_if(f"not _field_names({var})")
                else:
                    self.loop(var, ".keys()", lambda body, k: body.record_key(key, k, depth))
                bulk = _bulk_check(value, self.program.exact)
                if bulk is not None:
                    self.fail_if(f"not {bulk}({var}.values())")
                else:
                    self.loop(
                        var, ".values()", lambda body, item: body.check(value, item, depth + 1)
                    )
            case VUnion():
                self.union(node, var, depth)
            case VAny():
                self.fail_if(f"not _any_ok({var}, {depth})")
            case (
                VString()
                | VFloat64()
                | VInt64()
                | VCommitTs()
                | VBoolean()
                | VNull()
                | VBytes()
                | VId()
                | VLiteral()
            ):
                raise AssertionError(f"{node!r} has an expression form")
            case _:
                assert_never(node)

    def record_key(self, key: Validator, name: str, depth: int) -> None:
        # Convex field-name rules (printable ASCII, no leading "$", bounded), then the key's own.
        self.fail_if(
            f"type({name}) is not str or len({name}) > {MAX_FIELD_NAME_LENGTH} "
            f"or not {name}.isascii() or not {name}.isprintable() "
            f"or {name}.startswith('$')"
        )
        self.check(key, name, depth + 1)

    def loop(self, var: str, view: str, emit_body: Callable[[_Body, str], None]) -> None:
        """Emit ``for item in <var><view>`` (``view``: "", ".keys()" or ".values()"), with
        ``emit_body`` checking each item."""
        if self.blocks + 1 > _MAX_BLOCKS:
            # Move the loop into a helper function, where block nesting starts again from zero.
            helper = self.program.name("f")
            body = _Body(self.program, indent=1, blocks=0)
            body.loop("x", view, emit_body)
            self.program.functions.append([f"def {helper}(x):", *body.lines, "    return True"])
            self.fail_if(f"not {helper}({var})")
            return
        item = self.local()
        self.line(f"for {item} in {var}{view}:")
        inner = self.nested(extra_blocks=1)
        emit_body(inner, item)
        self.take(inner)

    def object_fields(
        self,
        node: VObject,
        var: str,
        depth: int,
        skip: str | None = None,
        located: bool = False,
        keys_checked: bool = False,
        counted_name: str | None = None,
    ) -> None:
        """Check the fields of the dict ``var`` (``skip``: a field already checked, if any).

        ``located``: a field that fails returns its place in `_check_order` (the fields before
        it passed), where the rest of the function returns ``self.fail``. ``keys_checked``:
        the caller has already tested that every key is exactly a `str`. ``counted_name``: a
        name holding the number of keys the dict has besides its optional fields (the
        required fields, unless the function was given more), in place of that constant.
        """
        codes = {name: i for i, name in enumerate(_check_order(node))} if located else {}
        fields = _canonical(node)
        required = [(n, f) for n, f in fields if not f.is_optional and n != skip]
        optional = [(n, f) for n, f in fields if f.is_optional]
        counted: int | str = len(required) + (skip is not None)
        if counted_name is not None:
            counted = counted_name
        if not optional:
            self.fail_if(f"len({var}) != {counted}")
        if not keys_checked:
            # With no optional field the length is known here: compare with the constant.
            self.fail_if(
                _NOT_EXACT_KEYS.format(var=var)
                if optional
                else f"list(map(type, {var})).count(str) != {counted}"
            )
        locals_ = [self.local() for _ in required]
        if required:
            if self.blocks + 1 > _MAX_BLOCKS:
                for local, (name, _) in zip(locals_, required, strict=True):
                    self.line(f"{local} = {var}.get({py_literal(name)}, _MISSING)")
                    self.fail_if(f"{local} is _MISSING")
            else:
                self.line("try:")
                inner = self.nested(extra_blocks=1)
                for local, (name, _) in zip(locals_, required, strict=True):
                    inner.line(f"{local} = {var}[{py_literal(name)}]")
                self.take(inner)
                self.line(f"except KeyError: return {self.fail}")
        if optional:
            count = self.local()
            self.line(f"{count} = {counted}")
            for name, field in optional:
                local = self.local()
                self.line(f"{local} = {var}.get({py_literal(name)}, _MISSING)")
                self.line(f"if {local} is not _MISSING:")
                inner = self.nested()
                inner.line(f"{count} += 1")
                if located:
                    inner.fail = f"_r[{codes[name]}]"
                inner.check(field, local, depth + 1)
                self.take(inner)
            self.fail_if(f"len({var}) != {count}")
        for local, (name, field) in zip(locals_, required, strict=True):
            if located:
                body = _Body(self.program, self.indent, self.blocks, f"_r[{codes[name]}]")
                body.check(field, local, depth + 1)
                self.lines.extend(body.lines)
            else:
                self.check(field, local, depth + 1)

    def union(self, node: VUnion, var: str, depth: int) -> None:
        members = node.members
        if not members:
            self.line(f"return {self.fail}")
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
        """Emit a branch on a string tag to the one member to check; False if not possible.

        Members are checked inline (``if tag == "a": ... elif ...``) when there are few of them,
        else through a table of helper functions.
        """
        cases: list[tuple[list[str], VObject]] = []
        for member in node.members:
            assert isinstance(member, VObject)
            literals = _literal_leaves(member.fields[tag])
            if not all(isinstance(lit.value, str) for lit in literals):
                return False
            cases.append(([str(lit.value) for lit in literals], member))
        tag_value = self.local()
        self.fail_if(f"type({var}) is not dict")
        self.fail_if(_NOT_EXACT_KEYS.format(var=var))
        self.line(f"{tag_value} = {var}.get({py_literal(tag)})")
        self.fail_if(f"type({tag_value}) is not str")
        if depth < MAX_NESTING and len(cases) <= 4 and self.blocks + 1 <= _MAX_BLOCKS:
            keyword = "if"
            for values, member in cases:
                test = " or ".join(f"{tag_value} == {py_literal(value)}" for value in values)
                self.line(f"{keyword} {test}:")
                inner = self.nested(extra_blocks=1)
                if self.program.outlined(member, depth):
                    inner.fail_if(f"not {self.program.function(member, depth)}({var})")
                else:
                    # The tag field is present and matches: check the others.
                    inner.object_fields(member, var, depth, skip=tag, keys_checked=True)
                self.take(inner)
                keyword = "elif"
            self.line(f"else: return {self.fail}")
            return True
        table = {
            value: self.program.function(member, depth)
            for values, member in cases
            for value in values
        }
        entries = ", ".join(f"{py_literal(k)}: {f}" for k, f in table.items())
        lookup = self.program.name("d")
        self.program.functions.append([f"{lookup} = {{{entries}}}"])
        member_check = self.local()
        self.line(f"{member_check} = {lookup}.get({tag_value})")
        self.fail_if(f"{member_check} is None or not {member_check}({var})")
        return True


#: True unless every key of the dict is exactly a `str`. Tested before any lookup: a key of
#: another type runs its own ``__eq__`` when a lookup meets it, and could claim to be a field it
#: is not (``json.dumps`` would then write its real text). ``map(type, ...)`` runs in C.
_NOT_EXACT_KEYS = "list(map(type, {var})).count(str) != len({var})"


def _canonical(node: VObject) -> list[tuple[str, Validator]]:
    """The fields in sorted order: every program reads fields in this order, never in the
    declared one.

    Programs are cached by validator equality, and equality ignores field order (as Convex
    does), so two equal validators share one program: it must not depend on anything equality
    does not see, or one validator's locator would point into another's field order.
    """
    return sorted(node.fields.items())


def _check_order(node: VObject) -> list[str]:
    """The order in which `_Body.object_fields` checks the fields: optional, then required."""
    fields = _canonical(node)
    optional = [name for name, field in fields if field.is_optional]
    return optional + [name for name, field in fields if not field.is_optional]


def _bulk_check(element: Validator, exact: bool = False) -> str | None:
    """The bulk helper's name for a collection of ``element``, if there is one (``exact``:
    in exact-numbers mode)."""
    if exact and type(element) is VFloat64:
        return "_all_float"
    return _BULK_CHECKS.get(type(element))


def _literal_leaves(validator: Validator) -> list[VLiteral]:
    """The literals of a literal or a union (of unions) of literals."""
    if isinstance(validator, VLiteral):
        return [validator]
    assert isinstance(validator, VUnion)
    leaves = _leaves(validator)
    assert all(isinstance(leaf, VLiteral) for leaf in leaves)
    return [leaf for leaf in leaves if isinstance(leaf, VLiteral)]


def _leaves(node: VUnion) -> list[Validator]:
    """The members of ``node`` with every union member replaced by its own, each distinct
    member once, in first-seen order: for a yes/no answer, the same union.

    Each distinct inner union is visited once, so a union reusing another twice a level costs
    its distinct nodes, not its tree size.
    """
    leaves: dict[Validator, None] = {}
    seen: set[int] = set()

    def walk(union: VUnion) -> None:
        for member in union.members:
            if isinstance(member, VUnion):
                if id(member) not in seen:
                    seen.add(id(member))
                    walk(member)
            else:
                leaves.setdefault(member, None)

    walk(node)
    return list(leaves)


def _literal_expression(node: VLiteral, var: str, exact: bool = False) -> str:
    """The test for ``var`` equal to the literal ``node`` (``exact``: in exact-numbers mode,
    where an `int` is an Int64 and matches no Float64 literal)."""
    value = node.value
    if isinstance(value, bool):
        return f"{var} is {py_literal(value)}"
    if isinstance(value, str):
        return f"(type({var}) is str and {var} == {py_literal(value)})"
    if node.int64:
        return f"(type({var}) is int and {var} == {py_literal(value)})"
    number = float(value)
    if exact and number != 0:
        return f"(type({var}) is float and {var} == {py_literal(number)})"
    if exact and math.copysign(1.0, number) > 0:
        return f"(type({var}) is float and {var} == 0 and _copysign(1.0, {var}) > 0)"
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


_SAFE_BOUND = py_literal(FLOAT64_SAFE_INTEGER)


def _wrong_type(node: Validator, var: str) -> str | None:
    """A condition true exactly when the interpreter reports ``var`` as ``no_match`` for a scalar
    ``node`` (its type is wrong), where that is all it reports; ``None`` for other kinds."""
    match node:
        case VString():
            return f"type({var}) is not str"
        case VInt64():
            return f"type({var}) is not int"
        case VFloat64():
            return f"type({var}) is not float and type({var}) is not int"
        case VBoolean():
            return f"type({var}) is not bool"
        case VNull():
            return f"{var} is not None"
        case VBytes():
            return f"type({var}) is not bytes"
        case _:
            return None


def _failure(validator: Validator, var: str, program: _Program) -> str | None:
    """A condition true when ``var`` fails a scalar-shaped validator (``None``: no such form).

    The negation of `_expression`; in an ``if``, CPython compiles ``not (...)`` into the jumps
    themselves, so it costs nothing over a hand-negated condition.
    """
    expression = _expression(validator, var, program)
    return None if expression is None else f"not ({expression})"


def _expression(validator: Validator, var: str, program: _Program) -> str | None:
    """A boolean expression checking ``var`` for scalar-shaped validators, else ``None``."""
    node = as_node(validator)
    match node:
        case VString():
            return f"(type({var}) is str and ({var}.isascii() or _utf8({var})))"
        case VFloat64():
            if program.exact:
                return f"type({var}) is float"
            return (
                f"(type({var}) is float or "
                f"(type({var}) is int and -{_SAFE_BOUND} <= {var} <= {_SAFE_BOUND}))"
            )
        case VInt64():
            return (
                f"(type({var}) is int and "
                f"{py_literal(INT64_MIN)} <= {var} <= {py_literal(INT64_MAX)})"
            )
        case VCommitTs():
            return (
                f"({var} is _COMMIT_TS or (type({var}) is int and "
                f"{py_literal(INT64_MIN)} <= {var} <= {py_literal(INT64_MAX)}))"
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
            return _literal_expression(node, var, program.exact)
        case VUnion():
            return _union_expression(node, var, program)
        case VAny() | VArray() | VObject() | VRecord():
            return None
        case _:
            assert_never(node)


def _union_expression(node: VUnion, var: str, program: _Program) -> str | None:
    """The expression for a union whose members (unions flattened) all have one, else None.

    More than two literals are tested as one set membership per kind, not one ``==`` each."""
    leaves = _leaves(node)
    if not leaves:
        return "False"
    literals = [leaf for leaf in leaves if isinstance(leaf, VLiteral)]
    grouped = len(literals) > 2
    parts: list[str] = []
    for leaf in leaves:
        if isinstance(leaf, VLiteral):
            if not grouped:
                parts.append(_literal_expression(leaf, var, program.exact))
            elif leaf is literals[0]:
                parts.extend(_literal_set_parts(node, literals, var, program))
            continue
        part = _expression(leaf, var, program)
        if part is None:
            return None
        parts.append(part)
    return "(" + " or ".join(parts) + ")"


def _literal_set_parts(
    node: VUnion, literals: list[VLiteral], var: str, program: _Program
) -> list[str]:
    """Tests for ``var`` being one of ``literals`` (distinct, of the union ``node``): a hoisted
    set per kind, since Python's own equality would mix them up (``True == 1 == 1.0``, ``0.0 ==
    -0.0``, an int beyond 2**53 equal to a float). Kinds with at most two values, zeros and
    booleans are tested one by one."""
    groups: dict[str, list[VLiteral]] = {"str": [], "int64": [], "float64": []}
    singles: list[VLiteral] = []
    for lit in literals:
        value = lit.value
        if isinstance(value, bool) or (not lit.int64 and not isinstance(value, str) and not value):
            singles.append(lit)
        else:
            groups["str" if isinstance(value, str) else "int64" if lit.int64 else "float64"].append(
                lit
            )
    safe = f"-{_SAFE_BOUND} <= {var} <= {_SAFE_BOUND}"
    guards = {
        "str": f"type({var}) is str",
        "int64": f"type({var}) is int",
        # Nonzero numbers, as floats: an int of at most 2**53 equals (and hashes as) its float.
        "float64": f"type({var}) is float"
        if program.exact
        else f"(type({var}) is float or (type({var}) is int and {safe}))",
    }
    parts: list[str] = []
    for kind, group in groups.items():
        if len(group) > 2:
            values = frozenset(
                float(lit.value) if kind == "float64" else lit.value for lit in group
            )
            name = program.hoist_literals(node, kind, values)
            parts.append(f"({guards[kind]} and {var} in {name})")
        else:
            singles.extend(group)
    parts.extend(_literal_expression(lit, var, program.exact) for lit in singles)
    return parts


# --------------------------------------------------------------------------------------------
# The explainer: the interpreter's walk, with compiled checks to skip what is valid.


#: `no_match_facts` once per distinct node (equal nodes get one), however many explainers
#: hoist it: the facts are a function of the node, and their text is most of their memory.
_no_match_facts = functools.lru_cache(maxsize=4096)(no_match_facts)


class _Explain:
    """Emits ``def _eN(x, path, issues)`` functions that append the issues of ``x``.

    Each function is for one node at one depth (the depth is fixed by the node's place in the
    tree, so it is written into the code). Wherever the value is not the plain shape the function
    expects (wrong type, missing or extra fields, a bad key, too deep), it hands the whole node to
    the interpreter, which reports exactly what it always does.
    """

    def __init__(self, program: _Program) -> None:
        self.program = program
        # One explainer per distinct (node, depth), as `_Program.function` for checks.
        self._functions: dict[tuple[Validator, int], str | None] = {}

    def delegate(self, node: Validator, var: str, path: str, depth: int) -> str:
        """A statement handing ``var`` to the interpreter."""
        return f"_walk({self.program.hoist(node)}, {var}, {path}, {depth}, issues)"

    def statements(
        self, body: _Body, node: Validator, var: str, path: str, depth: int, item: bool = False
    ) -> None:
        """Emit statements appending the issues of ``var`` (at ``path``) if it fails ``node``;
        ``item``: ``var`` is an array's item or a record's value (see `unguarded`)."""
        bad = _failure(node, var, self.program)
        if bad is not None:
            wrong_type = _wrong_type(node, var)
            if wrong_type is None:
                body.line(f"if {bad}: {self.delegate(node, var, path, depth)}")
                return
            # The common failure, a value of the wrong type, is worded here; anything else (a
            # lone surrogate, an int out of range) is the interpreter's.
            no_match = self.no_match(node, var, path)
            if bad == wrong_type:
                body.line(f"if {bad}: {no_match}")
            else:
                # A valid value (the usual case for the fields after a failing one) pays for
                # one test, not two.
                delegate = self.delegate(node, var, path, depth)
                body.line(f"if {bad}: {no_match} if {wrong_type} else {delegate}")
            return
        if isinstance(node, VAny):
            body.line(self.delegate(node, var, path, depth))
            return
        explainer = None if item else self.unguarded(node, depth)
        if explainer is not None:
            body.line(f"{explainer}({var}, {path}, issues)")
            return
        check = self.program.function(node, depth)
        body.line(f"if not {check}({var}): {self.explain_failing(node, var, path, depth)}")

    def unguarded(self, node: Validator, depth: int) -> str | None:
        """The explainer of the container ``node`` if it may run on any value, valid or not
        (it lists nothing for a valid one, at about the cost of a check), else ``None``.

        An object's, a tagged union's or an array's of containers: each tests what it reads,
        at about the cost of the check, so a valid value passes through it without a compiled
        check first, and the explainer needs no check helper of its own. Not where the
        interpreter explains (``function`` gives ``None``: a union without string tags, a node
        too deep), as it walks valid values too; not a record's or an array's of scalars, whose
        check runs in C (`_bulk_check`, `_field_names`) where the explainer loops. Not for the
        items of an array or the values of a record either (`statements`' ``item``): the call
        would build each one's path, where a check only builds the failing ones'.
        """
        node = as_node(node)
        if isinstance(node, VArray):
            if _bulk_check(node.element) is not None:
                return None
        elif not isinstance(node, (VObject, VUnion)):
            return None
        return self.function(node, depth)

    def explain_failing(self, node: Validator, var: str, path: str, depth: int) -> str:
        """A statement appending the issues of ``var``, known to fail the container ``node``."""
        explainer = self.function(node, depth)
        if explainer is None:
            return self.delegate(node, var, path, depth)
        return f"{explainer}({var}, {path}, issues)"

    def no_match(self, node: Validator, var: str, path: str) -> str:
        """A statement appending the interpreter's ``no_match`` issue for ``var``: what the
        issue says about ``node`` is worked out once, here, and hoisted."""
        facts = self.program.hoist(_no_match_facts(node))
        return f"issues.append(_no_match_issue({path}, {var}, {facts}))"

    def root(self, validator: Validator) -> None:
        """Emit the entry point, ``explain(x, issues, at)``, for a whole value (path ``()``):
        ``at`` is what the locator (`_render`) returned for ``x``, or -1. For an object,
        it skips the fields the locator passed."""
        node = as_node(validator)
        body = _Body(self.program, indent=1, blocks=0)
        whole = self.delegate(node, "x", "()", 0)
        if isinstance(node, VObject):
            self.object(body, node, whole, 0, located=True)
        else:
            inner = self.function(node, 0)
            body.line(whole if inner is None else f"{inner}(x, (), issues)")
        self.program.functions.append(["def explain(x, issues, at):", *body.lines])

    def function(self, validator: Validator, depth: int) -> str | None:
        """The explainer for a container node, emitted the first time it is asked for;
        ``None`` where the interpreter should do it."""
        key = (validator, depth)
        if key not in self._functions:
            shared: _SharedKey = ("explain", validator, depth)
            name = self.program.reused(shared)
            if name is None:
                name = self._emit_function(validator, depth)
                if name is not None:
                    self.program.offered.append((shared, name))
            self._functions[key] = name
        return self._functions[key]

    def _emit_function(self, validator: Validator, depth: int) -> str | None:
        node = as_node(validator)
        if depth >= MAX_NESTING:
            return None
        name = self.program.name("e")
        body = _Body(self.program, indent=1, blocks=0)
        # The issue list is a plain list: the cap (`MAX_ISSUES`) is checked where a walk goes
        # deeper or loops, so a value that repeats a bad part many times stops early.
        body.line(_LIMIT)
        whole = self.delegate(node, "x", "path", depth)
        match node:
            case VObject():
                self.object(body, node, whole, depth)
            case VArray(element=element):
                body.line(f"if type(x) is not list or len(x) > {MAX_ARRAY_LENGTH}: return {whole}")
                index, item = self.program.name("i"), self.program.name("v")
                body.line(f"for {index}, {item} in enumerate(x):")
                inner = body.nested()
                inner.line(_LIMIT)
                self.statements(inner, element, item, f"(*path, {index})", depth + 1, True)
                body.take(inner)
            case VRecord(key=key, value=value):
                self.record(body, key, value, whole, depth)
            case VUnion():
                tag = union_tag(node)
                if tag is None or not self.tagged(body, node, tag, whole, depth):
                    return None
            case (
                VAny()
                | VString()
                | VFloat64()
                | VInt64()
                | VCommitTs()
                | VBoolean()
                | VNull()
                | VBytes()
                | VId()
                | VLiteral()
            ):
                return None
            case _:
                assert_never(node)
        self.program.functions.append([f"def {name}(x, path, issues):", *body.lines])
        return name

    def object(
        self, body: _Body, node: VObject, whole: str, depth: int, located: bool = False
    ) -> None:
        """The fields of an object, in the interpreter's order. ``located``: for `root`, where
        the path is ``()`` and ``at`` says which fields to skip."""
        fields = node.fields
        required = [name for name in sorted(fields) if not fields[name].is_optional]
        optional = [name for name in sorted(fields) if fields[name].is_optional]
        locals_ = {name: self.program.name("v") for name in sorted(fields)}
        shape = body
        if located:
            # A required field's code (at least len(optional), `_check_order`) says the locator
            # passed the whole shape: a dict of exact str keys, every required field present,
            # no extra one. Then each field the locator did not pass is read where it is
            # explained, and the rest are never read.
            body.line(f"if at < {len(optional)}:")
            shape = body.nested()
        shape.line(f"if type(x) is not dict: return {whole}")
        shape.line(f"if {_NOT_EXACT_KEYS.format(var='x')}: return {whole}")
        if required:
            shape.line("try:")
            for name in required:
                shape.line(f"    {locals_[name]} = x[{py_literal(name)}]")
            shape.line(f"except KeyError: return {whole}")
        count = self.program.name("n")
        shape.line(f"{count} = {len(required)}")
        for name in optional:
            shape.line(f"{locals_[name]} = x.get({py_literal(name)}, _MISSING)")
            shape.line(f"if {locals_[name]} is not _MISSING: {count} += 1")
        # Missing or extra fields: the interpreter says which, and everything else.
        shape.line(f"if len(x) != {count}: return {whole}")
        if shape is not body:
            body.take(shape)
        codes = {name: i for i, name in enumerate(_check_order(node))} if located else {}
        # The interpreter walks the fields in sorted order.
        for name in sorted(fields):
            field, local = fields[name], locals_[name]
            path = f"({py_literal(name)},)" if located else f"(*path, {py_literal(name)})"
            target = body.nested() if field.is_optional else body
            if located:
                # The check passed every field before field ``at`` (in `_check_order`), and
                # failed field ``at`` itself: skip the first, explain the second unchecked.
                code = codes[name]
                body.line(f"if at <= {code}:")
                guarded = body.nested()
                if field.is_optional:
                    guarded.line(f"{local} = x.get({py_literal(name)}, _MISSING)")
                    guarded.line(f"if {local} is not _MISSING:")
                    inner = guarded.nested()
                else:
                    guarded.line(f"{local} = x[{py_literal(name)}]")
                    inner = guarded
                unguarded = self.unguarded(field, depth + 1)
                if unguarded is not None:
                    inner.line(f"{unguarded}({local}, {path}, issues)")
                elif _failure(field, local, self.program) is None and not isinstance(field, VAny):
                    check = self.program.function(field, depth + 1)
                    call = self.explain_failing(field, local, path, depth + 1)
                    inner.line(f"if at == {code} or not {check}({local}): {call}")
                else:
                    self.statements(inner, field, local, path, depth + 1)
                if inner is not guarded:
                    guarded.take(inner)
                body.take(guarded)
                continue
            self.statements(target, field, local, path, depth + 1)
            if field.is_optional:
                body.line(f"if {local} is not _MISSING:")
                body.take(target)

    def record(self, body: _Body, key: Validator, value: Validator, whole: str, depth: int) -> None:
        body.line(f"if type(x) is not dict or len(x) > {MAX_OBJECT_FIELDS}: return {whole}")
        failing, name, item = self.program.name("b"), self.program.name("k"), self.program.name("v")
        # Field-name rules imply everything `v.string()` asks of a key.
        key_bad = None if isinstance(key, VString) else _failure(key, name, self.program)
        value_bad = _failure(value, item, self.program)
        if value_bad is None:
            value_bad = f"not {self.program.function(value, depth + 1)}({item})"
        body.line(f"{failing} = []")
        body.line(f"for {name}, {item} in x.items():")
        # A key Convex or the key validator refuses: the interpreter reports it, and the rest.
        body.line(
            f"    if type({name}) is not str or len({name}) > {MAX_FIELD_NAME_LENGTH} "
            f"or not {name}.isascii() or not {name}.isprintable() or {name}.startswith('$')"
            + (f" or {key_bad}" if key_bad is not None else "")
            + f": return {whole}"
        )
        body.line(f"    if {value_bad}: {failing}.append({name})")
        # Keys are printable ASCII here, so str order is the interpreter's (UTF-8 byte) order.
        body.line(f"for {name} in sorted({failing}):")
        inner = body.nested()
        inner.line(_LIMIT)
        inner.line(f"{item} = x[{name}]")
        self.statements(inner, value, item, f"(*path, {name})", depth + 1, True)
        body.take(inner)

    def tagged(self, body: _Body, node: VUnion, tag: str, whole: str, depth: int) -> bool:
        """The interpreter's tagged-union explanation: the chosen member's issues, the first
        one noting the choice. False where the tags are not all strings."""
        table: dict[str, tuple[str, str]] = {}
        for member in node.members:
            assert isinstance(member, VObject)
            literals = _literal_leaves(member.fields[tag])
            if not all(isinstance(lit.value, str) for lit in literals):
                return False
            explainer = self.function(member, depth)
            assert explainer is not None
            for literal in literals:
                assert isinstance(literal.value, str)
                note = self.program.hoist(tagged_union_note(tag, literal.value, member))
                table.setdefault(literal.value, (explainer, note))
        entries = ", ".join(f"{py_literal(k)}: ({e}, {n})" for k, (e, n) in table.items())
        lookup = self.program.name("d")
        self.program.functions.append([f"{lookup} = {{{entries}}}"])
        chosen, found, first = (self.program.name(p) for p in ("m", "s", "i"))
        tag_value = self.program.name("t")
        body.line(f"if type(x) is not dict or {_NOT_EXACT_KEYS.format(var='x')}: return {whole}")
        body.line(f"{tag_value} = x.get({py_literal(tag)})")
        body.line(f"{chosen} = {lookup}.get({tag_value}) if type({tag_value}) is str else None")
        body.line(f"if {chosen} is None: return {whole}")
        body.line(f"{found} = len(issues)")
        # The note goes on the chosen member's first issue also when a full issue list stops
        # the walk (`IssueLimitReached`), as the interpreter's `_walk_tagged` does.
        body.line("try:")
        body.line(f"    {chosen}[0](x, path, issues)")
        body.line("finally:")
        body.line(f"    if len(issues) > {found}:")
        body.line(f"        {first} = issues[{found}]")
        body.line(f"        issues[{found}] = _reworded({first}, {first}.message + {chosen}[1])")
        # No issue from the chosen member: the value is valid (`unguarded` calls this for any
        # value), as the member's check and the union's dispatch agree.
        return True


# --------------------------------------------------------------------------------------------
# Compiling


#: Helpers a rendering may reuse (`_Program.reused`): `_SHARED` when compiling, the first
#: rendering's ``hits`` when rendering the same program again, ``None`` (emit every helper:
#: the source is then a function of the validator alone) otherwise.
_Reuse = Mapping[_SharedKey, Callable[..., object]] | None


def _render(validator: Validator, *, exact: bool = False, reuse: _Reuse = None) -> _Program:
    """The check and the locator, one program: ``check(x, _no, _r, _ok)`` returns ``_ok`` for
    a valid value, and for an invalid object the ``_r`` entry of the failing field's place in
    `_check_order` (so the explainer skips the fields before it), or ``_no`` for any other
    failure and every failure elsewhere.

    Its defaults make the yes/no check, ``(False, (False, ...), True)``; `_checks` makes the
    locator (``validate``'s check: ``None`` for a valid value, else an int for the explainer)
    from the same code object with the defaults ``(-1, (0, 1, ...), None)``. A default is read
    as fast as a constant, so neither pays for the other; they are one program, not two.

    For an object, a last default ``_n`` is the number of keys the object has besides its
    optional fields: `document_check` raises it by the system fields, so a table's stored
    documents are checked by its rows' program, not by one of their own.
    """
    program = _Program(validator, exact=exact, reuse=reuse)
    body = _Body(program, indent=1, blocks=0, fail="_no")
    node = as_node(validator)
    keys = ""
    if isinstance(node, VObject):
        body.fail_if("type(x) is not dict")
        body.object_fields(node, "x", 0, located=True, counted_name="_n")
        keys = f", _n={_required_count(node)}"
    else:
        body.check(node, "x", 0)
    codes = program.hoist((False,) * _codes(validator))
    program.functions.append(
        [f"def check(x, _no=False, _r={codes}, _ok=True{keys}):", *body.lines, "    return _ok"]
    )
    return program


def _required_count(node: VObject) -> int:
    """How many keys an object matching ``node`` has besides its optional fields."""
    return sum(not field.is_optional for field in node.fields.values())


def _codes(validator: Validator) -> int:
    """How many field places (`_check_order`) ``validator``'s locator can return."""
    node = as_node(validator)
    return len(_check_order(node)) if isinstance(node, VObject) else 0


def _render_explainer(validator: Validator, reuse: _Reuse = None) -> _Program:
    """The explainer program; its entry point is `_Explain.root`'s ``explain(x, issues, at)``."""
    program = _Program(outline_all=True, reuse=reuse)
    _Explain(program).root(validator)
    return program


def _varint(value: int, out: bytearray) -> None:
    # The location table's unsigned varint: 6 bits a byte, low first, 0x40 meaning "more".
    while value >= 64:
        out.append(64 | (value & 63))
        value >>= 6
    out.append(value)


def _lines_only(code: CodeType) -> CodeType:
    """``code`` (and every code object in its constants) without column positions.

    Since Python 3.11 a code object's location table gives each instruction its line and its
    columns, a tenth to a fifth of a compiled program's memory; the columns serve only the
    ``^^^`` under a traceback's line, which generated code can do without. The table written
    here (the format of 3.11 to 3.13: entries of code 13, a line delta only, and 15, no line;
    one per run of at most 8 code units on one line) maps every instruction to the line the
    original does, so tracebacks, pdb and coverage see the same lines.
    """
    # (code units, line) per run of instructions on one line: the original has an entry per
    # column span.
    runs: list[tuple[int, int | None]] = []
    for start, end, line in code.co_lines():
        units = (end - start) // 2
        if runs and runs[-1][1] == line:
            units += runs.pop()[0]
        runs.append((units, line))
    table = bytearray()
    previous = code.co_firstlineno
    for units, line in runs:
        while units > 0:
            length = min(units, 8)
            units -= length
            if line is None:
                table.append(0x80 | (15 << 3) | (length - 1))
            else:
                table.append(0x80 | (13 << 3) | (length - 1))
                delta = line - previous
                _varint(-delta << 1 | 1 if delta < 0 else delta << 1, table)
                previous = line
    consts = tuple(_lines_only(c) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_linetable=bytes(table), co_consts=consts)


# Where the location table has the format `_lines_only` writes.
_STRIP_COLUMNS = (3, 11) <= sys.version_info < (3, 14)


def _exec(render: Callable[[_Reuse], _Program], entry: str, *, kind: str) -> object:
    """Compile and run the program ``render`` writes, returning its ``entry`` function.

    The program calls every helper already in `_SHARED` that it needs, and adds the helpers it
    compiles itself. The source is not kept: ``linecache`` gets a lazy entry instead, which
    renders the same program again (rendering depends on the validator and the helpers reused
    alone), so a traceback or pdb shows the generated lines without every compiled program
    holding its text for good.
    """
    import linecache  # only when compiling: it pulls in tokenize

    program = render(_SHARED)
    source = program.source()
    # No angle brackets: linecache loads lazy entries only for names that could be files.
    filename = f"vschema compiled {kind} {next(_programs)}"
    namespace: dict[str, object] = {"__builtins__": _BUILTINS, **program.constants}
    code = compile(source, filename, "exec")
    exec(_lines_only(code) if _STRIP_COLUMNS else code, namespace)
    hits = program.hits
    linecache.cache[filename] = (lambda: render(hits).source(),)
    for key, name in program.offered:
        helper = namespace[name]
        assert callable(helper)
        _share(key, helper)
    return namespace[entry]


def _check_function(validator: Validator, *, exact: bool, kind: str) -> FunctionType:
    check = _exec(lambda reuse: _render(validator, exact=exact, reuse=reuse), "check", kind=kind)
    assert isinstance(check, FunctionType)
    return check


@functools.lru_cache(maxsize=2048)
def _checks(validator: Validator) -> tuple[Check, Locate]:
    """The check and the locator of ``validator``: one compiled program, two functions."""
    check = _check_function(validator, exact=False, kind="validator")
    codes = tuple(range(_codes(validator)))
    defaults = (-1, codes, None, *(check.__defaults__ or ())[3:])
    locate = FunctionType(check.__code__, check.__globals__, check.__name__, defaults)
    return cast(Check, check), cast(Locate, locate)


def document_check(row: VObject, extra: int, *, exact: bool = False) -> Check:
    """``row``'s compiled check, taking a dict that has ``extra`` keys more than ``row``'s fields.

    For a table's stored documents: the caller checks that the ``extra`` keys are the system
    fields (none of which is a field of ``row``), so the rest of the document is checked by the
    code that checks the table's rows. Costs a function object, not a program. ``exact``: from
    the check of exact numbers (`compile_exact_check`).
    """
    check = _compile_exact(row) if exact else _checks(row)[0]
    no, codes, ok, required = check.__defaults__ or ()
    defaults = (no, codes, ok, required + extra)
    return cast(Check, FunctionType(check.__code__, check.__globals__, check.__name__, defaults))


def _compile(validator: Validator) -> Check:
    return _checks(validator)[0]


def _locator(validator: Validator) -> Locate:
    return _checks(validator)[1]


@functools.lru_cache(maxsize=256)
def _compile_exact(validator: Validator) -> Check:
    check = _check_function(validator, exact=True, kind="exact-numbers validator")
    return cast(Check, check)


@functools.lru_cache(maxsize=1024)
def _explainer(validator: Validator) -> Explainer:
    explainer = _exec(
        lambda reuse: _render_explainer(validator, reuse), "explain", kind="explainer"
    )
    assert callable(explainer)
    return explainer


def compile_check(validator: Validator) -> Check:
    """The compiled yes/no check for ``validator``, built once and cached on the node."""
    check = _compile(validator)
    object.__setattr__(validator, "_check", check)
    return check


def compile_exact_check(validator: Validator) -> Check:
    """The compiled yes/no check of exact numbers (a snapshot export's reading): as
    `compile_check`, except that a Python `int` is an Int64 only, so it matches no
    ``v.float64()`` and no Float64 literal; `_interpret.explain_exact_numbers` lists the issues.
    Cached per validator (not on the node: the node's own check is the usual one)."""
    return _compile_exact(validator)


def compile_locator(validator: Validator) -> Locate:
    """The check as `validate` runs it (`_render`), built once and cached on the node."""
    locate = _locator(validator)
    object.__setattr__(validator, "_locate", locate)
    return locate


def compile_explainer(validator: Validator) -> Explainer:
    """The explainer for what ``compile_locator(validator)`` refused, cached on the node."""
    explainer = _explainer(validator)
    object.__setattr__(validator, "_explain", explainer)
    return explainer


def explain(validator: Validator, value: object) -> list[Issue]:
    """Every issue of ``value``, exactly as `_interpret.explain` lists them, only faster."""
    issues: list[Issue] = []
    _explainer(validator)(value, issues, -1)
    return issues


def compiled_source(validator: Validator) -> str:
    """The Python source that `validator.is_valid` runs, for reading and debugging."""
    return _render(validator).source()
