/**
 * The crank's way out (stop()): in-flight attempts get shutdownGraceMs to finish; the rest are
 * aborted (their signal, COURIER__OP__SHUTDOWN) and get a short moment to return their result;
 * what is still held is released (attempt refunded: an interrupted run resumes from its ledger
 * under the next owner), and the instance row is removed.
 */
import type { Logger } from "pino";
import { CourierError, coerceError } from "../errors.js";
import type { Clock, CrankStore } from "../types.js";
import type { HeldOp } from "./held-op.js";
import type { SingleFlight } from "./single-flight.js";

export interface ShutdownDeps {
  store: Pick<CrankStore, "releaseOp" | "removeInstance">;
  clock: Clock;
  log: Logger;
  instanceId: string;
  shutdownGraceMs: number;
  /** Delete the instance row (false: the process outlives its crank and heartbeats itself). */
  removeInstance: boolean;
  held: Map<string, HeldOp>;
  flights: SingleFlight;
  /** Record the ticks not recorded yet. */
  flushTicks: () => Promise<void>;
  /** A held op was let go here (not by its attempt). */
  onDropped: (h: HeldOp) => void;
}

export async function shutdownCrank(d: ShutdownDeps): Promise<void> {
  const { store, clock, log, instanceId, held, flights } = d;
  const waitForFlights = async (ms: number) => {
    const done = new AbortController();
    void flights.settled().then(() => done.abort());
    await clock.sleep(ms, done.signal);
  };
  if (flights.size > 0) {
    await waitForFlights(d.shutdownGraceMs);
    if (flights.size > 0) {
      for (const [id, h] of held) {
        if (h.controller.signal.aborted) continue;
        h.abortReason = "shutdown";
        h.controller.abort(new CourierError("COURIER__OP__SHUTDOWN", "the crank is shutting down", { op_id: id }));
      }
      // Aborted executors get a short moment to return and be released with their result.
      await waitForFlights(Math.min(1_000, Math.max(d.shutdownGraceMs, 1)));
    }
  }
  await d.flushTicks().catch((e) => log.warn({ error: coerceError(e).toJSON() }, "crank.tick_record_failed"));
  const now = clock.now();
  for (const [id, h] of [...held]) {
    h.ending = true;
    try {
      const released = await store.releaseOp({
        id,
        owner: instanceId,
        now,
        next_exec: Math.min(h.claimed.op.next_exec, now),
        last_error: "COURIER__OP__SHUTDOWN: released on shutdown",
      });
      log.info({ op_id: id, released }, "op.released");
    } catch (e) {
      log.warn({ op_id: id, error: coerceError(e).toJSON() }, "op.release_failed");
    }
    if (held.get(id) === h) {
      held.delete(id);
      d.onDropped(h);
    }
  }
  if (!d.removeInstance) return;
  try {
    await store.removeInstance(instanceId);
  } catch (e) {
    log.warn({ error: coerceError(e).toJSON() }, "crank.remove_instance_failed");
  }
}
