import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore, type SqliteStore } from "./courier.js";

/** Directories of the stores still open, removed by `removeTempDirs` when a run is interrupted. */
const liveDirs = new Set<string>();

export function removeTempDirs(): void {
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  liveDirs.clear();
}

export interface TempStore {
  dir: string;
  path: string;
  store: SqliteStore;
  /** Close the store and delete the directory (idempotent). */
  dispose(): Promise<void>;
}

/**
 * A fresh SQLite store in its own temp directory: every measured run starts from an empty file,
 * or from the file `seed` writes at the path before the store opens it.
 */
export async function createTempStore(label: string, seed?: (path: string) => void): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), `courier-bench-${label}-`));
  const path = join(dir, "courier.db");
  liveDirs.add(dir);
  seed?.(path);
  const store = await openSqliteStore(path);
  let disposed = false;
  return {
    dir,
    path,
    store,
    async dispose() {
      if (disposed) return;
      disposed = true;
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      liveDirs.delete(dir);
    },
  };
}
