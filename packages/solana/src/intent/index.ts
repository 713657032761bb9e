export { createIntentPolicy, type IntentPolicy, type IntentRefusal, type IntentVerdict } from "./intent-policy.js";
export { isOwnerPublicKey, verifyOwnerSignature } from "./owner-keys.js";
export { createSignedOpBody, type IntentSignature, type IntentSigner, signIntentPayload, signOpIntent, signStoredOp } from "./sign-intent.js";
export { type IntentCheckDeps, withIntentCheck } from "./with-intent-check.js";
