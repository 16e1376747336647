"""Wrong code against the generated modules: each marked line gives exactly the errors it names.

A comment ``# expect: mypy[CODE] pyright[RULE]`` on the line above a statement lists the error
codes mypy --strict and pyright strict must report on the statement's line (``mypy[]``: none;
``pyright[A,B]``: two errors); every other line must be clean. `tests/test_python_codegen.py`
runs both checkers once over this file.
"""

from __future__ import annotations

from seed_types import (
    Inquiry,
    InquiryDocument,
    InquiryId,
    ValidatedInquiry,
    ValidatedInquiryDocument,
    parse_inquiry,
)
from stress_types import AddressDocument, EventId, User, UserId, parse_event_document, parse_user

# A missing required key.
# expect: mypy[typeddict-item] pyright[reportAssignmentType]
a: Inquiry = {"name": "Ada", "email": "a@example.com", "projectType": "other"}

# A value that is not one of the literal's.
# expect: mypy[typeddict-item] pyright[reportAssignmentType]
b: Inquiry = {"name": "Ada", "email": "e", "projectType": "website", "description": "d"}

# A value of the wrong type.
# expect: mypy[typeddict-item] pyright[reportAssignmentType]
c: Inquiry = {"name": 42, "email": "e", "projectType": "other", "description": "d"}

# A key the table does not have.
# expect: mypy[typeddict-unknown-key] pyright[reportAssignmentType]
d: Inquiry = {"name": "A", "email": "e", "projectType": "other", "description": "d", "x": 1}


def load_user(user_id: UserId) -> None: ...


def load_event(event_id: EventId) -> None: ...


def wrong_table(payload: object) -> None:
    event = parse_event_document(payload)
    # An ID of one table where another table's is expected.
    # expect: mypy[arg-type] pyright[reportArgumentType]
    load_user(event["_id"])
    load_event(event["_id"])


def plain_string_is_no_id(row: Inquiry, inquiry_id: str) -> InquiryDocument:
    # expect: mypy[typeddict-item] pyright[reportReturnType]
    return {**row, "_id": inquiry_id, "_creationTime": 1.0}


def wrong_owner(address: AddressDocument, inquiry_id: InquiryId) -> AddressDocument:
    # expect: mypy[typeddict-item] pyright[reportGeneralTypeIssues]
    address["owner"] = inquiry_id
    return address


def int64_is_no_float(user: User) -> None:
    # expect: mypy[typeddict-item] pyright[reportGeneralTypeIssues]
    user["age"] = 1.5


def bytes_are_no_str(user: User) -> None:
    # expect: mypy[typeddict-item] pyright[reportGeneralTypeIssues]
    user["avatar"] = "data:image/png"


def optional_field_read(payload: object) -> int:
    # An optional field read without a check: only pyright reports it.
    # expect: mypy[] pyright[reportTypedDictNotRequiredAccess]
    return parse_user(payload)["age"]


def unknown_field_read(payload: object) -> object:
    # expect: mypy[typeddict-item] pyright[reportGeneralTypeIssues,reportUnknownVariableType]
    return parse_inquiry(payload)["phone"]


# The annotated types check like the TypedDicts they annotate.
# expect: mypy[typeddict-item] pyright[reportAssignmentType]
e: ValidatedInquiry = {"name": 42, "email": "e", "projectType": "other", "description": "d"}


def row_is_no_document(row: ValidatedInquiry) -> ValidatedInquiryDocument:
    # expect: mypy[return-value] pyright[reportReturnType]
    return row
