/**
 * systemd's notify protocol for `courier start` under Type=notify: READY=1 once the crank loop
 * has completed its first iteration, then WATCHDOG=1 while it keeps iterating, so systemd kills
 * and restarts a process whose loop is stuck (WatchdogSec in the unit). A crank the supervisor
 * halted on purpose (or is restarting) keeps the watchdog fed: that state is handled inside.
 *
 * Node has no unix datagram socket (dgram is UDP only) and a native addon for one would be a
 * build dependency, so the messages go through the `systemd-notify` tool that ships with
 * systemd. Without --no-block it waits until PID 1 has processed the message (a barrier), so the
 * message is attributed to the service even though the tool exits at once; NotifyAccess=all
 * lets the service accept it from that helper process.
 */
import { execFile } from "node:child_process";
import type { Clock } from "@courier/agent";

export type NotifySender = (state: string) => Promise<void>;

export interface SystemdNotifier {
  /** The loop completed an iteration: READY=1 the first time, WATCHDOG=1 at most every interval. */
  alive(): void;
  /** Feed the watchdog while the loop is idle on purpose (halted, restarting); call periodically. */
  stillIdle(): void;
  /** STOPPING=1, resolved once the tool has run (a graceful stop waits for it). */
  stopping(): Promise<void>;
  readonly enabled: boolean;
  /** How often the watchdog wants a ping (ms), or null without a watchdog. */
  readonly watchdogIntervalMs: number | null;
}

/** Sends one state string with the `systemd-notify` tool (bounded in time; a failure is reported, not thrown). */
export function createSystemdNotifySender(env: Record<string, string | undefined>, onError: (e: Error) => void): NotifySender {
  return (state) =>
    new Promise((resolve) => {
      execFile("systemd-notify", [state], { env: env as NodeJS.ProcessEnv, timeout: 10_000 }, (error) => {
        if (error) onError(error);
        resolve();
      });
    });
}

/**
 * A notifier for this process: active when systemd gave it a NOTIFY_SOCKET, with a watchdog when
 * WATCHDOG_USEC is set for this PID. Pings are sent at a third of the watchdog period at most.
 */
export function createSystemdNotifier(opts: { env: Record<string, string | undefined>; pid: number; clock: Clock; send: NotifySender }): SystemdNotifier {
  const enabled = Boolean(opts.env.NOTIFY_SOCKET);
  const usec = Number(opts.env.WATCHDOG_USEC);
  const forUs = opts.env.WATCHDOG_PID === undefined || Number(opts.env.WATCHDOG_PID) === opts.pid;
  const watchdogMs = enabled && forUs && Number.isFinite(usec) && usec > 0 ? Math.floor(usec / 1000) : null;
  const intervalMs = watchdogMs === null ? null : Math.max(1, Math.floor(watchdogMs / 3));
  let ready = false;
  let lastPingAt = Number.NEGATIVE_INFINITY;
  let inFlight = false;

  const send = (state: string) => {
    inFlight = true;
    void opts.send(state).finally(() => {
      inFlight = false;
    });
  };
  const ping = () => {
    if (intervalMs === null || inFlight) return;
    const now = opts.clock.now();
    if (now - lastPingAt < intervalMs) return;
    lastPingAt = now;
    send("WATCHDOG=1");
  };
  return {
    enabled,
    watchdogIntervalMs: intervalMs,
    alive() {
      if (!enabled) return;
      if (!ready) {
        ready = true;
        lastPingAt = opts.clock.now();
        // READY=1 also counts as a watchdog ping.
        send("READY=1");
        return;
      }
      ping();
    },
    stillIdle() {
      if (enabled && ready) ping();
    },
    stopping() {
      return enabled ? opts.send("STOPPING=1") : Promise.resolve();
    },
  };
}
