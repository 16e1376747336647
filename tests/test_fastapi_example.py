"""The FastAPI example (``examples/fastapi``), in process with FastAPI's real ``TestClient``.

- its generated ``schema_types.py`` is current (``vschema codegen --check``);
- a valid inquiry is stored as a Convex-style document and listed; each kind of bad inquiry is a
  422 carrying vschema's issues, and nothing of it is stored;
- the listing checks stored documents on the way out;
- ``/openapi.json`` documents the body with the emitted JSON Schema.

No server is started and no port is used; ``make fastapi-example`` serves the same app.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

from vschema.cli import main
from vschema.codegen._json_schema import json_schema

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "fastapi"
CODEGEN = ["codegen", "schema.py", "--py-out", "schema_types.py"]

INQUIRY = {
    "name": "Ada",
    "email": "ada@example.com",
    "projectType": "ai_agent",
    "description": "An agent that answers support mail.",
}


@pytest.fixture(scope="module")
def example() -> Iterator[ModuleType]:
    """The example's ``app`` module, with its own ``schema_types`` (the contact form's tests
    import a module of that name too: whichever was loaded is set aside, then put back)."""
    saved = sys.modules.pop("schema_types", None)
    sys.path.insert(0, str(EXAMPLE))
    try:
        spec = importlib.util.spec_from_file_location("fastapi_example_app", EXAMPLE / "app.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.generated = sys.modules["schema_types"]  # the example's generated module
        yield module
    finally:
        sys.path.remove(str(EXAMPLE))
        sys.modules.pop("schema_types", None)
        if saved is not None:
            sys.modules["schema_types"] = saved


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "inquiries.sqlite3"


@pytest.fixture
def client(example: ModuleType, database: Path) -> TestClient:
    return TestClient(example.create_app(database), raise_server_exceptions=False)


def _post(client: TestClient, body: str) -> Any:
    return client.post("/inquiries", content=body, headers={"content-type": "application/json"})


def test_the_generated_module_is_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLE)
    assert main([*CODEGEN, "--check"]) == 0, (
        "examples/fastapi/schema_types.py is stale: run `make fastapi-example`, or in "
        "examples/fastapi `python -m vschema codegen schema.py --py-out schema_types.py`"
    )


def test_a_valid_inquiry_is_stored_and_listed(
    client: TestClient, example: ModuleType, database: Path
) -> None:
    created = client.post("/inquiries", json=INQUIRY)
    assert created.status_code == 201, created.text
    document = created.json()
    assert {key: document[key] for key in INQUIRY} == INQUIRY
    # A stored document as the schema defines it: a valid Convex ID and a creation time.
    assert example.generated.is_inquiry_document(document)
    listed = client.get("/inquiries")
    assert listed.status_code == 200
    assert listed.json() == [document]
    [row] = sqlite3.connect(database).execute("SELECT id, name FROM inquiries").fetchall()
    assert row == (document["_id"], "Ada")


BAD = [
    ("an unknown project type", {**INQUIRY, "projectType": "website"}, "literal_mismatch"),
    ("a missing field", {k: v for k, v in INQUIRY.items() if k != "email"}, "missing_field"),
    ("a number for a string", {**INQUIRY, "name": 42}, "no_match"),
    ("an extra field", {**INQUIRY, "phone": "555"}, "extra_field"),
    ("a system field", {**INQUIRY, "_id": "x"}, "reserved_field"),
    ("a lone surrogate", {**INQUIRY, "description": "\ud800"}, "invalid_string"),
]


@pytest.mark.parametrize(("what", "body", "code"), BAD, ids=[what for what, _, _ in BAD])
def test_a_bad_inquiry_is_a_422_with_vschemas_issue_and_is_not_stored(
    client: TestClient, what: str, body: dict[str, Any], code: str
) -> None:
    response = _post(client, json.dumps(body))
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["type"] == f"vschema.{code}"
    assert error["ctx"]["code"] == code
    assert error["loc"][0] == "body"
    assert "input" not in error  # install(app): nothing the client sent is echoed
    assert client.get("/inquiries").json() == []


def test_the_listing_checks_stored_documents_on_the_way_out(
    client: TestClient, database: Path
) -> None:
    assert client.post("/inquiries", json=INQUIRY).status_code == 201
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE inquiries SET project_type = 'website'")
    # The app's own data no longer matches the schema: a server error, not a bad document sent.
    assert client.get("/inquiries").status_code == 500


def test_openapi_documents_the_body_with_the_emitted_json_schema(
    client: TestClient, example: ModuleType
) -> None:
    openapi = client.get("/openapi.json").json()
    body = openapi["paths"]["/inquiries"]["post"]["requestBody"]["content"]["application/json"]
    shown = dict(body["schema"])
    shown.pop("title")
    emitted = json_schema(example.generated.schema, "inquiries")
    del emitted["$schema"]
    assert shown == emitted
    assert shown["properties"]["projectType"] == {
        "enum": ["saas_mvp", "ai_agent", "automation", "other"]
    }


def test_the_make_target_regenerates_and_serves_the_example() -> None:
    result = subprocess.run(
        ["make", "-n", "fastapi-example"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "vschema codegen schema.py --py-out schema_types.py" in result.stdout
    assert "app.py --port" in result.stdout
    usage = subprocess.run(
        [sys.executable, "app.py", "--help"],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert usage.returncode == 0, usage.stderr
    assert "--port" in usage.stdout
