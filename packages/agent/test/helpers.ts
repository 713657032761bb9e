/** Shared helpers of the crank tests: a real SQLite store per test, captured pino, clock driving. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino, { type Logger } from "pino";
import { z } from "zod";
import { type ActionRegistry, createActionRegistry } from "../src/actions/index.js";
import type { Crank } from "../src/crank/index.js";
import { scheduleOp } from "../src/schedule/index.js";
import type { Clock, ExecResult, Op, RunContext, Store } from "../src/types.js";
import { openSqliteStore } from "@courier/sqlite";

export interface TestStore {
  store: Store;
  dir: string;
  path: string;
  cleanup(): Promise<void>;
}

export async function createTestStore(prefix = "courier-crank-"): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, "courier.db");
  const store = await openSqliteStore(path);
  return {
    store,
    dir,
    path,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type LogLine = Record<string, unknown> & { msg?: string };

/** A pino logger whose JSON lines are kept in memory. */
export function createCapturedLogger(level: pino.Level = "info"): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  return { logger, lines };
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
