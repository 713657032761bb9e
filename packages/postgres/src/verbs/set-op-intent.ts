import type { Op, SetOpIntentArgs } from "@courier/agent";
import type { Db } from "../db/db.js";
import { encodeIntent, type OpRow, rowToOp } from "../db/row-mapping.js";

/** Store the owner's signature of an op as it is (`courier ops sign`); null when there is no such op. */
export function createSetOpIntent(db: Db): (args: SetOpIntentArgs) => Promise<Op | null> {
  return async (a) => {
    const { rows } = await db.pool.query<OpRow>("UPDATE ops SET intent = $1, updated_at = $2 WHERE id = $3 RETURNING *", [encodeIntent(a.intent), a.now, a.id]);
    return rows[0] ? rowToOp(rows[0]) : null;
  };
}
