// A multi-series line chart as SVG, for the site's plots: axes with ticks, one coloured line per
// series and a legend. The data come from the guides' programs (see plots.mjs).

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];
const W = 640;
const H = 380;
const M = { left: 64, right: 170, top: 36, bottom: 48 };

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const r = (v) => Math.round(v * 10) / 10;
const ly = (v) => Math.log10(v);

/** Round ticks between `lo` and `hi`: about `n` of them at 1, 2 or 5 times a power of ten. */
export function niceTicks(lo, hi, n = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag;
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

/** Powers of ten covering [lo, hi] (for a log axis). */
export function logTicks(lo, hi) {
  const out = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}

/**
 * `{ title, x, y, logY, series: [{ label, points: [[x, y], ...] }] }` as an SVG string. Values
 * that are not finite (a diverged run's NaN) end a line where they occur and are reported in
 * the legend.
 */
export function lineChart(spec) {
  const finite = spec.series.flatMap((s) => s.points.filter(([, y]) => Number.isFinite(y) && (!spec.logY || y > 0)));
  if (!finite.length) throw new Error(`lineChart: "${spec.title}" has no finite values to draw`);
  const xs = finite.map(([x]) => x);
  const ys = finite.map(([, y]) => y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (!spec.logY) [y0, y1] = [Math.min(0, y0), y1 === y0 ? y0 + 1 : y1];
  const [a, b] = spec.logY ? [ly(logTicks(y0, y1)[0]), ly(logTicks(y0, y1).at(-1))] : [y0, y1];
  const px = (x) => M.left + ((x - x0) / (x1 - x0 || 1)) * (W - M.left - M.right);
  const py = (y) => H - M.bottom - (((spec.logY ? ly(y) : y) - a) / (b - a || 1)) * (H - M.top - M.bottom);
  const o = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12" role="img">`);
  o.push(`<title>${esc(spec.title)}</title>`);
  o.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  o.push(`<text x="${W / 2 - M.right / 2 + M.left / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(spec.title)}</text>`);
  const yTicks = spec.logY ? logTicks(y0, y1) : niceTicks(y0, y1);
  for (const t of yTicks) {
    o.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${r(py(t))}" y2="${r(py(t))}" stroke="#e5e5e5"/>`);
    o.push(`<text x="${M.left - 6}" y="${r(py(t) + 4)}" text-anchor="end">${t}</text>`);
  }
  for (const t of niceTicks(x0, x1, 6)) {
    o.push(`<line x1="${r(px(t))}" x2="${r(px(t))}" y1="${H - M.bottom}" y2="${H - M.bottom + 4}" stroke="#333"/>`);
    o.push(`<text x="${r(px(t))}" y="${H - M.bottom + 18}" text-anchor="middle">${t}</text>`);
  }
  o.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>`);
  o.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#333"/>`);
  o.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 10}" text-anchor="middle">${esc(spec.x)}${spec.logY ? '' : ''}</text>`);
  o.push(`<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(spec.y)}${spec.logY ? ' (log scale)' : ''}</text>`);
  spec.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const cut = s.points.findIndex(([, y]) => !Number.isFinite(y) || (spec.logY && y <= 0));
    const pts = cut < 0 ? s.points : s.points.slice(0, cut);
    if (pts.length) o.push(`<polyline class="series" data-label="${esc(s.label)}" fill="none" stroke="${color}" stroke-width="2" points="${pts.map(([x, y]) => `${r(px(x))},${r(py(y))}`).join(' ')}"/>`);
    const ly2 = M.top + 10 + i * 20;
    o.push(`<line x1="${W - M.right + 12}" x2="${W - M.right + 34}" y1="${ly2}" y2="${ly2}" stroke="${color}" stroke-width="2"/>`);
    o.push(`<text x="${W - M.right + 40}" y="${ly2 + 4}">${esc(s.label)}${cut >= 0 ? ` (diverged at ${s.points[cut][0]})` : ''}</text>`);
  });
  o.push('</svg>');
  return o.join('\n');
}
