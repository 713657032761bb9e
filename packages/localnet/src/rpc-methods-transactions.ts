/** Transaction methods: send, simulate, statuses, history. */
import { decodeBase58Fixed } from "./base58.js";
import { RPC_CODES, RpcError, invalidParams } from "./rpc-error.js";
import type { RpcMethodTable } from "./rpc-method.js";
import { describeType, getCommitment, getConfig, getOptionalBool, withContext } from "./rpc-params.js";
import { getTransactionJson } from "./transaction-json.js";
import { getSignatureStatus, meetsCommitment, STATUS_CACHE_SLOTS, type SignatureStatus } from "./tx-ledger.js";
import { decodeWireString } from "./wire-encoding.js";

const MAX_STATUS_SIGNATURES = 256;

const SIGNATURE_RE = /^[1-9A-HJ-NP-Za-km-z]{64,88}$/;

function assertSignature(v: unknown, exact = true): string {
  if (typeof v !== "string") throw invalidParams(`Invalid params: invalid type: ${describeType(v)}, expected a string.`);
  // Status polls carry up to 256 mostly-unknown signatures: the alphabet/length check is enough there.
  if (!SIGNATURE_RE.test(v) || (exact && decodeBase58Fixed(v, 64) === null)) throw invalidParams("Invalid param: Invalid");
  return v;
}

export const transactionMethods: RpcMethodTable = {
  sendTransaction: (p, ctx) => {
    const cfg = getConfig(p, 1);
    const tx = decodeWireString(p[0], cfg.encoding);
    getCommitment({ commitment: cfg.preflightCommitment });
    const skipPreflight = getOptionalBool(cfg, "skipPreflight", false);
    const min = cfg.minContextSlot;
    if (typeof min === "number" && min > ctx.bank.clock.slot) {
      throw new RpcError(RPC_CODES.MIN_CONTEXT_SLOT_NOT_REACHED, "Minimum context slot has not been reached", { contextSlot: ctx.bank.clock.slot });
    }
    return ctx.bank.send(tx, { skipPreflight });
  },
  simulateTransaction: (p, ctx) => {
    const cfg = getConfig(p, 1);
    const tx = decodeWireString(p[0], cfg.encoding);
    getCommitment(cfg);
    const sigVerify = getOptionalBool(cfg, "sigVerify", false);
    const replaceRecentBlockhash = getOptionalBool(cfg, "replaceRecentBlockhash", false);
    if (sigVerify && replaceRecentBlockhash) throw invalidParams("sigVerify may not be used with replaceRecentBlockhash");
    return withContext(ctx.bank.clock.slot, ctx.bank.simulate(tx, { sigVerify, replaceRecentBlockhash }));
  },
  getSignatureStatuses: (p, ctx) => {
    const sigs = p[0];
    if (!Array.isArray(sigs)) throw invalidParams(`Invalid params: invalid type: ${describeType(sigs)}, expected a sequence.`);
    if (sigs.length > MAX_STATUS_SIGNATURES) throw invalidParams(`Too many inputs provided; max ${MAX_STATUS_SIGNATURES}`);
    const search = getOptionalBool(getConfig(p, 1), "searchTransactionHistory", false);
    const { bank } = ctx;
    const height = bank.clock.height;
    const oldestCached = bank.clock.slot - STATUS_CACHE_SLOTS;
    const out: Array<SignatureStatus | null> = new Array(sigs.length);
    for (let i = 0; i < sigs.length; i++) {
      const s = sigs[i];
      const landed = typeof s === "string" ? bank.ledger.get(s) : undefined;
      if (landed === undefined) {
        assertSignature(s, false);
        out[i] = null;
      } else if (!search && landed.slot < oldestCached) {
        out[i] = null;
      } else {
        out[i] = getSignatureStatus(landed, height, bank);
      }
    }
    return withContext(bank.clock.slot, out);
  },
  getTransaction: (p, ctx) => {
    const sig = assertSignature(p[0]);
    const cfg = typeof p[1] === "string" ? { encoding: p[1] } : getConfig(p, 1);
    const commitment = getCommitment(cfg);
    if (commitment === "processed") throw invalidParams("Method does not support commitment below `confirmed`");
    const encoding = cfg.encoding ?? "json";
    if (encoding !== "json" && encoding !== "jsonParsed" && encoding !== "base64" && encoding !== "base58") {
      throw invalidParams(`Invalid params: unknown variant \`${String(encoding).slice(0, 40)}\`, expected one of \`binary\`, \`base64\`, \`base58\`, \`json\`, \`jsonParsed\`.`);
    }
    const maxVersion = cfg.maxSupportedTransactionVersion;
    if (maxVersion !== undefined && maxVersion !== null && maxVersion !== 0) {
      throw invalidParams(`Invalid params: invalid value: integer \`${String(maxVersion).slice(0, 20)}\`, expected 0.`);
    }
    const landed = ctx.bank.ledger.get(sig);
    if (landed === undefined || landed.wire === null) return null;
    if (!meetsCommitment(getSignatureStatus(landed, ctx.bank.clock.height, ctx.bank), commitment)) return null;
    if (landed.wire[landed.wire[0]! * 64 + 1]! & 0x80 && maxVersion === undefined) {
      throw new RpcError(
        RPC_CODES.UNSUPPORTED_TRANSACTION_VERSION,
        'Transaction version (0) is not supported by the requesting client. Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": 0',
      );
    }
    return getTransactionJson(landed as typeof landed & { wire: Uint8Array }, encoding);
  },
};
