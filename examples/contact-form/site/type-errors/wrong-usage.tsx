// Mistakes the generated types turn into compile errors. This file is not part of the site
// (tsconfig.json excludes it); tests/test_contact_form_types.py compiles it with
// tsconfig.type-errors.json and expects exactly the error marked on each line.
import type { Inquiry, ProjectType } from "../../convex/types";
import ContactForm, { showIssues, type Field } from "../src/components/ContactForm";
import { InquirySchema } from "../src/schema.zod";

export const misspelled: Inquiry = {
  name: "Ada",
  email: "ada@example.com",
  projectType: "ai_agent",
  descripton: "A typo in a field name.", // expect TS2561 'descripton' does not exist in type 'Inquiry'
};

export const unknownProjectType: ProjectType = "compiler"; // expect TS2322 Type '"compiler"' is not assignable to type 'ProjectType'

export const missingField: Inquiry = { name: "Ada", email: "ada@example.com", projectType: "other" }; // expect TS2741 Property 'description' is missing

export const noSuchField: Field = "phone"; // expect TS2322 Type '"phone"' is not assignable to type 'keyof Inquiry'

export const labels: Record<ProjectType, string> = { saas_mvp: "SaaS MVP", ai_agent: "AI agent", automation: "Automation" }; // expect TS2741 Property 'other' is missing

export const shown = showIssues([{ path: ["projectType"], code: "literal_mismatch", expected: "string", received: "number" }]); // expect TS2741 Property 'summary' is missing

export const island = <ContactForm endpoint={42} />; // expect TS2322 Type 'number' is not assignable to type 'string'

export const parsedProjectType: ProjectType = InquirySchema.parse({}).name; // expect TS2322 Type 'string' is not assignable to type 'ProjectType'
