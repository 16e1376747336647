"""The timed workloads: schemas, payloads, and the contenders that check them.

Every workload carries valid and invalid sample payloads. Before any contender is timed, the
pre-checks (`precheck`) assert that it accepts every valid sample and rejects every invalid one,
except the documented differences (`Case.accepted_by`), which must then really be accepted: if a
peer grows stricter, the benchmark says so instead of silently comparing different work.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks import handwritten as hw
from benchmarks import peers
from vschema import ValidationError, Validator, v

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


def flat_rows_payload(count: int = 10_000) -> list[dict[str, Any]]:
    return [flat_payload(i) for i in range(count)]


# --------------------------------------------------------------------------------------------
# Samples

JSON_PEERS = frozenset({"fastjsonschema", "jsonschema"})
#: Peers that accept strings with lone surrogates (not valid UTF-8, so no Convex string).
SURROGATE_OK = frozenset({"pydantic", "msgspec", "fastjsonschema", "jsonschema"})


@dataclass(frozen=True)
class Case:
    """An invalid sample; ``accepted_by`` names the peers documented to accept it anyway."""

    label: str
    payload: Any
    accepted_by: frozenset[str] = frozenset()
    json: bool = True  # whether the sample survives a trip through JSON (for the JSON workloads)
    #: who accepts it arriving as JSON bytes, when that differs from ``accepted_by``
    json_accepted_by: frozenset[str] | None = None


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
            {"msgspec", "fastjsonschema"},
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
    ]


def int64_array_cases() -> list[Case]:
    array = int64_array_payload()
    return [
        Case("bool element", _set(array, (999,), True)),
        Case("int64 overflow", _set(array, (500,), 2**63)),
        Case("float element", _set(array, (3,), 3.0), JSON_PEERS),
        Case("string element", _set(array, (0,), "0")),
        Case("too long", list(range(8193))),
        Case("tuple", tuple(array), {"msgspec", "fastjsonschema"}, json=False),
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
    object, and check that it points at ``expected_path``).
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
    expected_path: tuple[Any, ...] = ()
    vschema_api: str = "validate"  # for "reject": "validate" (catch the error) or "errors"
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


def _decode_errors() -> tuple[type[BaseException], ...]:
    # json.JSONDecodeError and orjson.JSONDecodeError are both ValueErrors.
    return (ValueError,)


def contenders(workload: Workload) -> list[Contender]:
    """Hand-written, vschema, then every installed peer, ready for ``workload``."""
    validator = workload.validator
    hand = workload.handwritten
    validate = validator.validate
    out: list[Contender] = []
    if workload.kind == "dict":
        if workload.batch:

            def vschema_batch(rows: list[Any]) -> list[Any]:
                for row in rows:
                    validate(row)
                return rows

            out.append(
                Contender("vschema", vschema_batch, _accepts(vschema_batch, ValidationError))
            )
        else:
            out.append(Contender("vschema", validate, _accepts(validate, ValidationError)))
        for peer in peers.installed():
            checks = peers.PEER_CHECKS[peer](validator, batch=workload.batch)
            out.append(
                Contender(peer, checks.validate, _accepts(checks.validate, *peer_errors(peer)))
            )
        out.insert(0, Contender("hand-written", hand, _accepts(hand, hw.Invalid)))
    elif workload.kind == "json":
        loader = workload.loader
        assert loader is not None
        decode_errors = _decode_errors()

        def hand_json(data: bytes) -> Any:
            return hand(loader(data))

        vschema_json: Callable[[bytes], Any]
        if loader is json.loads:
            # vschema's own entry point, which parses with the standard library's json.
            vschema_json = validator.validate_json
        else:

            def vschema_json(data: bytes) -> Any:
                return validate(loader(data))

        out.append(
            Contender("hand-written", hand_json, _accepts(hand_json, hw.Invalid, *decode_errors))
        )
        out.append(
            Contender(
                "vschema", vschema_json, _accepts(vschema_json, ValidationError, *decode_errors)
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

        def hand_reject(value: Any) -> object:
            try:
                hand(value)
            except hw.Invalid as error:
                return error
            return None

        out.append(Contender("hand-written", hand_reject, _accepts(hand, hw.Invalid)))
        vschema_reject: Callable[[Any], object]
        if workload.vschema_api == "errors":
            vschema_reject = validator.errors
        else:

            def vschema_reject(value: Any) -> object:
                try:
                    validate(value)
                except ValidationError as error:
                    return error.issues
                return None

        out.append(Contender("vschema", vschema_reject, _accepts(validate, ValidationError)))
        for peer in peers.installed():
            checks = peers.PEER_CHECKS[peer](validator)
            out.append(
                Contender(peer, checks.reject, _accepts(checks.validate, *peer_errors(peer)))
            )
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
    for api in ("validate", "errors"):
        suffix = "" if api == "validate" else ", errors()"
        workloads.append(
            Workload(
                f"reject-flat{'-errors' if api == 'errors' else ''}",
                f"reject flat row{suffix}",
                FLAT,
                hw.flat_row,
                flat_bad,
                [flat_payload()],
                [flat_invalid[-1]],
                kind="reject",
                expected_path=("visits",),
                vschema_api=api,
                accept_key="flat",
            )
        )
    for api in ("validate", "errors"):
        suffix = "" if api == "validate" else ", errors()"
        workloads.append(
            Workload(
                f"reject-nested{'-errors' if api == 'errors' else ''}",
                f"reject nested row{suffix}",
                NESTED,
                hw.nested_row,
                nested_bad,
                [nested_payload()],
                [nested_invalid[-1]],
                kind="reject",
                expected_path=("attachment", "height"),
                vschema_api=api,
                accept_key="nested",
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
        for loader_name, loader in (("orjson.loads", orjson.loads), ("json.loads", json.loads)):
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
            # refuse it while decoding; json.loads hands it to the validator.
            escaped = json.dumps(_set(payload, surrogate, "Ada \udc00")).encode()
            lenient = JSON_PEERS if loader_name == "json.loads" else frozenset()
            cases.append(Case("escaped lone surrogate", escaped, lenient))
            workloads.append(
                Workload(
                    f"json-{key}-{loader_name.split('.')[0]}",
                    f"JSON {title} ({loader_name})",
                    validator,
                    hand,
                    json.dumps(payload).encode(),
                    [json.dumps(sample).encode() for sample in valid],
                    cases,
                    kind="json",
                    loader=loader,
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
    if workload.kind == "reject":
        error = contender.run(workload.payload)
        if not error:
            problems.append("returns no error object for the timed invalid payload")
        elif contender.name == "vschema":
            issues = list(error)  # type: ignore[call-overload]
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
