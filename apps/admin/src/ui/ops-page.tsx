/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The ops list: filters (status, action), search by id or idempotency key, cursor paging, and
 * a multi-select form whose buttons post to the bulk API. Reading needs no script; the script
 * only adds "select all".
 */
import { OP_STATUSES, type Op } from "@courier/agent";
import { formatUtc } from "./format.js";
import { CsrfField } from "./layout.js";
import { opPath, UI_BASE } from "./paths.js";

export interface OpsQuery {
  status: string | null;
  action: string | null;
  q: string | null;
  cursor: string | null;
}

export function OpsPage(props: { query: OpsQuery; ops: Op[]; nextCursor: string | null; csrf: string | null }) {
  const { query } = props;
  const keep = (extra: Record<string, string>) => {
    const p = new URLSearchParams();
    if (query.status) p.set("status", query.status);
    if (query.action) p.set("action", query.action);
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    const s = p.toString();
    return `${UI_BASE}/ops${s ? `?${s}` : ""}`;
  };
  return (
    <>
      <form method="get" action={`${UI_BASE}/ops`} class="filters" aria-label="Filter and search ops">
        <label>
          Status{" "}
          <select name="status">
            <option value="">any</option>
            {OP_STATUSES.map((s) => (
              <option value={s} selected={query.status === s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Action <input name="action" value={query.action ?? ""} maxlength={128} placeholder="e.g. sol.transfer" />
        </label>
        <label>
          Search by id or idempotency key <input name="q" type="search" value={query.q ?? ""} maxlength={256} />
        </label>
        <button type="submit">Apply</button>
      </form>

      <form method="post" action={`${UI_BASE}/ops/bulk`} id="bulk">
        <CsrfField csrf={props.csrf} />
        <fieldset class="bulk">
          <legend>Selected ops</legend>
          <button type="submit" name="bulk_action" value="cancel">
            Cancel selected
          </button>
          <button type="submit" name="bulk_action" value="retry">
            Retry selected
          </button>
          <button type="submit" name="bulk_action" value="pause">
            Pause selected
          </button>
          <button type="submit" name="bulk_action" value="resume">
            Resume selected
          </button>
        </fieldset>
        {props.ops.length === 0 ? (
          <p>No op matches.</p>
        ) : (
          <table class="ops">
            <caption>{`${props.ops.length} ops on this page`}</caption>
            <thead>
              <tr>
                <th scope="col">
                  <input type="checkbox" id="select-all" aria-label="Select all ops on this page" hidden />
                </th>
                <th scope="col">Id</th>
                <th scope="col">Action</th>
                <th scope="col">Status</th>
                <th scope="col">Next run</th>
                <th scope="col">Run</th>
                <th scope="col">Attempts</th>
                <th scope="col">Idempotency key</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {props.ops.map((op) => (
                <tr>
                  <td>
                    <input type="checkbox" name="id" value={op.id} aria-label={`Select ${op.id}`} class="select-op" />
                  </td>
                  <td>
                    <a href={opPath(op.id)}>{op.id}</a>
                  </td>
                  <td>{op.action}</td>
                  <td>
                    <span class={`status ${op.status}`}>{op.status}</span>
                  </td>
                  <td>{op.status === "pending" ? formatUtc(op.next_exec) : "—"}</td>
                  <td>{op.run}</td>
                  <td>{op.attempts}</td>
                  <td>{op.idempotency_key ?? "—"}</td>
                  <td class="error">{op.last_error ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </form>
      <nav aria-label="Pages" class="pager">
        {query.cursor ? <a href={keep({})}>First page</a> : null}
        {props.nextCursor ? (
          <a href={keep({ cursor: props.nextCursor })} rel="next">
            Next page
          </a>
        ) : null}
      </nav>
    </>
  );
}
