/** Instances and their stats, the shared pause / halt switch, retention. */
import type { CrankControl, StoreStats, TickSummary } from "../../types.js";

export interface HeartbeatArgs {
  instance: string;
  started_at: number;
  now: number;
  in_flight: number;
  ticked: boolean;
}
export interface StatsArgs {
  ticks: number;
  now: number;
}
/** Instances, ticks and the stats built from them. */
export interface StatsStore {
  heartbeat(args: HeartbeatArgs): Promise<void>;
  removeInstance(instance: string): Promise<void>;
  recordTick(tick: TickSummary): Promise<void>;
  stats(args: StatsArgs): Promise<StoreStats>;
}
export interface SetPausedArgs {
  paused: boolean;
  by: string;
  now: number;
}
export interface SetHaltedArgs {
  halted: boolean;
  reason: string | null;
  now: number;
}
/** The pause / halt switch shared by every instance. */
export interface ControlStore {
  getControl(): Promise<CrankControl>;
  setPaused(args: SetPausedArgs): Promise<CrankControl>;
  setHalted(args: SetHaltedArgs): Promise<CrankControl>;
}
export interface PruneArgs {
  /** Epoch ms: what ended (or was last updated) before this goes. */
  before: number;
  /** Rows per statement (one batch). */
  limit: number;
}
/** Rows one prune batch deleted, per kind. */
export interface PruneCounts {
  ops: number;
  attempts: number;
  ledger: number;
  audit: number;
  outbox: number;
  alerts: number;
}
export interface ReclaimSpaceArgs {
  /** Most free pages to hand back in this call. */
  pages: number;
}
/** Retention (COURIER_RETENTION_DAYS): batch pruning by the rules of store/prune-rules.ts. */
export interface RetentionStore {
  prune(args: PruneArgs): Promise<PruneCounts>;
  /** created_at of the oldest op kept (null when there is none). */
  oldestOpAt(): Promise<number | null>;
  /**
   * Hand free space back to the file system, a little at a time; returns the free pages left.
   * SQLite: incremental vacuum. PostgreSQL: nothing to do (autovacuum reuses the space), 0.
   */
  reclaimSpace(args: ReclaimSpaceArgs): Promise<{ freelist_pages: number }>;
}
