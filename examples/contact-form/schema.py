"""The contact form's data, written once: every other file in this example is generated from it.

`vschema codegen schema.py --ts-out convex --py-out backend/schema_types.py` (run in this folder)
writes the Convex schema and the TypeScript types the site uses into `convex/`, and the typed
Python module the backend validates with into `backend/`.
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
