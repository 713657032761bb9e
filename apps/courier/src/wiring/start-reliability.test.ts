/**
 * `courier start` as a real process: op events reach a webhook receiver signed (Standard
 * Webhooks), and a store that fails its integrity check starts in safe mode (admin up, /readyz
 * 503 with the reason and the fix, no sends).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { type IncomingHttpHeaders, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verifyWebhook } from "@courier/agent";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  getFreePort,
  getJson,
  killAllCourierProcesses,
  postJson,
  startCourierProcess,
  stopCourierProcess,
  waitFor,
} from "../../../../test/e2e/courier-process.js";
import { createCorruptStore, TEST_TIMEOUTS } from "@courier/testing";

const SECRET = "whsec_c2VjcmV0LWtleS1mb3ItdGhlLXRlc3Qtb25seQ==";
const OLD_SECRET = "an-old-secret-being-rotated-out";

let dir: string;
const closers: Array<() => Promise<void>> = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "courier-reliability-"));
});
afterEach(async () => {
  killAllCourierProcesses();
  for (const close of closers.splice(0)) await close();
  rmSync(dir, { recursive: true, force: true });
});

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1:0 that records every delivery and answers 204. */
async function startReceiver(): Promise<{ url: string; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (s: string) => {
      body += s;
    });
    req.on("end", () => {
      deliveries.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, deliveries };
}

function baseEnv(adminPort: number): Record<string, string> {
  return {
    COURIER_DB: join(dir, "courier.db"),
    COURIER_ADMIN_PORT: String(adminPort),
    COURIER_LOCALNET_PORT: "0",
    COURIER_LOCALNET_SLOT_MS: "20",
    COURIER_LOG_LEVEL: "info",
  };
}

describe("courier start: reliability wiring", { timeout: TEST_TIMEOUTS.childProcesses }, () => {
  it("delivers signed op.succeeded events for the ops it runs, with every configured secret", async () => {
    const receiver = await startReceiver();
    const adminPort = await getFreePort();
    const courier = await startCourierProcess({
      args: ["--no-demo"],
      cwd: dir,
      env: { ...baseEnv(adminPort), COURIER_WEBHOOK_URLS: receiver.url, COURIER_WEBHOOK_SECRETS: `${SECRET},${OLD_SECRET}` },
    });
    const admin = courier.adminUrl as string;
    const ids: string[] = [];
    for (const text of ["first", "second"]) {
      const created = await postJson<{ id: string }>(`${admin}/admin/api/courier/ops`, { action: "memo", params: { text } });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    const events = await waitFor(
      "op.succeeded deliveries",
      async () => {
        const parsed = receiver.deliveries.map((d) => ({ d, body: JSON.parse(d.body) as { type: string; data: { op_id: string } } }));
        const ok = parsed.filter((p) => p.body.type === "op.succeeded" && ids.includes(p.body.data.op_id));
        return new Set(ok.map((p) => p.body.data.op_id)).size === ids.length ? ok : undefined;
      },
      90_000,
    ).catch(async (e: unknown) => {
      // Say what the process saw: the ops' state and the webhook log lines.
      const ops = await Promise.all(ids.map((id) => getJson(`${admin}/admin/api/courier/ops/${id}`).catch(() => null)));
      const lines = courier.stdout().split("\n").filter((l) => l.includes("webhook") || l.includes("op.end")).slice(-10);
      throw new Error(`${String(e)}; deliveries ${receiver.deliveries.length}; ops ${JSON.stringify(ops)}; log ${lines.join(" | ")}`);
    });
    for (const { d, body } of events) {
      expect(verifyWebhook({ headers: d.headers, body: d.body, secrets: [SECRET] })).toEqual({ ok: true });
      expect(verifyWebhook({ headers: d.headers, body: d.body, secrets: [OLD_SECRET] })).toEqual({ ok: true });
      expect(verifyWebhook({ headers: d.headers, body: d.body, secrets: ["some-other-secret"] })).toMatchObject({ ok: false });
      expect(d.headers["webhook-id"]).toBe(`evt_op_${body.data.op_id}_1_succeeded`);
      expect(body.data).toMatchObject({ status: "succeeded", outcome: "ok", run: 1 });
    }
    expect(await stopCourierProcess(courier)).toBe(0);
    // Secrets never reach the logs (the config line shows only how many are set).
    expect(courier.stdout()).not.toContain(OLD_SECRET);
    expect(courier.stdout()).not.toContain("c2VjcmV0LWtleS1mb3ItdGhlLXRlc3Qtb25seQ");
    expect(courier.stdout()).toContain('"webhookSecrets":"[2 set]"');
  });

  it("starts in safe mode on a store that fails its integrity check: admin up, /readyz 503, no sends", async () => {
    await createCorruptStore(join(dir, "courier.db"));
    const adminPort = await getFreePort();
    const courier = await startCourierProcess({ args: ["--no-demo"], cwd: dir, env: baseEnv(adminPort) });
    const admin = courier.adminUrl as string;
    expect(await getJson(`${admin}/healthz`)).toEqual({ ok: true });
    const readyz = await fetch(`${admin}/readyz`);
    expect(readyz.status).toBe(503);
    const body = (await readyz.json()) as { ready: boolean; reasons: string[]; recommended_action: string };
    expect(body.ready).toBe(false);
    expect(body.reasons.join(" ")).toMatch(/safe mode .*\(no sends\): store failed its integrity check/);
    expect(body.recommended_action).toMatch(/courier restore FILE/);
    // Every refused write is a 503 naming safe mode and the fix (never a 500).
    for (const [path, payload] of [
      ["/admin/api/courier/ops", { action: "memo", params: { text: "refused" } }],
      ["/admin/api/courier/pause", {}],
    ] as const) {
      const refused = await postJson<{ error: { code: string; message: string } }>(`${admin}${path}`, payload);
      expect(refused.status, path).toBe(503);
      expect(refused.body.error.code).toBe("COURIER__STORE__CORRUPT");
      expect(refused.body.error.message).toMatch(/safe mode.*courier restore FILE/);
    }
    // Writes are refused before they reach the corrupt file: the crank stays in its cooldown and
    // never runs, so nothing is claimed or sent. Checked on the whole log after a clean stop (its
    // state changes are logged up to "stopped"), not after a sleep.
    expect(courier.child.exitCode).toBeNull();
    expect(await stopCourierProcess(courier)).toBe(0);
    const crankStates = courier
      .stdout()
      .split("\n")
      .filter((l) => l.includes('"msg":"crank.state"'))
      .map((l) => (JSON.parse(l) as { state: string }).state);
    expect(crankStates.at(-1)).toBe("stopped");
    expect(crankStates).not.toContain("running");
    expect(courier.stdout()).not.toContain('"op.start"');
  });
});
