/**
 * Provider URLs carry API keys in userinfo, query strings (`?api-key=…`) or path segments
 * (`/v2/<key>`, `/v1/TOKEN789`). Anything shown to an operator (health, logs, stats, errors)
 * goes through this. The scheme, host and port stay visible (they say which provider); every
 * query value and every path segment that may be a key is replaced by `***`. A segment is kept
 * only when it reads as a plain word (`solana`, `mainnet-beta`) or a version (`v2`): short keys
 * are keys too, and a hidden word costs less than a leaked key.
 */
const PLAIN_WORD = /^[a-z]{1,19}(?:[-_.][a-z]{1,19}){0,3}$/;
const VERSION = /^v\d{1,2}(?:\.\d{1,2})?$/;

export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "***";
  }
  const userinfo = u.username || u.password ? "***@" : "";
  const path = u.pathname
    .split("/")
    .map((seg) => (seg === "" || isPlainSegment(decodeSafe(seg)) ? seg : "***"))
    .join("/");
  const query = [...new Set(u.searchParams.keys())].map((k) => `${isPlainSegment(k) ? encodeURIComponent(k) : "***"}=***`).join("&");
  const shownPath = path === "/" ? "" : path;
  return `${u.protocol}//${userinfo}${u.host}${shownPath}${query ? `?${query}` : ""}`;
}

function isPlainSegment(seg: string): boolean {
  return PLAIN_WORD.test(seg) || VERSION.test(seg);
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
