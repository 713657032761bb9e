import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "@courier/sqlite";
import { afterAll } from "vitest";
import { describeStoreConformance } from "./describe-store-conformance.js";

const root = mkdtempSync(join(tmpdir(), "courier-conformance-"));
let n = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeStoreConformance("sqlite", () => openSqliteStore(join(root, `t${++n}`, "courier.db")));
