"""The inquiries of the FastAPI example: the contact form's schema, written once.

`vschema codegen schema.py --py-out schema_types.py` (run in this folder; `make fastapi-example`
does) writes the typed module the app imports: the `Inquiry` TypedDict and the
`ValidatedInquiry` / `ValidatedInquiryDocument` types that make FastAPI check with vschema.
"""

from vschema import define_schema, define_table, v

# Bound to a top-level name, so the generators give it a name of its own: `ProjectType`.
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
