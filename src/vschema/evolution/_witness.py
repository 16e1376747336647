"""Witnesses: a value OLD accepts and NEW rejects, shrunk, checked by two judges before it is shown.

`Decider` builds a witness as a Convex value. `verify` then asks Convex's check
(`convex_issue`) and vschema's own validators (``validate`` / ``errors`` on the Python
spelling, or the schema's row check for a table) whether OLD accepts it and NEW rejects it. Only
a witness both judges agree on (except where the Python spelling cannot show the difference:
see `Witness.python_visible`) is reported; a witness that fails verification turns the verdict
into ``unknown``, never into a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Literal

import attrs

from vschema.evolution._subset import Decider, Unknown
from vschema.evolution._values import convex_issue, convex_json, python_value
from vschema.validators._errors import Issue, format_path
from vschema.validators._nodes import Validator

__all__ = ["Verdict", "Witness", "decide"]

Status = Literal["compatible", "breaking", "unknown"]


@attrs.frozen
class Witness:
    """A value valid under OLD and invalid under NEW, with the issue NEW reports.

    ``value`` is the Python spelling (what ``old.validate`` accepts); ``convex_json`` the same
    value in Convex JSON (``{"$integer": ...}`` marks an Int64). ``path``, ``code`` and
    ``message`` are NEW's first issue. ``python_visible`` is False only where vschema's Python
    spelling cannot show the difference (an Int64 of at most 2**53 where NEW takes a Float64, or
    an ID where NEW wants another table's): the issue then is Convex's, and the value is Convex
    JSON's to read.
    """

    value: Any
    convex_json: Any
    path: tuple[str | int, ...]
    code: str
    message: str
    python_visible: bool

    @property
    def path_text(self) -> str:
        """The path as in vschema's messages (``tags[0].name``); empty at the top."""
        return format_path(self.path)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form of this witness."""
        return {
            "value": self.convex_json,
            "path": list(self.path),
            "code": self.code,
            "message": self.message,
            "python_visible": self.python_visible,
        }


@attrs.frozen
class Verdict:
    """One direction's answer: ``compatible``, ``breaking`` (with a `Witness`) or ``unknown``
    (with the ``reason``: the step budget ran out, or a witness failed verification)."""

    status: Status
    witness: Witness | None = None
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form of this verdict."""
        out: dict[str, Any] = {"status": self.status}
        if self.witness is not None:
            out["witness"] = self.witness.as_dict()
        if self.reason:
            out["reason"] = self.reason
        return out


COMPATIBLE = Verdict("compatible")

#: Checks a Python value with vschema, giving its issues (empty: valid).
PythonCheck = Callable[[Any], list[Issue]]


def decide(
    decider: Decider,
    old: Validator,
    new: Validator,
    old_check: PythonCheck | None = None,
    new_check: PythonCheck | None = None,
) -> Verdict:
    """Whether every value ``old`` accepts is one ``new`` accepts; if not, a verified witness.

    ``old_check`` / ``new_check`` are the Python-side judges (default: the validators'
    ``errors``; a table passes its schema's row check, which adds Convex's document limits).
    """
    try:
        found = decider.witness(old, [new])
    except Unknown as error:
        return Verdict("unknown", reason=str(error))
    if found is None:
        return COMPATIBLE
    return verify(decider, old, new, found[0], old_check, new_check)


def verify(
    decider: Decider,
    old: Validator,
    new: Validator,
    value: object,
    old_check: PythonCheck | None = None,
    new_check: PythonCheck | None = None,
) -> Verdict:
    """The verdict for a candidate witness ``value`` (a Convex value): breaking when both
    judges agree, unknown (saying why) when they do not."""
    ids = decider.ids
    value = _shrink(decider, old, new, value)
    if convex_issue(old, value, ids) is not None:
        return Verdict("unknown", reason="internal: the witness is not valid under OLD")
    convex = convex_issue(new, value, ids)
    if convex is None:
        return Verdict("unknown", reason="internal: the witness is valid under NEW")
    spelled = python_value(value)
    old_issues = (old_check or old.errors)(spelled)
    if old_issues:
        # Convex's limits (nesting, size) can make a witness impossible: say so, do not guess.
        first = old_issues[0]
        return Verdict(
            "unknown",
            reason=f"the smallest witness breaks a rule of OLD too ({first.code} at "
            f"{first.path_text or 'the top'}): {first.message.partition(chr(10))[0]}",
        )
    new_issues = (new_check or new.errors)(spelled)
    if new_issues:
        first = new_issues[0]
        witness = Witness(spelled, convex_json(value), first.path, first.code, first.message, True)
    else:
        witness = Witness(
            spelled, convex_json(value), convex.path, convex.code, convex.message, False
        )
    return Verdict("breaking", witness)


#: How many smaller candidates `_shrink` tries at most (witnesses are small: this is plenty).
_SHRINK_TRIES = 500


def _shrink(decider: Decider, old: Validator, new: Validator, value: object) -> object:
    """``value`` with object keys and array items removed, one at a time, for as long as OLD
    still accepts it and NEW still rejects it (Convex's check), so no part of a witness can go.
    """
    ids = decider.ids

    def escapes(candidate: object) -> bool:
        return (
            convex_issue(old, candidate, ids) is None
            and convex_issue(new, candidate, ids) is not None
        )

    if not escapes(value):
        return value  # verify reports it
    tries = 0
    changed = True
    while changed and tries < _SHRINK_TRIES:
        changed = False
        for candidate in _smaller(value):
            tries += 1
            if escapes(candidate):
                value = candidate
                changed = True
                break
            if tries >= _SHRINK_TRIES:
                break
    return value


def _smaller(value: object) -> Iterator[object]:
    """Each value one removal smaller than ``value``: a key of an object or an item of an array
    dropped, at any depth."""
    if type(value) is dict:
        for key in value:
            yield {k: item for k, item in value.items() if k != key}
        for key, item in value.items():
            for smaller in _smaller(item):
                yield {**value, key: smaller}
    elif type(value) is list:
        for index in range(len(value)):
            yield value[:index] + value[index + 1 :]
        for index, item in enumerate(value):
            for smaller in _smaller(item):
                yield [*value[:index], smaller, *value[index + 1 :]]
