"""`vschema.pydantic`: FastAPI and pydantic validate with vschema (issue 13).

* The contrast first: a bare ``TypedDict`` body is checked by pydantic's lax rules (``"12"``
  becomes ``12.0``, any string is an ID, unknown fields vanish), the claim of the issue.
* With ``Annotated[Row, Validated(schema, table)]``, FastAPI's real ``TestClient`` gets 422 for
  each rule pydantic would let through, one error per vschema issue, ``ctx`` its safe form;
  valid bodies pass unchanged; `install` drops the echoed ``input`` and survives a lone
  surrogate, which FastAPI's own handler does not.
* For random validators, `Validated` agrees with ``validator.validate`` on every valid and
  invalid draw, issue for issue.
* ``/openapi.json`` holds the JSON Schema that `vschema.codegen.json_schema` emits; its
  ``$defs`` become OpenAPI components, and the real ``jsonschema`` validator, reading the
  OpenAPI document, accepts and refuses bodies as the emitted schema does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Annotated, Any, cast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import BaseModel, TypeAdapter
from pydantic_core import ValidationError as PydanticValidationError
from typing_extensions import TypedDict

from vschema import (
    SchemaError,
    ValidationError,
    define_schema,
    define_table,
    new_id,
    to_convex_json,
    v,
)
from vschema.codegen._json_schema import json_schema
from vschema.pydantic import Validated, install
from vschema.strategies import from_validator, invalid, validators

schema = define_schema(
    {
        "users": define_table({"name": v.string()}),
        "orders": define_table(
            {
                "amount": v.number(),
                "owner": v.id("users"),
                "note": v.string(),
                "tags": v.optional(v.array(v.string())),
            }
        ),
    }
)


class Order(TypedDict):
    amount: float
    owner: str
    note: str


GOOD: dict[str, Any] = {"amount": 12, "owner": new_id(10001, bytes(16)), "note": "hi"}

#: Each vschema rule pydantic's own rules let through: (what, body as JSON text).
REFUSED = [
    ("a string for a number", json.dumps({**GOOD, "amount": "12"})),
    ("a bad id", json.dumps({**GOOD, "owner": "not-an-id"})),
    ("an extra field", json.dumps({**GOOD, "coupon": "FREE"})),
    ("a bool for a number", json.dumps({**GOOD, "amount": True})),
    ("an int beyond 2**53 for a float64", json.dumps({**GOOD, "amount": 2**53 + 1})),
    # JSON's escape: the text is ASCII, the string it means holds a lone surrogate.
    ("a lone surrogate", json.dumps({**GOOD, "note": "\ud800"})),
]


def _app(*, installed: bool) -> FastAPI:
    app = FastAPI()
    if installed:
        install(app)

    @app.post("/orders")
    def create(order: Annotated[Order, Validated(schema, "orders")]) -> dict[str, Any]:
        return {"stored": order}

    return app


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(_app(installed=True))


def _post(client: TestClient, body: str) -> Any:
    return client.post("/orders", content=body, headers={"content-type": "application/json"})


# -- the contrast: what a bare TypedDict body does -------------------------------------------


def test_a_bare_typeddict_body_is_checked_by_pydantics_lax_rules() -> None:
    # The issue's claim, reproduced: FastAPI validates the TypedDict with pydantic, which
    # coerces "12" to 12.0, takes any string as an ID and silently drops an unknown field.
    app = FastAPI()

    @app.post("/orders")
    def create(order: Order) -> dict[str, Any]:
        return {"stored": order}

    response = TestClient(app).post(
        "/orders", json={"amount": "12", "owner": "not-an-id", "note": "x", "coupon": "FREE"}
    )
    assert response.status_code == 200
    assert response.json() == {"stored": {"amount": 12.0, "owner": "not-an-id", "note": "x"}}
    assert schema.errors("orders", {"amount": "12", "owner": "not-an-id", "note": "x"})


# -- FastAPI with Validated ------------------------------------------------------------------


def test_valid_bodies_are_accepted(client: TestClient) -> None:
    for body in (GOOD, {**GOOD, "tags": []}, {**GOOD, "amount": 2**53, "tags": ["a", "b"]}):
        response = _post(client, json.dumps(body))
        assert response.status_code == 200, response.text
        assert response.json() == {"stored": body}


def test_the_value_is_returned_unchanged() -> None:
    # No pydantic coercion, no copy: the very object, as schema.validate returns it.
    adapter = TypeAdapter(Annotated[Order, Validated(schema, "orders")])
    row = {**GOOD, "amount": 12}
    assert adapter.validate_python(row) is row
    assert type(adapter.validate_python(row)["amount"]) is int


@pytest.mark.parametrize(("what", "body"), REFUSED, ids=[what for what, _ in REFUSED])
def test_each_rule_pydantic_lets_through_is_a_422_with_vschemas_issue(
    client: TestClient, what: str, body: str
) -> None:
    response = _post(client, body)
    assert response.status_code == 422, response.text
    assert response.text.isascii()
    expected = schema.errors("orders", json.loads(body))
    assert len(expected) == 1, what
    assert response.json() == {
        "detail": [
            {
                "type": f"vschema.{issue.code}",
                "loc": ["body", *cast("list[str | int]", issue.as_dict()["path"])],
                "msg": issue.summary,
                "ctx": issue.as_dict(),
            }
            for issue in expected
        ]
    }


def test_every_issue_is_reported_in_vschemas_order(client: TestClient) -> None:
    bad = {"amount": "12", "owner": "x", "tags": ["a", 3], "coupon": 1}
    detail = _post(client, json.dumps(bad)).json()["detail"]
    issues = schema.errors("orders", bad)
    assert [d["ctx"] for d in detail] == [i.as_dict() for i in issues]
    assert [d["loc"] for d in detail] == [["body", *i.path] for i in issues]
    assert ["body", "tags", 1] in [d["loc"] for d in detail]
    assert {i.code for i in issues} >= {"no_match", "invalid_id", "missing_field", "extra_field"}


def test_fastapis_own_handler_also_carries_the_issues_but_echoes_the_input() -> None:
    # Without install(app): the same errors, plus pydantic's `input` (the value at the path).
    client = TestClient(_app(installed=False))
    response = _post(client, REFUSED[0][1])
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["input"] == "12"
    assert error["ctx"] == schema.errors("orders", json.loads(REFUSED[0][1]))[0].as_dict()
    # And why install() exists: FastAPI's handler cannot encode a lone surrogate it echoes.
    with pytest.raises(UnicodeEncodeError):
        _post(client, REFUSED[-1][1])


def test_install_keeps_pydantics_own_errors_without_their_input() -> None:
    app = FastAPI()
    install(app)

    @app.get("/items")
    def items(limit: int) -> dict[str, int]:
        return {"limit": limit}

    response = TestClient(app).get("/items", params={"limit": "many"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["type"] == "int_parsing"
    assert error["loc"] == ["query", "limit"]
    assert "input" not in error


def test_a_response_model_checks_documents_on_the_way_out() -> None:
    app = FastAPI()
    document = {**GOOD, "_id": new_id(10002, bytes(16)), "_creationTime": 1.5}

    @app.get(
        "/orders/{number}",
        response_model=Annotated[Order, Validated(schema, "orders", document=True)],
    )
    def read(number: int) -> Any:
        return document if number == 1 else {**document, "_id": 7}

    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/orders/1").json() == document
    assert client.get("/orders/2").status_code == 500  # the server's own bad data


# -- pydantic models and the validator form --------------------------------------------------


def test_a_model_field_with_a_validator_reports_the_path_under_the_field() -> None:
    class Payload(BaseModel):
        point: Annotated[dict[str, Any], Validated(v.object({"x": v.float64(), "y": v.int64()}))]

    assert Payload(point={"x": 1, "y": 2**62}).point == {"x": 1, "y": 2**62}
    with pytest.raises(PydanticValidationError) as caught:
        Payload(point={"x": True, "y": 1.5})
    errors = caught.value.errors()
    assert [(e["type"], e["loc"], e["input"]) for e in errors] == [
        ("vschema.no_match", ("point", "x"), True),
        ("vschema.no_match", ("point", "y"), 1.5),
    ]


def test_issue_text_is_never_filled_in_twice() -> None:
    # pydantic fills "{name}" in a message from ctx; a field named "{code}" stays itself.
    adapter = TypeAdapter(Annotated[Any, Validated(v.object({}))])
    with pytest.raises(PydanticValidationError) as caught:
        adapter.validate_python({"{code}": 1, "{summary}": 2, "{expected}": 3})
    assert sorted(e["msg"] for e in caught.value.errors()) == [
        'Unknown field "{code}"',
        'Unknown field "{expected}"',
        'Unknown field "{summary}"',
    ]


def test_stored_documents_are_checked_as_documents() -> None:
    adapter = TypeAdapter(Annotated[Any, Validated(schema, "orders", document=True)])
    document = {**GOOD, "_id": new_id(10002, bytes(16)), "_creationTime": 1.5}
    assert adapter.validate_python(document) is document
    with pytest.raises(PydanticValidationError) as caught:
        adapter.validate_python(GOOD)
    assert {e["loc"] for e in caught.value.errors()} == {("_id",), ("_creationTime",)}
    rows = TypeAdapter(Annotated[Any, Validated(schema, "orders")])
    with pytest.raises(PydanticValidationError) as caught:
        rows.validate_python(document)
    assert {e["type"] for e in caught.value.errors()} == {"vschema.reserved_field"}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: Validated(schema, "order"), 'Table "order" is not in this schema'),
        (lambda: Validated(schema), 'name the table, e.g. Validated(schema, "users")'),
        (lambda: Validated(v.string(), "users"), "takes no table"),
        (lambda: Validated(v.string(), document=True), "takes no table"),
        (lambda: Validated({"name": v.string()}), "got dict"),  # type: ignore[arg-type]
        (lambda: Validated(schema, "users", document=1), "must be a bool"),  # type: ignore[arg-type]
        (lambda: Validated(v.string(), encoding="json"), "'plain' or 'convex'"),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments_are_schema_errors_when_written(call: Any, message: str) -> None:
    with pytest.raises(SchemaError) as caught:
        call()
    assert message in str(caught.value)


def test_validated_is_a_value() -> None:
    assert Validated(schema, "users") == Validated(schema, "users")
    assert Validated(schema, "users") != Validated(schema, "users", document=True)
    assert hash(Validated(v.string())) == hash(Validated(v.string()))
    assert repr(Validated(schema, "users", document=True)) == (
        "Validated(<schema>, 'users', document=True)"
    )
    assert repr(Validated(v.string())) == "Validated(v.string())"
    assert (
        repr(Validated(v.bytes(), encoding="convex")) == "Validated(v.bytes(), encoding='convex')"
    )
    assert Validated(v.bytes()) != Validated(v.bytes(), encoding="convex")


def test_importing_it_loads_neither_pydantic_nor_fastapi() -> None:
    code = (
        "import sys, vschema.pydantic\n"
        "from vschema import v\n"
        "vschema.pydantic.Validated(v.string())\n"
        "print(sorted(m for m in ('pydantic', 'pydantic_core', 'fastapi') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout == "[]\n"


# -- agreement with vschema on random validators ---------------------------------------------


@settings(max_examples=40)
@given(st.data())
def test_validated_agrees_with_the_validator(data: st.DataObject) -> None:
    validator = data.draw(validators(), label="validator")
    adapter = TypeAdapter(Annotated[Any, Validated(validator)])
    good = data.draw(from_validator(validator), label="valid")
    assert adapter.validate_python(good) is good
    bad, _ = data.draw(invalid(validator), label="invalid")
    issues = validator.errors(bad)
    with pytest.raises(PydanticValidationError) as caught:
        adapter.validate_python(bad)
    errors = caught.value.errors()
    assert [e["ctx"] for e in errors] == [i.as_dict() for i in issues]
    assert [e["type"] for e in errors] == [f"vschema.{i.code}" for i in issues]
    with pytest.raises(ValidationError):
        validator.validate(bad)


# -- OpenAPI -------------------------------------------------------------------------------


def _request_schema(openapi: dict[str, Any], path: str) -> dict[str, Any]:
    body = openapi["paths"][path]["post"]["requestBody"]
    schema: dict[str, Any] = body["content"]["application/json"]["schema"]
    return schema


def test_openapi_holds_the_emitted_json_schema(client: TestClient) -> None:
    openapi = client.get("/openapi.json").json()
    emitted = json_schema(schema, "orders")
    del emitted["$schema"]
    shown = _request_schema(openapi, "/orders")
    assert shown.pop("title") == "Order"  # pydantic's title for the body: its only addition
    assert shown == emitted
    assert shown["additionalProperties"] is False
    assert shown["properties"]["owner"]["pattern"] == emitted["properties"]["owner"]["pattern"]


# At module level: FastAPI resolves the (postponed) annotation in the module's namespace.
events = define_schema({"events": define_table({"kind": v.literal("click"), "payload": v.any()})})


def test_emitted_definitions_become_openapi_components() -> None:
    # v.any() is the recursive `ConvexValue` definition: it must resolve inside /openapi.json.
    app = FastAPI()

    @app.post("/events")
    def create(event: Annotated[dict[str, Any], Validated(events, "events")]) -> None:
        return None

    openapi = TestClient(app).get("/openapi.json").json()
    shown = _request_schema(openapi, "/events")
    reference = shown["properties"]["payload"]["$ref"]
    assert reference.startswith("#/components/schemas/")
    component = openapi["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert component == _same_refs(json_schema(events, "events")["$defs"]["ConvexValue"], reference)
    # The real validator, reading the OpenAPI document itself, agrees with vschema.
    checker = Draft202012Validator(
        {**openapi, "$ref": "#/paths/~1events/post/requestBody/content/application~1json/schema"}
    )
    good = {"kind": "click", "payload": {"x": [1, "two", None]}}
    assert checker.is_valid(good)
    assert events.is_valid("events", good)
    for bad in ({**good, "kind": "tap"}, {**good, "extra": 1}, {"kind": "click"}):
        assert not checker.is_valid(bad)
        assert not events.is_valid("events", bad)
    assert not checker.is_valid({**good, "payload": {"$bad": 1}})


def _same_refs(definition: dict[str, Any], reference: str) -> dict[str, Any]:
    """``definition`` with its references to itself written as ``reference``."""
    text = json.dumps(definition).replace('"#/$defs/ConvexValue"', json.dumps(reference))
    result: dict[str, Any] = json.loads(text)
    return result


# -- Convex JSON: Int64, bytes and special floats over HTTP ----------------------------------

files = define_schema(
    {"files": define_table({"size": v.int64(), "data": v.bytes(), "ratio": v.float64()})}
)
FileRow = Annotated[dict[str, Any], Validated(files, "files", encoding="convex")]


def test_the_convex_encoding_carries_what_plain_json_cannot() -> None:
    app = FastAPI()
    install(app)
    received: list[dict[str, Any]] = []

    @app.post("/files")
    def upload(row: FileRow) -> FileRow:
        received.append(row)
        return row

    client = TestClient(app)
    row = {"size": 2**40, "data": b"\x00\xff", "ratio": float("-inf")}
    body = to_convex_json(row, files.tables["files"].validator)
    response = client.post("/files", json=body)
    assert response.status_code == 200, response.text
    assert received == [row]  # decoded before the handler sees it
    assert response.json() == body  # and written back as Convex JSON
    # A base64 string is no bytes, and a broken $integer is no Int64.
    for bad, code in [
        ({**body, "data": "AP8="}, "no_match"),
        ({**body, "size": {"$integer": "AA=="}}, "invalid_encoding"),
    ]:
        response = client.post("/files", json=bad)
        assert response.status_code == 422, response.text
        assert [e["type"] for e in response.json()["detail"]] == [f"vschema.{code}"]
    shown = _request_schema(client.get("/openapi.json").json(), "/files")
    shown.pop("title")
    emitted = json_schema(files, "files", encoding="convex")
    del emitted["$schema"]
    assert shown == emitted
    assert shown["properties"]["data"]["required"] == ["$bytes"]
