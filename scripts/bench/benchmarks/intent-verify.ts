/**
 * 8. Signed op intents: what the check before each attempt costs (COURIER_INTENT_KEYS), in CPU µs
 * per op, next to the crank's whole CPU time per confirmed transfer measured in the same run.
 * - cold: an op seen for the first time (canonical encoding + ed25519 verify + field comparison);
 *   what every one-off op pays once per run.
 * - warm: the same op again (a recurring op's later runs, a retry): the verified signature is
 *   remembered, so only the encoding and comparison are paid.
 * - e2e: confirmed sol.transfer ops through crank + executor on the localnet, every op signed and
 *   checked; CPU of this process (the localnet runs in its own) divided by confirmed ops.
 */
import { randomBytes } from "node:crypto";
import { getMedian } from "../lib/percentiles.js";
import type { Benchmark } from "../lib/result.js";
import { round } from "../lib/result.js";

/** CPU time (user + system) per op of `fn`, in µs: unlike wall time, it does not count waiting for a core on a loaded machine. */
function getCpuUsPerOp(fn: () => boolean, n: number): number {
  const before = process.cpuUsage();
  if (!fn()) throw new Error("an op did not verify");
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

export const intentVerify: Benchmark = {
  name: "intent-verify",
  title: "Signed op intents: verification cost per run vs. the crank's CPU per confirmed op",
  async run({ smoke, progress }) {
    const { buildNewOp, createActionRegistry, getOnFailure, systemClock } = await import("../lib/courier.js");
    const { createIntentPolicy, createSignedOpBody, createSignerFromSecretKey, registerSolanaActions } = await import("../lib/solana.js");
    const { runTransferLoad } = await import("../lib/transfer-load.js");
    const { startLocalnetProcess } = await import("../lib/localnet-process.js");
    const owner = createSignerFromSecretKey(randomBytes(32));
    const registry = createActionRegistry();
    registerSolanaActions(registry);
    const n = smoke ? 200 : 5_000;
    const recipient = createSignerFromSecretKey(randomBytes(32)).publicKey.toBase58();
    const ops = Array.from({ length: n }, (_, i) => {
      const body = createSignedOpBody({ action: "sol.transfer", params: { to: recipient, lamports: 1_000 + i }, idempotency_key: `bench-${i}` }, owner, { registry, clock: systemClock });
      return { op: buildNewOp(body, { registry, clock: systemClock, newId: () => `op-${i}` }), intent: body.intent };
    });
    const coldSamples: number[] = [];
    const warmSamples: number[] = [];
    for (let r = 0; r < (smoke ? 1 : 5); r++) {
      // A fresh policy per round: its cache of verified signatures starts empty.
      const policy = createIntentPolicy({ keys: [owner.publicKey.toBase58()] });
      const stored = ops.map(({ op, intent }) => ({
        ...op,
        intent: policy.verifyNew(op, intent),
        status: "running" as const,
        due_at: op.next_exec,
        updated_at: op.created_at,
        run: 1,
        exec_count: 0,
        attempts: 1,
        last_error: null,
        lease_owner: null,
        lease_until: null,
        on_failure: getOnFailure(op),
        after_run: null,
        attempt_base: 0,
        ledger_floor: 0,
      }));
      const fresh = createIntentPolicy({ keys: [owner.publicKey.toBase58()] });
      coldSamples.push(getCpuUsPerOp(() => stored.every((op) => fresh.check(op).ok), n));
      warmSamples.push(getCpuUsPerOp(() => stored.every((op) => fresh.check(op).ok), n));
    }
    const coldUs = getMedian(coldSamples);
    const warmUs = getMedian(warmSamples);
    progress(`intent-verify: cold ${round(coldUs, 1)} µs/op, warm ${round(warmUs, 1)} µs/op`);

    const count = smoke ? 40 : 1_000;
    const localnet = await startLocalnetProcess(smoke ? 50 : 100);
    const cpuPerOp: number[] = [];
    try {
      for (let r = 0; r < (smoke ? 1 : 3); r++) {
        const load = await runTransferLoad({ localnet, count, concurrency: 1_000, batchSize: 256, timeoutMs: 300_000, intents: true });
        if (load.succeeded !== count) throw new Error(`${load.succeeded} of ${count} signed transfers succeeded`);
        cpuPerOp.push((load.cpuMs * 1_000) / count);
        progress(`intent-verify e2e run ${r + 1}: ${round((load.cpuMs * 1_000) / count, 0)} µs CPU per confirmed op`);
      }
    } finally {
      await localnet.stop();
    }
    const crankUs = getMedian(cpuPerOp);
    return {
      metrics: [
        { name: "verify_cold_us_per_op", value: round(coldUs, 1), unit: "µs", label: "CPU of the intent check of an op seen for the first time (encode + ed25519 verify + compare)" },
        { name: "verify_warm_us_per_op", value: round(warmUs, 1), unit: "µs", label: "CPU of the intent check of an op already verified (encode + compare)" },
        { name: "crank_cpu_us_per_confirmed_op", value: round(crankUs, 0), unit: "µs", label: "crank process CPU per confirmed signed sol.transfer (intents on)" },
        { name: "verify_share_of_crank_cpu_pct", value: round((coldUs / crankUs) * 100, 2), unit: "%", label: "cold check / crank CPU per confirmed op" },
        { name: "verify_warm_share_of_crank_cpu_pct", value: round((warmUs / crankUs) * 100, 2), unit: "%", label: "warm check / crank CPU per confirmed op" },
      ],
      details: { ops_verified_per_round: n, samples_cold_us: coldSamples.map((x) => round(x, 1)), samples_warm_us: warmSamples.map((x) => round(x, 1)), transfers_per_run: count, samples_crank_cpu_us: cpuPerOp.map((x) => round(x, 0)) },
      notes: [
        "One check per attempt, in front of the executor (normally one attempt per run); the e2e figure includes it.",
        "An op created through the crank process's own admin API is verified at creation by the same policy, so its runs pay the warm figure; an op created by the CLI pays the cold one at its first run.",
        "CPU is process.cpuUsage() of the bench process from crank start to the last finished attempt: crank, executor, RPC pool and SQLite, not the localnet.",
      ],
    };
  },
};
