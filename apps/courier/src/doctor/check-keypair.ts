/** Doctor: the signer's keypair file is readable, well-formed, and not readable by others. */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { coerceError } from "@courier/agent";
import { type Config, DEV_KEYPAIR_PATH } from "../config/index.js";
import { importQuietly } from "../wiring/quiet-import.js";
import type { DoctorCheck } from "./types.js";

export async function checkKeypair(config: Config, cwd: string): Promise<DoctorCheck> {
  const onLocalnet = config.rpcUrls.length === 0;
  const path = config.keypair ?? (onLocalnet ? DEV_KEYPAIR_PATH : null);
  if (!path) {
    return { check: "keypair", status: "fail", detail: "COURIER_KEYPAIR: required when COURIER_RPC_URLS is set" };
  }
  const full = resolve(cwd, path);
  if (!existsSync(full)) {
    return onLocalnet && !config.keypair
      ? { check: "keypair", status: "ok", detail: `${full} will be generated (mode 0600) and funded on the embedded localnet` }
      : { check: "keypair", status: "fail", detail: `${full} does not exist (COURIER_KEYPAIR)` };
  }
  try {
    const { loadKeypair } = await importQuietly(() => import("@courier/solana"));
    const signer = await loadKeypair(full);
    const mode = (statSync(full).mode & 0o777).toString(8).padStart(3, "0");
    return { check: "keypair", status: "ok", detail: `${full} (mode ${mode}), signer ${signer.publicKey.toBase58()}` };
  } catch (e) {
    // loadKeypair's messages name the path and the fix, never the key.
    return { check: "keypair", status: "fail", detail: coerceError(e).message };
  }
}
