"""What changed between two validators, in words a person reads in seconds.

One parallel walk over OLD and NEW: object fields added, removed, made optional or required;
literals added to or removed from a union; an array's element, a record's key or value, a
union member, or a whole type replaced. Each change says whether it breaks stored data (OLD
values NEW rejects) and writers (NEW values OLD rejects), decided exactly by the same
`Decider` as the verdicts, on the part that changed.
"""

from __future__ import annotations

from typing import Any

import attrs

from vschema.evolution._subset import Decider, Unknown
from vschema.evolution._values import literal_value
from vschema.validators._display import builder_repr, string_text
from vschema.validators._nodes import (
    Validator,
    VArray,
    VLiteral,
    VObject,
    VRecord,
    VUnion,
)

__all__ = ["Change", "changes"]

_SHOWN = 60  # characters of a validator shown in a change before "..."


@attrs.frozen
class Change:
    """One change at ``path`` (``status``, ``tags[]``, ``author.name``; ``(document)`` for the
    whole), described in ``text``; ``stored`` / ``writers`` say whether it breaks stored data
    or writers (None: undecided, the step budget ran out)."""

    path: str
    text: str
    stored: bool | None
    writers: bool | None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form of this change."""
        return {
            "path": self.path,
            "change": self.text,
            "breaks_stored_data": self.stored,
            "breaks_writers": self.writers,
        }

    def __str__(self) -> str:
        return f"{self.path}: {self.text}"


def _show(validator: Validator) -> str:
    return builder_repr(validator.required(), _SHOWN)


def _literal_text(node: VLiteral) -> str:
    value = node.value
    if isinstance(value, str):
        return string_text(value)
    if isinstance(value, bool):
        return "True" if value else "False"
    return f"{value!r}{'n' if node.int64 else ''}"


def _members(validator: Validator) -> list[Validator]:
    if isinstance(validator, VUnion):
        out: list[Validator] = []
        for member in validator.members:
            out.extend(_members(member))
        return out
    return [validator.required()]


def _tag(node: VObject) -> dict[str, object]:
    return {
        name: literal_value(field)
        for name, field in node.fields.items()
        if isinstance(field, VLiteral) and not field.is_optional
    }


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def changes(decider: Decider, old: Validator, new: Validator, root: str) -> list[Change]:
    """The changes from ``old`` to ``new``; ``root`` names the whole value (``(document)``)."""
    out: list[Change] = []
    _Walk(decider, out, root).walk("", old.required(), new.required())
    return out


@attrs.define
class _Walk:
    decider: Decider
    out: list[Change]
    root: str

    def breaks(self, old: Validator | None, new: Validator | None) -> bool | None:
        """Whether some value of ``old`` is outside ``new`` (None stands for nothing)."""
        try:
            if old is None:
                return False
            return self.decider.witness(old, [] if new is None else [new]) is not None
        except Unknown:
            return None

    def emit(self, path: str, text: str, old: Validator | None, new: Validator | None) -> None:
        self.out.append(
            Change(path or self.root, text, self.breaks(old, new), self.breaks(new, old))
        )

    def removed(self, path: str, text: str, member: Validator, new: Validator) -> None:
        # Taking a member away adds no value: writers are unaffected.
        self.out.append(Change(path or self.root, text, self.breaks(member, new), False))

    def added(self, path: str, text: str, member: Validator, old: Validator) -> None:
        self.out.append(Change(path or self.root, text, False, self.breaks(member, old)))

    def walk(self, path: str, old: Validator, new: Validator) -> None:
        if old == new:
            return
        if isinstance(old, VObject) and isinstance(new, VObject):
            self.objects(path, old, new)
        elif isinstance(old, VArray) and isinstance(new, VArray):
            if _composite(old.element) or _composite(new.element):
                self.walk(f"{path}[]" if path else "[]", old.element, new.element)
            else:
                self.emit(
                    path,
                    f"element {_show(old.element)} → {_show(new.element)}",
                    old.element,
                    new.element,
                )
        elif isinstance(old, VRecord) and isinstance(new, VRecord):
            if old.key != new.key:
                self.emit(path, f"key {_show(old.key)} → {_show(new.key)}", old.key, new.key)
            if _composite(old.value) or _composite(new.value):
                self.walk(f"{path}[*]" if path else "[*]", old.value, new.value)
            elif old.value != new.value:
                self.emit(
                    path, f"value {_show(old.value)} → {_show(new.value)}", old.value, new.value
                )
        elif isinstance(old, VUnion) or isinstance(new, VUnion):
            self.unions(path, old, new)
        else:
            self.emit(path, f"{_show(old)} → {_show(new)}", old, new)

    def objects(self, path: str, old: VObject, new: VObject) -> None:
        names = list(old.fields) + [name for name in new.fields if name not in old.fields]
        for name in names:
            where = _join(path, name)
            before = old.fields.get(name)
            after = new.fields.get(name)
            if after is None:
                assert before is not None
                kind = "optional" if before.is_optional else "required"
                self.out.append(
                    Change(
                        where,
                        f"{kind} field removed",
                        self.breaks(before.required(), None),
                        not before.is_optional,
                    )
                )
            elif before is None:
                kind = "optional" if after.is_optional else "required"
                self.out.append(
                    Change(
                        where,
                        f"{kind} field added",
                        not after.is_optional,
                        self.breaks(after.required(), None),
                    )
                )
            else:
                if before.is_optional and not after.is_optional:
                    self.out.append(Change(where, "optional → required", True, False))
                elif after.is_optional and not before.is_optional:
                    self.out.append(Change(where, "required → optional", False, True))
                self.walk(where, before.required(), after.required())

    def unions(self, path: str, old: Validator, new: Validator) -> None:
        before = _members(old)
        after = _members(new)
        # Sets for the membership tests: a union of thousands of literals stays linear.
        before_set, after_set = set(before), set(after)
        gone = [m for m in before if m not in after_set]
        came = [m for m in after if m not in before_set]
        for literal in [m for m in gone if isinstance(m, VLiteral)]:
            self.removed(path, f"literal {_literal_text(literal)} removed", literal, new)
        for literal in [m for m in came if isinstance(m, VLiteral)]:
            self.added(path, f"literal {_literal_text(literal)} added", literal, old)
        gone = [m for m in gone if not isinstance(m, VLiteral)]
        came = [m for m in came if not isinstance(m, VLiteral)]
        # Pair what is left: objects by a shared tag literal, other kinds when one of a kind
        # is on each side; the pairs are walked, the rest are members removed or added.
        for member in list(gone):
            partner = _partner(member, came, gone)
            if partner is None:
                continue
            gone.remove(member)
            came.remove(partner)
            where = path
            if isinstance(member, VObject) and isinstance(partner, VObject):
                shared = {
                    k: value for k, value in _tag(member).items() if _tag(partner).get(k) == value
                }
                if shared:
                    name = sorted(shared)[0]
                    tag = member.fields[name]
                    assert isinstance(tag, VLiteral)
                    where = f"{path}[{name}={_literal_text(tag)}]"
            self.walk(where, member, partner)
        for member in gone:
            self.removed(path, f"member {_show(member)} removed", member, new)
        for member in came:
            self.added(path, f"member {_show(member)} added", member, old)


def _partner(member: Validator, came: list[Validator], gone: list[Validator]) -> Validator | None:
    if isinstance(member, VObject):
        tag = _tag(member)
        for other in came:
            if isinstance(other, VObject) and any(
                _tag(other).get(k) == value and type(_tag(other).get(k)) is type(value)
                for k, value in tag.items()
            ):
                return other
    same_kind_before = [m for m in gone if type(m) is type(member)]
    same_kind_after = [m for m in came if type(m) is type(member)]
    if len(same_kind_before) == 1 and len(same_kind_after) == 1:
        return same_kind_after[0]
    return None


def _composite(validator: Validator) -> bool:
    return isinstance(validator, (VObject, VArray, VRecord)) or (
        isinstance(validator, VUnion)
        and any(isinstance(m, (VObject, VArray, VRecord)) for m in _members(validator))
    )
