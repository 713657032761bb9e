/** Account methods: balances, account data, token balances, the faucet. */
import { encodeBase58 } from "./base58.js";
import type { NativeAccount } from "./litesvm-native.js";
import { RPC_CODES, RpcError, invalidParams } from "./rpc-error.js";
import type { RpcContext, RpcMethodTable } from "./rpc-method.js";
import { describeType, getCommitment, getConfig, getPubkey, getU64, withContext } from "./rpc-params.js";

const TOKEN_PROGRAMS = new Set(["TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", "TokenzQdBNbLqP5VEhdkAS6EPFLC1PEnBqCXEpPxuEb"]);
const MAX_BASE58_BYTES = 128;
const MAX_MULTIPLE_ACCOUNTS = 100;
const MAX_AIRDROP_LAMPORTS = 1_000_000_000_000_000n;

interface AccountView {
  data: string | [string, string];
  executable: boolean;
  lamports: number;
  owner: string;
  rentEpoch: number;
  space: number;
}

function readDataSlice(cfg: Record<string, unknown>): { offset: number; length: number } | null {
  const s = cfg.dataSlice;
  if (s === undefined || s === null) return null;
  const o = s as { offset?: unknown; length?: unknown };
  if (typeof s !== "object" || typeof o.offset !== "number" || typeof o.length !== "number" || o.offset < 0 || o.length < 0) {
    throw invalidParams("Invalid params: invalid dataSlice.");
  }
  return { offset: o.offset, length: o.length };
}

function readEncoding(cfg: Record<string, unknown>): string {
  const e = cfg.encoding ?? "binary";
  if (e === "binary" || e === "base58" || e === "base64" || e === "jsonParsed") return e;
  if (e === "base64+zstd") throw invalidParams("Invalid params: base64+zstd encoding is not supported by the localnet.");
  throw invalidParams(`Invalid params: unknown variant \`${String(e).slice(0, 40)}\`, expected one of \`binary\`, \`base58\`, \`base64\`, \`jsonParsed\`, \`base64+zstd\`.`);
}

function viewAccount(acc: NativeAccount, encoding: string, slice: { offset: number; length: number } | null): AccountView {
  const full = acc.data();
  const data = slice ? full.subarray(slice.offset, slice.offset + slice.length) : full;
  let encoded: AccountView["data"];
  if (encoding === "binary" || encoding === "base58") {
    if (data.length > MAX_BASE58_BYTES) {
      throw invalidParams("Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.");
    }
    encoded = encoding === "binary" ? encodeBase58(data) : [encodeBase58(data), "base58"];
  } else {
    // jsonParsed falls back to base64 for accounts without a parser, as the validator does.
    encoded = [Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64"), "base64"];
  }
  return {
    data: encoded,
    executable: acc.executable(),
    lamports: Number(acc.lamports()),
    owner: encodeBase58(acc.owner()),
    rentEpoch: Number(acc.rentEpoch()),
    space: full.length,
  };
}

function getAccount(ctx: RpcContext, pubkey: Uint8Array): NativeAccount | null {
  const acc = ctx.bank.native.getAccount(pubkey);
  // LiteSVM returns zero-lamport system placeholders; the validator reports them as absent.
  return acc !== null && acc.lamports() === 0n && acc.data().length === 0 ? null : acc;
}

function uiAmountString(amount: bigint, decimals: number): string {
  if (decimals === 0) return amount.toString();
  const s = amount.toString().padStart(decimals + 1, "0");
  const whole = s.slice(0, s.length - decimals);
  const frac = s.slice(s.length - decimals).replace(/0+$/, "");
  return frac.length > 0 ? `${whole}.${frac}` : whole;
}

export const accountMethods: RpcMethodTable = {
  getBalance: (p, ctx) => {
    const pubkey = getPubkey(p, 0);
    getCommitment(getConfig(p, 1));
    return withContext(ctx.bank.clock.slot, Number(ctx.bank.balanceOf(pubkey)));
  },
  getAccountInfo: (p, ctx) => {
    const pubkey = getPubkey(p, 0);
    const cfg = getConfig(p, 1);
    getCommitment(cfg);
    const encoding = readEncoding(cfg);
    const acc = getAccount(ctx, pubkey);
    return withContext(ctx.bank.clock.slot, acc === null ? null : viewAccount(acc, encoding, readDataSlice(cfg)));
  },
  getMultipleAccounts: (p, ctx) => {
    if (!Array.isArray(p[0])) throw invalidParams(`Invalid params: invalid type: ${describeType(p[0])}, expected a sequence.`);
    if (p[0].length > MAX_MULTIPLE_ACCOUNTS) throw invalidParams(`Too many inputs provided; max ${MAX_MULTIPLE_ACCOUNTS}`);
    const keys = p[0].map((_, i) => getPubkey(p[0] as unknown[], i));
    const cfg = getConfig(p, 1);
    getCommitment(cfg);
    const encoding = readEncoding(cfg);
    const slice = readDataSlice(cfg);
    return withContext(
      ctx.bank.clock.slot,
      keys.map((k) => {
        const acc = getAccount(ctx, k);
        return acc === null ? null : viewAccount(acc, encoding, slice);
      }),
    );
  },
  getTokenAccountBalance: (p, ctx) => {
    const pubkey = getPubkey(p, 0);
    getCommitment(getConfig(p, 1));
    const acc = getAccount(ctx, pubkey);
    const data = acc?.data();
    if (acc === null || data === undefined || data.length < 165 || !TOKEN_PROGRAMS.has(encodeBase58(acc.owner()))) {
      throw invalidParams("Invalid param: not a Token account");
    }
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const amount = view.getBigUint64(64, true);
    const mint = getAccount(ctx, data.subarray(0, 32));
    const mintData = mint?.data();
    if (mintData === undefined || mintData.length < 82) throw invalidParams("Invalid param: could not find mint");
    const decimals = mintData[44]!;
    const ui = uiAmountString(amount, decimals);
    return withContext(ctx.bank.clock.slot, { amount: amount.toString(), decimals, uiAmount: Number(ui), uiAmountString: ui });
  },
  requestAirdrop: (p, ctx) => {
    const pubkey = getPubkey(p, 0);
    const lamports = getU64(p[1], "lamports");
    getCommitment(getConfig(p, 2));
    if (lamports === 0n || lamports > MAX_AIRDROP_LAMPORTS) {
      throw new RpcError(RPC_CODES.INTERNAL_ERROR, `airdrop request failed: invalid amount ${lamports}`);
    }
    return ctx.bank.airdrop(pubkey, lamports);
  },
};

