"""The names generated code gives to a schema's tables and exported validators, for every target.

One scheme, decided here and nowhere else, so ``types.ts`` and the Python module call the same
thing by the same name:

* A table's new row is the singular PascalCase of its name, made singular by a few English rules
  (`singular`): ``inquiries`` -> ``Inquiry``, ``user_profiles`` -> ``UserProfile``. Its stored
  document is ``<Row>Document``, its ID type ``<Row>Id``; Python's functions take the snake_case
  (``parse_inquiry``, ``parse_inquiry_document``, ``is_inquiry``, ``is_inquiry_document``).
* An exported validator (a public top-level name of the schema module) is the PascalCase of its
  name: ``project_type`` -> ``ProjectType``. An export that *is* a table's row validator and has
  that row's name (``user = v.object(...)`` used as the table ``users``) is that type: one name.
* ``schema.ts`` constants keep the export's Python name when it is an ASCII identifier that
  JavaScript does not reserve; otherwise it is mangled (`ts_value_name`: ``new`` -> ``new_``).

One collision rule for all of it. Names are claimed in a fixed order: the names either target
defines or imports itself and the reserved words of both languages (`RESERVED`), then each table
in schema order (all its names at once), then each export in definition order. A table whose
names are not all free takes its plural instead (``users`` -> ``Users``, ``UsersDocument``), and
then the singular with a number (``User2``, ``User2Document``, ``parse_user_2``); an export takes
a number (``User2``; ``V2_2`` after a name that ends in a digit). Generators claim the names they
add later (nested objects, shared subtrees) from `SchemaNames.claims`, under the same rule.

Only ASCII words of user text (`vschema._source.identifier_words`) ever make a name, so every
name here is a plain identifier in both languages; `vschema._source` still checks each one as it
is written.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterable, Iterator, Mapping

import attrs

from vschema._source import (
    identifier_words,
    is_py_identifier,
    is_ts_identifier,
    ts_value_name,
)
from vschema.validators._documents import without_system_fields
from vschema.validators._nodes import Validator, VArray, VObject, VRecord, VUnion
from vschema.validators._schema import Schema

__all__ = [
    "RESERVED",
    "TS_CONST_RESERVED",
    "Claims",
    "ConstClaims",
    "ExportNames",
    "SchemaNames",
    "TableNames",
    "pascal",
    "schema_names",
    "singular",
    "singular_words",
    "snake",
    "words",
]

#: Names the generated Python module imports or defines for itself.
_PY_OWN = frozenset(
    {
        "Annotated",
        "Any",
        "CommitTsPlaceholder",
        "Literal",
        "NewType",
        "Never",
        "NotRequired",
        "Path",
        "Schema",
        "TypeAlias",
        "TypeIs",
        "TypedDict",
        "Validated",
        "ValidationError",
        "annotations",
        "cast",
        "importlib",
        "sys",
    }
)
#: Names ``types.ts`` defines or uses itself (its own lookups, and the globals it refers to).
_TS_OWN = frozenset(
    {"Id", "Doc", "NewDoc", "DataModel", "TableNames", "Array", "ArrayBuffer", "Record"}
)
#: Names ``schema.ts`` imports; an exported validator's constant never takes one of them.
TS_CONST_RESERVED = ("v", "defineSchema", "defineTable")

#: No generated type or function takes one of these, in either language: Python's builtins (a
#: type named ``Exception`` would shadow one) and each file's own names. Keywords of both
#: languages are refused by `Claims.free` (`is_py_identifier`, `is_ts_identifier`).
RESERVED = frozenset({*dir(builtins), *_PY_OWN, *_TS_OWN})

_COMPOSITE = (VObject, VUnion, VArray, VRecord)


# -- words -----------------------------------------------------------------------------------

# Singular forms, after Rails' inflector in short: (pattern on the lowercased word, replacement).
_SINGULAR_RULES = [
    (re.compile(r"(?:alias|status|bus|news|series|species|ss|us|is)$"), None),
    (re.compile(r"(quiz)zes$"), r"\1"),
    (re.compile(r"(matr)ices$"), r"\1ix"),
    (re.compile(r"(vert|ind)ices$"), r"\1ex"),
    (re.compile(r"(alias|status|bus)es$"), r"\1"),
    (re.compile(r"(x|ch|ss|sh|zz)es$"), r"\1"),
    (re.compile(r"(movie|cookie|zombie|tie|pie|lie)s$"), r"\1"),
    (re.compile(r"([^aeiouy]|qu)ies$"), r"\1y"),
    (re.compile(r"(hive|tive|database|shoe)s$"), r"\1"),
    (re.compile(r"([lr])ves$"), r"\1f"),
    (re.compile(r"(kni|wi|li)ves$"), r"\1fe"),
    (re.compile(r"(analy|ba|diagno|parenthe|progno|synop|the)ses$"), r"\1sis"),
    (re.compile(r"(o)es$"), r"\1"),
    (re.compile(r"s$"), ""),
]
_IRREGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman"}


def singular(word: str) -> str:
    """``word`` made singular by a few English rules; a word they do not cover is unchanged.

    ``inquiries`` -> ``inquiry``, ``addresses`` -> ``address``, ``statuses`` -> ``status``,
    ``people`` -> ``person``, ``data`` -> ``data``. Case is kept: ``Users`` -> ``User``.
    """
    lower = word.lower()
    result = _IRREGULAR.get(lower)
    if result is None:
        result = lower
        for pattern, replacement in _SINGULAR_RULES:
            if pattern.search(lower):
                if replacement is not None:
                    result = pattern.sub(replacement, lower)
                break
    if word.isupper():
        return result.upper()
    if word[:1].isupper():
        return result[:1].upper() + result[1:]
    return result


def singular_words(parts: tuple[str, ...]) -> tuple[str, ...]:
    """``parts`` with the last word made singular."""
    return (*parts[:-1], singular(parts[-1])) if parts else parts


def pascal(parts: tuple[str, ...]) -> str:
    """The words as one PascalCase name; each word keeps its own capitals (``HTTPServer``)."""
    return "".join(part[:1].upper() + part[1:] for part in parts)


def snake(parts: tuple[str, ...]) -> str:
    """The words as one snake_case name."""
    return "_".join(part.lower() for part in parts)


def words(text: str, fallback: str) -> tuple[str, ...]:
    """The naming words of ``text`` (``fallback`` when it has none); a name may not start with a
    digit, so words that do get a ``T`` in front."""
    found = tuple(identifier_words(text)) or (fallback,)
    return ("T", *found) if found[0][0].isdigit() else found


def _numbered(name: str, number: int) -> str:
    # `V2` + 2 would read as `V22`, which another name could be: a `_` keeps them apart.
    return f"{name}_{number}" if name[-1:].isdigit() else f"{name}{number}"


# -- claims ----------------------------------------------------------------------------------


class Claims:
    """The names taken in one generated file; each claim takes the first free candidate.

    A name is free when no one claimed it, it is not `RESERVED`, and both Python and TypeScript
    can write it as a plain identifier (no keyword of either language).
    """

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken: set[str] = set(RESERVED)
        self._taken.update(taken)

    def free(self, names: tuple[str, ...]) -> bool:
        """Whether every name of ``names`` is free, and no two are the same."""
        return len(set(names)) == len(names) and all(
            is_py_identifier(name) and is_ts_identifier(name) and name not in self._taken
            for name in names
        )

    def take(self, names: Iterable[str]) -> None:
        """Mark ``names`` as taken."""
        self._taken.update(names)

    def name(self, base: str) -> str:
        """Claim ``base``, or the first of ``base2``, ``base3``, ... that is free."""
        for candidate in _candidates(base):
            if self.free((candidate,)):
                self.take((candidate,))
                return candidate
        raise AssertionError("unreachable")  # pragma: no cover

    def copy(self) -> Claims:
        """A new set of claims holding the same names, for a file to claim its own names in."""
        return Claims(self._taken)


def _candidates(base: str) -> Iterator[str]:
    yield base
    number = 2
    while True:
        yield _numbered(base, number)
        number += 1


# -- the names of a schema -------------------------------------------------------------------


@attrs.frozen
class TableNames:
    """Every name a table gives: types (both targets) and Python's functions.

    ``words`` are the words its names are made of (singular, or plural after a clash), from
    which nested objects are named.
    """

    table: str
    words: tuple[str, ...]
    row: str
    document: str
    id: str
    parse: str
    parse_document: str
    is_row: str
    is_document: str

    @classmethod
    def of(cls, table: str, parts: tuple[str, ...]) -> TableNames:
        """The names made of ``parts``."""
        type_name, function = pascal(parts), snake(parts)
        return cls(
            table,
            parts,
            type_name,
            f"{type_name}Document",
            f"{type_name}Id",
            f"parse_{function}",
            f"parse_{function}_document",
            f"is_{function}",
            f"is_{function}_document",
        )

    def all(self) -> tuple[str, ...]:
        """Every name, to claim them together."""
        return (
            self.row,
            self.document,
            self.id,
            self.parse,
            self.parse_document,
            self.is_row,
            self.is_document,
        )


@attrs.frozen
class ExportNames:
    """The names of one exported validator: its type in both targets, its ``schema.ts`` const.

    ``row_of`` is the table whose row type the export is, when it shares that type's name (the
    generators then define one type, not two).
    """

    export: str
    type: str
    const: str
    row_of: str | None = None


@attrs.frozen
class SchemaNames:
    """The names of a schema's tables and exports, each mapping in definition order."""

    tables: Mapping[str, TableNames]
    exports: Mapping[str, ExportNames]

    def claims(self) -> Claims:
        """Claims holding every name here, for a generator to add names of its own."""
        taken = [name for names in self.tables.values() for name in names.all()]
        return Claims([*taken, *(names.type for names in self.exports.values())])


def _table_names(claims: Claims, table: str) -> TableNames:
    parts = words(table, "table")
    for candidate in _table_candidates(singular_words(parts), parts):
        names = TableNames.of(table, candidate)
        if claims.free(names.all()):
            claims.take(names.all())
            return names
    raise AssertionError("unreachable")  # pragma: no cover


def _table_candidates(one: tuple[str, ...], plural: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """The singular, the plural, then the singular numbered: ``User``, ``Users``, ``User2``."""
    yield one
    yield plural
    number = 2
    while True:
        yield (*one, str(number))
        number += 1


def schema_names(schema: Schema, exports: Mapping[str, Validator]) -> SchemaNames:
    """The names of everything both generators define for ``schema`` and ``exports``."""
    claims = Claims()
    tables = {table: _table_names(claims, table) for table in schema.tables}

    # The first table whose row is an object owns that object's type.
    rows: dict[Validator, str] = {}
    for table, definition in schema.tables.items():
        row = without_system_fields(definition.validator)
        if isinstance(row, VObject):
            rows.setdefault(row.required(), table)

    # Constants usable as they are come first, so that no mangled name can take one of them.
    natural = {n for n in exports if is_ts_identifier(n) and n not in TS_CONST_RESERVED}
    consts = ConstClaims([*TS_CONST_RESERVED, *natural])
    named: dict[str, ExportNames] = {}
    for export, validator in exports.items():
        const = export if export in natural else consts.claim(ts_value_name(export))
        base = pascal(words(export, "type"))
        owner = (
            rows.get(validator)
            if isinstance(validator, _COMPOSITE) and not validator.is_optional
            else None
        )
        if owner is not None and tables[owner].row == base:
            named[export] = ExportNames(export, base, const, row_of=owner)
        else:
            named[export] = ExportNames(export, claims.name(base), const)
    return SchemaNames(tables, named)


class ConstClaims:
    """``schema.ts`` constants: first come first served; a clash gets ``_2``, ``_3``, ...

    Constants live in the JavaScript value namespace, apart from types, so they keep the Python
    spelling users wrote (``project_type``) instead of taking a type's name.
    """

    def __init__(self, taken: Iterable[str]) -> None:
        self._taken = set(taken)

    def claim(self, base: str) -> str:
        name, number = base, 2
        while name in self._taken:
            name, number = f"{base}_{number}", number + 1
        self._taken.add(name)
        return name


#: What a Zod schema's name adds to the type it checks: ``Inquiry`` -> ``InquirySchema``.
ZOD_SCHEMA_SUFFIX = "Schema"


def zod_schema_name(type_name: str) -> str:
    """The name of the Zod schema for the type ``type_name`` (a name claimed here already).

    Every type name of a file is unique and the suffix is one constant, so the schema names are
    unique too, and none is a reserved word; the Zod file's own helpers start in lowercase
    (``zString``, ``zId``) and so cannot be one of them.
    """
    return type_name + ZOD_SCHEMA_SUFFIX
