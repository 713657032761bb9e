/**
 * `courier schedule`: the CLI face of the admin API's create endpoint. Flags become the same
 * create body and go through the same `scheduleOp`, so both refuse exactly the same input.
 * `--sign KEYPAIR_FILE` signs the op's intent with an owner key (docs/security.md); a signed op
 * without `--key` gets a random idempotency key, so a replay of the signed body creates nothing.
 */
import { randomUUID } from "node:crypto";
import { CourierError, type ScheduleInputBody, isCourierError, opToJSON, parseDuration, scheduleOp, systemClock } from "@courier/agent";
import type { Command } from "commander";
import { getCommandContext } from "../cli/context.js";
import { formatOp } from "../cli/format.js";
import { type CliIo, printJson } from "../cli/io.js";
import { createCourierRegistries } from "../wiring/create-registry.js";
import { createConfiguredIntentPolicy, loadOwnerKey } from "../wiring/intents.js";
import { importQuietly } from "../wiring/quiet-import.js";
import { withStore } from "../wiring/open-store.js";

interface ScheduleFlags {
  action: string;
  params: string;
  at?: string;
  in?: string;
  every?: string;
  cron?: string;
  tz?: string;
  maxExec?: string;
  expires?: string;
  maxAttempts?: string;
  misfire?: string;
  onFailure?: string;
  allowPast?: boolean;
  key?: string;
  sign?: string;
}

/** Create-body field → the flag a CLI user typed, so errors name what they can fix. */
const FLAG_OF_FIELD: Record<string, string> = {
  action: "--action",
  params: "--params",
  run_at: "--at",
  delay_ms: "--in",
  every_ms: "--every",
  cron: "--cron",
  tz: "--tz",
  max_exec: "--max-exec",
  expires_at: "--expires",
  max_attempts: "--max-attempts",
  misfire: "--misfire",
  on_failure: "--on-failure",
  allow_past: "--allow-past",
  idempotency_key: "--key",
  intent: "--sign",
};

export function registerScheduleCommand(program: Command, io: CliIo): void {
  program
    .command("schedule")
    .description("schedule an op and print it")
    .requiredOption("--action <name>", "action, e.g. sol.transfer, memo, spl.transfer, anchor.invoke")
    .option("--params <json>", "action params as JSON", "{}")
    .option("--at <time>", "first run at an ISO-8601 time (with zone) or epoch ms")
    .option("--in <duration>", "first run after a delay, e.g. 30s, 5m")
    .option("--every <duration>", "repeat at a fixed interval, e.g. 1m")
    .option("--cron <expr>", "repeat on a cron pattern (5 or 6 fields)")
    .option("--tz <zone>", "IANA time zone of --cron (default UTC)")
    .option("--max-exec <n>", "stop after n successful runs")
    .option("--expires <time>", "expire the op at this ISO-8601 time")
    .option("--max-attempts <n>", "attempts per run before the op is dead (default 5)")
    .option("--misfire <policy>", "runs missed while no crank was up or while paused: skip (default), once or all")
    .option("--on-failure <mode>", "recurring ops: after a run fails for good, continue (default) or stop")
    .option("--allow-past", "accept an --at more than 60 s in the past (it runs at once)")
    .option("--key <key>", "idempotency key: scheduling the same key twice returns the first op")
    .option("--sign <keypair>", "sign the op's intent with this owner keypair file (see COURIER_INTENT_KEYS)")
    .action(async (flags: ScheduleFlags, command: Command) => {
      const ctx = getCommandContext(io, command);
      let body = toCreateBody(flags);
      const { registry } = await createCourierRegistries(ctx.config);
      const intents = await createConfiguredIntentPolicy(ctx.config);
      if (flags.sign !== undefined) {
        const owner = await loadOwnerKey(flags.sign);
        const { createSignedOpBody } = await importQuietly(() => import("@courier/solana"));
        body.idempotency_key ??= `signed-${randomUUID()}`;
        try {
          body = createSignedOpBody(body, owner, { registry, clock: systemClock });
        } catch (e) {
          throw renameFields(e);
        }
      }
      const signed = body;
      const { op, created } = await withStore(ctx.config, (store) =>
        scheduleOp(store, signed, { registry, clock: systemClock, intents }).catch((e: unknown) => {
          throw renameFields(e);
        }),
      );
      const json = opToJSON(op);
      if (ctx.json) printJson(io, json);
      else io.stdout.write(`${created ? "scheduled" : "already scheduled (same --key)"}\n${formatOp(json as unknown as Record<string, unknown>)}\n`);
    });
}

function usage(message: string, field: string): CourierError {
  return new CourierError("COURIER__VALIDATION", message, { field });
}

export function toCreateBody(flags: ScheduleFlags): ScheduleInputBody {
  let params: unknown;
  try {
    params = JSON.parse(flags.params);
  } catch (e) {
    throw usage(`--params: not valid JSON (${e instanceof Error ? e.message : String(e)})`, "params");
  }
  const body: Record<string, unknown> = { action: flags.action, params };
  if (flags.at !== undefined) body.run_at = toTimeInput(flags.at);
  if (flags.in !== undefined) body.delay_ms = toDuration("--in", flags.in);
  if (flags.every !== undefined) body.every_ms = toDuration("--every", flags.every);
  if (flags.cron !== undefined) body.cron = flags.cron;
  if (flags.tz !== undefined) body.tz = flags.tz;
  if (flags.maxExec !== undefined) body.max_exec = toInteger(flags.maxExec);
  if (flags.expires !== undefined) body.expires_at = toTimeInput(flags.expires);
  if (flags.maxAttempts !== undefined) body.max_attempts = toInteger(flags.maxAttempts);
  if (flags.misfire !== undefined) body.misfire = flags.misfire;
  if (flags.onFailure !== undefined) body.on_failure = flags.onFailure;
  if (flags.allowPast === true) body.allow_past = true;
  if (flags.key !== undefined) body.idempotency_key = flags.key;
  // Shape errors are the schema's job (scheduleOp); this only translates flag syntax.
  return body as ScheduleInputBody;
}

function toDuration(flag: string, value: string): number {
  try {
    return parseDuration(value);
  } catch (e) {
    if (isCourierError(e)) throw usage(`${flag}: ${e.message}`, flag);
    throw e;
  }
}

/** Digits become epoch ms; anything else goes to the schema as an ISO-8601 string. */
function toTimeInput(value: string): string | number {
  return /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
}

/** An integer flag stays a string when it is not one, so the schema's message applies. */
function toInteger(value: string): number | string {
  return /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
}

/** "every_ms: must be …" → "--every (every_ms): must be …". */
function renameFields(e: unknown): unknown {
  if (!isCourierError(e)) return e;
  const field = typeof e.context.field === "string" ? e.context.field : null;
  if (!field) return e;
  const top = field.split(".")[0] ?? field;
  const flag = FLAG_OF_FIELD[top];
  if (!flag || !e.message.startsWith(`${field}:`)) return e;
  const message = `${flag} (${field})${e.message.slice(field.length)}`;
  return new CourierError(e.code, message, e.context, { cause: e });
}
