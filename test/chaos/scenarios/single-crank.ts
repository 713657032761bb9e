/**
 * The shape shared by the single-process scenarios: one `courier start` on a fresh world, ops
 * scheduled, a fault applied while they run (`disturb`), the fault lifted, every op waited for,
 * a graceful stop, and the exactly-once check.
 */
import {
  type ChaosWorld,
  type ChildHandle,
  type CourierOptions,
  type ExactlyOnceOptions,
  type ScenarioReport,
  type Transfer,
  checkExactlyOnce,
  createChaosWorld,
  scheduleTransfers,
  spawnCourier,
  waitTerminal,
} from "../helpers.js";

export interface SingleCrankScenario {
  name: string;
  seed: number;
  ops: number;
  slotMs?: number;
  courier?: Partial<CourierOptions>;
  /** Before the process starts (e.g. a proxy in front of the localnet); may return RPC URLs to use. */
  prepare?: (world: ChaosWorld) => Promise<{ rpcUrls?: string[]; cleanup?: () => Promise<void> } | undefined>;
  /** Right before the ops are scheduled (the process is ready). */
  beforeSchedule?: (world: ChaosWorld) => Promise<void> | void;
  /** Runs once the ops are scheduled; returns details for the report. Must lift its fault before returning. */
  disturb: (ctx: { world: ChaosWorld; courier: ChildHandle; transfers: Transfer[] }) => Promise<Record<string, unknown>>;
  check?: ExactlyOnceOptions;
  /** Extra checks after the run; returns violations. */
  verify?: (ctx: { world: ChaosWorld; transfers: Transfer[] }) => Promise<string[]>;
  waitMs?: number;
}

export async function runSingleCrank(s: SingleCrankScenario): Promise<ScenarioReport> {
  const started = Date.now();
  const world = await createChaosWorld({ slotMs: s.slotMs ?? 25, seed: s.seed });
  let cleanup: (() => Promise<void>) | undefined;
  try {
    const prepared = s.prepare ? await s.prepare(world) : undefined;
    cleanup = prepared?.cleanup;
    const courier = spawnCourier(world, { instanceId: `${s.name}-crank`, ...s.courier, ...(prepared?.rpcUrls ? { rpcUrls: prepared.rpcUrls } : {}) });
    await courier.ready;
    await s.beforeSchedule?.(world);
    const transfers = await scheduleTransfers(world, s.ops);
    const details = await s.disturb({ world, courier, transfers }).catch((e: unknown) => {
      // What the process said is the first thing to read when a scenario breaks.
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- ${courier.name} output (tail) ---\n${courier.output().slice(-4_000)}`);
    });
    const done = await waitTerminal(
      world,
      transfers.map((t) => t.id),
      s.waitMs ?? 60_000,
    );
    const exit = await courier.term(20_000).catch((e: unknown) => String(e));
    const check = await checkExactlyOnce(world, transfers, s.check);
    const violations = [...check.violations];
    if (s.verify) violations.push(...(await s.verify({ world, transfers })));
    if (exit !== 0) violations.push(`courier exit ${exit}: ${courier.output().slice(-800)}`);
    return {
      name: s.name,
      seed: s.seed,
      ops: transfers.length,
      duration_ms: Date.now() - started,
      violations,
      details: { ...details, not_succeeded_at_deadline: transfers.length - done.filter((o) => o.status === "succeeded").length, outcomes: check.outcomes },
    };
  } finally {
    await cleanup?.().catch(() => undefined);
    await world.close();
  }
}
