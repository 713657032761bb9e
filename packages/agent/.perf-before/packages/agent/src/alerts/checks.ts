/**
 * Alert conditions. Each is a small check fed by narrow inputs (functions), so it can be tested
 * with real parts and wired to whatever the process has (store, RPC pool, signer).
 *
 * A check answers `{firing, summary, data}`, or `null` when it cannot tell right now (its input
 * failed): an unknown answer changes nothing, so a flaky input cannot resolve a real incident or
 * raise a false one.
 */
import type { CrankControl } from "../types.js";

export interface AlertCondition {
  firing: boolean;
  /** One human line for the notification. */
  summary: string;
  data: Record<string, unknown>;
}

export interface AlertCheck {
  /** The condition's key: one alert row, one incident at a time. */
  key: string;
  evaluate(now: number): Promise<AlertCondition | null>;
}

export const ALERT_KEYS = {
  halted: "crank_halted",
  rpcDown: "rpc_all_down",
  deadOps: "ops_dead",
  signerBalance: "signer_balance_low",
  overdue: "ops_overdue",
  spendCap: "spend_cap_hit",
} as const;

/** The supervisor opened the circuit: the crank stopped until an operator resumes it. */
export function createHaltedCheck(input: { getControl: () => Promise<CrankControl> }): AlertCheck {
  return {
    key: ALERT_KEYS.halted,
    async evaluate() {
      const c = await input.getControl();
      return c.halted
        ? { firing: true, summary: `crank halted: ${c.halted_reason ?? "no reason recorded"}`, data: { reason: c.halted_reason, halted_at: c.halted_at } }
        : { firing: false, summary: "crank no longer halted", data: {} };
    },
  };
}

export interface RpcStatus {
  allDown: boolean;
  /** Since when every endpoint has been down (epoch ms), when allDown. */
  since: number | null;
}

/** Every RPC endpoint down for at least `thresholdMs` (a short blip is the cooldown's job, not an alert). */
export function createRpcDownCheck(input: { getRpcStatus: () => RpcStatus | Promise<RpcStatus>; thresholdMs: number }): AlertCheck {
  return {
    key: ALERT_KEYS.rpcDown,
    async evaluate(now) {
      const s = await input.getRpcStatus();
      const since = s.since ?? now;
      if (s.allDown && now - since >= input.thresholdMs) {
        return { firing: true, summary: `every RPC endpoint down for ${Math.round((now - since) / 1000)} s`, data: { down_since: new Date(since).toISOString() } };
      }
      return s.allDown ? null : { firing: false, summary: "an RPC endpoint is reachable again", data: {} };
    },
  };
}

/**
 * Dead ops: one incident while any op is dead; it resolves when none remain (retried by the
 * operator). Individual dead ops are reported by their own `op.dead` webhook events.
 */
export function createDeadOpsCheck(input: { listDeadOpIds: (limit: number) => Promise<string[]> }): AlertCheck {
  const SAMPLE = 20;
  return {
    key: ALERT_KEYS.deadOps,
    async evaluate() {
      const ids = await input.listDeadOpIds(SAMPLE);
      if (ids.length === 0) return { firing: false, summary: "no dead ops remain", data: {} };
      const count = ids.length < SAMPLE ? String(ids.length) : `${SAMPLE}+`;
      return { firing: true, summary: `${count} op(s) dead; inspect and retry them`, data: { count, op_ids: ids.slice(0, 10) } };
    },
  };
}

/** The signer cannot pay for much longer. */
export function createSignerBalanceCheck(input: { getBalanceLamports: () => Promise<number>; thresholdLamports: number; signer?: string }): AlertCheck {
  return {
    key: ALERT_KEYS.signerBalance,
    async evaluate() {
      const lamports = await input.getBalanceLamports();
      const data = { signer: input.signer ?? null, lamports, threshold_lamports: input.thresholdLamports };
      return lamports < input.thresholdLamports
        ? { firing: true, summary: `signer balance ${lamports} lamports is below ${input.thresholdLamports}`, data }
        : { firing: false, summary: "signer balance back above the threshold", data };
    },
  };
}

/**
 * Pending ops overdue by more than `overdueMs` while the crank should be running (not paused, not
 * halted: a halted crank has its own alert). Nobody claiming them (every instance down, or
 * stuck) is exactly the case this catches.
 */
export function createOverdueCheck(input: {
  countOverdue: (before: number) => Promise<number>;
  getControl: () => Promise<CrankControl>;
  overdueMs: number;
}): AlertCheck {
  return {
    key: ALERT_KEYS.overdue,
    async evaluate(now) {
      const c = await input.getControl();
      if (c.paused || c.halted) return { firing: false, summary: "crank paused or halted: overdue ops are expected", data: {} };
      const n = await input.countOverdue(now - input.overdueMs);
      return n > 0
        ? { firing: true, summary: `${n} op(s) overdue by more than ${Math.round(input.overdueMs / 1000)} s`, data: { overdue: n, overdue_ms: input.overdueMs } }
        : { firing: false, summary: "no op overdue", data: {} };
    },
  };
}

/** A spend cap refused a send today (UTC); resolves on the next UTC day without a refusal. */
export function createSpendCapCheck(input: { countCapHitsSince: (since: number) => Promise<number> }): AlertCheck {
  return {
    key: ALERT_KEYS.spendCap,
    async evaluate(now) {
      const dayStart = now - (now % 86_400_000);
      const n = await input.countCapHitsSince(dayStart);
      const day = new Date(dayStart).toISOString().slice(0, 10);
      return n > 0
        ? { firing: true, summary: `spend cap hit ${n} time(s) on ${day} (UTC)`, data: { day, refusals: n } }
        : { firing: false, summary: "no spend cap refusal today", data: { day } };
    },
  };
}
