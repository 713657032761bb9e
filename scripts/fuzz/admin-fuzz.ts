/**
 * `pnpm -s fuzz:admin [--requests N]`: N (default 20,000) random requests over every admin route,
 * half to an app with a token and half to one without, through a real SQLite store. Exit 1 on
 * any response ≥ 500 or when the heap after a GC grew by more than 32 MiB between the first
 * tenth and the end (memory must stay flat). Prints the status counts (0: /readyz saying "not
 * ready" with 503, as it must while the fuzz has paused the crank) and heap figures.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import fc from "fast-check";
import { createAdminFixture, TEST_ACTION } from "../../apps/admin/test/admin-fixture.js";
import { createFuzzRequest, type FuzzContext, openFuzzSession, toRequest } from "../../apps/admin/test/fuzz-requests.js";

const TOKEN = "fuzz-token-0123456789abcdef";
const HEAP_GROWTH_LIMIT = 32 * 1024 * 1024;

function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { requests: { type: "string", default: "20000" } }, strict: true });
  const total = Number(values.requests);
  if (!Number.isInteger(total) || total < 10) {
    console.error("fuzz:admin: --requests must be an integer ≥ 10");
    return 2;
  }
  if (!(globalThis as { gc?: unknown }).gc) console.error("fuzz:admin: run with --expose-gc for the memory check (pnpm -s fuzz:admin does)");
  const dir = mkdtempSync(join(tmpdir(), "courier-fuzz-"));
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  let heapStart = 0;
  let sent = 0;
  try {
    for (const token of [null, TOKEN]) {
      const fx = await createAdminFixture({ token });
      const opIds: string[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await fx.request("POST", "/admin/api/courier/ops", { body: { action: TEST_ACTION, params: { n: i + 1 } }, ...(token ? { token } : {}) });
        opIds.push(((await res.json()) as { id: string }).id);
      }
      const ctx: FuzzContext = { opIds, token, session: token ? null : await openFuzzSession((r) => fx.app.fetch(r)) };
      const samples = fc.sample(createFuzzRequest(ctx), { numRuns: total / 2 });
      for (const r of samples) {
        const req = toRequest(r);
        sent++;
        if (req) {
          const res = await fx.app.fetch(req);
          await res.arrayBuffer();
          // /readyz answers 503 by design while the crank is paused (the fuzz pauses it): not a failure
          const notReady = res.status === 503 && r.path.startsWith("/readyz");
          const status = notReady ? 0 : res.status;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status >= 500 && failures.length < 20) failures.push(`${res.status} ${r.method} ${r.path} ${JSON.stringify(r.headers)} ${r.body?.slice(0, 300) ?? ""}`);
        }
        if (sent === Math.floor(total / 10)) heapStart = heapAfterGc();
      }
      await fx.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const heapEnd = heapAfterGc();
  const fivexx = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  const growth = heapEnd - heapStart;
  console.log(
    JSON.stringify({ requests: sent, responses_5xx: fivexx, statuses: Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])), heap_after_gc_mib: { at_10pct: +(heapStart / 2 ** 20).toFixed(1), at_end: +(heapEnd / 2 ** 20).toFixed(1) } }, null, 2),
  );
  for (const f of failures) console.error(f);
  return fivexx > 0 || growth > HEAP_GROWTH_LIMIT ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
