import type { CrankControl, SyncVerbs } from "@courier/agent";
import type { Db } from "./db.js";

interface ControlRow {
  paused: number;
  paused_at: number | null;
  paused_by: string | null;
  halted: number;
  halted_at: number | null;
  halted_reason: string | null;
}

function rowToControl(r: ControlRow): CrankControl {
  return {
    paused: r.paused === 1,
    paused_at: r.paused_at,
    paused_by: r.paused_by,
    halted: r.halted === 1,
    halted_at: r.halted_at,
    halted_reason: r.halted_reason,
  };
}

/**
 * The crank's kill switch, one row shared by every instance. Pausing records who and when;
 * resuming clears them. Halting (supervisor out of restarts) records why; clearing it clears both.
 */
export function createControlVerbs(db: Db): SyncVerbs<"getControl" | "setPaused" | "setHalted"> {
  const select = db.prepare<[], ControlRow>("SELECT * FROM control WHERE id = 1");
  const pause = db.prepare<[number, number | null, string | null], ControlRow>(
    "UPDATE control SET paused = ?, paused_at = ?, paused_by = ? WHERE id = 1 RETURNING *",
  );
  const halt = db.prepare<[number, number | null, string | null], ControlRow>(
    "UPDATE control SET halted = ?, halted_at = ?, halted_reason = ? WHERE id = 1 RETURNING *",
  );
  return {
    getControl: () => rowToControl(select.get() as ControlRow),
    setPaused: (a) => rowToControl(pause.get(a.paused ? 1 : 0, a.paused ? a.now : null, a.paused ? a.by : null) as ControlRow),
    setHalted: (a) => rowToControl(halt.get(a.halted ? 1 : 0, a.halted ? a.now : null, a.halted ? a.reason : null) as ControlRow),
  };
}
