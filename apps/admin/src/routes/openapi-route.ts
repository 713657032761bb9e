/**
 * GET /admin/api/openapi.json: an OpenAPI 3.1 document generated from the same zod schemas
 * the handlers validate with (the create body, the query strings, each registered action's
 * params), so the document cannot drift from the code.
 */

import { scheduleInputSchema } from "@courier/agent";
import type { Hono } from "hono";
import { z } from "zod";
import { auditQuerySchema, controlBodySchema, createStatsQuerySchema, listOpsQuerySchema } from "../schemas.js";
import type { AdminDeps } from "../types.js";
import { DEFAULT_MAX_STATS_TICKS } from "./stats-route.js";

type JsonSchema = Record<string, unknown>;

function toJson(schema: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  delete out.$schema;
  return out;
}

function queryParameters(schema: z.ZodType): JsonSchema[] {
  const json = toJson(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: "query",
    required: json.required?.includes(name) ?? false,
    schema: s,
  }));
}

const errorResponse = { description: "error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
const json = (description: string, ref?: string) => ({
  description,
  content: { "application/json": { schema: ref ? { $ref: `#/components/schemas/${ref}` } : { type: "object" } } },
});
const idParam = { name: "id", in: "path", required: true, schema: { type: "string" } };

export function createOpenApiDocument(deps: AdminDeps): JsonSchema {
  const actionSchemas: Record<string, JsonSchema> = {};
  for (const name of deps.registry.list()) {
    const def = deps.registry.get(name);
    if (def) actionSchemas[`params.${name}`] = { ...toJson(def.params), description: def.description ?? `params of ${name}` };
  }
  const errors = { 400: errorResponse, 401: errorResponse, 413: errorResponse, 415: errorResponse };
  return {
    openapi: "3.1.0",
    info: { title: "Courier admin API", version: "1" },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: {
        CreateOp: toJson(scheduleInputSchema),
        ControlBody: toJson(controlBodySchema),
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "object" } },
            },
          },
        },
        ...actionSchemas,
      },
    },
    security: deps.token ? [{ bearer: [] }] : [],
    paths: {
      "/healthz": { get: { security: [], responses: { 200: json("the process lives") } } },
      "/readyz": { get: { security: [], responses: { 200: json("ready"), 503: json("not ready: reasons and recommended_action") } } },
      "/metrics": { get: { responses: { 200: { description: "Prometheus text exposition" }, 401: errorResponse } } },
      "/admin/api/courier/stats": {
        get: { parameters: queryParameters(createStatsQuerySchema(deps.maxStatsTicks ?? DEFAULT_MAX_STATS_TICKS)), responses: { 200: json("stats"), ...errors } },
      },
      "/admin/api/courier/ops": {
        post: {
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/CreateOp" } } } },
          responses: {
            201: json("op created"),
            200: json("op with this idempotency_key already exists (same body)"),
            // idempotency_key reused with a different body (COURIER__OP__IDEMPOTENCY_CONFLICT)
            409: errorResponse,
            ...errors,
          },
        },
        get: { parameters: queryParameters(listOpsQuerySchema), responses: { 200: json("{ops, next_cursor}"), ...errors } },
      },
      "/admin/api/courier/ops/{id}": {
        get: { parameters: [idParam], responses: { 200: json("op with runs, attempts and signatures"), 404: errorResponse, 401: errorResponse } },
      },
      "/admin/api/courier/ops/{id}/cancel": {
        post: { parameters: [idParam], responses: { 200: json("op"), 404: errorResponse, 409: errorResponse, ...errors } },
      },
      "/admin/api/courier/ops/{id}/retry": {
        post: { parameters: [idParam], responses: { 200: json("op"), 404: errorResponse, 409: errorResponse, ...errors } },
      },
      "/admin/api/courier/ops/{id}/pause": {
        post: { parameters: [idParam], responses: { 200: json("op"), 404: errorResponse, 409: errorResponse, ...errors } },
      },
      "/admin/api/courier/ops/{id}/resume": {
        post: { parameters: [idParam], responses: { 200: json("op"), 404: errorResponse, 409: errorResponse, ...errors } },
      },
      "/admin/api/courier/pause": {
        post: {
          requestBody: { required: false, content: { "application/json": { schema: { $ref: "#/components/schemas/ControlBody" } } } },
          responses: { 200: json("{state, control}"), ...errors },
        },
      },
      "/admin/api/courier/resume": {
        post: {
          requestBody: { required: false, content: { "application/json": { schema: { $ref: "#/components/schemas/ControlBody" } } } },
          responses: { 200: json("{state, control}"), ...errors },
        },
      },
      "/admin/api/courier/audit": { get: { parameters: queryParameters(auditQuerySchema), responses: { 200: json("{events}"), ...errors } } },
    },
  };
}

export function registerOpenApiRoute(app: Hono, deps: AdminDeps): void {
  let cached: JsonSchema | null = null;
  app.get("/admin/api/openapi.json", (c) => {
    // built on first request: actions may be registered after the app is created
    cached ??= createOpenApiDocument(deps);
    return c.json(cached);
  });
}
