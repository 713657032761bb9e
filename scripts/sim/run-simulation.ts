/**
 * One simulation, start to end: world (cluster + store) → fund the signer → the scenario →
 * verification against the store and the chain → report. The run directory (store, logs of
 * every crank) is removed after a clean run and kept after a failed one, for inspection.
 */
import { CourierError } from "./workspace.js";
import { killStartedCrankProcesses } from "./crank-process.js";
import { SCENARIOS } from "./scenarios/index.js";
import { TRANSFER_LAMPORTS } from "./scenarios/scenario.js";
import type { SimArgs } from "./sim-args.js";
import { formatSol, LAMPORTS_PER_SOL } from "./sim-cluster.js";
import { buildSimReport, type SimReport } from "./sim-report.js";
import { createSimWorld } from "./sim-world.js";
import { verifyRuns } from "./verify-runs.js";

// Per transfer: the amount (plus the per-op offset), the base fee and room for a priority fee.
const LAMPORTS_PER_RUN = TRANSFER_LAMPORTS + 100 + 20_000;
const FUNDING_MARGIN = LAMPORTS_PER_SOL / 100;

export interface SimulationResult {
  report: SimReport;
  /** The run directory when kept (failed run or --keep), else null. */
  keptDir: string | null;
}

export async function runSimulation(args: Omit<SimArgs, "json">, progress: (line: string) => void): Promise<SimulationResult> {
  const scenario = SCENARIOS[args.scenario];
  if (scenario.needsLocalnet && args.rpc !== null) {
    throw new CourierError(
      "COURIER__CONFIG",
      `${args.scenario} switches the embedded localnet's fault endpoint and cannot cut a remote cluster off; run it without --rpc`,
    );
  }
  const size = { smoke: args.smoke, fast: args.fast };
  const world = await createSimWorld({ rpc: args.rpc, keypair: args.keypair, slotMs: args.slotMs, profile: args.profile, progress });
  let keep = args.keep;
  try {
    const { cluster } = world;
    progress(`sim ${args.scenario}: ${cluster.label}, signer ${cluster.signer.publicKey.toBase58()}, run dir ${world.dir}`);
    const need = scenario.countRuns(size) * LAMPORTS_PER_RUN + FUNDING_MARGIN;
    const funds = await cluster.ensureFunds(need);
    if (funds.airdropped > 0 && cluster.kind === "remote") progress(`sim: airdropped ${formatSol(funds.airdropped)} SOL to the signer`);

    cluster.resetRequestCounts();
    const startedAt = Date.now();
    let outcome: Awaited<ReturnType<typeof scenario.run>>;
    try {
      outcome = await scenario.run({ world, ...size });
    } finally {
      killStartedCrankProcesses();
    }
    const endedAt = Date.now();
    // Read before verification (which reads the chain through its own means).
    const clusterCounts = cluster.requestCounts();
    const verdicts = await verifyRuns(world.store, cluster, world.planned);
    const report = buildSimReport({
      scenario: args.scenario,
      description: scenario.describe(size),
      cluster: { kind: cluster.kind, url: cluster.label, signer: cluster.signer.publicKey.toBase58() },
      smoke: args.smoke,
      startedAt,
      endedAt,
      ops: world.planned.length,
      verdicts,
      rpc: clusterCounts ? { source: "localnet", byMethod: clusterCounts } : (outcome.requests ?? { source: "unavailable", byMethod: null }),
      details: outcome.details,
    });
    keep ||= !report.ok;
    return { report, keptDir: keep ? world.dir : null };
  } catch (e) {
    keep = true;
    progress(`sim: run directory kept: ${world.dir}`);
    throw e;
  } finally {
    await world.close({ keepDir: keep });
  }
}
