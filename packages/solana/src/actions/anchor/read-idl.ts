/**
 * An IDL given as a path is read only from under the configured IDL directory: the admin API
 * takes the path from a request body, so anything else would let a caller read any file the
 * process can. Errors name the path the caller gave and never repeat file contents.
 */
import { readFile, realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { CourierError } from "@courier/agent";

/** Largest IDL file accepted (real IDLs are tens of KB). */
const MAX_IDL_BYTES = 4 * 1024 * 1024;

export async function readIdlFile(path: string, idlDir: string): Promise<Record<string, unknown>> {
  const root = resolve(idlDir);
  const wanted = resolve(root, path);
  if (!isInside(root, wanted)) throw refuse(path, `must be a path under the IDL directory (COURIER_IDL_DIR)`);
  let real: string;
  try {
    // Symlinks are followed before the check, so a link inside the directory cannot point out.
    real = await realpath(wanted);
  } catch {
    throw refuse(path, "no such IDL file under the IDL directory");
  }
  const realRoot = await realpath(root).catch(() => root);
  if (!isInside(realRoot, real)) throw refuse(path, `must be a path under the IDL directory (COURIER_IDL_DIR)`);
  let text: string;
  try {
    const bytes = await readFile(real);
    if (bytes.length > MAX_IDL_BYTES) throw new Error("too large");
    text = bytes.toString("utf8");
  } catch {
    throw refuse(path, "cannot read the IDL file");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message quotes the text it choked on: say only that it is not JSON.
    throw refuse(path, "the IDL file is not valid JSON");
  }
  if (!json || typeof json !== "object" || Array.isArray(json)) throw refuse(path, "the IDL file is not a JSON object");
  return json as Record<string, unknown>;
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}

function refuse(path: string, reason: string): CourierError {
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  return new CourierError("COURIER__ACTION__INVALID_PARAMS", `params.idl: ${reason} (${JSON.stringify(shown)})`, {
    action: "anchor.invoke",
    field: "params.idl",
    issues: [{ path: "params.idl", message: reason }],
  });
}
