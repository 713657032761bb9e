/**
 * Migration to signed intents: ops created before COURIER_INTENT_KEYS was set are reported by
 * `courier doctor` and refused by the run-time check until `courier ops sign` re-signs them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createActionRegistry, scheduleOp, systemClock } from "@courier/agent";
import { createIntentPolicy, generateKeypairFile, registerSolanaActions } from "@courier/solana";
import { openSqliteStore } from "@courier/sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/index.js";
import { checkIntents } from "../doctor/check-intents.js";
import { runCli, TEST_TIMEOUTS } from "@courier/testing";
import { signOp } from "./sign-op.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "courier-sign-op-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("courier ops sign (ops created before COURIER_INTENT_KEYS)", { timeout: TEST_TIMEOUTS.childProcesses }, () => {
  it("doctor lists the unsigned op, the crank's check refuses it, and after signing both pass", async () => {
    const db = join(dir, "courier.db");
    const ownerPath = join(dir, "owner.json");
    const owner = await generateKeypairFile(ownerPath);
    const registry = createActionRegistry();
    registerSolanaActions(registry);
    const store = await openSqliteStore(db);
    const params = { to: owner.publicKey.toBase58(), lamports: 5_000 };
    const legacy = (await scheduleOp(store, { action: "sol.transfer", params, every_ms: 60_000 }, { registry, clock: systemClock })).op;
    await store.close();

    const config = loadConfig({ env: { COURIER_DB: db, COURIER_INTENT_KEYS: owner.publicKey.toBase58() } });
    const open = () => openSqliteStore(db);
    const before = await checkIntents(config, open);
    expect(before.status).toBe("fail");
    expect(before.detail).toContain(`${legacy.id} (unsigned)`);
    expect(before.detail).toContain("courier ops sign ID --sign KEYPAIR_FILE");
    const policy = createIntentPolicy({ keys: config.intentKeys });
    expect(policy.check(legacy)).toMatchObject({ ok: false, reason: "unsigned" });

    const signed = await signOp(config, legacy.id, ownerPath);
    expect(signed.intent?.signer).toBe(owner.publicKey.toBase58());
    expect(policy.check(signed)).toEqual({ ok: true });
    expect(await checkIntents(config, open)).toMatchObject({ status: "ok", detail: "1 owner key; all 1 active ops are signed" });
    const reopened = await open();
    try {
      expect((await reopened.listAudit({ limit: 5, kind: "op.signed" })).map((e) => e.op_id)).toEqual([legacy.id]);
    } finally {
      await reopened.close();
    }
    expect(await checkIntents(loadConfig({ env: { COURIER_DB: db } }), open)).toMatchObject({ status: "ok" });
  });

  it("refuses a key that is not listed (exit 2) and an unknown op (exit 1) through the real CLI", async () => {
    const db = join(dir, "courier.db");
    const listed = await generateKeypairFile(join(dir, "listed.json"));
    await generateKeypairFile(join(dir, "other.json"));
    const env = { COURIER_DB: db, COURIER_INTENT_KEYS: listed.publicKey.toBase58() };
    const wrongKey = await runCli(["ops", "sign", "op_x", "--sign", join(dir, "other.json")], env);
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr).toMatch(/^error: --sign: \w+ is not in COURIER_INTENT_KEYS\n$/);
    const unknown = await runCli(["ops", "sign", "op_missing", "--sign", join(dir, "listed.json")], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no op with id "op_missing"/);
  });
});
