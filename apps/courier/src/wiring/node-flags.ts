/**
 * The V8 flags every launcher of `courier start` passes to node: `pnpm start` and `pnpm courier`
 * (package.json), the `courier` executable (its `env -S` shebang) and the systemd unit's
 * ExecStart. Tests keep them in step with this list (and with COURIER_PROCESS_ENV below).
 *
 * - `--max-semi-space-size=2`: a 2 MB young generation instead of up to 16 MB per semi-space
 *   (32 MB resident once a burst has grown it).
 * - `--heap-growing-percent=10`: after a full collection the old generation may grow 10 % before
 *   the next one, instead of up to 4×. Full collections of Courier's heap are short (5–15 ms with
 *   10,000 transactions in flight), while the default growth let the garbage of a sending phase
 *   pile up to twice the live heap.
 *
 * Measured (docs/BENCHMARKS.md §10): peak RSS with 10,000 transactions in flight 186–190 MiB
 * instead of 263–278 MiB, and a 1,000-transfer burst peak 120 instead of 148 MiB, for about 5 %
 * more CPU per op (within the run-to-run spread) and the same burst rate. An operator who prefers
 * the defaults runs `node apps/courier/dist/cli.js start` (or edits ExecStart) without them.
 */
export const COURIER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=2", "--heap-growing-percent=10"];

/**
 * Environment the same launchers set for the node process. `MALLOC_ARENA_MAX=2`: glibc gives
 * every thread that allocates (V8's compiler and GC helpers, libuv's pool) a malloc arena of its
 * own, up to 8 per core, and memory freed in one is not reused by another. Two arenas took the
 * peak with 10,000 transactions in flight from 189–192 to 179–184 MiB at no CPU cost (a burst of
 * 1,000 transfers: 840 µs per op against 880–1,180; docs/BENCHMARKS.md §10). Other C libraries
 * ignore the variable.
 */
export const COURIER_PROCESS_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "2" };

/** COURIER_PROCESS_ENV as `NAME=value` words, for `env` and shebang lines. */
export function getProcessEnvWords(): string[] {
  return Object.entries(COURIER_PROCESS_ENV).map(([k, v]) => `${k}=${v}`);
}
