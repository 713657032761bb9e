/**
 * What the HTTP client is given for an RPC URL: `user:pass@` credentials move into an
 * `Authorization: Basic` header and leave the URL (as HTTP clients such as curl do), so the URL
 * that is used and logged nowhere carries them. Path and query keys stay in the URL: that is
 * where their providers read them.
 */
export interface RpcTarget {
  url: string;
  headers: Record<string, string>;
}

const cache = new Map<string, RpcTarget>();
const CACHE_MAX = 64;

export function toRpcTarget(url: string): RpcTarget {
  const hit = cache.get(url);
  if (hit) return hit;
  const target = buildTarget(url);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(url, target);
  return target;
}

function buildTarget(url: string): RpcTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // The HTTP client refuses an unparseable URL itself (without echoing it).
    return { url, headers: {} };
  }
  if (!u.username && !u.password) return { url, headers: {} };
  const credentials = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  u.username = "";
  u.password = "";
  return { url: u.toString(), headers: { authorization: `Basic ${Buffer.from(credentials, "utf8").toString("base64")}` } };
}
