"""The seed's contact form: validate what a browser POSTs, and show the errors a user would see.

Run it with `make demo` (which sets up everything first) or `python examples/contact_form.py`.
"""

from __future__ import annotations

import json

from vschema import ValidationError, define_schema, define_table, v

project_type = v.union(
    v.literal("saas_mvp"),
    v.literal("ai_agent"),
    v.literal("automation"),
    v.literal("other"),
)

schema = define_schema(
    {
        "inquiries": define_table(
            {
                "name": v.string(),
                "email": v.string(),
                "projectType": project_type,
                "description": v.string(),
            }
        ).index("by_email", ["email"]),
    }
)

PAYLOADS: list[tuple[str, object]] = [
    (
        "a valid inquiry",
        {
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "projectType": "ai_agent",
            "description": "An agent that reads my inbox.",
        },
    ),
    (
        "a projectType the form never offers",
        {
            "name": "Grace Hopper",
            "email": "grace@example.com",
            "projectType": "compiler",
            "description": "A compiler.",
        },
    ),
    (
        "a missing description, a number for a name, and a field nobody asked for",
        {"name": 42, "email": "x@example.com", "projectType": "other", "phone": "555-0100"},
    ),
    ("not even an object", ["name", "email"]),
]


def main() -> None:
    print(f"inquiries: {schema.tables['inquiries'].validator!r}\n")
    for title, payload in PAYLOADS:
        print(f"== {title}")
        print(f"   payload: {json.dumps(payload)}")
        try:
            schema.validate("inquiries", payload)
        except ValidationError as error:
            print(f"   rejected with {len(error.issues)} issue(s):")
            for issue in error.issues:
                where = issue.path_text or "(the payload)"
                print(f"   - at {where}, code {issue.code!r}: {issue.summary}")
                # Convex's own wording, with the value and the validator: for logs, not users.
                print("       " + issue.message.replace("\n", "\n       "))
        else:
            print("   accepted")
        print()


if __name__ == "__main__":
    main()
