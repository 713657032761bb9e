/**
 * The ops list cursor shared by every store: opaque to callers (base64url of the last row's sort
 * key, created_at DESC then id DESC), so a cursor from one store page means the same everywhere.
 */
import { CourierError, coerceError } from "../errors.js";
import type { Op } from "../types.js";
import { type OpRowBase, rowToOp } from "./rows.js";

export interface OpCursorKey {
  created_at: number;
  id: string;
}

export function encodeOpCursor(k: OpCursorKey): string {
  return Buffer.from(JSON.stringify([k.created_at, k.id])).toString("base64url");
}

/** A cursor from a caller: anything but one this module wrote is COURIER__VALIDATION naming `cursor`. */
export function decodeOpCursor(cursor: string): OpCursorKey {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch (e) {
    throw new CourierError("COURIER__VALIDATION", "invalid cursor", { field: "cursor" }, { cause: coerceError(e) });
  }
  if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === "string") {
    return { created_at: v[0] as number, id: v[1] };
  }
  throw new CourierError("COURIER__VALIDATION", "invalid cursor", { field: "cursor" });
}

/** One page from `limit + 1` rows fetched in list order: the ops, and a cursor when more follow. */
export function getOpPage(rows: OpRowBase[], limit: number): { ops: Op[]; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next_cursor = rows.length > limit && last ? encodeOpCursor({ created_at: last.created_at, id: last.id }) : null;
  return { ops: page.map(rowToOp), next_cursor };
}
