/**
 * Test helper: a SQLite store that opens and reads its control row but fails PRAGMA
 * integrity_check (its last pages, holding ops, overwritten with garbage): what a torn disk
 * write leaves behind. A real file, not a fake: the store's own code meets the corruption.
 */
import { closeSync, fstatSync, openSync, writeSync } from "node:fs";
import { openSqliteStore } from "@courier/sqlite";
import { makeMemoOp } from "../fixtures.js";

const PAGE = 4096;

export async function createCorruptStore(path: string, ops = 300): Promise<void> {
  const store = await openSqliteStore(path);
  const now = Date.now();
  try {
    for (let i = 0; i < ops; i++) {
      await store.createOp(makeMemoOp(`op_corrupt_${i}`, { params: { text: "x".repeat(200) }, next_exec: now - 1_000 }));
    }
  } finally {
    // Closing checkpoints the WAL: every page is in the main file before it is damaged.
    await store.close();
  }
  const fd = openSync(path, "r+");
  try {
    const pages = Math.floor(fstatSync(fd).size / PAGE);
    const garbage = Buffer.alloc(PAGE, 0x5a);
    for (let p = pages - 3; p < pages; p++) writeSync(fd, garbage, 0, PAGE, p * PAGE);
  } finally {
    closeSync(fd);
  }
}
