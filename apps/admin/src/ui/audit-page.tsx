/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** Operator actions and supervisor events (the audit log), and every alert with its state. */
import type { AlertRecord, AuditEvent } from "@courier/agent";
import { ColumnHeads } from "./layout.js";
import { formatUtc } from "./format.js";
import { opPath } from "./paths.js";

export function AuditPage(props: { events: AuditEvent[]; alerts: AlertRecord[] }) {
  return (
    <>
      <section aria-labelledby="alerts-h">
        <h2 id="alerts-h">Alerts</h2>
        {props.alerts.length === 0 ? (
          <p>No alert has fired.</p>
        ) : (
          <table>
            <ColumnHeads cols={["Alert", "State", "Since", "Details"]} />
            <tbody>
              {props.alerts.map((a) => (
                <tr>
                  <td>{a.key}</td>
                  <td>
                    <span class={`alert ${a.state}`}>{a.state}</span>
                  </td>
                  <td>{formatUtc(a.since)}</td>
                  <td>
                    <code>{JSON.stringify(a.data)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="audit-h">
        <h2 id="audit-h">Audit log (newest first)</h2>
        {props.events.length === 0 ? (
          <p>No event yet.</p>
        ) : (
          <table>
            <ColumnHeads cols={["At", "Event", "Op", "Instance", "Details"]} />
            <tbody>
              {props.events.map((e) => (
                <tr>
                  <td>{formatUtc(e.at)}</td>
                  <td>{e.kind}</td>
                  <td>{e.op_id ? <a href={opPath(e.op_id)}>{e.op_id}</a> : "—"}</td>
                  <td>{e.instance ?? "—"}</td>
                  <td>
                    <code>{JSON.stringify(e.data)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
