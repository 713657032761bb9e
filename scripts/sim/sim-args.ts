/**
 * `pnpm sim <scenario> [flags]` arguments. Usage mistakes throw COURIER__CONFIG with one line
 * that says what to type instead (run.ts turns it into exit code 2).
 */
import { parseArgs } from "node:util";
import { CourierError } from "./workspace.js";

export const SCENARIO_NAMES = ["payroll", "drip", "cron", "outage", "crash", "multi"] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface SimArgs {
  scenario: ScenarioName;
  /** A cluster's JSON-RPC URL; null = the embedded localnet. */
  rpc: string | null;
  /** Signer keypair for --rpc; on the embedded localnet a fresh one is generated. */
  keypair: string | null;
  /** Few ops, short schedules: checks the scenario works (figures mean little). */
  smoke: boolean;
  /** Per-second cron instead of per-minute (scenario cron). */
  fast: boolean;
  json: boolean;
  /** Embedded localnet slot time (default 400 ms like a validator, 100 ms with --smoke). */
  slotMs: number;
  /** Keep the run directory (store, logs) even when the run passes. */
  keep: boolean;
  /** Embedded localnet shaped like a public cluster (`--profile devnet`): its slot time, limits, latency. */
  profile: "devnet" | null;
}

export const SIM_USAGE = `usage: pnpm sim <${SCENARIO_NAMES.join("|")}> [--rpc URL --keypair FILE] [--smoke] [--fast] [--json] [--slot-ms N] [--profile devnet] [--keep]`;

function usageError(message: string): CourierError {
  return new CourierError("COURIER__CONFIG", `${message}\n${SIM_USAGE}`);
}

export function isScenarioName(s: string): s is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(s);
}

export function parseSimArgs(argv: string[]): SimArgs {
  let parsed: ReturnType<typeof parseSimFlags>;
  try {
    parsed = parseSimFlags(argv);
  } catch (e) {
    throw usageError(e instanceof Error ? e.message : String(e));
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw usageError(positionals.length === 0 ? "name a scenario" : `one scenario at a time (got ${positionals.join(", ")})`);
  const scenario = positionals[0] as string;
  if (!isScenarioName(scenario)) throw usageError(`unknown scenario ${JSON.stringify(scenario)}`);
  const rpc = values.rpc ?? null;
  const keypair = values.keypair ?? null;
  if (rpc !== null && keypair === null) throw usageError("--rpc needs --keypair FILE (the signer that pays for the transfers)");
  if (rpc === null && keypair !== null) throw usageError("--keypair goes with --rpc (the embedded localnet generates its own signer)");
  if (rpc !== null && !/^https?:\/\/[^\s]+$/.test(rpc)) throw usageError("--rpc must be an http(s) URL");
  const smoke = values.smoke === true;
  let slotMs = smoke ? 100 : 400;
  if (values["slot-ms"] !== undefined) {
    if (rpc !== null) throw usageError("--slot-ms only applies to the embedded localnet");
    slotMs = Number(values["slot-ms"]);
    if (!Number.isInteger(slotMs) || slotMs < 10 || slotMs > 5_000) throw usageError("--slot-ms must be an integer from 10 to 5000");
  }
  let profile: SimArgs["profile"] = null;
  if (values.profile !== undefined) {
    if (rpc !== null) throw usageError("--profile only applies to the embedded localnet");
    if (values.profile !== "devnet") throw usageError(`unknown profile ${JSON.stringify(values.profile)} (known: devnet)`);
    profile = "devnet";
    // The profile's slot time unless --slot-ms says otherwise.
    if (values["slot-ms"] === undefined) slotMs = 400;
  }
  return { scenario, rpc, keypair, smoke, fast: values.fast === true || smoke, json: values.json === true, slotMs, keep: values.keep === true, profile };
}

function parseSimFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      rpc: { type: "string" },
      keypair: { type: "string" },
      smoke: { type: "boolean" },
      fast: { type: "boolean" },
      json: { type: "boolean" },
      "slot-ms": { type: "string" },
      profile: { type: "string" },
      keep: { type: "boolean" },
    },
    strict: true,
    allowPositionals: true,
  });
}
