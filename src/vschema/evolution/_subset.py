"""The decision walk: is every Convex value one validator accepts accepted by another?

`Decider.witness(a, bs)` answers the one question every rule reduces to: is there a value that
``a`` accepts and none of ``bs`` accepts? It returns such a value (built constructively, small)
or ``None`` when there is none, i.e. ``a`` is a subset of ``b1 | ... | bn``. Keeping the *list*
of validators on the right, rather than one union, is what makes unions exact: a value set of
``a`` may be split across several members, which no member-by-member comparison sees.

The rules, by ``a``'s kind (the right side is flattened: unions opened, ``v.commitTs()`` read as
``v.int64()``, members of other kinds dropped, ``v.any()`` covers everything):

* a union: some member has a value outside ``bs``.
* scalars (null, boolean, bytes, string, int64, float64, id, literal): covered by a base type of
  the same kind (an ID also by ``v.string()``, or ``v.id`` of the same table), or, for finite
  sets (booleans, one literal), by literals covering every value; otherwise a value is picked
  that avoids every literal on the right.
* ``v.array(e)`` against arrays ``v.array(f_i)``: covered iff ``e ⊆ f_i`` for one ``i``;
  otherwise the list of one element ``w_i ∈ e \\ f_i`` per ``i`` is outside all of them (no
  arrays on the right: ``[]`` is the witness).
* ``v.object`` against objects and records: each right-hand validator is a *box* (a product of
  one set per field of ``a``, "absent" included where a field may be missing). A value escapes
  every box iff each box is *blocked* at one field whose value lies outside that box's set
  there; so the search assigns each box a blocking field and asks, per field, the same question
  one level down (``a``'s field type minus the sets of the boxes blocked there). Boxes that
  cannot overlap ``a`` at some field (another tag literal) are blocked there at once, without
  branching. With more than a few boxes left, ``a`` is first split on the field whose parts
  (union members, a boolean's two literals, ``v.any()``'s types, "absent", an object's parts
  on its own first splittable field) leave the fewest boxes each, and each part is asked
  alone: exact, since ``a`` is their union. The rest are searched depth first. That search
  is exponential only in the number of right-hand members that overlap one left part on
  several fields at once; a `budget` of steps bounds it, and past it the answer is
  `Unknown`.
* ``v.record(k, w)`` against records and objects: ``{}`` first; then every record
  ``(k_j, w_j)`` needs one entry outside ``k_j × w_j`` and every object one key it does not
  declare; the entries together are the witness.
* ``v.any()``: the first Convex type (null, boolean, float64, int64, string, bytes, array of
  any, object of any) with a value outside ``bs``.

Convex's size and nesting limits are not modelled (they bind both sides alike); a witness that
breaks one is caught by the verification in `vschema.evolution._witness`.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Callable, Iterator, Sequence
from typing import TypeAlias

from vschema._typing import assert_never
from vschema.evolution._values import IdTables, Int64, convex_issue, literal_value
from vschema.validators._nodes import (
    FieldMap,
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

__all__ = ["DEFAULT_BUDGET", "Decider", "Found", "Unknown"]

#: Steps (sub-questions asked, assignments tried) one question (one verdict, one change) may
#: take before the answer is `Unknown`.
DEFAULT_BUDGET = 200_000

#: An object question with more undecided boxes than this is first split on one of ``a``'s
#: fields whose type is a union (each member, and "absent", asked on its own): a left field
#: that takes several tags, against right members one per tag, would otherwise make the box
#: search try every assignment before it finds there is none.
_SPLIT_AT = 4

#: Fields with more parts than this are not split on (a union of thousands of literals: the
#: choice of field would cost more than it saves).
_SPLIT_PARTS = 256

#: A witness, boxed so that ``None`` (Convex null) can be one: ``(value,)``.
Found: TypeAlias = tuple[object]

#: A flattened right side's literals (by `_value_key`) and its other members.
_Index: TypeAlias = tuple[frozenset[object], tuple[Validator, ...]]

_ABSENT = object()  # a field that is not there


class Unknown(Exception):
    """The procedure gave up: its step budget ran out, or a case it cannot decide exactly."""


# The kinds of Convex value a validator may accept, for the cheap disjointness test.
_TAGS: dict[type[Validator], frozenset[str]] = {
    VString: frozenset({"string"}),
    VId: frozenset({"string"}),
    VFloat64: frozenset({"float"}),
    VInt64: frozenset({"int"}),
    VCommitTs: frozenset({"int"}),
    VBoolean: frozenset({"bool"}),
    VNull: frozenset({"null"}),
    VBytes: frozenset({"bytes"}),
    VArray: frozenset({"array"}),
    VObject: frozenset({"object"}),
    VRecord: frozenset({"object"}),
}
_ALL_TAGS = frozenset({"string", "float", "int", "bool", "null", "bytes", "array", "object"})


def _tags(validator: Validator) -> frozenset[str]:
    node = as_node(validator)
    if isinstance(node, VAny):
        return _ALL_TAGS
    if isinstance(node, VUnion):
        return frozenset().union(*map(_tags, node.members))
    if isinstance(node, VLiteral):
        value = literal_value(node)
        if isinstance(value, bool):
            return frozenset({"bool"})
        if isinstance(value, str):
            return frozenset({"string"})
        return frozenset({"int" if isinstance(value, Int64) else "float"})
    return _TAGS[type(node)]


def _flatten(validators: Sequence[Validator]) -> list[Validator]:
    """Union members opened, optional flags dropped, commitTs as int64, duplicates removed."""
    out: list[Validator] = []
    seen: set[Validator] = set()
    stack = list(reversed(validators))
    while stack:
        node = as_node(stack.pop())
        if isinstance(node, VUnion):
            stack.extend(reversed(node.members))
            continue
        flat: Validator = VInt64() if isinstance(node, VCommitTs) else _required(node)
        if flat not in seen:
            seen.add(flat)
            out.append(flat)
    return out


def _required(node: Validator) -> Validator:
    # `Validator.required` copies even a required node; the same object keeps memo and index
    # lookups to an identity check instead of a deep comparison.
    return node.required() if node.is_optional else node


def _names(start: int = 0) -> Iterator[str]:
    # Short, readable strings; never an ID (IDs are 31 characters or more), never "_..." (a
    # reserved top-level field), never "$..." (not a field name).
    letters = "abcdefghijklmnopqrstuvwxyz"
    yield from letters[start:]
    number = 0
    while True:
        number += 1
        yield f"s{number}"


class Decider:
    """Answers `witness` questions for one diff; remembers answers (trees share subtrees)."""

    def __init__(self, ids: IdTables | None = None, budget: int = DEFAULT_BUDGET) -> None:
        self.ids = IdTables() if ids is None else ids
        self.budget = budget
        self.steps = 0
        self._depth = 0  # witness calls under way: the budget is per top-level question
        self._memo: dict[tuple[Validator, tuple[Validator, ...], bool], Found | None] = {}
        # Per flattened right side: the keys of its literals, and its other members, so that
        # a literal against a wide union of literals is one set lookup, not a scan.
        self._indexes: dict[tuple[Validator, ...], _Index] = {}
        self._flats: dict[Validator, tuple[Validator, ...]] = {}

    def subset(self, a: Validator, b: Validator) -> bool:
        """Whether every value ``a`` accepts is one ``b`` accepts (may raise `Unknown`)."""
        return self.witness(a, [b]) is None

    def accepts_any(self, bs: Sequence[Validator], value: object) -> bool:
        """Whether one of ``bs`` accepts ``value`` (Convex's check)."""
        return any(convex_issue(b, value, self.ids) is None for b in bs)

    def witness(self, a: Validator, bs: Sequence[Validator], key: bool = False) -> Found | None:
        """A value ``a`` accepts and no validator in ``bs`` does, or ``None`` if there is none.

        ``key`` asks for a value usable as an object key (a string that is a field name).
        """
        return self._ask(a, tuple(_flatten(bs)), key)

    def _accepts(self, flat: tuple[Validator, ...], value: object) -> bool:
        """`accepts_any` on a flattened right side, literals looked up in a set."""
        return self._accepts_in(self._index(flat), value)

    def _index(self, flat: tuple[Validator, ...]) -> _Index:
        index = self._indexes.get(flat)
        if index is None:
            literals = frozenset(
                _value_key(literal_value(b)) for b in flat if isinstance(b, VLiteral)
            )
            rest = tuple(b for b in flat if not isinstance(b, VLiteral))
            index = self._indexes[flat] = (literals, rest)
        return index

    def _accepts_in(self, index: _Index, value: object) -> bool:
        literals, rest = index
        found = _value_key(value)
        if found is not None and found in literals:
            return True
        return self.accepts_any(rest, value)

    def _ask(self, a: Validator, flat: tuple[Validator, ...], key: bool) -> Found | None:
        memo_key = (_required(a), flat, key)
        if memo_key in self._memo:
            return self._memo[memo_key]
        if self._depth == 0:
            self.steps = 0
        self._step()
        self._depth += 1
        try:
            result = self._witness(a, flat, key)
        finally:
            self._depth -= 1
        self._memo[memo_key] = result
        return result

    def _step(self) -> None:
        self.steps += 1
        if self.steps > self.budget:
            raise Unknown(
                f"the decision took more than {self.budget} steps (unions of objects that "
                "overlap on many fields at once)"
            )

    def _witness(self, a: Validator, bs: tuple[Validator, ...], key: bool) -> Found | None:
        node = as_node(a)
        if isinstance(node, VUnion):
            index = self._index(bs)
            for member in node.members:
                if isinstance(member, VLiteral):
                    # Without the memo: a wide union of literals costs one lookup each.
                    value = literal_value(member)
                    if not self._accepts_in(index, value):
                        return (value,)
                    continue
                found = self._ask(member, bs, key)
                if found is not None:
                    return found
            return None
        if any(isinstance(b, VAny) for b in bs) or _required(node) in bs:
            return None
        match node:
            case VLiteral():
                value = literal_value(node)
                return None if self._accepts(bs, value) else (value,)
            case VNull():
                return None if self._accepts(bs, None) else (None,)
            case VBoolean():
                for flag in (False, True):
                    if not self._accepts(bs, flag):
                        return (flag,)
                return None
            case VBytes():
                return None if any(isinstance(b, VBytes) for b in bs) else (b"",)
            case VFloat64():
                if any(isinstance(b, VFloat64) for b in bs):
                    return None
                number = 0.5
                while self._accepts(bs, number):
                    number += 1.0
                return (number,)
            case VInt64() | VCommitTs():
                if any(isinstance(b, VInt64) for b in bs):
                    return None
                # Past 2**53 an int is no Float64 in vschema's Python spelling either, so the
                # witness shows where NEW takes numbers as floats.
                floats = any("float" in _tags(b) for b in bs)
                integer = 2**53 + 1 if floats else 0
                while self._accepts(bs, Int64(integer)):
                    integer += 1
                return (Int64(integer),)
            case VString():
                if any(isinstance(b, VString) for b in bs):
                    return None
                for text in _names(0) if key else itertools.chain(("",), _names(0)):
                    if not self._accepts(bs, text):
                        return (text,)
                raise AssertionError("unreachable: _names is endless")  # pragma: no cover
            case VId(table_name=table):
                if any(isinstance(b, VString) or b == node for b in bs):
                    return None
                while True:
                    text = self.ids.new_id(table)
                    if not self._accepts(bs, text):
                        return (text,)
            case VAny():
                for kind in _ANY_KINDS:
                    found = self.witness(kind, bs, key)
                    if found is not None:
                        return found
                return None
            case VArray():
                return self._array(node, bs)
            case VObject():
                return self._object(node, bs)
            case VRecord():
                return self._record(node, bs)
            case _:
                assert_never(node)

    # -- arrays ---------------------------------------------------------------------------

    def _array(self, a: VArray, bs: tuple[Validator, ...]) -> Found | None:
        arrays = [b for b in bs if isinstance(b, VArray)]
        if not arrays:
            return ([],)
        items: list[object] = []
        for b in arrays:
            found = self.witness(a.element, [b.element])
            if found is None:
                return None  # every element fits b's, so every array does
            if not any(_same(found[0], item) for item in items):
                items.append(found[0])
        return (self._shrink_list(items, arrays),)

    def _shrink_list(self, items: list[object], bs: Sequence[Validator]) -> list[object]:
        index = 0
        while index < len(items) and len(items) > 1:
            fewer = items[:index] + items[index + 1 :]
            if self.accepts_any(bs, fewer):
                index += 1
            else:
                items = fewer
        return items

    # -- objects --------------------------------------------------------------------------

    def _object(self, a: VObject, bs: tuple[Validator, ...]) -> Found | None:
        names = list(a.fields)
        # One set per field of a: (type or None for "no value", absent allowed).
        mine = {name: (_required(a.fields[name]), a.fields[name].is_optional) for name in names}
        boxes: list[dict[str, tuple[Validator | None, bool]]] = []
        # a's tags (required fields of one literal): a member with another tag holds none of
        # a's values and is dropped at a dictionary lookup, so a union of hundreds of tagged
        # objects against another stays cheap.
        tags = [
            (name, _value_key(literal_value(field)))
            for name, field in a.fields.items()
            if isinstance(field, VLiteral) and not field.is_optional
        ]
        for b in bs:
            if isinstance(b, VObject):
                if any(_other_tag(b, name, tag) for name, tag in tags):
                    continue
                if any(not f.is_optional and n not in a.fields for n, f in b.fields.items()):
                    continue  # requires a field a's values never have
                boxes.append(
                    {
                        name: (_required(b.fields[name]), b.fields[name].is_optional)
                        if name in b.fields
                        else (None, True)
                        for name in names
                    }
                )
            elif isinstance(b, VRecord):
                boxes.append(
                    {
                        name: (b.value, True)
                        if convex_issue(b.key, name, self.ids) is None
                        else (None, True)
                        for name in names
                    }
                )
        # a accepts nothing when a required field's type accepts nothing.
        for name in names:
            if not mine[name][1] and self.witness(mine[name][0], []) is None:
                return None

        def field_witness(name: str, blocked: frozenset[int]) -> Found | None:
            own_type, own_optional = mine[name]
            sets = [boxes[i][name] for i in sorted(blocked)]
            if own_optional and not any(allows_absent for _, allows_absent in sets):
                return (_ABSENT,)
            return self.witness(own_type, [t for t, _ in sets if t is not None])

        assigned: dict[str, frozenset[int]] = {name: frozenset() for name in names}
        pending: list[tuple[int, list[str]]] = []
        for index, box in enumerate(boxes):
            disjoint = next((n for n in names if self._disjoint(mine[n], box[n])), None)
            if disjoint is not None:
                assigned[disjoint] |= {index}
                continue
            candidates = [n for n in names if field_witness(n, frozenset({index})) is not None]
            if not candidates:
                return None  # this box holds every value of a
            pending.append((index, candidates))
        if len(pending) > _SPLIT_AT:
            parts = self._split(a, mine, boxes, [index for index, _ in pending])
            if parts is not None:
                # a is the union of the parts: a witness of one is a witness of a.
                for part in parts:
                    found = self._ask(part, bs, False)
                    if found is not None:
                        return found
                return None
        pending.sort(key=lambda entry: len(entry[1]))
        solution = self._assign(pending, 0, assigned, field_witness)
        if solution is None:
            return None
        value: dict[str, object] = {}
        for name in names:
            found = field_witness(name, solution[name])
            assert found is not None  # _assign checked every field
            if found[0] is not _ABSENT:
                value[name] = found[0]
        return (value,)

    def _assign(
        self,
        pending: list[tuple[int, list[str]]],
        position: int,
        assigned: dict[str, frozenset[int]],
        field_witness: Callable[[str, frozenset[int]], Found | None],
    ) -> dict[str, frozenset[int]] | None:
        if position == len(pending):
            # Fields nobody blocks still need a value of their own (a is not empty: checked).
            return assigned
        index, candidates = pending[position]
        for name in candidates:
            self._step()
            blocked = assigned[name] | {index}
            if field_witness(name, blocked) is None:
                continue
            solution = self._assign(
                pending, position + 1, {**assigned, name: blocked}, field_witness
            )
            if solution is not None:
                return solution
        return None

    def _split(
        self,
        a: VObject,
        mine: dict[str, tuple[Validator, bool]],
        boxes: list[dict[str, tuple[Validator | None, bool]]],
        pending: list[int],
    ) -> list[VObject] | None:
        """``a`` as a union of objects, split on the field of ``a`` that leaves the fewest
        undecided boxes per part (each union member of its type is a part, "absent" another),
        or None when no split leaves fewer than all of them."""
        best: tuple[int, str, list[Validator | None]] | None = None
        for name, (own_type, own_optional) in mine.items():
            options: list[Validator | None] = [*self._parts(own_type)]
            if own_optional:
                options.append(None)  # the field absent
            if not 2 <= len(options) <= _SPLIT_PARTS:
                continue
            worst = 0
            for option in options:
                if option is None:
                    overlap = sum(1 for i in pending if boxes[i][name][1])
                else:
                    overlap = sum(
                        1 for i in pending if not self._disjoint((option, False), boxes[i][name])
                    )
                worst = max(worst, overlap)
            if worst < len(pending) and (best is None or worst < best[0]):
                best = (worst, name, options)
        if best is None:
            return None
        _, name, options = best
        parts = []
        for option in options:
            fields = {n: f for n, f in a.fields.items() if n != name or option is not None}
            if option is not None:
                fields[name] = option
            parts.append(VObject(FieldMap(fields)))
        return parts

    def _parts(self, validator: Validator) -> list[Validator]:
        """Validators whose union is ``validator``: its union members, a boolean as its two
        literals, ``v.any()`` as Convex's types, an object split on its first field that
        splits (nested tags)."""
        out: list[Validator] = []
        for member in self._flat(validator):
            if isinstance(member, VBoolean):
                out += [VLiteral(False), VLiteral(True)]
            elif isinstance(member, VObject):
                out += self._object_parts(member)
            elif isinstance(member, VAny):
                out += _ANY_KINDS  # v.any() is the union of Convex's types
            else:
                out.append(member)
        return out

    def _object_parts(self, node: VObject) -> list[Validator]:
        for name, field in node.fields.items():
            options: list[Validator | None] = [*self._parts(_required(field))]
            if field.is_optional:
                options.append(None)
            if len(options) < 2:
                continue
            parts: list[Validator] = []
            for option in options:
                fields = {n: f for n, f in node.fields.items() if n != name or option is not None}
                if option is not None:
                    fields[name] = option
                parts.append(VObject(FieldMap(fields)))
            return parts
        return [node]

    def _flat(self, validator: Validator) -> tuple[Validator, ...]:
        flat = self._flats.get(validator)
        if flat is None:
            flat = self._flats[validator] = tuple(_flatten([validator]))
        return flat

    def _disjoint(
        self, mine: tuple[Validator, bool], theirs: tuple[Validator | None, bool]
    ) -> bool:
        """Whether the two field sets surely share no value (absent counts as one). Only a
        shortcut: False when unsure."""
        own_type, own_optional = mine
        their_type, their_optional = theirs
        if own_optional and their_optional:
            return False
        if their_type is None:
            return True
        if not _tags(own_type) & _tags(their_type):
            return True
        literals = _literal_members(own_type)
        if literals is not None:
            flat = self._flat(their_type)
            return not any(self._accepts(flat, value) for value in literals)
        own, their = as_node(own_type), as_node(their_type)
        if isinstance(own, VObject) and isinstance(their, VObject):
            # Objects share no value when some field's sets share none (nested tags).
            for name in {*own.fields, *their.fields}:
                mine_field, their_field = own.fields.get(name), their.fields.get(name)
                if mine_field is None or their_field is None:
                    present = mine_field if their_field is None else their_field
                    assert present is not None
                    if not present.is_optional:
                        return True
                    continue
                if self._disjoint(
                    (_required(mine_field), mine_field.is_optional),
                    (_required(their_field), their_field.is_optional),
                ):
                    return True
        return False

    # -- records --------------------------------------------------------------------------

    def _record(self, a: VRecord, bs: tuple[Validator, ...]) -> Found | None:
        others = [b for b in bs if isinstance(b, (VRecord, VObject))]
        if not self.accepts_any(others, {}):
            return ({},)
        some_value = self.witness(a.value, [])
        if some_value is None or self.witness(a.key, [], key=True) is None:
            return None  # only {} fits a
        entries: dict[str, object] = {}

        def fresh_key(exclude: Sequence[Validator]) -> str | None:
            used = [VLiteral(k) for k in entries]
            found = self.witness(a.key, [*exclude, *used], key=True)
            return None if found is None else str(found[0])

        for b in others:
            if not isinstance(b, VRecord):
                continue
            bad_value = self.witness(a.value, [b.value])
            if bad_value is not None:
                name = fresh_key([])
                if name is None:
                    raise Unknown("a record's keys ran out while building a witness")
                entries[name] = bad_value[0]
                continue
            name = fresh_key([b.key])
            if name is None and self.witness(a.key, [b.key], key=True) is None:
                return None  # b takes every entry a can have
            if name is None:
                raise Unknown("a record's keys ran out while building a witness")
            entries[name] = some_value[0]
        objects = [b for b in others if isinstance(b, VObject)]
        if objects and self.accepts_any(objects, entries):
            # One key no object declares blocks them all.
            declared = {name for o in objects for name in o.fields}
            name = fresh_key([VLiteral(n) for n in sorted(declared)])
            if name is None:
                raise Unknown("a record's keys are all fields of the objects it is compared to")
            entries[name] = some_value[0]
        # Shrink: drop entries while no validator on the right takes what is left.
        for name in list(entries):
            fewer = {k: item for k, item in entries.items() if k != name}
            if not self.accepts_any(others, fewer):
                entries = fewer
        return (entries,)


def _literal_members(validator: Validator) -> list[object] | None:
    node = as_node(validator)
    if isinstance(node, VLiteral):
        return [literal_value(node)]
    if isinstance(node, VUnion):
        values: list[object] = []
        for member in node.members:
            inner = _literal_members(member)
            if inner is None:
                return None
            values.extend(inner)
        return values
    return None


def _other_tag(b: VObject, name: str, tag: object) -> bool:
    """Whether ``b`` surely rejects every value whose field ``name`` has the literal ``tag``."""
    field = b.fields.get(name)
    if field is None:
        return True
    return isinstance(field, VLiteral) and _value_key(literal_value(field)) != tag


def _value_key(value: object) -> object:
    """A key equal for two scalars exactly when Convex calls them equal (None: not a scalar a
    literal can be): floats by their bits, Int64 apart from Float64, booleans apart from 1."""
    if type(value) is str:
        return ("s", value)
    if type(value) is bool:
        return ("b", value)
    if isinstance(value, Int64):
        return ("i", value.value)
    if type(value) is float:
        return ("f", struct.pack("<d", value))
    return None


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


_ANY_KINDS: tuple[Validator, ...] = (
    VNull(),
    VBoolean(),
    VFloat64(),
    VInt64(),
    VString(),
    VBytes(),
    VArray(VAny()),
    VRecord(VString(), VAny()),
)
