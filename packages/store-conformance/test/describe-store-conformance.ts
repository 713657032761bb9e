import { afterEach, beforeEach, describe } from "vitest";
import type { Store } from "@courier/agent";
import { describeClaimPath } from "./claim.js";
import { describeFinishBatch } from "./batch.js";
import { describeFinishEvent } from "./finish-event.js";
import { describeOperatorVerbs } from "./operator.js";
import { describeOutboxAndAlerts } from "./outbox.js";
import { describeRecords } from "./records.js";
import { describeDashboardReads } from "./dashboard.js";
import { describeIntentVerbs } from "./intent.js";
import { describeLifecycleVerbs } from "./lifecycle.js";
import { describeLedgerBatch } from "./ledger-batch.js";
import { describeRetention } from "./retention.js";

/**
 * Behaviour every Store implementation must have, as a vitest suite. `makeStore` returns a fresh,
 * empty store per test; the suite closes it afterwards. Run it from an implementation's test file:
 * `describeStoreConformance("sqlite", () => openSqliteStore(tmpFile()))`.
 */
export function describeStoreConformance(name: string, makeStore: () => Promise<Store>): void {
  describe(`Store conformance: ${name}`, () => {
    let store: Store | null = null;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store?.close();
      store = null;
    });
    const get = (): Store => {
      if (!store) throw new Error("store not open");
      return store;
    };
    describeClaimPath(get);
    describeFinishBatch(get);
    describeFinishEvent(get);
    describeOperatorVerbs(get);
    describeLifecycleVerbs(get);
    describeRecords(get);
    describeLedgerBatch(get);
    describeOutboxAndAlerts(get);
    describeRetention(get);
    describeIntentVerbs(get);
    describeDashboardReads(get);
  });
}
