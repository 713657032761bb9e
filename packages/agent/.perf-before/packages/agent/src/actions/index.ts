export { type ActionRegistry, createActionRegistry } from "./registry.js";
export { type FieldIssue, joinPath, toFieldIssues } from "./zod-issues.js";
