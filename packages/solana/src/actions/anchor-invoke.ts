/**
 * Call any program described by an Anchor IDL (spec 0.1.0, per-instruction discriminators):
 * args are encoded by Anchor's own coder, accounts are placed in the IDL's order with its
 * writable/signer flags.
 */
import { readFile } from "node:fs/promises";
import type { Idl } from "@coral-xyz/anchor";
import { CourierError } from "@courier/agent";
import { PublicKey, TransactionInstruction } from "@solana/web3.js";
import { z } from "zod";
import { base58Key } from "./schemas.js";
import type { SolanaActionDef } from "./types.js";

const params = z.object({
  program_id: base58Key,
  /** The IDL itself, or a path to its JSON file. */
  idl: z.union([z.record(z.string(), z.unknown()), z.string().min(1)]),
  method: z.string().min(1),
  args: z.array(z.unknown()).default([]),
  accounts: z.record(z.string(), base58Key).default({}),
  /** Outflow in lamports the call causes, declared by the caller for the spend guards. */
  lamports: z.number().int().nonnegative().default(0),
});

interface IdlInstructionShape {
  name: string;
  accounts: Array<{ name: string; writable?: boolean; signer?: boolean; optional?: boolean; address?: string }>;
  args: Array<{ name: string; type: unknown }>;
}

const BIG_INT_TYPES = new Set(["u64", "i64", "u128", "i128", "u256", "i256"]);

export const anchorInvokeAction: SolanaActionDef<typeof params> = {
  name: "anchor.invoke",
  description: "Invoke an instruction described by an Anchor IDL.",
  params,
  async build(p) {
    const { BN, BorshInstructionCoder } = await loadAnchor();
    const idl = (typeof p.idl === "string" ? await readIdl(p.idl) : p.idl) as unknown as Idl;
    const ix = findInstruction(idl, p.method);
    if (p.args.length !== ix.args.length) {
      throw invalid(`method ${ix.name} takes ${ix.args.length} args (${ix.args.map((a) => a.name).join(", ")}), got ${p.args.length}`);
    }
    const argObject: Record<string, unknown> = {};
    ix.args.forEach((a, i) => {
      argObject[a.name] = typeof a.type === "string" && BIG_INT_TYPES.has(a.type) ? new BN(String(p.args[i])) : p.args[i];
    });
    let data: Buffer;
    try {
      data = new BorshInstructionCoder(idl).encode(ix.name, argObject);
    } catch (e) {
      throw invalid(`cannot encode args of ${ix.name}: ${(e as Error).message}`);
    }
    const keys = ix.accounts.flatMap((acc) => {
      const given = p.accounts[acc.name] ?? p.accounts[toCamel(acc.name)] ?? acc.address;
      if (!given) {
        if (acc.optional) return [];
        throw invalid(`account ${acc.name} of ${ix.name} is missing`);
      }
      const pubkey = new PublicKey(given);
      return [{ pubkey, isWritable: Boolean(acc.writable), isSigner: Boolean(acc.signer) }];
    });
    return { instructions: [new TransactionInstruction({ programId: new PublicKey(p.program_id), keys, data })], lamports: p.lamports };
  },
};

type AnchorModule = typeof import("@coral-xyz/anchor");

/**
 * Anchor is CommonJS (named ESM imports of BN fail) and heavy: load it on first use so a crank
 * that never invokes an IDL does not pay for it at start.
 */
async function loadAnchor(): Promise<Pick<AnchorModule, "BN" | "BorshInstructionCoder">> {
  const mod = (await import("@coral-xyz/anchor")) as AnchorModule & { default?: AnchorModule };
  return mod.default ?? mod;
}

function findInstruction(idl: Idl, method: string): IdlInstructionShape {
  const list = (idl as unknown as { instructions?: IdlInstructionShape[] }).instructions;
  if (!Array.isArray(list)) throw invalid("the IDL has no instructions");
  const ix = list.find((i) => i.name === method || toCamel(i.name) === method || i.name === toSnake(method));
  if (!ix) throw invalid(`the IDL has no instruction ${method} (has: ${list.map((i) => i.name).join(", ")})`);
  return ix;
}

async function readIdl(path: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  } catch (e) {
    throw invalid(`cannot read IDL file ${path}: ${(e as Error).message}`);
  }
}

function invalid(message: string): CourierError {
  return new CourierError("COURIER__ACTION__INVALID_PARAMS", message, { action: "anchor.invoke" });
}

const toCamel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const toSnake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
