import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type OpenSqliteStoreOptions, openSqliteStore, type SqliteStore } from "@courier/sqlite";
import { onTestFinished } from "vitest";

export interface TempStore {
  store: SqliteStore;
  /** The store's own directory (tests may put related files here; it is kept with the store). */
  dir: string;
  path: string;
  /**
   * Close the store now. Its directory is removed when the test finishes, unless the test failed
   * (then its path is printed). Outside a test (beforeAll) the directory is removed here.
   */
  cleanup(): Promise<void>;
}

/**
 * A fresh SQLite store in its own temp directory. Created inside a test (or a beforeEach), it
 * cleans itself up when the test finishes; `cleanup()` may also be called earlier (afterEach).
 * A failed test keeps the file and prints its path, so the state can be inspected.
 */
export async function createTempStore(opts: { prefix?: string; sqlite?: OpenSqliteStoreOptions } = {}): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), opts.prefix ?? "courier-test-"));
  const path = join(dir, "courier.db");
  const store = await openSqliteStore(path, opts.sqlite);
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await store.close().catch(() => undefined);
  };
  const remove = () => rmSync(dir, { recursive: true, force: true });
  let registered = false;
  try {
    onTestFinished(async (ctx) => {
      await close();
      if (ctx.task.result?.state === "fail") process.stderr.write(`[courier test] kept the store of a failed test: ${path}\n`);
      else remove();
    });
    registered = true;
  } catch {
    // Not inside a test (e.g. beforeAll): the caller's cleanup() removes it.
  }
  return {
    store,
    dir,
    path,
    async cleanup() {
      await close();
      if (!registered) remove();
    },
  };
}
