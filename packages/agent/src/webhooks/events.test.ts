import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ManualClock } from "../clock.js";
import { CourierError } from "../errors.js";
import { makeNewOp } from "@courier/testing";
import { createOutboxEventSink, createWebhookBody, opEventId } from "./events.js";
import { openSqliteStore } from "@courier/sqlite";

const root = mkdtempSync(join(tmpdir(), "courier-events-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("createOutboxEventSink", () => {
  it("enqueues op.succeeded per run, op.failed and op.dead; nothing for other endings; a retried emit dedupes", async () => {
    const store = await openSqliteStore(join(root, "a", "courier.db"));
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const sink = createOutboxEventSink(store, clock);
    try {
      const { op } = await store.createOp(makeNewOp({ schedule: { kind: "every", every_ms: 1000, anchor: 0 } }));
      const run1 = { ...op, run: 1, attempts: 1 };
      expect(await sink.opFinished({ op: run1, status: "pending", outcome: "ok", error: null, signature: "sig1" })).toBe("op.succeeded");
      expect(await sink.opFinished({ op: run1, status: "pending", outcome: "ok", error: null, signature: "sig1" })).toBeNull(); // retried emit
      const run2 = { ...op, run: 2, attempts: 1 };
      expect(await sink.opFinished({ op: run2, status: "pending", outcome: "ok", error: null, signature: "sig2" })).toBe("op.succeeded");
      const err = new CourierError("COURIER__RPC__TIMEOUT", "timed out", {});
      expect(await sink.opFinished({ op: run2, status: "pending", outcome: "retryable", error: err, signature: null })).toBeNull();
      expect(await sink.opFinished({ op: run2, status: "pending", outcome: "infra", error: err, signature: null })).toBeNull();
      expect(await sink.opFinished({ op: run2, status: "cancelled", outcome: "ambiguous", error: null, signature: null })).toBeNull();
      const dead = { ...op, run: 3, attempts: 3 };
      expect(await sink.opFinished({ op: dead, status: "dead", outcome: "retryable", error: err, signature: null })).toBe("op.dead");
      const perm = new CourierError("COURIER__OP__INSUFFICIENT_FUNDS", "insufficient funds", {});
      expect(await sink.opFinished({ op: { ...op, run: 4 }, status: "failed", outcome: "permanent", error: perm, signature: "sig4" })).toBe("op.failed");

      const items = await store.claimOutbox({ now: clock.now(), limit: 10, owner: "d", lease_ms: 1_000 });
      expect(items.map((i) => [i.event_id, i.type])).toEqual([
        [opEventId(op.id, 1, "succeeded"), "op.succeeded"],
        [opEventId(op.id, 2, "succeeded"), "op.succeeded"],
        [opEventId(op.id, 3, "dead"), "op.dead"],
        [opEventId(op.id, 4, "failed"), "op.failed"],
      ]);
      expect(items[2]?.payload).toEqual({
        op_id: op.id,
        action: op.action,
        run: 3,
        status: "dead",
        attempts: 3,
        outcome: "retryable",
        error: { code: "COURIER__RPC__TIMEOUT", message: "timed out" },
        signature: null,
        at: "2026-01-01T00:00:00.000Z",
      });
      expect(JSON.parse(createWebhookBody(items[0]!))).toEqual({
        type: "op.succeeded",
        timestamp: "2026-01-01T00:00:00.000Z",
        data: expect.objectContaining({ op_id: op.id, run: 1, signature: "sig1", error: null }),
      });
    } finally {
      await store.close();
    }
  });
});
