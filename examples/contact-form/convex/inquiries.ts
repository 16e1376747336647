// The seed's Convex path: the same inquiries, stored by Convex functions instead of the Python
// backend. `schema.ts` and `types.ts` next to this file are generated from ../schema.py; this file
// is written by hand and only reuses them, so a change to the schema reaches the function
// arguments too.
import {
  mutationGeneric,
  queryGeneric,
  type DataModelFromSchemaDefinition,
  type MutationBuilder,
  type QueryBuilder,
} from "convex/server";
import { v } from "convex/values";

import schema, { project_type } from "./schema";
import type { Inquiry, InquiryDocument } from "./types";

// In a deployed project `npx convex dev` writes these two into convex/_generated/server.ts, from
// the same schema; here they are spelled out so the example type-checks without a deployment.
type DataModel = DataModelFromSchemaDefinition<typeof schema>;
const mutation: MutationBuilder<DataModel, "public"> = mutationGeneric;
const query: QueryBuilder<DataModel, "public"> = queryGeneric;

/** Store an inquiry: the arguments are the table's own fields, checked by Convex. */
export const submit = mutation({
  args: schema.tables.inquiries.validator.fields,
  returns: v.id("inquiries"),
  // The generated standalone type is what Convex infers: annotating with it must compile.
  handler: async (ctx, inquiry: Inquiry) => ctx.db.insert("inquiries", inquiry),
});

/** Inquiries from one address, oldest first, through the schema's `by_email` index. */
export const byEmail = query({
  args: { email: v.string() },
  handler: async (ctx, { email }): Promise<InquiryDocument[]> =>
    ctx.db
      .query("inquiries")
      .withIndex("by_email", (q) => q.eq("email", email))
      .collect(),
});

/** Inquiries of one project type: the exported `project_type` validator, reused as an argument. */
export const byProjectType = query({
  args: { projectType: project_type },
  handler: async (ctx, { projectType }): Promise<InquiryDocument[]> =>
    ctx.db
      .query("inquiries")
      .filter((q) => q.eq(q.field("projectType"), projectType))
      .collect(),
});
