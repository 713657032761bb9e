import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";

export interface MachineInfo {
  cpu_model: string;
  cores: number;
  memory_gb: number;
  node: string;
  platform: string;
  /** 1-minute load average when the run started: other work on the machine skews the figures. */
  load_1m: number;
}

/** The CPU model from /proc/cpuinfo (os.cpus() can be empty in containers), else os.cpus(). */
function getCpuModel(): string {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    if (line) return line.slice(line.indexOf(":") + 1).trim();
  } catch {
    // not Linux: fall through to os.cpus()
  }
  return cpus()[0]?.model ?? "unknown";
}

export function getMachineInfo(): MachineInfo {
  return {
    cpu_model: getCpuModel(),
    cores: cpus().length,
    memory_gb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    load_1m: getLoadAverage(),
  };
}

export function getLoadAverage(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}
