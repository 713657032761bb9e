export { createNonceAccount, getNonce, getNonceAccountOfWire, isNonceEntry, NONCE_LAST_VALID_BLOCK_HEIGHT } from "./durable-nonce.js";
export { createStatusPoller, type PollResult, type PollWatcher, type StatusPoller, type StatusPollerStats } from "./status-poller.js";
export { isAtCommitment, type TrackDeps, type TrackListener, type TrackVerdict, watchTransaction } from "./track-transaction.js";
