/** What every scenario provides, and the pieces several of them share. */
import type { ScenarioName } from "../sim-args.js";
import { type InProcessCrank, startInProcessCrank } from "../in-process-crank.js";
import { startRpcCountingProxy } from "../rpc-counting-proxy.js";
import { type SimWorld, waitForPlanned } from "../sim-world.js";

/** 0.001 SOL: above the rent-exempt minimum of a fresh account (890,880 lamports), small on devnet. */
export const TRANSFER_LAMPORTS = 1_000_000;

export interface ScenarioSize {
  smoke: boolean;
  fast: boolean;
}

export interface ScenarioContext extends ScenarioSize {
  world: SimWorld;
}

export interface ScenarioOutcome {
  /**
   * Requests the crank(s) sent, by method, as counted on this side: by the in-process crank's
   * pool, or by the counting proxy in front of a remote cluster for crank processes. Null when
   * the localnet counts them itself.
   */
  requests: { source: "pool" | "proxy"; byMethod: Record<string, number> } | null;
  /** Scenario-specific figures for the report. */
  details: Record<string, unknown>;
}

export interface Scenario {
  name: ScenarioName;
  describe(size: ScenarioSize): string;
  /** Transfers the scenario will make: sizes the funding of the signer. */
  countRuns(size: ScenarioSize): number;
  /** Only on the embedded localnet (it switches the localnet's faults). */
  needsLocalnet: boolean;
  run(ctx: ScenarioContext): Promise<ScenarioOutcome>;
}

/**
 * How long past the last due time a scenario waits for its ops before it counts the rest as
 * lost: generous at full size (a public cluster, a slow machine), short for a smoke run so a
 * broken crank fails a test in seconds rather than minutes.
 */
export function getSettleMs(size: ScenarioSize): number {
  return size.smoke ? 30_000 : 120_000;
}

/** A distinct amount per op (easier to tell transfers apart on an explorer). */
export function getTransferLamports(index: number): number {
  return TRANSFER_LAMPORTS + index;
}

/**
 * Run `drive` (schedule ops, switch faults…) with an in-process crank, then wait until every
 * planned op is terminal or `timeoutMs` passes, and stop the crank gracefully. `summarize` adds
 * figures that need the finished run.
 */
export async function runWithInProcessCrank(
  ctx: ScenarioContext,
  timeoutMs: number,
  drive: (c: InProcessCrank) => Promise<Record<string, unknown>>,
  summarize?: () => Promise<Record<string, unknown>>,
): Promise<ScenarioOutcome> {
  const c = startInProcessCrank(ctx.world, { instanceId: "sim-crank" });
  try {
    const details = await drive(c);
    const open = await waitForPlanned(ctx.world, timeoutMs, "crank");
    if (open > 0) details.open_at_deadline = open;
    if (summarize) Object.assign(details, await summarize());
    return { requests: { source: "pool", byMethod: c.pool.requestCounts() }, details };
  } finally {
    await c.stop();
  }
}

/** The URL crank processes send to, and who counts their requests. */
export interface ProcessRpc {
  url: string;
  requests(): ScenarioOutcome["requests"];
  close(): Promise<void>;
}

/**
 * The embedded localnet counts requests itself; a remote cluster gets a counting proxy on
 * loopback in front of it, since a child process's pool counters are out of reach.
 */
export async function openProcessRpc(world: SimWorld): Promise<ProcessRpc> {
  if (world.cluster.localnet) return { url: world.cluster.url, requests: () => null, close: async () => {} };
  const proxy = await startRpcCountingProxy(world.cluster.url);
  return { url: proxy.url, requests: () => ({ source: "proxy", byMethod: proxy.counts() }), close: () => proxy.close() };
}
