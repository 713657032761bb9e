import { assertAttemptMatches, type FinishAttemptArgs } from "@courier/agent";
import type { Db } from "./db.js";
import { createApplyFinish } from "./finish-attempt.js";

/**
 * End many attempts in ONE immediate transaction: each entry exactly as finishAttempt would
 * (same ownership guard, same writes), in order; the result for entry i is whether it was
 * applied. One commit instead of one per attempt is what makes the crank's hot path cheap.
 * Any thrown error rolls the whole batch back (nothing written) and propagates: the caller may
 * retry the entries one by one to isolate a bad one.
 */
export function createFinishAttempts(db: Db): (batch: readonly FinishAttemptArgs[]) => boolean[] {
  const apply = createApplyFinish(db);
  const tx = db.transaction((batch: readonly FinishAttemptArgs[]) => batch.map(apply));
  return (batch) => {
    if (batch.length === 0) return [];
    for (const a of batch) assertAttemptMatches(a);
    return tx.immediate(batch);
  };
}
