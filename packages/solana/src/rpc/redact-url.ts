/**
 * Provider URLs carry API keys in userinfo, query strings (`?api-key=…`) or path segments
 * (`/v2/<key>`). Anything shown to an operator (health, logs, errors) goes through this.
 */
const KEY_LIKE_SEGMENT = /^[A-Za-z0-9_-]{16,}$/;

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
    .map((seg) => (isKeyLike(decodeSafe(seg)) ? "***" : seg))
    .join("/");
  const query = [...u.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=***`).join("&");
  const shownPath = path === "/" ? "" : path;
  return `${u.protocol}//${userinfo}${u.host}${shownPath}${query ? `?${query}` : ""}`;
}

/** Long opaque tokens: ≥ 16 URL-safe characters with a digit, or ≥ 32 of them (pure-letter keys). */
function isKeyLike(seg: string): boolean {
  if (!KEY_LIKE_SEGMENT.test(seg)) return false;
  return /\d/.test(seg) || seg.length >= 32;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
