/**
 * The demo a brand-new localnet store gets, so `pnpm start` shows work at once: a memo every
 * 10 s, three delayed transfers to fresh addresses, and a memo on a cron (every minute). Each op
 * carries a fixed idempotency key, so a restart (or two processes starting together) never
 * schedules it twice.
 */
import { type ActionRegistry, type Clock, isCourierError, type Op, type OperatorStore, type ScheduleInputBody, scheduleOp } from "@courier/agent";
import { Keypair } from "@solana/web3.js";

/** 0.01 SOL: above the rent-exempt minimum, so a transfer to a fresh address succeeds. */
const DEMO_TRANSFER_LAMPORTS = 10_000_000;

export function getDemoOps(): ScheduleInputBody[] {
  const transfers = [5_000, 15_000, 25_000].map((delay, i) => ({
    action: "sol.transfer",
    params: { to: Keypair.generate().publicKey.toBase58(), lamports: DEMO_TRANSFER_LAMPORTS },
    delay_ms: delay,
    idempotency_key: `courier-demo:transfer-${i + 1}`,
  }));
  return [
    { action: "memo", params: { text: "courier demo: a memo every 10 s" }, every_ms: 10_000, idempotency_key: "courier-demo:memo-every-10s" },
    ...transfers,
    { action: "memo", params: { text: "courier demo: a memo every minute (cron)" }, cron: "* * * * *", idempotency_key: "courier-demo:cron-every-minute" },
  ];
}

/** True when the store has never held an op (the demo is only for a brand-new store). */
export async function isBrandNewStore(store: Pick<OperatorStore, "listOps">): Promise<boolean> {
  const page = await store.listOps({ limit: 1 });
  return page.ops.length === 0;
}

/**
 * Schedule the demo ops. Each transfer goes to a fresh address, so when another process
 * scheduled the demo first its key comes back as an idempotency conflict: that op exists, skip it.
 */
export async function scheduleDemo(store: Pick<OperatorStore, "createOp">, deps: { registry: ActionRegistry; clock: Clock }): Promise<Op[]> {
  const ops: Op[] = [];
  for (const body of getDemoOps()) {
    try {
      ops.push((await scheduleOp(store, body, deps)).op);
    } catch (e) {
      if (!isCourierError(e, "COURIER__OP__IDEMPOTENCY_CONFLICT")) throw e;
    }
  }
  return ops;
}
