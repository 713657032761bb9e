/**
 * Anchor's resolver without a chain (what scheduling runs): nested account groups, PDAs from
 * const / account / arg seeds, signers defaulting to Courier's signer, remaining accounts, and
 * accounts derivable only from on-chain data left for run time.
 */
import { Keypair, PublicKey } from "@solana/web3.js";
import { describe, expect, it } from "vitest";
import { buildAnchorInstruction } from "./build-anchor-instruction.js";

const PROGRAM = Keypair.generate().publicKey;
const bytes = (s: string) => [...Buffer.from(s)];

const IDL = {
  address: PROGRAM.toBase58(),
  metadata: { name: "vaults", version: "0.1.0", spec: "0.1.0" },
  instructions: [
    {
      name: "deposit",
      discriminator: [7],
      accounts: [
        { name: "payer", writable: true, signer: true },
        {
          name: "vault_group",
          accounts: [
            { name: "owner" },
            { name: "vault", writable: true, pda: { seeds: [{ kind: "const", value: bytes("vault") }, { kind: "account", path: "owner" }, { kind: "arg", path: "vault_id" }] } },
          ],
        },
        { name: "config", relations: ["payer"] },
        { name: "system_program", address: "11111111111111111111111111111111" },
      ],
      args: [
        { name: "vault_id", type: "u64" },
        { name: "amount", type: "u64" },
      ],
    },
  ],
  accounts: [],
  types: [],
};

describe("buildAnchorInstruction", () => {
  const signer = Keypair.generate().publicKey;
  const owner = Keypair.generate().publicKey;
  const config = Keypair.generate().publicKey;
  const extra = Keypair.generate().publicKey;
  const call = (accounts: Record<string, unknown>) => ({
    idl: IDL,
    programId: PROGRAM.toBase58(),
    method: "deposit",
    args: ["42", 1000],
    accounts: accounts as never,
    remainingAccounts: [{ pubkey: extra.toBase58(), is_writable: true }],
  });

  it("derives a PDA inside a nested group from const, account and arg seeds; signers default to Courier's", async () => {
    const ix = await buildAnchorInstruction(call({ vault_group: { owner: owner.toBase58() }, config: config.toBase58() }), { signer, pool: null });
    const id = Buffer.alloc(8);
    id.writeBigUInt64LE(42n);
    const [vault] = PublicKey.findProgramAddressSync([Buffer.from("vault"), owner.toBuffer(), id], PROGRAM);
    expect(ix?.keys.map((k) => [k.pubkey.toBase58(), k.isWritable, k.isSigner])).toEqual([
      [signer.toBase58(), true, true],
      [owner.toBase58(), false, false],
      [vault.toBase58(), true, false],
      [config.toBase58(), false, false],
      ["11111111111111111111111111111111", false, false],
      [extra.toBase58(), true, false],
    ]);
    const amount = Buffer.alloc(8);
    amount.writeBigUInt64LE(1000n);
    expect(ix?.data.equals(Buffer.concat([Buffer.from([7]), id, amount]))).toBe(true);
  });

  it("leaves an account derivable only from chain data for run time, and refuses a missing plain one", async () => {
    // `config` comes from the payer account's data (a relation): unknowable without a chain.
    expect(await buildAnchorInstruction(call({ vaultGroup: { owner: owner.toBase58() } }), { signer, pool: null })).toBeNull();
    // Without the group's owner the vault's seeds cannot be derived at all.
    await expect(buildAnchorInstruction(call({ config: config.toBase58() }), { signer, pool: null })).rejects.toMatchObject({
      code: "COURIER__ACTION__INVALID_PARAMS",
      message: expect.stringMatching(/vault_group\.owner|vaultGroup\.owner/),
    });
  });
});
