/**
 * The OpenAPI 3.1 document of the admin API, generated from the zod schemas: the inputs the
 * handlers validate with (REQUEST_SCHEMAS, the query schemas, each registered action's params)
 * and the answers they return (api-schemas.ts), laid out by the operations table.
 */
import { z } from "zod";
import { apiResponseSchemas } from "../api-schemas.js";
import type { AdminDeps } from "../types.js";
import { API_TAGS, type ApiOperation, getApiOperations, REQUEST_SCHEMAS } from "./operations.js";

export type JsonSchema = Record<string, unknown>;

export const DEFAULT_SERVER_URL = "http://127.0.0.1:8787";
const SCHEMAS = "#/components/schemas/";

/** Why each status that several operations share is answered. */
const COMMON_ERRORS: Record<number, string> = {
  401: "missing or wrong bearer token (COURIER__HTTP__UNAUTHORIZED)",
  403: "a state change from another origin (COURIER__HTTP__FORBIDDEN)",
  413: "the body is over the limit (COURIER__HTTP__PAYLOAD_TOO_LARGE)",
  415: "a body that is not application/json (COURIER__HTTP__UNSUPPORTED_MEDIA_TYPE)",
  421: "a Host header the service does not answer for (COURIER__HTTP__MISDIRECTED)",
  500: "an unexpected error: the message is generic, the details are in the process log",
  503: "the store is busy, unavailable or in safe mode (COURIER__STORE__*): retry later, see GET /readyz",
};

function clean(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

/**
 * A component's JSON Schema. zod writes the refs of a recursive schema (anchor.invoke's nested
 * account groups) relative to the schema's own root (`#/$defs/…`, `#/properties/…`); inside
 * the document they must point into the component.
 */
function toComponentJson(name: string, schema: z.ZodType): JsonSchema {
  const json = clean(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema);
  const root = `${SCHEMAS}${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
  const rebase = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rebase);
    if (node === null || typeof node !== "object") return node;
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, k === "$ref" && typeof v === "string" && v.startsWith("#") ? `${root}${v.slice(1)}` : rebase(v)]),
    );
  };
  return rebase(json) as JsonSchema;
}

function getResponseComponents(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(apiResponseSchemas, { uri: (id) => `${SCHEMAS}${id}`, unrepresentable: "any" }) as {
    schemas: Record<string, JsonSchema>;
  };
  return Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, clean(s)]));
}

/** Query parameters as the handler reads them (after parsing: `limit` is an integer 1..500, not a digit string). */
function queryParameters(schema: z.ZodType): JsonSchema[] {
  const json = clean(z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as JsonSchema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: "query", required: json.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: rest };
  });
}

const ref = (name: string) => ({ $ref: `${SCHEMAS}${name}` });
const jsonContent = (name: string) => ({ "application/json": { schema: ref(name) } });
const errorAnswer = (description: string) => ({ description, content: jsonContent("Error") });

function getResponses(op: ApiOperation, hasToken: boolean): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [status, answer] of Object.entries(op.answers)) {
    out[status] =
      answer.schema === "text"
        ? { description: answer.description, content: { "text/plain": { schema: { type: "string" } } } }
        : { description: answer.description, content: jsonContent(answer.schema) };
  }
  const common = [
    op.auth && hasToken ? 401 : null,
    op.method === "post" ? 403 : null,
    op.method === "post" ? 413 : null,
    op.body ? 415 : null,
    421,
    500,
    op.store ? 503 : null,
  ];
  for (const [status, why] of Object.entries(op.errors ?? {})) out[status] = errorAnswer(why);
  for (const status of common) if (status !== null && !out[status]) out[status] = errorAnswer(COMMON_ERRORS[status] ?? "refused");
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => Number(a) - Number(b)));
}

function getOperation(op: ApiOperation, hasToken: boolean, actionNames: string[]): JsonSchema {
  const bodySchema = op.body?.schema === "CreateOp" ? getCreateOpBodySchema(actionNames) : ref(op.body?.schema ?? "EmptyBody");
  const parameters = [
    ...(op.opId ? [{ name: "id", in: "path", required: true, description: "The op's id.", schema: { type: "string", minLength: 1 } }] : []),
    ...(op.query ? queryParameters(op.query) : []),
  ];
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.tag],
    ...(op.auth ? {} : { security: [] }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: op.body.required, content: { "application/json": { schema: bodySchema } } } } : {}),
    responses: getResponses(op, hasToken),
  };
}

/**
 * The create body: CreateOp and, for each registered action, its params schema
 * (`params.<action>`), so a client knows what `params` each action takes.
 */
function getCreateOpBodySchema(actionNames: string[]): JsonSchema {
  if (actionNames.length === 0) return ref("CreateOp");
  const byAction = actionNames.map((name) => ({
    type: "object",
    properties: { action: { const: name }, params: ref(`params.${name}`) },
    required: ["action"],
  }));
  return { allOf: [ref("CreateOp"), byAction.length === 1 ? byAction[0] : { oneOf: byAction }] };
}

/** `servers`: the origin a client reached this process's admin service at. */
export function getServers(url: string): JsonSchema[] {
  return [{ url, description: "this Courier process's admin service" }];
}

export function createOpenApiDocument(deps: AdminDeps, opts: { serverUrl?: string } = {}): JsonSchema {
  const actionSchemas: Record<string, JsonSchema> = {};
  const actionNames: string[] = [];
  for (const name of deps.registry.list()) {
    const def = deps.registry.get(name);
    if (!def) continue;
    actionNames.push(name);
    actionSchemas[`params.${name}`] = { ...toComponentJson(`params.${name}`, def.params), description: def.description ?? `params of ${name}` };
  }
  const hasToken = Boolean(deps.token);
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of getApiOperations(deps)) {
    paths[op.path] ??= {};
    (paths[op.path] as Record<string, JsonSchema>)[op.method] = getOperation(op, hasToken, actionNames);
  }
  const requestSchemas = Object.fromEntries(Object.entries(REQUEST_SCHEMAS).map(([name, schema]) => [name, toComponentJson(name, schema)]));
  return {
    openapi: "3.1.0",
    info: {
      title: "Courier admin API",
      version: "1",
      description: "Schedule and operate ops of a Courier crank. docs/api.md explains every rule; this document is generated from the same zod schemas the handlers use.",
    },
    servers: getServers(opts.serverUrl ?? DEFAULT_SERVER_URL),
    tags: Object.entries(API_TAGS).map(([name, description]) => ({ name, description })),
    security: hasToken ? [{ bearer: [] }] : [],
    paths,
    components: {
      // without a token the service is open (loopback only): there is no scheme to declare
      ...(hasToken ? { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "COURIER_ADMIN_TOKEN" } } } : {}),
      schemas: { ...requestSchemas, ...getResponseComponents(), ...actionSchemas },
    },
  };
}
