/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** A small server-rendered bar chart of attempt outcomes per time bucket (no script needed). */
import { formatUtc } from "./format.js";

export interface OutcomeBucket {
  start: number;
  ok: number;
  failed: number;
  retried: number;
}

const WIDTH = 480;
const HEIGHT = 120;
const AXIS = 16;

export function OutcomeChart(props: { label: string; buckets: OutcomeBucket[]; bucketLabel: (start: number) => string }) {
  const { buckets } = props;
  const max = Math.max(1, ...buckets.map((b) => b.ok + b.failed + b.retried));
  const slot = WIDTH / Math.max(1, buckets.length);
  const barWidth = Math.max(1, slot - 2);
  const scale = (n: number) => (n / max) * (HEIGHT - AXIS);
  const totals = buckets.reduce((t, b) => ({ ok: t.ok + b.ok, failed: t.failed + b.failed, retried: t.retried + b.retried }), { ok: 0, failed: 0, retried: 0 });
  const summary = `${props.label}: ${totals.ok} succeeded, ${totals.failed} failed, ${totals.retried} retried (peak ${max} per bucket)`;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-label={summary}>
        <title>{summary}</title>
        <line x1="0" y1={HEIGHT - AXIS} x2={WIDTH} y2={HEIGHT - AXIS} class="axis" />
        {buckets.map((b, i) => {
          const x = i * slot + 1;
          let y = HEIGHT - AXIS;
          const bars: Array<{ cls: string; h: number }> = [
            { cls: "ok", h: scale(b.ok) },
            { cls: "retried", h: scale(b.retried) },
            { cls: "failed", h: scale(b.failed) },
          ];
          return (
            <g>
              <title>{`${formatUtc(b.start)}: ${b.ok} ok, ${b.failed} failed, ${b.retried} retried`}</title>
              {bars.map((bar) => {
                y -= bar.h;
                return bar.h > 0 ? <rect x={x.toFixed(1)} y={y.toFixed(1)} width={barWidth.toFixed(1)} height={bar.h.toFixed(1)} class={bar.cls} /> : null;
              })}
            </g>
          );
        })}
        <text x="0" y={HEIGHT - 3} class="tick">
          {props.bucketLabel(buckets[0]?.start ?? 0)}
        </text>
        <text x={WIDTH} y={HEIGHT - 3} class="tick end">
          now
        </text>
      </svg>
      <figcaption>
        {props.label}: <span class="dot ok" /> {totals.ok} succeeded · <span class="dot failed" /> {totals.failed} failed ·{" "}
        <span class="dot retried" /> {totals.retried} retried
      </figcaption>
    </figure>
  );
}
