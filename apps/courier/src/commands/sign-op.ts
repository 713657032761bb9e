/**
 * `courier ops sign ID --sign KEYPAIR_FILE`: the owner signs an op exactly as it is stored, for
 * ops created before COURIER_INTENT_KEYS was set (docs/security.md, "Turning it on"). The
 * operator checks the op first (`courier ops show ID`): this signs whatever the store says.
 */
import { CourierError, type Op, systemClock } from "@courier/agent";
import type { Config } from "../config/index.js";
import { loadOwnerKey } from "../wiring/intents.js";
import { importQuietly } from "../wiring/quiet-import.js";
import { withStore } from "../wiring/open-store.js";

export async function signOp(config: Config, id: string, keypairPath: string): Promise<Op> {
  const owner = await loadOwnerKey(keypairPath);
  const { signStoredOp } = await importQuietly(() => import("@courier/solana"));
  const signer = owner.publicKey.toBase58();
  if (config.intentKeys.length > 0 && !config.intentKeys.includes(signer)) {
    throw new CourierError("COURIER__OP__INTENT_INVALID", `--sign: ${signer} is not in COURIER_INTENT_KEYS`, { field: "--sign", reason: "signer_not_allowed" });
  }
  return withStore(config, async (store) => {
    const op = await store.getOp(id);
    if (!op) throw new CourierError("COURIER__NOT_FOUND", `no op with id ${JSON.stringify(id.slice(0, 200))}`, { id });
    const now = systemClock.now();
    const signed = await store.setOpIntent({ id, intent: signStoredOp(op, owner), now });
    if (!signed) throw new CourierError("COURIER__NOT_FOUND", `no op with id ${JSON.stringify(id.slice(0, 200))}`, { id });
    await store.audit({ at: now, instance: config.instanceId, kind: "op.signed", op_id: id, data: { signer } });
    return signed;
  });
}
