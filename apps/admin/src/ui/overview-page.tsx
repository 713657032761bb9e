/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The overview. Everything that changes lives in the #live section, which the page's script
 * re-fetches (GET /admin/ui/live) every few seconds; without script the page is still whole.
 */
import { OutcomeChart } from "./chart.js";
import { formatMs, formatRelative, formatSol, formatUtc } from "./format.js";
import { ColumnHeads, CsrfField } from "./layout.js";
import type { OverviewData } from "./overview-data.js";
import { opPath, UI_BASE } from "./paths.js";

export function OverviewLive(props: { data: OverviewData; csrf: string | null }) {
  const { data } = props;
  const paused = data.state === "paused" || data.state === "halted";
  const { latency_ms: latency } = data.stats;
  return (
    <section id="live" data-live={`${UI_BASE}/live`} aria-live="polite" aria-busy="false">
      <section aria-labelledby="state-h">
        <h2 id="state-h">Crank</h2>
        <p>
          State: <strong class={`state ${data.state}`} data-testid="crank-state">{data.state}</strong>
        </p>
        {data.readiness.reasons.length > 0 ? (
          <ul class="reasons">
            {data.readiness.reasons.map((r) => (
              <li>{r}</li>
            ))}
          </ul>
        ) : (
          <p>Ready: nothing blocks the crank.</p>
        )}
        {data.readiness.recommended_action ? <p>Recommended action: {data.readiness.recommended_action}</p> : null}
        <form method="post" action={`${UI_BASE}/crank/${paused ? "resume" : "pause"}`}>
          <CsrfField csrf={props.csrf} />
          <button type="submit">{paused ? "Resume crank" : "Pause crank"}</button>
        </form>
        <h3>Instances</h3>
        {data.stats.instances.length === 0 ? (
          <p>No crank instance has reported recently.</p>
        ) : (
          <table>
            <ColumnHeads cols={["Instance", "Started", "Last tick", "In flight"]} />
            <tbody>
              {data.stats.instances.map((i) => (
                <tr>
                  <td>{i.id}</td>
                  <td>{i.started_at}</td>
                  <td>{i.last_tick_at ?? "—"}</td>
                  <td>{i.in_flight}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="activity-h">
        <h2 id="activity-h">Activity</h2>
        <div class="charts">
          <OutcomeChart label="Last hour (5-minute buckets)" buckets={data.lastHour} bucketLabel={() => "−1 h"} />
          <OutcomeChart label="Last 24 hours (hourly)" buckets={data.lastDay} bucketLabel={() => "−24 h"} />
        </div>
        <p>
          Latency (recent attempts): p50 {formatMs(latency.p50)} · p95 {formatMs(latency.p95)} · p99 {formatMs(latency.p99)} · max{" "}
          {formatMs(latency.max)} over {latency.count} attempts
        </p>
        <p>
          Ops: {Object.entries(data.stats.ops_by_status)
            .map(([status, n]) => `${n} ${status}`)
            .join(" · ")}
        </p>
        <p data-testid="spend">
          Spend today: {formatSol(data.spend.today)}
          {data.spend.cap === null ? " (no daily cap)" : ` of a ${formatSol(data.spend.cap)} daily cap`}
          {data.spend.cap ? <meter min={0} max={data.spend.cap} value={data.spend.today} aria-label="Spend against the daily cap" /> : null}
        </p>
      </section>

      <section aria-labelledby="rpc-h">
        <h2 id="rpc-h">RPC endpoints</h2>
        {data.rpc.length === 0 ? (
          <p>This process reports no RPC pool.</p>
        ) : (
          <table>
            <ColumnHeads cols={["Endpoint", "Health", "Circuit", "Latency", "Rate", "Last error"]} />
            <tbody>
              {data.rpc.map((r) => (
                <tr>
                  <td>{r.endpoint}</td>
                  <td>{r.healthy ? "healthy" : `down${r.down_since ? ` since ${formatUtc(r.down_since)}` : ""}`}</td>
                  <td>{r.circuit}</td>
                  <td>{formatMs(r.latency_ms)}</td>
                  <td>{r.rate_limit ? `${r.rate_limit.rps} req/s${r.rate_limit.mode === "auto" ? " (learned)" : ""}` : "—"}</td>
                  <td>{r.last_error ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {data.sendWindow ? (
          <p data-testid="send-window">
            Send window: {data.sendWindow.open} of {data.sendWindow.size} sent transactions awaiting their answer without a concurrency slot
            {data.sendWindow.size === 0 ? " (shut: each send holds its slot until answered)" : ""}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="alerts-h">
        <h2 id="alerts-h">Alerts firing</h2>
        {data.alerts.length === 0 ? (
          <p>None.</p>
        ) : (
          <ul>
            {data.alerts.map((a) => (
              <li>
                <strong>{a.key}</strong> since {formatUtc(a.since)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="next-h">
        <h2 id="next-h">Next 10 runs</h2>
        {data.upcoming.length === 0 ? (
          <p>No run is due in the next 24 hours.</p>
        ) : (
          <table>
            <ColumnHeads cols={["Due", "Op", "Action", "Run"]} />
            <tbody>
              {data.upcoming.map((u) => (
                <tr>
                  <td>
                    {formatUtc(u.at)} ({formatRelative(u.at, data.now)})
                  </td>
                  <td>
                    <a href={opPath(u.op.id)}>{u.op.id}</a>
                  </td>
                  <td>{u.op.action}</td>
                  <td>{u.run}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p class="muted">Updated {formatUtc(data.now)}</p>
      </section>
    </section>
  );
}
