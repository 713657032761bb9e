/**
 * The operator verbs on one op (cancel, retry, pause, resume) as functions: the routes, the CLI
 * (through the routes) and the bulk endpoint all go through these, so every path refuses and
 * audits the same way. Each returns the op after the verb, or throws a CourierError:
 * COURIER__NOT_FOUND (404), COURIER__OP__IN_FLIGHT (409: a one-off op's transaction is signed
 * and may land, so it cannot be reported cancelled), COURIER__CONFLICT (409: the verb does not
 * apply to the op's status).
 *
 * Repeating a verb that is already in effect is not an error: cancel of an op whose cancel is
 * held for its in-flight run, pause of a paused op.
 */
import { CourierError, type Op, type OperatorResult } from "@courier/agent";
import { recordAudit, wakeCrank } from "./operator-actions.js";
import { MAX_OP_ID_LENGTH } from "./schemas.js";
import type { AdminDeps } from "./types.js";

export type OperatorVerb = "cancel" | "retry" | "pause" | "resume";
export const OPERATOR_VERBS: readonly OperatorVerb[] = ["cancel", "retry", "pause", "resume"];

export async function cancelOperatorOp(deps: AdminDeps, id: string): Promise<Op> {
  const result = await deps.store.cancelOp({ id, now: deps.clock.now() });
  const op = getOrThrow(result, id);
  if (result?.in_flight) {
    const signatures = (await deps.store.getOpLedger(op.id))
      .filter((e) => e.run === op.run && e.state !== "failed" && e.state !== "expired")
      .map((e) => e.signature);
    throw new CourierError(
      "COURIER__OP__IN_FLIGHT",
      `op ${id}'s transaction is signed and may still land: it cannot be cancelled, its status will follow the chain`,
      { id, status: op.status, signatures },
    );
  }
  if (!result?.changed) {
    if (op.after_run === "cancel") return op;
    throw new CourierError("COURIER__CONFLICT", `op ${id} is already ${op.status}`, { id, status: op.status });
  }
  // A recurring op with a run in flight stops after that run: the audit says which happened.
  await recordAudit(deps, op.status === "cancelled" ? "op.cancelled" : "op.cancel_requested", id, {});
  return op;
}

export async function retryOperatorOp(deps: AdminDeps, id: string): Promise<Op> {
  const result = await deps.store.retryOp({ id, now: deps.clock.now() });
  const op = getOrThrow(result, id);
  if (!result?.changed) {
    throw new CourierError("COURIER__CONFLICT", `op ${id} is ${op.status}: only dead or failed ops can be retried`, { id, status: op.status });
  }
  await recordAudit(deps, "op.retried", id, {});
  wakeCrank(deps);
  return op;
}

export async function pauseOperatorOp(deps: AdminDeps, id: string): Promise<Op> {
  const result = await deps.store.pauseOp({ id, now: deps.clock.now() });
  const op = getOrThrow(result, id);
  if (!result?.changed) {
    if (op.status === "paused" || op.after_run === "pause") return op;
    const why = op.after_run === "cancel" ? "its cancel is waiting for the run in flight" : `it is ${op.status}`;
    throw new CourierError("COURIER__CONFLICT", `op ${id} cannot be paused: ${why}`, { id, status: op.status });
  }
  await recordAudit(deps, op.status === "paused" ? "op.paused" : "op.pause_requested", id, {});
  return op;
}

export async function resumeOperatorOp(deps: AdminDeps, id: string): Promise<Op> {
  const result = await deps.store.resumeOp({ id, now: deps.clock.now() });
  const op = getOrThrow(result, id);
  if (!result?.changed) {
    throw new CourierError("COURIER__CONFLICT", `op ${id} is ${op.status}: only a paused op can be resumed`, { id, status: op.status });
  }
  await recordAudit(deps, "op.resumed", id, {});
  wakeCrank(deps);
  return op;
}

const VERBS: Record<OperatorVerb, (deps: AdminDeps, id: string) => Promise<Op>> = {
  cancel: cancelOperatorOp,
  retry: retryOperatorOp,
  pause: pauseOperatorOp,
  resume: resumeOperatorOp,
};

/** Apply `verb` to op `id` (see the verb functions for what it throws). */
export function applyOperatorVerb(deps: AdminDeps, verb: OperatorVerb, id: string): Promise<Op> {
  return VERBS[verb](deps, id);
}

function getOrThrow(result: OperatorResult | null, id: string): Op {
  if (!result) throw getOpNotFound(id);
  return result.op;
}

export function getOpNotFound(id: string): CourierError {
  const shown = id.length > MAX_OP_ID_LENGTH ? `${id.slice(0, MAX_OP_ID_LENGTH)}…` : id;
  return new CourierError("COURIER__NOT_FOUND", `no op with id ${JSON.stringify(shown)}`, { id: shown });
}
