/**
 * (e) The store locked by an outside writer: a separate better-sqlite3 connection holds
 * BEGIN IMMEDIATE for 10 s while ops are in flight. The crank's writes wait (busy_timeout and
 * the store's busy retry); past that they fail as infra (COURIER__STORE__BUSY) and the crank
 * cools down and probes. Either way it recovers by itself once the lock is gone: exactly once,
 * no attempt spent on the lock.
 */
import { createRequire } from "node:module";
import type BetterSqlite3 from "better-sqlite3";
import { type ScenarioReport, sleep, waitFor } from "../helpers.js";
import { runSingleCrank } from "./single-crank.js";

// better-sqlite3 is the agent package's dependency; resolve it from there.
const requireFromAgent = createRequire(new URL("../../../packages/agent/package.json", import.meta.url));
const Database = requireFromAgent("better-sqlite3") as typeof BetterSqlite3;

/** The crank's state transitions, in order, from its pino lines. */
function getStates(output: string): string[] {
  return [...output.matchAll(/"state":"([a-z_]+)","previous":"[a-z_]+"[^\n]*"msg":"crank\.state"/g)].map((m) => m[1] as string);
}

export function runStoreLock(opts: { seed: number; ops?: number; lockMs?: number }): Promise<ScenarioReport> {
  const lockMs = opts.lockMs ?? 10_000;
  let states: string[] = [];
  return runSingleCrank({
    name: "store-lock",
    seed: opts.seed,
    ops: opts.ops ?? 30,
    // Slower slots keep ops in flight when the lock starts.
    slotMs: 40,
    // crank.state transitions are info lines.
    courier: { logLevel: "info" },
    async disturb({ world, courier }) {
      await waitFor(
        "a first success",
        async () => ((await world.store.stats({ ticks: 0, now: Date.now() })).totals.succeeded > 0 ? true : undefined),
        30_000,
        20,
      );
      const before = (await world.store.stats({ ticks: 0, now: Date.now() })).ops_by_status;
      const outside = new Database(world.dbPath, { timeout: 5_000 });
      let heldMs = 0;
      try {
        outside.prepare("BEGIN IMMEDIATE").run();
        const lockedAt = Date.now();
        await sleep(lockMs);
        heldMs = Date.now() - lockedAt;
        outside.prepare("COMMIT").run();
      } finally {
        outside.close();
      }
      await waitFor("the crank running again", () => (getStates(courier.output()).at(-1) === "running" ? true : undefined), 30_000);
      states = getStates(courier.output());
      return { lock_ms: heldMs, at_lock: { pending: before.pending, running: before.running, succeeded: before.succeeded }, crank_states: states };
    },
    async verify() {
      // Whether the crank cools down depends on the lock's length: the SQLite store retries
      // SQLITE_BUSY (4 tries of busy_timeout 5 s) before surfacing COURIER__STORE__BUSY, so a
      // 10 s lock is absorbed inside the store; a longer one (the soak draws up to 25 s) makes
      // the crank enter cooling_down. Either way it must end up running again (waited for above).
      return states.at(-1) === "running" ? [] : [`the crank did not return to running (states: ${states.join(" → ")})`];
    },
  });
}
