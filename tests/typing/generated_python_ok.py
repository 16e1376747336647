"""Correct code against the generated modules: mypy --strict and pyright strict report nothing.

`tests/test_python_codegen.py` copies this file next to the generated ``seed_types.py`` and
``stress_types.py``. A comment ``# reveal: PYRIGHT | MYPY`` above a ``reveal_type`` line gives
the type pyright must show there and a part of what mypy must show.
"""

from __future__ import annotations

from seed_types import (
    Inquiry,
    InquiryDocument,
    InquiryId,
    ProjectType,
    ValidatedInquiry,
    ValidatedInquiryDocument,
    is_inquiry,
    is_inquiry_document,
    parse_inquiry,
    parse_inquiry_document,
)
from stress_types import (
    Address2,
    AddressGeo,
    Event,
    User,
    UserDocument,
    UserId,
    parse_address_document,
    parse_event_document,
    parse_user,
)
from typing_extensions import reveal_type


def handle_inquiry(payload: object) -> str:
    inquiry = parse_inquiry(payload)
    # reveal: Inquiry | seed_types.Inquiry
    reveal_type(inquiry)
    kind: ProjectType = inquiry["projectType"]
    return f"{inquiry['name']} <{inquiry['email']}> wants {kind}"


def store(inquiry: Inquiry, number: int) -> InquiryDocument:
    return {
        "name": inquiry["name"],
        "email": inquiry["email"],
        "projectType": inquiry["projectType"],
        "description": inquiry["description"],
        "_id": InquiryId(f"inquiry-{number}"),
        "_creationTime": 1700000000000,  # an int where float is expected: PEP 484 allows it
    }


def find(inquiry_id: InquiryId) -> InquiryDocument:
    return parse_inquiry_document({"_id": inquiry_id})


def narrow(value: object) -> str:
    if is_inquiry(value):
        # reveal: Inquiry | seed_types.Inquiry
        reveal_type(value)
        return value["description"]
    if is_inquiry_document(value):
        # reveal: InquiryDocument | seed_types.InquiryDocument
        reveal_type(value)
        return find(value["_id"])["name"]
    return ""


row: Inquiry = {
    "name": "Ada",
    "email": "ada@example.com",
    "projectType": "ai_agent",
    "description": "An agent.",
}

home: Address2 = {"street": "1 Main St", "city": "Springfield"}
geo: AddressGeo = {"lat": 1.5, "lng": 2, "str": "x", "__x": b"\x00"}
user: User = {
    "name": "Ada",
    "role": 'it\'s "quoted" \\ {x}',
    "address": home,
    "class": "first",
    "avatar": None,
    "balance": 10,
    "active": True,
    "meta": {"anything": [1, "two", None]},
    "tags": ["a", "b"],
    "scores": {"x-y": 2**62, "with space": -1},
    "friends": {UserId("someone"): True},
    "level": 2,
    "ratio": 0.5,
    "flag": True,
    "nothing": None,
}


def age_of(payload: object) -> int:
    found = parse_user(payload)
    return found.get("age", 0)


def event_target(payload: object) -> str:
    event = parse_event_document(payload)
    # reveal: EventEmailDocument | EventSmsDocument | stress_types.EventEmailDocument
    reveal_type(event)
    if event["kind"] == "email":
        # reveal: EventEmailDocument | stress_types.EventEmailDocument
        reveal_type(event)
        return event["to"]
    return event["phone"]


def owner_of(payload: object, users: dict[UserId, UserDocument]) -> UserDocument:
    address = parse_address_document(payload)
    return users[address["owner"]]


new_event: Event = {"kind": "sms", "phone": "+1 555"}


# The annotated types for FastAPI and pydantic are the plain TypedDicts to a type checker.
def create_inquiry(inquiry: ValidatedInquiry) -> ValidatedInquiryDocument:
    # reveal: Inquiry | seed_types.Inquiry
    reveal_type(inquiry)
    return {**inquiry, "_id": InquiryId("inquiry-1"), "_creationTime": 1.0}


annotated_row: ValidatedInquiry = row
