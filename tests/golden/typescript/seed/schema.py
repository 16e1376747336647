"""The seed schema: the contact form's inquiries (golden input for tests/test_typescript.py)."""

from vschema import v
from vschema.validators._schema import define_schema, define_table

project_type = v.union(
    v.literal("saas_mvp"), v.literal("ai_agent"), v.literal("automation"), v.literal("other")
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
