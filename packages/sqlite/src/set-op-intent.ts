import type { Op, SetOpIntentArgs } from "@courier/agent";
import type { Db } from "./db.js";
import { encodeIntent, type OpRow, rowToOp } from "./row-mapping.js";

/** Store the owner's signature of an op as it is (`courier ops sign`); null when there is no such op. */
export function createSetOpIntent(db: Db): (args: SetOpIntentArgs) => Op | null {
  const update = db.prepare<[string | null, number, string], OpRow>("UPDATE ops SET intent = ?, updated_at = ? WHERE id = ? RETURNING *");
  return (a) => {
    const row = update.get(encodeIntent(a.intent), a.now, a.id);
    return row ? rowToOp(row) : null;
  };
}
