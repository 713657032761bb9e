/**
 * Every setting Courier reads, in one table: its camelCase key (the config file's key), its
 * COURIER_* variable, how a string from the environment becomes a value, the zod schema the
 * value must satisfy, and what an operator reads in the docs. The schema, the loader, the
 * docs table and `courier doctor` are all derived from this table, so they cannot drift apart.
 */
import { z } from "zod";

/** How an environment string turns into a typed value before validation. */
export type FieldKind = "string" | "int" | "list" | "bool" | "enum";

export interface FieldSpec {
  env: `COURIER_${string}`;
  kind: FieldKind;
  schema: z.ZodType;
  /** Completes "expected …" in an error message. */
  expect: string;
  /** Default as written in the docs. */
  defaultDoc: string;
  doc: string;
  /** Never printed (errors, doctor, logs). */
  secret?: boolean;
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
// "processed" is not offered: a processed transaction can still be dropped, which would break exactly-once.
const COMMITMENTS = ["confirmed", "finalized"] as const;

function intBetween(min: number, max: number) {
  return z.int().min(min).max(max);
}

const httpUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
});

export const FIELDS = {
  db: {
    env: "COURIER_DB",
    kind: "string",
    schema: z.string().min(1),
    expect: "a file path (or a postgres:// URL)",
    defaultDoc: "`./.courier/courier.db`",
    doc: "SQLite store path, or a `postgres://…` URL for a PostgreSQL store shared by several machines",
    // A PostgreSQL URL may carry a password.
    secret: true,
  },
  dbSchema: {
    env: "COURIER_DB_SCHEMA",
    kind: "string",
    schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/),
    expect: "a lower-case SQL identifier ([a-z_][a-z0-9_]*)",
    defaultDoc: "`courier`",
    doc: "PostgreSQL schema of the store's tables (ignored for SQLite)",
  },
  rpcUrls: {
    env: "COURIER_RPC_URLS",
    kind: "list",
    schema: z.array(httpUrl).max(16),
    expect: "comma-separated http(s) URLs",
    defaultDoc: "empty → embedded localnet",
    doc: "comma-separated RPC HTTP endpoints, in priority order",
    // API keys often sit in the path or query of an RPC URL.
    secret: true,
  },
  rpcRate: {
    env: "COURIER_RPC_RATE",
    kind: "string",
    // "auto", or a positive number of requests per second (a config file may give a number).
    schema: z.union([
      z.literal("auto"),
      z.number().positive().max(100_000),
      z
        .string()
        .regex(/^\d+(\.\d+)?$/)
        .transform(Number)
        .pipe(z.number().positive().max(100_000)),
    ]),
    expect: "auto or a number of requests per second (0 < N ≤ 100000)",
    defaultDoc: "`auto`",
    doc: "requests per second per RPC endpoint. `auto`: each endpoint's limit is learned from its HTTP 429 answers and `Retry-After` (per method where the endpoint limits a method on its own) and never kept exceeded; on an endpoint without limits Courier is not held back. A number fixes the rate",
  },
  keypair: {
    env: "COURIER_KEYPAIR",
    kind: "string",
    schema: z.string().min(1).nullable(),
    expect: "a path to a Solana CLI keypair JSON file",
    defaultDoc: "localnet: `./.courier/dev-keypair.json` (generated)",
    doc: "Solana CLI keypair JSON of the signer (required with COURIER_RPC_URLS)",
  },
  adminHost: {
    env: "COURIER_ADMIN_HOST",
    kind: "string",
    schema: z.string().min(1).max(255),
    expect: "a host name or IP address",
    defaultDoc: "`127.0.0.1`",
    doc: "admin service bind address",
  },
  adminPort: {
    env: "COURIER_ADMIN_PORT",
    kind: "int",
    schema: intBetween(0, 65535),
    expect: "an integer between 0 and 65535",
    defaultDoc: "8787",
    doc: "admin service port (`0` disables the admin service)",
  },
  adminToken: {
    env: "COURIER_ADMIN_TOKEN",
    kind: "string",
    schema: z.string().min(16).max(512).nullable(),
    expect: "a bearer token of at least 16 characters",
    defaultDoc: "none",
    doc: "bearer token for `/admin/api/*` and `/metrics` (the dashboard at `/admin/ui` signs in with it); required when the host is not loopback",
    secret: true,
  },
  adminAllowedHosts: {
    env: "COURIER_ADMIN_ALLOWED_HOSTS",
    kind: "list",
    schema: z.array(z.string().regex(/^[A-Za-z0-9.-]{1,253}$|^\[?[0-9A-Fa-f:.]{2,45}\]?$/)).max(32),
    expect: "comma-separated host names (no port)",
    defaultDoc: "empty",
    doc: "extra `Host` header names the admin service accepts besides its bind address, `localhost` and `127.0.0.1`, compared without the port (others get 421, on every route)",
  },
  explorerUrl: {
    env: "COURIER_EXPLORER_URL",
    kind: "string",
    schema: httpUrl.refine((s) => s.includes("{signature}")).nullable(),
    expect: "an http(s) URL template containing {signature}",
    defaultDoc: "the Solana explorer for the RPC URL's cluster; none on the embedded localnet",
    doc: "where the dashboard links a transaction signature (`{signature}` is replaced)",
  },
  instanceId: {
    env: "COURIER_INSTANCE_ID",
    kind: "string",
    schema: z
      .string()
      .regex(/^[A-Za-z0-9._:@-]{1,128}$/)
      .nullable(),
    expect: "1 to 128 characters of A-Z a-z 0-9 . _ : @ -",
    defaultDoc: "`<hostname>-<pid>`",
    doc: "this process's name in leases, stats and logs",
  },
  concurrency: {
    env: "COURIER_CONCURRENCY",
    kind: "int",
    schema: intBetween(1, 1024),
    expect: "an integer between 1 and 1024",
    defaultDoc: "16",
    doc: "ops built, signed and sent at once by one process; a sent transaction (answered by the endpoint, or only handed over once the endpoint has taken 64 sends within a second) then waits for its verdict without a slot, in an in-flight set of up to max(10,240, 64 × this) ops",
  },
  leaseMs: {
    env: "COURIER_LEASE_MS",
    kind: "int",
    schema: intBetween(1_000, 3_600_000),
    expect: "an integer between 1000 and 3600000 (milliseconds)",
    defaultDoc: "30000",
    doc: "claim lease in milliseconds; renewed while working",
  },
  commitment: {
    env: "COURIER_COMMITMENT",
    kind: "enum",
    schema: z.enum(COMMITMENTS),
    expect: `one of ${COMMITMENTS.join(", ")}`,
    defaultDoc: "`confirmed`",
    doc: "commitment an op must reach to succeed",
  },
  localnetPort: {
    env: "COURIER_LOCALNET_PORT",
    kind: "int",
    schema: intBetween(0, 65534),
    expect: "an integer between 0 and 65534 (the WebSocket takes the next port)",
    defaultDoc: "8899",
    doc: "port of the embedded localnet (`0` = a free port; its WebSocket listens on the next port)",
  },
  localnetSlotMs: {
    env: "COURIER_LOCALNET_SLOT_MS",
    kind: "int",
    schema: intBetween(1, 60_000),
    expect: "an integer between 1 and 60000 (milliseconds)",
    defaultDoc: "400",
    doc: "slot time of the embedded localnet",
  },
  localnetState: {
    env: "COURIER_LOCALNET_STATE",
    kind: "string",
    schema: z.string().min(1).nullable(),
    expect: "a file path",
    defaultDoc: "none (fresh chain each start)",
    doc: "file where the embedded localnet keeps accounts and recent history across restarts",
  },
  logLevel: {
    env: "COURIER_LOG_LEVEL",
    kind: "enum",
    schema: z.enum(LOG_LEVELS),
    expect: `one of ${LOG_LEVELS.join(", ")}`,
    defaultDoc: "`info`",
    doc: "pino log level",
  },
  maxLamportsPerOp: {
    env: "COURIER_MAX_LAMPORTS_PER_OP",
    kind: "int",
    schema: z.int().min(1).max(Number.MAX_SAFE_INTEGER).nullable(),
    expect: "a positive integer (lamports)",
    defaultDoc: "none",
    doc: "spend guard: lamports one op may move; a larger op fails as permanent",
  },
  dailyCapLamports: {
    env: "COURIER_DAILY_CAP_LAMPORTS",
    kind: "int",
    schema: z.int().min(1).max(Number.MAX_SAFE_INTEGER).nullable(),
    expect: "a positive integer (lamports)",
    defaultDoc: "none",
    doc: "spend guard: lamports the signer may move per UTC day",
  },
  feeCeilingMicrolamports: {
    env: "COURIER_FEE_CEILING_MICROLAMPORTS",
    kind: "int",
    schema: intBetween(0, 1_000_000_000),
    expect: "an integer between 0 and 1000000000 (micro-lamports per compute unit)",
    defaultDoc: "100000",
    doc: "ceiling of the priority fee (compute-unit price); a higher estimate is clamped to it (audited `fees.clamped`)",
  },
  feePercentile: {
    env: "COURIER_FEE_PERCENTILE",
    kind: "int",
    schema: intBetween(0, 100),
    expect: "an integer between 0 and 100",
    defaultDoc: "75",
    doc: "percentile of the recent non-zero prioritization fees (over the transaction's writable accounts) used as the compute-unit price",
  },
  idlDir: {
    env: "COURIER_IDL_DIR",
    kind: "string",
    schema: z.string().min(1),
    expect: "a directory path",
    defaultDoc: "`./idl`",
    doc: "the only directory from which `anchor.invoke` reads an IDL given as a path",
  },
  actions: {
    env: "COURIER_ACTIONS",
    kind: "list",
    schema: z.array(z.string().min(1)).max(64),
    expect: "comma-separated paths of ES modules",
    defaultDoc: "empty",
    doc: "ES modules exporting custom actions (see docs/actions.md); loaded by `courier start` and the CLI, so `schedule` validates their params",
  },
  batchSize: {
    env: "COURIER_BATCH_SIZE",
    kind: "int",
    schema: intBetween(1, 1024),
    expect: "an integer between 1 and 1024",
    defaultDoc: "64",
    doc: "ops claimed per tick",
  },
  shutdownGraceMs: {
    env: "COURIER_SHUTDOWN_GRACE_MS",
    kind: "int",
    schema: intBetween(0, 600_000),
    expect: "an integer between 0 and 600000 (milliseconds)",
    defaultDoc: "10000",
    doc: "how long a graceful shutdown lets in-flight ops finish before releasing their leases",
  },
  demo: {
    env: "COURIER_DEMO",
    kind: "bool",
    schema: z.boolean(),
    expect: "true or false",
    defaultDoc: "true",
    doc: "schedule the demo ops on a brand-new store on the embedded localnet (`--no-demo` turns it off)",
  },
  webhookUrls: {
    env: "COURIER_WEBHOOK_URLS",
    kind: "list",
    schema: z.array(httpUrl).max(8),
    expect: "comma-separated http(s) URLs",
    defaultDoc: "empty → no webhooks",
    doc: "receivers of the signed webhook events (op succeeded / failed / dead, alerts); each event goes to every URL",
    // A receiver URL may carry a token in its query.
    secret: true,
  },
  webhookSecrets: {
    env: "COURIER_WEBHOOK_SECRETS",
    kind: "list",
    schema: z.array(z.string().min(1).max(1024)).max(8),
    expect: "comma-separated secrets (`whsec_<base64>` or any string)",
    defaultDoc: "none",
    doc: "signing secrets (Standard Webhooks); every delivery is signed with each, so a rotation keeps receivers verifying; required with COURIER_WEBHOOK_URLS",
    secret: true,
  },
  supervisorMaxRestarts: {
    env: "COURIER_SUPERVISOR_MAX_RESTARTS",
    kind: "int",
    schema: intBetween(0, 1_000),
    expect: "an integer between 0 and 1000",
    defaultDoc: "5",
    doc: "crank loop restarts allowed per window; the next crash halts the crank until `courier resume`",
  },
  supervisorWindowMs: {
    env: "COURIER_SUPERVISOR_WINDOW_MS",
    kind: "int",
    schema: intBetween(1_000, 86_400_000),
    expect: "an integer between 1000 and 86400000 (milliseconds)",
    defaultDoc: "300000",
    doc: "window in which the supervisor counts restarts",
  },
  supervisorCooldownMs: {
    env: "COURIER_SUPERVISOR_COOLDOWN_MS",
    kind: "int",
    schema: intBetween(1, 600_000),
    expect: "an integer between 1 and 600000 (milliseconds)",
    defaultDoc: "1000",
    doc: "first restart cooldown after a crash; doubles per restart in the window (at most 30 s)",
  },
  alertRpcDownMs: {
    env: "COURIER_ALERT_RPC_DOWN_MS",
    kind: "int",
    schema: intBetween(0, 86_400_000),
    expect: "an integer between 0 and 86400000 (milliseconds)",
    defaultDoc: "60000",
    doc: "alert when every RPC endpoint has been down this long",
  },
  alertOverdueMs: {
    env: "COURIER_ALERT_OVERDUE_MS",
    kind: "int",
    schema: intBetween(1_000, 86_400_000),
    expect: "an integer between 1000 and 86400000 (milliseconds)",
    defaultDoc: "300000",
    doc: "alert when a pending op is overdue by more than this while the crank should be running",
  },
  alertMinBalanceLamports: {
    env: "COURIER_ALERT_MIN_BALANCE_LAMPORTS",
    kind: "int",
    schema: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
    expect: "an integer of 0 or more (lamports)",
    defaultDoc: "100000000",
    doc: "alert when the signer's balance is below this (`0` turns the check off)",
  },
  alertIntervalMs: {
    env: "COURIER_ALERT_INTERVAL_MS",
    kind: "int",
    schema: intBetween(100, 3_600_000),
    expect: "an integer between 100 and 3600000 (milliseconds)",
    defaultDoc: "10000",
    doc: "how often the alert conditions are evaluated",
  },
  retentionDays: {
    env: "COURIER_RETENTION_DAYS",
    kind: "int",
    schema: intBetween(0, 36_500),
    expect: "an integer between 0 and 36500 (days)",
    defaultDoc: "30",
    doc: "terminal ops older than this, with their runs, attempts, ledger entries, delivered webhooks, audit rows and resolved alerts, are pruned in small batches (`0` keeps everything)",
  },
  intentKeys: {
    env: "COURIER_INTENT_KEYS",
    kind: "list",
    schema: z.array(z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/)).max(64),
    expect: "comma-separated base58 public keys",
    defaultDoc: "empty",
    doc: "base58 public keys allowed to sign op intents. When set, an op without a valid intent signature is refused at creation, and every run re-verifies its op's signature before anything is signed (docs/security.md)",
  },
} as const satisfies Record<string, FieldSpec>;

export type ConfigKey = keyof typeof FIELDS;
export const CONFIG_KEYS = Object.keys(FIELDS) as ConfigKey[];
