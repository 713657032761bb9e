/**
 * Doctor: with COURIER_INTENT_KEYS set, every op that may still run must carry a valid owner
 * signature, or the crank will refuse it. Lists the ones that would be refused (ops created
 * before the keys were set, signed by a key since removed, or changed after signing), with the fix.
 */
import { coerceError, OP_STATUSES, type Op, type OpStatus, type Store, TERMINAL_STATUSES } from "@courier/agent";
import type { Config } from "../config/index.js";
import { createConfiguredIntentPolicy } from "../wiring/intents.js";
import type { DoctorCheck } from "./types.js";

/** Most ops looked at per status (a doctor run must stay quick on a huge store). */
const SCAN_LIMIT = 100_000;
const PAGE = 500;
const SHOWN = 5;

/** `openStore` resolves null when there is no store yet (nothing to check). */
export async function checkIntents(config: Config, openStore: () => Promise<(Store & { close(): Promise<void> }) | null>): Promise<DoctorCheck> {
  if (config.intentKeys.length === 0) {
    return { check: "intents", status: "ok", detail: "off (COURIER_INTENT_KEYS empty): ops are not signed by an owner key" };
  }
  const policy = await createConfiguredIntentPolicy(config);
  let store: (Store & { close(): Promise<void> }) | null;
  try {
    store = await openStore();
  } catch (e) {
    return { check: "intents", status: "warn", detail: `cannot check signed ops: ${coerceError(e).message}` };
  }
  if (!store) return { check: "intents", status: "ok", detail: "on; no store yet" };
  try {
    const refused: Array<{ op: Op; reason: string }> = [];
    let scanned = 0;
    for (const status of OP_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s))) {
      scanned += await scanStatus(store, status, (op) => {
        const verdict = policy.check(op);
        if (!verdict.ok) refused.push({ op, reason: verdict.reason });
      });
    }
    const keys = `${config.intentKeys.length} owner key${config.intentKeys.length === 1 ? "" : "s"}`;
    if (refused.length === 0) return { check: "intents", status: "ok", detail: `${keys}; all ${scanned} active ops are signed` };
    const shown = refused
      .slice(0, SHOWN)
      .map((r) => `${r.op.id} (${r.reason})`)
      .join(", ");
    const more = refused.length > SHOWN ? ` and ${refused.length - SHOWN} more` : "";
    return {
      check: "intents",
      status: "fail",
      detail: `${refused.length} of ${scanned} active ops would be refused: ${shown}${more}. Check each (courier ops show ID), then re-sign it (courier ops sign ID --sign KEYPAIR_FILE) or cancel it`,
    };
  } finally {
    await store.close();
  }
}

async function scanStatus(store: Store, status: OpStatus, visit: (op: Op) => void): Promise<number> {
  let cursor: string | null = null;
  let seen = 0;
  do {
    const page: { ops: Op[]; next_cursor: string | null } = await store.listOps({ status, limit: PAGE, cursor });
    for (const op of page.ops) visit(op);
    seen += page.ops.length;
    cursor = page.next_cursor;
  } while (cursor !== null && seen < SCAN_LIMIT);
  return seen;
}
