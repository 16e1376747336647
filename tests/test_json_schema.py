"""The JSON Schema emitter (`vschema.codegen.json_schema`), checked with the real `jsonschema`.

The emitted schema is compared with vschema on JSON documents: a value (a valid draw of
`from_validator` / `for_table`, or an invalid draw of `invalid` / `invalid_for_table`) is
encoded as JSON by the test's own encoder (`encode`, written from the encoding rules, not from
the emitter), and the emitted schema must give the verdict vschema gives the same JSON read back
(`oracle`): plain JSON decoded by the validator's own rules (base64 where bytes belong), Convex
JSON by `vschema.from_convex_json`. The only disagreements allowed are the flaws the module
lists (`UNSTATED_FLAWS`, `NUMBER_FLAWS`), and a test pins that list both ways: every flaw in it
has a witness the schema lets through, every other issue code one it refuses.

Golden files: ``tests/golden/json_schema/<case>/`` (plain) and ``<case>-convex/``, from the
schemas ``tests/golden/typescript/<case>/schema.py``. Regenerate them with
``VSCHEMA_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_json_schema.py``.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import difflib
import hashlib
import json
import math
import os
import re
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from jsonschema import Draft202012Validator

from vschema import (
    COMMIT_TS,
    IssueCode,
    SchemaError,
    ValidationError,
    Validator,
    VAny,
    VArray,
    VBytes,
    VCommitTs,
    VInt64,
    VLiteral,
    VObject,
    VRecord,
    VUnion,
    define_schema,
    define_table,
    from_convex_json,
    to_convex_json,
    v,
)
from vschema._source import comment_text
from vschema.cli import main
from vschema.codegen import json_schema, json_schema_files
from vschema.codegen._json_schema import (
    ENCODINGS,
    FILE_SUFFIX,
    ID_PATTERN,
    NUMBER_FLAWS,
    UNSTATED_FLAWS,
    Encoding,
)
from vschema.codegen._load import SchemaSource, load_schema
from vschema.strategies import for_table, from_validator, invalid, invalid_for_table, validators
from vschema.validators._documents import document_validator, without_system_fields
from vschema.validators._ids import is_id, new_id
from vschema.validators._nodes import Node
from vschema.validators._values import field_name_error, is_utf8

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tests" / "golden" / "typescript"
GOLDEN = ROOT / "tests" / "golden" / "json_schema"
CASES = ("seed", "stress")
JsonCheck = Callable[[Any], bool]


# -- encoding and decoding -------------------------------------------------------------------


class NoJsonForm(Exception):
    """The value has no JSON form in this encoding (a set, NaN in plain JSON, ...)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _guide(node: Validator | None, value: object) -> Validator | None:
    """The validator that applies to ``value``: through unions, the first member that accepts
    it (none: no guide, as for `v.any()`)."""
    while isinstance(node, VUnion):
        node = next((m for m in node.members if m.is_valid(value)), None)
    return node


def _child(node: Validator | None, key: object) -> Validator | None:
    if isinstance(node, VArray):
        return node.element
    if isinstance(node, VObject):
        return node.fields.get(key) if isinstance(key, str) else None
    if isinstance(node, VRecord):
        return node.value
    return None


def _int64_here(node: Validator | None) -> bool:
    return isinstance(node, (VInt64, VCommitTs)) or (isinstance(node, VLiteral) and node.int64)


def _encode(value: object, node: Validator | None, encoding: Encoding) -> Any:
    node = _guide(node, value)
    if value is None or type(value) in (bool, str):
        return value
    if value is COMMIT_TS:
        return {"$commitTs": None}
    if type(value) is int:
        int64 = _int64_here(node) or (
            (node is None or isinstance(node, VAny)) and abs(value) > 2**53
        )
        if encoding == "convex" and int64:
            if not -(2**63) <= value < 2**63:
                raise NoJsonForm("an Int64 beyond 64 bits has no $integer")
            return {"$integer": _b64(value.to_bytes(8, "little", signed=True))}
        return value
    if type(value) is float:
        special = not math.isfinite(value) or (value == 0 and math.copysign(1.0, value) < 0)
        if encoding == "convex" and special:
            return {"$float": _b64(struct.pack("<d", value))}
        if not math.isfinite(value):
            raise NoJsonForm("plain JSON has no NaN or infinity")
        return value
    if type(value) is bytes:
        return {"$bytes": _b64(value)} if encoding == "convex" else _b64(value)
    if type(value) in (list, tuple):
        assert isinstance(value, (list, tuple))
        return [_encode(item, _child(node, i), encoding) for i, item in enumerate(value)]
    if type(value) is dict:
        assert isinstance(value, dict)
        out = {}
        for k, item in value.items():
            if not (k is None or type(k) in (str, int, float, bool)):
                raise NoJsonForm(f"a {type(k).__name__} key")
            out[k] = _encode(item, _child(node, k), encoding)
        return out
    raise NoJsonForm(f"a {type(value).__name__}")


def encode(value: object, validator: Validator | None, encoding: Encoding) -> Any:
    """What a JSON reader gets for ``value`` sent in ``encoding``; raises `NoJsonForm`."""
    try:
        text = json.dumps(_encode(value, validator, encoding), allow_nan=False)
    except (TypeError, ValueError) as error:  # keys json.dumps cannot write, NaN keys
        raise NoJsonForm(str(error)) from error
    return json.loads(text)


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, list):
        copy = list(value)
        copy[head] = _replaced(value[head], rest, new)
        return copy
    copy_dict = dict(value)
    copy_dict[head] = _replaced(value[head], rest, new)
    return copy_dict


def _respellings(number: int | float) -> list[int | float]:
    """The same number spelled otherwise: as the other Python type, or with the other zero."""
    found: list[int | float] = []
    if type(number) is int:
        with contextlib.suppress(OverflowError):
            found.append(float(number))
        if number == 0:
            found.append(-0.0)
    elif math.isfinite(number):
        if number.is_integer():
            found.append(int(number))
        if number == 0:
            found.append(-number)
    return found


def _plain_decode(node: Validator | None, data: Any) -> Any:
    """Plain JSON read back as the Python value it stands for, by ``node``'s rules: a base64
    string where bytes belong is those bytes, ``{"$commitTs": null}`` where a commit timestamp
    may be is the placeholder; a union reads as its first member that then accepts it."""
    if isinstance(node, VUnion):
        for member in node.members:
            decoded = _plain_decode(member, data)
            if member.is_valid(decoded):
                return decoded
        return data
    if isinstance(node, VBytes) and isinstance(data, str):
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            return data
        return raw if base64.b64encode(raw).decode("ascii") == data else data
    if isinstance(node, (VCommitTs, VAny)) and data == {"$commitTs": None}:
        return COMMIT_TS
    if isinstance(data, list):
        return [_plain_decode(_child(node, i) or _any_child(node), x) for i, x in enumerate(data)]
    if isinstance(data, dict):
        return {k: _plain_decode(_child(node, k) or _any_child(node), x) for k, x in data.items()}
    return data


def _any_child(node: Validator | None) -> Validator | None:
    return node if isinstance(node, VAny) else None


def _decoded(data: Any, node: Validator, encoding: Encoding) -> tuple[Any, list[Any]]:
    """The value vschema reads from JSON ``data``, and the decoding issues (Convex JSON)."""
    if encoding == "plain":
        return _plain_decode(node, data), []
    try:
        return from_convex_json(data), []
    except ValidationError as error:
        return None, list(error.issues)


_A_VALID_ID = new_id(1, bytes(16))
_ID_SHAPE = re.compile(ID_PATTERN)


def _repaired(value: Any) -> Any:
    """``value`` without the flaws of `UNSTATED_FLAWS` that sit in strings: each lone surrogate
    replaced, each string of an ID's shape that is no ID replaced by a valid ID (vschema checks
    an ID's format, not its table's number, so any valid ID fits every ``v.id``). Record keys
    too, each bad ID key by a valid ID of its own, so no two keys merge."""
    if isinstance(value, str):
        if _ID_SHAPE.search(value) and not is_id(value):
            return _A_VALID_ID
        return value.encode("utf-8", "replace").decode("utf-8") if not is_utf8(value) else value
    if isinstance(value, list):
        return [_repaired(item) for item in value]
    if isinstance(value, dict):
        return {_repaired_key(k): _repaired(item) for k, item in value.items()}
    return value


def _repaired_key(key: Any) -> Any:
    if isinstance(key, str) and _ID_SHAPE.search(key) and not is_id(key):
        return new_id(1, hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()[:16])
    return key


def _number_paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if type(value) in (int, float):
        yield path, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _number_paths(item, (*path, i))
    elif isinstance(value, dict):
        for k, item in value.items():
            yield from _number_paths(item, (*path, k))


def _excused(issue: Any, value: Any, check: Callable[[Any], bool], encoding: Encoding) -> bool:
    """Whether the flaw vschema finds in a JSON document is one the module says JSON Schema
    cannot state (`UNSTATED_FLAWS`, `NUMBER_FLAWS`): directly by its issue code, or (inside a
    union, whose issue is ``no_match``) because repairing only such flaws makes it valid."""
    if issue.code in UNSTATED_FLAWS:
        return True
    if encoding == "convex" and issue.code == "invalid_encoding":
        # A JSON integer no Float64 equals: Convex JSON refuses to read it at all.
        try:
            return type(_at(value, issue.path)) is int
        except (KeyError, IndexError, TypeError):
            return False
    if check(_repaired(value)):
        return True
    return encoding == "plain" and any(
        check(_replaced(value, path, other))
        for path, number in _number_paths(value)
        for other in _respellings(number)
    )


def assert_agrees(
    schema_check: JsonCheck,
    data: Any,
    node: Validator,
    vschema_check: Callable[[Any], bool],
    vschema_errors: Callable[[Any], list[Any]],
    encoding: Encoding,
    *,
    valid: bool,
) -> str:
    """Assert the emitted schema's verdict on JSON ``data`` is vschema's, but for excused
    flaws; returns which case it was ("valid", "invalid", "excused")."""
    value, decode_issues = _decoded(data, node, encoding)
    if decode_issues:
        ok, issues = False, decode_issues
        value = data
    else:
        ok = vschema_check(value)
        issues = [] if ok else vschema_errors(value)
    if valid:
        assert ok, f"the test's encoding of a valid draw reads back invalid: {issues[:1]}"
    verdict = schema_check(data)
    if ok:
        assert verdict, f"the emitted schema refuses valid JSON {data!r:.300}"
        return "valid"
    if _excused(issues[0], value, vschema_check, encoding):
        return "excused"
    assert not verdict, (
        f"the emitted schema accepts JSON {data!r:.300}, which vschema refuses: {issues[0]}"
    )
    return "invalid"


def compiled(schema: Any) -> JsonCheck:
    """A checker for ``schema``, after `check_schema` (which raises for a malformed schema)."""
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema).is_valid


# -- random validators and values ------------------------------------------------------------

_DRAWS = 6


@pytest.mark.parametrize("encoding", ENCODINGS)
@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(
    validator=st.one_of(validators(max_depth=3), validators(max_depth=5, shared=True)),
    data=st.data(),
)
def test_random_validators_agree(encoding: Encoding, validator: Validator, data: Any) -> None:
    """Each random validator's schema is compiled once, then meets valid and invalid draws."""
    check = compiled(json_schema(validator, encoding=encoding))
    valid = from_validator(validator)
    if not valid.is_empty:
        for _ in range(_DRAWS):
            value = data.draw(valid)
            try:
                encoded = encode(value, validator, encoding)
            except NoJsonForm:
                assert encoding == "plain", "every valid value has a Convex JSON form"
                continue
            if encoding == "convex":
                assert encoded == json.loads(json.dumps(to_convex_json(value, validator)))
            assert_agrees(
                check,
                encoded,
                validator,
                validator.is_valid,
                validator.errors,
                encoding,
                valid=True,
            )
    try:
        flawed = invalid(validator)
    except InvalidArgument:
        return
    for _ in range(_DRAWS):
        value, _expected = data.draw(flawed)
        try:
            encoded = encode(value, validator, encoding)
        except NoJsonForm:
            continue
        assert_agrees(
            check, encoded, validator, validator.is_valid, validator.errors, encoding, valid=False
        )


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_bad_id_as_a_record_key_is_excused_as_an_id_flaw(encoding: Encoding) -> None:
    # Found by the random test: a key of an ID's shape whose table-number varint does not fit its
    # length is no ID, which only vschema sees; inside a union of IDs the issue is `no_match`.
    validator = v.record(v.union(v.id("users"), v.id("messages")), v.null())
    key = "h75pknsyctrnvxwr6z19n6ge2f8r42m0"
    assert _ID_SHAPE.search(key)
    assert not is_id(key)
    assert validator.errors({key: None})[0].code == "no_match"
    check = compiled(json_schema(validator, encoding=encoding))
    assert check({key: None})
    verdict = assert_agrees(
        check, {key: None}, validator, validator.is_valid, validator.errors, encoding, valid=False
    )
    assert verdict == "excused"


# -- the golden schemas ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sources() -> dict[str, SchemaSource]:
    return {case: load_schema(str(SOURCES / case / "schema.py")) for case in CASES}


def _files(source: SchemaSource, encoding: Encoding) -> dict[str, str]:
    return json_schema_files(
        source.schema,
        exports=source.exports,
        origin="schema.py",
        command="vschema codegen schema.py --json-schema-out .",
        encoding=encoding,
    )


@pytest.fixture(scope="module")
def generated(sources: dict[str, SchemaSource]) -> dict[tuple[str, Encoding], dict[str, str]]:
    return {(case, enc): _files(sources[case], enc) for case in CASES for enc in ENCODINGS}


def _golden_folder(case: str, encoding: Encoding) -> Path:
    return GOLDEN / (case if encoding == "plain" else f"{case}-convex")


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("case", CASES)
def test_golden(
    case: str, encoding: Encoding, generated: dict[tuple[str, Encoding], dict[str, str]]
) -> None:
    folder = _golden_folder(case, encoding)
    files = generated[case, encoding]
    if os.environ.get("VSCHEMA_UPDATE_GOLDEN") == "1":
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(f"*{FILE_SUFFIX}"):
            stale.unlink()
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8", newline="\n")
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in folder.glob(f"*{FILE_SUFFIX}")}
    problems = []
    for name in sorted(set(on_disk) | set(files)):
        current, text = on_disk.get(name, ""), files.get(name, "")
        if current != text:
            problems.append(
                "".join(
                    difflib.unified_diff(
                        current.splitlines(keepends=True),
                        text.splitlines(keepends=True),
                        fromfile=f"{folder.name}/{name} (golden)",
                        tofile=f"{name} (generated now)",
                    )
                )
            )
    if problems:
        pytest.fail(
            "generated JSON Schema differs from the golden files:\n"
            + "\n".join(problems)
            + "\nIf the change is intended, update with: "
            "VSCHEMA_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_json_schema.py",
            pytrace=False,
        )


def test_files_are_deterministic_and_valid_schemas(
    generated: dict[tuple[str, Encoding], dict[str, str]],
) -> None:
    again = load_schema(str(SOURCES / "stress" / "schema.py"))
    assert _files(again, "plain") == generated["stress", "plain"]
    for files in generated.values():
        for name, text in files.items():
            assert text.isascii(), name
            assert text.endswith("}\n"), name
            Draft202012Validator.check_schema(json.loads(text))


def _table_cases() -> list[tuple[str, str]]:
    out = []
    for case in CASES:
        source = load_schema(str(SOURCES / case / "schema.py"))
        out += [(case, table) for table in source.schema.tables]
    return out


@pytest.mark.parametrize("document", [False, True], ids=["row", "document"])
@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize(("case", "table"), _table_cases())
@settings(max_examples=8, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_tables_agree(
    case: str,
    table: str,
    encoding: Encoding,
    document: bool,
    data: Any,
    sources: dict[str, SchemaSource],
    generated: dict[tuple[str, Encoding], dict[str, str]],
) -> None:
    """Rows and documents of every golden table against its file, through its root (the new
    row) or its ``<Row>Document`` definition."""
    schema = sources[case].schema
    checks = _table_checks(generated, case, table, encoding)
    check = checks[1] if document else checks[0]
    row = without_system_fields(schema.tables[table].validator)
    node = document_validator(table, row) if document else row
    if document:
        is_valid = lambda doc: schema.is_valid_document(table, doc)  # noqa: E731
        errors = lambda doc: _errors(schema.validate_document, table, doc)  # noqa: E731
    else:
        is_valid = lambda r: schema.is_valid(table, r)  # noqa: E731
        errors = lambda r: schema.errors(table, r)  # noqa: E731
    try:
        rows = for_table(schema, table, document=document)
    except InvalidArgument:  # a table no row fits (`v.union()`): its schema must say no
        assert not check({})
        assert not check({"a": 1})
        return
    value = data.draw(rows)
    try:
        encoded = encode(value, node, encoding)
    except NoJsonForm:
        assert encoding == "plain"
    else:
        assert_agrees(check, encoded, node, is_valid, errors, encoding, valid=True)
    bad, _expected = data.draw(invalid_for_table(schema, table, document=document))
    try:
        encoded = encode(bad, node, encoding)
    except NoJsonForm:
        return
    assert_agrees(check, encoded, node, is_valid, errors, encoding, valid=False)


def _errors(method: Callable[[str, Any], Any], table: str, value: Any) -> list[Any]:
    try:
        method(table, value)
    except ValidationError as error:
        return list(error.issues)
    return []


_CHECKS: dict[tuple[str, str, Encoding], tuple[JsonCheck, JsonCheck]] = {}


def _table_checks(
    generated: dict[tuple[str, Encoding], dict[str, str]],
    case: str,
    table: str,
    encoding: Encoding,
) -> tuple[JsonCheck, JsonCheck]:
    """The compiled row and document checks of one table's file, compiled once per run."""
    found = _CHECKS.get((case, table, encoding))
    if found is None:
        root = json.loads(generated[case, encoding][f"{table}{FILE_SUFFIX}"])
        document_name = root["description"].rsplit("#/$defs/", 1)[1]
        as_document = {**root, "$ref": f"#/$defs/{document_name}"}
        found = _CHECKS[case, table, encoding] = (compiled(root), compiled(as_document))
    return found


# -- what JSON Schema cannot state, pinned both ways -----------------------------------------

_NESTED: Any = []
for _ in range(70):
    _NESTED = [_NESTED]
_ONE_TABLE = define_schema({"t": define_table({"s": v.string(), "n": v.optional(v.int64())})})

#: For each flaw of `UNSTATED_FLAWS`: a validator (or a table) and a value with that flaw
#: only, whose JSON the emitted schema accepts in both encodings.
UNSTATED_WITNESSES: dict[str, tuple[Validator | str, Any]] = {
    "invalid_string": (v.string(), "\ud800"),
    "invalid_id": (v.id("users"), "0" * 31),
    "too_nested": (v.any(), _NESTED),
    "too_large": ("t", {"s": "x" * (1 << 20)}),
}
#: For each encoding, values whose only flaw is `NUMBER_FLAWS[encoding]`.
NUMBER_WITNESSES: dict[str, list[tuple[Validator, Any]]] = {
    "plain": [
        (v.int64(), 1.0),
        (v.number(), 2**53 + 1),
        (v.literal(-0.0), 0.0),
        (v.literal(5, int64=True), 5.0),
    ],
    "convex": [(v.number(), 2**53 + 1)],
}
#: Every other issue code a JSON document can have, each with a witness the schema refuses.
STATED_WITNESSES: dict[str, tuple[Validator | str, Any]] = {
    "no_match": (v.union(v.string(), v.null()), 5),
    "literal_mismatch": (v.literal("a"), "b"),
    "missing_field": (v.object({"a": v.string()}), {}),
    "extra_field": (v.object({"a": v.string()}), {"a": "x", "b": 1}),
    "invalid_field_name": (v.record(v.string(), v.string()), {"$a": "x"}),
    "out_of_range": (v.int64(), 2**63),
    "reserved_field": ("t", {"s": "x", "_s": "y"}),
    "too_long": (v.array(v.null()), [None] * 8193),
    "too_many_fields": (v.record(v.string(), v.null()), {f"k{i}": None for i in range(1025)}),
}
#: Codes that are no flaw of a JSON value: a list of issues cut short, text that is no JSON,
#: and a Python value that is no Convex value (in JSON a tuple is a list, a set is nothing).
NOT_VALUE_FLAWS = {"too_many_issues", "invalid_encoding", "unsupported_type"}


def test_unstated_flaws_are_exactly_these() -> None:
    assert set(UNSTATED_FLAWS) == {"invalid_string", "invalid_id", "too_nested", "too_large"}
    assert set(NUMBER_FLAWS) == set(ENCODINGS)
    every = set(get_args(IssueCode))
    assert set(UNSTATED_WITNESSES) == set(UNSTATED_FLAWS)
    assert set(STATED_WITNESSES) == every - set(UNSTATED_FLAWS) - NOT_VALUE_FLAWS


def _witness(subject: Validator | str, value: Any, encoding: Encoding) -> tuple[str, Any, bool]:
    """vschema's first issue code for ``value``, its JSON (None: none), and the schema's
    verdict on that JSON."""
    if isinstance(subject, str):
        code = _ONE_TABLE.errors(subject, value)[0].code
        schema = json_schema(_ONE_TABLE, subject, encoding=encoding)
        node: Validator = _ONE_TABLE.tables[subject].validator
    else:
        code = subject.errors(value)[0].code
        schema = json_schema(subject, encoding=encoding)
        node = subject
    try:
        data = encode(value, node, encoding)
    except NoJsonForm:
        return code, None, False
    return code, data, compiled(schema)(data)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("code", sorted(UNSTATED_WITNESSES))
def test_unstated_flaw_passes_the_schema(code: str, encoding: Encoding) -> None:
    found, data, accepted = _witness(*UNSTATED_WITNESSES[code], encoding)
    assert found == code
    assert data is not None
    assert accepted, f"the schema states {code} now: update UNSTATED_FLAWS"


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_number_flaws_pass_the_schema(encoding: Encoding) -> None:
    for validator, value in NUMBER_WITNESSES[encoding]:
        assert not validator.is_valid(value)
        data = encode(value, validator, encoding)
        assert compiled(json_schema(validator, encoding=encoding))(data), (validator, value)
    if encoding == "convex":
        # Convex JSON spells these apart: the plain encoding's number flaws are stated there.
        for validator, value in NUMBER_WITNESSES["plain"]:
            if value != 2**53 + 1:
                data = encode(value, validator, encoding)
                assert not compiled(json_schema(validator, encoding=encoding))(data)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("code", sorted(STATED_WITNESSES))
def test_stated_flaw_fails_the_schema(code: str, encoding: Encoding) -> None:
    found, data, accepted = _witness(*STATED_WITNESSES[code], encoding)
    assert found == code
    if data is None:
        # An Int64 beyond 64 bits has no `$integer`: Convex JSON cannot even carry the flaw.
        assert (code, encoding) == ("out_of_range", "convex")
        return
    assert not accepted


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_python_only_flaws_are_no_json_flaws(encoding: Encoding) -> None:
    # A tuple is no Convex value, and its JSON is a valid list; a set has no JSON at all.
    assert v.any().errors(("a",))[0].code == "unsupported_type"
    data = encode(("a",), v.any(), encoding)
    assert data == ["a"]
    assert v.any().is_valid(data)
    assert compiled(json_schema(v.any(), encoding=encoding))(data)
    with pytest.raises(NoJsonForm):
        encode({"a"}, v.any(), encoding)


# -- the command line ------------------------------------------------------------------------


def test_cli_writes_one_file_per_table_and_check_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "schema.py").write_text((SOURCES / "stress" / "schema.py").read_text())
    monkeypatch.chdir(tmp_path)
    assert main(["codegen", "schema.py", "--json-schema-out", "out/json"]) == 0
    source = load_schema("schema.py")
    names = sorted(p.name for p in (tmp_path / "out" / "json").iterdir())
    assert names == sorted(f"{table}{FILE_SUFFIX}" for table in source.schema.tables)
    seed = json.loads((tmp_path / "out" / "json" / f"user_a{FILE_SUFFIX}").read_text())
    Draft202012Validator.check_schema(seed)
    assert seed["$comment"].splitlines()[2:] == [
        "Schema: ../../schema.py",
        "Command: cd ../.. && vschema codegen schema.py --json-schema-out out/json",
    ]
    capsys.readouterr()
    assert main(["codegen", "schema.py", "--json-schema-out", "out/json", "--check"]) == 0
    assert "up to date" in capsys.readouterr().out

    stale = tmp_path / "out" / "json" / f"doc{FILE_SUFFIX}"
    stale.write_text(stale.read_text().replace('"of"', '"off"'))
    (tmp_path / "out" / "json" / f"id{FILE_SUFFIX}").unlink()
    assert main(["codegen", "schema.py", "--json-schema-out", "out/json", "--check"]) == 1
    out = capsys.readouterr().out
    assert '+        "of": {' in out
    assert "2 generated file(s) out of date" in out
    # Running from elsewhere writes the same bytes: the header holds no trace of the cwd.
    monkeypatch.chdir(tmp_path / "out")
    assert main(["codegen", "../schema.py", "--json-schema-out", "json"]) == 0
    monkeypatch.chdir(tmp_path)
    assert main(["codegen", "schema.py", "--json-schema-out", "out/json", "--check"]) == 0


def test_cli_convex_encoding_is_in_the_file_and_its_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "schema.py").write_text((SOURCES / "seed" / "schema.py").read_text())
    monkeypatch.chdir(tmp_path)
    flags = ["--json-schema-encoding", "convex"]
    assert main(["codegen", "schema.py", "--json-schema-out", "json", *flags]) == 0
    source = load_schema("schema.py")
    for table in source.schema.tables:
        written = json.loads((tmp_path / "json" / f"{table}{FILE_SUFFIX}").read_text())
        expected = json.loads(
            json_schema_files(source.schema, exports=source.exports, encoding="convex")[
                f"{table}{FILE_SUFFIX}"
            ]
        )
        assert written | {"$comment": ""} == expected | {"$comment": ""}
        assert (
            written["$comment"]
            .splitlines()[-1]
            .endswith("--json-schema-out json --json-schema-encoding convex")
        )
    capsys.readouterr()
    # Without the flag the plain files are meant, so the convex ones are stale.
    assert main(["codegen", "schema.py", "--json-schema-out", "json", *flags, "--check"]) == 0
    assert main(["codegen", "schema.py", "--json-schema-out", "json", "--check"]) == 1


def test_cli_refuses_a_file_as_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "schema.py").write_text((SOURCES / "seed" / "schema.py").read_text())
    (tmp_path / "taken").write_text("")
    monkeypatch.chdir(tmp_path)
    assert main(["codegen", "schema.py", "--json-schema-out", "taken"]) == 2
    assert "--json-schema-out taken: is a file" in capsys.readouterr().err


# -- escaping: the security list of STYLE.md rule 9 ------------------------------------------

_AWKWARD = [
    "quote ' and \" double",
    "back\\slash\\",
    "{x}",
    "new\nline\r\n",
    "line\u2028sep\u2029",
    "*/ end /* start",
    '"""',
    "class",
    "x-y",
    "__proto__",
    "inf",
    "NaN",
    "\u202eevil",
    "$ref",
    "#/$defs/X",
    "",
]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_awkward_literals_and_keys_keep_their_meaning(encoding: Encoding) -> None:
    literals = v.union(*(v.literal(text) for text in _AWKWARD))
    fields = v.object({"class": v.string(), "__proto__": v.literal("inf"), "inf": v.number()})
    record = v.record(v.string(), literals)
    validator = v.object({"one": literals, "fields": fields, "keys": record})
    text = json.dumps(json_schema(validator, encoding=encoding))
    check = compiled(json.loads(text))
    good_fields = {"class": "x", "__proto__": "inf", "inf": 1.5}
    for literal in _AWKWARD:
        keys = {k: literal for k in _AWKWARD if field_name_error(k) is None}
        value = {"one": literal, "fields": good_fields, "keys": keys}
        assert validator.is_valid(value)
        assert check(value)
        assert not check({**value, "one": literal + "x"})
    for bad_key in ("$ref", "new\nline", "line\u2028", "\u202e", "x" * 1025):
        assert not check({"one": "", "fields": good_fields, "keys": {bad_key: ""}})
    assert not check({"one": "", "fields": {**good_fields, "__proto__": "x"}, "keys": {}})
    assert not check({"one": "", "fields": good_fields, "keys": {}, "{x}": 1})


def test_header_text_stays_inside_the_comment() -> None:
    schema = define_schema({"t": define_table({"a": v.string()})})
    origin = 'a"b\\c\n*/{x}\u2028\ud800.py'
    command = 'vschema codegen "x" && rm -rf / # }'
    (text,) = json_schema_files(schema, origin=origin, command=command).values()
    assert text.isascii()
    root = json.loads(text)
    # One line each (line breaks and other unprintable characters become spaces), as the
    # headers of the other generated files have them.
    assert root["$comment"].split("\n")[2:] == [
        "Schema: " + comment_text(origin),
        "Command: " + comment_text(command),
    ]
    assert "\n" not in comment_text(origin)
    assert "\u2028" not in comment_text(origin)
    assert set(root) == {"$schema", "$comment", "title", "description", "$ref", "$defs"}


# -- every kind, shared trees, bad input -----------------------------------------------------


def test_every_node_kind_has_a_schema() -> None:
    one_of_each: dict[type, Validator] = {
        type(node): node
        for node in [
            v.string(),
            v.number(),
            v.int64(),
            v.commitTs(),
            v.boolean(),
            v.null(),
            v.bytes(),
            v.any(),
            v.id("t"),
            v.literal(1),
            v.array(v.null()),
            v.object({}),
            v.record(v.string(), v.null()),
            v.union(),
        ]
    }
    assert set(one_of_each) == set(get_args(Node))
    for encoding in ENCODINGS:
        for node in one_of_each.values():
            compiled(json_schema(node, encoding=encoding))


def test_shared_subtrees_are_defined_once() -> None:
    tree: Validator = v.object({"leaf": v.string(), "n": v.int64()})
    for _ in range(40):  # 2**40 leaves written out
        tree = v.object({"l": tree, "r": tree})
    schema = json_schema(tree)
    assert len(json.dumps(schema)) < 40_000
    check = compiled(schema)
    value: Any = {"leaf": "x", "n": 1}
    for _ in range(3):
        value = {"l": value, "r": value}
    assert not check(value)  # only three levels of forty
    files = json_schema_files(
        define_schema({"t": define_table({"t": tree})}), exports={"tree": tree}
    )
    assert len(files[f"t{FILE_SUFFIX}"]) < 120_000


def test_bad_arguments_are_clear_errors() -> None:
    schema = define_schema({"users": define_table({"a": v.string()})})
    with pytest.raises(SchemaError, match=r"is not in this schema\. Tables in this schema: users"):
        json_schema(schema, "nope")
    with pytest.raises(SchemaError, match="is not in this schema"):
        json_schema(schema)
    with pytest.raises(SchemaError, match="encoding must be 'plain' or 'convex'"):
        json_schema(v.string(), encoding="yaml")  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="table and document apply to a Schema only"):
        json_schema(v.string(), "users")
    with pytest.raises(SchemaError, match="needs a validator built with v"):
        json_schema({"a": v.string()})  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="needs a Schema"):
        json_schema_files(v.string())  # type: ignore[arg-type]
    clash = define_schema({"Users": define_table({}), "users": define_table({})})
    with pytest.raises(SchemaError, match='tables "Users" and "users" would both be written'):
        json_schema_files(clash)


def test_table_documents_and_open_tables() -> None:
    schema = define_schema(
        {"notes": define_table({"text": v.string()}), "blobs": define_table(v.any())}
    )
    note_id = new_id(1)
    row, document = (
        compiled(json_schema(schema, "notes")),
        compiled(json_schema(schema, "notes", document=True)),
    )
    assert row({"text": "a"})
    assert not row({"text": "a", "_id": note_id})
    stored = {"text": "a", "_id": note_id, "_creationTime": 1.5}
    assert document(stored)
    assert not document({**stored, "_creationTime": 0})
    assert not document({**stored, "_other": 1})
    assert not document({"text": "a"})
    open_row = compiled(json_schema(schema, "blobs"))
    open_document = compiled(json_schema(schema, "blobs", document=True))
    assert open_row({"anything": [1, {"deep": None}]})
    assert not open_row({"_x": 1})
    assert open_document({"a": 1, "_id": note_id, "_creationTime": 2.0})
    assert not open_document({"a": 1, "_id": note_id, "_creationTime": 2.0, "_x": 1})
    assert not open_document({"a": 1})
