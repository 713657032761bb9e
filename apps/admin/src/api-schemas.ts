/**
 * Zod schemas of every JSON body the admin API answers with (CONTRACT.md "Admin HTTP"). They
 * describe what the handlers already return: the type checks at the end of this file fail to
 * compile when a serializer's type and its schema part ways, and the OpenAPI conformance test
 * validates live answers against the JSON Schema generated from them.
 *
 * Each schema is registered in `apiResponseSchemas` under the name it has in the document's
 * `components.schemas`, so `z.toJSONSchema` emits `$ref`s between them instead of copies.
 */
import { type LedgerEntryJSON, OP_STATUSES, type OpJSON, type OpStatus } from "@courier/agent";
import { z } from "zod";
import type { BulkResult } from "./routes/bulk-route.js";
import type { ErrorBody } from "./http/error-response.js";
import type { Readiness } from "./readiness.js";
import type { RpcHealthJSON } from "./rpc-health.js";
import { CRANK_STATES, type CrankState } from "./types.js";

export const apiResponseSchemas = z.registry<{ id: string; description?: string }>();

const count = z.number().int().min(0);
const int = z.number().int();
const ms = z.number().int().min(0).nullable();

export const isoTimeSchema = z.iso
  .datetime()
  .register(apiResponseSchemas, { id: "IsoTime", description: "An ISO-8601 UTC time with milliseconds, e.g. 2026-01-01T12:00:00.000Z." });
const isoOrNull = isoTimeSchema.nullable();

export const opStatusSchema = z
  .enum(OP_STATUSES as [OpStatus, ...OpStatus[]])
  .register(apiResponseSchemas, { id: "OpStatus", description: "An op's status." });

export const crankStateSchema = z
  .enum(CRANK_STATES as [CrankState, ...CrankState[]])
  .register(apiResponseSchemas, { id: "CrankState", description: "The crank's state: the shared pause/halt first, then this process's own." });

export const scheduleSchema = z
  .discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("once") }),
    z.strictObject({ kind: z.literal("every"), every_ms: count, anchor: isoTimeSchema }),
    z.strictObject({ kind: z.literal("cron"), cron: z.string(), tz: z.string() }),
  ])
  .register(apiResponseSchemas, { id: "Schedule", description: "One-off, interval (anchored, no drift) or cron." });

const opShape = {
  id: z.string(),
  action: z.string(),
  params: z.unknown().describe("The params as stored (after the action's schema)."),
  status: opStatusSchema,
  schedule: scheduleSchema,
  next_exec: isoTimeSchema,
  due_at: isoTimeSchema,
  created_at: isoTimeSchema,
  updated_at: isoTimeSchema,
  run: count,
  exec_count: count,
  max_exec: count.nullable(),
  attempts: count,
  max_attempts: count,
  last_error: z.string().nullable(),
  expires_at: isoOrNull,
  idempotency_key: z.string().nullable(),
  misfire: z.enum(["skip", "once", "all"]),
  missed_window_ms: count.nullable(),
  on_failure: z.enum(["continue", "stop"]),
  after_run: z.enum(["cancel", "pause"]).nullable().describe("An operator request waiting for the run in flight to resolve."),
  attempt_base: count,
  lease_owner: z.string().nullable(),
  lease_until: isoOrNull,
  intent: z.strictObject({ signer: z.string(), signature: z.string() }).nullable().describe("The owner's signature of the op's intent."),
};

export const opSchema = z.strictObject(opShape).register(apiResponseSchemas, { id: "Op", description: "An op (CONTRACT.md \"Op object\")." });

export const attemptSchema = z
  .strictObject({
    op_id: z.string(),
    run: count,
    attempt: count,
    instance: z.string(),
    action: z.string(),
    started_at: isoTimeSchema,
    ended_at: isoTimeSchema,
    outcome: z.enum(["ok", "retryable", "permanent", "infra", "ambiguous", "missed", "expired"]),
    error_code: z.string().nullable(),
    error: z.string().nullable(),
    signature: z.string().nullable(),
    latency_ms: count,
  })
  .register(apiResponseSchemas, { id: "Attempt", description: "One attempt of a run." });

export const ledgerEntrySchema = z
  .strictObject({
    run: count,
    seq: count,
    signature: z.string(),
    state: z.enum(["signed", "sent", "landed", "failed", "expired"]),
    error: z.string().nullable(),
    lamports: count,
    signer: z.string(),
    last_valid_block_height: count,
    created_at: isoTimeSchema,
    updated_at: isoTimeSchema,
  })
  .register(apiResponseSchemas, { id: "LedgerEntry", description: "A transaction recorded for a run (never its signed bytes)." });

export const runSchema = z
  .strictObject({ run: count, attempts: z.array(attemptSchema), signatures: z.array(ledgerEntrySchema) })
  .register(apiResponseSchemas, { id: "Run", description: "One run of an op: its attempts and the transactions recorded for it." });

export const opDetailSchema = z
  .strictObject({ ...opShape, runs: z.array(runSchema), signatures: z.array(ledgerEntrySchema) })
  .register(apiResponseSchemas, { id: "OpDetail", description: "An op with its history: runs (attempts, signatures) and every signature." });

export const opListSchema = z
  .strictObject({
    ops: z.array(opSchema),
    next_cursor: z.string().nullable().describe("The cursor of the next page; null on the last page."),
  })
  .register(apiResponseSchemas, { id: "OpList", description: "One page of ops, newest first." });

export const bulkResultSchema = z
  .strictObject({
    matched: count,
    changed: count,
    skipped: z.array(z.strictObject({ id: z.string(), reason: z.string().describe("The per-op route's error code, or `unsupported`.") })),
  })
  .register(apiResponseSchemas, { id: "BulkResult", description: "What a bulk verb selected, changed and skipped." });

const latencySchema = z.strictObject({ p50: ms, p95: ms, p99: ms, max: ms, count });

const controlSchema = z
  .strictObject({
    paused: z.boolean(),
    paused_at: isoOrNull,
    paused_by: z.string().nullable(),
    halted: z.boolean(),
    halted_at: isoOrNull,
    halted_reason: z.string().nullable(),
  })
  .describe("The shared control row (pause and supervisor halt), which every crank process obeys.");

export const rpcEndpointSchema = z
  .strictObject({
    endpoint: z.string().describe("The endpoint URL without credentials."),
    healthy: z.boolean(),
    circuit: z.enum(["closed", "open", "half_open"]),
    latency_ms: z.number().min(0).nullable(),
    down_since: isoOrNull,
    last_error: z.string().nullable(),
    rate_limit: z
      .strictObject({
        mode: z.enum(["auto", "fixed"]),
        rps: z.number().min(0),
        methods: z.record(z.string(), z.number().min(0)),
        blocked_until: isoOrNull,
      })
      .optional(),
  })
  .register(apiResponseSchemas, { id: "RpcEndpoint", description: "One RPC endpoint of this process's pool." });

export const statsSchema = z
  .strictObject({
    state: crankStateSchema,
    instances: z.array(z.strictObject({ id: z.string(), started_at: isoTimeSchema, last_tick_at: isoOrNull, in_flight: count })),
    totals: z.strictObject({ succeeded: count, failed: count, retried: count, dead: count, expired: count, missed: count, cancelled: count }),
    ops_by_status: z.strictObject(Object.fromEntries(OP_STATUSES.map((s) => [s, count])) as Record<OpStatus, typeof count>),
    latency_ms: latencySchema.describe("Per attempt, claim → outcome; percentiles are null without a sample."),
    by_action: z.record(z.string(), z.strictObject({ succeeded: count, failed: count, p50_ms: ms, p95_ms: ms })),
    ticks: z
      .array(
        z.strictObject({
          id: z.string(),
          instance: z.string(),
          started_at: isoTimeSchema,
          duration_ms: count,
          claimed: count,
          succeeded: count,
          failed: count,
          retried: count,
          skipped_in_flight: count,
        }),
      )
      .describe("The last ticks, newest first."),
    last_tick_at: isoOrNull,
    last_success_at: isoOrNull,
    last_failure_at: isoOrNull,
    control: controlSchema,
    rpc: z.array(rpcEndpointSchema),
    send_window: z
      .strictObject({ size: count, open: count })
      .nullable()
      .describe(
        "The RPC pool's send window: how many sent transactions may await their answer after their run gave its concurrency slot back (size; 0 until the endpoint takes 64 sends a second, halved on a 429), and how many do (open). Null when this process has no pool.",
      ),
    spend: z.strictObject({ lamports_today: count, cap_per_day: count.nullable() }),
    retention: z.strictObject({
      days: count.nullable().describe("0 keeps everything; null when this process does not know."),
      oldest_op_at: isoOrNull,
    }),
    served_by: z.string().describe("The instance that answered."),
    generated_at: isoOrNull,
  })
  .register(apiResponseSchemas, { id: "Stats", description: "The store's view of every crank process, plus what only this process knows." });

export const crankControlSchema = z
  .strictObject({
    state: crankStateSchema,
    control: controlSchema,
  })
  .register(apiResponseSchemas, { id: "CrankControl", description: "The crank state after a pause or resume, and the shared control row." });

export const auditListSchema = z
  .strictObject({
    events: z.array(
      z.strictObject({
        id: int,
        at: isoOrNull,
        instance: z.string().nullable(),
        kind: z.string(),
        op_id: z.string().nullable(),
        data: z.record(z.string(), z.unknown()),
      }),
    ),
  })
  .register(apiResponseSchemas, { id: "AuditList", description: "Audit events, newest first." });

export const healthSchema = z.strictObject({ ok: z.literal(true) }).register(apiResponseSchemas, { id: "Health", description: "The process lives." });

export const readySchema = z.strictObject({ ready: z.literal(true) }).register(apiResponseSchemas, { id: "Ready", description: "The crank can work." });

export const notReadySchema = z
  .strictObject({ ready: z.literal(false), reasons: z.array(z.string()), recommended_action: z.string().nullable() })
  .register(apiResponseSchemas, { id: "NotReady", description: "Why the crank cannot work, and what to do first." });

export const errorSchema = z
  .strictObject({
    error: z.strictObject({
      code: z.string().describe("A COURIER__* code (docs/api.md \"Errors\")."),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional().describe("field, issues, status, id, … when they help the client."),
    }),
  })
  .register(apiResponseSchemas, { id: "Error", description: "Every error answer." });

export const openApiDocumentSchema = z
  .looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) })
  .register(apiResponseSchemas, { id: "OpenApiDocument", description: "This document (OpenAPI 3.1)." });

// Compile-time guards: each serializer's type is exactly its schema's output.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type LedgerOf<T> = T extends { signatures: infer L } ? L : never;
export const SCHEMAS_MATCH_SERIALIZERS: [
  Same<z.output<typeof opSchema>, OpJSON>,
  Same<LedgerOf<z.output<typeof opDetailSchema>>, LedgerEntryJSON[]>,
  Same<z.output<typeof bulkResultSchema>, BulkResult>,
  Same<z.output<typeof notReadySchema>["reasons"], Readiness["reasons"]>,
  Same<z.output<typeof rpcEndpointSchema>, RpcHealthJSON>,
  Same<z.output<typeof errorSchema>, ErrorBody>,
] = [true, true, true, true, true, true];
