/**
 * JSON args → the values Anchor's coder expects, guided by the IDL types: 64-bit and wider
 * integers become BN (JSON numbers lose precision past 2^53, so strings are accepted), public
 * keys become PublicKey, bytes a Buffer. Structs, vectors, arrays and options are walked.
 */
import { PublicKey } from "@solana/web3.js";
import type { AnchorModule } from "./load-anchor.js";

const WIDE_INTS = new Set(["u64", "i64", "u128", "i128", "u256", "i256"]);

interface TypeDef {
  name: string;
  type: { kind: string; fields?: Array<{ name: string; type: unknown } | unknown> };
}

export function toAnchorArgs(anchor: AnchorModule, args: readonly unknown[], idlArgs: ReadonlyArray<{ name: string; type: unknown }>, types: readonly TypeDef[]): unknown[] {
  return idlArgs.map((a, i) => toAnchorValue(anchor, a.type, args[i], types, a.name));
}

function toAnchorValue(anchor: AnchorModule, type: unknown, value: unknown, types: readonly TypeDef[], path: string): unknown {
  if (value === undefined || value === null) return value;
  if (typeof type === "string") {
    if (WIDE_INTS.has(type)) {
      if (typeof value !== "string" && typeof value !== "number") throw new Error(`${path}: ${type} must be an integer or integer string`);
      if (!/^-?[0-9]+$/.test(String(value))) throw new Error(`${path}: ${type} must be an integer`);
      return new anchor.BN(String(value));
    }
    if (type === "pubkey") {
      if (typeof value !== "string") throw new Error(`${path}: must be a base58 public key`);
      try {
        return new PublicKey(value);
      } catch {
        throw new Error(`${path}: must be a base58 public key`);
      }
    }
    if (type === "bytes") {
      if (typeof value === "string") return Buffer.from(value, "base64");
      if (Array.isArray(value)) return Buffer.from(value as number[]);
      throw new Error(`${path}: bytes must be a base64 string or an array of numbers`);
    }
    return value;
  }
  if (!type || typeof type !== "object") return value;
  const t = type as Record<string, unknown>;
  if ("option" in t) return toAnchorValue(anchor, t.option, value, types, path);
  if ("coption" in t) return toAnchorValue(anchor, t.coption, value, types, path);
  if ("vec" in t) return Array.isArray(value) ? value.map((v, i) => toAnchorValue(anchor, t.vec, v, types, `${path}.${i}`)) : value;
  if ("array" in t && Array.isArray(t.array)) {
    const inner = t.array[0];
    if (inner === "u8" && typeof value === "string") return [...Buffer.from(value, "base64")];
    return Array.isArray(value) ? value.map((v, i) => toAnchorValue(anchor, inner, v, types, `${path}.${i}`)) : value;
  }
  if ("defined" in t) {
    const name = (t.defined as { name?: string } | string | undefined) && typeof t.defined === "object" ? (t.defined as { name: string }).name : String(t.defined);
    const def = types.find((d) => d.name === name);
    if (def?.type.kind === "struct" && value && typeof value === "object" && !Array.isArray(value)) {
      const fields = (def.type.fields ?? []) as Array<{ name?: string; type?: unknown }>;
      const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const f of fields) {
        if (!f.name) continue;
        const key = f.name in out ? f.name : toCamel(f.name);
        if (key in out) out[key] = toAnchorValue(anchor, f.type, out[key], types, `${path}.${f.name}`);
      }
      return out;
    }
  }
  return value;
}

export const toCamel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
