/**
 * (g) The webhook receiver down, then up. `courier start` runs with COURIER_WEBHOOK_URLS pointing
 * at a port nobody listens on while every op completes; the receiver comes up afterwards.
 * Every op's `op.succeeded` event must arrive, once per event id, with a valid signature (the
 * receiver verifies with only the new secret of a rotation "old,new"), and the crank must not
 * have been held up by the dead receiver.
 */
import { randomBytes } from "node:crypto";
import { type IncomingHttpHeaders, createServer } from "node:http";
import { opEventId, verifyWebhook } from "@courier/agent";
import { type ScenarioReport, checkExactlyOnce, createChaosWorld, scheduleTransfers, sleep, spawnCourier, waitFor, waitTerminal } from "../helpers.js";
import { getFreePort } from "@courier/testing";

interface Delivery {
  id: string;
  type: string;
  valid: boolean;
}


export async function runWebhookOutage(opts: { seed: number; ops?: number; downMs?: number }): Promise<ScenarioReport> {
  const started = Date.now();
  const world = await createChaosWorld({ slotMs: 25, seed: opts.seed });
  const oldSecret = `whsec_${randomBytes(24).toString("base64")}`;
  const newSecret = `whsec_${randomBytes(24).toString("base64")}`;
  const port = await getFreePort();
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = req.headers as IncomingHttpHeaders as Record<string, string | string[] | undefined>;
      const valid = verifyWebhook({ headers, body, secrets: [newSecret] }).ok;
      let type = "?";
      try {
        type = String((JSON.parse(body) as { type?: unknown }).type);
      } catch {
        type = "<invalid json>";
      }
      deliveries.push({ id: String(req.headers["webhook-id"]), type, valid });
      res.writeHead(valid ? 204 : 401).end();
    });
  });
  try {
    const courier = spawnCourier(world, {
      instanceId: "webhook-crank",
      env: { COURIER_WEBHOOK_URLS: `http://127.0.0.1:${port}/hooks`, COURIER_WEBHOOK_SECRETS: `${oldSecret},${newSecret}` },
    });
    await courier.ready;
    const transfers = await scheduleTransfers(world, opts.ops ?? 16);
    // The receiver is down: the crank must finish the work regardless.
    const done = await waitTerminal(
      world,
      transfers.map((t) => t.id),
      60_000,
    );
    const doneWhileDown = done.filter((o) => o.status === "succeeded").length;
    const pendingWhileDown = (await world.store.outboxSummary()).pending;
    await sleep(opts.downMs ?? 2_000);

    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    const expected = new Set(transfers.map((t) => opEventId(t.id, 1, "succeeded")));
    const violations: string[] = [];
    await waitFor(
      "every op event delivered",
      () => {
        const got = new Set(deliveries.filter((d) => d.valid).map((d) => d.id));
        for (const id of expected) if (!got.has(id)) return undefined;
        return true;
      },
      60_000,
      200,
    ).catch((e: unknown) => violations.push(String(e)));
    // Late duplicates would show up in this window.
    await sleep(1_000);
    const exit = await courier.term(20_000).catch((e: unknown) => String(e));
    if (exit !== 0) violations.push(`courier exit ${exit}`);

    const check = await checkExactlyOnce(world, transfers);
    violations.push(...check.violations);
    if (doneWhileDown !== transfers.length) violations.push(`only ${doneWhileDown}/${transfers.length} ops finished while the receiver was down`);
    const perId = new Map<string, number>();
    for (const d of deliveries) {
      if (!d.valid) violations.push(`delivery ${d.id} (${d.type}): signature did not verify`);
      else perId.set(d.id, (perId.get(d.id) ?? 0) + 1);
    }
    for (const [id, n] of perId) if (n > 1) violations.push(`event ${id} delivered ${n} times`);
    for (const id of expected) if (!perId.has(id)) violations.push(`event ${id} never delivered`);
    return {
      name: "webhook-outage",
      seed: opts.seed,
      ops: transfers.length,
      duration_ms: Date.now() - started,
      violations,
      details: { outbox_pending_while_down: pendingWhileDown, deliveries: deliveries.length, event_ids: perId.size, outcomes: check.outcomes },
    };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await world.close();
  }
}
