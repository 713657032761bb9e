/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * One op: its schedule in words and next runs (UTC and its own zone), its runs with each
 * attempt's outcome, error, latency and signature, its ledger entries, and the operator verbs.
 */
import type { AttemptRecord, LedgerEntry, Op } from "@courier/agent";
import { getExplorerLink } from "./explorer.js";
import { formatInZone, formatMs, formatSol, formatUtc } from "./format.js";
import { ColumnHeads, CsrfField } from "./layout.js";
import { opPath } from "./paths.js";
import { describeSchedule, getNextRuns, getOpZone } from "./schedule-words.js";

/** Runs shown on the page, newest first (a long-lived recurring op has many). */
export const MAX_RUNS_SHOWN = 50;

export function OpPage(props: { op: Op; attempts: AttemptRecord[]; ledger: LedgerEntry[]; explorerUrl: string | null; csrf: string | null }) {
  const { op } = props;
  const zone = getOpZone(op.schedule);
  const nextRuns = getNextRuns(op, 5);
  const runs = groupRuns(props.attempts, props.ledger).slice(0, MAX_RUNS_SHOWN);
  return (
    <>
      <dl class="facts">
        <dt>Id</dt>
        <dd data-testid="op-id">{op.id}</dd>
        <dt>Action</dt>
        <dd>{op.action}</dd>
        <dt>Status</dt>
        <dd>
          <span class={`status ${op.status}`} data-testid="op-status">
            {op.status}
          </span>
        </dd>
        <dt>Schedule</dt>
        <dd>{describeSchedule(op.schedule, op.next_exec)}</dd>
        <dt>Runs done</dt>
        <dd>
          {op.exec_count}
          {op.max_exec === null ? "" : ` of ${op.max_exec}`}
        </dd>
        <dt>Idempotency key</dt>
        <dd>{op.idempotency_key ?? "—"}</dd>
        <dt>Last error</dt>
        <dd class="error">{op.last_error ?? "—"}</dd>
        <dt>Params</dt>
        <dd>
          <code>{JSON.stringify(op.params)}</code>
        </dd>
      </dl>

      <section aria-labelledby="actions-h">
        <h2 id="actions-h">Actions</h2>
        <div class="actions">
          {(["pause", "resume", "cancel", "retry"] as const).map((verb) => (
            <form method="post" action={`${opPath(op.id)}/${verb}`} class="inline">
              <CsrfField csrf={props.csrf} />
              <button type="submit">{`${verb[0]?.toUpperCase()}${verb.slice(1)} op`}</button>
            </form>
          ))}
        </div>
      </section>

      <section aria-labelledby="next-h">
        <h2 id="next-h">Next runs</h2>
        {nextRuns.length === 0 ? (
          <p>No further run is scheduled.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">UTC</th>
                {zone ? <th scope="col">{zone}</th> : null}
              </tr>
            </thead>
            <tbody>
              {nextRuns.map((t) => (
                <tr>
                  <td>{formatUtc(t)}</td>
                  {zone ? <td>{formatInZone(t, zone)}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="runs-h">
        <h2 id="runs-h">Runs and attempts</h2>
        {runs.length === 0 ? (
          <p>No attempt yet.</p>
        ) : (
          <table class="attempts">
            <ColumnHeads cols={["Run", "Attempt", "Outcome", "Error", "Latency", "Ended", "Signature"]} />
            <tbody>
              {runs.flatMap((r) =>
                r.attempts.length === 0
                  ? [
                      <tr>
                        <td>{r.run}</td>
                        <td>—</td>
                        <td>in flight</td>
                        <td />
                        <td />
                        <td />
                        <td>{r.signatures.map((s) => <Signature signature={s} explorerUrl={props.explorerUrl} />)}</td>
                      </tr>,
                    ]
                  : r.attempts.map((a) => (
                      <tr>
                        <td>{a.run}</td>
                        <td>{a.attempt}</td>
                        <td>
                          <span class={`outcome ${a.outcome}`}>{a.outcome}</span>
                        </td>
                        <td class="error">{a.error_code ? `${a.error_code}: ${a.error ?? ""}` : ""}</td>
                        <td>{formatMs(a.latency_ms)}</td>
                        <td>{formatUtc(a.ended_at)}</td>
                        <td>{a.signature ? <Signature signature={a.signature} explorerUrl={props.explorerUrl} /> : "—"}</td>
                      </tr>
                    )),
              )}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="ledger-h">
        <h2 id="ledger-h">Ledger entries</h2>
        {props.ledger.length === 0 ? (
          <p>No transaction was signed for this op.</p>
        ) : (
          <table>
            <ColumnHeads cols={["Run", "Seq", "Signature", "State", "Amount", "Signer", "Updated"]} />
            <tbody>
              {props.ledger.map((e) => (
                <tr>
                  <td>{e.run}</td>
                  <td>{e.seq}</td>
                  <td>
                    <Signature signature={e.signature} explorerUrl={props.explorerUrl} />
                  </td>
                  <td>{e.state}</td>
                  <td>{formatSol(e.lamports)}</td>
                  <td>
                    <code>{e.signer}</code>
                  </td>
                  <td>{formatUtc(e.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function Signature(props: { signature: string; explorerUrl: string | null }) {
  const href = getExplorerLink(props.explorerUrl, props.signature);
  const text = <code class="signature">{props.signature}</code>;
  return href ? (
    <a href={href} rel="noopener noreferrer" target="_blank">
      {text}
    </a>
  ) : (
    text
  );
}

interface RunRow {
  run: number;
  attempts: AttemptRecord[];
  signatures: string[];
}

/** Attempts grouped by run, newest run first; a run with signatures but no ended attempt is in flight. */
function groupRuns(attempts: AttemptRecord[], ledger: LedgerEntry[]): RunRow[] {
  const byRun = new Map<number, RunRow>();
  const get = (run: number) => {
    let row = byRun.get(run);
    if (!row) {
      row = { run, attempts: [], signatures: [] };
      byRun.set(run, row);
    }
    return row;
  };
  for (const a of attempts) get(a.run).attempts.push(a);
  for (const e of ledger) get(e.run).signatures.push(e.signature);
  for (const row of byRun.values()) row.attempts.sort((a, b) => a.attempt - b.attempt);
  return [...byRun.values()].sort((a, b) => b.run - a.run);
}
