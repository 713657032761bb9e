/**
 * Read-only views the admin API composes (op detail, stats) served to the CLI by the same
 * admin app, called in-process: `courier stats` and `GET /admin/api/courier/stats` cannot
 * disagree because they are one code path. Nothing listens on a port.
 */
import { CourierError, type ErrorCode, type Store, createActionRegistry, systemClock } from "@courier/agent";
import { createAdminApp } from "@courier/admin";

export async function getFromLocalAdmin(store: Store, instanceId: string, path: string, spendCapPerDay: number | null): Promise<unknown> {
  const app = createAdminApp({ store, registry: createActionRegistry(), clock: systemClock, instanceId, token: null, spendCapPerDay });
  const response = await app.request(path);
  const body = (await response.json()) as { error?: { code?: string; message?: string } };
  if (response.ok) return body;
  const code = (body.error?.code ?? "COURIER__UNKNOWN") as ErrorCode;
  throw new CourierError(code, body.error?.message ?? `admin answered ${response.status}`, { status: response.status });
}
