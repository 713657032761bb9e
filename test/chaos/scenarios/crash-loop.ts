/**
 * (f) A crash loop under the real `courier start`: a recurring op of a poisoned custom action
 * (a COURIER_ACTIONS module whose code throws outside the executor contract, an uncaught
 * exception) crashes the supervised crank loop on every run. The
 * supervisor restarts it a bounded number of times, then opens the circuit: the store says
 * halted, nothing is claimed any more. Ops done before stay exactly once; ops scheduled while
 * halted wait. The operator's fix, through the real CLI: `courier ops cancel <poisoned op>`,
 * then `courier resume` (clears the halt); the supervisor sees it, records the override,
 * restarts, and the waiting ops complete exactly once.
 */
import { fileURLToPath } from "node:url";
import { getCliArgv, runCli } from "@courier/testing";
import {
  type ScenarioReport,
  checkExactlyOnce,
  createChaosWorld,
  scheduleTransfers,
  sleep,
  spawnChild,
  waitFor,
  waitTerminal,
} from "../helpers.js";

const POISON_MODULE = fileURLToPath(new URL("../fixtures/poisoned-action.mjs", import.meta.url));

export async function runCrashLoop(opts: { seed: number; ops?: number; maxRestarts?: number }): Promise<ScenarioReport> {
  const started = Date.now();
  const maxRestarts = opts.maxRestarts ?? 3;
  const world = await createChaosWorld({ slotMs: 25, seed: opts.seed });
  try {
    // The process as an operator runs it, with the poisoned module among its custom actions.
    const env = {
      COURIER_DB: world.dbPath,
      COURIER_RPC_URLS: world.localnet.url,
      COURIER_KEYPAIR: world.keypairPath,
      COURIER_ACTIONS: POISON_MODULE,
      COURIER_INSTANCE_ID: "courier-start",
      COURIER_ADMIN_PORT: "0",
      COURIER_DEMO: "false",
      COURIER_LEASE_MS: "2000",
      COURIER_SHUTDOWN_GRACE_MS: "1000",
      COURIER_SUPERVISOR_MAX_RESTARTS: String(maxRestarts),
      COURIER_SUPERVISOR_COOLDOWN_MS: "200",
      COURIER_SUPERVISOR_WINDOW_MS: "120000",
      COURIER_LOG_LEVEL: "warn",
    };
    const proc = spawnChild({ name: "courier-start", argv: getCliArgv(["start"]), env, readyPattern: /^courier ready:/m });
    await proc.ready;
    const violations: string[] = [];
    const count = async (kind: string) => (await world.store.listAudit({ limit: 500, kind })).length;

    // Healthy work first.
    const before = await scheduleTransfers(world, Math.ceil((opts.ops ?? 20) / 2));
    await waitTerminal(
      world,
      before.map((t) => t.id),
      60_000,
    );

    // The poison, scheduled through the real CLI (which loads the same module to validate its
    // params): a run every 300 ms, each one throwing outside the executor contract.
    const scheduled = await runCli(
      ["schedule", "--action", "chaos.poison", "--params", JSON.stringify({ text: `poison-${opts.seed}` }), "--every", "300ms", "--max-attempts", "50", "--json"],
      env,
    );
    if (scheduled.code !== 0) throw new Error(`courier schedule chaos.poison: exit ${scheduled.code}: ${scheduled.stderr.slice(-500)}`);
    const poison = JSON.parse(scheduled.stdout) as { id: string };
    await waitFor("the supervisor to halt", async () => ((await world.store.getControl()).halted ? true : undefined), 60_000, 100);
    // The halt is persisted first and its audit event written right after: wait for the event
    // (bounded; its absence is reported below as a violation).
    await waitFor("the supervisor.halted audit event", async () => ((await count("supervisor.halted")) > 0 ? true : undefined), 10_000, 100).catch(() => undefined);
    const crashes = await count("supervisor.crash");
    const restarts = await count("supervisor.restart");
    if (crashes !== maxRestarts + 1) violations.push(`${crashes} crashes recorded, expected ${maxRestarts + 1}`);
    if (restarts !== maxRestarts) violations.push(`${restarts} restarts recorded, expected ${maxRestarts}`);
    if ((await count("supervisor.halted")) !== 1) violations.push("no supervisor.halted audit event");

    // Halted: new work waits, and no further restart happens.
    const after = await scheduleTransfers(world, Math.floor((opts.ops ?? 20) / 2), {}, 5_000_000);
    await sleep(2_000);
    for (const t of after) {
      const op = await world.store.getOp(t.id);
      if (op?.status !== "pending") violations.push(`${t.id}: ${op?.status} while halted (expected pending)`);
    }
    if ((await count("supervisor.restart")) !== restarts) violations.push("restarted while halted");
    if (!proc.alive()) violations.push("the process died instead of halting");

    // What the operator sees: the store-wide state is halted.
    const stats = await runCli(["stats", "--json"], env);
    const state = stats.code === 0 ? (JSON.parse(stats.stdout) as { state?: string }).state : `exit ${stats.code}`;
    if (state !== "halted") violations.push(`courier stats says ${state} while halted`);

    // The operator's fix, through the real CLI.
    const cancel = await runCli(["ops", "cancel", poison.id, "--json"], env);
    if (cancel.code !== 0) violations.push(`courier ops cancel: exit ${cancel.code}: ${cancel.stderr.slice(-300)}`);
    const resume = await runCli(["resume", "--json"], env);
    if (resume.code !== 0) violations.push(`courier resume: exit ${resume.code}: ${resume.stderr.slice(-300)}`);
    await waitFor("the override", async () => ((await count("supervisor.override")) > 0 ? true : undefined), 30_000, 100);
    await waitTerminal(
      world,
      after.map((t) => t.id),
      60_000,
    );
    const exit = await proc.term(20_000).catch((e: unknown) => String(e));
    if (exit !== 0) violations.push(`courier start exit ${exit}`);

    const check = await checkExactlyOnce(world, [...before, ...after]);
    violations.push(...check.violations);
    const poisonAfter = await world.store.getOp(poison.id);
    if (poisonAfter?.status !== "cancelled") violations.push(`poisoned op ${poisonAfter?.status}, expected cancelled`);
    return {
      name: "crash-loop",
      seed: opts.seed,
      ops: before.length + after.length,
      duration_ms: Date.now() - started,
      violations,
      details: { crashes, restarts, max_restarts: maxRestarts, poison_runs: poisonAfter?.exec_count ?? null, outcomes: check.outcomes },
    };
  } finally {
    await world.close();
  }
}
