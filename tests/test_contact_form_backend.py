"""The contact form's backend over HTTP: what it stores, what it refuses, and how it says so.

The backend runs as it does for users (uvicorn in a subprocess, on loopback), without the site.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from contact_form_support import backend, request

VALID = {
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "projectType": "ai_agent",
    "description": "An agent that reads my inbox.",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("contact-form-backend")
    database = folder / "inquiries.sqlite3"
    with backend(database, folder / "no-site") as base:
        yield base, database


def stored(database: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT name, email, project_type, description FROM inquiries ORDER BY id"
        ).fetchall()


def post(base: str, payload: object) -> tuple[int, Any]:
    return request(base, "POST", "/api/inquiries", json.dumps(payload).encode())


def test_a_valid_inquiry_is_stored_and_listed(server: tuple[str, Path]) -> None:
    base, database = server
    before = stored(database)
    status, body = post(base, VALID)
    assert status == 201, body
    assert isinstance(body, dict)
    assert {key: body[key] for key in VALID} == VALID
    assert isinstance(body["id"], int)
    assert stored(database) == [*before, tuple(VALID.values())]
    status, listing = request(base, "GET", "/api/inquiries")
    assert status == 200
    assert body in listing["inquiries"]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        pytest.param(
            {**VALID, "projectType": "compiler"},
            [(["projectType"], "literal_mismatch")],
            id="unknown-project-type",
        ),
        pytest.param(
            {"name": 42, "email": "x@example.com", "projectType": "other", "phone": "555-0100"},
            [
                (["description"], "missing_field"),
                (["name"], "no_match"),
                (["phone"], "extra_field"),
            ],
            id="several-issues",
        ),
        pytest.param(["not", "an", "object"], [([], "no_match")], id="not-an-object"),
        pytest.param({**VALID, "_id": "abc"}, [(["_id"], "reserved_field")], id="system-field"),
    ],
)
def test_an_invalid_inquiry_gets_422_with_every_issue(
    server: tuple[str, Path], payload: object, expected: list[tuple[list[object], str]]
) -> None:
    base, database = server
    before = stored(database)
    status, body = post(base, payload)
    assert status == 422, body
    assert isinstance(body, dict)
    assert [(issue["path"], issue["code"]) for issue in body["issues"]] == expected
    assert all(isinstance(issue["summary"], str) and issue["summary"] for issue in body["issues"])
    # The safe form: no Convex message, which would echo the payload and the validator.
    assert all("message" not in issue for issue in body["issues"])
    assert stored(database) == before


def test_the_422_body_is_the_issues_as_dicts(server: tuple[str, Path]) -> None:
    status, body = post(server[0], {**VALID, "projectType": "compiler"})
    assert status == 422
    assert body == {
        "issues": [
            {
                "path": ["projectType"],
                "code": "literal_mismatch",
                "summary": 'Must be one of "saas_mvp", "ai_agent", "automation", "other"',
                "expected": 'one of "saas_mvp", "ai_agent", "automation", "other"',
                "received": "string",
            }
        ]
    }


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'{"name": "Ada",', id="truncated"),
        pytest.param(b"", id="empty"),
        pytest.param(b"\xff\xfe{}", id="not-utf8"),
        pytest.param(
            json.dumps(
                {"name": "Ada", "email": "a@b.c", "projectType": "other", "description": "d"}
            ).encode("utf-16"),
            id="utf16-with-bom",
        ),
        pytest.param(b'{"name": NaN}', id="nan"),
        pytest.param(b"[" * 5000 + b"]" * 5000, id="too-deep"),
    ],
)
def test_malformed_json_gets_400(server: tuple[str, Path], body: bytes) -> None:
    base, database = server
    before = stored(database)
    status, answer = request(base, "POST", "/api/inquiries", body)
    assert status == 400, answer
    assert "not valid JSON" in answer["error"]
    assert stored(database) == before


def test_a_huge_body_gets_413(server: tuple[str, Path]) -> None:
    base, database = server
    before = stored(database)
    status, answer = post(base, {**VALID, "description": "x" * 100_000})
    assert status == 413, answer
    assert stored(database) == before


def test_without_a_built_site_the_root_says_how_to_build_it(server: tuple[str, Path]) -> None:
    status, text = request(server[0], "GET", "/")
    assert status == 503
    assert "npm run build" in text
