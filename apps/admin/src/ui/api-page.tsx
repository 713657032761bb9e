/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * GET /admin/ui/api: the API reference, rendered on the server from the OpenAPI document the
 * service serves (openapi/document.ts): every operation with its parameters, body and answers,
 * then every schema. Plain HTML in the dashboard's layout: no script, no CDN, no request
 * anywhere but this service.
 */
import type { Child } from "hono/jsx";
import { ColumnHeads } from "./layout.js";

type Schema = Record<string, unknown>;

interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: Array<{ name: string; in: string; required: boolean; description?: string; schema: Schema }>;
  requestBody?: { required: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
}

export interface ApiDocument {
  info: { title: string; description?: string };
  servers?: Array<{ url: string }>;
  tags?: Array<{ name: string; description?: string }>;
  security?: unknown[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const SCHEMA_REF = "#/components/schemas/";

function SchemaLink(props: { name: string }) {
  return <a href={`#schema-${props.name}`}>{props.name}</a>;
}

/** Bounds and formats worth showing next to a type (`1..500 chars`, `date-time`). */
function getConstraints(s: Schema): string[] {
  const out: string[] = [];
  const range = (min: unknown, max: unknown, unit: string) => {
    const lo = typeof min === "number" ? min : null;
    const hi = typeof max === "number" && max < Number.MAX_SAFE_INTEGER ? max : null;
    if (lo !== null && hi !== null) out.push(`${lo}..${hi}${unit}`);
    else if (lo !== null) out.push(`≥ ${lo}${unit}`);
    else if (hi !== null) out.push(`≤ ${hi}${unit}`);
  };
  range(s.minimum, s.maximum, "");
  range(s.minLength, s.maxLength, " chars");
  range(s.minItems, s.maxItems, " items");
  if (typeof s.format === "string") out.push(s.format);
  else if (typeof s.pattern === "string") out.push(`pattern ${s.pattern}`);
  if (s.default !== undefined) out.push(`default ${JSON.stringify(s.default)}`);
  return out;
}

function join(parts: Child[], sep: string): Child[] {
  return parts.flatMap((p, i) => (i === 0 ? [p] : [sep, p]));
}

/** A schema as a short type expression, with links to the named schemas. */
export function TypeOf(props: { schema: Schema | undefined }): Child {
  const s = props.schema ?? {};
  if (typeof s.$ref === "string") {
    // a ref into a component (a recursive schema's own definitions) links to that component
    const [name = "", ...inside] = s.$ref.slice(SCHEMA_REF.length).split("/");
    return (
      <>
        <SchemaLink name={name} />
        {inside.length > 0 ? <span class="muted"> (recursive)</span> : null}
      </>
    );
  }
  for (const [key, sep] of [["anyOf", " | "], ["oneOf", " | "], ["allOf", " & "]] as const) {
    const list = s[key];
    if (Array.isArray(list)) return <>{join(list.map((x) => <TypeOf schema={x as Schema} />), sep)}</>;
  }
  if (s.const !== undefined) return <code>{JSON.stringify(s.const)}</code>;
  if (Array.isArray(s.enum)) return <code>{s.enum.map((v) => JSON.stringify(v)).join(" | ")}</code>;
  const constraints = getConstraints(s);
  const suffix = constraints.length > 0 ? <span class="muted">{` (${constraints.join(", ")})`}</span> : null;
  if (s.type === "array") {
    return (
      <>
        array of <TypeOf schema={s.items as Schema} />
        {suffix}
      </>
    );
  }
  if (s.type === "object" && s.properties) return <InlineObject schema={s} />;
  if (s.type === "object" && s.additionalProperties && typeof s.additionalProperties === "object") {
    return (
      <>
        map of <TypeOf schema={s.additionalProperties as Schema} />
      </>
    );
  }
  const type = Array.isArray(s.type) ? s.type.join(" | ") : typeof s.type === "string" ? s.type : "any";
  return (
    <>
      <code>{type}</code>
      {suffix}
    </>
  );
}

function InlineObject(props: { schema: Schema }) {
  const properties = props.schema.properties as Record<string, Schema>;
  const required = new Set((props.schema.required as string[] | undefined) ?? []);
  const fields = Object.entries(properties).map(([name, s]) => (
    <>
      <code>{required.has(name) ? name : `${name}?`}</code>: <TypeOf schema={s} />
    </>
  ));
  return <>{["{ ", ...join(fields, "; "), " }"]}</>;
}

function Properties(props: { schema: Schema }) {
  const properties = props.schema.properties as Record<string, Schema>;
  const required = new Set((props.schema.required as string[] | undefined) ?? []);
  if (Object.keys(properties).length === 0) return <p>An empty object: <code>{"{}"}</code></p>;
  return (
    <table>
      <ColumnHeads cols={["Field", "Type", "Required", "Description"]} />
      <tbody>
        {Object.entries(properties).map(([name, s]) => (
          <tr>
            <td>
              <code>{name}</code>
            </td>
            <td>
              <TypeOf schema={s} />
            </td>
            <td>{required.has(name) ? "yes" : "no"}</td>
            <td>{typeof s.description === "string" ? s.description : ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function bodyOf(content: Record<string, { schema: Schema }> | undefined): Child {
  const [mediaType, media] = Object.entries(content ?? {})[0] ?? [];
  if (!mediaType || !media) return <span class="muted">no body</span>;
  return (
    <>
      <TypeOf schema={media.schema} /> <span class="muted">({mediaType})</span>
    </>
  );
}

function OperationSection(props: { method: string; path: string; op: Operation; open: boolean }) {
  const { op } = props;
  return (
    <section id={`op-${op.operationId}`} aria-labelledby={`op-${op.operationId}-h`}>
      <h3 id={`op-${op.operationId}-h`}>
        <code>{`${props.method.toUpperCase()} ${props.path}`}</code> — {op.summary}
      </h3>
      <dl class="facts">
        <dt>operationId</dt>
        <dd>
          <code>{op.operationId}</code>
        </dd>
        <dt>Auth</dt>
        <dd>{props.open ? "none" : "bearer token (when COURIER_ADMIN_TOKEN is set)"}</dd>
      </dl>
      {op.description ? <p>{op.description}</p> : null}
      {op.parameters && op.parameters.length > 0 ? (
        <table>
          <caption>Parameters</caption>
          <ColumnHeads cols={["Name", "In", "Type", "Required", "Description"]} />
          <tbody>
            {op.parameters.map((p) => (
              <tr>
                <td>
                  <code>{p.name}</code>
                </td>
                <td>{p.in}</td>
                <td>
                  <TypeOf schema={p.schema} />
                </td>
                <td>{p.required ? "yes" : "no"}</td>
                <td>{p.description ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {op.requestBody ? (
        <p>
          Body{op.requestBody.required ? "" : " (optional)"}: {bodyOf(op.requestBody.content)}
        </p>
      ) : null}
      <table>
        <caption>Responses</caption>
        <ColumnHeads cols={["Status", "When", "Body"]} />
        <tbody>
          {Object.entries(op.responses).map(([status, r]) => (
            <tr>
              <td>{status}</td>
              <td>{r.description}</td>
              <td>{bodyOf(r.content)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ApiPage(props: { doc: ApiDocument; documentHref: string }) {
  const { doc } = props;
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
  const isOpen = (op: Operation) => (op.security ?? doc.security ?? []).length === 0;
  const tags = doc.tags ?? [];
  return (
    <>
      <p>
        {doc.info.description} The machine-readable document is <a href={props.documentHref}>{props.documentHref}</a>
        {doc.servers?.[0] ? (
          <>
            {" "}
            (server <code>{doc.servers[0].url}</code>)
          </>
        ) : null}
        .
      </p>
      <div class="toc">
        {tags.map((tag) => (
          <>
            <h2>{tag.name}</h2>
            {tag.description ? <p class="muted">{tag.description}</p> : null}
            <ul>
              {operations
                .filter(({ op }) => op.tags?.includes(tag.name))
                .map(({ path, method, op }) => (
                  <li>
                    <a href={`#op-${op.operationId}`}>
                      <code>{`${method.toUpperCase()} ${path}`}</code>
                    </a>{" "}
                    {op.summary}
                  </li>
                ))}
            </ul>
          </>
        ))}
      </div>
      <h2>Operations</h2>
      {operations.map(({ path, method, op }) => (
        <OperationSection path={path} method={method} op={op} open={isOpen(op)} />
      ))}
      <h2>Schemas</h2>
      {Object.entries(doc.components.schemas).map(([name, s]) => (
        <section id={`schema-${name}`} aria-labelledby={`schema-${name}-h`}>
          <h3 id={`schema-${name}-h`}>{name}</h3>
          {typeof s.description === "string" ? <p>{s.description}</p> : null}
          {s.type === "object" && s.properties ? <Properties schema={s} /> : <p><TypeOf schema={s} /></p>}
        </section>
      ))}
    </>
  );
}
