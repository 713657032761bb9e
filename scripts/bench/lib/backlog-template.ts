/**
 * Large not-yet-due backlogs are expensive to write (1M rows), and two benchmarks need one.
 * The first request for a size writes it once into a template store file; every caller then
 * gets a fresh copy of that file in its own temp directory, so each run still starts from a
 * file nobody else touched. `disposeBacklogTemplates` deletes the templates.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "./courier.js";
import { bulkInsertOps } from "./ops.js";
import { createTempStore, type TempStore } from "./temp-store.js";

const HOUR_MS = 3_600_000;
const templates = new Map<number, { dir: string; path: string }>();

/** Due 1 h to 25 h after the template was written: far enough that no run reaches them. */
function getBacklogDueTime(now: number): (i: number) => number {
  return (i) => now + HOUR_MS + (i % 86_400) * 1_000;
}

async function getTemplate(count: number): Promise<string> {
  const known = templates.get(count);
  if (known) return known.path;
  const dir = mkdtempSync(join(tmpdir(), `courier-bench-template-${count}-`));
  const path = join(dir, "courier.db");
  // Open once through the store so the file has Courier's schema, then write the backlog.
  await (await openSqliteStore(path)).close();
  const now = Date.now();
  bulkInsertOps(path, count, getBacklogDueTime(now), now);
  templates.set(count, { dir, path });
  return path;
}

/** A fresh store holding `count` pending ops that are not yet due. */
export async function createBacklogStore(label: string, count: number): Promise<TempStore> {
  const template = await getTemplate(count);
  return createTempStore(label, (path) => copyFileSync(template, path));
}

export function disposeBacklogTemplates(): void {
  for (const t of templates.values()) rmSync(t.dir, { recursive: true, force: true });
  templates.clear();
}
