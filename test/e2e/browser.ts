/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), started the way this
 * machine needs: headless, no sandbox (root), nothing that phones home, a fresh profile each time.
 * On failure a test saves a screenshot and prints its path.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far. */
  errors: string[];
  /** Every request URL the page made. */
  requests: string[];
  screenshotOnFailure<T>(name: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function launchTestBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "courier-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    viewport: { width: 1100, height: 800 },
    timeout: 60_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  context.on("request", (r) => {
    requests.push(r.url());
  });

  async function screenshotOnFailure<T>(name: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const path = join(tmpdir(), `courier-ui-failure-${name}-${Date.now()}.png`);
      await page.screenshot({ path, fullPage: true }).catch(() => undefined);
      console.error(`dashboard test "${name}" failed; screenshot: ${path}`);
      throw e;
    }
  }

  return {
    context,
    page,
    errors,
    requests,
    screenshotOnFailure,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
