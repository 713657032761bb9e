/** Shared helpers of the crank tests: a real SQLite store per test, captured pino, clock driving. */
import { createTempStore, type TempStore } from "@courier/testing";
import { onTestFinished } from "vitest";
import { z } from "zod";
import { type ActionRegistry, createActionRegistry } from "../src/actions/index.js";
import { type Crank, type CrankOptions, createCrank } from "../src/crank/index.js";
import { scheduleOp } from "../src/schedule/index.js";
import type { Clock, ExecResult, Op, RunContext, Store } from "../src/types.js";

export { createCapturedLogger, type LogLine } from "@courier/testing";

/** A real SQLite store in its own temp directory, cleaned up when the test finishes (kept if it failed). */
export type TestStore = TempStore;
export function createTestStore(prefix = "courier-crank-"): Promise<TestStore> {
  return createTempStore({ prefix });
}

/** createCrank, stopped when the test finishes (before its store closes: finish hooks run in reverse). */
export function createTestCrank(deps: CrankOptions): Crank {
  const crank = createCrank(deps);
  onTestFinished(() => crank.stop());
  return crank;
}

/** A promise and the function that resolves it. */
export function createGate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}

export function createTestRegistry(): ActionRegistry {
  const registry = createActionRegistry();
  registry.register({ name: "test.op", params: z.object({ n: z.number().int().optional() }) });
  return registry;
}

const registry = createTestRegistry();

export async function scheduleTestOp(store: Store, clock: Clock, input: Record<string, unknown> = {}): Promise<Op> {
  const { op } = await scheduleOp(store, { action: "test.op", params: {}, ...input }, { registry, clock });
  return op;
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves (with the sleep length) the next time the crank loop goes to sleep with nothing in flight. */
export function nextIdle(crank: Crank): Promise<number> {
  return withTimeout(
    new Promise<number>((resolve) => {
      const off = crank.on("idle", (e) => {
        off();
        resolve(e.sleep_ms);
      });
    }),
    10_000,
    "the crank to go idle",
  );
}

/** Wake the crank after `move` (e.g. a clock change) and wait until it is idle again. */
export async function stepCrank(crank: Crank, move: () => void = () => {}): Promise<void> {
  const idle = nextIdle(crank);
  move();
  crank.wake();
  await idle;
}

export type ExecFn = (op: Op, ctx: RunContext) => Promise<ExecResult> | ExecResult;

/** An executor that records every call and delegates to `fn` (default: ok). */
export function createRecordingExecutor(fn: ExecFn = () => ({ outcome: "ok" })) {
  const calls: Array<{ op_id: string; run: number; attempt: number; reclaimed: boolean }> = [];
  return {
    calls,
    executor: {
      async execute(op: Op, ctx: RunContext): Promise<ExecResult> {
        calls.push({ op_id: op.id, run: ctx.run, attempt: ctx.attempt, reclaimed: ctx.reclaimed });
        return fn(op, ctx);
      },
    },
  };
}

/**
 * Drive a started crank on a ManualClock: jump the clock to the next due op, let the crank run
 * it and go idle, and repeat until `done` or `maxSteps` jumps.
 */
export async function driveCrank(args: {
  crank: Crank;
  clock: { now(): number; set(t: number): void };
  store: Store;
  done: () => Promise<boolean> | boolean;
  maxSteps: number;
}): Promise<number> {
  let steps = 0;
  while (steps < args.maxSteps && !(await args.done())) {
    const next = await args.store.nextDueAt();
    if (next === null) break;
    steps++;
    await stepCrank(args.crank, () => args.clock.set(Math.max(args.clock.now(), next)));
  }
  return steps;
}
