/**
 * The admin API's operations as data: method, path, operationId, summary, the zod schemas of
 * the inputs the handler validates with, and the component schema of each answer. The OpenAPI
 * document and the API reference page are built from this table; the conformance test checks
 * it against the routes the Hono app really registers, so a route cannot be added without it.
 *
 * Hand-written table rather than `@hono/zod-openapi`: the handlers keep their own validation
 * (JSON-only bodies read before parsing, strict query strings with one error per field, the
 * operator verbs shared with the dashboard and the bulk route), which that library's
 * validators would replace with different error bodies.
 */
import { scheduleInputSchema } from "@courier/agent";
import type { z } from "zod";
import { bulkBodySchema } from "../routes/bulk-route.js";
import { DEFAULT_MAX_STATS_TICKS } from "../routes/stats-route.js";
import { auditQuerySchema, controlBodySchema, createStatsQuerySchema, emptyBodySchema, listOpsQuerySchema } from "../schemas.js";
import type { AdminDeps } from "../types.js";

export type ApiTag = "Health" | "Stats" | "Ops" | "Crank" | "Document";

export const API_TAGS: Record<ApiTag, string> = {
  Health: "Liveness, readiness and Prometheus metrics of this process.",
  Stats: "What the shared store knows about every crank process, and what this process knows.",
  Ops: "Schedule ops, list and inspect them, and the operator verbs (cancel, retry, pause, resume, bulk).",
  Crank: "The crank-wide kill switch and the audit log.",
  Document: "This OpenAPI document.",
};

/** A success answer: a component schema of `apiResponseSchemas`, or Prometheus text. */
export interface ApiAnswer {
  description: string;
  schema: string | "text";
}

export interface ApiOperation {
  method: "get" | "post";
  /** OpenAPI path template (`{id}`, where the Hono route says `:id`). */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: ApiTag;
  /** Needs the bearer token when one is configured (every path under /admin/ and /metrics). */
  auth: boolean;
  /** Reads or writes the store: a store that is busy, unavailable or in safe mode answers 503. */
  store: boolean;
  query?: z.ZodType;
  /** The `{id}` path parameter. */
  opId?: boolean;
  /** The request body (a component name in `REQUEST_SCHEMAS`) and whether it may be empty. */
  body?: { schema: keyof typeof REQUEST_SCHEMAS; required: boolean };
  answers: Record<number, ApiAnswer>;
  /** Refusals proper to this operation; the common ones (401, 403, 413, 415, 421, 500, 503) are added from the flags. */
  errors?: Partial<Record<400 | 404 | 409, string>>;
}

export const REQUEST_SCHEMAS = {
  CreateOp: scheduleInputSchema,
  ControlBody: controlBodySchema,
  BulkBody: bulkBodySchema,
  EmptyBody: emptyBodySchema,
} satisfies Record<string, z.ZodType>;

const OPS = "/admin/api/courier/ops";
const NOT_FOUND = "no op with this id";

const VERBS = [
  {
    verb: "cancel",
    summary: "Cancel an op",
    description: "Cancel never reports `cancelled` for a run whose transaction may still land: a recurring op answers with `after_run: \"cancel\"`.",
    conflict: "already terminal (COURIER__CONFLICT), or a one-off op's transaction is signed and may land (COURIER__OP__IN_FLIGHT, `details.signatures`)",
  },
  { verb: "retry", summary: "Retry a dead or failed op", description: "A fresh attempt of the same run that signs a new transaction.", conflict: "the op is not dead or failed" },
  { verb: "pause", summary: "Pause an op", description: "A running op keeps `after_run: \"pause\"` until its run resolves.", conflict: "the op is terminal" },
  { verb: "resume", summary: "Resume a paused op", description: "Back to pending at its next slot (missed slots follow the misfire policy).", conflict: "the op is not paused" },
] as const;

export function getApiOperations(deps: AdminDeps): ApiOperation[] {
  const opVerbs: ApiOperation[] = VERBS.map(({ verb, summary, description, conflict }) => ({
    method: "post",
    path: `${OPS}/{id}/${verb}`,
    operationId: `${verb}Op`,
    summary,
    description,
    tag: "Ops",
    auth: true,
    store: true,
    opId: true,
    body: { schema: "EmptyBody", required: false },
    answers: { 200: { description: "the op after the verb", schema: "Op" } },
    errors: { 400: "the body is not empty or `{}`", 404: NOT_FOUND, 409: conflict },
  }));
  const crankVerbs: ApiOperation[] = (["pause", "resume"] as const).map((verb) => ({
    method: "post",
    path: `/admin/api/courier/${verb}`,
    operationId: `${verb}Crank`,
    summary: verb === "pause" ? "Pause every crank process" : "Resume the crank (and clear a supervisor halt)",
    description: "Stored in the shared store: every crank process on it obeys, across restarts. Audited.",
    tag: "Crank",
    auth: true,
    store: true,
    body: { schema: "ControlBody", required: false },
    answers: { 200: { description: "the crank state and the shared control row", schema: "CrankControl" } },
    errors: { 400: "invalid body" },
  }));

  return [
    {
      method: "get",
      path: "/healthz",
      operationId: "getHealth",
      summary: "Liveness",
      tag: "Health",
      auth: false,
      store: false,
      answers: { 200: { description: "the process lives", schema: "Health" } },
    },
    {
      method: "get",
      path: "/readyz",
      operationId: "getReadiness",
      summary: "Readiness of this process's crank",
      tag: "Health",
      auth: false,
      store: false,
      answers: {
        200: { description: "the crank can work", schema: "Ready" },
        503: { description: "the crank cannot work: reasons, most fundamental first, and the action to take", schema: "NotReady" },
      },
    },
    {
      method: "get",
      path: "/metrics",
      operationId: "getMetrics",
      summary: "Prometheus metrics",
      tag: "Health",
      auth: true,
      store: false,
      answers: { 200: { description: "Prometheus text exposition", schema: "text" } },
    },
    {
      method: "get",
      path: "/admin/api/courier/stats",
      operationId: "getStats",
      summary: "Crank statistics",
      tag: "Stats",
      auth: true,
      store: true,
      query: createStatsQuerySchema(deps.maxStatsTicks ?? DEFAULT_MAX_STATS_TICKS),
      answers: { 200: { description: "the stats object", schema: "Stats" } },
      errors: { 400: "invalid query string" },
    },
    {
      method: "post",
      path: OPS,
      operationId: "createOp",
      summary: "Schedule an op",
      description: "Idempotent by `idempotency_key`: the same key with the same body returns the first op (200) and creates nothing.",
      tag: "Ops",
      auth: true,
      store: true,
      body: { schema: "CreateOp", required: true },
      answers: {
        201: { description: "the new op", schema: "Op" },
        200: { description: "the op this idempotency_key already created (same body)", schema: "Op" },
      },
      errors: {
        400: "invalid body, unknown action, invalid params or intent",
        409: "idempotency_key reused with a different body (COURIER__OP__IDEMPOTENCY_CONFLICT)",
      },
    },
    {
      method: "get",
      path: OPS,
      operationId: "listOps",
      summary: "List ops",
      description: "Newest first, one page per call; pass `next_cursor` as `cursor` for the next page.",
      tag: "Ops",
      auth: true,
      store: true,
      query: listOpsQuerySchema,
      answers: { 200: { description: "a page of ops", schema: "OpList" } },
      errors: { 400: "invalid query string or forged cursor" },
    },
    {
      method: "post",
      path: `${OPS}/bulk`,
      operationId: "bulkOps",
      summary: "Apply a verb to many ops",
      description: "Exactly one of `ids` and `filter`. Each op goes through its per-op route; what it refuses is reported in `skipped`.",
      tag: "Ops",
      auth: true,
      store: true,
      body: { schema: "BulkBody", required: true },
      answers: { 200: { description: "matched, changed and skipped ops", schema: "BulkResult" } },
      errors: { 400: "invalid body (or both / neither of ids and filter)" },
    },
    {
      method: "get",
      path: `${OPS}/{id}`,
      operationId: "getOp",
      summary: "Show an op with its history",
      tag: "Ops",
      auth: true,
      store: true,
      opId: true,
      answers: { 200: { description: "the op with its runs, attempts and signatures", schema: "OpDetail" } },
      errors: { 404: NOT_FOUND },
    },
    ...opVerbs,
    ...crankVerbs,
    {
      method: "get",
      path: "/admin/api/courier/audit",
      operationId: "listAudit",
      summary: "Audit log",
      tag: "Crank",
      auth: true,
      store: true,
      query: auditQuerySchema,
      answers: { 200: { description: "audit events, newest first", schema: "AuditList" } },
      errors: { 400: "invalid query string" },
    },
    {
      method: "get",
      path: "/admin/api/openapi.json",
      operationId: "getOpenApiDocument",
      summary: "This OpenAPI document",
      tag: "Document",
      auth: true,
      store: false,
      answers: { 200: { description: "the OpenAPI 3.1 document", schema: "OpenApiDocument" } },
    },
  ];
}
