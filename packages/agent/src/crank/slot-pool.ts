/**
 * The crank's concurrency slots: at most `size` functions run at once; the others wait in FIFO
 * order (the prefetched ops, claimed and not started). A waiter resumes holding the slot handed
 * over by the run that ended, so there is no gap in which a newcomer could take it too. A run
 * may give its slot back early (`release`): a sent transaction waits for its verdict slot-free.
 * `letGo()` (shutdown) lets every waiter through at once, each counted as holding a slot: they
 * are expected to see that the crank is stopping and return without executing.
 */
import { callAsync } from "./call-async.js";

export interface SlotPool {
  /** `fn` may call `release()` to give its slot back before it returns (it keeps running). */
  run<T>(fn: (release: () => void) => Promise<T>): Promise<T>;
  letGo(): void;
}

export function createSlotPool(size: number, isStopping: () => boolean): SlotPool {
  let active = 0;
  const waiting: Array<() => void> = [];

  // Chained, not awaited: a run that gave its slot back and waits for a verdict keeps no
  // suspended frame and no extra promise here.
  function start<T>(fn: (release: () => void) => Promise<T>): Promise<T> {
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      const next = waiting.shift();
      if (next) next();
      else active--;
    };
    return callAsync(() => fn(release)).finally(release);
  }

  return {
    run(fn) {
      if (active >= size && !isStopping()) return new Promise<void>((resolve) => waiting.push(resolve)).then(() => start(fn));
      active++;
      return start(fn);
    },
    letGo() {
      for (const resolve of waiting.splice(0)) {
        active++;
        resolve();
      }
    },
  };
}
