/**
 * Issue 16 acceptance, in a real browser (Debian's Chromium through playwright-core) against a
 * real `courier start` (embedded localnet, admin token set): sign-in (wrong token too), pause
 * and resume from the overview checked against /stats and refreshed live, paging through 150
 * ops, an op page showing its attempt's signature, a bulk cancel of 5 ops, the CSRF and
 * cross-origin refusals, Host 421, no console error, no request leaving the service's origin.
 * Issue 17: the API reference page, reached from the nav, shows every operation of the document.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRandomAddress } from "@courier/testing";
import { launchTestBrowser, type TestBrowser } from "./browser.js";
import { type CourierProcess, getFreePort, killAllCourierProcesses, startCourierProcess, stopCourierProcess, waitFor } from "./courier-process.js";

const TOKEN = "dashboard-test-token-0123456789";
const SHOTS = process.env.COURIER_DASHBOARD_SCREENSHOTS ?? null;

let dir: string;
let courier: CourierProcess;
let base: string;
let browser: TestBrowser;

async function api<T = Record<string, unknown>>(method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}/admin/api/courier${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function scheduleTransfer(extra: Record<string, unknown>): Promise<string> {
  const { status, body } = await api<{ id: string }>("POST", "/ops", { action: "sol.transfer", params: { to: getRandomAddress(), lamports: 1_000_000 }, ...extra });
  expect(status).toBe(201);
  return body.id;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "courier-dashboard-"));
  courier = await startCourierProcess({
    args: ["--no-demo"],
    cwd: dir,
    env: {
      COURIER_DB: join(dir, "courier.db"),
      COURIER_ADMIN_PORT: String(await getFreePort()),
      COURIER_ADMIN_TOKEN: TOKEN,
      COURIER_LOCALNET_PORT: "0",
      COURIER_LOCALNET_SLOT_MS: "50",
      COURIER_INSTANCE_ID: "dashboard-e2e",
    },
  });
  base = courier.adminUrl as string;
  browser = await launchTestBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (courier) await stopCourierProcess(courier).catch(() => undefined);
  killAllCourierProcesses();
  rmSync(dir, { recursive: true, force: true });
});

describe("operator dashboard in Chromium", () => {
  it("sends a browser without a session to sign in; a wrong token is refused; the right one opens an HttpOnly SameSite=Strict session", async () => {
    const { page, context } = browser;
    await browser.screenshotOnFailure("login", async () => {
      await page.goto(`${base}/admin/ui`);
      expect(new URL(page.url()).pathname).toBe("/admin/ui/login");
      await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toContain("Courier");
      await page.getByLabel("Admin token").fill("not-the-token-at-all");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByText("That token is not valid.").waitFor();
      expect((await context.cookies()).filter((c) => c.name === "courier_session")).toEqual([]);

      await page.getByLabel("Admin token").fill(TOKEN);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("button", { name: "Pause crank" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/admin/ui");
      const cookie = (await context.cookies()).find((c) => c.name === "courier_session");
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict" });
      expect(cookie?.expires).toBeGreaterThan(Date.now() / 1000);
      await expect(page.getByRole("link", { name: "Overview" }).count()).resolves.toBe(1);
      await expect(page.getByRole("link", { name: "Ops" }).count()).resolves.toBe(1);
      // Nothing is being sent: the overview's send window is the one /stats reports.
      const { send_window } = (await api<{ send_window: { size: number; open: number } }>("GET", "/stats")).body;
      await expect(page.getByTestId("send-window").textContent()).resolves.toContain(`Send window: ${send_window.open} of ${send_window.size} sent`);
    });
  });

  it("pauses and resumes the crank from the overview (checked against /stats), and the overview follows a change made elsewhere without reloading", async () => {
    const { page } = browser;
    await browser.screenshotOnFailure("pause-resume", async () => {
      await page.getByRole("button", { name: "Pause crank" }).click();
      await page.getByRole("button", { name: "Resume crank" }).waitFor();
      expect((await api<{ state: string }>("GET", "/stats")).body.state).toBe("paused");
      await page.getByRole("button", { name: "Resume crank" }).click();
      await page.getByRole("button", { name: "Pause crank" }).waitFor();
      expect((await api<{ state: string }>("GET", "/stats")).body.state).toBe("running");

      // live refresh: a pause through the API shows up on the open page
      await page.evaluate(() => {
        (globalThis as unknown as { marker: number }).marker = 42;
      });
      expect((await api("POST", "/pause", {})).status).toBe(200);
      await page.getByRole("button", { name: "Resume crank" }).waitFor({ timeout: 30_000 });
      expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(42); // same document
      expect((await api("POST", "/resume", {})).status).toBe(200);
      await page.getByRole("button", { name: "Pause crank" }).waitFor({ timeout: 30_000 });
    });
  });

  it("shows an op's attempt with its on-chain signature (no explorer link on the embedded localnet)", async () => {
    const { page } = browser;
    await browser.screenshotOnFailure("op-page", async () => {
      const id = await scheduleTransfer({ idempotency_key: "dashboard-signed" });
      const shown = await waitFor("the transfer to succeed", async () => {
        const { body } = await api<{ status: string; runs: Array<{ attempts: Array<{ signature: string | null }> }> }>("GET", `/ops/${id}`);
        return body.status === "succeeded" ? body : undefined;
      });
      const signature = shown.runs[0]?.attempts[0]?.signature as string;
      expect(signature).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/);

      await page.getByRole("link", { name: "Ops" }).click();
      await page.getByLabel("Search by id or idempotency key").fill("dashboard-signed");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.getByRole("link", { name: id }).click();
      await page.getByRole("heading", { name: "Runs and attempts" }).waitFor();
      await expect(page.getByTestId("op-status").textContent()).resolves.toBe("succeeded");
      const attemptRow = page.locator("table.attempts tbody tr").first();
      await expect(attemptRow.locator("code.signature").textContent()).resolves.toBe(signature);
      await expect(attemptRow.locator("td").nth(2).textContent()).resolves.toBe("ok");
      await expect(page.locator(`a:has(code.signature)`).count()).resolves.toBe(0);
      if (SHOTS) await page.screenshot({ path: join(SHOTS, "dashboard-op.png") });
    });
  });

  it("pages through 150 ops with the cursor, each op exactly once", async () => {
    const { page } = browser;
    await browser.screenshotOnFailure("paging", async () => {
      const created = new Set<string>();
      for (let i = 0; i < 150; i++) created.add(await scheduleTransfer({ delay_ms: 86_400_000 + i * 1000, idempotency_key: `page-${i}` }));
      await page.goto(`${base}/admin/ui/ops?status=pending`);
      const seen: string[] = [];
      for (let pageNo = 0; pageNo < 10; pageNo++) {
        const ids = await page.locator("table.ops tbody input.select-op").evaluateAll((boxes) => boxes.map((b) => (b as unknown as { value: string }).value));
        seen.push(...ids);
        const next = page.getByRole("link", { name: "Next page" });
        if ((await next.count()) === 0) break;
        await next.click();
        await page.locator("table.ops").waitFor();
      }
      expect(seen.length).toBe(150);
      expect(new Set(seen)).toEqual(created);
      if (SHOTS) {
        await page.goto(`${base}/admin/ui/ops`);
        await page.screenshot({ path: join(SHOTS, "dashboard-ops.png") });
      }
    });
  });

  it("cancels 5 selected ops through the bulk API", async () => {
    const { page } = browser;
    await browser.screenshotOnFailure("bulk-cancel", async () => {
      await page.goto(`${base}/admin/ui/ops?status=pending`);
      const boxes = page.locator("table.ops tbody input.select-op");
      const chosen: string[] = [];
      for (let i = 0; i < 5; i++) {
        await boxes.nth(i).check();
        chosen.push(await boxes.nth(i).inputValue());
      }
      await page.getByRole("button", { name: "Cancel selected" }).click();
      await page.getByText("Bulk cancel: 5 selected, 5 changed, 0 skipped.").waitFor();
      for (const id of chosen) expect((await api<{ status: string }>("GET", `/ops/${id}`)).body.status).toBe("cancelled");
      const { body } = await api<{ ops: unknown[] }>("GET", "/ops?status=cancelled");
      expect(body.ops).toHaveLength(5);
    });
  });

  it("refuses a form post with a wrong form token, and a cross-origin post carrying the session cookie", async () => {
    const { page, context } = browser;
    await browser.screenshotOnFailure("csrf", async () => {
      await page.goto(`${base}/admin/ui`);
      await page.locator('form[action="/admin/ui/crank/pause"] input[name="_csrf"]').evaluate((el) => {
        (el as unknown as { value: string }).value = "forged";
      });
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith("/admin/ui/crank/pause")),
        page.getByRole("button", { name: "Pause crank" }).click(),
      ]);
      expect(response.status()).toBe(403);
      expect((await api<{ state: string }>("GET", "/stats")).body.state).toBe("running");

      // the right form token, the session cookie, but another Origin: refused too
      await page.goto(`${base}/admin/ui`);
      const csrf = await page.locator('form[action="/admin/ui/crank/pause"] input[name="_csrf"]').inputValue();
      const forged = await context.request.post(`${base}/admin/ui/crank/pause`, {
        form: { _csrf: csrf },
        headers: { origin: "http://attacker.example" },
        maxRedirects: 0,
      });
      expect(forged.status()).toBe(403);
      expect(await forged.text()).toContain("COURIER__HTTP__FORBIDDEN");
      expect((await api<{ state: string }>("GET", "/stats")).body.state).toBe("running");
      if (SHOTS) {
        await page.goto(`${base}/admin/ui`);
        await page.screenshot({ path: join(SHOTS, "dashboard-overview.png") });
      }
    });
  });

  it("answers 421 to a foreign Host header", async () => {
    const port = Number(new URL(base).port);
    const status = await new Promise<number>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1");
      let data = "";
      socket.setEncoding("utf8").on("data", (c: string) => {
        data += c;
      });
      socket.on("error", reject);
      socket.on("end", () => resolve(Number(data.split(" ")[1])));
      socket.write(`GET /admin/ui HTTP/1.1\r\nHost: attacker.example:${port}\r\nConnection: close\r\n\r\n`);
    });
    expect(status).toBe(421);
  });

  it("opens the API reference from the nav: every operationId of the served OpenAPI document is on it", async () => {
    const { page } = browser;
    await browser.screenshotOnFailure("api-reference", async () => {
      await page.goto(`${base}/admin/ui`);
      await page.getByRole("link", { name: "API", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: /API reference/ }).waitFor();
      const res = await fetch(`${base}/admin/api/openapi.json`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const doc = (await res.json()) as { paths: Record<string, Record<string, { operationId: string }>> };
      const ids = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
      expect(ids.length).toBeGreaterThan(15);
      for (const id of ids) await expect(page.locator(`#op-${id}`).count(), id).resolves.toBe(1);
      // the real process's actions are documented with their params schema
      await expect(page.locator("#schema-params\\.sol\\.transfer").count()).resolves.toBe(1);
    });
  });

  it("logged no console error and made no request outside the service's origin; signs out", async () => {
    const { page, context } = browser;
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Admin token").waitFor();
    expect((await context.cookies()).filter((c) => c.name === "courier_session" && c.value !== "")).toEqual([]);
    expect(browser.errors.filter((e) => !e.includes("403"))).toEqual([]);
    const origin = new URL(base).origin;
    const outside = browser.requests.filter((u) => !u.startsWith("data:") && new URL(u).origin !== origin);
    expect(outside).toEqual([]);
    expect(browser.requests.length).toBeGreaterThan(10);
  });
});
