import { checkOptions, describeValue } from '@neurona/common';
import type { Layer, Node } from '@neurona/layers';
import { activationNameOf, type Graph } from './graph';
import { kerasShape } from './summary';

/** Options of `plotModel` (Keras's `plot_model` arguments, camelCase). */
export interface PlotModelOptions {
  /** Each layer's input and output shapes. Default true (Keras: false; the shapes are the point here). */
  showShapes?: boolean;
  /** `name (ClassName)` in place of the class name alone. Default true (Keras: false). */
  showLayerNames?: boolean;
  /** The activation of layers that have one. Default false, as Keras. */
  showLayerActivations?: boolean;
  /** Whether each layer is trainable. Default false, as Keras. */
  showTrainable?: boolean;
  /** `'TB'`: top to bottom (default, as Keras); `'LR'`: left to right. */
  rankdir?: 'TB' | 'LR';
}

const KNOWN = ['showShapes', 'showLayerNames', 'showLayerActivations', 'showTrainable', 'rankdir'] as const;

/** The parts of a model the plot reads. */
export interface PlotModelSource {
  readonly name: string;
  readonly graphOrNull: Graph | null;
}

// Monospace text, so a box's width follows from its longest line without a font engine
const FONT_SIZE = 12;
const CHAR_W = 7.4;
const LINE_H = 16;
const PAD_X = 10;
const PAD_Y = 8;
const GAP_RANK = 44;
const GAP_SIBLING = 28;
const MARGIN = 16;

interface Box {
  layer: Layer;
  lines: string[];
  w: number;
  h: number;
  rank: number;
  x: number;
  y: number;
}

/** XML text: `&`, `<`, `>` and quotes escaped. */
function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A rounded number for coordinates (no 0.30000000000000004 in the file). */
function n(x: number): string {
  return String(Math.round(x * 10) / 10);
}

function shapesText(nodes: Node[], side: 'inputTensors' | 'outputTensors'): string {
  const shapes = nodes.flatMap((nd) => nd[side].map((t) => kerasShape(t.shape)));
  if (shapes.length === 0) return '';
  return shapes.length === 1 ? shapes[0] : `[${shapes.join(', ')}]`;
}

function boxLines(layer: Layer, nodes: Node[], o: Required<PlotModelOptions>): string[] {
  const lines = [o.showLayerNames ? `${layer.name} (${layer.className})` : layer.className];
  if (o.showShapes) {
    const input = shapesText(nodes, 'inputTensors');
    if (input) lines.push(`Input shape: ${input}`);
    lines.push(`Output shape: ${shapesText(nodes, 'outputTensors') || 'multiple'}`);
  }
  if (o.showLayerActivations) {
    const act = activationNameOf(layer);
    if (act) lines.push(`Activation: ${act}`);
  }
  if (o.showTrainable) lines.push(`Trainable: ${layer.trainable ? 'True' : 'False'}`);
  return lines;
}

function resolveOptions(options: PlotModelOptions): Required<PlotModelOptions> {
  checkOptions('plotModel', options, KNOWN);
  const o = { showShapes: true, showLayerNames: true, showLayerActivations: false, showTrainable: false, rankdir: 'TB' as const, ...options };
  for (const k of ['showShapes', 'showLayerNames', 'showLayerActivations', 'showTrainable'] as const) {
    if (typeof o[k] !== 'boolean') throw new Error(`plotModel: ${k} must be a boolean, got ${describeValue(o[k])}`);
  }
  if (o.rankdir !== 'TB' && o.rankdir !== 'LR') throw new Error(`plotModel: rankdir must be 'TB' or 'LR', got ${describeValue(o.rankdir)}`);
  return o;
}

/** Every layer's rank: inputs at 0, any other layer one past its deepest source. */
function ranks(layers: Layer[], edges: [Layer, Layer][]): Map<Layer, number> {
  const rank = new Map<Layer, number>(layers.map((l) => [l, 0]));
  // graph.layers is in topological order, so one pass over it settles every rank
  for (const l of layers) {
    for (const [from, to] of edges) if (to === l) rank.set(l, Math.max(rank.get(l) ?? 0, (rank.get(from) ?? 0) + 1));
  }
  return rank;
}

/**
 * The model's layer graph as an SVG picture, as Keras's `plot_model`: one box per layer with its
 * name and class, its input and output shapes, and an arrow for each connection. Returns the SVG
 * text (write it to a `.svg` file, or put it in a page); `summary()` is the same information as
 * a table.
 *
 * ```ts
 * const model = Sequential([Flatten({ inputShape: [28, 28] }), Dense(10, { activation: 'softmax' })]);
 * writeFileSync('model.svg', plotModel(model));
 * ```
 */
export function plotModel(model: PlotModelSource, options: PlotModelOptions = {}): string {
  const o = resolveOptions(options);
  const graph = model.graphOrNull;
  if (!graph) {
    throw new Error(
      `plotModel: model "${model.name}" is not built yet, so it has no layer graph: give the first layer an inputShape, ` +
        'or call fit/predict once (it builds from the data)',
    );
  }
  const inGraph = new Set(graph.nodes);
  const nodesOf = (l: Layer): Node[] => l.inboundNodes.filter((nd) => inGraph.has(nd) || (nd.isInput && graph.inputs.some((t) => t.sourceLayer === l)));
  const layers = graph.layers;
  const edges: [Layer, Layer][] = [];
  const seen = new Set<string>();
  for (const nd of graph.nodes) {
    for (const from of nd.inboundLayers) {
      const key = `${layers.indexOf(from)}>${layers.indexOf(nd.outboundLayer)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push([from, nd.outboundLayer]);
    }
  }
  const rank = ranks(layers, edges);
  const boxes = new Map<Layer, Box>();
  for (const l of layers) {
    const lines = boxLines(l, nodesOf(l), o);
    const w = Math.max(...lines.map((s) => s.length)) * CHAR_W + 2 * PAD_X;
    boxes.set(l, { layer: l, lines, w, h: lines.length * LINE_H + 2 * PAD_Y, rank: rank.get(l) ?? 0, x: 0, y: 0 });
  }
  const rows: Box[][] = [];
  for (const b of boxes.values()) (rows[b.rank] ??= []).push(b);
  const lr = o.rankdir === 'LR';
  // along a rank: widths (TB) or heights (LR); across ranks: the other one
  const along = (b: Box): number => (lr ? b.h : b.w);
  const across = (b: Box): number => (lr ? b.w : b.h);
  const rowLength = (row: Box[]): number => row.reduce((s, b) => s + along(b), 0) + GAP_SIBLING * (row.length - 1);
  const span = Math.max(...rows.map(rowLength));
  let depth = MARGIN;
  const centerOf = new Map<Box, number>();
  rows.forEach((row, r) => {
    // order each rank by where its sources sit (fewer crossing arrows), first use breaking ties
    if (r > 0) {
      const key = (b: Box): number => {
        const src = edges.filter(([, to]) => to === b.layer).map(([from]) => centerOf.get(boxes.get(from) as Box) ?? 0);
        return src.length ? src.reduce((s, v) => s + v, 0) / src.length : 0;
      };
      row.sort((a, b) => key(a) - key(b) || layers.indexOf(a.layer) - layers.indexOf(b.layer));
    }
    const thick = Math.max(...row.map(across));
    let pos = MARGIN + (span - rowLength(row)) / 2;
    for (const b of row) {
      const offset = depth + (thick - across(b)) / 2;
      if (lr) [b.x, b.y] = [offset, pos];
      else [b.x, b.y] = [pos, offset];
      centerOf.set(b, pos + along(b) / 2);
      pos += along(b) + GAP_SIBLING;
    }
    depth += thick + GAP_RANK;
  });
  const width = lr ? depth - GAP_RANK + MARGIN : span + 2 * MARGIN;
  const height = lr ? span + 2 * MARGIN : depth - GAP_RANK + MARGIN;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" ` +
      `font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" font-size="${FONT_SIZE}" role="img">`,
  );
  out.push(`<title>${esc(`Model "${model.name}": ${layers.length} layers`)}</title>`);
  out.push(
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">' +
      '<path d="M0,0L10,5L0,10z" fill="#555"/></marker></defs>',
  );
  for (const [from, to] of edges) {
    const a = boxes.get(from) as Box;
    const b = boxes.get(to) as Box;
    const [x1, y1, x2, y2] = lr ? [a.x + a.w, a.y + a.h / 2, b.x, b.y + b.h / 2] : [a.x + a.w / 2, a.y + a.h, b.x + b.w / 2, b.y];
    const mid = lr ? `C${n((x1 + x2) / 2)},${n(y1)} ${n((x1 + x2) / 2)},${n(y2)}` : `C${n(x1)},${n((y1 + y2) / 2)} ${n(x2)},${n((y1 + y2) / 2)}`;
    out.push(
      `<path class="edge" data-from="${esc(from.name)}" data-to="${esc(to.name)}" d="M${n(x1)},${n(y1)} ${mid} ${n(x2)},${n(y2)}" ` +
        'fill="none" stroke="#555" stroke-width="1.2" marker-end="url(#arrow)"/>',
    );
  }
  for (const b of boxes.values()) {
    out.push(`<g class="layer" data-name="${esc(b.layer.name)}" data-class="${esc(b.layer.className)}">`);
    out.push(`<rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.w)}" height="${n(b.h)}" rx="4" fill="#f6f8fa" stroke="#444"/>`);
    b.lines.forEach((line, i) => {
      const weight = i === 0 ? ' font-weight="bold"' : '';
      out.push(`<text x="${n(b.x + PAD_X)}" y="${n(b.y + PAD_Y + (i + 0.75) * LINE_H)}"${weight} fill="#111">${esc(line)}</text>`);
    });
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}
