import { CourierError } from "../errors.js";
import type { FinishAttemptArgs } from "./roles.js";

/** Refuse a finish whose attempt row belongs to another op (both backends check before any write). */
export function assertAttemptMatches(a: FinishAttemptArgs): void {
  if (a.attempt.op_id !== a.id) {
    throw new CourierError("COURIER__VALIDATION", "attempt.op_id does not match the op being finished", { id: a.id, op_id: a.attempt.op_id });
  }
}
