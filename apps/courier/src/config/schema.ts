/** The one config schema, built from FIELDS, and the defaults written against its type. */
import { z } from "zod";
import { CONFIG_KEYS, type ConfigKey, FIELDS } from "./fields.js";

type Shape = { [K in ConfigKey]: (typeof FIELDS)[K]["schema"] };

function buildShape(): Shape {
  const shape: Partial<Record<ConfigKey, z.ZodType>> = {};
  for (const key of CONFIG_KEYS) shape[key] = FIELDS[key].schema;
  return shape as Shape;
}

/** Strict: an unknown key in a config file is an error (a typo must not be ignored). */
export const configSchema = z.strictObject(buildShape());

/** What the schema accepts; `instanceId` null means "derive from host name and pid". */
export type ConfigValues = z.infer<typeof configSchema>;

/** The resolved config every part of Courier receives. */
export type Config = Omit<ConfigValues, "instanceId"> & { instanceId: string };

export const CONFIG_DEFAULTS = {
  db: "./.courier/courier.db",
  dbSchema: "courier",
  rpcUrls: [],
  rpcRate: "auto",
  keypair: null,
  adminHost: "127.0.0.1",
  adminPort: 8787,
  adminToken: null,
  adminAllowedHosts: [],
  explorerUrl: null,
  instanceId: null,
  concurrency: 16,
  leaseMs: 30_000,
  commitment: "confirmed",
  localnetPort: 8899,
  localnetSlotMs: 400,
  localnetState: null,
  logLevel: "info",
  maxLamportsPerOp: null,
  dailyCapLamports: null,
  feeCeilingMicrolamports: 100_000,
  feePercentile: 75,
  idlDir: "./idl",
  actions: [],
  batchSize: 64,
  shutdownGraceMs: 10_000,
  demo: true,
  webhookUrls: [],
  webhookSecrets: [],
  supervisorMaxRestarts: 5,
  supervisorWindowMs: 300_000,
  supervisorCooldownMs: 1_000,
  alertRpcDownMs: 60_000,
  alertOverdueMs: 300_000,
  alertMinBalanceLamports: 100_000_000,
  alertIntervalMs: 10_000,
  retentionDays: 30,
  intentKeys: [],
} satisfies ConfigValues;

/** Where the dev keypair lives when COURIER_KEYPAIR is unset on the embedded localnet. */
export const DEV_KEYPAIR_PATH = "./.courier/dev-keypair.json";
