/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** Runs due in the next 24 h across ops: an hourly strip (SVG) and the list. */
import { formatRelative, formatUtc } from "./format.js";
import { ColumnHeads } from "./layout.js";
import { opPath } from "./paths.js";
import type { UpcomingRun } from "./upcoming-runs.js";

const WIDTH = 480;
const HEIGHT = 60;

export function UpcomingPage(props: { runs: UpcomingRun[]; now: number; limit: number }) {
  const hours = Array.from({ length: 24 }, (_, i) => props.runs.filter((r) => Math.floor((r.at - props.now) / 3_600_000) === i).length);
  const overdue = props.runs.filter((r) => r.at < props.now).length;
  const max = Math.max(1, ...hours);
  const slot = WIDTH / 24;
  const summary = `${props.runs.length} runs in the next 24 hours${overdue ? `, ${overdue} overdue` : ""}`;
  return (
    <>
      <figure class="chart">
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-label={summary}>
          <title>{summary}</title>
          {hours.map((n, i) => (
            <g>
              <title>{`+${i} h: ${n} runs`}</title>
              {n > 0 ? (
                <rect x={(i * slot + 1).toFixed(1)} y={(HEIGHT - (n / max) * HEIGHT).toFixed(1)} width={(slot - 2).toFixed(1)} height={((n / max) * HEIGHT).toFixed(1)} class="ok" />
              ) : null}
            </g>
          ))}
        </svg>
        <figcaption>
          {summary} (hourly, now → +24 h{props.runs.length >= props.limit ? `; the first ${props.limit} shown` : ""})
        </figcaption>
      </figure>
      {props.runs.length === 0 ? (
        <p>Nothing is due in the next 24 hours.</p>
      ) : (
        <table>
          <ColumnHeads cols={["Due (UTC)", "When", "Op", "Action", "Run"]} />
          <tbody>
            {props.runs.map((r) => (
              <tr>
                <td>{formatUtc(r.at)}</td>
                <td>{r.at < props.now ? `overdue (${formatRelative(r.at, props.now)})` : formatRelative(r.at, props.now)}</td>
                <td>
                  <a href={opPath(r.op.id)}>{r.op.id}</a>
                </td>
                <td>{r.op.action}</td>
                <td>{r.run}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
