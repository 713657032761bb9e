/** Doctor: webhook receivers have signing secrets, and every secret is well-formed (never shown). */
import { coerceError, getWebhookSecretKey } from "@courier/agent";
import { redactUrl } from "@courier/solana";
import type { Config } from "../config/index.js";
import { assertWebhookConfig } from "../wiring/webhooks-and-alerts.js";
import type { DoctorCheck } from "./types.js";

export function checkWebhooks(config: Pick<Config, "webhookUrls" | "webhookSecrets">): DoctorCheck {
  if (config.webhookUrls.length === 0) return { check: "webhooks", status: "ok", detail: "off (no COURIER_WEBHOOK_URLS)" };
  try {
    assertWebhookConfig(config);
    config.webhookSecrets.forEach((secret, i) => {
      try {
        getWebhookSecretKey(secret);
      } catch (e) {
        throw new Error(`COURIER_WEBHOOK_SECRETS: secret #${i + 1}: ${coerceError(e).message}`);
      }
    });
  } catch (e) {
    return { check: "webhooks", status: "fail", detail: coerceError(e).message };
  }
  return {
    check: "webhooks",
    status: "ok",
    detail: `${config.webhookUrls.map(redactUrl).join(", ")} (${config.webhookSecrets.length} signing secret(s))`,
  };
}
