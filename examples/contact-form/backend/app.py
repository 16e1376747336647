"""The contact form's backend: one Starlette app that checks, stores and lists inquiries.

- ``POST /api/inquiries`` takes a JSON inquiry, checks it with the typed entry point that
  ``vschema codegen`` wrote into ``schema_types.py``, and stores it in SQLite: 201 with the stored
  row; 422 with every issue (path, code, message) when the inquiry does not match the schema;
  400 when the body is not JSON. Nothing invalid is stored.
- ``GET /api/inquiries`` lists the stored inquiries, oldest first.
- Everything else is the static site that ``astro build`` wrote into ``../site/dist``.

Run it from the repository root with ``make example``, or by hand::

    .venv/bin/python examples/contact-form/backend/app.py --port 8000

``CONTACT_FORM_DB`` and ``CONTACT_FORM_SITE`` override where the database and the site live
(``uvicorn app:app --app-dir examples/contact-form/backend`` reads them too).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from vschema import ValidationError

from schema_types import Inquiry, parse_inquiry

HERE = Path(__file__).resolve().parent
DEFAULT_DATABASE = HERE / "inquiries.sqlite3"
DEFAULT_SITE = HERE.parent / "site" / "dist"

#: An inquiry is a few short texts; anything bigger is refused before it is parsed.
MAX_BODY_BYTES = 64 * 1024

_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS inquiries (
    id INTEGER PRIMARY KEY,
    created_at REAL NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    project_type TEXT NOT NULL,
    description TEXT NOT NULL
);
-- The schema's `by_email` index; Convex appends the creation time to every index, so do we.
CREATE INDEX IF NOT EXISTS by_email ON inquiries (email, created_at);
"""


class InquiryStore:
    """The ``inquiries`` table in a SQLite file; one short connection per call."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path)

    def create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as connection, connection:
            connection.executescript(_SCHEMA_SQL)

    def add(self, inquiry: Inquiry) -> dict[str, object]:
        """Store a checked inquiry; return it as the API shows it."""
        created_at = time.time() * 1000
        with closing(self._connect()) as connection, connection:
            cursor = connection.execute(
                "INSERT INTO inquiries (created_at, name, email, project_type, description)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    created_at,
                    inquiry["name"],
                    inquiry["email"],
                    inquiry["projectType"],
                    inquiry["description"],
                ),
            )
            row_id = cursor.lastrowid
        return {"id": row_id, "createdAt": created_at, **inquiry}

    def all(self) -> list[dict[str, object]]:
        """Every stored inquiry, oldest first, each checked again on the way out."""
        with closing(self._connect()) as connection:
            rows = connection.execute(
                "SELECT id, created_at, name, email, project_type, description"
                " FROM inquiries ORDER BY id"
            ).fetchall()
        listed: list[dict[str, object]] = []
        for row_id, created_at, name, email, project_type, description in rows:
            inquiry = parse_inquiry(
                {
                    "name": name,
                    "email": email,
                    "projectType": project_type,
                    "description": description,
                }
            )
            listed.append({"id": row_id, "createdAt": created_at, **inquiry})
        return listed


def _reject_constant(name: str) -> float:
    # Python's json reads NaN and Infinity, which no browser's JSON.stringify writes.
    raise ValueError(f"{name} is not JSON")


def _parse_json(body: bytes) -> object:
    """The body as JSON; ValueError if it is not (bad UTF-8, bad syntax, NaN, too deep)."""
    try:
        # Decoded first: json.loads would also take UTF-16 and UTF-32, which JSON on the web is not.
        return json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def create_app(database: Path = DEFAULT_DATABASE, site: Path = DEFAULT_SITE) -> Starlette:
    """The backend storing into the SQLite file ``database`` and serving the site in ``site``."""
    store = InquiryStore(database)

    async def add_inquiry(request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return _error(413, f"the body is over {MAX_BODY_BYTES} bytes")
        try:
            payload = _parse_json(body)
        except ValueError as error:
            return _error(400, f"the body is not valid JSON: {error}")
        try:
            inquiry = parse_inquiry(payload)
        except ValidationError as error:
            issues = [issue.as_dict() for issue in error.issues]
            return JSONResponse({"issues": issues}, status_code=422)
        stored = await run_in_threadpool(store.add, inquiry)
        return JSONResponse(stored, status_code=201)

    async def list_inquiries(request: Request) -> Response:
        return JSONResponse({"inquiries": await run_in_threadpool(store.all)})

    async def site_not_built(request: Request) -> Response:
        return PlainTextResponse(
            f"The site is not built yet ({site} is missing): run `npm run build` in "
            "examples/contact-form/site, or `make example` from the repository root.",
            status_code=503,
        )

    routes: list[BaseRoute] = [
        Route("/api/inquiries", add_inquiry, methods=["POST"]),
        Route("/api/inquiries", list_inquiries, methods=["GET"]),
    ]
    if site.is_dir():
        routes.append(Mount("/", app=StaticFiles(directory=site, html=True), name="site"))
    else:
        routes.append(Route("/", site_not_built))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(store.create)
        yield

    return Starlette(routes=routes, lifespan=lifespan)


def _path_from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value) if value else default


#: What ``uvicorn app:app`` serves.
app = create_app(
    _path_from_env("CONTACT_FORM_DB", DEFAULT_DATABASE),
    _path_from_env("CONTACT_FORM_SITE", DEFAULT_SITE),
)


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description="Serve the contact form: its API and its site.")
    parser.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1 (loopback only)")
    parser.add_argument("--port", type=int, default=8000, help="default: 8000")
    args = parser.parse_args()
    print(f"Contact form on http://{args.host}:{args.port}/ (Ctrl-C to stop)")
    uvicorn.run(app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
