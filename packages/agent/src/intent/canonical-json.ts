/**
 * RFC 8785 JSON Canonicalization Scheme (JCS), for the values an op intent holds.
 *
 * Hand-written rather than a dependency: for JSON values (no bigint, no undefined) JCS is
 * JSON.stringify's own number and string serialization (ECMAScript Number::toString, the
 * shortest escapes, lower-case \u00xx) with object keys sorted by UTF-16 code units, which is
 * what Array#sort compares. That is ~40 lines; the npm packages doing it add nothing but a
 * supply-chain edge to the code that decides what an owner signed.
 *
 * Refused (throws TypeError), as RFC 8785 requires or because JSON cannot carry them:
 * non-finite numbers, lone surrogates, undefined, functions, symbols, bigint, and objects
 * other than plain objects and arrays (a Date would serialize through toJSON and lose its type).
 */

export function canonicalizeJson(value: unknown): string {
  return serialize(value, "$");
}

function serialize(value: unknown, path: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} has no JSON form`);
      // Number::toString is the JCS number format; -0 serializes as 0 (JSON.stringify does the same).
      return JSON.stringify(value);
    case "string":
      return serializeString(value, path);
    case "object":
      if (Array.isArray(value)) return `[${value.map((v, i) => serialize(v, `${path}[${i}]`)).join(",")}]`;
      if (!isPlainObject(value)) throw new TypeError(`${path}: only plain objects and arrays are JSON`);
      return serializeObject(value, path);
    default:
      throw new TypeError(`${path}: a ${typeof value} has no JSON form`);
  }
}

function serializeObject(obj: Record<string, unknown>, path: string): string {
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    const v = obj[key];
    if (v === undefined) throw new TypeError(`${path}.${key}: undefined has no JSON form`);
    parts.push(`${serializeString(key, path)}:${serialize(v, `${path}.${key}`)}`);
  }
  return `{${parts.join(",")}}`;
}

// A surrogate not paired with its partner: RFC 8785 §3.2.2.2 makes it an error.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function serializeString(s: string, path: string): string {
  if (LONE_SURROGATE.test(s)) throw new TypeError(`${path}: a string with a lone surrogate has no canonical form`);
  return JSON.stringify(s);
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
