/**
 * bigint-buffer (under @solana/spl-token) prints "bigint: Failed to load bindings, pure JS will
 * be used" with console.warn when its optional native addon is absent. The pure-JS fallback is
 * fine, and the CLI's stderr is reserved for its one-line messages, so that one warning is
 * dropped while the Solana stack loads. Anything else still goes through.
 */
const NOISE = "bigint: Failed to load bindings";

export async function importQuietly<T>(load: () => Promise<T>): Promise<T> {
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith(NOISE)) return;
    original(...args);
  };
  try {
    return await load();
  } finally {
    console.warn = original;
  }
}
