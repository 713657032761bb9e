export { createStatusPoller, type StatusPoller, type StatusPollerStats, type PollResult } from "./status-poller.js";
export { trackTransaction, isAtCommitment, type TrackVerdict, type TrackDeps } from "./track-transaction.js";
export { getNonce, getNonceAccountOfWire, isNonceEntry, NONCE_LAST_VALID_BLOCK_HEIGHT } from "./durable-nonce.js";
