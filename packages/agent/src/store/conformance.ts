import { afterEach, beforeEach, describe } from "vitest";
import type { Store } from "../types.js";
import { describeClaimPath } from "./conformance-claim.js";
import { describeFinishBatch } from "./conformance-batch.js";
import { describeDashboardReads } from "./conformance-dashboard.js";
import { describeFinishEvent } from "./conformance-finish-event.js";
import { describeIntentVerbs } from "./conformance-intent.js";
import { describeLifecycleVerbs } from "./conformance-lifecycle.js";
import { describeOperatorVerbs } from "./conformance-operator.js";
import { describeOutboxAndAlerts } from "./conformance-outbox.js";
import { describeRecords } from "./conformance-records.js";
import { describeRetention } from "./conformance-retention.js";

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
    describeOutboxAndAlerts(get);
    describeRetention(get);
    describeIntentVerbs(get);
    describeDashboardReads(get);
  });
}
