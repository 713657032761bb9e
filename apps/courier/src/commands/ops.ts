/**
 * `courier ops list|show|cancel|retry|pause|resume|sign`. List reads the store with the admin API's
 * own verbs; show, cancel, retry, pause and resume run the admin API in-process (same JSON, same
 * refusals, same audit events). Sign stores an owner's signature of an op as it is (see signOp).
 */
import { OP_STATUSES, type OpStatus, opToJSON } from "@courier/agent";
import { type Command, InvalidArgumentError } from "commander";
import { type CommandContext, getCommandContext } from "../cli/context.js";
import { formatOp, formatOpDetail, formatOpList } from "../cli/format.js";
import { type CliIo, printJson } from "../cli/io.js";
import { createLocalAdmin } from "../wiring/local-admin.js";
import { withStore } from "../wiring/open-store.js";
import { signOp } from "./sign-op.js";

const MAX_LIST_LIMIT = 1000;
const OPS_PATH = "/admin/api/courier/ops";

function parseStatus(value: string): OpStatus {
  if (!(OP_STATUSES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${OP_STATUSES.join(", ")}`);
  }
  return value as OpStatus;
}

function parseLimit(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIST_LIMIT) throw new InvalidArgumentError(`expected an integer from 1 to ${MAX_LIST_LIMIT}`);
  return n;
}

function callAdmin(ctx: CommandContext, method: "get" | "post", path: string): Promise<Record<string, unknown>> {
  return withStore(ctx.config, async (store) => {
    const admin = createLocalAdmin(store, { instanceId: ctx.config.instanceId, spendCapPerDay: ctx.config.dailyCapLamports });
    return (await admin[method](path)) as Record<string, unknown>;
  });
}

export function registerOpsCommands(program: Command, io: CliIo): void {
  const ops = program.command("ops").description("list, show, cancel, retry, pause and resume ops");

  ops
    .command("list")
    .description("list ops, newest first")
    .option("--status <status>", `only ops in this status (${OP_STATUSES.join(", ")})`, parseStatus)
    .option("--action <name>", "only ops of this action")
    .option("--limit <n>", `at most n ops (1-${MAX_LIST_LIMIT})`, parseLimit, 50)
    .option("--cursor <cursor>", "continue from a previous page")
    .action(async (flags: { status?: OpStatus; action?: string; limit: number; cursor?: string }, command: Command) => {
      const ctx = getCommandContext(io, command);
      const page = await withStore(ctx.config, (store) =>
        store.listOps({
          limit: flags.limit,
          ...(flags.status ? { status: flags.status } : {}),
          ...(flags.action ? { action: flags.action } : {}),
          cursor: flags.cursor ?? null,
        }),
      );
      const json = { ops: page.ops.map(opToJSON), next_cursor: page.next_cursor };
      if (ctx.json) printJson(io, json);
      else io.stdout.write(`${formatOpList(json.ops as unknown as Array<Record<string, unknown>>, json.next_cursor)}\n`);
    });

  ops
    .command("show")
    .description("show an op with its runs, attempts and signatures")
    .argument("<id>", "op id")
    .action(async (id: string, _flags: unknown, command: Command) => {
      const ctx = getCommandContext(io, command);
      const detail = await callAdmin(ctx, "get", `${OPS_PATH}/${encodeURIComponent(id)}`);
      if (ctx.json) printJson(io, detail);
      else io.stdout.write(`${formatOpDetail(detail)}\n`);
    });

  const verbs = [
    { name: "cancel", description: "cancel an op (refused while a one-off's transaction may land; a recurring op stops after its run in flight)", headline: "cancel applied" },
    { name: "retry", description: "send a dead or failed op back to pending for a fresh attempt (signs a new transaction)", headline: "pending again" },
    { name: "pause", description: "pause an op: never claimed; a run in flight resolves first", headline: "paused" },
    { name: "resume", description: "resume a paused op at its next slot (misfire policy applies)", headline: "resumed" },
  ] as const;
  for (const verb of verbs) {
    ops
      .command(verb.name)
      .description(verb.description)
      .argument("<id>", "op id")
      .action(async (id: string, _flags: unknown, command: Command) => {
        const ctx = getCommandContext(io, command);
        const op = await callAdmin(ctx, "post", `${OPS_PATH}/${encodeURIComponent(id)}/${verb.name}`);
        if (ctx.json) printJson(io, op);
        else io.stdout.write(`${verb.headline}\n${formatOp(op)}\n`);
      });
  }

  ops
    .command("sign")
    .description("sign an op as it is stored with an owner key (check it first with ops show): ops created before COURIER_INTENT_KEYS")
    .argument("<id>", "op id")
    .requiredOption("--sign <keypair>", "owner keypair file (its public key must be in COURIER_INTENT_KEYS)")
    .action(async (id: string, flags: { sign: string }, command: Command) => {
      const ctx = getCommandContext(io, command);
      const op = opToJSON(await signOp(ctx.config, id, flags.sign));
      if (ctx.json) printJson(io, op);
      else io.stdout.write(`signed by ${op.intent?.signer}\n${formatOp(op as unknown as Record<string, unknown>)}\n`);
    });
}
