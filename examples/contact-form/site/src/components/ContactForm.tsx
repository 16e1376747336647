// The contact form island. Its types and its Zod schema come from schema.py through
// `vschema codegen`: rename a field or a literal there, regenerate, and this file stops
// compiling until it follows. The schema checks the form before anything is sent; the server
// checks again, and its answer (HTTP 422) is the one that counts.
import { useState, type SubmitEvent } from "react";
import type { z } from "zod";

import type { Inquiry, ProjectType } from "../../../convex/types";
import { InquirySchema } from "../schema.zod";
import "./ContactForm.css";

export type Field = keyof Inquiry;

/**
 * What the backend answers with HTTP 422: vschema's `issue.as_dict()` for every issue. It is
 * safe to show: `summary` is written for the person filling in the form, and nothing in it
 * echoes what they sent.
 */
export interface Issue {
  path: (string | number)[];
  code: string;
  summary: string;
  expected: string;
  received: string;
}

/** Errors to show: one per field, beside it, and the rest above the button. */
export interface ShownErrors {
  fields: Partial<Record<Field, string>>;
  form: string[];
}

const NO_ERRORS: ShownErrors = { fields: {}, form: [] };
const FIRST_CHOICE: ProjectType = "saas_mvp";

// A label for every field and every project type: a missing or unknown key does not compile.
export const FIELD_LABELS: Record<Field, string> = {
  name: "Name",
  email: "Email",
  projectType: "Project type",
  description: "What should we build?",
};

export const PROJECT_TYPES: Record<ProjectType, string> = {
  saas_mvp: "SaaS MVP",
  ai_agent: "AI agent",
  automation: "Automation",
  other: "Something else",
};

function isField(key: string | number | undefined): key is Field {
  return typeof key === "string" && Object.hasOwn(FIELD_LABELS, key);
}

/** Put each server issue beside the field its path starts with (`issue.path[0]`). */
export function showIssues(issues: Issue[]): ShownErrors {
  const shown: ShownErrors = { fields: {}, form: [] };
  for (const issue of issues) {
    const field = issue.path[0];
    if (isField(field)) {
      shown.fields[field] ??= issue.summary;
    } else {
      shown.form.push(issue.summary);
    }
  }
  return shown;
}

/**
 * The form's values, unchecked: anyone can edit a page, so a <select> may send a value it does
 * not offer. A field left empty is absent, so the schema reports it as missing ("Required").
 */
function readForm(form: HTMLFormElement): Record<string, string> {
  const data = new FormData(form);
  const values: Record<string, string> = {};
  for (const field of Object.keys(FIELD_LABELS)) {
    const value = data.get(field);
    if (typeof value === "string" && value.trim() !== "") values[field] = value;
  }
  return values;
}

/**
 * Plain words for a Zod issue, in the server's wording where it has one. `values` are what
 * was checked: a field missing from them is "Required" (Zod's own text is for developers).
 */
export function zodSummary(issue: z.core.$ZodIssue, values: Record<string, unknown>): string {
  switch (issue.code) {
    case "invalid_type": {
      const field = issue.path[0];
      const missing = issue.path.length === 1 && typeof field === "string" && !Object.hasOwn(values, field);
      return missing ? "Required" : `Expected ${issue.expected}`;
    }
    case "invalid_value":
      return `Must be one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
    case "unrecognized_keys":
      return issue.keys.map((key) => `Unknown field ${JSON.stringify(key)}`).join("; ");
    default:
      return issue.message;
  }
}

/** The form's values, checked by the generated schema: an inquiry, or the errors to show. */
export function checkForm(
  values: Record<string, unknown>,
): { inquiry: Inquiry } | { errors: ShownErrors } {
  const result = InquirySchema.safeParse(values);
  if (result.success) return { inquiry: result.data };
  return {
    errors: showIssues(
      result.error.issues.map((issue) => ({
        path: issue.path.filter((key) => typeof key !== "symbol"),
        code: issue.code,
        summary: zodSummary(issue, values),
        expected: "",
        received: "",
      })),
    ),
  };
}

function isIssueList(body: unknown): body is { issues: Issue[] } {
  return (
    typeof body === "object" &&
    body !== null &&
    "issues" in body &&
    Array.isArray((body as { issues: unknown }).issues)
  );
}

type Status =
  | { state: "editing" }
  | { state: "sending" }
  | { state: "sent"; inquiry: Inquiry };

export default function ContactForm({ endpoint = "/api/inquiries" }: { endpoint?: string }) {
  const [status, setStatus] = useState<Status>({ state: "editing" });
  const [errors, setErrors] = useState<ShownErrors>(NO_ERRORS);

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget;
    const checked = checkForm(readForm(form));
    if ("errors" in checked) {
      // Nothing is sent: the errors show beside their fields, as the server's would.
      setErrors(checked.errors);
      return;
    }
    const { inquiry } = checked;
    setStatus({ state: "sending" });
    setErrors(NO_ERRORS);
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(inquiry),
      });
    } catch {
      setErrors({ fields: {}, form: ["Could not reach the server. Please try again."] });
      setStatus({ state: "editing" });
      return;
    }
    if (response.ok) {
      form.reset();
      setStatus({ state: "sent", inquiry });
      return;
    }
    const body: unknown = await response.json().catch(() => null);
    if (response.status === 422 && isIssueList(body)) {
      setErrors(showIssues(body.issues));
    } else {
      setErrors({ fields: {}, form: [`The server could not save this (HTTP ${response.status}).`] });
    }
    setStatus({ state: "editing" });
  }

  if (status.state === "sent") {
    return (
      <div className="contact-success" role="status">
        <h2>Thank you, {status.inquiry.name}!</h2>
        <p>
          We received your {PROJECT_TYPES[status.inquiry.projectType]} inquiry and will reply to{" "}
          <strong>{status.inquiry.email}</strong>.
        </p>
        <button type="button" onClick={() => setStatus({ state: "editing" })}>
          Send another
        </button>
      </div>
    );
  }

  // The attributes that tie a field to its label and its error message.
  const fieldProps = (field: Field) => {
    const error = errors.fields[field];
    return {
      id: field,
      name: field,
      "aria-invalid": error !== undefined,
      ...(error !== undefined ? { "aria-describedby": `${field}-error` } : {}),
    };
  };
  const fieldError = (field: Field) => {
    const error = errors.fields[field];
    return error === undefined ? null : (
      <p className="field-error" id={`${field}-error`}>
        {error}
      </p>
    );
  };

  return (
    // noValidate: the schema checks the fields (and says why beside each), not the browser.
    <form className="contact-form" noValidate onSubmit={(event) => void submit(event)}>
      <div className="field">
        <label htmlFor="name">{FIELD_LABELS.name}</label>
        <input {...fieldProps("name")} type="text" autoComplete="name" required />
        {fieldError("name")}
      </div>
      <div className="field">
        <label htmlFor="email">{FIELD_LABELS.email}</label>
        <input {...fieldProps("email")} type="email" autoComplete="email" required />
        {fieldError("email")}
      </div>
      <div className="field">
        <label htmlFor="projectType">{FIELD_LABELS.projectType}</label>
        <select {...fieldProps("projectType")} defaultValue={FIRST_CHOICE}>
          {Object.entries(PROJECT_TYPES).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        {fieldError("projectType")}
      </div>
      <div className="field">
        <label htmlFor="description">{FIELD_LABELS.description}</label>
        <textarea {...fieldProps("description")} rows={5} required />
        {fieldError("description")}
      </div>
      {errors.form.length > 0 && (
        <ul className="form-errors" role="alert">
          {errors.form.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
      <button type="submit" disabled={status.state === "sending"}>
        {status.state === "sending" ? "Sending…" : "Send inquiry"}
      </button>
    </form>
  );
}
