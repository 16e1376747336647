"""The FastAPI example: inquiries checked by vschema, not by pydantic, and stored in SQLite.

- ``POST /inquiries`` takes a JSON inquiry typed ``ValidatedInquiry`` (from the generated
  ``schema_types.py``), so FastAPI checks it with the schema: 201 with the stored document;
  422 with one error per vschema issue (``ctx`` is the issue's safe form) when it does not
  match, e.g. ``"projectType": "website"`` or an unknown field.
- ``GET /inquiries`` lists the stored documents, oldest first, each checked again on the way
  out (the response model is ``list[ValidatedInquiryDocument]``). It is an unauthenticated
  demo listing: anyone who can reach the server can read every inquiry.
- ``/docs`` and ``/openapi.json`` describe both with vschema's JSON Schema.

Run it from the repository root with ``make fastapi-example``, or by hand::

    .venv/bin/python examples/fastapi/app.py --port 8000

``FASTAPI_EXAMPLE_DB`` overrides where the database lives (``uvicorn app:app --app-dir
examples/fastapi`` reads it too).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from fastapi import FastAPI
from vschema import new_id
from vschema.pydantic import install

from schema_types import InquiryDocument, InquiryId, ValidatedInquiry, ValidatedInquiryDocument

HERE = Path(__file__).resolve().parent
DEFAULT_DATABASE = HERE / "inquiries.sqlite3"

#: The table number the example's IDs carry (a Convex deployment numbers its tables itself).
INQUIRIES_TABLE_NUMBER = 10001

_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS inquiries (
    id TEXT PRIMARY KEY,
    creation_time REAL NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    project_type TEXT NOT NULL,
    description TEXT NOT NULL
);
-- The schema's `by_email` index; Convex appends the creation time to every index, so do we.
CREATE INDEX IF NOT EXISTS by_email ON inquiries (email, creation_time);
"""


class InquiryStore:
    """The ``inquiries`` table in a SQLite file, as Convex-style documents; one connection a
    call, and the table created on the first."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=5)
        connection.executescript(_SCHEMA_SQL)
        return connection

    def add(self, inquiry: ValidatedInquiry) -> InquiryDocument:
        """Store a checked inquiry; return the document it became."""
        document: InquiryDocument = {
            **inquiry,
            "_id": InquiryId(new_id(INQUIRIES_TABLE_NUMBER)),
            "_creationTime": time.time() * 1000,
        }
        with closing(self._connect()) as connection, connection:
            connection.execute(
                "INSERT INTO inquiries VALUES (?, ?, ?, ?, ?, ?)",
                (
                    document["_id"],
                    document["_creationTime"],
                    document["name"],
                    document["email"],
                    document["projectType"],
                    document["description"],
                ),
            )
        return document

    def all(self) -> list[dict[str, object]]:
        """Every stored document, oldest first (the response model checks each one)."""
        with closing(self._connect()) as connection:
            rows = connection.execute(
                "SELECT id, creation_time, name, email, project_type, description"
                " FROM inquiries ORDER BY creation_time, id"
            ).fetchall()
        return [
            {
                "_id": row_id,
                "_creationTime": creation_time,
                "name": name,
                "email": email,
                "projectType": project_type,
                "description": description,
            }
            for row_id, creation_time, name, email, project_type, description in rows
        ]


def create_app(database: Path = DEFAULT_DATABASE) -> FastAPI:
    """The API, storing into the SQLite file ``database``."""
    store = InquiryStore(database)
    app = FastAPI(title="Inquiries (vschema + FastAPI)")
    install(app)  # 422 bodies without the echoed input, safe for any text

    @app.post("/inquiries", status_code=201)
    def add_inquiry(inquiry: ValidatedInquiry) -> ValidatedInquiryDocument:
        return store.add(inquiry)

    # `list[dict[str, object]]` to mypy; FastAPI checks each item with vschema.
    @app.get("/inquiries", response_model=list[ValidatedInquiryDocument])
    def list_inquiries() -> list[dict[str, object]]:
        return store.all()

    return app


#: What ``uvicorn app:app`` serves.
app = create_app(Path(os.environ.get("FASTAPI_EXAMPLE_DB") or DEFAULT_DATABASE))


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description="Serve the FastAPI example's inquiries API.")
    parser.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1 (loopback only)")
    parser.add_argument("--port", type=int, default=8000, help="default: 8000")
    args = parser.parse_args()
    print(f"Inquiries API on http://{args.host}:{args.port}/docs (Ctrl-C to stop)")
    uvicorn.run(app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
