import { newOpId } from "@courier/agent";
import pg from "pg";

/**
 * Insert `n` one-off ops of `action`, all due by `now`, straight into a migrated schema in a few
 * big statements (for claim tests and benchmarks, where seeding is not what is measured).
 * Returns their ids.
 */
export async function seedDueOps(url: string, schema: string, n: number, now: number, action = "bench.noop"): Promise<string[]> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path="${schema}"` });
  await client.connect();
  const all: string[] = [];
  try {
    for (let start = 0; start < n; start += 5000) {
      const count = Math.min(5000, n - start);
      const ids = Array.from({ length: count }, () => newOpId(now));
      const due = Array.from({ length: count }, (_, i) => now - ((start + i) % 997));
      await client.query(
        `INSERT INTO ops (id, action, params, status, schedule, next_exec, due_at, created_at, updated_at, max_attempts, misfire)
         SELECT id, $4, '{}', 'pending', '{"kind":"once"}', t, t, $3, $3, 3, 'skip' FROM unnest($1::text[], $2::bigint[]) AS u(id, t)`,
        [ids, due, now, action],
      );
      all.push(...ids);
    }
  } finally {
    await client.end();
  }
  return all;
}
