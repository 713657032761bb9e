/**
 * (d) Blockhash expiry: every op's first signed transaction is sent into a leader that never
 * includes it (a proxy drops those sends). The executor may re-sign only once the first
 * blockhash has expired and a final status check finds nothing; every op must land once, from
 * its second signature, and its first must never be on chain.
 */
import { startDropSendProxy } from "../drop-send-proxy.js";
import { type ScenarioReport, waitFor } from "../helpers.js";
import { runSingleCrank } from "./single-crank.js";

export async function runBlockhashExpiry(opts: { seed: number; ops?: number }): Promise<ScenarioReport> {
  let proxy: Awaited<ReturnType<typeof startDropSendProxy>> | null = null;
  const ops = opts.ops ?? 16;
  return runSingleCrank({
    name: "blockhash-expiry",
    seed: opts.seed,
    ops,
    // Every op in flight at once: the proxy drops first sends until each op has made one, so an
    // op still waiting for a slot would have its first send dropped only after the others expired.
    courier: { env: { COURIER_CONCURRENCY: String(Math.max(16, ops)) } },
    // 150 blocks of 20 ms: a blockhash lives ~3 s.
    slotMs: 20,
    async prepare(world) {
      proxy = await startDropSendProxy(world.localnet.url);
      const p = proxy;
      return { rpcUrls: [p.url], cleanup: () => p.close() };
    },
    async disturb({ world, transfers }) {
      const p = proxy;
      if (!p) throw new Error("proxy not started");
      // Drop until the first transaction of every op has been sent (the ledger entry is written
      // before the send, so wait for the proxy to have seen it), then let new ones through.
      const missing = async () => {
        const out: string[] = [];
        for (const t of transfers) {
          const first = (await world.store.getOpLedger(t.id)).find((e) => e.seq === 0);
          if (!first || !p.dropped.has(first.signature)) {
            const op = await world.store.getOp(t.id);
            out.push(`${t.id} (${op?.status}, attempts ${op?.attempts}, ledger ${first ? `${first.state} ${first.signature.slice(0, 8)}` : "none"}, last_error ${op?.last_error})`);
          }
        }
        return out;
      };
      await waitFor("every op's first send", async () => ((await missing()).length === 0 ? true : undefined), 30_000, 50).catch(async (e: unknown) => {
        throw new Error(`${String(e)}; not sent: ${(await missing()).join("; ")}; proxy saw ${JSON.stringify(Object.fromEntries(p.methods))}`);
      });
      p.dropping = false;
      const sends = [...p.dropped.values()].reduce((a, b) => a + b, 0);
      return { dropped_signatures: p.dropped.size, dropped_sends: sends, methods: Object.fromEntries(p.methods) };
    },
    async verify({ world, transfers }) {
      const violations: string[] = [];
      for (const t of transfers) {
        const ledger = (await world.store.getOpLedger(t.id)).sort((a, b) => a.seq - b.seq);
        const first = ledger[0];
        if (!first || !proxy?.dropped.has(first.signature)) violations.push(`${t.id}: its first signature was not the dropped one`);
        else if (world.localnet.hasTransaction(first.signature)) violations.push(`${t.id}: the dropped signature landed`);
        if (ledger.length < 2) violations.push(`${t.id}: never re-signed (${ledger.length} ledger entries)`);
        if (first && first.state !== "expired") violations.push(`${t.id}: first ledger entry is ${first.state}, not expired`);
      }
      return violations;
    },
  });
}
