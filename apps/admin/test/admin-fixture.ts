/**
 * Test fixture: a real SQLite store in a temp dir, a real action registry with a trivial test
 * action, a manual clock, and the admin app driven in-process through `app.fetch`.
 * Used by the *.test.ts files only.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ActionRegistry, createActionRegistry, ManualClock, type Op, type Store } from "@courier/agent";
import type { Hono } from "hono";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { z } from "zod";
import { createAdminApp } from "../src/create-admin-app.js";
import type { AdminDeps } from "../src/types.js";
import { openSqliteStore } from "@courier/sqlite";

export const TEST_ACTION = "test.echo";
export const START = Date.UTC(2026, 0, 1, 12, 0, 0);

export interface AdminFixture {
  app: Hono;
  store: Store;
  clock: ManualClock;
  registry: ActionRegistry;
  /** JSON request; `body` objects are serialised with Content-Type application/json. */
  request(method: string, path: string, opts?: { body?: unknown; raw?: string; headers?: Record<string, string>; token?: string }): Promise<Response>;
  countOps(): Promise<number>;
  /** Claim `id` and end its attempt with a terminal status, as the crank would. */
  finishOp(id: string, status: "succeeded" | "failed" | "dead"): Promise<void>;
  close(): Promise<void>;
}

export function createTestRegistry(): ActionRegistry {
  const registry = createActionRegistry();
  registry.register({ name: TEST_ACTION, description: "echoes n", params: z.strictObject({ n: z.number().int().min(1) }) });
  return registry;
}

export async function createAdminFixture(overrides: Partial<AdminDeps> = {}): Promise<AdminFixture> {
  const dir = mkdtempSync(join(tmpdir(), "courier-admin-"));
  const store = await openSqliteStore(join(dir, "courier.db"));
  const clock = new ManualClock(START);
  const registry = createTestRegistry();
  const app = createAdminApp({ store, registry, clock, instanceId: "test-instance", ...overrides });

  async function request(
    method: string,
    path: string,
    opts: { body?: unknown; raw?: string; headers?: Record<string, string>; token?: string } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...opts.headers };
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers["content-type"] ??= "application/json";
    }
    if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
    return app.fetch(new Request(`http://127.0.0.1${path}`, { method, headers, body }));
  }

  async function countOps(): Promise<number> {
    const stats = await store.stats({ ticks: 1, now: clock.now() });
    return Object.values(stats.ops_by_status).reduce((a, b) => a + b, 0);
  }

  async function finishOp(id: string, status: "succeeded" | "failed" | "dead"): Promise<void> {
    const claimed = await store.claimOne({ id, now: clock.now(), owner: "test-owner", lease_ms: 30_000 });
    if (!claimed) throw new Error(`finishOp: could not claim ${id}`);
    const op: Op = claimed.op;
    const now = clock.now();
    const ok = await store.finishAttempt({
      id,
      owner: "test-owner",
      now,
      transition: { kind: "finish", status, exec_count: status === "succeeded" ? 1 : 0, last_error: status === "succeeded" ? null : "boom" },
      attempt: {
        op_id: id,
        run: op.run,
        attempt: op.attempts,
        instance: "test-owner",
        action: op.action,
        started_at: now,
        ended_at: now + 25,
        outcome: status === "succeeded" ? "ok" : "permanent",
        error_code: status === "succeeded" ? null : "COURIER__OP__PROGRAM_ERROR",
        error: status === "succeeded" ? null : "boom",
        signature: status === "succeeded" ? "5igSig" : null,
        latency_ms: 25,
      },
    });
    if (!ok) throw new Error(`finishOp: finishAttempt refused for ${id}`);
  }

  return {
    app,
    store,
    clock,
    registry,
    request,
    countOps,
    finishOp,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fixture per test (`scope` "each") or per file ("all"), opened and closed by the hooks. The
 * object returned always reaches the current fixture, so a describe block can name it once.
 */
export function useAdminFixture(opts: { scope?: "each" | "all"; deps?: Partial<AdminDeps> } = {}): AdminFixture {
  let current: AdminFixture | undefined;
  const open = async () => {
    current = await createAdminFixture(opts.deps);
  };
  const close = async () => {
    await current?.close();
    current = undefined;
  };
  if (opts.scope === "all") {
    beforeAll(open);
    afterAll(close);
  } else {
    beforeEach(open);
    afterEach(close);
  }
  const get = (): AdminFixture => {
    if (!current) throw new Error("the admin fixture is open only inside a test");
    return current;
  };
  return {
    get app() {
      return get().app;
    },
    get store() {
      return get().store;
    },
    get clock() {
      return get().clock;
    },
    get registry() {
      return get().registry;
    },
    request: (method, path, opts) => get().request(method, path, opts),
    countOps: () => get().countOps(),
    finishOp: (id, status) => get().finishOp(id, status),
    close: () => get().close(),
  };
}
