/** The benchmarks `pnpm bench` runs, in order. */
import { backlog } from "./benchmarks/backlog.js";
import { claimThroughput } from "./benchmarks/claim-throughput.js";
import { dashboardRender } from "./benchmarks/dashboard-render.js";
import { dispatchLag } from "./benchmarks/dispatch-lag.js";
import { e2eDefault } from "./benchmarks/e2e-default.js";
import { e2eLocalnet } from "./benchmarks/e2e-localnet.js";
import { intentVerify } from "./benchmarks/intent-verify.js";
import { memory } from "./benchmarks/memory.js";
import { postgresClaims } from "./benchmarks/postgres-claims.js";
import { retention } from "./benchmarks/retention.js";
import { rpcEfficiency } from "./benchmarks/rpc-efficiency.js";
import type { Benchmark } from "./lib/result.js";

export const BENCHMARKS: readonly Benchmark[] = [claimThroughput, dispatchLag, backlog, e2eLocalnet, memory, rpcEfficiency, postgresClaims, intentVerify, dashboardRender, e2eDefault, retention];
