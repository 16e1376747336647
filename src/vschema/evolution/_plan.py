"""The widen-migrate-narrow plan for a change that breaks stored data.

Convex checks every stored document when a schema is pushed, so narrowing a field in one push
fails while old documents remain. The safe way is three steps: push a *widened* validator that
accepts both OLD's and NEW's documents (so the push passes and new code can write NEW's shape),
rewrite the documents NEW rejects (a migration over the fields that changed), then push NEW.

`widen` builds the widened validator field by field (a field's validators are joined in a union,
a field on one side only becomes optional), so it reads like the schema it came from; `plan`
verifies it with the decision procedure (OLD and NEW both subsets of it) before offering it.
"""

from __future__ import annotations

from typing import Any

import attrs

from vschema.evolution._changes import changes
from vschema.evolution._subset import DEFAULT_BUDGET, Decider, Unknown
from vschema.validators._builder import v
from vschema.validators._errors import SchemaError
from vschema.validators._nodes import Validator, VAny, VArray, VObject, VRecord, VUnion
from vschema.validators._schema import Schema

__all__ = ["Plan", "plan", "widen"]


def _members(validator: Validator) -> list[Validator]:
    if isinstance(validator, VUnion):
        out: list[Validator] = []
        for member in validator.members:
            out.extend(_members(member))
        return out
    return [validator.required()]


def _union(validators: list[Validator]) -> Validator:
    members: list[Validator] = []
    for validator in validators:
        for member in _members(validator):
            if member not in members:
                members.append(member)
    return members[0] if len(members) == 1 else v.union(*members)


def widen(old: Validator, new: Validator) -> Validator:
    """A validator accepting every value ``old`` or ``new`` accepts, shaped like them: objects
    merged field by field, arrays and records element-wise, anything else a union."""
    old, new = old.required(), new.required()
    if old == new:
        return old
    if isinstance(old, VAny) or isinstance(new, VAny):
        return VAny()
    if isinstance(old, VObject) and isinstance(new, VObject):
        fields: dict[str, Validator] = {}
        for name in [*old.fields, *(n for n in new.fields if n not in old.fields)]:
            before, after = old.fields.get(name), new.fields.get(name)
            if before is None or after is None:
                present = before if after is None else after
                assert present is not None
                fields[name] = present.optional()
                continue
            joined = widen(before, after)
            fields[name] = joined.optional() if before.is_optional or after.is_optional else joined
        return v.object(fields)
    if isinstance(old, VArray) and isinstance(new, VArray):
        return v.array(widen(old.element, new.element))
    if isinstance(old, VRecord) and isinstance(new, VRecord):
        return v.record(_union([old.key, new.key]), widen(old.value, new.value))
    return _union([old, new])


@attrs.frozen
class Plan:
    """The steps that make a breaking change safe for one table (or validator).

    ``widened`` accepts OLD's and NEW's documents (``verified``: the decision procedure proved
    both subsets of it); ``widened_code`` is it as builder code to paste; ``migrate`` the paths
    a migration must rewrite (the changes that break stored data); ``new_code`` the final NEW.
    """

    table: str | None
    old: Validator
    widened: Validator
    widened_code: str
    migrate: tuple[str, ...]
    new_code: str
    verified: bool

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form of this plan."""
        return {
            "table": self.table,
            "widened": self.widened_code,
            "migrate": list(self.migrate),
            "new": self.new_code,
            "verified": self.verified,
        }

    def text(self) -> str:
        """The plan as numbered steps a person follows."""
        name = f"table {self.table}" if self.table else "the validator"
        fields = ", ".join(self.migrate) or "(none: the widened validator only adds values)"
        check = "verified: OLD ⊆ widened and NEW ⊆ widened" if self.verified else "NOT verified"
        if self.widened == self.old.required():
            first = [
                "  1. Widen: OLD already accepts every document NEW accepts: keep it deployed",
                "     while code that writes only NEW's shape rolls out",
            ]
        else:
            first = [
                "  1. Widen: push this validator, which accepts OLD's and NEW's documents, so",
                "     the push passes and new code can write NEW's shape:",
                _indent(self.widened_code, 8),
            ]
        return "\n".join(
            [
                f"Plan for {name} ({check}):",
                *first,
                "     (with Convex 1.47+, also stage NEW on it with .staged(...): Convex then",
                "     checks the stored documents against NEW in the background)",
                f"  2. Migrate: rewrite every document NEW rejects; the fields: {fields}",
                "  3. Narrow: push NEW:",
                _indent(self.new_code, 8),
            ]
        )


def _indent(code: str, width: int) -> str:
    return "\n".join(" " * width + line for line in code.splitlines())


def _code(validator: Validator) -> str:
    # Loaded only here: the code generator's builder source (with shared subtrees hoisted
    # into constants, so the code stays as big as the schema).
    from vschema.codegen._builder_source import BuilderSource

    source = BuilderSource([validator])
    expression = source.expression(validator, 0)
    return "\n".join([*(f"{name} = {code}" for name, code in source.constants), expression])


def _plan_one(
    decider: Decider, table: str | None, old: Validator, new: Validator, root: str
) -> Plan:
    widened = widen(old, new)
    try:
        verified = decider.subset(old, widened) and decider.subset(new, widened)
    except Unknown:
        verified = False
    if not verified:
        # The field-wise join is always a superset; should the proof fail (budget), fall back
        # to the plain union, a superset by construction.
        widened = _union([old, new])
        try:
            verified = decider.subset(old, widened) and decider.subset(new, widened)
        except Unknown:
            verified = False
    migrate: list[str] = []
    for change in changes(decider, old, new, root):
        if change.stored is not False and change.path not in migrate:
            migrate.append(change.path)
    return Plan(table, old, widened, _code(widened), tuple(migrate), _code(new), verified)


def plan(
    old: Schema | Validator, new: Schema | Validator, *, budget: int = DEFAULT_BUDGET
) -> list[Plan]:
    """A `Plan` for each table (or the one validator) whose stored data NEW breaks."""
    decider = Decider(budget=budget)
    if isinstance(old, Validator) and isinstance(new, Validator):
        if decider.witness(old, [new]) is None:
            return []
        return [_plan_one(decider, None, old, new, "(value)")]
    if not (isinstance(old, Schema) and isinstance(new, Schema)):
        raise SchemaError(
            "plan(old, new) takes two validators or two schemas, "
            f"got {type(old).__name__} and {type(new).__name__}"
        )
    plans = []
    for name, before in old.tables.items():
        after = new.tables.get(name)
        if after is None:
            continue
        try:
            breaking = decider.witness(before.validator, [after.validator]) is not None
        except Unknown:
            breaking = True
        if breaking:
            plans.append(_plan_one(decider, name, before.validator, after.validator, "(document)"))
    return plans
