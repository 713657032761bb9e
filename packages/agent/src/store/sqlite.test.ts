import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { describeStoreConformance } from "./conformance.js";
import { openSqliteStore } from "./sqlite/open.js";

const root = mkdtempSync(join(tmpdir(), "courier-store-"));
let n = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeStoreConformance("sqlite", () => openSqliteStore(join(root, `t${++n}`, "courier.db")));
