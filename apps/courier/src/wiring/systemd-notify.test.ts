import { ManualClock } from "@courier/agent";
import { describe, expect, it } from "vitest";
import { createSystemdNotifier } from "./systemd-notify.js";

function setup(env: Record<string, string | undefined>) {
  const clock = new ManualClock();
  const sent: string[] = [];
  const notifier = createSystemdNotifier({ env, pid: 4242, clock, send: async (s) => void sent.push(s) });
  return { clock, sent, notifier };
}
const settle = () => new Promise((r) => setImmediate(r));

describe("systemd notifier", () => {
  it("sends READY=1 on the first iteration, then WATCHDOG=1 at most every third of WatchdogSec", async () => {
    const { clock, sent, notifier } = setup({ NOTIFY_SOCKET: "/run/systemd/notify", WATCHDOG_USEC: "60000000", WATCHDOG_PID: "4242" });
    expect(notifier.watchdogIntervalMs).toBe(20_000);
    notifier.alive();
    await settle();
    notifier.alive();
    await settle();
    expect(sent).toEqual(["READY=1"]);
    clock.advance(19_999);
    notifier.alive();
    await settle();
    expect(sent).toEqual(["READY=1"]);
    clock.advance(1);
    notifier.alive();
    await settle();
    expect(sent).toEqual(["READY=1", "WATCHDOG=1"]);
    // Halted on purpose: fed from outside the loop.
    clock.advance(20_000);
    notifier.stillIdle();
    await settle();
    await notifier.stopping();
    expect(sent).toEqual(["READY=1", "WATCHDOG=1", "WATCHDOG=1", "STOPPING=1"]);
  });

  it("does nothing outside systemd, and no watchdog meant for another PID", async () => {
    const outside = setup({});
    outside.notifier.alive();
    outside.notifier.stopping();
    await settle();
    expect(outside.sent).toEqual([]);
    expect(outside.notifier.enabled).toBe(false);

    const other = setup({ NOTIFY_SOCKET: "/run/systemd/notify", WATCHDOG_USEC: "60000000", WATCHDOG_PID: "1" });
    expect(other.notifier.watchdogIntervalMs).toBeNull();
    other.notifier.alive();
    other.clock.advance(120_000);
    other.notifier.alive();
    await settle();
    expect(other.sent).toEqual(["READY=1"]);
  });

  it("sends no watchdog ping before READY, even while idle on purpose", async () => {
    const { sent, notifier, clock } = setup({ NOTIFY_SOCKET: "/run/systemd/notify", WATCHDOG_USEC: "3000000" });
    clock.advance(10_000);
    notifier.stillIdle();
    await settle();
    expect(sent).toEqual([]);
  });
});
