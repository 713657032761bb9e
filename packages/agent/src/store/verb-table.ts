/**
 * The store's verbs as data. Every verb of `Store` is classified here once, read or write; each
 * backend exports one table of its verbs whose `write` flags must agree with this classification.
 * A verb added to `Store` but missing here, missing from a backend's table, or flagged
 * differently there, is a type error. Safe mode refuses and watches writes by these flags.
 */
import type { Store, StoreLifecycle } from "./roles.js";

/** A store verb: every member of `Store` but its lifecycle. */
export type StoreVerb = Exclude<keyof Store, keyof StoreLifecycle>;

/** The one classification of verbs. A write verb changes stored state (claims and leases included). */
export const STORE_VERB_KINDS = {
  // claim / lease
  nextDueAt: "read",
  claimDue: "write",
  claimOne: "write",
  renewLeases: "write",
  reclaimExpired: "write",
  releaseOp: "write",
  expireDue: "write",
  // finish
  finishAttempt: "write",
  finishAttempts: "write",
  recordAttempt: "write",
  // ledger
  putLedgerEntry: "write",
  putLedgerEntries: "write",
  updateLedgerEntry: "write",
  updateLedgerEntries: "write",
  getLedgerEntries: "read",
  getOpLedger: "read",
  // spend
  reserveSpend: "write",
  reserveSpends: "write",
  releaseSpend: "write",
  spendToday: "read",
  // outbox
  enqueueOutbox: "write",
  claimOutbox: "write",
  markOutboxDelivered: "write",
  markOutboxFailed: "write",
  outboxSummary: "read",
  // operator
  createOp: "write",
  getOp: "read",
  listOps: "read",
  getAttempts: "read",
  cancelOp: "write",
  retryOp: "write",
  setOpIntent: "write",
  pauseOp: "write",
  resumeOp: "write",
  // stats and ticks
  heartbeat: "write",
  removeInstance: "write",
  recordTick: "write",
  stats: "read",
  // control
  getControl: "read",
  setPaused: "write",
  setHalted: "write",
  // audit
  audit: "write",
  listAudit: "read",
  // alerts
  getAlerts: "read",
  transitionAlert: "write",
  countOverdue: "read",
  // retention
  prune: "write",
  oldestOpAt: "read",
  reclaimSpace: "write",
  // dashboard
  listDueOps: "read",
  getOpByIdempotencyKey: "read",
  countAttemptOutcomes: "read",
} as const satisfies { readonly [K in StoreVerb]: "read" | "write" };

export type WriteVerb = { [K in StoreVerb]: (typeof STORE_VERB_KINDS)[K] extends "write" ? K : never }[StoreVerb];

/** One verb as a backend implements it: Store's arguments, the result plain (SQLite) or as a promise. */
export type VerbImpl<K extends StoreVerb> = (...args: Parameters<Store[K]>) => Awaited<ReturnType<Store[K]>> | ReturnType<Store[K]>;

/** A backend's verbs, each with its `write` flag (typed from STORE_VERB_KINDS, so it cannot disagree). */
export type VerbTable = { readonly [K in StoreVerb]: { readonly write: K extends WriteVerb ? true : false; readonly run: VerbImpl<K> } };

/** The verbs a backend builds from one module: a slice of its table. */
export type VerbRows<K extends StoreVerb> = Pick<VerbTable, K>;

/** Is `verb` a write? (for safe mode and anything else that must tell them apart) */
export function isWriteVerb(verb: string): verb is WriteVerb {
  return (STORE_VERB_KINDS as Record<string, string>)[verb] === "write";
}


/** Verbs `K` as a synchronous backend (SQLite) implements them: Store's arguments, plain results. */
export type SyncVerbs<K extends StoreVerb> = { [P in K]: (...args: Parameters<Store[P]>) => Awaited<ReturnType<Store[P]>> };
