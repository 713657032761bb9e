/**
 * The crank state the admin service reports. Pause and halt live in the shared store (every
 * process obeys them), so the store's control row wins over what this process last saw;
 * cooling_down and stopping are local to this process.
 */
import type { CrankControl } from "@courier/agent";
import { toIsoOrNull } from "./iso-time.js";
import { CRANK_STATES, type CrankState } from "./types.js";

export function resolveCrankState(control: CrankControl, local: string | undefined): CrankState {
  if (control.halted) return "halted";
  if (control.paused) return "paused";
  if (local === "cooling_down" || local === "stopping" || local === "halted") return local;
  return "running";
}

export function isCrankState(v: unknown): v is CrankState {
  return typeof v === "string" && (CRANK_STATES as readonly string[]).includes(v);
}

/** The shared control row as responses show it: times in ISO-8601, like every time in a response. */
export function controlToJSON(control: CrankControl) {
  return {
    paused: control.paused,
    paused_at: toIsoOrNull(control.paused_at),
    paused_by: control.paused_by,
    halted: control.halted,
    halted_at: toIsoOrNull(control.halted_at),
    halted_reason: control.halted_reason,
  };
}
