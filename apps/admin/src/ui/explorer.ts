/**
 * Links from a signature to a block explorer. COURIER_EXPLORER_URL is a template with
 * `{signature}`; by default the Solana explorer with the cluster guessed from the RPC URL.
 * The embedded localnet has no explorer: no links there.
 */

export const DEFAULT_EXPLORER = "https://explorer.solana.com/tx/{signature}";

/** The default template for these RPC URLs (null for the embedded localnet or a local node). */
export function getDefaultExplorerUrl(rpcUrls: readonly string[]): string | null {
  const first = rpcUrls[0];
  if (!first) return null;
  let host: string;
  try {
    host = new URL(first).hostname.toLowerCase();
  } catch {
    return null;
  }
  if (host === "localhost" || host.startsWith("127.") || host === "::1" || host === "[::1]") return null;
  if (host.includes("devnet")) return `${DEFAULT_EXPLORER}?cluster=devnet`;
  if (host.includes("testnet")) return `${DEFAULT_EXPLORER}?cluster=testnet`;
  return DEFAULT_EXPLORER;
}

/** The link for `signature`, or null when links are off. */
export function getExplorerLink(template: string | null | undefined, signature: string): string | null {
  if (!template) return null;
  return template.replaceAll("{signature}", encodeURIComponent(signature));
}
