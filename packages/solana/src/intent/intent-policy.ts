/**
 * The intent policy of a process, from COURIER_INTENT_KEYS: what it accepts at creation and what
 * it lets run. See docs/security.md for the threat model and docs/api.md for the signed bytes.
 *
 * - At creation (`verifyNew`): a body's `intent` must be a signature, by a listed key, of the
 *   canonical intent of the op the body builds. Without listed keys an intent is optional, but
 *   one that is given must still verify (so ops signed before enforcement need no re-signing).
 * - Before a run (`check`), only when keys are listed: the stored op must carry an intent by a
 *   listed key whose signature verifies over its stored payload, and the op's fields must still
 *   encode to exactly that payload (its next_exec not before the signed start).
 */
import {
  compareOpWithIntent,
  CourierError,
  encodeIntentPayload,
  getIntentMessage,
  getOpIntent,
  type IntentInput,
  type IntentPolicy as AgentIntentPolicy,
  type NewOp,
  type Op,
  type StoredIntent,
} from "@courier/agent";
import { isOwnerPublicKey, parseOwnerKeys, verifyOwnerSignature } from "./owner-keys.js";

export type IntentRefusal = "unsigned" | "signer_not_allowed" | "bad_signature" | "mismatch";

export type IntentVerdict = { ok: true } | { ok: false; reason: IntentRefusal; fields: string[]; signer: string | null };

export interface IntentPolicy extends AgentIntentPolicy {
  /** True when COURIER_INTENT_KEYS is set: unsigned creates are refused and every run is checked. */
  readonly enforced: boolean;
  /** Whether a claimed op may run. Cheap when called again for an op it already verified. */
  check(op: Op): IntentVerdict;
}

/** Largest number of verified (signer, signature, payload) triples remembered, so recurring runs skip ed25519. */
const VERIFIED_CACHE_MAX = 10_000;

function invalid(message: string, reason: string): CourierError {
  return new CourierError("COURIER__OP__INTENT_INVALID", `intent: ${message}`, { field: "intent", reason });
}

export function createIntentPolicy(args: { keys: readonly string[] }): IntentPolicy {
  const allowed = parseOwnerKeys(args.keys);
  const enforced = allowed.size > 0;
  const verified = new Set<string>();

  function verifySignature(intent: Omit<StoredIntent, "payload">, payload: string): boolean {
    const id = `${intent.signer}:${intent.signature}:${payload}`;
    if (verified.has(id)) return true;
    if (!verifyOwnerSignature(intent.signer, getIntentMessage(payload), intent.signature)) return false;
    if (verified.size >= VERIFIED_CACHE_MAX) verified.clear();
    verified.add(id);
    return true;
  }

  return {
    enforced,

    verifyNew(op: NewOp, intent: IntentInput | undefined): StoredIntent | null {
      if (!intent) {
        if (!enforced) return null;
        throw invalid("required: COURIER_INTENT_KEYS is set, so every op must be signed by an owner key (courier schedule --sign KEYPAIR_FILE)", "unsigned");
      }
      if (!isOwnerPublicKey(intent.signer)) throw invalid("signer is not a base58 public key", "bad_signer");
      if (enforced && !allowed.has(intent.signer)) throw invalid(`signer ${intent.signer} is not in COURIER_INTENT_KEYS`, "signer_not_allowed");
      const payload = encodeOrNull(op);
      if (payload === null) throw invalid("the op's params have no canonical JSON form (e.g. a lone surrogate in a string)", "unencodable");
      if (!verifySignature(intent, payload)) {
        throw invalid("the signature does not sign this op's intent (see docs/api.md, \"Signed op intents\")", "bad_signature");
      }
      return { signer: intent.signer, signature: intent.signature, payload };
    },

    check(op: Op): IntentVerdict {
      if (!enforced) return { ok: true };
      const intent = op.intent ?? null;
      if (!intent) return { ok: false, reason: "unsigned", fields: [], signer: null };
      if (!allowed.has(intent.signer)) return { ok: false, reason: "signer_not_allowed", fields: [], signer: intent.signer };
      if (!verifySignature(intent, intent.payload)) return { ok: false, reason: "bad_signature", fields: [], signer: intent.signer };
      const { matches, fields } = compareOrMismatch(op, intent.payload);
      return matches ? { ok: true } : { ok: false, reason: "mismatch", fields, signer: intent.signer };
    },
  };
}

function encodeOrNull(op: NewOp): string | null {
  try {
    return encodeIntentPayload(getOpIntent(op, op.next_exec));
  } catch {
    return null;
  }
}

/** A stored op whose fields cannot even be encoded was changed after signing (creation refuses those). */
function compareOrMismatch(op: Op, payload: string): { matches: boolean; fields: string[] } {
  try {
    return compareOpWithIntent(op, payload);
  } catch {
    return { matches: false, fields: ["params"] };
  }
}
