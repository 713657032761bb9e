/** Positional-parameter parsing with the validator's error wording (-32602 Invalid params). */
import { decodeBase58Fixed } from "./base58.js";
import type { Commitment } from "./block-clock.js";
import { invalidParams } from "./rpc-error.js";

export const API_VERSION = "2.2.16";

export function getConfig(params: unknown[], index: number): Record<string, unknown> {
  const v = params[index];
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw invalidParams(`Invalid params: invalid type: ${describeType(v)}, expected struct config.`);
  return v as Record<string, unknown>;
}

export function describeType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "sequence";
  if (typeof v === "object") return "map";
  if (typeof v === "string") return `string "${v.slice(0, 40)}"`;
  if (typeof v === "number") return Number.isInteger(v) ? `integer \`${v}\`` : `floating point \`${v}\``;
  return typeof v === "boolean" ? `boolean \`${v}\`` : typeof v;
}

export function getCommitment(cfg: Record<string, unknown>, fallback: Commitment = "finalized"): Commitment {
  const c = cfg.commitment;
  if (c === undefined || c === null) return fallback;
  switch (c) {
    case "processed":
    case "recent":
      return "processed";
    case "confirmed":
    case "single":
    case "singleGossip":
      return "confirmed";
    case "finalized":
    case "max":
    case "root":
      return "finalized";
    default:
      throw invalidParams(`Invalid params: unknown variant \`${String(c).slice(0, 40)}\`, expected one of \`processed\`, \`confirmed\`, \`finalized\`.`);
  }
}

export function getPubkey(params: unknown[], index: number): Uint8Array {
  const v = params[index];
  if (typeof v !== "string") throw invalidParams(v === undefined ? "Invalid params: missing field pubkey." : `Invalid params: invalid type: ${describeType(v)}, expected a string.`);
  const bytes = decodeBase58Fixed(v, 32);
  if (bytes === null) throw invalidParams("Invalid param: Invalid");
  return bytes;
}

export function getU64(v: unknown, name: string): bigint {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw invalidParams(v === undefined ? `Invalid params: missing field ${name}.` : `Invalid params: invalid type: ${describeType(v)}, expected u64.`);
  }
  return BigInt(v);
}

export function getOptionalBool(cfg: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const v = cfg[name];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "boolean") throw invalidParams(`Invalid params: invalid type: ${describeType(v)}, expected a boolean.`);
  return v;
}

export function withContext<T>(slot: number, value: T): { context: { apiVersion: string; slot: number }; value: T } {
  return { context: { apiVersion: API_VERSION, slot }, value };
}
