/**
 * Anchor is CommonJS (named ESM imports of BN fail) and heavy: it is required on first use, so
 * a process that never invokes an IDL does not pay for it at start.
 */
import { createRequire } from "node:module";

export type AnchorModule = typeof import("@coral-xyz/anchor");

let loaded: AnchorModule | null = null;

export function loadAnchor(): AnchorModule {
  loaded ??= createRequire(import.meta.url)("@coral-xyz/anchor") as AnchorModule;
  return loaded;
}
