#!/usr/bin/env node
/**
 * The `courier` executable (`pnpm courier …`, `pnpm start`). The only module with a side effect
 * at import: it runs the CLI on this process's arguments and exits with its code.
 */
import { getProcessIo } from "./cli/io.js";
import { runCli } from "./cli/program.js";

const code = await runCli(process.argv.slice(2), getProcessIo());
// Exit explicitly: a long-running command (start, localnet) has closed its servers by now, and a
// lingering handle of a library must not keep a finished CLI alive.
process.exit(code);
