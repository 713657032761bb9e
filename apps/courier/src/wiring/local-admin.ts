/**
 * The admin API, called in-process by the CLI: `courier ops show|cancel|retry`, `stats`,
 * `pause` and `resume` run the very code that serves `/admin/api/courier/*` (the same JSON,
 * the same audit events, the same rules), against the store named by COURIER_DB. Nothing
 * listens on a port.
 */
import { CourierError, type ErrorCode, type OperatorConsoleStore, createActionRegistry, systemClock } from "@courier/agent";
import { type AdminLogger, createAdminApp } from "@courier/admin";

export interface LocalAdmin {
  get(path: string): Promise<unknown>;
  post(path: string, body?: unknown): Promise<unknown>;
}

export function createLocalAdmin(store: OperatorConsoleStore, opts: { instanceId: string; spendCapPerDay: number | null }): LocalAdmin {
  // A 500 answer is generic by design; keep the logged cause so the CLI can say what failed.
  let lastError: { code?: string; message?: string } | null = null;
  const logger: AdminLogger = {
    error: (obj) => {
      lastError = ((obj as { err?: { code?: string; message?: string } }).err ?? null) as typeof lastError;
    },
    warn: () => {},
    info: () => {},
  };
  const app = createAdminApp({
    store,
    // Reads and operator verbs only: scheduling goes through `courier schedule` and scheduleOp.
    registry: createActionRegistry(),
    clock: systemClock,
    instanceId: opts.instanceId,
    token: null,
    spendCapPerDay: opts.spendCapPerDay,
    logger,
  });

  async function request(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
    lastError = null;
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { "content-type": "application/json" };
    }
    const response = await app.request(path, init);
    const json = (await response.json()) as { error?: { code?: string; message?: string } };
    if (response.ok) return json;
    const cause = (lastError ?? json.error ?? {}) as { code?: string; message?: string };
    throw new CourierError((cause.code ?? "COURIER__UNKNOWN") as ErrorCode, cause.message ?? `admin API answered ${response.status}`, {
      status: response.status,
    });
  }

  return { get: (path) => request("GET", path), post: (path, body) => request("POST", path, body) };
}
