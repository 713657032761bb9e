/**
 * Query strings validated by zod like bodies are. Each parameter may appear once; unknown
 * parameters are refused (a misspelt `?stauts=` would otherwise silently list everything).
 */
import type { CourierError } from "@courier/agent";
import type { Context } from "hono";
import type { z } from "zod";
import { validationError } from "./error-response.js";

export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const params = new URL(c.req.url).searchParams;
  const query: Record<string, string> = {};
  for (const [key, value] of params) {
    if (Object.hasOwn(query, key)) throw validationError(key, "may appear only once");
    query[key] = value;
  }
  const result = schema.safeParse(query);
  if (result.success) return result.data;
  throw toValidationError(result.error);
}

/** COURIER__VALIDATION naming the first bad field, with every issue in context. */
export function toValidationError(error: z.ZodError, prefix = ""): CourierError {
  const issues = error.issues.flatMap((issue) => {
    // an unknown key is reported at its own path, so `details.field` names it
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: joinPath(prefix, [...issue.path, key]), message: "unknown field" }));
    }
    return [{ path: joinPath(prefix, issue.path), message: issue.message }];
  });
  const first = issues[0] ?? { path: prefix || "body", message: "invalid" };
  return validationError(first.path || "body", first.message, { issues });
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map(String)].filter((s) => s.length > 0).join(".");
}
