import type { ChartData } from "./impact-report.ts";

/**
 * Charts drawn on the server as SVG: they need no JavaScript, scale to any width, and print
 * sharply. Each has a title and a description for screen readers, and the page shows the same
 * figures as a table beside it. Colours keep 3:1 contrast against white, and the two series
 * differ in pattern as well as colour.
 */
const SERIES_FILL = ["#5b21b6", "#475569"];
const INK = "#0f172a";
const MUTED = "#334155";
const GRID = "#cbd5e1";

const fmt = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 });

function niceMax(max: number): number {
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * magnitude >= max) return step * magnitude;
  }
  return 10 * magnitude;
}

function Legend({ chart }: { chart: ChartData }) {
  if (chart.series.length < 2) return null;
  return (
    <ul className="mt-2 flex flex-wrap gap-4 text-sm text-slate-800" aria-hidden="true">
      {chart.series.map((s, i) => (
        <li key={s.name} className="flex items-center gap-2">
          <svg width="14" height="14" aria-hidden="true">
            <rect width="14" height="14" fill={i === 1 ? `url(#${chart.id}-hatch)` : SERIES_FILL[0]} stroke={SERIES_FILL[i]} />
          </svg>
          {s.name}
        </li>
      ))}
    </ul>
  );
}

function Patterns({ id }: { id: string }) {
  return (
    <defs>
      <pattern id={`${id}-hatch`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="6" height="6" fill="#e2e8f0" />
        <line x1="0" y1="0" x2="0" y2="6" stroke={SERIES_FILL[1]} strokeWidth="3" />
      </pattern>
    </defs>
  );
}

const fillFor = (id: string, i: number) => (i === 1 ? `url(#${id}-hatch)` : SERIES_FILL[0]);

/** Horizontal bars: one row per category, one bar per series. Long labels sit above their bars. */
export function BarChart({ chart }: { chart: ChartData }) {
  const width = 640;
  const labelH = 18;
  const barH = 16;
  const gap = 4;
  const rowH = labelH + chart.series.length * (barH + gap) + 10;
  const height = Math.max(40, chart.categories.length * rowH + 8);
  const valueRoom = 110;
  const max = chart.max ?? niceMax(Math.max(0, ...chart.series.flatMap((s) => s.values.map((v) => v ?? 0))));
  const scale = (v: number) => ((width - valueRoom) * v) / max;
  return (
    <figure className="min-w-0">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-labelledby={`${chart.id}-title ${chart.id}-desc`} className="block">
        <title id={`${chart.id}-title`}>{chart.title}</title>
        <desc id={`${chart.id}-desc`}>{chart.description} The figures are in the table beside the chart.</desc>
        <Patterns id={chart.id} />
        {chart.categories.map((category, ci) => {
          const y0 = ci * rowH + 4;
          return (
            <g key={category}>
              <text x={0} y={y0 + 13} fontSize="13" fontWeight="600" fill={INK}>
                {category}
              </text>
              {chart.series.map((s, si) => {
                const v = s.values[ci] ?? null;
                const y = y0 + labelH + si * (barH + gap);
                const w = v === null ? 0 : Math.max(v > 0 ? 2 : 0, scale(v));
                return (
                  <g key={s.name}>
                    {w > 0 ? <rect x={0} y={y} width={w} height={barH} rx={2} fill={fillFor(chart.id, si)} stroke={SERIES_FILL[si]} /> : null}
                    <text x={w + 6} y={y + 12.5} fontSize="12" fill={MUTED}>
                      {chart.series.length > 1 ? `${s.name}: ` : ""}
                      {v === null ? (s.display[ci] === "–" ? "no answers" : s.display[ci]) : fmt.format(v)}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      <Legend chart={chart} />
    </figure>
  );
}

/** Vertical columns, grouped: months across, this period beside the last. */
export function ColumnChart({ chart }: { chart: ChartData }) {
  const width = 720;
  const height = 280;
  const left = 48;
  const bottom = 28;
  const top = 10;
  const plotH = height - bottom - top;
  const plotW = width - left - 8;
  const max = chart.max ?? niceMax(Math.max(0, ...chart.series.flatMap((s) => s.values.map((v) => v ?? 0))));
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => t * max);
  const groupW = plotW / Math.max(1, chart.categories.length);
  const barW = Math.min(22, (groupW - 6) / chart.series.length);
  const y = (v: number) => top + plotH - (plotH * v) / max;
  return (
    <figure className="min-w-0">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-labelledby={`${chart.id}-title ${chart.id}-desc`} className="block">
        <title id={`${chart.id}-title`}>{chart.title}</title>
        <desc id={`${chart.id}-desc`}>{chart.description} The figures are in the table beside the chart.</desc>
        <Patterns id={chart.id} />
        {ticks.map((t) => (
          <g key={t}>
            <line x1={left} x2={width - 8} y1={y(t)} y2={y(t)} stroke={GRID} strokeWidth="1" />
            <text x={left - 6} y={y(t) + 4} fontSize="12" textAnchor="end" fill={MUTED}>
              {fmt.format(Math.round(t))}
            </text>
          </g>
        ))}
        {chart.categories.map((category, ci) => {
          const gx = left + ci * groupW + (groupW - barW * chart.series.length) / 2;
          return (
            <g key={`${category}-${ci}`}>
              {chart.series.map((s, si) => {
                const v = s.values[ci] ?? null;
                if (v === null || v <= 0) return null;
                return (
                  <rect
                    key={s.name}
                    x={gx + si * barW}
                    y={y(v)}
                    width={barW - 2}
                    height={top + plotH - y(v)}
                    fill={fillFor(chart.id, si)}
                    stroke={SERIES_FILL[si]}
                  />
                );
              })}
              <text x={left + ci * groupW + groupW / 2} y={height - 8} fontSize="12" textAnchor="middle" fill={INK}>
                {category}
              </text>
            </g>
          );
        })}
      </svg>
      <Legend chart={chart} />
    </figure>
  );
}

/** The chart's own figures as a table, so nothing is only in the picture. */
export function ChartTable({ chart }: { chart: ChartData }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{chart.title}: the figures</caption>
        <thead className="border-b border-slate-300 text-xs font-semibold uppercase tracking-wide text-slate-700">
          <tr>
            <th scope="col" className="py-1.5 pr-3">
              &nbsp;
            </th>
            {chart.series.map((s) => (
              <th key={s.name} scope="col" className="py-1.5 pr-1 text-right">
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {chart.categories.map((category, ci) => (
            <tr key={`${category}-${ci}`}>
              <th scope="row" className="py-1.5 pr-3 font-medium text-slate-900">
                {category}
              </th>
              {chart.series.map((s) => (
                <td key={s.name} className="py-1.5 pr-1 text-right tabular-nums text-slate-800">
                  {s.display[ci]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
