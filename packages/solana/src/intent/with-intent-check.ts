/**
 * The run-time intent check: ONE hook in front of the executor, so it runs before anything of an
 * attempt is built, signed or sent, against the very op object the executor would sign from.
 *
 * A refused op gets, before its attempt ends: an audit event `op.intent_invalid` naming the
 * fields that differ from the signed intent, and an alert `op.intent_invalid:<op_id>` (a CAS, so
 * one per op however many processes or retries see it). The attempt ends permanent with
 * COURIER__OP__INTENT_INVALID, which the lifecycle turns into `failed` whatever `on_failure` says.
 * If the audit or alert cannot be written, the attempt ends infra (released, nothing signed) and
 * the refusal is recorded at the next claim.
 */
import { alertEventId, CourierError, coerceError, type Clock, type ExecResult, type Executor, type Op, type RunContext, type Store } from "@courier/agent";
import type { Logger } from "pino";
import type { IntentPolicy, IntentVerdict } from "./intent-policy.js";

export interface IntentCheckDeps {
  policy: IntentPolicy;
  store: Pick<Store, "audit" | "transitionAlert">;
  clock: Clock;
  logger: Logger;
  instanceId: string;
}

const SUMMARY: Record<Exclude<IntentVerdict, { ok: true }>["reason"], string> = {
  unsigned: "the op has no owner signature (created before COURIER_INTENT_KEYS was set?): re-sign it with `courier ops sign ID --sign KEYPAIR_FILE`",
  signer_not_allowed: "the op is signed by a key that is not in COURIER_INTENT_KEYS",
  bad_signature: "the op's stored signature does not verify",
  mismatch: "the op differs from what its owner signed",
};

export function withIntentCheck(executor: Executor, deps: IntentCheckDeps): Executor {
  if (!deps.policy.enforced) return executor;
  return {
    ...executor,
    async execute(op: Op, ctx: RunContext): Promise<ExecResult> {
      const verdict = deps.policy.check(op);
      if (verdict.ok) return executor.execute(op, ctx);
      return refuse(op, ctx, verdict, deps);
    },
  };
}

async function refuse(op: Op, ctx: RunContext, verdict: Exclude<IntentVerdict, { ok: true }>, deps: IntentCheckDeps): Promise<ExecResult> {
  const { reason, fields, signer } = verdict;
  const summary = SUMMARY[reason];
  const detail = fields.length > 0 ? `; fields that differ from the signed intent: ${fields.join(", ")}` : "";
  const error = new CourierError("COURIER__OP__INTENT_INVALID", `${summary}${detail}; refused, nothing signed or sent`, { reason, fields });
  const now = deps.clock.now();
  const data = { reason, fields, signer, run: ctx.run, attempt: ctx.attempt };
  deps.logger.error({ op_id: op.id, action: op.action, instance: deps.instanceId, ...data }, "op.intent_invalid");
  try {
    await deps.store.audit({ at: now, instance: deps.instanceId, kind: "op.intent_invalid", op_id: op.id, data });
    const key = `op.intent_invalid:${op.id}`;
    const alertData = { op_id: op.id, action: op.action, ...data };
    await deps.store.transitionAlert({
      key,
      state: "firing",
      now,
      data: { summary, ...alertData },
      event: {
        event_id: alertEventId(key, now, "firing"),
        type: "alert.firing",
        payload: { key, state: "firing", since: new Date(now).toISOString(), summary: `op ${op.id}: ${summary}`, data: alertData },
      },
    });
  } catch (e) {
    return { outcome: "infra", error: coerceError(e) };
  }
  return { outcome: "permanent", error };
}
