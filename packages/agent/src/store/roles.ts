/**
 * The store, split into roles sized to their users. Each user takes only the roles it calls:
 * the crank takes claim + finish + ledger + control + stats, the executor ledger + spend, spend
 * guards spend, the webhook dispatcher outbox, the admin service and the CLI operator + stats +
 * control + audit. `Store` is every role at once, for the wiring code that opens one.
 *
 * Every verb is async so a networked backend fits. Verbs that act on a claimed op check ownership
 * (`lease_owner = owner AND status = 'running'`) and return false when the op is no longer theirs.
 * Each argument has one named type, declared once, in the file of its role (`roles/`).
 */
import type { ClaimStore, FinishStore } from "./roles/claim-finish.js";
import type { ControlStore, RetentionStore, StatsStore } from "./roles/instance.js";
import type { LedgerStore, SpendStore } from "./roles/ledger-spend.js";
import type { DashboardStore, OperatorStore } from "./roles/operator.js";
import type { AlertStore, AuditStore, OutboxStore } from "./roles/outbox-alerts.js";

export type * from "./roles/claim-finish.js";
export type * from "./roles/instance.js";
export type * from "./roles/ledger-spend.js";
export type * from "./roles/operator.js";
export type * from "./roles/outbox-alerts.js";

export interface StoreLifecycle {
  readonly kind: "sqlite" | "postgres";
  close(): Promise<void>;
}

/** Every role: what wiring code opens and hands out piece by piece. */
export interface Store
  extends StoreLifecycle,
    ClaimStore,
    FinishStore,
    LedgerStore,
    SpendStore,
    OutboxStore,
    OperatorStore,
    StatsStore,
    ControlStore,
    AuditStore,
    AlertStore,
    RetentionStore,
    DashboardStore {}

// ---- what each user of the store takes ----

/**
 * The crank loop: claims, finishes, the executor's ledger, its ticks and the pause switch, and
 * the one alert of a recurring op whose runs fail (on_failure "continue").
 */
export type CrankStore = ClaimStore & FinishStore & LedgerStore & StatsStore & ControlStore & Pick<AlertStore, "transitionAlert">;
/** An executor: spend accounting and the audit of what the spend guards refused. */
export type ExecutorStore = SpendStore & AuditStore;
/** The admin API and the CLI: what an operator reads and does. */
export type OperatorConsoleStore = OperatorStore &
  StatsStore &
  SpendStore &
  ControlStore &
  AuditStore &
  DashboardStore &
  Pick<LedgerStore, "getOpLedger"> &
  Pick<AlertStore, "getAlerts"> &
  Pick<RetentionStore, "oldestOpAt"> &
  Pick<OutboxStore, "outboxSummary"> &
  Pick<ClaimStore, "nextDueAt">;
