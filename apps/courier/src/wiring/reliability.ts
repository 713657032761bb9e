/**
 * What runs beside the crank in `courier start`: the webhook dispatcher (when receivers are
 * configured), the alert monitor, and the op events the crank's finishes put in the outbox.
 * Neither loop is inside the crank: a slow receiver or a failing check costs their own loop
 * time, never a claim or a send. Both stop before the store closes (their closer is registered
 * after the store's, and closers run most recent first).
 */
import {
  type AlertCheck,
  type Clock,
  CourierError,
  type RpcStatus,
  type Store,
  createAlertMonitor,
  createDeadOpsCheck,
  createHaltedCheck,
  createOverdueCheck,
  createRpcDownCheck,
  createSignerBalanceCheck,
  createSpendCapCheck,
  createWebhookDispatcher,
  getDeadOpLister,
  getOverdueCounter,
  getSpendCapHitCounter,
} from "@courier/agent";
import type { Logger } from "pino";
import type { Config } from "../config/index.js";
import { withOpEvents } from "./op-events.js";

/** The part of the RPC pool the alert checks read. */
export interface AlertRpcInputs {
  health(): Array<{ healthy: boolean; down_since: number | null }>;
  allDown(): boolean;
  getBalance(address: string): Promise<number>;
}

export interface ReliabilityOptions {
  config: Pick<
    Config,
    "webhookUrls" | "webhookSecrets" | "alertRpcDownMs" | "alertOverdueMs" | "alertMinBalanceLamports" | "alertIntervalMs" | "instanceId"
  >;
  store: Store;
  rpc: AlertRpcInputs;
  /** The signer's address (balance check). */
  signer: string;
  clock: Clock;
  logger: Logger;
}

export interface Reliability {
  /** The store the crank should use: its finishes also enqueue op events (when webhooks are on). */
  crankStore: Store;
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

export function createReliability(opts: ReliabilityOptions): Reliability {
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
  const crankStore = dispatcher
    ? withOpEvents(store, { logger, onEnqueued: () => dispatcher.wake() })
    : store;
  const monitor = createAlertMonitor({ store, clock, logger, checks: getAlertChecks(opts), intervalMs: config.alertIntervalMs });
  let started = false;
  return {
    crankStore,
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
export function getAlertChecks(opts: Pick<ReliabilityOptions, "config" | "store" | "rpc" | "signer">): AlertCheck[] {
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

/** The supervisor's bounds from the config (the generated systemd unit derives its limits from the same values). */
export function getSupervisorLimits(config: Pick<Config, "supervisorMaxRestarts" | "supervisorWindowMs" | "supervisorCooldownMs">): {
  maxRestarts: number;
  windowMs: number;
  restartCooldownMs: number;
} {
  return { maxRestarts: config.supervisorMaxRestarts, windowMs: config.supervisorWindowMs, restartCooldownMs: config.supervisorCooldownMs };
}
