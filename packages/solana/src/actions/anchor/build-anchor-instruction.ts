/**
 * One anchor.invoke call → a TransactionInstruction, through Anchor's own `Program` methods
 * builder: its account resolver fills signers, fixed addresses, PDAs from IDL seeds (consts,
 * args, other accounts, account data) and relations, across nested account groups; its coder
 * encodes the args. The same function validates an op when it is scheduled (no pool: no chain
 * access, so only accounts derived from on-chain data are left for run time).
 */
import { CourierError } from "@courier/agent";
import { PublicKey, type TransactionInstruction } from "@solana/web3.js";
import type { RpcPool } from "../../rpc/types.js";
import { toAnchorArgs, toCamel } from "./anchor-args.js";
import { type AnchorModule, loadAnchor } from "./load-anchor.js";
import { createPoolConnection } from "./pool-connection.js";

export type AccountsInput = { [name: string]: string | AccountsInput };

export interface AnchorCall {
  idl: Record<string, unknown>;
  programId: string;
  method: string;
  args: unknown[];
  accounts: AccountsInput;
  remainingAccounts: Array<{ pubkey: string; is_writable: boolean }>;
}

interface IdlAccountItem {
  name: string;
  accounts?: IdlAccountItem[];
  optional?: boolean;
  signer?: boolean;
  address?: string;
  pda?: { seeds: Array<{ kind: string; path?: string }> };
  relations?: string[];
}

interface IdlInstruction {
  name: string;
  accounts: IdlAccountItem[];
  args: Array<{ name: string; type: unknown }>;
}

/** With `pool` null (schedule time) nothing is read from a chain; then null means "complete only with chain data". */
export async function buildAnchorInstruction(
  call: AnchorCall,
  env: { signer: PublicKey; pool: RpcPool | null },
): Promise<TransactionInstruction | null> {
  const anchor = loadAnchor();
  const program = createProgram(anchor, call, env);
  const ix = findInstruction(program.idl.instructions as unknown as IdlInstruction[], call.method);
  if (call.args.length !== ix.args.length) {
    throw invalid("params.args", `method ${ix.name} takes ${ix.args.length} args (${ix.args.map((a) => a.name).join(", ") || "none"}), got ${call.args.length}`);
  }
  let args: unknown[];
  try {
    args = toAnchorArgs(anchor, call.args, ix.args, (program.idl.types ?? []) as never);
  } catch (e) {
    throw invalid("params.args", `cannot encode args of ${ix.name}: ${(e as Error).message}`);
  }
  const given = toPartialAccounts(call.accounts, ix.accounts);
  const plainMissing = getPlainMissing(ix.accounts, given);
  if (plainMissing.length > 0) throw missingAccounts(ix.name, plainMissing);

  const methods = program.methods as unknown as Record<string, (...a: unknown[]) => AnchorMethodsBuilder>;
  const method = methods[ix.name];
  if (!method) throw invalid("params.method", `the IDL has no instruction ${call.method}`);
  const builder = method(...args)
    .accountsPartial(given)
    .remainingAccounts(call.remainingAccounts.map((a) => ({ pubkey: new PublicKey(a.pubkey), isWritable: a.is_writable, isSigner: false })));
  try {
    await builder.pubkeys();
  } catch (e) {
    const unresolved = getUnresolvedFromMessage((e as Error).message);
    if (unresolved === null) throw invalid("params.accounts", `cannot resolve the accounts of ${ix.name}: ${(e as Error).message}`);
    // Offline, an account derived from on-chain data (a seed from an account's fields, a
    // relation) cannot be resolved yet: the run resolves it against the chain.
    if (env.pool === null && unresolved.every((path) => needsChainData(ix.accounts, path))) return null;
    throw missingAccounts(ix.name, unresolved);
  }
  try {
    return await builder.instruction();
  } catch (e) {
    throw invalid("params.args", `cannot encode ${ix.name}: ${(e as Error).message}`);
  }
}

interface AnchorMethodsBuilder {
  accountsPartial(accounts: Record<string, unknown>): AnchorMethodsBuilder;
  remainingAccounts(accounts: Array<{ pubkey: PublicKey; isWritable: boolean; isSigner: boolean }>): AnchorMethodsBuilder;
  pubkeys(): Promise<unknown>;
  instruction(): Promise<TransactionInstruction>;
}

function createProgram(anchor: AnchorModule, call: AnchorCall, env: { signer: PublicKey; pool: RpcPool | null }) {
  if (!Array.isArray(call.idl.instructions)) throw invalid("params.idl", "the IDL has no instructions");
  // Offline (pool null), every chain read fails and leaves that account unresolved.
  const connection = createPoolConnection(env.pool);
  try {
    return new anchor.Program({ ...call.idl, address: call.programId } as never, { connection, publicKey: env.signer } as never);
  } catch (e) {
    throw invalid("params.idl", `not a usable Anchor IDL (spec 0.1.0): ${(e as Error).message}`);
  }
}

function findInstruction(list: IdlInstruction[], method: string): IdlInstruction {
  const ix = list.find((i) => i.name === method || i.name === toCamel(method));
  if (!ix) throw invalid("params.method", `the IDL has no instruction ${method} (has: ${list.map((i) => i.name).join(", ")})`);
  return ix;
}

/** The caller's accounts with camelCase names (as Anchor's Program uses), omitted optionals as null. */
function toPartialAccounts(input: AccountsInput, items: IdlAccountItem[]): Record<string, unknown> {
  const byCamel = new Map(Object.entries(input).map(([k, v]) => [toCamel(k), v]));
  const out: Record<string, unknown> = {};
  for (const item of items) {
    const value = byCamel.get(item.name);
    if (item.accounts) {
      out[item.name] = toPartialAccounts(typeof value === "object" ? value : {}, item.accounts);
    } else if (typeof value === "string") {
      out[item.name] = new PublicKey(value);
    } else if (item.optional) {
      out[item.name] = null;
    }
  }
  for (const [name] of byCamel) {
    if (!items.some((i) => i.name === name)) throw invalid(`params.accounts.${name}`, `the instruction has no account ${name}`);
  }
  return out;
}

/** Accounts nothing can fill: not given, not optional, no fixed address, not a signer, not derivable. */
function getPlainMissing(items: IdlAccountItem[], given: Record<string, unknown>, prefix = ""): string[] {
  return items.flatMap((item) => {
    const path = `${prefix}${item.name}`;
    if (item.accounts) return getPlainMissing(item.accounts, (given[item.name] ?? {}) as Record<string, unknown>, `${path}.`);
    if (given[item.name] !== undefined || item.optional || item.address || item.signer || item.pda || item.relations) return [];
    return [path];
  });
}

/** Anchor's resolver reports what it could not derive: "Unresolved accounts: `a`, `b.c`". */
function getUnresolvedFromMessage(message: string): string[] | null {
  const m = /Unresolved accounts: (.*)$/.exec(message);
  if (!m?.[1]) return null;
  return [...m[1].matchAll(/`([^`]+)`/g)].map((x) => x[1] as string);
}

function needsChainData(items: IdlAccountItem[], path: string): boolean {
  const [head, ...rest] = path.split(".");
  const item = items.find((i) => i.name === head);
  if (!item) return false;
  if (item.accounts) return needsChainData(item.accounts, rest.join("."));
  if (item.relations) return true;
  return (item.pda?.seeds ?? []).some((s) => s.kind === "account" && (s.path ?? "").includes("."));
}

function missingAccounts(method: string, paths: string[]): CourierError {
  return invalid(`params.accounts.${paths[0]}`, `accounts of ${method} missing: ${paths.join(", ")} (give them in params.accounts)`);
}

export function invalid(field: string, message: string): CourierError {
  return new CourierError("COURIER__ACTION__INVALID_PARAMS", `${field}: ${message}`, { action: "anchor.invoke", field, issues: [{ path: field, message }] });
}
