/** Cluster and clock methods: slots, heights, blockhashes, fees, version, health. */
import { decodeBase58 } from "./base58.js";
import { computeFee } from "./fees.js";
import { RPC_CODES, RpcError, invalidParams } from "./rpc-error.js";
import type { RpcContext, RpcMethodTable } from "./rpc-method.js";
import { describeType, getCommitment, getConfig, getU64, withContext } from "./rpc-params.js";
import { parseWireTransaction, WireFormatError } from "./wire-transaction.js";

const SLOTS_PER_EPOCH = 432_000;
const IDENTITY = "LocaLnet11111111111111111111111111111111111";

function checkMinContextSlot(cfg: Record<string, unknown>, ctx: RpcContext, slot: number): void {
  const min = cfg.minContextSlot;
  if (typeof min === "number" && min > slot) {
    throw new RpcError(RPC_CODES.MIN_CONTEXT_SLOT_NOT_REACHED, "Minimum context slot has not been reached", { contextSlot: ctx.bank.clock.slot });
  }
}

function slotAt(params: unknown[], ctx: RpcContext): { slot: number; height: number } {
  const cfg = getConfig(params, 0);
  const lag = ctx.bank.clock.lag(getCommitment(cfg));
  const slot = Math.max(0, ctx.bank.clock.slot - lag);
  checkMinContextSlot(cfg, ctx, slot);
  return { slot, height: Math.max(0, ctx.bank.clock.height - lag) };
}

/** Methods that take no parameters reject any, as jsonrpc-core does. */
function noParams<T>(f: (ctx: RpcContext) => T): (p: unknown[], ctx: RpcContext) => T {
  return (p, ctx) => {
    if (p.length > 0) throw invalidParams("Invalid parameters: No parameters were expected");
    return f(ctx);
  };
}

export const clusterMethods: RpcMethodTable = {
  getHealth: noParams(() => "ok"),
  getVersion: noParams(() => ({ "solana-core": "2.2.16", "feature-set": 3_294_202_862 })),
  getGenesisHash: noParams((ctx) => ctx.bank.genesisHash),
  getIdentity: noParams(() => ({ identity: IDENTITY })),
  getSlotLeader: (p, ctx) => {
    slotAt(p, ctx);
    return IDENTITY;
  },
  getSlot: (p, ctx) => slotAt(p, ctx).slot,
  getBlockHeight: (p, ctx) => slotAt(p, ctx).height,
  getTransactionCount: (p, ctx) => {
    slotAt(p, ctx);
    return ctx.bank.ledger.sentCount;
  },
  getFirstAvailableBlock: noParams(() => 0),
  minimumLedgerSlot: noParams(() => 0),
  getEpochInfo: (p, ctx) => {
    const { slot, height } = slotAt(p, ctx);
    return {
      absoluteSlot: slot,
      blockHeight: height,
      epoch: Math.floor(slot / SLOTS_PER_EPOCH),
      slotIndex: slot % SLOTS_PER_EPOCH,
      slotsInEpoch: SLOTS_PER_EPOCH,
      transactionCount: ctx.bank.ledger.sentCount,
    };
  },
  getEpochSchedule: noParams(() => ({ slotsPerEpoch: SLOTS_PER_EPOCH, leaderScheduleSlotOffset: SLOTS_PER_EPOCH, warmup: false, firstNormalEpoch: 0, firstNormalSlot: 0 })),
  getLatestBlockhash: (p, ctx) => {
    const cfg = getConfig(p, 0);
    const e = ctx.bank.clock.latest(getCommitment(cfg));
    checkMinContextSlot(cfg, ctx, e.slot);
    return withContext(e.slot, { blockhash: e.blockhash, lastValidBlockHeight: e.lastValidBlockHeight });
  },
  isBlockhashValid: (p, ctx) => {
    if (typeof p[0] !== "string") throw invalidParams(`Invalid params: invalid type: ${describeType(p[0])}, expected a string.`);
    if (decodeBase58(p[0])?.length !== 32) throw invalidParams("Invalid param: Invalid");
    return withContext(ctx.bank.clock.slot, ctx.bank.clock.lookupBase58(p[0]) !== undefined);
  },
  getRecentPrioritizationFees: (p, ctx) => {
    if (p[0] !== undefined && p[0] !== null && !Array.isArray(p[0])) throw invalidParams(`Invalid params: invalid type: ${describeType(p[0])}, expected a sequence.`);
    if (Array.isArray(p[0]) && p[0].length > 128) throw invalidParams("Too many inputs provided; max 128");
    return ctx.bank.clock.recentSlots(150).map((slot) => ({ slot, prioritizationFee: 0 }));
  },
  getMinimumBalanceForRentExemption: (p, ctx) => {
    const len = getU64(p[0], "data length");
    if (len > 10_485_760n) throw invalidParams("Invalid params: data length exceeds maximum permitted data length.");
    return Number(ctx.bank.native.minimumBalanceForRentExemption(len));
  },
  getFeeForMessage: (p, ctx) => {
    if (typeof p[0] !== "string") throw invalidParams(`Invalid params: invalid type: ${describeType(p[0])}, expected a string.`);
    const message = Buffer.from(p[0], "base64");
    if (message.length === 0 || message.length > 1232) throw invalidParams("invalid base64 encoding: InvalidLength");
    // Parse as a transaction with the right number of empty signatures in front of it.
    const nSig = message[0]! & 0x80 ? message[1] ?? 0 : message[0]!;
    const fake = Buffer.concat([Buffer.from([nSig < 0x80 ? nSig : 0]), Buffer.alloc(64 * (nSig < 0x80 ? nSig : 0)), message]);
    try {
      const tx = parseWireTransaction(fake);
      const valid = ctx.bank.clock.lookup(tx.blockhash) !== undefined;
      return withContext(ctx.bank.clock.slot, valid ? computeFee(tx) : null);
    } catch (e) {
      if (e instanceof WireFormatError) throw invalidParams(`invalid message: ${e.message}`);
      throw e;
    }
  },
  getBlockTime: (p, ctx) => {
    const slot = Number(getU64(p[0], "slot"));
    const e = ctx.bank.clock.state().entries.find((x) => x.slot === slot);
    if (e === undefined) throw new RpcError(RPC_CODES.BLOCK_NOT_AVAILABLE, `Block not available for slot ${slot}`);
    return e.time;
  },
};
