import { readFileSync } from 'node:fs';
import { formatCell } from './csv.writer';
import type { Cell, ChartSpec, ReportSpec } from './result.types';

let uplotAssets: { js: string; css: string } | null = null;

/** uPlot's script and style, read once and inlined so the report opens offline. */
function uplot() {
  uplotAssets ??= {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return uplotAssets;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** Eight significant digits keep the embedded data small; the CSVs keep full precision. */
const compact = (v: number | null) =>
  v === null || !Number.isFinite(v) ? null : Number(v.toPrecision(8));

function chartData(charts: readonly ChartSpec[]) {
  return charts.map((c) => ({
    id: c.id,
    title: c.title,
    yLabel: c.yLabel,
    x: c.x.map((ms) => ms / 1000),
    series: c.series.map((s) => ({ label: s.label, values: s.values.map(compact) })),
  }));
}

function table(title: string, columns: readonly string[], rows: readonly Cell[][]): string {
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(formatCell(c))}</td>`).join('')}</tr>`)
    .join('');
  return `<section><h2>${escapeHtml(title)}</h2><div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div></section>`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}header p{margin:6px 0 0;opacity:.8}
main{padding:20px 28px;display:grid;gap:20px}section{background:#fff;border-radius:8px;padding:16px 20px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h2{font-size:16px;margin:0 0 12px}.summary{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:8px 20px}
.summary div{display:flex;justify-content:space-between;border-bottom:1px solid #eceef2;padding:4px 0}.summary span{color:#5b6272}
.scroll{max-height:360px;overflow:auto}table{border-collapse:collapse;font-size:12px;width:100%}th,td{padding:4px 8px;border-bottom:1px solid #eceef2;text-align:left;white-space:nowrap}
th{position:sticky;top:0;background:#fff}.hint{color:#5b6272;font-size:12px;margin:0 0 8px}`;

// Draws each chart with uPlot: drag to zoom, double-click to reset, click a legend entry to hide it.
const SCRIPT = `
const charts = JSON.parse(document.getElementById('chart-data').textContent);
const palette = ['#2f6fdf','#e4572e','#17a398','#f3a712','#8e44ad','#29335c','#c2185b','#558b2f','#6d4c41','#00838f','#9e9d24'];
const made = [];
for (const c of charts) {
  const el = document.getElementById('chart-' + c.id);
  const opts = {
    width: el.clientWidth, height: 300, tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
    scales: { x: { time: true } }, axes: [{}, { label: c.yLabel, size: 70 }],
    series: [{}].concat(c.series.map((s, i) => ({ label: s.label, stroke: palette[i % palette.length], width: 1.5, spanGaps: false }))),
  };
  made.push([el, new uPlot(opts, [c.x].concat(c.series.map((s) => s.values)), el)]);
}
window.addEventListener('resize', () => { for (const [el, u] of made) u.setSize({ width: el.clientWidth, height: 300 }); });`;

/** One self-contained HTML file: no external URLs, data and uPlot inlined. */
export function renderReportHtml(report: ReportSpec): string {
  const { js, css } = uplot();
  // Escaping "<" keeps any label from closing the data script.
  const data = JSON.stringify(chartData(report.charts)).replace(/</g, '\\u003c');
  const summary = report.summaryRows
    .map(([k, v]) => `<div><span>${escapeHtml(k)}</span><strong>${escapeHtml(v)}</strong></div>`)
    .join('');
  const charts = report.charts
    .map(
      (c) =>
        `<section><h2>${escapeHtml(c.title)}</h2><div id="chart-${escapeHtml(c.id)}"></div></section>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(report.title)}</title><style>${css}${STYLE}</style></head>
<body><header><h1>${escapeHtml(report.title)}</h1><p>${escapeHtml(report.subtitle)}</p></header>
<main><section><h2>Summary</h2><div class="summary">${summary}</div></section>
<p class="hint">Charts: drag to zoom, double-click to reset, click a legend entry to hide or show it. Times are UTC.</p>
${charts}${report.tables.map((t) => table(t.title, t.columns, t.rows)).join('')}</main>
<script type="application/json" id="chart-data">${data}</script>
<script>${js}</script><script>${SCRIPT}</script></body></html>
`;
}
