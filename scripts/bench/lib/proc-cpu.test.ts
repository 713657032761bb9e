import { describe, expect, it } from "vitest";
import { readMachineCpuMicros, readProcessCpuMicros } from "./proc-cpu.js";

/** Work until this process has used `ms` more of CPU time (by Node's own count), at most 20 s of wall time. */
function spin(ms: number): void {
  const start = process.cpuUsage();
  const deadline = Date.now() + 20_000;
  let x = 0;
  for (;;) {
    for (let i = 0; i < 10_000; i++) x += Math.sqrt(x + i);
    const used = process.cpuUsage(start);
    if (used.user + used.system >= ms * 1_000 || Date.now() > deadline) break;
  }
  expect(x).toBeGreaterThan(0);
}

describe.runIf(process.platform === "linux")("CPU time from /proc", () => {
  it("a process's CPU time grows while it works; an unknown process has none", () => {
    const before = readProcessCpuMicros(process.pid) ?? expect.unreachable("this process has a /proc entry");
    spin(300);
    const after = readProcessCpuMicros(process.pid) ?? expect.unreachable("this process has a /proc entry");
    // 300 ms of CPU by Node's count; /proc counts in 10 ms ticks.
    expect(after - before).toBeGreaterThanOrEqual(250_000);
    expect(readProcessCpuMicros(undefined)).toBeNull();
    expect(readProcessCpuMicros(2 ** 30)).toBeNull();
  });

  it("the machine's busy time grows with this process's work and never passes the total", () => {
    const before = readMachineCpuMicros() ?? expect.unreachable("/proc/stat is readable");
    spin(300);
    const after = readMachineCpuMicros() ?? expect.unreachable("/proc/stat is readable");
    expect(after.busy - before.busy).toBeGreaterThanOrEqual(250_000);
    expect(after.total - before.total).toBeGreaterThanOrEqual(after.busy - before.busy);
    expect(after.busy).toBeLessThanOrEqual(after.total);
  });
});
