// TEMPORARY STAND-IN (to be replaced by vschema codegen output)
export type ProjectType = "saas_mvp" | "ai_agent" | "automation" | "other";
export interface NewInquiry { name: string; email: string; projectType: ProjectType; description: string }
