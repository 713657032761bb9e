/**
 * Adapts a crank to the supervisor's loop shape. After a crash the supervisor calls stop():
 * besides stopping the loop it waits for the attempts still in flight, because a crashed loop
 * no longer renews their leases and the next loop (same instance id) must not start while the
 * old attempts can still act (the supervisor bounds this wait by its stopTimeoutMs).
 */
import type { Crank } from "../crank/crank.js";
import { coerceError } from "../errors.js";
import type { SupervisedLoop } from "./create-supervisor.js";

export function createCrankLoop(crank: Pick<Crank, "start" | "stop" | "drain">): SupervisedLoop {
  return {
    start: () => crank.start(),
    async stop() {
      let failure: unknown = null;
      try {
        await crank.stop();
      } catch (e) {
        failure = e;
      }
      await crank.drain();
      if (failure !== null) throw coerceError(failure);
    },
  };
}
