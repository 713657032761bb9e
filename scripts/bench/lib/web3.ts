/**
 * `@solana/web3.js` v1 for the benchmarks, resolved from packages/solana (scripts/ is not a
 * workspace package, so it is not hoisted to the root), in the version Courier itself uses.
 */
import { createRequire } from "node:module";
import type * as Web3 from "../../../packages/solana/node_modules/@solana/web3.js";

const requireFromSolana = createRequire(new URL("../../../packages/solana/package.json", import.meta.url));

export const web3 = requireFromSolana("@solana/web3.js") as typeof Web3;
