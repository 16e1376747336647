"""The contact form's backend: one Starlette app that checks, stores and lists inquiries.

- ``POST /api/inquiries`` takes a JSON inquiry, checks it with the typed entry point that
  ``vschema codegen`` wrote into ``schema_types.py``, and stores it in SQLite: 201 with the stored
  row; 422 with every issue in its safe form (``issue.as_dict()``: path, code, summary,
  expected, received; nothing the client sent is echoed) when the inquiry does not match; 400
  when the body is not JSON; 413 when it is over 64 KiB; 415 when it is not sent as
  ``application/json``; 503 with ``Retry-After`` when the database stays locked. Nothing invalid
  is stored, and no request body makes it answer 500.
- ``GET /api/inquiries`` lists the stored inquiries, oldest first. It is an unauthenticated demo
  listing: anyone who can reach the server can read every inquiry.
- Everything else is the static site that ``astro build`` wrote into ``../site/dist``.

Run it from the repository root with ``make example``, or by hand::

    .venv/bin/python examples/contact-form/backend/app.py --port 8000

``CONTACT_FORM_DB`` and ``CONTACT_FORM_SITE`` override where the database and the site live, and
``CONTACT_FORM_BUSY_TIMEOUT`` how many seconds a write waits for the database's lock (default 5)
(``uvicorn app:app --app-dir examples/contact-form/backend`` reads them too).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, closing, contextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from vschema import ValidationError

from schema_types import Inquiry, parse_inquiry

HERE = Path(__file__).resolve().parent
DEFAULT_DATABASE = HERE / "inquiries.sqlite3"
DEFAULT_SITE = HERE.parent / "site" / "dist"

#: An inquiry is a few short texts; a bigger body is refused as soon as that is known.
MAX_BODY_BYTES = 64 * 1024

#: Seconds a write waits for another connection's write lock before the answer is 503.
BUSY_TIMEOUT = 5.0

#: What a 503 tells the client: try again in this many seconds.
RETRY_AFTER_SECONDS = 1

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


class StoreBusy(Exception):
    """The database stayed locked by another connection for the whole busy timeout."""


@contextmanager
def _busy_is_store_busy() -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as error:
        # SQLITE_BUSY and SQLITE_LOCKED; Python 3.10 has no `sqlite_errorcode`, only the message.
        if str(error) in {"database is locked", "database table is locked"}:
            raise StoreBusy from error
        raise


class InquiryStore:
    """The ``inquiries`` table in a SQLite file; one short connection per call.

    The file is in WAL mode, so readers never block the writer nor it them, and every write
    transaction takes the write lock when it begins (``BEGIN IMMEDIATE``). A write that finds it
    taken waits up to ``busy_timeout`` seconds, then raises `StoreBusy`. (In the default rollback
    mode, listings held off writers: under 50 concurrent requests, some posts waited past their
    timeout and were lost with a 500.)
    """

    def __init__(self, path: Path, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.path = path
        self.busy_timeout = busy_timeout

    def _connect(self) -> sqlite3.Connection:
        # isolation_level="IMMEDIATE": the implicit BEGIN before an INSERT is BEGIN IMMEDIATE. A
        # deferred transaction would first read, then upgrade to the write lock, and SQLite does
        # not wait (it answers "locked" at once) when that upgrade could deadlock or the snapshot
        # is stale.
        return sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level="IMMEDIATE")

    def create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as connection, connection:
            # Persistent: the file stays in WAL mode for every later connection.
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(_SCHEMA_SQL)

    def add(self, inquiry: Inquiry) -> dict[str, object]:
        """Store a checked inquiry; return it as the API shows it. `StoreBusy` if locked."""
        created_at = time.time() * 1000
        with _busy_is_store_busy(), closing(self._connect()) as connection, connection:
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
        with _busy_is_store_busy(), closing(self._connect()) as connection:
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


class _AsciiJSONResponse(JSONResponse):
    """JSON with every non-ASCII character escaped, so rendering never fails on text.

    Starlette's JSONResponse encodes its text as UTF-8, which raises on a lone surrogate, and
    a client can put one in a field name (``{"\\ud800": 1}``) that an issue then quotes.
    """

    def render(self, content: object) -> bytes:
        text = json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
        return text.encode("ascii")


#: For an answer sent before the whole body was read: closing is the only way to stop reading
#: it (uvicorn would otherwise read and discard the rest to keep the connection).
_CLOSE = {"connection": "close"}


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return _AsciiJSONResponse({"error": message}, status_code=status, headers=headers)


def _is_json(content_type: str | None) -> bool:
    """Whether the body is declared ``application/json``, in UTF-8 if a charset is given.

    A page on another site can post ``text/plain``, form-encoded or multipart bodies here
    without asking (no CORS preflight); ``application/json`` needs a preflight, which this
    server never grants, so only pages it serves can post inquiries.
    """
    if content_type is None:
        return False
    media_type, *parameters = content_type.split(";")
    if media_type.strip().lower() != "application/json":
        return False
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() != "utf-8":
            return False
    return True


def _declared_length(request: Request) -> int | None:
    try:
        return int(request.headers["content-length"])
    except (KeyError, ValueError):
        # None (chunked), or malformed, which uvicorn refuses before the app sees it.
        return None


async def _read_body(request: Request) -> bytes | None:
    """The body, or None as soon as more than MAX_BODY_BYTES of it have arrived.

    The limit is checked as each chunk arrives, so a chunked body, which declares no length,
    costs at most the limit plus one chunk of memory, however long it goes on.
    """
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            return None
    return bytes(body)


def create_app(
    database: Path = DEFAULT_DATABASE,
    site: Path = DEFAULT_SITE,
    *,
    busy_timeout: float = BUSY_TIMEOUT,
) -> Starlette:
    """The backend storing into the SQLite file ``database`` and serving the site in ``site``."""
    store = InquiryStore(database, busy_timeout)
    too_large = f"the body is over {MAX_BODY_BYTES} bytes"
    busy = {"retry-after": str(RETRY_AFTER_SECONDS)}

    async def add_inquiry(request: Request) -> Response:
        if not _is_json(request.headers.get("content-type")):
            return _error(415, "send the inquiry as application/json", _CLOSE)
        declared = _declared_length(request)
        if declared is not None and declared > MAX_BODY_BYTES:
            # Refused before any of the body is read.
            return _error(413, too_large, _CLOSE)
        try:
            body = await _read_body(request)
        except ClientDisconnect:
            # Nobody reads this answer; returning one keeps the client's leaving out of the log.
            return _error(400, "the client disconnected")
        if body is None:
            return _error(413, too_large, _CLOSE)
        try:
            payload = _parse_json(body)
        except ValueError as error:
            return _error(400, f"the body is not valid JSON: {error}")
        try:
            inquiry = parse_inquiry(payload)
        except ValidationError as error:
            issues = [issue.as_dict() for issue in error.issues]
            return _AsciiJSONResponse({"issues": issues}, status_code=422)
        try:
            stored = await run_in_threadpool(store.add, inquiry)
        except StoreBusy:
            return _error(503, "the database is busy: try again", busy)
        return _AsciiJSONResponse(stored, status_code=201)

    async def list_inquiries(request: Request) -> Response:
        try:
            inquiries = await run_in_threadpool(store.all)
        except StoreBusy:
            return _error(503, "the database is busy: try again", busy)
        return _AsciiJSONResponse({"inquiries": inquiries})

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
    busy_timeout=float(os.environ.get("CONTACT_FORM_BUSY_TIMEOUT") or BUSY_TIMEOUT),
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
