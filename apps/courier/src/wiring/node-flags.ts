/**
 * The V8 flags every launcher of `courier start` passes to node: `pnpm start` and `pnpm courier`
 * (package.json), the `courier` executable (its `env -S` shebang) and the systemd unit's
 * ExecStart. Tests keep them in step with this list.
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
