/**
 * Names for an Anchor program's custom error codes: the IDL's own `errors` (6000 and up) and
 * Anchor's framework errors (constraints, account checks: below 6000).
 */
import { loadAnchor } from "./load-anchor.js";

export function getAnchorErrorName(idl: Record<string, unknown>, code: number, opts: { frameworkErrors: boolean }): { name: string; message: string } | null {
  const own = Array.isArray(idl.errors) ? (idl.errors as Array<{ code?: number; name?: string; msg?: string }>) : [];
  const hit = own.find((e) => e.code === code);
  if (hit?.name) return { name: hit.name, message: hit.msg ?? hit.name };
  if (!opts.frameworkErrors) return null;
  const anchor = loadAnchor();
  const message = anchor.LangErrorMessage.get(code);
  if (!message) return null;
  const name = Object.entries(anchor.LangErrorCode).find(([, v]) => v === code)?.[0] ?? `AnchorError${code}`;
  return { name, message };
}
