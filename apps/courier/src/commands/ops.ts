/** `courier ops list|show|cancel|retry`: the store's operator verbs, printed like the admin API. */
import {
  CourierError,
  OP_STATUSES,
  type Op,
  type OpStatus,
  opToJSON,
  systemClock,
} from "@courier/agent";
import { type Command, InvalidArgumentError } from "commander";
import { getCommandContext } from "../cli/context.js";
import { formatOp, formatOpDetail, formatOpList } from "../cli/format.js";
import { type CliIo, printJson } from "../cli/io.js";
import { getFromLocalAdmin } from "../wiring/local-admin.js";
import { withStore } from "../wiring/open-store.js";

const MAX_LIST_LIMIT = 1000;

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

function notFound(id: string): CourierError {
  return new CourierError("COURIER__NOT_FOUND", `op ${id} not found`, { id });
}

export function registerOpsCommands(program: Command, io: CliIo): void {
  const ops = program.command("ops").description("list, show, cancel and retry ops");

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
      // The admin API's op detail (runs, attempts, signatures), served in-process: one code path.
      const detail = await withStore(ctx.config, (store) =>
        getFromLocalAdmin(store, ctx.config.instanceId, `/admin/api/courier/ops/${encodeURIComponent(id)}`, ctx.config.dailyCapLamports),
      );
      if (ctx.json) printJson(io, detail);
      else io.stdout.write(`${formatOpDetail(detail as unknown as Record<string, unknown>)}\n`);
    });

  ops
    .command("cancel")
    .description("cancel a pending or running op")
    .argument("<id>", "op id")
    .action(async (id: string, _flags: unknown, command: Command) => {
      const ctx = getCommandContext(io, command);
      const op = await withStore(ctx.config, async (store) => {
        const result = await store.cancelOp({ id, now: systemClock.now() });
        if (!result) throw notFound(id);
        if (!result.changed) {
          throw new CourierError("COURIER__CONFLICT", `op ${id} is already ${result.op.status}: nothing to cancel`, { id, status: result.op.status });
        }
        return result.op;
      });
      printOp(io, ctx.json, op, "cancelled");
    });

  ops
    .command("retry")
    .description("send a dead or failed op back to pending (attempts reset, due now)")
    .argument("<id>", "op id")
    .action(async (id: string, _flags: unknown, command: Command) => {
      const ctx = getCommandContext(io, command);
      const op = await withStore(ctx.config, async (store) => {
        const result = await store.retryOp({ id, now: systemClock.now() });
        if (!result) throw notFound(id);
        if (!result.changed) {
          throw new CourierError("COURIER__CONFLICT", `op ${id} is ${result.op.status}: only dead or failed ops can be retried`, { id, status: result.op.status });
        }
        return result.op;
      });
      printOp(io, ctx.json, op, "pending again (the crank picks it up on its next tick)");
    });
}

function printOp(io: CliIo, json: boolean, op: Op, headline: string): void {
  const body = opToJSON(op);
  if (json) printJson(io, body);
  else io.stdout.write(`${headline}\n${formatOp(body as unknown as Record<string, unknown>)}\n`);
}
