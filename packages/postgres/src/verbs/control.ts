import type { CrankControl, SetHaltedArgs, SetPausedArgs } from "@courier/agent";
import type { Db, Queryable } from "../db/db.js";

export interface ControlVerbs {
  getControl(q?: Queryable): Promise<CrankControl>;
  setPaused(args: SetPausedArgs): Promise<CrankControl>;
  setHalted(args: SetHaltedArgs): Promise<CrankControl>;
}

/** The columns of CrankControl, so a row is one as it is. */
const COLUMNS = "paused, paused_at, paused_by, halted, halted_at, halted_reason";

/**
 * The crank's kill switch, one row shared by every instance. Pausing records who and when;
 * resuming clears them. Halting (supervisor out of restarts) records why; clearing it clears both.
 */
export function createControlVerbs(db: Db): ControlVerbs {
  return {
    getControl: async (q = db.pool) => {
      const { rows } = await q.query<CrankControl>(`SELECT ${COLUMNS} FROM control WHERE id = 1`);
      return rows[0] as CrankControl;
    },
    setPaused: async (a) => {
      const { rows } = await db.pool.query<CrankControl>(`UPDATE control SET paused = $1, paused_at = $2, paused_by = $3 WHERE id = 1 RETURNING ${COLUMNS}`, [
        a.paused,
        a.paused ? a.now : null,
        a.paused ? a.by : null,
      ]);
      return rows[0] as CrankControl;
    },
    setHalted: async (a) => {
      const { rows } = await db.pool.query<CrankControl>(
        `UPDATE control SET halted = $1, halted_at = $2, halted_reason = $3 WHERE id = 1 RETURNING ${COLUMNS}`,
        [a.halted, a.halted ? a.now : null, a.halted ? a.reason : null],
      );
      return rows[0] as CrankControl;
    },
  };
}
