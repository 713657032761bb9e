/**
 * A crank-like claimer run as a child process by sqlite-processes.test.ts:
 * `claim-worker.fixture.ts <db path> <owner> <peers> <now>`. It waits (bounded) until `peers`
 * workers have heartbeat into the store, so all of them claim at the same time, then claims and
 * finishes ops until none are due, and prints the ids it won as one JSON line.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { openSqliteStore } from "../src/open.js";

async function main(): Promise<void> {
  const [path, owner, peersArg, nowArg] = process.argv.slice(2);
  if (!path || !owner || !peersArg || !nowArg) throw new Error("usage: claim-worker <path> <owner> <peers> <now>");
  const peers = Number(peersArg);
  const now = Number(nowArg);
  const store = await openSqliteStore(path);
  await store.heartbeat({ instance: owner, started_at: Date.now(), now: Date.now(), in_flight: 0, ticked: false });
  for (let i = 0; i < 500; i++) {
    if ((await store.stats({ ticks: 0, now: Date.now() })).instances.length >= peers) break;
    await sleep(10);
  }
  const won: string[] = [];
  for (let round = 0; round < 10_000; round++) {
    const batch = await store.claimDue({ now, limit: 1 + (round % 8), owner, lease_ms: 60_000 });
    if (batch.length === 0) break;
    for (const { op } of batch) {
      won.push(op.id);
      const finished = await store.finishAttempt({
        id: op.id,
        owner,
        now: now + 1,
        transition: { kind: "finish", status: "succeeded", exec_count: 1, last_error: null },
        attempt: {
          op_id: op.id,
          run: op.run,
          attempt: op.attempts,
          instance: owner,
          action: op.action,
          started_at: now,
          ended_at: now + 1,
          outcome: "ok",
          error_code: null,
          error: null,
          signature: null,
          latency_ms: 1,
        },
      });
      if (!finished) throw new Error(`lost ${op.id}`);
    }
  }
  await store.close();
  process.stdout.write(`${JSON.stringify(won)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
