// Training curves as a standalone SVG, the picture the course draws from Keras's `H.history` with
// matplotlib: one panel per metric ("Loss", "Accuracy", ...), train against validation.
import { checkOptions } from '@neurona/common';

/** What `fit()` returns (a Keras `History`): `history` maps each key to one value per epoch. */
export interface HistoryLike {
  history: Record<string, readonly number[]>;
  /** Epoch indices (0-based, as Keras records them); the x axis shows them 1-based. */
  epoch?: readonly number[];
}

/** Options of `historyToSvg`. */
export interface HistorySvgOptions {
  /** Title above the panels; default "Training Loss and Accuracy" (from the metrics shown); `''` for none. */
  title?: string;
  /** Size of the whole picture in pixels; default 450 per panel wide, 400 high. */
  width?: number;
  height?: number;
}

interface Series {
  key: string;
  label: string;
  color: string;
  values: readonly number[];
}

interface Panel {
  metric: string;
  series: Series[];
}

const TRAIN_COLOR = '#1f77b4'; // matplotlib's first two colors
const VAL_COLOR = '#ff7f0e';
const ACRONYMS = new Set(['mae', 'mse', 'rmse', 'msle', 'mape', 'auc', 'lr', 'kld', 'acc']);
const CHAR_WIDTH = 6.4; // average glyph width at 11px, to size margins without measuring text

/** Escape text for SVG element content and attribute values. */
function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** `loss` → "Loss", `mean_absolute_error` → "Mean absolute error", `mae` → "MAE". */
function metricTitle(metric: string): string {
  if (ACRONYMS.has(metric.toLowerCase())) return metric.toUpperCase();
  const words = metric.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function fmtCoord(v: number): string {
  return (Math.round(v * 100) / 100).toString();
}

/** A "nice" step (1, 2 or 5 × 10^k) that cuts `span` into about `target` intervals. */
function niceStep(span: number, target: number): number {
  const raw = span / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

function ticksIn(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  // Integer multiples of the step, so 0.1 + 0.2 style drift never shows in a label.
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) out.push(k * step);
  return out;
}

/** Labels with as many digits as the step needs: `0.25`, `0.9995`, `2.5e+6`, `3.0e-7`. */
function tickFormatter(ticks: number[], step: number): (v: number) => string {
  const maxAbs = Math.max(...ticks.map(Math.abs));
  const stepExp = Math.floor(Math.log10(step) + 1e-9);
  const clean = (v: number) => (Math.abs(v) < step / 2 ? 0 : v);
  if (maxAbs >= 1e5 || maxAbs < 1e-3) {
    const digits = Math.min(6, Math.max(1, Math.floor(Math.log10(maxAbs)) - stepExp));
    return (v) => (clean(v) === 0 ? '0' : v.toExponential(digits));
  }
  return (v) => clean(v).toFixed(Math.max(0, -stepExp));
}

/** Group keys into panels: `loss` with `val_loss`, `accuracy` with `val_accuracy`; loss first. */
function panelsOf(history: Record<string, readonly number[]>): Panel[] {
  const panels = new Map<string, Panel>();
  for (const key of Object.keys(history)) {
    const isVal = key.startsWith('val_') && key.length > 4;
    const metric = isVal ? key.slice(4) : key;
    let panel = panels.get(metric);
    if (!panel) {
      panel = { metric, series: [] };
      panels.set(metric, panel);
    }
    panel.series.push({ key, label: isVal ? 'validation' : 'train', color: isVal ? VAL_COLOR : TRAIN_COLOR, values: history[key] });
  }
  const list = [...panels.values()];
  for (const p of list) p.series.sort((a, b) => Number(a.label === 'validation') - Number(b.label === 'validation'));
  return [...list.filter((p) => p.metric === 'loss'), ...list.filter((p) => p.metric !== 'loss')];
}

function defaultTitle(panels: Panel[]): string {
  const names = panels.map((p) => metricTitle(p.metric));
  const joined = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `Training ${joined}`;
}

function readHistory(input: HistoryLike | Record<string, readonly number[]>): { history: Record<string, readonly number[]>; epochs?: readonly number[] } {
  if (input === null || typeof input !== 'object') {
    throw new Error(`historyToSvg expects a History (what fit returns) or a record of number arrays, got ${input === null ? 'null' : typeof input}`);
  }
  const h = (input as HistoryLike).history;
  const isHistory = h !== null && typeof h === 'object' && !Array.isArray(h);
  const history = isHistory ? h : (input as Record<string, readonly number[]>);
  for (const [key, values] of Object.entries(history)) {
    if (!Array.isArray(values)) {
      throw new Error(`historyToSvg: history.${key} must be an array of numbers (one per epoch), got ${values === null ? 'null' : typeof values}`);
    }
    const bad = values.findIndex((v) => typeof v !== 'number');
    if (bad >= 0) throw new Error(`historyToSvg: history.${key}[${bad}] must be a number, got ${typeof values[bad]}`);
  }
  return { history, epochs: isHistory ? (input as HistoryLike).epoch : undefined };
}

function checkSize(name: string, v: number | undefined): void {
  if (v !== undefined && !(Number.isFinite(v) && v >= 100)) throw new Error(`historyToSvg: ${name} must be a number >= 100 (pixels), got ${v}`);
}

/**
 * Draw a training history as a standalone SVG string: one panel per metric ("Loss", "Accuracy",
 * ...) side by side, each with the train curve and its `val_` counterpart, axes, ticks, the labels
 * "Epoch #" and the metric name, a legend and a title. NaN and Infinity leave a gap in the curve.
 *
 * ```ts
 * const H = await model.fit(x, y, { validationData: [xVal, yVal], epochs: 10 });
 * writeFileSync('training-curves.svg', historyToSvg(H));
 * ```
 */
export function historyToSvg(history: HistoryLike | Record<string, readonly number[]>, options: HistorySvgOptions = {}): string {
  checkOptions('historyToSvg', options, ['title', 'width', 'height']);
  const { history: record, epochs: epochIndex } = readHistory(history);
  const keys = Object.keys(record);
  const nEpochs = Math.max(0, ...keys.map((k) => record[k].length));
  if (keys.length === 0 || nEpochs === 0) {
    const found = keys.length === 0 ? '{}' : `{ ${keys.map((k) => `${k}: []`).join(', ')} }`;
    throw new Error(`historyToSvg: the history is empty; expected at least one series with one epoch, e.g. { loss: [0.9, 0.5] }, got ${found}`);
  }
  checkSize('width', options.width);
  checkSize('height', options.height);
  const panels = panelsOf(record).filter((p) => p.series.some((s) => s.values.length > 0));
  const width = options.width ?? 450 * panels.length;
  const height = options.height ?? 400;
  const title = options.title ?? defaultTitle(panels);

  // x: epochs shown 1-based; Keras's `epoch` list says which (fit with initialEpoch starts later)
  const xs = Array.from({ length: nEpochs }, (_, i) =>
    epochIndex && epochIndex.length === nEpochs && epochIndex.every(Number.isFinite) ? epochIndex[i] + 1 : i + 1,
  );
  const xLo = Math.min(...xs);
  const xHi = Math.max(...xs);
  const xPad = xHi > xLo ? (xHi - xLo) * 0.05 : 0.5;
  const xDomain: [number, number] = [xLo - xPad, xHi + xPad];
  const xStep = Math.max(1, niceStep(Math.max(xHi - xLo, 1), 10));
  const xTicks = ticksIn(Math.ceil(xDomain[0]), xDomain[1], xStep).filter((t) => t >= xDomain[0]);

  const top = title ? 44 : 12;
  const panelWidth = width / panels.length;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${fmtCoord(width)}" height="${fmtCoord(height)}" viewBox="0 0 ${fmtCoord(width)} ${fmtCoord(height)}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="11" fill="#222">`,
    `<rect x="0" y="0" width="${fmtCoord(width)}" height="${fmtCoord(height)}" fill="#ffffff"/>`,
  );
  if (title) out.push(`<text class="title" x="${fmtCoord(width / 2)}" y="26" text-anchor="middle" font-size="16">${esc(title)}</text>`);

  panels.forEach((panel, p) => {
    const finite = panel.series.flatMap((s) => s.values.filter(Number.isFinite));
    let yLo = finite.length ? Math.min(...finite) : 0;
    let yHi = finite.length ? Math.max(...finite) : 1;
    if (yHi === yLo) {
      const pad = Math.abs(yLo) * 0.05 || 0.05;
      yLo -= pad;
      yHi += pad;
    }
    const yPad = (yHi - yLo) * 0.05;
    const yDomain: [number, number] = [yLo - yPad, yHi + yPad];
    const yStep = niceStep(yDomain[1] - yDomain[0], 6);
    const yTicks = ticksIn(yDomain[0], yDomain[1], yStep);
    const fmtY = tickFormatter(yTicks, yStep);
    const yLabels = yTicks.map(fmtY);

    // Plot area: room on the left for tick labels and the rotated axis label.
    const x0 = p * panelWidth + 30 + Math.max(...yLabels.map((l) => l.length)) * CHAR_WIDTH;
    const x1 = (p + 1) * panelWidth - 16;
    const y0 = top + 26;
    const y1 = height - 46;
    const sx = (v: number) => x0 + ((v - xDomain[0]) / (xDomain[1] - xDomain[0])) * (x1 - x0);
    const sy = (v: number) => y1 - ((v - yDomain[0]) / (yDomain[1] - yDomain[0])) * (y1 - y0);
    const name = metricTitle(panel.metric);

    out.push(`<g class="panel" data-metric="${esc(panel.metric)}">`);
    out.push(`<text class="panel-title" x="${fmtCoord((x0 + x1) / 2)}" y="${fmtCoord(y0 - 9)}" text-anchor="middle" font-size="13">${esc(name)}</text>`);
    // grid, then ticks and their labels
    for (const [i, t] of yTicks.entries()) {
      const y = fmtCoord(sy(t));
      out.push(`<line x1="${fmtCoord(x0)}" x2="${fmtCoord(x1)}" y1="${y}" y2="${y}" stroke="#e6e6e6" stroke-width="1"/>`);
      out.push(`<line x1="${fmtCoord(x0 - 4)}" x2="${fmtCoord(x0)}" y1="${y}" y2="${y}" stroke="#333"/>`);
      out.push(`<text x="${fmtCoord(x0 - 7)}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(yLabels[i])}</text>`);
    }
    for (const t of xTicks) {
      const x = fmtCoord(sx(t));
      out.push(`<line x1="${x}" x2="${x}" y1="${fmtCoord(y0)}" y2="${fmtCoord(y1)}" stroke="#e6e6e6" stroke-width="1"/>`);
      out.push(`<line x1="${x}" x2="${x}" y1="${fmtCoord(y1)}" y2="${fmtCoord(y1 + 4)}" stroke="#333"/>`);
      out.push(`<text x="${x}" y="${fmtCoord(y1 + 16)}" text-anchor="middle">${t}</text>`);
    }
    out.push(`<rect x="${fmtCoord(x0)}" y="${fmtCoord(y0)}" width="${fmtCoord(x1 - x0)}" height="${fmtCoord(y1 - y0)}" fill="none" stroke="#333"/>`);
    out.push(`<text class="xlabel" x="${fmtCoord((x0 + x1) / 2)}" y="${fmtCoord(height - 12)}" text-anchor="middle" font-size="12">Epoch #</text>`);
    const ylx = fmtCoord(p * panelWidth + 14);
    const yly = fmtCoord((y0 + y1) / 2);
    out.push(`<text class="ylabel" x="${ylx}" y="${yly}" text-anchor="middle" font-size="12" transform="rotate(-90 ${ylx} ${yly})">${esc(name)}</text>`);

    // curves: one polyline per run of finite values; a lone finite value is a dot
    const drawn: [number, number][] = [];
    for (const s of panel.series) {
      out.push(`<g class="series" data-key="${esc(s.key)}" stroke="${s.color}" fill="${s.color}">`);
      let run: string[] = [];
      const flush = () => {
        if (run.length === 1) {
          const [cx, cy] = run[0].split(',');
          out.push(`<circle cx="${cx}" cy="${cy}" r="2.5" stroke="none"/>`);
        } else if (run.length > 1) {
          out.push(`<polyline points="${run.join(' ')}" fill="none" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>`);
        }
        run = [];
      };
      s.values.forEach((v, i) => {
        if (!Number.isFinite(v)) return flush();
        const px = sx(xs[i]);
        const py = sy(v);
        run.push(`${fmtCoord(px)},${fmtCoord(py)}`);
        drawn.push([px, py]);
        // points along the segment to the next value, so the legend avoids lines too
        const next = s.values[i + 1];
        if (Number.isFinite(next)) for (let f = 0.25; f < 1; f += 0.25) drawn.push([px + (sx(xs[i + 1]) - px) * f, py + (sy(next) - py) * f]);
      });
      flush();
      out.push('</g>');
    }

    // legend in the emptiest corner of the plot (matplotlib's loc="best", roughly)
    const entries = panel.series.map((s) => {
      const bad = s.values.filter((v) => !Number.isFinite(v)).length;
      return { ...s, text: bad ? `${s.label} (${bad} not finite)` : s.label };
    });
    const lw = 34 + Math.max(...entries.map((e) => e.text.length)) * CHAR_WIDTH;
    const lh = 8 + entries.length * 17;
    const corners: [number, number][] = [
      [x1 - lw - 8, y0 + 8],
      [x1 - lw - 8, y1 - lh - 8],
      [x0 + 8, y0 + 8],
      [x0 + 8, y1 - lh - 8],
    ];
    const crowd = ([lx, ly]: [number, number]) => drawn.filter(([px, py]) => px >= lx - 4 && px <= lx + lw + 4 && py >= ly - 4 && py <= ly + lh + 4).length;
    const [lx, ly] = corners.reduce((best, c) => (crowd(c) < crowd(best) ? c : best));
    out.push(`<g class="legend">`);
    out.push(`<rect x="${fmtCoord(lx)}" y="${fmtCoord(ly)}" width="${fmtCoord(lw)}" height="${fmtCoord(lh)}" rx="3" fill="#ffffff" fill-opacity="0.85" stroke="#cccccc"/>`);
    entries.forEach((e, i) => {
      const y = ly + 12 + i * 17;
      out.push(`<line x1="${fmtCoord(lx + 8)}" x2="${fmtCoord(lx + 26)}" y1="${fmtCoord(y)}" y2="${fmtCoord(y)}" stroke="${e.color}" stroke-width="2"/>`);
      out.push(`<text x="${fmtCoord(lx + 31)}" y="${fmtCoord(y)}" dominant-baseline="middle">${esc(e.text)}</text>`);
    });
    out.push('</g>', '</g>');
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
