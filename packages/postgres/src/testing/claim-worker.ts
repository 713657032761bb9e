/**
 * A crank-like claimer run as a child process (claim-processes.test.ts, bench-claims.ts):
 * `claim-worker.ts <url> <schema> <owner> <peers> <now> <batch> <report: ids|count>`.
 * It heartbeats, waits (bounded) until `peers` workers have heartbeat so all of them claim at
 * the same time, then claims and finishes ops until none are due, and prints one JSON line:
 * `{owner, won: string[] | number, started_at, ended_at}` (wall-clock ms around the claim loop).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { openPostgresStore } from "../open.js";

async function main(): Promise<void> {
  const [url, schema, owner, peersArg, nowArg, batchArg, report] = process.argv.slice(2);
  if (!url || !schema || !owner || !peersArg || !nowArg || !batchArg || !report) {
    throw new Error("usage: claim-worker <url> <schema> <owner> <peers> <now> <batch> <ids|count>");
  }
  const peers = Number(peersArg);
  const now = Number(nowArg);
  const batch = Number(batchArg);
  const store = await openPostgresStore(url, { schema, poolSize: 4 });
  await store.heartbeat({ instance: owner, started_at: Date.now(), now: Date.now(), in_flight: 0, ticked: false });
  for (let i = 0; i < 1000; i++) {
    if ((await store.stats({ ticks: 0, now: Date.now() })).instances.length >= peers) break;
    await sleep(10);
  }
  const won: string[] = [];
  let count = 0;
  const started_at = Date.now();
  for (let round = 0; round < 1_000_000; round++) {
    // Varying batch sizes (ids mode) make the claimers' windows overlap in different ways.
    const limit = report === "ids" ? 1 + (round % batch) : batch;
    const claimed = await store.claimDue({ now, limit, owner, lease_ms: 60_000 });
    if (claimed.length === 0) break;
    const finishes = claimed.map(({ op }) => ({
      id: op.id,
      owner,
      now: now + 1,
      transition: { kind: "finish" as const, status: "succeeded" as const, exec_count: 1, last_error: null },
      attempt: {
        op_id: op.id,
        run: op.run,
        attempt: op.attempts,
        instance: owner,
        action: op.action,
        started_at: now,
        ended_at: now + 1,
        outcome: "ok" as const,
        error_code: null,
        error: null,
        signature: null,
        latency_ms: 1,
      },
    }));
    count += claimed.length;
    if (report === "ids") won.push(...claimed.map((c) => c.op.id));
    // ids mode (tests): one finishAttempt per op, concurrently, as attempts end independently;
    // count mode (benchmark): the crank's hot path, one finishAttempts commit per batch.
    const results = report === "ids" ? await Promise.all(finishes.map((f) => store.finishAttempt(f))) : await store.finishAttempts(finishes);
    const lost = finishes.filter((_, i) => !results[i]);
    if (lost.length > 0) throw new Error(`lost ${lost.map((f) => f.id).join(", ")}`);
  }
  const ended_at = Date.now();
  await store.close();
  process.stdout.write(`${JSON.stringify({ owner, won: report === "ids" ? won : count, started_at, ended_at })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
