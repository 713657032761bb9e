/** Turning zod issues into Courier's error context: `{path, message}` pairs with dotted paths. */
import type { z } from "zod";

export interface FieldIssue {
  /** Dotted path from the root of the validated object, e.g. "params.lamports" or "tags.0". */
  path: string;
  message: string;
}

/** Dotted path of `segments` under `prefix` ("" for the root). */
export function joinPath(prefix: string, segments: readonly PropertyKey[]): string {
  const parts = segments.map((s) => String(s));
  if (prefix) parts.unshift(prefix);
  return parts.join(".");
}

/** One issue per problem; an unknown key is reported under its own path ("params.foo: unknown field"). */
export function toFieldIssues(error: z.ZodError, prefix = ""): FieldIssue[] {
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: joinPath(prefix, [...issue.path, key]), message: "unknown field" }))
      : [{ path: joinPath(prefix, issue.path), message: issue.message }],
  );
}
