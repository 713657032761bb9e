/**
 * The ops API: create (validated, idempotent by key), list (filters, cursor), show (runs,
 * attempts, signatures), cancel, retry. Operator verbs are recorded as audit events.
 */
import { type AttemptJSON, CourierError, getRunsJSON, type LedgerEntry, type LedgerEntryJSON, ledgerEntryToJSON, type Op, opToJSON, scheduleOp } from "@courier/agent";
import type { Context, Hono } from "hono";
import { z } from "zod";
import { parseQuery, toValidationError } from "../http/parse-query.js";
import { readJsonBody } from "../http/read-json-body.js";
import { recordAudit, wakeCrank } from "../operator-actions.js";
import { DEFAULT_LIST_LIMIT, listOpsQuerySchema, MAX_OP_ID_LENGTH } from "../schemas.js";
import type { AdminDeps } from "../types.js";

const BASE = "/admin/api/courier/ops";

/** Cancel and retry take no arguments: an empty body or `{}`. */
const emptyBodySchema = z.strictObject({});

export function registerOpsRoutes(app: Hono, deps: AdminDeps): void {
  const { store, clock } = deps;

  app.post(BASE, async (c) => {
    const body = await readJsonBody(c, { required: true });
    const { op, created } = await scheduleOp(store, body, { registry: deps.registry, clock, ...(deps.intents ? { intents: deps.intents } : {}) });
    if (created) wakeCrank(deps);
    return c.json(opToJSON(op), created ? 201 : 200);
  });

  app.get(BASE, async (c) => {
    const q = parseQuery(c, listOpsQuerySchema);
    const page = await store.listOps({
      status: q.status,
      action: q.action,
      limit: q.limit ?? DEFAULT_LIST_LIMIT,
      cursor: q.cursor ?? null,
    });
    return c.json({ ops: page.ops.map(opToJSON), next_cursor: page.next_cursor });
  });

  app.get(`${BASE}/:id`, async (c) => {
    const op = await getOpOr404(c, deps);
    const [attempts, ledger] = await Promise.all([store.getAttempts(op.id), store.getOpLedger(op.id)]);
    return c.json({ ...opToJSON(op), runs: getRunsWithSignatures(getRunsJSON(attempts), ledger), signatures: ledger.map(ledgerEntryToJSON) });
  });

  app.post(`${BASE}/:id/cancel`, async (c) => {
    await readEmptyBody(c);
    const id = getOpId(c);
    const result = await store.cancelOp({ id, now: clock.now() });
    if (!result) throw notFound(id);
    if (!result.changed) {
      throw new CourierError("COURIER__CONFLICT", `op ${id} is already ${result.op.status}`, { id, status: result.op.status });
    }
    await recordAudit(deps, "op.cancelled", id, {});
    return c.json(opToJSON(result.op));
  });

  app.post(`${BASE}/:id/retry`, async (c) => {
    await readEmptyBody(c);
    const id = getOpId(c);
    const result = await store.retryOp({ id, now: clock.now() });
    if (!result) throw notFound(id);
    if (!result.changed) {
      throw new CourierError("COURIER__CONFLICT", `op ${id} is ${result.op.status}: only dead or failed ops can be retried`, {
        id,
        status: result.op.status,
      });
    }
    await recordAudit(deps, "op.retried", id, {});
    wakeCrank(deps);
    return c.json(opToJSON(result.op));
  });
}

function getOpId(c: Context): string {
  return c.req.param("id") ?? "";
}

async function getOpOr404(c: Context, deps: AdminDeps): Promise<Op> {
  const id = getOpId(c);
  const op = id.length > 0 && id.length <= MAX_OP_ID_LENGTH ? await deps.store.getOp(id) : null;
  if (!op) throw notFound(id);
  return op;
}

function notFound(id: string): CourierError {
  const shown = id.length > MAX_OP_ID_LENGTH ? `${id.slice(0, MAX_OP_ID_LENGTH)}…` : id;
  return new CourierError("COURIER__NOT_FOUND", `no op with id ${JSON.stringify(shown)}`, { id: shown });
}

async function readEmptyBody(c: Context): Promise<void> {
  const body = await readJsonBody(c, { required: false });
  if (body === undefined) return;
  const result = emptyBodySchema.safeParse(body);
  if (!result.success) throw toValidationError(result.error);
}

type RunJSON = { run: number; attempts: AttemptJSON[] };

/** Runs from the attempt history, each with the signatures its ledger recorded (a run in flight may have signatures and no finished attempt yet). */
function getRunsWithSignatures(runs: RunJSON[], ledger: LedgerEntry[]): Array<RunJSON & { signatures: LedgerEntryJSON[] }> {
  const byRun = new Map<number, RunJSON & { signatures: LedgerEntryJSON[] }>();
  for (const r of runs) byRun.set(r.run, { ...r, signatures: [] });
  for (const entry of [...ledger].sort((a, b) => a.run - b.run || a.seq - b.seq)) {
    let run = byRun.get(entry.run);
    if (!run) {
      run = { run: entry.run, attempts: [], signatures: [] };
      byRun.set(entry.run, run);
    }
    run.signatures.push(ledgerEntryToJSON(entry));
  }
  return [...byRun.values()].sort((a, b) => a.run - b.run);
}
