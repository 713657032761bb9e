/**
 * anchor.invoke on the localnet through Anchor's own resolver and coder: a native program
 * described by an Anchor IDL (SPL Token transfer_checked), a PDA derived from the IDL's seeds
 * (ATA CreateIdempotent, the account left out of params), and validation when scheduled:
 * method, accounts, args, and IDL paths confined to COURIER_IDL_DIR without echoing files.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { Keypair, VersionedMessage } from "@solana/web3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMintWithBalance, getTokenAmount } from "./helpers/chain.js";
import { createHarness, type Harness, LAMPORTS_PER_SOL } from "./helpers/harness.js";

const TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
const ATA_PROGRAM = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL";
const ATA_IDL = "associated-token-account.idl.json";
const key = () => Keypair.generate().publicKey.toBase58();

describe("anchor.invoke on the localnet", () => {
  let h: Harness;
  beforeAll(async () => {
    // Set-up calls (mints, token accounts) must not time out on a loaded machine.
    h = await createHarness({ slotMs: 20, fund: 100 * LAMPORTS_PER_SOL, pool: { timeoutMs: 5_000, sendTimeoutMs: 5_000 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("creates an associated token account whose address Anchor derives from the IDL's PDA seeds", async () => {
    const { mint } = await createMintWithBalance(h.pool, h.signer, 0, 1n);
    const owner = Keypair.generate().publicKey;
    const ata = getAssociatedTokenAddressSync(mint, owner);
    expect(await h.pool.getAccountInfo(ata.toBase58())).toBeNull();
    // Neither the payer (the signer), the programs (fixed addresses) nor the ATA (a PDA) is given.
    const op = await h.schedule("anchor.invoke", { program_id: ATA_PROGRAM, idl: ATA_IDL, method: "create_idempotent", accounts: { owner: owner.toBase58(), mint: mint.toBase58() } });
    const [done] = await h.waitTerminal([op.id], 20_000);
    expect(done?.status).toBe("succeeded");
    const info = await h.pool.getAccountInfo(ata.toBase58());
    expect(info?.owner).toBe(TOKEN_PROGRAM);
    // The token account's own owner field (offset 32) is the wallet the seeds named.
    expect(Buffer.from(info?.data ?? []).subarray(32, 64).equals(owner.toBuffer())).toBe(true);
  });

  it("transfer_checked from an IDL file under COURIER_IDL_DIR moves tokens; remaining_accounts are appended", async () => {
    const { mint, source } = await createMintWithBalance(h.pool, h.signer, 2, 10_000n);
    const to = Keypair.generate().publicKey;
    const seed = await h.schedule("spl.transfer", { mint: mint.toBase58(), to: to.toBase58(), amount: 1, create_ata: true });
    await h.waitTerminal([seed.id], 20_000);
    const destination = getAssociatedTokenAddressSync(mint, to);
    const extra = Keypair.generate().publicKey;
    const op = await h.schedule("anchor.invoke", {
      program_id: TOKEN_PROGRAM,
      idl: "spl-token-transfer-checked.idl.json",
      method: "transferChecked",
      args: ["1234", 2],
      // authority is the signer: Anchor's resolver fills it.
      accounts: { source: source.toBase58(), mint: mint.toBase58(), destination: destination.toBase58() },
      // The token program ignores trailing accounts of a single-owner transfer.
      remaining_accounts: [{ pubkey: extra.toBase58() }],
    });
    const [done] = await h.waitTerminal([op.id], 20_000);
    expect(done?.status).toBe("succeeded");
    const [entry] = await h.store.getOpLedger(op.id);
    const wire = entry?.wire ?? new Uint8Array();
    const message = VersionedMessage.deserialize(wire.subarray(1 + 64 * (wire[0] ?? 0)));
    expect(message.staticAccountKeys.map((k) => k.toBase58())).toContain(extra.toBase58());
    expect(await getTokenAmount(h.pool, destination)).toBe(1_235n);
    expect(await getTokenAmount(h.pool, source)).toBe(10_000n - 1_235n);
  });

  it("names a failing program's custom error from the IDL's errors", async () => {
    const { mint, source } = await createMintWithBalance(h.pool, h.signer, 2, 100n);
    const op = await h.schedule("anchor.invoke", {
      program_id: TOKEN_PROGRAM,
      idl: "spl-token-transfer-checked.idl.json",
      method: "transfer_checked",
      args: ["1", 9],
      accounts: { source: source.toBase58(), mint: mint.toBase58(), destination: source.toBase58() },
    });
    const [done] = await h.waitTerminal([op.id], 20_000);
    expect(done?.status).toBe("failed");
    const [attempt] = await h.store.getAttempts(op.id);
    expect(attempt?.error).toMatch(/instruction 0 failed with MintDecimalsMismatch \(custom code 18\): the decimals given do not match the mint's/);
  });

  it("is validated when scheduled: method, accounts, args", async () => {
    const base = { program_id: TOKEN_PROGRAM, idl: "spl-token-transfer-checked.idl.json", method: "transfer_checked", args: ["1", 2] };
    const accounts = { source: key(), mint: key(), destination: key() };
    const refused = (params: unknown) => h.schedule("anchor.invoke", params).then(() => null, (e: unknown) => e as { code: string; message: string });

    expect(await refused({ ...base, accounts, method: "transfer_everything" })).toMatchObject({ code: "COURIER__ACTION__INVALID_PARAMS", message: expect.stringMatching(/no instruction transfer_everything/) });
    expect(await refused({ ...base, accounts: { source: key(), destination: key() } })).toMatchObject({ message: expect.stringMatching(/missing: mint/) });
    expect(await refused({ ...base, accounts, args: ["1"] })).toMatchObject({ message: expect.stringMatching(/takes 2 args \(amount, decimals\), got 1/) });
    expect(await refused({ ...base, accounts, args: ["abc", 2] })).toMatchObject({ message: expect.stringMatching(/amount/) });
    expect(await refused({ ...base, accounts, args: ["1", 300] })).toMatchObject({ code: "COURIER__ACTION__INVALID_PARAMS" });
    expect(await refused({ ...base, accounts: { ...accounts, stranger: key() } })).toMatchObject({ message: expect.stringMatching(/no account stranger/) });
    // The ATA without its owner: the PDA's seeds cannot be derived.
    expect(await refused({ program_id: ATA_PROGRAM, idl: ATA_IDL, method: "create_idempotent", accounts: { mint: key() } })).toMatchObject({ message: expect.stringMatching(/owner/) });
  });

  it("reads IDL paths only under COURIER_IDL_DIR and never echoes a file", async () => {
    const passwd = await readFile("/etc/passwd", "utf8");
    const outside = join(h.dir, "secret.json");
    await writeFile(outside, JSON.stringify({ secret: "s3cr3t-value" }));
    const cases = ["/etc/passwd", "../../../../../../etc/passwd", outside, "../fixtures/idl/../../helpers/harness.ts", "missing.json"];
    for (const idl of cases) {
      const e = (await h.schedule("anchor.invoke", { program_id: TOKEN_PROGRAM, idl, method: "transfer_checked" }).catch((x: unknown) => x)) as { code: string; message: string };
      expect(e.code).toBe("COURIER__ACTION__INVALID_PARAMS");
      const text = JSON.stringify(e);
      expect(text).not.toContain(passwd.split("\n")[0]?.slice(0, 10));
      expect(text).not.toContain("s3cr3t");
    }
  });
});
