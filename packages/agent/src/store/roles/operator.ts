/** What an operator does to ops and what the dashboard reads. */
import type { AttemptRecord, NewOp, Op, OpListFilter, StoredIntent } from "../../types.js";

/** setOpIntent: the owner's signature of the op as it is stored (`courier ops sign`). */
export interface SetOpIntentArgs {
  id: string;
  intent: StoredIntent;
  now: number;
}
/** cancelOp / retryOp / pauseOp / resumeOp. */
export interface OpCommandArgs {
  id: string;
  now: number;
}
/** What an operator verb did to one op. */
export interface OperatorResult {
  op: Op;
  changed: boolean;
  /** Cancel refused: the op's transaction may still land (one-off op). */
  in_flight?: boolean;
}
/** null when the op does not exist; `changed: false` when the command did not apply. */
export type OpCommandResult = OperatorResult | null;
export interface OpPage {
  ops: Op[];
  next_cursor: string | null;
}
/** What an operator does to ops (admin API, CLI, scheduling). */
export interface OperatorStore {
  /** Insert an op; an existing `idempotency_key` returns the first op with created=false. */
  createOp(op: NewOp): Promise<{ op: Op; created: boolean }>;
  getOp(id: string): Promise<Op | null>;
  listOps(filter: OpListFilter): Promise<OpPage>;
  getAttempts(op_id: string): Promise<AttemptRecord[]>;
  /**
   * Cancel. pending/paused/running → cancelled, unless the current run may already be on chain
   * (a ledger entry signed, sent or landed): then a one-off op is left alone
   * ({changed:false, in_flight:true}) and a recurring op gets `after_run = "cancel"` (it stops
   * after that run resolves). {changed:false} when terminal.
   */
  cancelOp(args: OpCommandArgs): Promise<OpCommandResult>;
  /**
   * dead/failed → pending, due now, for a fresh attempt: attempts reset (numbering continues via
   * attempt_base), ledger_floor past the run's entries so a new transaction is signed.
   */
  retryOp(args: OpCommandArgs): Promise<OpCommandResult>;
  /** Store the owner's signature of an op (any status); null when the op does not exist. */
  setOpIntent(args: SetOpIntentArgs): Promise<Op | null>;
  /** pending → paused; running (or a run that may land) → after_run "pause". */
  pauseOp(args: OpCommandArgs): Promise<OpCommandResult>;
  /** paused → pending (its next slot; misfire rules apply at claim); drops a held "pause". */
  resumeOp(args: OpCommandArgs): Promise<OpCommandResult>;
}
export interface ListDueOpsArgs {
  /** Due at or before this time (epoch ms); overdue ops are included. */
  until: number;
  limit: number;
}
export interface CountAttemptOutcomesArgs {
  /** Attempts ended in [since, until); buckets start at since + k·bucket_ms. */
  since: number;
  until: number;
  bucket_ms: number;
}
export interface OutcomeCount {
  /** Start of the bucket (epoch ms). */
  bucket: number;
  outcome: string;
  n: number;
}
/** The dashboard's reads, each served by an index: pages cost the same with a million ops. */
export interface DashboardStore {
  /** Pending ops due by `until`, soonest first. */
  listDueOps(args: ListDueOpsArgs): Promise<Op[]>;
  getOpByIdempotencyKey(key: string): Promise<Op | null>;
  /** Attempts that ran (not missed or expired runs), counted per outcome and bucket. */
  countAttemptOutcomes(args: CountAttemptOutcomesArgs): Promise<OutcomeCount[]>;
}
