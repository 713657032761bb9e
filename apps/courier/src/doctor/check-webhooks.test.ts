import { describe, expect, it } from "vitest";
import { checkWebhooks } from "./check-webhooks.js";

describe("doctor: webhooks", () => {
  it("fails receivers without secrets or with a malformed secret, never showing a secret or a URL token", () => {
    const url = "https://hooks.example/courier?token=url-token-123";
    expect(checkWebhooks({ webhookUrls: [], webhookSecrets: [] })).toMatchObject({ status: "ok" });
    expect(checkWebhooks({ webhookUrls: [url], webhookSecrets: [] })).toMatchObject({ status: "fail", detail: expect.stringMatching(/^COURIER_WEBHOOK_SECRETS: required/) });
    const bad = checkWebhooks({ webhookUrls: [url], webhookSecrets: ["good-secret", "whsec_not*base64!"] });
    expect(bad).toMatchObject({ status: "fail", detail: expect.stringMatching(/secret #2: .*not base64/) });
    expect(bad.detail).not.toContain("not*base64!");
    const good = checkWebhooks({ webhookUrls: [url], webhookSecrets: ["good-secret"] });
    expect(good).toMatchObject({ status: "ok" });
    expect(JSON.stringify(good)).not.toMatch(/url-token-123|good-secret/);
  });
});
