"""The IDs in a stored document: are they of the right table, and which documents do they name.

`v.id("users")` alone can only check that a string is an ID: which table an ID belongs to is
a table *number*, which only the deployment knows. A snapshot export says it (``_tables``), so
the backend's own check can run here (``convex-semantics.md`` §8, rule 1): an ID whose table
number is another table's is ``TableNamesDoNotMatch``, one whose number is no table's is
``NoMatch``. IDs of system tables (``v.id("_storage")``) are not numbered in ``_tables`` and
are taken as they are.

`IdWalk` is one walk over the validator beside the value, for a document its validator
accepted; it visits only the parts of the validator that hold a `v.id` (found once per node),
so a table without references costs nothing. In a union it takes the first member that
accepts the value and whose IDs are right, as the backend does; when no member does, the union
as a whole does not match. It also collects every ID of a user table it passes, for
``--references``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vschema._typing import assert_never
from vschema.validators._display import expected_text, value_kind
from vschema.validators._errors import Issue, PathKey
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

__all__ = ["IdWalk", "Reference", "table_number"]

Path = tuple[PathKey, ...]
#: ``(path, id, table)``: an ID found at ``path`` of a document, of table ``table``.
Reference = tuple[Path, str, str]


_TO_DIGITS = str.maketrans("0123456789abcdefghjkmnpqrstvwxyz", "0123456789abcdefghijklmnopqrstuv")
#: An ID's length says how many bytes its table number's varint takes (`vschema.new_id`).
_VARINT_BYTES = {31: 1, 32: 2, 34: 3, 36: 4, 37: 5}


def table_number(text: str) -> int:
    """The table number of ``text``, a valid Convex ID (one a `v.id` accepted).

    `decode_id` checks every byte and the checksum; a validated ID needs none of that again,
    only its first 8 characters (40 bits, the longest varint), which makes this several times
    cheaper on the one call per ID a check makes.
    """
    size = _VARINT_BYTES[len(text)]
    head = int(text[:8].translate(_TO_DIGITS), 32)
    number = 0
    for index in range(size):
        number |= ((head >> (32 - 8 * index)) & 0x7F) << (7 * index)
    return number


class IdWalk:
    """Checks the IDs of documents of one validator against ``numbers`` (table name to number,
    for the component the documents belong to)."""

    def __init__(self, validator: Validator, numbers: Mapping[str, int]) -> None:
        self.validator = validator
        self.numbers = dict(numbers)
        self.names = {number: name for name, number in numbers.items()}
        self._has_ids: dict[int, bool] = {}
        self._fields: dict[int, list[tuple[str, Validator]]] = {}
        # The nodes asked about stay alive (they are parts of `validator`), so ids stay unique.
        self.any_ids = self.has_ids(validator)

    def has_ids(self, validator: Validator) -> bool:
        """Whether a `v.id` occurs in ``validator`` (each distinct node looked at once)."""
        key = id(validator)
        known = self._has_ids.get(key)
        if known is None:
            self._has_ids[key] = False  # a guard; validator trees are acyclic
            known = self._has_ids[key] = self._find_ids(validator)
        return known

    def _find_ids(self, validator: Validator) -> bool:
        node = as_node(validator)
        match node:
            case VId():
                return True
            case (
                VString()
                | VFloat64()
                | VInt64()
                | VCommitTs()
                | VBoolean()
                | VNull()
                | VBytes()
                | VLiteral()
                | VAny()
            ):
                return False
            case VArray(element=element):
                return self.has_ids(element)
            case VRecord(key=key, value=value):
                return self.has_ids(key) | self.has_ids(value)
            case VObject(fields=fields):
                return any(self.has_ids(field) for field in fields.values())
            case VUnion(members=members):
                return any(self.has_ids(member) for member in members)
            case _:
                assert_never(node)

    def check(self, value: Any, references: list[Reference] | None = None) -> list[Issue]:
        """The issues of the IDs in ``value`` (a document the validator accepts); every ID
        passed is appended to ``references`` when given."""
        issues: list[Issue] = []
        if self.any_ids:
            self._walk(self.validator, value, (), issues, references)
        return issues

    def id_issue(self, text: str, table: str, path: Path) -> Issue | None:
        """The issue of ID ``text`` where ``v.id(table)`` stands, or ``None`` when it is right.

        ``text`` is an ID the validator accepted; anything else is left to the validator."""
        if table.startswith("_") or len(text) not in _VARINT_BYTES:
            # System tables have no number in `_tables`.
            return None
        number = table_number(text)
        if self.numbers.get(table) == number:
            return None
        found = self.names.get(number)
        expected = f'an Id of table "{table}"'
        if found is None:
            return Issue(
                path,
                "invalid_id",
                f'Value does not match validator.\nValue: "{text}"\nValidator: v.id("{table}")\n'
                f"The ID's table number {number} is no table of the export.",
                expected,
                "string",
            )
        return Issue(
            path,
            "invalid_id",
            f'Found ID "{text}" from table `{found}`, which does not match the table name in '
            f'validator `v.id("{table}")`.',
            expected,
            f'an Id of table "{found}"',
        )

    def _walk(
        self,
        validator: Validator,
        value: Any,
        path: Path,
        issues: list[Issue],
        references: list[Reference] | None,
    ) -> None:
        if not self.has_ids(validator):
            return
        node = as_node(validator)
        match node:
            case VId(table_name=table):
                if type(value) is str:
                    issue = self.id_issue(value, table, path)
                    if issue is not None:
                        issues.append(issue)
                    elif references is not None and not table.startswith("_"):
                        # A system table's documents (_storage) are not table data of the
                        # export, so whether they exist cannot be told from it.
                        references.append((path, value, table))
            case VArray(element=element):
                if type(value) is list:
                    for index, item in enumerate(value):
                        self._walk(element, item, (*path, index), issues, references)
            case VRecord(key=key, value=item_validator):
                if type(value) is dict:
                    for name, item in value.items():
                        self._walk(key, name, (*path, name), issues, references)
                        self._walk(item_validator, item, (*path, name), issues, references)
            case VObject():
                if type(value) is dict:
                    for name, field in self._fields_with_ids(node):
                        if name in value:
                            self._walk(field, value[name], (*path, name), issues, references)
            case VUnion(members=members):
                self._union(node, members, value, path, issues, references)
            case (
                VString()
                | VFloat64()
                | VInt64()
                | VCommitTs()
                | VBoolean()
                | VNull()
                | VBytes()
                | VLiteral()
                | VAny()
            ):
                pass
            case _:
                assert_never(node)

    def _fields_with_ids(self, node: VObject) -> list[tuple[str, Validator]]:
        """The fields of ``node`` that hold a `v.id` (worked out once per node)."""
        fields = self._fields.get(id(node))
        if fields is None:
            fields = [(n, f) for n, f in node.fields.items() if self.has_ids(f)]
            self._fields[id(node)] = fields
        return fields

    def _union(
        self,
        node: VUnion,
        members: tuple[Validator, ...],
        value: Any,
        path: Path,
        issues: list[Issue],
        references: list[Reference] | None,
    ) -> None:
        if len(members) == 1:
            self._walk(members[0], value, path, issues, references)
            return
        for member in members:
            if not member.is_valid(value):
                continue
            found: list[Issue] = []
            passed: list[Reference] | None = [] if references is not None else None
            self._walk(member, value, path, found, passed)
            if not found:
                if references is not None and passed:
                    references.extend(passed)
                return
        issues.append(
            Issue(
                path,
                "no_match",
                "Value does not match validator.\nNo member of the union holds IDs of the "
                "tables its v.id validators name.",
                expected_text(node),
                value_kind(value),
            )
        )
