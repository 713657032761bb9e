/** The config as it may appear in a log line: secrets removed, RPC URLs stripped of keys. */
import { redactUrl } from "@courier/solana";
import type { Config } from "../config/index.js";
import { describeDb } from "./open-store.js";

export function getLoggableConfig(config: Config): Record<string, unknown> {
  const { adminToken, rpcUrls, db, webhookUrls, webhookSecrets, ...rest } = config;
  return {
    db: describeDb(db),
    ...rest,
    adminToken: adminToken ? "[set]" : null,
    rpcUrls: rpcUrls.map(redactUrl),
    webhookUrls: webhookUrls.map(redactUrl),
    // Only how many: a secret's value never appears in a log line or `courier config`.
    webhookSecrets: webhookSecrets.length > 0 ? `[${webhookSecrets.length} set]` : null,
  };
}
