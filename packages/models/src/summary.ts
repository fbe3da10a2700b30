import type { Layer, Node } from '@neurona/layers';
import type { Graph } from './graph';
import { describeValue } from '@neurona/common';

/** Options of `summary`. */
export interface SummaryOptions {
  /** Called with each line; default `console.log`. Pass `() => {}` to only get the string. */
  printFn?: (line: string) => void;
  /** Total width; default 65 (Sequential) or 98 (functional), as Keras. */
  lineLength?: number;
  /** Column ends as fractions of the width (or absolute positions). */
  positions?: number[];
}

/** The parts of a model the summary reads. */
export interface SummaryModel {
  readonly name: string;
  readonly kind: string;
}

/** `(None, 28, 28)` as Keras prints shapes. */
export function kerasShape(shape: readonly (number | null)[]): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}

/** `7,850` */
export function withCommas(n: number): string {
  return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Python's `'%.2f'`: exact ties round to even (98.125 → `98.12`), unlike `toFixed`. */
function fixed2(x: number): string {
  const scaled = x * 100;
  let r = Math.round(scaled);
  if (scaled - Math.floor(scaled) === 0.5 && r % 2 !== 0) r -= 1;
  return (r / 100).toFixed(2);
}

/** Keras's memory size: `30.66 KB`, `0.00 Byte`. */
export function readableBytes(bytes: number): string {
  const units = ['Byte', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${fixed2(size)} ${unit}`;
    size /= 1024;
  }
  return `${fixed2(size)} EB`;
}

/** One table row, wrapped over several lines when a field does not fit its column (as Keras). */
function row(fields: string[], positions: number[]): string[] {
  const left = [...fields];
  const lines: string[] = [];
  do {
    let line = '';
    for (let col = 0; col < left.length; col++) {
      const start = col > 0 ? positions[col - 1] : 0;
      const space = col !== positions.length - 1 ? 2 : 0;
      let cutoff = positions[col] - start - space - (col === 0 ? 1 : 0);
      let fit = left[col].slice(0, cutoff);
      // break after the end of a list item, as Keras does
      const breaks = ['),', '],', "',"].map((b) => fit.indexOf(b)).filter((i) => i >= 0);
      if (breaks.length > 0 && fit.length < left[col].length) {
        cutoff = Math.min(...breaks) + 2;
        fit = fit.slice(0, cutoff);
      }
      if (col === 0) line += ' ';
      line += fit + ' '.repeat(space);
      left[col] = left[col].slice(fit.length);
      line += ' '.repeat(Math.max(0, positions[col] - line.length));
    }
    lines.push(line.trimEnd());
  } while (left.some((f) => f.length > 0));
  return lines;
}

function nodesOf(graph: Graph, layer: Layer): Node[] {
  const inGraph = new Set(graph.nodes);
  const own = layer.inboundNodes.filter((n) => inGraph.has(n) || (n.isInput && graph.inputs.some((t) => t.sourceLayer === layer)));
  return own;
}

function outputShapeText(nodes: Node[], functional: boolean, isInput: boolean): string {
  const shapes = nodes.flatMap((n) => n.outputTensors.map((t) => kerasShape(t.shape)));
  if (shapes.length === 0) return 'multiple';
  if (isInput && functional) return `[${shapes.join(', ')}]`;
  return shapes.length === 1 ? shapes[0] : `[${shapes.join(', ')}]`;
}

/** The Keras summary table of a built model (see `LayersModel.summary`). */
/** Refuse options that would print nonsense (or loop: a column that never fits its text). */
function checkSummaryOptions(options: SummaryOptions, columns: number): void {
  const { printFn, lineLength, positions } = options;
  if (printFn !== undefined && typeof printFn !== 'function') throw new Error(`summary: printFn must be a function (line) => void, got ${describeValue(printFn)}`);
  if (lineLength !== undefined && (!Number.isInteger(lineLength) || lineLength < 20 || lineLength > 1000)) {
    throw new Error(`summary: lineLength must be an integer from 20 to 1000, got ${describeValue(lineLength)}`);
  }
  if (positions !== undefined) {
    const ok = Array.isArray(positions) && positions.length === columns && positions.every((p, i) => typeof p === 'number' && Number.isFinite(p) && p > 0 && (i === 0 || p > positions[i - 1]));
    if (!ok) throw new Error(`summary: positions must be ${columns} increasing column ends (fractions of the width, or positions), got ${describeValue(positions)}`);
  }
}

export function summarize(model: SummaryModel, graph: Graph, options: SummaryOptions = {}): string {
  const functional = model.kind !== 'Sequential';
  checkSummaryOptions(options, functional ? 4 : 3);
  const lineLength = options.lineLength ?? (functional ? 98 : 65);
  let positions = options.positions ?? (functional ? [0.3, 0.6, 0.7, 1] : [0.45, 0.85, 1]);
  if (positions[positions.length - 1] <= 1) positions = positions.map((p) => Math.floor(lineLength * p));
  // a column narrower than a few characters never fits its text (the row wrapper would not end)
  if (positions.some((p, i) => p - (i === 0 ? 0 : positions[i - 1]) < 4)) {
    throw new Error(`summary: columns must be at least 4 characters wide; positions ${describeValue(options.positions)} with lineLength ${lineLength} give [${positions.join(', ')}]`);
  }
  const header = functional ? ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'] : ['Layer (type)', 'Output Shape', 'Param #'];
  const lines: string[] = [];
  lines.push(`Model: "${model.name}"`);
  lines.push('_'.repeat(lineLength));
  lines.push(...row(header, positions));
  lines.push('='.repeat(lineLength));
  const layers = functional ? graph.layers : graph.layers.filter((l) => l.className !== 'InputLayer');
  layers.forEach((layer) => {
    const nodes = nodesOf(graph, layer);
    const isInput = layer.className === 'InputLayer';
    const params = layer.built ? layer.countParams() : 0;
    const fields = [`${layer.name} (${layer.className})`, outputShapeText(nodes, functional, isInput), String(params)];
    if (functional) {
      const inbound = nodes.flatMap((n) => n.inputTensors.map((t) => `'${t.sourceLayer.name}[${t.nodeIndex}][${t.tensorIndex}]'`));
      fields.push(`[${inbound.join(', ')}]`);
    }
    lines.push(...row(fields, positions));
    lines.push('');
  });
  lines.push('='.repeat(lineLength));
  const seen = new Set<unknown>();
  let total = 0;
  let trainable = 0;
  for (const l of graph.layers) {
    for (const v of l.weights) {
      if (seen.has(v)) continue;
      seen.add(v);
      total += v.size;
    }
  }
  const seenT = new Set<unknown>();
  for (const l of graph.layers) {
    for (const v of l.trainableWeights) {
      if (seenT.has(v)) continue;
      seenT.add(v);
      trainable += v.size;
    }
  }
  const fixed = total - trainable;
  // float32 weights: 4 bytes each
  lines.push(`Total params: ${withCommas(total)} (${readableBytes(total * 4)})`);
  lines.push(`Trainable params: ${withCommas(trainable)} (${readableBytes(trainable * 4)})`);
  lines.push(`Non-trainable params: ${withCommas(fixed)} (${readableBytes(fixed * 4)})`);
  lines.push('_'.repeat(lineLength));
  const print = options.printFn ?? ((l: string) => console.log(l));
  for (const l of lines) print(l);
  return lines.join('\n');
}
