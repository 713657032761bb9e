/** One CourierError for a failed validation: the first problem in the message, all in context. */
import type { z } from "zod";
import { type FieldIssue, joinPath } from "../actions/zod-issues.js";
import { CourierError } from "../errors.js";

/**
 * Field issues of a zod error, the first per field (zod reports every failed check, e.g. both
 * "positive" and "at least 100" for -5); an unknown key is reported under its own name.
 */
export function getInputIssues(error: z.ZodError): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push({ path: joinPath("", [...issue.path, key]), message: "unknown field" });
      continue;
    }
    out.push({ path: joinPath("", issue.path) || "body", message: issue.message });
  }
  const seen = new Set<string>();
  return out.filter((issue) => !seen.has(issue.path) && seen.add(issue.path));
}

/** COURIER__VALIDATION naming the first field: "every_ms: must be a positive integer". */
export function createValidationError(issues: FieldIssue[]): CourierError<"COURIER__VALIDATION"> {
  const first = issues[0] ?? { path: "body", message: "invalid" };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new CourierError("COURIER__VALIDATION", `${first.path}: ${first.message}${more}`, {
    field: first.path,
    issues,
  });
}
