import type { Store } from "../types.js";

export function describeRecords(_getStore: () => Store): void {}
