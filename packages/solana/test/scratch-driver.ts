import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import pLimit from "p-limit";
const limit = pLimit(32);
import { Keypair } from "@solana/web3.js";
import { openSqliteStore, systemClock, type Op, type RunContext } from "@courier/agent";
import { startLocalnet } from "@courier/localnet";
import { createRpcPool, createSolanaExecutor, generateKeypairFile } from "@courier/solana";

const N = Number(process.argv[2] ?? 50);
const dir = await mkdtemp(join(tmpdir(), "scratch-"));
const localnet = await startLocalnet({ port: 0, slotMs: 40, websocket: false });
const store = await openSqliteStore(join(dir, "db.sqlite"));
const signer = await generateKeypairFile(join(dir, "id.json"));
localnet.airdrop(signer.publicKey.toBase58(), 1000n * 1_000_000_000n);
const pool = createRpcPool({ urls: localnet.urls, timeoutMs: 1000, sendTimeoutMs: 1000, ratePerSecond: 5000, healthIntervalMs: 0, breaker: { failureThreshold: 25, openMs: 500, maxOpenMs: 2000, halfOpenProbes: 1 } });
const logger = pino({ level: "info" });
const executor = createSolanaExecutor({ pool, store, signer, pollMs: 150, rebroadcastMs: 1000, clock: systemClock, logger });
if (process.argv[3] !== "nofault") localnet.setFaults({ drop_response_rate: 0.3, rate_5xx: 0.1, latency_ms: 50 });
const t0 = Date.now();
const results = await Promise.all(
  Array.from({ length: N }, (_, i) => limit(async () => {
    const to = Keypair.generate().publicKey.toBase58();
    const lamports = 1_000_000 + i;
    const op = { id: `op${i}`, action: "sol.transfer", params: { to, lamports }, run: 1 } as unknown as Op;
    const entries: any[] = [];
    const ctx: RunContext = {
      run: 1,
      attempt: 1,
      instance: "x",
      reclaimed: false,
      signal: new AbortController().signal,
      log: logger.child({ op: i }),
      ledger: {
        entries: async () => entries,
        put: async (e) => void entries.push({ ...e, op_id: op.id, run: 1, created_at: Date.now(), updated_at: Date.now() }),
        update: async (seq, state) => void (entries.find((e) => e.seq === seq).state = state),
      },
    };
    const r = await executor.execute(op, ctx);
    return { r, to, lamports, entries };
  })),
);
console.log("elapsed", Date.now() - t0, executor.stats());
let bad = 0;
for (const x of results) {
  const bal = localnet.getBalance(x.to);
  if (x.r.outcome !== "ok" || bal !== BigInt(x.lamports)) {
    bad++;
    console.log(x.r, bal, x.lamports, x.entries.map((e) => e.state));
  }
}
console.log("bad", bad, pool.requestCounts(), pool.health());
executor.stop();
await pool.close();
await store.close();
await localnet.stop();
