"""The contact form's data, written once: every other file in this example is generated from it.

`vschema codegen schema.py --ts-out convex --py-out backend/schema_types.py --zod-out
site/src/schema.zod.ts` (run in this folder, or `make example` from the repository's root)
writes the Convex schema and the TypeScript types the site uses into `convex/`, the typed
Python module the backend validates with into `backend/`, and the Zod schema the form checks
with before it posts into `site/src/`.
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
