/** CONTRACT.md exit codes and which errors are the caller's fault (usage) rather than the run's. */
import type { CourierError, ErrorCode } from "@courier/agent";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

const USAGE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "COURIER__VALIDATION",
  "COURIER__CONFIG",
  "COURIER__ACTION__UNKNOWN",
  "COURIER__ACTION__INVALID_PARAMS",
  "COURIER__OP__INTENT_INVALID",
  "COURIER__OP__IDEMPOTENCY_CONFLICT",
]);

export function getExitCode(error: CourierError): number {
  return USAGE_CODES.has(error.code) ? EXIT_USAGE : EXIT_FAILURE;
}

/** Set by a command that decides its own exit code (doctor with problems, start after shutdown). */
export interface ExitState {
  code: number;
}
