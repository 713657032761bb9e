/**
 * `--state FILE`: the bank survives a localnet restart. One file holds a JSON header (block
 * clock, genesis hash, recent landed transactions) and LiteSVM's snapshot bytes. Written to a
 * temporary file and renamed, so a crash mid-write leaves the previous state intact.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Bank, BankOptions } from "./bank.js";
import type { BlockClockState } from "./block-clock.js";
import { STATUS_CACHE_SLOTS, getLogs, type LandedTransaction } from "./tx-ledger.js";

/** The file's first bytes; a 4-byte little-endian header length follows. */
export const STATE_MAGIC = "COURIER-LOCALNET-STATE-1\n";

interface StateHeader {
  clock: BlockClockState;
  genesisHash: string;
  // landedAtMs is absent from state files written before it existed.
  ledger: Array<Omit<LandedTransaction, "wire" | "meta" | "landedAtMs"> & { wire: string | null; landedAtMs?: number }>;
}

export function loadState(path: string): BankOptions["snapshot"] | undefined {
  if (!existsSync(path)) return undefined;
  const buf = readFileSync(path);
  const magic = buf.subarray(0, STATE_MAGIC.length).toString("latin1");
  if (magic !== STATE_MAGIC) throw new Error(`${path} is not a localnet state file`);
  const headerLen = buf.readUInt32LE(STATE_MAGIC.length);
  const start = STATE_MAGIC.length + 4;
  const header = JSON.parse(buf.subarray(start, start + headerLen).toString("utf8")) as StateHeader;
  return {
    svm: new Uint8Array(buf.subarray(start + headerLen)),
    clock: header.clock,
    genesisHash: header.genesisHash,
    ledger: header.ledger.map((t) => ({ ...t, landedAtMs: t.landedAtMs ?? t.blockTime * 1000, wire: t.wire === null ? null : new Uint8Array(Buffer.from(t.wire, "base64")), meta: null })),
  };
}

export function saveState(path: string, bank: Bank): void {
  const oldest = bank.clock.slot - STATUS_CACHE_SLOTS;
  const ledger: StateHeader["ledger"] = [];
  for (const t of bank.ledger.all()) {
    if (t.slot < oldest) continue;
    const { meta: _meta, wire, ...rest } = t;
    ledger.push({ ...rest, logs: getLogs(t), wire: wire === null ? null : Buffer.from(wire).toString("base64") });
  }
  const header = Buffer.from(JSON.stringify({ clock: bank.clock.state(), genesisHash: bank.genesisHash, ledger } satisfies StateHeader), "utf8");
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, Buffer.concat([Buffer.from(STATE_MAGIC, "latin1"), len, header, bank.native.toBytes()]));
  renameSync(tmp, path);
}
