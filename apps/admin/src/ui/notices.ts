/**
 * Results of a form post, carried to the page it redirects to (Post/Redirect/Get) as a few
 * query parameters that are checked against fixed shapes: a link cannot make the page say
 * anything else.
 */
import type { Notice } from "./layout.js";

const VERBS = new Set(["pause", "resume", "cancel", "retry"]);
const CODE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const COUNT = /^[0-9]{1,7}$/;

const REFUSALS: Record<string, string> = {
  COURIER__OP__IN_FLIGHT: "its transaction is already signed and may still land; the op's final status will follow the chain (COURIER__OP__IN_FLIGHT)",
  COURIER__CONFLICT: "the op is not in a state this action applies to (COURIER__CONFLICT)",
  COURIER__NOT_FOUND: "no such op (COURIER__NOT_FOUND)",
};

export function describeRefusal(code: string): string {
  return REFUSALS[code] ?? code;
}

/** Query string for the result of `verb` on an op or the crank (`code` null: it was done). */
export function verbResultQuery(verb: string, code: string | null): string {
  const p = new URLSearchParams({ done: verb });
  if (code) p.set("code", code);
  return `?${p}`;
}

export function bulkResultQuery(action: string, r: { matched: number; changed: number; skipped: Array<{ reason: string }> }): string {
  const p = new URLSearchParams({ done: `bulk-${action}`, matched: String(r.matched), changed: String(r.changed), skipped: String(r.skipped.length) });
  const reasons = [...new Set(r.skipped.map((s) => s.reason))];
  if (reasons[0]) p.set("code", reasons[0]);
  return `?${p}`;
}

export function readNotice(query: (name: string) => string | undefined, subject: string): Notice | null {
  const done = query("done");
  if (!done) return null;
  const code = query("code");
  const validCode = code !== undefined && CODE.test(code) ? code : null;
  if (done.startsWith("bulk-") && VERBS.has(done.slice(5))) {
    const [matched, changed, skipped] = ["matched", "changed", "skipped"].map((k) => query(k) ?? "");
    if (![matched, changed, skipped].every((n) => COUNT.test(n as string))) return null;
    const why = Number(skipped) > 0 && validCode ? ` (${validCode}${Number(skipped) > 1 ? ", …" : ""})` : "";
    return { kind: Number(skipped) > 0 ? "error" : "ok", text: `Bulk ${done.slice(5)}: ${matched} selected, ${changed} changed, ${skipped} skipped${why}.` };
  }
  if (done === "none-selected") return { kind: "error", text: "Select at least one op first." };
  if (!VERBS.has(done)) return null;
  if (validCode) return { kind: "error", text: `${capitalize(done)} refused: ${describeRefusal(validCode)}.` };
  return { kind: "ok", text: `${capitalize(subject)}: ${done} done.` };
}

function capitalize(s: string): string {
  return `${s[0]?.toUpperCase() ?? ""}${s.slice(1)}`;
}
