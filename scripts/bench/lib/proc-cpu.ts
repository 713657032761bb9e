/**
 * CPU time from /proc (Linux; null elsewhere): one process's utime + stime, and the whole
 * machine's busy and total time, so a benchmark can say what share of the machine a run used.
 */
import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const toMicros = (ticks: number) => (ticks * 1_000_000) / TICKS_PER_SECOND;

/** utime + stime of process `pid` in microseconds. */
export function readProcessCpuMicros(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return toMicros(Number(fields[11]) + Number(fields[12]));
  } catch {
    return null;
  }
}

/** All CPUs' time since boot in microseconds: busy (everything but idle and iowait) and total. */
export function readMachineCpuMicros(): { busy: number; total: number } | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
    if (!line.startsWith("cpu ")) return null;
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number) as number[];
    const idleAll = (idle ?? 0) + (iowait ?? 0);
    const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
    return { busy: toMicros(busy), total: toMicros(busy + idleAll) };
  } catch {
    return null;
  }
}
