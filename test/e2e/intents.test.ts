/**
 * Issue 15 acceptance: signed op intents, with the real CLI (`courier schedule --sign`), a real
 * `courier start` process, a real localnet, and the store tampered with directly (a second
 * SQLite connection on the file, or plain SQL on the PostgreSQL schema), on both backends.
 * - Three signed transfers, two tampered (recipient redirected, amount inflated): the untouched
 *   one pays exactly; the tampered ones never sign or send, end failed with the intent error,
 *   one alert each, and an audit event naming the changed field.
 * - Refused creates: unsigned, signed by a key not in COURIER_INTENT_KEYS, a signature over a
 *   different body (CLI exit 2, HTTP 400 COURIER__OP__INTENT_INVALID).
 * - A recurring op tampered between runs stops at its next run; the runs before count.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createActionRegistry, type Op, type Store, systemClock } from "@courier/agent";
import { openSqliteStore } from "@courier/sqlite";
import { type Localnet, startLocalnet } from "@courier/localnet";
import { openPostgresStore } from "@courier/postgres";
import { freshSchemaName, getTestPostgres } from "@courier/testing";
import { createSignedOpBody, generateKeypairFile, loadKeypair, registerSolanaActions } from "@courier/solana";
import { getRandomAddress } from "@courier/testing";
import { runCli, runCliBatch } from "@courier/testing";
import { getFreePort, getJson, killAllCourierProcesses, postJson, startCourierProcess, stopCourierProcess, waitFor } from "./courier-process.js";

// The stores' drivers are their packages' dependencies; resolve them from there.
const Database = createRequire(new URL("../../packages/agent/package.json", import.meta.url))("better-sqlite3") as typeof BetterSqlite3;
/** The part of `pg` this test uses (its types are the postgres package's dev dependency). */
interface PgClient {
  connect(): Promise<void>;
  query(sql: string, params: unknown[]): Promise<{ rowCount: number | null }>;
  end(): Promise<void>;
}
const pg = createRequire(new URL("../../packages/postgres/package.json", import.meta.url))("pg") as { Client: new (opts: { connectionString: string }) => PgClient };

const LAMPORTS = 1_000_000;
const OPS = "/admin/api/courier/ops";
const INTENT_ERROR = "COURIER__OP__INTENT_INVALID";

interface Backend {
  env: Record<string, string>;
  open(): Promise<Store & { close(): Promise<void> }>;
  /** Rewrite an op's params behind Courier's back. */
  tamper(id: string, params: unknown): Promise<void>;
}

let dir: string;
let localnet: Localnet | null = null;
let stopPostgres: (() => Promise<void>) | null = null;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "courier-intents-"));
});
afterEach(async () => {
  killAllCourierProcesses();
  await localnet?.stop();
  localnet = null;
  await stopPostgres?.();
  stopPostgres = null;
  rmSync(dir, { recursive: true, force: true });
});

function sqliteBackend(): Backend {
  const db = join(dir, "courier.db");
  return {
    env: { COURIER_DB: db },
    open: () => openSqliteStore(db),
    async tamper(id, params) {
      const conn = new Database(db);
      try {
        conn.pragma("busy_timeout = 10000");
        expect(conn.prepare("UPDATE ops SET params = ? WHERE id = ?").run(JSON.stringify(params), id).changes).toBe(1);
      } finally {
        conn.close();
      }
    },
  };
}

async function postgresBackend(): Promise<Backend | null> {
  const server = await getTestPostgres();
  if (!server) return null;
  stopPostgres = server.stop;
  const schema = freshSchemaName("intents");
  return {
    env: { COURIER_DB: server.url, COURIER_DB_SCHEMA: schema },
    open: () => openPostgresStore(server.url, { schema }),
    async tamper(id, params) {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      try {
        // The store's triggers name their tables unqualified, as the store's own sessions do.
        await client.query(`SET search_path TO "${schema}"`, []);
        const result = await client.query("UPDATE ops SET params = $1 WHERE id = $2", [JSON.stringify(params), id]);
        expect(result.rowCount).toBe(1);
      } finally {
        await client.end();
      }
    },
  };
}

async function getBalance(address: string): Promise<number> {
  const response = await fetch(localnet?.url ?? "", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: "1", method: "getBalance", params: [address, { commitment: "confirmed" }] }),
  });
  return ((await response.json()) as { result: { value: number } }).result.value;
}

/** A funded crank key, an owner key (listed in COURIER_INTENT_KEYS) and a stranger's key. */
async function setUp(backend: Backend) {
  localnet = await startLocalnet({ port: 0, slotMs: 50, websocket: false });
  const crankKey = join(dir, "crank.json");
  const crank = await generateKeypairFile(crankKey);
  localnet.airdrop(crank.publicKey.toBase58(), 1_000_000_000_000);
  const ownerKey = join(dir, "owner.json");
  const owner = await generateKeypairFile(ownerKey);
  const strangerKey = join(dir, "stranger.json");
  await generateKeypairFile(strangerKey);
  const env = {
    ...backend.env,
    COURIER_RPC_URLS: localnet.url,
    COURIER_KEYPAIR: crankKey,
    COURIER_INTENT_KEYS: owner.publicKey.toBase58(),
    COURIER_ADMIN_PORT: "0",
    COURIER_LOG_LEVEL: "warn",
  };
  return { env, ownerKey, strangerKey };
}

function scheduleArgs(to: string, extra: string[] = []): string[] {
  return ["schedule", "--json", "--action", "sol.transfer", "--params", JSON.stringify({ to, lamports: LAMPORTS }), ...extra];
}

async function getOp(adminUrl: string, id: string): Promise<Op & { last_error: string | null }> {
  return getJson(`${adminUrl}${OPS}/${id}`);
}

async function checkTamperedTransfers(backend: Backend): Promise<void> {
  const { env, ownerKey, strangerKey } = await setUp(backend);
  const recipients = [getRandomAddress(), getRandomAddress(), getRandomAddress()];
  const attacker = getRandomAddress();

  // Refused creates through the CLI: unsigned, and signed by a key that is not listed.
  // The first CLI call creates (migrates) the store alone; the others run in parallel.
  const unsigned = await runCli(scheduleArgs(recipients[0] as string), env);
  const [byStranger, ...signed] = await runCliBatch([
    { args: scheduleArgs(recipients[0] as string, ["--sign", strangerKey]), env },
    ...recipients.map((to) => ({ args: scheduleArgs(to, ["--sign", ownerKey]), env })),
  ]);
  expect(unsigned.code).toBe(2);
  expect(unsigned.stderr).toMatch(/^error: --sign \(intent\): required/);
  expect(byStranger?.code).toBe(2);
  expect(byStranger?.stderr).toMatch(/is not in COURIER_INTENT_KEYS/);
  const ids = signed.map((r) => {
    expect(r.code, r.stderr).toBe(0);
    const op = JSON.parse(r.stdout) as { id: string; intent: { signer: string } | null; idempotency_key: string | null };
    expect(op.intent?.signer).toBe(env.COURIER_INTENT_KEYS);
    expect(op.idempotency_key).toMatch(/^signed-/);
    return op.id;
  });
  const [untouched, redirected, inflated] = ids as [string, string, string];

  await backend.tamper(redirected, { to: attacker, lamports: LAMPORTS });
  await backend.tamper(inflated, { to: recipients[2], lamports: LAMPORTS * 50 });

  const proc = await startCourierProcess({ args: [], cwd: dir, env: { ...env, COURIER_ADMIN_PORT: String(await getFreePort()) } });
  const adminUrl = proc.adminUrl as string;
  const ops = await waitFor("the three ops to end", async () => {
    const all = await Promise.all(ids.map((id) => getOp(adminUrl, id)));
    return all.every((op) => op.status !== "pending" && op.status !== "running") ? all : undefined;
  });
  expect(ops.map((op) => op.status)).toEqual(["succeeded", "failed", "failed"]);
  for (const op of ops.slice(1)) expect(op.last_error).toMatch(new RegExp(`^${INTENT_ERROR}: `));

  // Refused creates over HTTP: unsigned, a stranger's signature, a signature over another body.
  const registry = createActionRegistry();
  registerSolanaActions(registry);
  const body = { action: "sol.transfer", params: { to: recipients[0], lamports: LAMPORTS }, run_at: Date.now() + 3_600_000 };
  const ownerBody = createSignedOpBody(body, await loadKeypair(ownerKey), { registry, clock: systemClock });
  const strangerBody = createSignedOpBody(body, await loadKeypair(strangerKey), { registry, clock: systemClock });
  const refusals = [body, strangerBody, { ...ownerBody, params: { to: attacker, lamports: LAMPORTS } }, { ...ownerBody, max_attempts: 100 }];
  for (const refused of refusals) {
    const { status, body: answer } = await postJson<{ error: { code: string; details?: { reason?: string } } }>(`${adminUrl}${OPS}`, refused);
    expect(status).toBe(400);
    expect(answer.error.code).toBe(INTENT_ERROR);
  }
  // The same body, signed and unchanged, is accepted (then cancelled before its time).
  const accepted = await postJson<{ id: string }>(`${adminUrl}${OPS}`, ownerBody);
  expect(accepted.status).toBe(201);
  expect((await postJson(`${adminUrl}${OPS}/${accepted.body.id}/cancel`, {})).status).toBe(200);
  expect(await stopCourierProcess(proc)).toBe(0);

  expect(await getBalance(recipients[0] as string)).toBe(LAMPORTS);
  expect(await getBalance(recipients[1] as string)).toBe(0);
  expect(await getBalance(recipients[2] as string)).toBe(0);
  expect(await getBalance(attacker)).toBe(0);

  const store = await backend.open();
  try {
    expect(await store.getOpLedger(untouched)).toHaveLength(1);
    // Nothing signed (the ledger is written before the first send) for the tampered ones.
    expect(await store.getOpLedger(redirected)).toEqual([]);
    expect(await store.getOpLedger(inflated)).toEqual([]);
    const alerts = await store.getAlerts();
    for (const id of [redirected, inflated]) expect(alerts.filter((a) => a.key === `op.intent_invalid:${id}`)).toMatchObject([{ state: "firing" }]);
    expect(alerts.filter((a) => a.key.startsWith("op.intent_invalid:"))).toHaveLength(2);
    const audit = await store.listAudit({ limit: 50, kind: "op.intent_invalid" });
    expect(audit.filter((e) => e.op_id === redirected).map((e) => e.data.fields)).toEqual([["params.to"]]);
    expect(audit.filter((e) => e.op_id === inflated).map((e) => e.data.fields)).toEqual([["params.lamports"]]);
  } finally {
    await store.close();
  }
}

async function checkRecurringTamper(backend: Backend): Promise<void> {
  const { env, ownerKey } = await setUp(backend);
  const recipient = getRandomAddress();
  const attacker = getRandomAddress();
  const proc = await startCourierProcess({ args: [], cwd: dir, env: { ...env, COURIER_ADMIN_PORT: String(await getFreePort()) } });
  const adminUrl = proc.adminUrl as string;
  const created = await runCli(scheduleArgs(recipient, ["--every", "1s", "--sign", ownerKey]), env);
  expect(created.code, created.stderr).toBe(0);
  const id = (JSON.parse(created.stdout) as { id: string }).id;
  await waitFor("two runs of the recurring op", async () => ((await getOp(adminUrl, id)).exec_count >= 2 ? true : undefined), 90_000);

  await backend.tamper(id, { to: attacker, lamports: LAMPORTS });
  const op = await waitFor("the tampered op to fail", async () => {
    const current = await getOp(adminUrl, id);
    return current.status === "failed" ? current : undefined;
  });
  expect(op.last_error).toMatch(new RegExp(`^${INTENT_ERROR}: `));
  expect(op.exec_count).toBeGreaterThanOrEqual(2);
  expect(await stopCourierProcess(proc)).toBe(0);

  // Every run before the tamper counted and paid; nothing went to the attacker.
  expect(await getBalance(recipient)).toBe(op.exec_count * LAMPORTS);
  expect(await getBalance(attacker)).toBe(0);
  const store = await backend.open();
  try {
    expect((await store.getOpLedger(id)).filter((e) => e.state === "landed")).toHaveLength(op.exec_count);
    expect((await store.getAlerts()).filter((a) => a.key === `op.intent_invalid:${id}`)).toHaveLength(1);
    expect((await store.listAudit({ limit: 10, kind: "op.intent_invalid" })).map((e) => e.data.fields)).toEqual([["params.to"]]);
  } finally {
    await store.close();
  }
}

describe("signed op intents on SQLite", () => {
  it("three signed transfers, two tampered in the store file: only the untouched one pays; unsigned, foreign and mismatched creates are refused", async () => {
    await checkTamperedTransfers(sqliteBackend());
  }, 240_000);

  it("a recurring op tampered between runs stops at its next run; the runs before count", async () => {
    await checkRecurringTamper(sqliteBackend());
  }, 240_000);
});

describe("signed op intents on PostgreSQL", () => {
  it("three signed transfers, two tampered in the schema: only the untouched one pays; bad creates are refused", async (ctx) => {
    const backend = await postgresBackend();
    if (!backend) return ctx.skip();
    await checkTamperedTransfers(backend);
  }, 240_000);

  it("a recurring op tampered between runs stops at its next run; the runs before count", async (ctx) => {
    const backend = await postgresBackend();
    if (!backend) return ctx.skip();
    await checkRecurringTamper(backend);
  }, 240_000);
});
