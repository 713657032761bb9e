import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../clock.js";
import { CourierError } from "../errors.js";
import type { Store } from "../types.js";
import { scheduleOp } from "./schedule-input.js";
import { createTestRegistry } from "./test-registry.js";
import { openSqliteStore } from "@courier/sqlite";

const NOW = Date.UTC(2026, 2, 1, 12);
const TO = "9".repeat(40);

describe("scheduleOp with a SQLite store", () => {
  let dir: string;
  let store: Store;
  const clock = new ManualClock(NOW);
  const deps = { registry: createTestRegistry(), clock };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "courier-schedule-"));
    store = await openSqliteStore(join(dir, "courier.db"));
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function countOps(): Promise<number> {
    return (await store.listOps({ limit: 100 })).ops.length;
  }

  it("stores a valid op with a time-sortable id", async () => {
    const { op, created } = await scheduleOp(store, { action: "sol.transfer", params: { to: TO, lamports: 7 }, every_ms: 60_000 }, deps);
    expect(created).toBe(true);
    expect(op.id).toMatch(/^op_/);
    expect(op).toMatchObject({
      status: "pending",
      action: "sol.transfer",
      params: { to: TO, lamports: 7 },
      schedule: { kind: "every", every_ms: 60_000, anchor: NOW },
      next_exec: NOW,
      run: 1,
      exec_count: 0,
      attempts: 0,
    });
    expect(await store.getOp(op.id)).toEqual(op);
  });

  it("writes nothing for invalid input", async () => {
    const bad: unknown[] = [
      { action: "nope", params: {} },
      { action: "sol.transfer", params: { to: TO, lamports: 0 } },
      { action: "sol.transfer", params: { to: TO, lamports: 1 }, every_ms: -1 },
      { action: "sol.transfer", params: { to: TO, lamports: 1 }, cron: "bad", idempotency_key: "k" },
    ];
    for (const input of bad) {
      await expect(scheduleOp(store, input, deps)).rejects.toBeInstanceOf(CourierError);
    }
    expect(await countOps()).toBe(0);
  });

  it("returns the first op for a repeated idempotency_key and creates nothing", async () => {
    const first = await scheduleOp(store, { action: "memo", params: { text: "a" }, idempotency_key: "pay-1" }, deps);
    clock.advance(1_000);
    const second = await scheduleOp(store, { action: "memo", params: { text: "b" }, idempotency_key: "pay-1" }, deps);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.op.id).toBe(first.op.id);
    expect(second.op.params).toEqual({ text: "a" });
    expect(await countOps()).toBe(1);
  });
});
