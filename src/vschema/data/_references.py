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

`IdWalk.ok` says yes or no without building paths or issues, from closures built once per
node, and tells an ID's table from its first few characters (`Prefixes`): the document's check
has already decoded every ID in full (`is_id`), so decoding it again would repeat that work.
`IdWalk.check` lists the issues, for the rare document `ok` refuses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from vschema._typing import assert_never
from vschema.validators._display import expected_text, value_kind
from vschema.validators._errors import Issue, PathKey

# The ID codec's own alphabet, bound and varint: the prefixes must be exactly what it writes.
from vschema.validators._ids import _CROCKFORD, _MAX_TABLE_NUMBER, _TO_DIGITS, _varint
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

__all__ = ["IdWalk", "Prefixes", "Reference", "table_number"]

Path = tuple[PathKey, ...]
#: ``(path, id, table)``: an ID found at ``path`` of a document, of table ``table``.
Reference = tuple[Path, str, str]


#: An ID's length says how many bytes its table number's varint takes (`vschema.new_id`).
_VARINT_BYTES = {31: 1, 32: 2, 34: 3, 36: 4, 37: 5}
_ID_LENGTH = {size: length for length, size in _VARINT_BYTES.items()}
#: A check that says yes or no.
Ok = Callable[[Any], bool]


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


@attrs.frozen
class Prefixes:
    """How every ID of table number ``number`` begins: its ``length``, and its first ``size``
    characters, one of ``heads``.

    The table number is the ID's first bytes (a varint), and its text is those bytes in base32
    from the first character on; the last character that holds varint bits also holds a few
    bits of what follows, so ``heads`` lists each of their values (at most 16). An ID with
    another head, or of another length, has another table number (`table_number` would read
    the same bits).
    """

    length: int
    size: int
    heads: frozenset[str]

    @classmethod
    def of(cls, number: int) -> Prefixes:
        """The prefixes of the IDs of table ``number`` (1 to 2**32 - 1)."""
        encoded = _varint(number)
        varint, size = int.from_bytes(encoded, "big"), len(encoded)
        chars = -(-8 * size // 5)
        free = 5 * chars - 8 * size
        heads = frozenset(
            "".join(_CROCKFORD[(bits >> (5 * (chars - 1 - i))) & 31] for i in range(chars))
            for bits in ((varint << free) | low for low in range(1 << free))
        )
        return cls(_ID_LENGTH[size], chars, heads)

    def match(self, text: str) -> bool:
        """Whether ``text``, a valid ID, is of this table number."""
        return len(text) == self.length and text[: self.size] in self.heads


class IdWalk:
    """Checks the IDs of documents of one validator against ``numbers`` (table name to number,
    for the component the documents belong to)."""

    def __init__(self, validator: Validator, numbers: Mapping[str, int]) -> None:
        self.validator = validator
        self.numbers = dict(numbers)
        self.names = {number: name for name, number in numbers.items()}
        self._has_ids: dict[int, bool] = {}
        self._fields: dict[int, list[tuple[str, Validator]]] = {}
        # A number no ID can hold (a broken `_tables`) gets none: `id_issue` reports its IDs.
        self._prefixes = {
            name: Prefixes.of(number)
            for name, number in numbers.items()
            if 0 < number <= _MAX_TABLE_NUMBER
        }
        self._oks: dict[int, Ok | None] = {}
        # The nodes asked about stay alive (they are parts of `validator`), so ids stay unique.
        self.any_ids = self.has_ids(validator)
        self._ok = self._ok_of(validator)

    def ok(self, value: Any) -> bool:
        """Whether `check` finds no issue in ``value`` (a document the validator accepts)."""
        return self._ok is None or self._ok(value)

    def right_table(self, text: str, table: str) -> bool:
        """Whether `id_issue` finds nothing wrong with ID ``text`` where ``v.id(table)`` stands."""
        prefixes = self._prefixes.get(table)
        if prefixes is not None and prefixes.match(text):
            return True
        return self.id_issue(text, table, ()) is None

    def _ok_of(self, validator: Validator) -> Ok | None:
        """`ok` for the values of ``validator``; ``None`` when it holds no `v.id` (always ok).
        Built once per distinct node."""
        key = id(validator)
        if key not in self._oks:
            self._oks[key] = self._build_ok(validator) if self.has_ids(validator) else None
        return self._oks[key]

    def _build_ok(self, validator: Validator) -> Ok | None:
        node = as_node(validator)
        match node:
            case VId(table_name=table):
                if table.startswith("_"):
                    return None
                right = self.right_table
                return lambda value: type(value) is not str or right(value, table)
            case VArray(element=element):
                item_ok = self._ok_of(element)
                if item_ok is None:  # IDs of system tables (`_storage`) only
                    return None
                return lambda value: type(value) is not list or all(map(item_ok, value))
            case VRecord(key=key, value=item):
                key_ok, value_ok = self._ok_of(key), self._ok_of(item)
                if key_ok is None and value_ok is None:
                    return None

                def record_ok(value: Any) -> bool:
                    if type(value) is not dict:
                        return True
                    return (key_ok is None or all(map(key_ok, value))) and (
                        value_ok is None or all(map(value_ok, value.values()))
                    )

                return record_ok
            case VObject():
                fields = [
                    (name, field_ok)
                    for name, field in self._fields_with_ids(node)
                    if (field_ok := self._ok_of(field)) is not None
                ]
                if not fields:
                    return None

                def object_ok(value: Any) -> bool:
                    if type(value) is not dict:
                        return True
                    for name, field_ok in fields:
                        if name in value and not field_ok(value[name]):
                            return False
                    return True

                return object_ok
            case VUnion(members=members):
                # Which member holds the value decides: the full walk, rare enough in tables.
                def union_ok(value: Any) -> bool:
                    issues: list[Issue] = []
                    self._union(node, members, value, (), issues, None)
                    return not issues

                return union_ok
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
                return None
            case _:
                assert_never(node)

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
        prefixes = self._prefixes.get(table)
        if prefixes is not None and prefixes.match(text):
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
