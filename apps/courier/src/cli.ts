#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=2 --heap-growing-percent=10
/**
 * The `courier` executable (`pnpm courier …`, `pnpm start`). The only module with a side effect
 * at import: it runs the CLI on this process's arguments and exits with its code. The shebang
 * passes node the flags of wiring/node-flags.ts.
 */
import { getProcessIo } from "./cli/io.js";
import { runCli } from "./cli/program.js";

const code = await runCli(process.argv.slice(2), getProcessIo());
// Exit explicitly: a long-running command (start, localnet) has closed its servers by now, and a
// lingering handle of a library must not keep a finished CLI alive.
process.exit(code);
