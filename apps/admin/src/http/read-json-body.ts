/**
 * Reading a POST body as JSON. The admin API speaks JSON only: a non-empty body must say
 * `Content-Type: application/json` (415 otherwise) and parse (400 otherwise). Verbs without a
 * body (pause, resume, cancel, retry) accept an empty one.
 */
import { CourierError } from "@courier/agent";
import type { Context } from "hono";
import { validationError } from "./error-response.js";

export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const mediaType = header.split(";")[0]?.trim().toLowerCase();
  return mediaType === "application/json";
}

/**
 * The parsed JSON body; `undefined` for an empty body when `required` is false.
 * Throws COURIER__HTTP__UNSUPPORTED_MEDIA_TYPE or COURIER__VALIDATION (field "body").
 */
export async function readJsonBody(c: Context, opts: { required: boolean }): Promise<unknown> {
  const isJson = isJsonContentType(c.req.header("content-type"));
  if (opts.required && !isJson) throw unsupportedMediaType();
  const text = await c.req.text();
  if (text.trim().length === 0) {
    if (opts.required) throw validationError("body", "a JSON object is required");
    return undefined;
  }
  if (!isJson) throw unsupportedMediaType();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw validationError("body", "not valid JSON");
  }
}

function unsupportedMediaType(): CourierError {
  return new CourierError("COURIER__HTTP__UNSUPPORTED_MEDIA_TYPE", "request body must be JSON (Content-Type: application/json)");
}
