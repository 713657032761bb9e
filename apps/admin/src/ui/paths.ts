/** Where the dashboard lives. */
export const UI_BASE = "/admin/ui";

export function isDashboardPath(path: string): boolean {
  return path === UI_BASE || path.startsWith(`${UI_BASE}/`);
}

export function opPath(id: string): string {
  return `${UI_BASE}/ops/${encodeURIComponent(id)}`;
}
