/**
 * `courier start`: config → store → (embedded localnet + dev keypair) → RPC pool → executor →
 * crank (run by the supervisor, which restarts a crashed loop within bounds and halts after too
 * many restarts) → admin service → demo. Prints one human line on stderr when ready; everything
 * else is pino JSON on stdout. SIGTERM/SIGINT stop it gracefully, in the reverse order of start.
 */
import {
  type Crank,
  CourierError,
  type SupervisorState,
  coerceError,
  createCrank,
  createCrankLoop,
  createRetention,
  createSupervisor,
  systemClock,
} from "@courier/agent";
import { assertSafeBind, createAdminApp, createAdminMetrics, getDefaultExplorerUrl, serveAdmin } from "@courier/admin";
import type { Localnet } from "@courier/localnet";
import { type Signer, createRpcPool, createSolanaExecutor, loadKeypair, withIntentCheck } from "@courier/solana";
import { dirname, resolve } from "node:path";
import type { Logger } from "pino";
import { EXIT_FAILURE, EXIT_OK } from "./cli/exit-codes.js";
import { type CliIo, toOneLine } from "./cli/io.js";
import { type Config, DEV_KEYPAIR_PATH, assertStartable } from "./config/index.js";
import { withAttemptMetrics } from "./wiring/attempt-metrics.js";
import { createCourierRegistries } from "./wiring/create-registry.js";
import { createConfiguredIntentPolicy } from "./wiring/intents.js";
import { isBrandNewStore, scheduleDemo } from "./wiring/demo.js";
import { DEV_AIRDROP_LAMPORTS, DEV_MIN_BALANCE_LAMPORTS, ensureDevKeypair } from "./wiring/dev-keypair.js";
import { createLogger, getLogDestination } from "./wiring/logger.js";
import { describeDb, isPostgresUrl } from "./wiring/open-store.js";
import { openStoreAtStart } from "./wiring/open-store-at-start.js";
import { getFileIdentity, startProcessHeartbeat } from "./wiring/process-heartbeat.js";
import { getSupervisorLimits } from "./wiring/supervisor-limits.js";
import { createWebhooksAndAlerts } from "./wiring/webhooks-and-alerts.js";
import { getLoggableConfig } from "./wiring/safe-config.js";
import { checkIntegrityAtStart, createSafeMode } from "./wiring/safe-mode.js";
import { getProcessReadiness } from "./wiring/process-readiness.js";
import { getCourierVersion } from "./version.js";
import type { LogFormat } from "./wiring/pretty-log.js";
import { getRpcObserver, withBalanceMetric, withSpendMetrics } from "./wiring/process-metrics.js";
import { createShutdownSignal } from "./wiring/shutdown-signal.js";
import { type SystemdNotifier, createSystemdNotifier, createSystemdNotifySender } from "./wiring/systemd-notify.js";

/** Things to undo on the way out, most recent first. */
type Closer = { name: string; close: () => Promise<void> | void };

export async function runCourier(config: Config, io: CliIo, opts: { logFormat?: LogFormat } = {}): Promise<number> {
  assertStartable(config);
  const logger = createLogger(config.logLevel, getLogDestination(opts.logFormat ?? "json"));
  const closers: Closer[] = [];
  // Ops this process holds right now: what a forced stop abandons (their leases expire).
  let inFlight = () => 0;
  // Handlers stay installed until the process exits: a relayed copy of the stop signal arriving
  // after the stop must not meet node's default handler (exit 130 instead of 0).
  const shutdown = createShutdownSignal({
    clock: systemClock,
    onRepeated: (signal, sinceFirstMs) => logger.info({ signal, since_first_ms: sinceFirstMs }, "courier.shutdown.signal_repeated"),
    onForced: (signal, sinceFirstMs) => {
      const abandoned = inFlight();
      logger.warn({ signal, since_first_ms: sinceFirstMs, abandoned_ops: abandoned }, "courier.shutdown.forced");
      process.exit(EXIT_FAILURE);
    },
  });
  try {
    logger.info({ config: getLoggableConfig(config) }, "courier.starting");
    // Under systemd (Type=notify): READY after the loop's first iteration, then a watchdog.
    const notifier = createSystemdNotifier({
      env: io.env,
      pid: process.pid,
      clock: systemClock,
      send: createSystemdNotifySender(io.env, (e) => logger.warn({ err: { message: e.message } }, "systemd.notify_failed")),
    });
    const running = await startParts(config, logger, closers, notifier);
    inFlight = running.inFlight;
    const readyLine = getReadyLine(running);
    io.stderr.write(`${readyLine}\n`);
    logger.info({ admin: running.adminUrl, rpc: running.rpcLabel, signer: running.signer }, "courier.ready");

    const outcome = await Promise.race([
      shutdown.received.then((signal) => ({ kind: "signal" as const, signal })),
      running.loop.then(
        () => ({ kind: "loop-ended" as const }),
        (e: unknown) => ({ kind: "loop-failed" as const, error: coerceError(e) }),
      ),
    ]);
    if (outcome.kind === "signal") {
      logger.info({ signal: outcome.signal }, "courier.stopping");
      await notifier.stopping();
      await running.stopCrank();
    }
    await closeAll(closers, logger);
    if (outcome.kind === "loop-ended") {
      io.stderr.write("courier: crank loop ended without a stop request\n");
      return EXIT_FAILURE;
    }
    if (outcome.kind === "loop-failed") {
      logger.error({ err: outcome.error.toJSON() }, "courier.crank.failed");
      io.stderr.write(`courier: crank stopped unexpectedly: ${toOneLine(outcome.error.message)}\n`);
      return EXIT_FAILURE;
    }
    logger.info({}, "courier.stopped");
    return EXIT_OK;
  } catch (e) {
    await closeAll(closers, logger);
    const err = coerceError(e);
    logger.error({ err: err.toJSON() }, "courier.start.failed");
    // runCli prints the one line and picks the exit code (2 for config, 1 otherwise).
    throw err;
  }
}

interface RunningCourier {
  loop: Promise<void>;
  /** Idempotent: every call waits for the same stop. */
  stopCrank: () => Promise<void>;
  inFlight: () => number;
  adminUrl: string | null;
  localnetUrl: string | null;
  rpcLabel: string;
  signer: string;
}

async function startParts(config: Config, logger: Logger, closers: Closer[], notifier: SystemdNotifier): Promise<RunningCourier> {
  const clock = systemClock;
  const { store: opened, readOnly } = await openStoreAtStart(config);
  closers.unshift({ name: "store", close: () => opened.close() });
  // What the SQLite connection holds open: a file replaced under it is detected by the heartbeat.
  const identity = isPostgresUrl(config.db) ? null : getFileIdentity(config.db);
  // Every store call of the process goes through safe mode: a disk-full, read-only or corrupt
  // store stops sends while the admin service keeps answering (see wiring/safe-mode.ts).
  const safeMode = createSafeMode({
    logger,
    clock,
    storeLabel: isPostgresUrl(config.db) ? describeDb(config.db) : resolve(config.db),
    storeDir: isPostgresUrl(config.db) ? null : dirname(resolve(config.db)),
  });
  const store = safeMode.wrap(opened);
  if (readOnly) safeMode.enterReadOnly(readOnly);
  await checkIntegrityAtStart(store, safeMode, logger);

  let localnet: Localnet | null = null;
  if (config.rpcUrls.length === 0) {
    // Loaded only here: LiteSVM's native module adds ~35 MB to a process that talks to a real cluster.
    const { startLocalnet } = await import("@courier/localnet");
    localnet = await startLocalnet({
      host: "127.0.0.1",
      port: config.localnetPort,
      slotMs: config.localnetSlotMs,
      ...(config.localnetState ? { statePath: config.localnetState } : {}),
      logger: logger.child({ component: "localnet" }),
    }).catch((e: unknown) => {
      const err = coerceError(e);
      throw new CourierError(
        "COURIER__UNKNOWN",
        `embedded localnet cannot start on 127.0.0.1:${config.localnetPort} (COURIER_LOCALNET_PORT; its WebSocket uses the next port): ${err.message}`,
        { field: "COURIER_LOCALNET_PORT" },
        { cause: e },
      );
    });
    const started = localnet;
    closers.unshift({ name: "localnet", close: () => started.stop() });
    logger.info({ url: localnet.url, slot_ms: config.localnetSlotMs }, "localnet.started");
  }
  const rpcUrls = localnet ? [localnet.url] : config.rpcUrls;
  const signer = await getSigner(config, localnet, logger);

  const metrics = createAdminMetrics({ version: getCourierVersion() });
  const pool = createRpcPool({ urls: rpcUrls, rate: config.rpcRate, clock, logger: logger.child({ component: "rpc" }), observer: getRpcObserver(metrics) });
  closers.unshift({ name: "rpc pool", close: () => pool.close() });

  const { registry, solanaActions } = await createCourierRegistries(config);
  const executor = createSolanaExecutor({
    pool,
    store: withSpendMetrics(store, metrics),
    signer,
    registry: solanaActions,
    commitment: config.commitment,
    maxLamportsPerOp: config.maxLamportsPerOp,
    dailyCapLamports: config.dailyCapLamports,
    feeCeilingMicroLamports: config.feeCeilingMicrolamports,
    feePercentile: config.feePercentile,
    instance: config.instanceId,
    clock,
    logger: logger.child({ component: "executor" }),
  });
  closers.unshift({ name: "executor", close: () => executor.stop() });

  // Webhook dispatcher and alert monitor beside the crank; they stop before the store closes.
  const webhooksAndAlerts = createWebhooksAndAlerts({ config, store, rpc: withBalanceMetric(pool, metrics), signer: signer.publicKey.toBase58(), clock, logger });
  closers.unshift({ name: "webhooks and alerts", close: () => webhooksAndAlerts.stop() });

  // COURIER_INTENT_KEYS: every attempt re-verifies its op's owner signature before the executor
  // builds or signs anything (packages/solana/src/intent/with-intent-check.ts).
  const intents = await createConfiguredIntentPolicy(config);
  const checkedExecutor = withIntentCheck(executor, { policy: intents, store, clock, logger, instanceId: config.instanceId });
  const meteredExecutor = withAttemptMetrics(checkedExecutor, metrics, clock);
  // The supervisor builds a fresh crank for each loop incarnation; `crank` is the current one.
  let crank: Crank | null = null;
  const createProcessCrank = (): Crank => {
    const created = createCrank({
      store,
      // Its finishes also put op events in the webhook outbox (when receivers are configured).
      opEvents: webhooksAndAlerts.opEvents,
      executor: meteredExecutor,
      clock,
      logger,
      instanceId: config.instanceId,
      concurrency: config.concurrency,
      batchSize: config.batchSize,
      leaseMs: config.leaseMs,
      shutdownGraceMs: config.shutdownGraceMs,
      // The process heartbeat keeps the row while the supervisor restarts or halts the loop.
      removeInstanceOnStop: false,
    });
    created.on("tick", (tick) => {
      metrics.observeTick({ duration_ms: tick.duration_ms });
      metrics.observeLoopIteration(clock.now());
      notifier.alive();
    });
    // An iteration that found nothing to do (or a paused crank) is alive too.
    created.on("idle", () => {
      metrics.observeLoopIteration(clock.now());
      notifier.alive();
    });
    return created;
  };
  const supervisor = createSupervisor({
    createLoop: () => {
      crank = createProcessCrank();
      return createCrankLoop(crank);
    },
    store,
    clock,
    logger,
    instanceId: config.instanceId,
    ...getSupervisorLimits(config),
    // A loop's stop lets in-flight attempts finish within the grace period: wait a little longer.
    stopTimeoutMs: config.shutdownGraceMs + 5_000,
  });

  const heartbeat = startProcessHeartbeat({
    store,
    clock,
    logger,
    instanceId: config.instanceId,
    // Well inside the lease, so a live process is never mistaken for a dead one.
    intervalMs: Math.max(250, Math.min(5_000, Math.floor(config.leaseMs / 3))),
    file: identity ? { path: config.db, identity } : null,
    crankRunning: () => supervisor.state() === "running",
    inFlight: () => (crank as Crank | null)?.inFlight() ?? 0,
    onReplaced: (detail) => safeMode.enterReplaced(detail),
  });
  closers.unshift({ name: "heartbeat", close: () => heartbeat.stop() });

  let adminUrl: string | null = null;
  if (config.adminPort !== 0) {
    assertSafeBind({ host: config.adminHost, token: config.adminToken });
    const app = createAdminApp({
      store,
      registry,
      clock,
      intents,
      token: config.adminToken,
      instanceId: config.instanceId,
      rpcHealth: () => pool.health(),
      sendWindow: () => pool.sendWindow.snapshot(),
      crankState: () => getProcessCrankState(supervisor.state(), crank),
      onScheduled: () => crank?.wake(),
      metrics,
      spendCapPerDay: config.dailyCapLamports,
      retentionDays: config.retentionDays,
      readiness: () => getProcessReadiness({ safeMode: () => safeMode.readiness(), supervisorState: () => supervisor.state() }),
      logger: logger.child({ component: "admin" }),
      bindHost: config.adminHost,
      allowedHosts: config.adminAllowedHosts,
      // the embedded localnet has no explorer
      explorerUrl: localnet ? null : (config.explorerUrl ?? getDefaultExplorerUrl(config.rpcUrls)),
    });
    const served = await serveAdmin(app, { host: config.adminHost, port: config.adminPort });
    closers.unshift({ name: "admin", close: () => served.close() });
    adminUrl = served.url;
  }

  // Not in safe mode: the demo is a write, and a damaged store's "no ops yet" proves nothing.
  // Demo ops are unsigned: with owner keys set they would be refused.
  if (localnet && config.demo && !intents.enforced && safeMode.state() === null && (await isBrandNewStore(store))) {
    const ops = await scheduleDemo(store, { registry, clock });
    logger.info({ ops: ops.map((op) => ({ id: op.id, action: op.action, key: op.idempotency_key })) }, "courier.demo.scheduled");
  }

  // Faults outside the loop's own promise (a stray rejection or throw) count as crashes of the
  // loop: the supervisor restarts it within its bounds instead of the process dying mid-send.
  const onFault = (e: unknown) => supervisor.reportFault(e);
  process.on("unhandledRejection", onFault);
  process.on("uncaughtException", onFault);
  closers.unshift({
    name: "fault handlers",
    close: () => {
      process.off("unhandledRejection", onFault);
      process.off("uncaughtException", onFault);
    },
  });

  if (notifier.watchdogIntervalMs !== null) {
    // A loop the supervisor halted (or is about to restart) is idle on purpose: not a stuck one.
    const timer = setInterval(() => {
      const state = supervisor.state();
      if (state === "halted" || state === "restarting") notifier.stillIdle();
    }, notifier.watchdogIntervalMs);
    timer.unref();
    closers.unshift({ name: "watchdog", close: () => clearInterval(timer) });
  }

  webhooksAndAlerts.start();
  const loop = supervisor.start();
  // Pruning what COURIER_RETENTION_DAYS no longer keeps, in small paced batches (0: keep everything).
  if (config.retentionDays > 0) {
    const retention = createRetention({ store, clock, logger, retentionDays: config.retentionDays });
    closers.unshift({ name: "retention", close: () => retention.stop() });
    retention.start();
  }
  let stopping: Promise<void> | null = null;
  // The admin server closes after the crank has stopped, so /readyz keeps answering during the drain.
  return {
    loop,
    stopCrank: () => {
      stopping ??= supervisor.stop().then(() => loop.catch(() => {}));
      return stopping;
    },
    inFlight: () => (crank as Crank | null)?.inFlight() ?? 0,
    adminUrl,
    localnetUrl: localnet?.url ?? null,
    rpcLabel: localnet ? `localnet ${localnet.url}` : `${rpcUrls.length} RPC endpoint(s)`,
    signer: signer.publicKey.toBase58(),
  };
}

/** The configured keypair, or on the embedded localnet the dev keypair, funded when low. */
async function getSigner(config: Config, localnet: Localnet | null, logger: Logger): Promise<Signer> {
  if (!localnet) return loadKeypair(config.keypair as string);
  const path = config.keypair ?? DEV_KEYPAIR_PATH;
  const { signer, generated } = config.keypair ? { signer: await loadKeypair(path), generated: false } : await ensureDevKeypair(path);
  const pubkey = signer.publicKey.toBase58();
  if (localnet.getBalance(pubkey) < BigInt(DEV_MIN_BALANCE_LAMPORTS)) {
    localnet.airdrop(pubkey, DEV_AIRDROP_LAMPORTS);
    logger.info({ signer: pubkey, lamports: DEV_AIRDROP_LAMPORTS }, "localnet.airdrop");
  }
  if (generated) logger.info({ path, signer: pubkey }, "courier.dev_keypair.generated");
  return signer;
}

/** The state the admin service reports for this process: the supervisor's, else the crank's. */
function getProcessCrankState(supervisorState: SupervisorState, crank: Crank | null): string {
  if (supervisorState === "halted") return "halted";
  // Waiting out a restart cooldown: not claiming, like an infra cooldown.
  if (supervisorState === "restarting") return "cooling_down";
  return crank?.state() ?? "starting";
}

function getReadyLine(r: RunningCourier): string {
  const admin = r.adminUrl ? `admin ${r.adminUrl}/admin/api/courier/stats` : "admin disabled (COURIER_ADMIN_PORT=0)";
  return `courier ready: ${admin} (${r.rpcLabel}, signer ${r.signer})`;
}

async function closeAll(closers: Closer[], logger: Logger): Promise<void> {
  while (closers.length > 0) {
    const closer = closers.shift() as Closer;
    try {
      await closer.close();
    } catch (e) {
      logger.warn({ part: closer.name, err: coerceError(e).toJSON() }, "courier.close.failed");
    }
  }
}
