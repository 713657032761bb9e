import type { CrankControl } from "@courier/agent";
import type { Db, Queryable } from "../db/db.js";

interface ControlRow {
  paused: boolean;
  paused_at: number | null;
  paused_by: string | null;
  halted: boolean;
  halted_at: number | null;
  halted_reason: string | null;
}

function rowToControl(r: ControlRow): CrankControl {
  return {
    paused: r.paused,
    paused_at: r.paused_at,
    paused_by: r.paused_by,
    halted: r.halted,
    halted_at: r.halted_at,
    halted_reason: r.halted_reason,
  };
}

export interface ControlVerbs {
  getControl(q?: Queryable): Promise<CrankControl>;
  setPaused(args: { paused: boolean; by: string; now: number }): Promise<CrankControl>;
  setHalted(args: { halted: boolean; reason: string | null; now: number }): Promise<CrankControl>;
}

const COLUMNS = "paused, paused_at, paused_by, halted, halted_at, halted_reason";

/**
 * The crank's kill switch, one row shared by every instance. Pausing records who and when;
 * resuming clears them. Halting (supervisor out of restarts) records why; clearing it clears both.
 */
export function createControlVerbs(db: Db): ControlVerbs {
  return {
    getControl: async (q = db.pool) => {
      const { rows } = await q.query<ControlRow>(`SELECT ${COLUMNS} FROM control WHERE id = 1`);
      return rowToControl(rows[0] as ControlRow);
    },
    setPaused: async (a) => {
      const { rows } = await db.pool.query<ControlRow>(`UPDATE control SET paused = $1, paused_at = $2, paused_by = $3 WHERE id = 1 RETURNING ${COLUMNS}`, [
        a.paused,
        a.paused ? a.now : null,
        a.paused ? a.by : null,
      ]);
      return rowToControl(rows[0] as ControlRow);
    },
    setHalted: async (a) => {
      const { rows } = await db.pool.query<ControlRow>(
        `UPDATE control SET halted = $1, halted_at = $2, halted_reason = $3 WHERE id = 1 RETURNING ${COLUMNS}`,
        [a.halted, a.halted ? a.now : null, a.halted ? a.reason : null],
      );
      return rowToControl(rows[0] as ControlRow);
    },
  };
}
