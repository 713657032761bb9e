import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Localnet, startLocalnet } from "@courier/localnet";
import { generateKeypairFile } from "@courier/solana";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/index.js";
import { runDoctor } from "./run-doctor.js";
import type { DoctorCheck } from "./types.js";
import { openSqliteStore } from "@courier/sqlite";

let dir: string;
const localnets: Localnet[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "courier-doctor-"));
});
afterEach(async () => {
  await Promise.all(localnets.splice(0).map((l) => l.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function startTestLocalnet(extraPorts: number[] = []): Promise<Localnet> {
  const localnet = await startLocalnet({ port: 0, extraPorts, slotMs: 50, websocket: false });
  localnets.push(localnet);
  return localnet;
}

/** A port nothing listens on (bound, then closed). */
function getClosedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 1));
    });
  });
}

function find(checks: DoctorCheck[], name: string): DoctorCheck {
  const check = checks.find((c) => c.check === name);
  if (!check) throw new Error(`no ${name} check in ${JSON.stringify(checks)}`);
  return check;
}

describe("courier doctor", () => {
  it("passes a fresh localnet setup and reports what start will create", async () => {
    const env = { COURIER_DB: join(dir, "sub/courier.db"), COURIER_LOCALNET_PORT: String(await getClosedPort()) };
    const checks = await runDoctor(loadConfig({ env }), env, { cwd: dir });
    expect(checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(find(checks, "store").detail).toMatch(/will be created/);
    expect(find(checks, "keypair").detail).toMatch(/will be generated/);
    expect(find(checks, "keypair").detail).toContain(join(dir, ".courier/dev-keypair.json"));
  });

  it("checks an existing store's integrity and a keypair's permissions", async () => {
    const db = join(dir, "courier.db");
    await (await openSqliteStore(db)).close();
    const keypair = join(dir, "signer.json");
    const signer = await generateKeypairFile(keypair);
    const localnet = await startTestLocalnet();
    const env = { COURIER_DB: db, COURIER_KEYPAIR: keypair, COURIER_RPC_URLS: localnet.url };

    const good = await runDoctor(loadConfig({ env }), env);
    expect(find(good, "store integrity").status).toBe("ok");
    expect(find(good, "keypair")).toMatchObject({ status: "ok" });
    expect(find(good, "keypair").detail).toContain(signer.publicKey.toBase58());
    expect(good.filter((c) => c.status === "fail")).toEqual([]);

    chmodSync(keypair, 0o644);
    const exposed = await runDoctor(loadConfig({ env }), env);
    expect(find(exposed, "keypair")).toMatchObject({ status: "fail" });
    expect(find(exposed, "keypair").detail).toMatch(/chmod 600/);
  });

  it("fails unreachable endpoints and endpoints on different clusters; passes two endpoints of one cluster", async () => {
    const one = await startTestLocalnet([0]);
    const other = await startTestLocalnet();
    const dead = `http://127.0.0.1:${await getClosedPort()}`;
    const keypair = join(dir, "signer.json");
    await generateKeypairFile(keypair);
    const base = { COURIER_DB: join(dir, "c.db"), COURIER_KEYPAIR: keypair };

    const sameEnv = { ...base, COURIER_RPC_URLS: one.urls.join(",") };
    const same = await runDoctor(loadConfig({ env: sameEnv }), sameEnv);
    expect(find(same, "rpc cluster").status).toBe("ok");
    expect(same.filter((c) => c.check.startsWith("rpc ") && c.status === "ok")).toHaveLength(3);

    const mixedEnv = { ...base, COURIER_RPC_URLS: [one.url, other.url, dead].join(",") };
    // The case needs both live endpoints to answer. Under a heavy machine load an in-process
    // localnet can miss the doctor's 3 s timeout; then the doctor is asked again (at most twice).
    const otherAnswered = (checks: DoctorCheck[]) => checks.find((c) => c.check.includes(new URL(other.url).port))?.status === "ok";
    let mixed = await runDoctor(loadConfig({ env: mixedEnv }), mixedEnv);
    for (let i = 0; i < 2 && !otherAnswered(mixed); i++) mixed = await runDoctor(loadConfig({ env: mixedEnv }), mixedEnv);
    expect(otherAnswered(mixed)).toBe(true);
    expect(find(mixed, "rpc cluster")).toMatchObject({ status: "fail" });
    expect(find(mixed, "rpc cluster").detail).toMatch(/different clusters/);
    expect(mixed.find((c) => c.check.includes(new URL(dead).port))).toMatchObject({ status: "fail" });
  });

  it("uses user:pass@ credentials and explains a refused URL without showing its secret", async () => {
    const localnet = await startLocalnet({ port: 0, slotMs: 50, websocket: false, auth: "ops:Pa55word9" });
    localnets.push(localnet);
    const keypair = join(dir, "signer.json");
    await generateKeypairFile(keypair);
    const base = { COURIER_DB: join(dir, "c.db"), COURIER_KEYPAIR: keypair };
    const port = new URL(localnet.url).port;

    const goodEnv = { ...base, COURIER_RPC_URLS: `http://ops:Pa55word9@127.0.0.1:${port}` };
    const good = await runDoctor(loadConfig({ env: goodEnv }), goodEnv);
    expect(good.find((c) => c.check.startsWith("rpc http"))).toMatchObject({ status: "ok", detail: expect.stringMatching(/^reachable, genesis /) });

    const badEnv = { ...base, COURIER_RPC_URLS: `http://ops:wrongPass77@127.0.0.1:${port},http://127.0.0.1:${await getClosedPort()}` };
    const bad = await runDoctor(loadConfig({ env: badEnv }), badEnv);
    const [refused, closed] = bad.filter((c) => c.check.startsWith("rpc http"));
    expect(refused).toMatchObject({ status: "fail", check: `rpc http://***@127.0.0.1:${port}` });
    expect(refused?.detail).toMatch(/HTTP 401.*credentials are missing or wrong/);
    expect(closed?.detail).toMatch(/connection refused \(ECONNREFUSED\)/);
    expect(JSON.stringify(bad)).not.toMatch(/wrongPass77|Pa55word9/);
  });

  it("fails an exposed admin service without a token and warns about unknown variables", async () => {
    const env = { COURIER_DB: join(dir, "c.db"), COURIER_ADMIN_HOST: "0.0.0.0", COURIER_CONCURENCY: "4" };
    const checks = await runDoctor(loadConfig({ env }), env);
    expect(find(checks, "admin")).toMatchObject({ status: "fail" });
    expect(checks.find((c) => c.status === "warn" && c.detail.includes("COURIER_CONCURENCY"))).toBeDefined();
  });

  it("reports an unreachable PostgreSQL store without showing its password", async () => {
    const env = { COURIER_DB: `postgres://courier:supersecret@127.0.0.1:${await getClosedPort()}/courier`, COURIER_LOCALNET_PORT: String(await getClosedPort()) };
    const checks = await runDoctor(loadConfig({ env }), env);
    expect(find(checks, "store")).toMatchObject({ status: "fail" });
    expect(find(checks, "store").detail).toContain("postgres://courier:***@127.0.0.1");
    expect(JSON.stringify(checks)).not.toContain("supersecret");
  });
});
