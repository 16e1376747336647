"""The seed's contact form schema (the input of the ``seed_types.py`` golden file)."""

from vschema import define_schema, define_table, v

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
