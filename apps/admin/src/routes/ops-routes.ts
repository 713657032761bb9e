/**
 * The ops API: create (validated, idempotent by key), list (filters, cursor), show (runs,
 * attempts, signatures), cancel, retry, pause, resume. Operator verbs are recorded as audit events.
 */
import { type AttemptJSON, getRunsJSON, type LedgerEntry, type LedgerEntryJSON, ledgerEntryToJSON, type Op, opToJSON, scheduleOp } from "@courier/agent";
import type { Context, Hono } from "hono";
import { parseQuery, toValidationError } from "../http/parse-query.js";
import { readJsonBody } from "../http/read-json-body.js";
import { applyOperatorVerb, getOpNotFound, OPERATOR_VERBS } from "../op-verbs.js";
import { wakeCrank } from "../operator-actions.js";
import { DEFAULT_LIST_LIMIT, emptyBodySchema, listOpsQuerySchema, MAX_OP_ID_LENGTH } from "../schemas.js";
import type { AdminDeps } from "../types.js";

const BASE = "/admin/api/courier/ops";

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

  // cancel, retry, pause, resume: 200 with the op (see op-verbs.ts for the refusals).
  for (const verb of OPERATOR_VERBS) {
    app.post(`${BASE}/:id/${verb}`, async (c) => {
      await readEmptyBody(c);
      const id = getOpId(c);
      if (id.length === 0 || id.length > MAX_OP_ID_LENGTH) throw getOpNotFound(id);
      return c.json(opToJSON(await applyOperatorVerb(deps, verb, id)));
    });
  }
}

function getOpId(c: Context): string {
  return c.req.param("id") ?? "";
}

async function getOpOr404(c: Context, deps: AdminDeps): Promise<Op> {
  const id = getOpId(c);
  const op = id.length > 0 && id.length <= MAX_OP_ID_LENGTH ? await deps.store.getOp(id) : null;
  if (!op) throw getOpNotFound(id);
  return op;
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
