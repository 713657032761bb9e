/**
 * (a) Three `courier start` processes on one SQLite store; at random moments one of them is
 * SIGKILLed and a replacement started. Lost answers are mixed in (drop_response) so a restarted
 * process cannot take "no answer" for "not sent". Each victim holds a running op when killed.
 * Afterwards: exactly once, nothing running, and most kills interrupted work in flight.
 */
import { createSeededRandom } from "@courier/agent";
import {
  type ChildHandle,
  type ScenarioReport,
  checkExactlyOnce,
  createChaosWorld,
  scheduleTransfers,
  sleep,
  spawnCourier,
  waitFor,
  waitTerminal,
} from "../helpers.js";

export interface KillRestartOptions {
  seed: number;
  ops?: number;
  kills?: number;
}

export async function runKillRestart(opts: KillRestartOptions): Promise<ScenarioReport> {
  const started = Date.now();
  const random = createSeededRandom(opts.seed);
  const world = await createChaosWorld({ slotMs: 25, seed: opts.seed });
  try {
    let generation = 0;
    const spawnOne = () => spawnCourier(world, { instanceId: `crank-${generation++}`, leaseMs: 1_500 });
    const procs: ChildHandle[] = [spawnOne(), spawnOne(), spawnOne()];
    await Promise.all(procs.map((p) => p.ready));

    const kills = opts.kills ?? 4;
    const wave = Math.max(1, Math.floor((opts.ops ?? 36) / (kills + 1)));
    // Work arrives in waves, one before each kill, so every kill lands while ops are in flight.
    const transfers = await scheduleTransfers(world, wave);
    world.localnet.setFaults({ drop_response_rate: 0.15 });
    // Some work is in flight before the first kill.
    await waitFor("a first success", async () => ((await world.store.stats({ ticks: 0, now: Date.now() })).totals.succeeded > 0 ? true : undefined), 30_000, 100);

    let interrupted = 0;
    let killsInFlight = 0;
    for (let k = 0; k < kills; k++) {
      transfers.push(...(await scheduleTransfers(world, wave, {}, 2_000_000 + k * 1_000)));
      await sleep(random() * 300);
      // The victim is a live process that holds a running op right now, so the kill lands mid-flight
      // (a random moment mostly hit idle processes: running_at_kill was 0 in every soak round).
      const target = await waitFor(
        "a process holding a running op",
        async () => {
          const running = await world.store.listOps({ status: "running", limit: 100 });
          const holders = procs.filter((p) => p.alive() && running.ops.some((o) => o.lease_owner === p.name && (o.lease_until ?? 0) > Date.now()));
          if (holders.length === 0) return undefined;
          const victim = holders[Math.floor(random() * holders.length)] as ChildHandle;
          return { victim, held: running.ops.filter((o) => o.lease_owner === victim.name).length };
        },
        15_000,
        20,
      ).catch(() => null);
      const victim = target?.victim ?? procs.find((p) => p.alive());
      if (!victim) break;
      await victim.kill9();
      const held = target?.held ?? 0;
      interrupted += held;
      if (held > 0) killsInFlight++;
      procs.splice(procs.indexOf(victim), 1, spawnOne());
    }
    world.localnet.setFaults({});
    // At least one survivor (or replacement) must be up to finish the work.
    await Promise.any(procs.map((p) => p.ready));
    const done = await waitTerminal(
      world,
      transfers.map((t) => t.id),
      60_000,
    );
    const stillOpen = transfers.length - done.filter((o) => o.status === "succeeded").length;
    // Replacements still loading get to finish (a process SIGTERMed before its handlers exist dies of the signal).
    await Promise.allSettled(procs.map((p) => p.ready));
    const exits = await Promise.all(procs.map((p) => p.term(20_000).catch((e: unknown) => String(e))));
    const check = await checkExactlyOnce(world, transfers, { forbiddenOutcomes: ["permanent"] });
    const violations = [...check.violations];
    for (const [i, code] of exits.entries()) if (code !== 0) violations.push(`process ${procs[i]?.name} exit ${code}`);
    // The scenario proves something only when its kills interrupt work: most must land mid-flight.
    if (killsInFlight * 2 <= kills) violations.push(`only ${killsInFlight} of ${kills} kills hit a process with an op in flight`);
    return {
      name: "kill-restart",
      seed: opts.seed,
      ops: transfers.length,
      duration_ms: Date.now() - started,
      violations,
      details: { kills, kills_in_flight: killsInFlight, processes: generation, running_at_kill: interrupted, not_succeeded_at_deadline: stillOpen, outcomes: check.outcomes },
    };
  } finally {
    await world.close();
  }
}
