/**
 * `courier nonce create [--lamports N]`: a durable-nonce account controlled by the signer, for
 * ops that take `nonce_account` (docs/nonces.md). It talks to COURIER_RPC_URLS, or without them
 * to the embedded localnet of a running `courier start` (127.0.0.1:COURIER_LOCALNET_PORT), and
 * signs with COURIER_KEYPAIR (or the localnet dev keypair).
 */
import { CourierError } from "@courier/agent";
import type { Command } from "commander";
import { getCommandContext } from "../cli/context.js";
import { type CliIo, printJson } from "../cli/io.js";
import { DEV_KEYPAIR_PATH } from "../config/index.js";
import { importQuietly } from "../wiring/quiet-import.js";

export function registerNonceCommand(program: Command, io: CliIo): void {
  const nonce = program.command("nonce").description("durable-nonce accounts for ops signed long before they land");
  nonce
    .command("create")
    .description("create a nonce account controlled by the signer and print its address")
    .option("--lamports <n>", "lamports to fund it with (default: its rent-exempt minimum)")
    .action(async (flags: { lamports?: string }, command: Command) => {
      const ctx = getCommandContext(io, command);
      const lamports = flags.lamports === undefined ? undefined : parseLamports(flags.lamports);
      const { createNonceAccount, createRpcPool, loadKeypair } = await importQuietly(() => import("@courier/solana"));
      const urls = ctx.config.rpcUrls.length > 0 ? ctx.config.rpcUrls : [`http://127.0.0.1:${ctx.config.localnetPort}`];
      const signer = await loadKeypair(ctx.config.keypair ?? DEV_KEYPAIR_PATH);
      const pool = createRpcPool({ urls, healthIntervalMs: 0 });
      try {
        const created = await createNonceAccount(pool, signer, lamports === undefined ? {} : { lamports });
        const out = { address: created.address.toBase58(), authority: signer.publicKey.toBase58(), lamports: created.lamports, signature: created.signature };
        if (ctx.json) printJson(io, out);
        else io.stdout.write(`${out.address}\n`);
      } finally {
        await pool.close();
      }
    });
}

function parseLamports(text: string): number {
  if (!/^[0-9]{1,16}$/.test(text) || !Number.isSafeInteger(Number(text)) || Number(text) <= 0) {
    throw new CourierError("COURIER__VALIDATION", `--lamports must be a positive integer, got ${JSON.stringify(text)}`, { field: "lamports" });
  }
  return Number(text);
}
