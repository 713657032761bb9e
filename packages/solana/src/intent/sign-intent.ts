/**
 * Signing op intents with an owner key, for the CLI (`--sign`, `courier ops sign`) and for
 * applications that hold the owner key. The owner key is not the crank's signer: keep it offline
 * (docs/security.md).
 *
 * The signature must cover exactly the op the server will build, so `createSignedOpBody` pins
 * the time first (a `delay_ms` or an absent `run_at` would be resolved against the server's clock,
 * which the signer cannot know) and then builds the op with the same code as the server.
 */
import {
  type ActionRegistry,
  buildNewOp,
  type Clock,
  encodeIntentPayload,
  getIntentMessage,
  getOpIntent,
  type IntentSource,
  type Op,
  type ScheduleInputBody,
} from "@courier/agent";
import { encodeSignature } from "./owner-keys.js";

/** What signs: a `Signer` from loadKeypair / createSignerFromSecretKey satisfies it. */
export interface IntentSigner {
  readonly publicKey: { toBase58(): string };
  sign(message: Uint8Array): Uint8Array;
}

/** The create body's `intent` field. */
export interface IntentSignature {
  signer: string;
  signature: string;
}

/** Sign an intent payload (canonical JSON, see encodeIntentPayload). */
export function signIntentPayload(payload: string, signer: IntentSigner): IntentSignature {
  return { signer: signer.publicKey.toBase58(), signature: encodeSignature(signer.sign(getIntentMessage(payload))) };
}

/** Sign an op's intent; `runAt` is a one-off op's first run (ignored for interval and cron ops). */
export function signOpIntent(op: IntentSource, runAt: number, signer: IntentSigner): IntentSignature & { payload: string } {
  const payload = encodeIntentPayload(getOpIntent(op, runAt));
  return { ...signIntentPayload(payload, signer), payload };
}

/**
 * A create body with its time pinned (`run_at` instead of `delay_ms` or "now") and its `intent`
 * signed: POST it as is (or pass it to scheduleOp). `registry` must validate params as the server
 * does (the same actions), since the signature covers the params as the server stores them.
 */
export function createSignedOpBody(
  body: ScheduleInputBody,
  signer: IntentSigner,
  deps: { registry: ActionRegistry; clock: Clock },
): ScheduleInputBody & { intent: IntentSignature } {
  const pinned: Record<string, unknown> = { ...body };
  delete pinned.intent;
  if (pinned.run_at === undefined) {
    pinned.run_at = deps.clock.now() + (typeof pinned.delay_ms === "number" ? pinned.delay_ms : 0);
    delete pinned.delay_ms;
  }
  const op = buildNewOp(pinned, { registry: deps.registry, clock: deps.clock, newId: () => "unsigned" });
  const { signer: owner, signature } = signOpIntent(op, op.next_exec, signer);
  return { ...(pinned as ScheduleInputBody), intent: { signer: owner, signature } };
}

/** Re-sign a stored op as it is (`courier ops sign`): its one-off run_at is its current due time. */
export function signStoredOp(op: Op, signer: IntentSigner): IntentSignature & { payload: string } {
  return signOpIntent(op, Math.min(op.due_at, op.next_exec), signer);
}
