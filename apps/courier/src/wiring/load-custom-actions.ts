/**
 * COURIER_ACTIONS: ES modules that add actions. A module's default export and each named export
 * may be an action definition, an array of them, or a function `(kit) => definition(s)` given
 * Courier's own zod and @solana/web3.js (so a module needs no dependencies of its own). An
 * action definition is `{name, description?, params: zod schema, build(params, ctx)}` (see
 * docs/actions.md). A module that cannot be loaded, or exports nothing usable, stops the
 * process with a config error naming the path.
 */
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { CourierError } from "@courier/agent";
import type { SolanaActionDef } from "@courier/solana";

export interface ActionKit {
  z: typeof import("zod").z;
  web3: typeof import("@solana/web3.js");
}

export async function loadCustomActions(paths: readonly string[], cwd = process.cwd()): Promise<SolanaActionDef[]> {
  if (paths.length === 0) return [];
  const kit: ActionKit = { z: (await import("zod")).z, web3: await import("@solana/web3.js") };
  const defs: SolanaActionDef[] = [];
  for (const path of paths) {
    const abs = isAbsolute(path) ? path : resolve(cwd, path);
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
    } catch (e) {
      throw configError(path, `cannot load: ${firstLine(e)}`);
    }
    const found: SolanaActionDef[] = [];
    for (const [name, value] of Object.entries(mod)) {
      const produced = typeof value === "function" && !isActionDef(value) ? await callFactory(path, name, value as (kit: ActionKit) => unknown, kit) : value;
      for (const item of Array.isArray(produced) ? produced : [produced]) {
        if (isActionDef(item)) found.push(item);
        else if (name === "default" || Array.isArray(produced) || typeof value === "function") {
          throw configError(path, `export ${name} is not an action definition ({name, params: zod schema, build})`);
        }
      }
    }
    if (found.length === 0) throw configError(path, "exports no action definition");
    defs.push(...found);
  }
  return defs;
}

function isActionDef(v: unknown): v is SolanaActionDef {
  if (!v || typeof v !== "object") return false;
  const d = v as Record<string, unknown>;
  const params = d.params as { safeParse?: unknown } | undefined;
  return typeof d.name === "string" && d.name.length > 0 && typeof params?.safeParse === "function" && typeof d.build === "function";
}

async function callFactory(path: string, name: string, fn: (kit: ActionKit) => unknown, kit: ActionKit): Promise<unknown> {
  try {
    return await fn(kit);
  } catch (e) {
    throw configError(path, `export ${name} threw: ${firstLine(e)}`);
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0]?.slice(0, 300) ?? "";
}

function configError(path: string, message: string): CourierError {
  return new CourierError("COURIER__CONFIG", `COURIER_ACTIONS ${path}: ${message}`, { field: "COURIER_ACTIONS", path });
}
