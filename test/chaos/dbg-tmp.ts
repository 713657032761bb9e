import { runStoreLock } from "./scenarios/store-lock.js";
import { formatReport } from "./helpers.js";
console.log(formatReport(await runStoreLock({ seed: 9, lockMs: 25_000 })));
