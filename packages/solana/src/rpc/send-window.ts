/**
 * The send window: how many first sends may await their endpoint's answer after their run has
 * given its concurrency slot back.
 *
 * A run holds its slot while it builds, signs, persists and sends. Holding it on until the send
 * is answered caps a burst at concurrency ÷ round trip and keeps each moment's sends in small
 * batches; giving it back at once lets a fresh crank pour its whole bucket of admissions onto an
 * endpoint whose limit it has not learned yet, and every 429 then costs a signed transaction a
 * Retry-After (two, for the sends the next counting window cannot take either). So the window
 * is TCP's congestion window over unanswered sends: it starts at 0 (each run keeps its slot until
 * its send is answered), grows by one per send answered without a 429 (so it doubles per round
 * trip while the endpoint keeps up), and halves on a 429. It grows only while the endpoint has
 * accepted at least `OPEN_AT_PER_SECOND` sends over the last second: public endpoints limit
 * sendTransaction far below that (FACTS.md: 40 per 10 s), so against them the window stays shut
 * and the slots keep pacing the first sends, as the fresh-signature bound needs; an endpoint
 * without limits passes it within a tenth of a second of a burst, and then the slots only bound
 * the CPU work of building and signing.
 */
import type { Clock } from "@courier/agent";
import { createRateMeter } from "./rate-meter.js";

export interface SendWindow {
  /** A run's first send was handed to the pool: true when it may give its slot back now (it holds a seat until `leave`). */
  tryEnter(): boolean;
  /** A send that held a seat was answered or failed. */
  leave(): void;
  /** A first send was answered without a 429: the window grows by one (once the endpoint has shown it takes that many). */
  onAnswered(): void;
  /** An endpoint answered sendTransaction with 429: the window halves. */
  onRateLimited(): void;
  snapshot(): { size: number; open: number };
}

/** Seats at most: the in-flight set's own bound (claim-window.ts) is about this size. */
export const MAX_SEND_WINDOW = 10_240;
/** Sends accepted over the last second before the window may grow. */
export const OPEN_AT_PER_SECOND = 64;

export function createSendWindow(clock: Clock, max = MAX_SEND_WINDOW): SendWindow {
  const accepted = createRateMeter(clock);
  let size = 0;
  let open = 0;
  return {
    tryEnter() {
      if (open >= size) return false;
      open++;
      return true;
    },
    leave() {
      if (open > 0) open--;
    },
    onAnswered() {
      accepted.mark();
      if (size < max && accepted.perSecond() >= OPEN_AT_PER_SECOND) size++;
    },
    onRateLimited() {
      size = Math.floor(size / 2);
    },
    snapshot: () => ({ size, open }),
  };
}
