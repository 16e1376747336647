"""The timed workloads: schemas, payloads, and the contenders that check them.

Every workload carries valid and invalid sample payloads. Before any contender is timed, the
pre-checks (`precheck`) assert that it accepts every valid sample and rejects every invalid one,
except the documented differences (`Case.accepted_by`), which must then really be accepted: if a
peer grows stricter, the benchmark says so instead of silently comparing different work.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks import handwritten as hw
from benchmarks import peers
from vschema import Issue, ValidationError, Validator, new_id, v

# --------------------------------------------------------------------------------------------
# Schemas

FLAT = v.object(
    {
        "id": v.string(),
        "name": v.string(),
        "email": v.string(),
        "plan": v.union(v.literal("free"), v.literal("pro"), v.literal("team")),
        "age": v.number(),
        "score": v.float64(),
        "active": v.boolean(),
        "visits": v.int64(),
    }
)

NESTED = v.object(
    {
        "id": v.string(),
        "author": v.object(
            {"name": v.string(), "email": v.optional(v.string()), "karma": v.int64()}
        ),
        "title": v.string(),
        "body": v.nullable(v.string()),
        "tags": v.array(v.string()),
        "scores": v.array(v.float64()),
        "attachment": v.union(
            v.object(
                {
                    "kind": v.literal("image"),
                    "url": v.string(),
                    "width": v.int64(),
                    "height": v.int64(),
                }
            ),
            v.object(
                {"kind": v.literal("link"), "url": v.string(), "title": v.optional(v.string())}
            ),
        ),
        "meta": v.record(v.string(), v.string()),
        "views": v.int64(),
        "published": v.optional(v.boolean()),
    }
)

_WIDE_TYPES = (v.string(), v.float64(), v.int64(), v.boolean(), v.optional(v.string()))
WIDE = v.object({f"f{i:02d}": _WIDE_TYPES[i % 5] for i in range(50)})


def _deep(level: int) -> Validator:
    fields: dict[str, Validator] = {"name": v.string(), "depth": v.int64()}
    if level < hw.DEEP_LEVELS - 1:
        fields["child"] = _deep(level + 1)
    return v.object(fields)


DEEP = _deep(0)
INT64_ARRAY = v.array(v.int64())
FLOAT_RECORD = v.record(v.string(), v.float64())
IDS = v.object({"authorId": v.id("users"), "postId": v.id("posts"), "text": v.string()})
ADDRESS = v.object({"city": v.string(), "country": v.union(*(v.literal(c) for c in hw.COUNTRIES))})

# --------------------------------------------------------------------------------------------
# Payloads


def flat_payload(i: int = 0) -> dict[str, Any]:
    return {
        "id": f"u_{i:06d}",
        "name": "Ada Lovelace",
        "email": f"ada{i}@example.com",
        "plan": ("free", "pro", "team")[i % 3],
        "age": 36 + i % 40,
        "score": 97.5 - i % 13,
        "active": i % 2 == 0,
        "visits": 1234 + i,
    }


def nested_payload() -> dict[str, Any]:
    return {
        "id": "post_000042",
        "author": {"name": "Grace Hopper", "email": "grace@example.com", "karma": 1906},
        "title": "Compilers for everyone",
        "body": "A naïve café owner asks: what does a compiler do?",
        "tags": ["compilers", "history", "cobol"],
        "scores": [4.5, 3.0, 5.0, 4.0],
        "attachment": {
            "kind": "image",
            "url": "https://example.com/a.png",
            "width": 640,
            "height": 480,
        },
        "meta": {"lang": "en", "source": "import", "reviewed-by": "ada"},
        "views": 123456,
        "published": True,
    }


def wide_payload() -> dict[str, Any]:
    values = ("text", 2.5, 42, True, "optional")
    return {f"f{i:02d}": values[i % 5] for i in range(50)}


def deep_payload() -> dict[str, Any]:
    node: dict[str, Any] = {"name": f"level {hw.DEEP_LEVELS - 1}", "depth": hw.DEEP_LEVELS - 1}
    for level in reversed(range(hw.DEEP_LEVELS - 1)):
        node = {"name": f"level {level}", "depth": level, "child": node}
    return node


def int64_array_payload() -> list[int]:
    return [(i - 500) * 1_000_000_007 for i in range(1000)]


def float_record_payload() -> dict[str, float]:
    return {f"key{i:04d}": i * 0.5 for i in range(1000)}


def ids_payload() -> dict[str, Any]:
    # Fixed bytes, so every run checks the same IDs: a 31-character one (table number below
    # 2**7) and a 32-character one.
    return {
        "authorId": new_id(3, bytes(range(16))),
        "postId": new_id(10001, bytes(range(16, 32))),
        "text": "Nice post!",
    }


def address_payload(country: int = 41) -> dict[str, Any]:
    # A late member of the union, so a check trying the literals in turn pays for it.
    return {"city": "Lyon", "country": hw.COUNTRIES[country]}


def flat_rows_payload(count: int = 10_000) -> list[dict[str, Any]]:
    return [flat_payload(i) for i in range(count)]


# --------------------------------------------------------------------------------------------
# Samples

JSON_PEERS = frozenset({"fastjsonschema", "jsonschema"})
#: Peers that accept strings with lone surrogates (not valid UTF-8, so no Convex string).
SURROGATE_OK = frozenset({"pydantic", "msgspec", "fastjsonschema", "jsonschema"})
#: Peers that accept an object keyed by a `str` subclass (vschema takes only exact `str` keys;
#: msgspec's Structs refuse one).
KEY_SUBCLASS_OK = frozenset({"pydantic", "fastjsonschema", "jsonschema"})
#: The same for a record's keys: every peer accepts them there.
RECORD_KEY_SUBCLASS_OK = frozenset({"pydantic", "msgspec", "fastjsonschema", "jsonschema"})
#: Peers that accept a `str` subclass equal to a string literal as that literal.
STR_SUBCLASS_OK = frozenset({"pydantic", "msgspec", "fastjsonschema", "jsonschema"})
#: Peers that accept an ID with a wrong checksum, spare bits set or table number 0: a pattern
#: states the alphabet and the lengths, no more.
ID_PEERS = frozenset({"pydantic", "msgspec", "fastjsonschema", "jsonschema"})


@dataclass(frozen=True)
class Case:
    """An invalid sample; ``accepted_by`` names the peers documented to accept it anyway."""

    label: str
    payload: Any
    accepted_by: frozenset[str] = frozenset()
    json: bool = True  # whether the sample survives a trip through JSON (for the JSON workloads)
    #: who accepts it arriving as JSON bytes, when that differs from ``accepted_by``
    json_accepted_by: frozenset[str] | None = None


class SubStr(str):
    """A `str` subclass. vschema's rules take only exact `str` keys (a subclass could answer
    lookups through its own ``__eq__``), so a dict keyed by one is invalid."""


def _subclass_key(payload: Any, path: tuple[Any, ...]) -> Any:
    """``payload`` with the key at ``path`` replaced by an equal `SubStr`, in the same place."""
    out = copy.deepcopy(payload)
    target = out
    for key in path[:-1]:
        target = target[key]
    items = [(SubStr(k) if k == path[-1] else k, item) for k, item in target.items()]
    target.clear()
    target.update(items)
    return out


def _set(payload: Any, path: tuple[Any, ...], value: Any) -> Any:
    out = copy.deepcopy(payload)
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return out


def _drop(payload: Any, path: tuple[Any, ...]) -> Any:
    out = copy.deepcopy(payload)
    target = out
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return out


def flat_cases() -> list[Case]:
    row = flat_payload()
    return [
        Case("not an object", [row]),
        Case("missing field", _drop(row, ("email",))),
        Case("extra field", _set(row, ("nickname",), "ada")),
        Case("null for a string", _set(row, ("email",), None)),
        Case("bool for a number", _set(row, ("age",), True)),
        Case("string for a number", _set(row, ("score",), "97.5")),
        Case(
            "int beyond 2**53 for float64",
            _set(row, ("age",), 2**53 + 1),
            JSON_PEERS,
            # pydantic's InstanceOf[float] falls back to its lax float schema for JSON input.
            json_accepted_by=JSON_PEERS | {"pydantic"},
        ),
        Case("float for int64", _set(row, ("visits",), 1234.0), JSON_PEERS),
        Case("bool for int64", _set(row, ("visits",), True)),
        Case("int64 overflow", _set(row, ("visits",), 2**63)),
        Case("literal mismatch", _set(row, ("plan",), "gold")),
        Case("lone surrogate", _set(row, ("name",), "Ada \udc00"), SURROGATE_OK, json=False),
        Case("str-subclass key", _subclass_key(row, ("email",)), KEY_SUBCLASS_OK, json=False),
        Case("wrong type in last field", _set(row, ("visits",), "1234")),
    ]


def nested_cases() -> list[Case]:
    row = nested_payload()
    link = {"kind": "link", "url": "https://example.com", "title": "Example"}
    return [
        Case("missing nested field", _drop(row, ("author", "karma"))),
        Case("extra nested field", _set(row, ("author", "age"), 30)),
        Case("null for an optional field", _set(row, ("author", "email"), None)),
        Case("nullable field absent", _drop(row, ("body",))),
        Case("int in a string array", _set(row, ("tags", 1), 7)),
        Case(
            "tuple for an array",
            _set(row, ("tags",), ("a", "b")),
            frozenset({"msgspec", "fastjsonschema"}),
            json=False,
        ),
        Case("array too long", _set(row, ("tags",), ["t"] * 8193)),
        Case("bool in a float64 array", _set(row, ("scores", 2), False)),
        Case("unknown union tag", _set(row, ("attachment", "kind"), "video")),
        Case("union member missing a field", _drop(row, ("attachment", "height"))),
        Case("union member extra field", _set(row, ("attachment",), {**link, "width": 3})),
        Case("record key starting with $", _set(row, ("meta", "$ref"), "x")),
        Case("record key not ASCII", _set(row, ("meta", "clé"), "x")),
        Case("record value wrong type", _set(row, ("meta", "lang"), 1)),
        Case("float for int64", _set(row, ("views",), 10.0), JSON_PEERS),
        Case("null for an optional bool", _set(row, ("published",), None)),
        Case(
            "lone surrogate in an array", _set(row, ("tags", 0), "\ud83d"), SURROGATE_OK, json=False
        ),
        Case("str-subclass key", _subclass_key(row, ("title",)), KEY_SUBCLASS_OK, json=False),
        Case(
            "str-subclass key in a nested object",
            _subclass_key(row, ("author", "name")),
            KEY_SUBCLASS_OK,
            json=False,
        ),
        Case(
            "str-subclass record key",
            _subclass_key(row, ("meta", "lang")),
            RECORD_KEY_SUBCLASS_OK,
            json=False,
        ),
        Case("wrong type deep in a union member", _set(row, ("attachment", "height"), "480")),
    ]


def nested_valid() -> list[Any]:
    row = nested_payload()
    link = {"kind": "link", "url": "https://example.com"}
    return [
        row,
        _drop(_drop(row, ("published",)), ("author", "email")),
        _set(_set(row, ("body",), None), ("attachment",), link),
        _set(_set(row, ("attachment",), {**link, "title": "x"}), ("meta",), {}),
        _set(_set(row, ("tags",), []), ("scores",), [1, -(2**53), 2.5]),
    ]


def wide_cases() -> list[Case]:
    row = wide_payload()
    return [
        Case("missing field", _drop(row, ("f20",))),
        Case("extra field", _set(row, ("f50",), 1)),
        Case("null for an optional string", _set(row, ("f04",), None)),
        Case("bool for int64", _set(row, ("f12",), False)),
        Case("str-subclass key", _subclass_key(row, ("f33",)), KEY_SUBCLASS_OK, json=False),
        Case("wrong type in last field", _set(row, ("f48",), "yes")),
    ]


def deep_cases() -> list[Case]:
    row = deep_payload()
    inner = ("child",) * (hw.DEEP_LEVELS - 1)
    return [
        Case("wrong type at the bottom", _set(row, (*inner, "depth"), "11")),
        Case("extra field half way", _set(row, (*inner[:6], "extra"), 1)),
        Case("missing child", _drop(row, (*inner[:-1], "child"))),
        Case("leaf with a child", _set(row, (*inner, "child"), {"name": "x", "depth": 12})),
        Case(
            "str-subclass key at the bottom",
            _subclass_key(row, (*inner, "name")),
            KEY_SUBCLASS_OK,
            json=False,
        ),
    ]


def int64_array_cases() -> list[Case]:
    array = int64_array_payload()
    return [
        Case("bool element", _set(array, (999,), True)),
        Case("int64 overflow", _set(array, (500,), 2**63)),
        Case("float element", _set(array, (3,), 3.0), JSON_PEERS),
        Case("string element", _set(array, (0,), "0")),
        Case("too long", list(range(8193))),
        Case("tuple", tuple(array), frozenset({"msgspec", "fastjsonschema"}), json=False),
    ]


def float_record_cases() -> list[Case]:
    record = float_record_payload()
    return [
        Case("key starting with $", _set(record, ("$key",), 1.0)),
        Case("key not ASCII", _set(record, ("ключ",), 1.0)),
        Case("key with a control character", _set(record, ("a\nb",), 1.0)),
        Case("key too long", _set(record, ("k" * 1025,), 1.0)),
        Case("bool value", _set(record, ("key0500",), True)),
        Case("string value", _set(record, ("key0999",), "1")),
        Case("int beyond 2**53", _set(record, ("key0001",), 2**53 + 1), JSON_PEERS),
        Case("too many entries", {f"k{i}": 1.0 for i in range(1025)}),
        Case(
            "str-subclass key",
            _subclass_key(record, ("key0700",)),
            RECORD_KEY_SUBCLASS_OK,
            json=False,
        ),
    ]


def _id_with_spare_bits(text: str) -> str:
    """``text`` (a 31-character ID, 3 spare bits) with a spare bit set: the same bytes, but not
    the canonical encoding, which Convex refuses."""
    alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
    return text[:-1] + alphabet[alphabet.index(text[-1]) ^ 1]


def _id_of_table_zero() -> str:
    """A well-formed, checksummed ID of table number 0, which is no table."""
    body = bytes(17)
    c0 = sum(body) & 0xFF
    c1 = sum(itertools.accumulate(body)) & 0xFF
    data = int.from_bytes(body + bytes((c0, c1)), "big") << 3  # 19 bytes, 3 spare bits
    digits = "0123456789abcdefghjkmnpqrstvwxyz"
    return "".join(digits[data >> (5 * i) & 31] for i in reversed(range(31)))


def ids_cases() -> list[Case]:
    row = ids_payload()
    good = row["authorId"]
    flipped = good[:5] + ("a" if good[5] != "a" else "b") + good[6:]
    return [
        Case("wrong checksum", _set(row, ("authorId",), flipped), ID_PEERS),
        Case(
            "stray bits in the last character",
            _set(row, ("authorId",), _id_with_spare_bits(good)),
            ID_PEERS,
        ),
        Case("table number 0", _set(row, ("postId",), _id_of_table_zero()), ID_PEERS),
        Case("wrong length", _set(row, ("postId",), good[:-1])),
        Case("upper case", _set(row, ("authorId",), good.upper())),
        Case("letter outside Crockford base32", _set(row, ("authorId",), "i" + good[1:])),
        Case("int for an ID", _set(row, ("postId",), 10001)),
        Case("str-subclass key", _subclass_key(row, ("text",)), KEY_SUBCLASS_OK, json=False),
    ]


def address_cases() -> list[Case]:
    row = address_payload()
    return [
        Case("not one of the literals", _set(row, ("country",), "country-50")),
        Case("a literal's prefix", _set(row, ("country",), "country-4")),
        Case("int for a literal", _set(row, ("country",), 41)),
        Case(
            "str-subclass value",
            _set(row, ("country",), SubStr(hw.COUNTRIES[3])),
            STR_SUBCLASS_OK,
            json=False,
        ),
        Case("str-subclass key", _subclass_key(row, ("city",)), KEY_SUBCLASS_OK, json=False),
    ]


def flat_rows_cases(rows: list[dict[str, Any]]) -> list[Case]:
    return [
        Case(
            f"row 5000: {case.label}", [*rows[:5000], case.payload, *rows[5001:]], case.accepted_by
        )
        for case in flat_cases()
        if case.label != "not an object"
    ]


# --------------------------------------------------------------------------------------------
# Contenders and workloads


#: The contender of a reject workload that accepts its valid twin: ``validate`` of the valid
#: row, whatever the payload (the target "rejecting within 2x of accepting" divides by it).
ACCEPTING = "vschema validate, the valid row"


@dataclass(frozen=True)
class Contender:
    """One way to check a workload's payload: ``run`` is timed, ``accepts`` is pre-checked."""

    name: str
    run: Callable[[Any], object]
    accepts: Callable[[Any], bool]


@dataclass
class Workload:
    """A payload to time, with the samples every contender must judge alike first.

    ``kind`` is "dict" (validate a Python value), "json" (bytes in: ``loader`` then validate, or
    the peer's own JSON entry point) or "reject" (an invalid payload: time producing the error
    object, of the first issue or of all, and check that it points at ``expected_path``).
    """

    key: str
    title: str
    validator: Validator
    handwritten: Callable[[Any], Any]
    payload: Any
    valid: list[Any]
    invalid: list[Case]
    kind: str = "dict"
    loader: Callable[[bytes], Any] | None = None
    loader_name: str = ""  # for "json": "orjson" or "json" (the standard library)
    expected_path: tuple[Any, ...] = ()
    #: for "reject": "first" (the first issue, where a contender can stop there) or "all"
    reject_mode: str = "first"
    batch: bool = False  # peers check the whole list with their list type
    accept_key: str = ""  # for "reject": the workload accepting the valid twin


def _accepts(run: Callable[[Any], object], *errors: type[BaseException]) -> Callable[[Any], bool]:
    def accepts(payload: Any) -> bool:
        try:
            run(payload)
        except errors:
            return False
        return True

    return accepts


def peer_errors(peer: str) -> tuple[type[BaseException], ...]:
    """The exceptions with which ``peer`` says no."""
    if peer == "pydantic":
        import pydantic

        return (pydantic.ValidationError,)
    if peer == "msgspec":
        import msgspec

        return (msgspec.ValidationError, msgspec.DecodeError)
    if peer == "fastjsonschema":
        import fastjsonschema

        return (fastjsonschema.JsonSchemaValueException,)
    import jsonschema

    return (jsonschema.ValidationError,)


def _verdict(run: Callable[[Any], bool], *errors: type[BaseException]) -> Callable[[Any], bool]:
    """``run``'s boolean answer, and no for an input that ``errors`` say is no JSON."""

    def accepts(payload: Any) -> bool:
        try:
            return run(payload)
        except errors:
            return False

    return accepts


def _decode_errors() -> tuple[type[BaseException], ...]:
    # json.JSONDecodeError and orjson.JSONDecodeError are both ValueErrors.
    return (ValueError,)


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


_STDLIB_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def stdlib_loads(data: bytes) -> Any:
    """The standard library's parser exactly as ``validator.validate_json`` calls it: UTF-8
    text into one reused `json.JSONDecoder` (``json.loads`` builds its decoder and sniffs the
    encoding on every call, which costs more than some of the checks timed here)."""
    return _STDLIB_DECODER.decode(data.decode("utf-8"))


def contenders(workload: Workload) -> list[Contender]:
    """Hand-written, vschema (``validate``, then ``is_valid``), then every installed peer."""
    validator = workload.validator
    hand = workload.handwritten
    validate = validator.validate
    is_valid = validator.is_valid
    out: list[Contender] = []
    if workload.kind == "dict":
        out.append(Contender("hand-written", hand, _accepts(hand, hw.Invalid)))
        if workload.batch:

            def vschema_batch(rows: list[Any]) -> list[Any]:
                for row in rows:
                    validate(row)
                return rows

            def vschema_batch_is_valid(rows: list[Any]) -> bool:
                return all(map(is_valid, rows))

            out.append(
                Contender("vschema", vschema_batch, _accepts(vschema_batch, ValidationError))
            )
            out.append(
                Contender("vschema is_valid", vschema_batch_is_valid, vschema_batch_is_valid)
            )
        else:
            out.append(Contender("vschema", validate, _accepts(validate, ValidationError)))
            out.append(Contender("vschema is_valid", is_valid, is_valid))
        for peer in peers.installed():
            checks = peers.PEER_CHECKS[peer](validator, batch=workload.batch)
            out.append(
                Contender(peer, checks.validate, _accepts(checks.validate, *peer_errors(peer)))
            )
    elif workload.kind == "json":
        loader = workload.loader
        assert loader is not None
        decode_errors = _decode_errors()

        def hand_json(data: bytes) -> Any:
            return hand(loader(data))

        vschema_json: Callable[[bytes], Any]
        if loader is stdlib_loads:
            # vschema's own entry point; `stdlib_loads` is its parse step, so both sides parse
            # alike.
            vschema_json = validator.validate_json
        else:

            def vschema_json(data: bytes) -> Any:
                return validate(loader(data))

        def vschema_json_is_valid(data: bytes) -> bool:
            return is_valid(loader(data))

        out.append(
            Contender("hand-written", hand_json, _accepts(hand_json, hw.Invalid, *decode_errors))
        )
        out.append(
            Contender(
                "vschema", vschema_json, _accepts(vschema_json, ValidationError, *decode_errors)
            )
        )
        out.append(
            Contender(
                "vschema is_valid",
                vschema_json_is_valid,
                _verdict(vschema_json_is_valid, *decode_errors),
            )
        )
        for peer in peers.installed():
            checks = peers.PEER_CHECKS[peer](validator)
            run: Callable[[bytes], object]
            if checks.validate_json is not None:
                run = checks.validate_json
            else:
                peer_validate = checks.validate

                def run(
                    data: bytes, peer_validate: Callable[[Any], object] = peer_validate
                ) -> object:
                    return peer_validate(loader(data))

            out.append(Contender(peer, run, _accepts(run, *peer_errors(peer), *decode_errors)))
    elif workload.kind == "reject":
        first = workload.reject_mode == "first"

        def hand_reject(value: Any) -> object:
            try:
                hand(value)
            except hw.Invalid as error:
                return error
            return None

        # The baseline stops at the first issue in both rows: it is the unit of both.
        out.append(Contender("hand-written", hand_reject, _accepts(hand, hw.Invalid)))
        vschema_reject: Callable[[Any], object]
        if first:
            vschema_reject = validator.first_issue
        else:
            vschema_reject = validator.errors
        out.append(Contender("vschema", vschema_reject, _accepts(validate, ValidationError)))
        if not first:
            # Accepting the valid twin, in the same rounds: the rejection target's unit.
            twin = workload.valid[0]
            out.append(
                Contender(
                    ACCEPTING, lambda _bad: validate(twin), _accepts(validate, ValidationError)
                )
            )
        for peer in peers.installed():
            checks = peers.PEER_CHECKS[peer](validator)
            reject = checks.reject if first else checks.reject_all
            if reject is None:
                continue  # the peer stops at the first issue: no all-issues time to show
            out.append(Contender(peer, reject, _accepts(checks.validate, *peer_errors(peer))))
    else:
        raise ValueError(f"unknown workload kind {workload.kind!r}")
    return out


def build(quick: bool = False) -> list[Workload]:
    """Every timed workload, in report order."""
    import orjson

    rows = flat_rows_payload(10_000)
    flat_invalid = flat_cases()
    nested_invalid = nested_cases()
    flat_bad = flat_invalid[-1].payload  # wrong type in the last field
    nested_bad = nested_invalid[-1].payload  # wrong type deep inside the tagged union
    workloads = [
        Workload(
            "flat",
            "flat row",
            FLAT,
            hw.flat_row,
            flat_payload(),
            [flat_payload(i) for i in range(6)],
            flat_invalid,
        ),
        Workload(
            "nested",
            "nested row",
            NESTED,
            hw.nested_row,
            nested_payload(),
            nested_valid(),
            nested_invalid,
        ),
        Workload(
            "batch",
            "10,000 flat rows (per row)",
            FLAT,
            hw.flat_rows,
            rows,
            [rows],
            flat_rows_cases(rows) if not quick else flat_rows_cases(rows)[:4],
            batch=True,
        ),
    ]
    for family, validator, hand, bad, good, path in (
        ("flat", FLAT, hw.flat_row, flat_bad, flat_payload(), ("visits",)),
        ("nested", NESTED, hw.nested_row, nested_bad, nested_payload(), ("attachment", "height")),
    ):
        for mode in ("first", "all"):
            workloads.append(
                Workload(
                    f"reject-{family}-{mode}",
                    f"reject {family} row, {'first issue' if mode == 'first' else 'all issues'}",
                    validator,
                    hand,
                    bad,
                    [good],
                    [Case("the timed payload", bad)],
                    kind="reject",
                    expected_path=path,
                    reject_mode=mode,
                    accept_key=family,
                )
            )
    for key, title, validator, hand, payload, valid, invalid, surrogate in (
        (
            "flat",
            "flat row",
            FLAT,
            hw.flat_row,
            flat_payload(),
            [flat_payload(i) for i in range(3)],
            flat_invalid,
            ("name",),
        ),
        (
            "nested",
            "nested row",
            NESTED,
            hw.nested_row,
            nested_payload(),
            nested_valid(),
            nested_invalid,
            ("title",),
        ),
    ):
        for loader_name, loader in (("orjson", orjson.loads), ("json", stdlib_loads)):
            cases = [
                Case(
                    case.label,
                    json.dumps(case.payload).encode(),
                    case.accepted_by if case.json_accepted_by is None else case.json_accepted_by,
                )
                for case in invalid
                if case.json
            ]
            # A lone surrogate reaches Python only escaped in JSON: orjson, pydantic and msgspec
            # refuse it while decoding; the standard library hands it to the validator.
            escaped = json.dumps(_set(payload, surrogate, "Ada \udc00")).encode()
            lenient = JSON_PEERS if loader_name == "json" else frozenset()
            cases.append(Case("escaped lone surrogate", escaped, lenient))
            workloads.append(
                Workload(
                    f"json-{key}-{loader_name}",
                    f"JSON {title} ({loader_name})",
                    validator,
                    hand,
                    json.dumps(payload).encode(),
                    [json.dumps(sample).encode() for sample in valid],
                    cases,
                    kind="json",
                    loader=loader,
                    loader_name=loader_name,
                )
            )
    workloads += [
        Workload(
            "wide",
            "wide object (50 fields)",
            WIDE,
            hw.wide_object,
            wide_payload(),
            [wide_payload(), {k: x for k, x in wide_payload().items() if k[-1] not in "49"}],
            wide_cases(),
        ),
        Workload(
            "deep",
            "deep object (12 levels)",
            DEEP,
            hw.deep_object,
            deep_payload(),
            [deep_payload()],
            deep_cases(),
        ),
        Workload(
            "int64-array",
            "array of 1,000 int64",
            INT64_ARRAY,
            hw.int64_array,
            int64_array_payload(),
            [int64_array_payload(), [], [2**63 - 1, -(2**63)]],
            int64_array_cases(),
        ),
        Workload(
            "record",
            "record of 1,000 entries",
            FLOAT_RECORD,
            hw.float_record,
            float_record_payload(),
            [float_record_payload(), {}, {"": 1, "a b": 2**53, "~": -0.0}],
            float_record_cases(),
        ),
        Workload(
            "ids",
            "object with 2 IDs",
            IDS,
            hw.ids_object,
            ids_payload(),
            [
                ids_payload(),
                {
                    "authorId": new_id(2**32 - 1, bytes(16)),
                    "postId": new_id(2**21, b"\xff" * 16),
                    "text": "",
                },
                {"authorId": new_id(200), "postId": new_id(2**14 + 1), "text": "x"},
            ],
            ids_cases(),
        ),
        Workload(
            "literals",
            "union of 50 literals",
            ADDRESS,
            hw.address,
            address_payload(),
            [address_payload(i) for i in (0, 25, 49)],
            address_cases(),
        ),
    ]
    return workloads


class PrecheckError(AssertionError):
    """A contender judged a sample differently from vschema's rules (beyond the documented)."""


def precheck(workload: Workload, contender: Contender) -> None:
    """Assert ``contender`` accepts every valid sample and rejects every invalid one, except
    exactly the documented differences; for "reject" workloads also that its error object
    exists (and, for vschema and the baseline, points at the expected path)."""
    problems = []
    for index, sample in enumerate(workload.valid):
        if not contender.accepts(sample):
            problems.append(f"rejects valid sample {index}")
    for case in workload.invalid:
        expected = contender.name in case.accepted_by
        if contender.accepts(case.payload) != expected:
            verdict = (
                "accepts" if not expected else "now rejects (update the documented difference)"
            )
            problems.append(f"{verdict} invalid sample {case.label!r}")
    if workload.kind == "reject" and contender.name == ACCEPTING:
        if contender.run(workload.payload) is not workload.valid[0]:
            problems.append("does not return the valid twin")
    elif workload.kind == "reject":
        error = contender.run(workload.payload)
        if not error:
            problems.append("returns no error object for the timed invalid payload")
        elif contender.name == "vschema":
            # `first_issue` returns one Issue (itself a tuple), `errors()` a list of them.
            issues = [error] if isinstance(error, Issue) else list(error)  # type: ignore[call-overload]
            if issues[0].path != workload.expected_path:
                problems.append(f"reports {issues[0].path}, expected {workload.expected_path}")
        elif contender.name == "hand-written":
            path = error.path  # type: ignore[attr-defined]
            if path != workload.expected_path:
                problems.append(f"reports {path}, expected {workload.expected_path}")
    else:
        result = contender.run(workload.payload)
        returns_payload = contender.name in ("vschema", "hand-written") and workload.kind == "dict"
        if returns_payload and result is not workload.payload:
            problems.append("does not return the payload itself")
    if problems:
        raise PrecheckError(f"{workload.title} / {contender.name}: " + "; ".join(problems))
