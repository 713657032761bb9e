/**
 * Test helper (`@courier/testing/openapi`, apart from the kit's index so that importing it loads
 * no Solana code): checks a live answer of the admin service against the OpenAPI document it serves.
 * The answer's status must be listed explicitly for its operation (no `default`), its content
 * type must be the documented one, and a JSON body must validate (ajv, JSON Schema 2020-12,
 * formats checked). Every checked `METHOD template status` is recorded for coverage.
 */
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

export interface OpenApiDoc {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
  components: { schemas: Record<string, object> };
}

export interface CheckedAnswer {
  status: number;
  template: string;
  // biome-ignore lint/suspicious/noExplicitAny: a validated JSON body, read by the tests
  body: any;
}

/** The document's path template for a concrete path: literal segments win over `{id}`. */
export function findTemplate(doc: OpenApiDoc, path: string): string | null {
  const templates = Object.keys(doc.paths).sort((a, b) => a.split("{").length - b.split("{").length);
  for (const t of templates) {
    const re = new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "[^/]+")}$`);
    if (re.test(path)) return t;
  }
  return null;
}

export function createOpenApiValidator(doc: OpenApiDoc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  // the document itself is the schema resource: `#/components/schemas/X` refs resolve in it
  const base = "https://courier.invalid/openapi.json";
  ajv.addSchema({ $id: base, paths: doc.paths, components: doc.components }, undefined, undefined, false);
  const pointer = (...parts: string[]) => parts.map((p) => `/${encodeURIComponent(p.replace(/~/g, "~0").replace(/\//g, "~1"))}`).join("");
  const covered = new Set<string>();

  async function check(method: string, path: string, res: Response): Promise<CheckedAnswer> {
    const pathname = path.split("?")[0] ?? path;
    const template = findTemplate(doc, pathname);
    if (!template) throw new Error(`${method} ${pathname}: no path of the document matches`);
    const operation = doc.paths[template]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${method} ${template}: not in the document`);
    const response = operation.responses[String(res.status)];
    if (!response) throw new Error(`${method} ${template}: status ${res.status} is not documented (${await res.text()})`);
    const [mediaType, media] = Object.entries(response.content ?? {})[0] ?? [];
    const contentType = res.headers.get("content-type") ?? "";
    const text = await res.text();
    covered.add(`${method.toUpperCase()} ${template} ${res.status}`);
    if (!mediaType || !media) return { status: res.status, template, body: text };
    if (!contentType.startsWith(mediaType)) throw new Error(`${method} ${template} ${res.status}: content-type ${contentType}, documented ${mediaType}`);
    if (mediaType !== "application/json") return { status: res.status, template, body: text };
    const body = JSON.parse(text) as unknown;
    const ref = `${base}#${pointer("paths", template, method.toLowerCase(), "responses", String(res.status), "content", mediaType, "schema")}`;
    const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
    if (!validate(body)) {
      throw new Error(`${method} ${template} ${res.status}: body does not match the document: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 2000)}`);
    }
    return { status: res.status, template, body };
  }

  return { check, covered };
}
