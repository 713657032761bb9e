/**
 * The webhook dispatcher (when receivers are configured) and the alert monitor that run beside
 * the crank in `courier start`, and the hook that makes the crank's finishes carry op events.
 * Neither loop is inside the crank: a slow receiver or a failing check costs their own loop
 * time, never a claim or a send. Both stop before the store closes (their closer is registered
 * after the store's, and closers run most recent first).
 */
import { type AlertCheck, type Clock, CourierError, type RpcStatus, type OpEventsHook, type OperatorStore, type AlertStore, type AuditStore, type ControlStore, type OutboxStore, createAlertMonitor, createDeadOpsCheck, createHaltedCheck, createOverdueCheck, createRpcDownCheck, createSignerBalanceCheck, createSpendCapCheck, createWebhookDispatcher, getDeadOpLister, getOverdueCounter, getSpendCapHitCounter } from "@courier/agent";
import type { Logger } from "pino";
import type { Config } from "../config/index.js";

/** The part of the RPC pool the alert checks read. */
export interface AlertRpcInputs {
  health(): Array<{ healthy: boolean; down_since: number | null }>;
  allDown(): boolean;
  getBalance(address: string): Promise<number>;
}

/** The store roles the dispatcher and the alert monitor use. */
export type WebhooksAndAlertsStore = OutboxStore & AlertStore & ControlStore & Pick<OperatorStore, "listOps" | "getOp"> & Pick<AuditStore, "listAudit">;

export interface WebhooksAndAlertsOptions {
  config: Pick<
    Config,
    "webhookUrls" | "webhookSecrets" | "alertRpcDownMs" | "alertOverdueMs" | "alertMinBalanceLamports" | "alertIntervalMs" | "instanceId"
  >;
  store: WebhooksAndAlertsStore;
  rpc: AlertRpcInputs;
  /** The signer's address (balance check). */
  signer: string;
  clock: Clock;
  logger: Logger;
}

export interface WebhooksAndAlerts {
  /** For the crank: its finishes carry op events (undefined when no receiver is configured). */
  opEvents: OpEventsHook | undefined;
  webhooksEnabled: boolean;
  start(): void;
  /** Stops the dispatcher and the monitor; call before closing the store. */
  stop(): Promise<void>;
}

/** Webhook URLs without secrets (or the reverse) is a config error, said at start in one line. */
export function assertWebhookConfig(config: Pick<Config, "webhookUrls" | "webhookSecrets">): void {
  if (config.webhookUrls.length > 0 && config.webhookSecrets.length === 0) {
    throw new CourierError("COURIER__CONFIG", "COURIER_WEBHOOK_SECRETS: required when COURIER_WEBHOOK_URLS is set (deliveries are signed)", {
      field: "COURIER_WEBHOOK_SECRETS",
    });
  }
}

export function createWebhooksAndAlerts(opts: WebhooksAndAlertsOptions): WebhooksAndAlerts {
  const { config, store, clock, logger } = opts;
  assertWebhookConfig(config);
  const webhooksEnabled = config.webhookUrls.length > 0;
  const dispatcher = webhooksEnabled
    ? createWebhookDispatcher({
        store,
        url: config.webhookUrls,
        secrets: config.webhookSecrets,
        clock,
        logger,
        instanceId: config.instanceId,
      })
    : null;
  // Without a receiver op events would only pile up in the outbox: none are enqueued.
  const opEvents = dispatcher ? { onEnqueued: () => dispatcher.wake() } : undefined;
  const monitor = createAlertMonitor({ store, clock, logger, checks: getAlertChecks(opts), intervalMs: config.alertIntervalMs });
  let started = false;
  return {
    opEvents,
    webhooksEnabled,
    start() {
      if (started) return;
      started = true;
      dispatcher?.start();
      monitor.start();
    },
    async stop() {
      if (!started) return;
      await monitor.stop();
      await dispatcher?.stop();
    },
  };
}

/** The alert conditions of issue 6, fed by this process's store, RPC pool and signer. */
export function getAlertChecks(opts: Pick<WebhooksAndAlertsOptions, "config" | "store" | "rpc" | "signer">): AlertCheck[] {
  const { config, store, rpc } = opts;
  const getControl = () => store.getControl();
  const checks: AlertCheck[] = [
    createHaltedCheck({ getControl }),
    createRpcDownCheck({ getRpcStatus: () => getRpcStatus(rpc), thresholdMs: config.alertRpcDownMs }),
    createDeadOpsCheck({ listDeadOpIds: getDeadOpLister(store) }),
    createOverdueCheck({ countOverdue: getOverdueCounter(store), getControl, overdueMs: config.alertOverdueMs }),
    createSpendCapCheck({ countCapHitsSince: getSpendCapHitCounter(store) }),
  ];
  if (config.alertMinBalanceLamports > 0) {
    checks.push(
      createSignerBalanceCheck({
        getBalanceLamports: () => rpc.getBalance(opts.signer),
        thresholdLamports: config.alertMinBalanceLamports,
        signer: opts.signer,
      }),
    );
  }
  return checks;
}

/** All down since the moment the last endpoint went down (the pool's breakers know when). */
function getRpcStatus(rpc: AlertRpcInputs): RpcStatus {
  if (!rpc.allDown()) return { allDown: false, since: null };
  const times = rpc.health().map((h) => h.down_since).filter((t): t is number => typeof t === "number");
  return { allDown: true, since: times.length > 0 ? Math.max(...times) : null };
}
