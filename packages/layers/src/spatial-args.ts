// Argument checks shared by the spatial layers (padding, cropping, up-sampling, spatial dropout,
// image preprocessing): Keras's tuple forms and `dataFormat`, with messages naming the layer.
import { describeValue, formatShape } from './shape';

/** Where the channels are: last (`[batch, height, width, channels]`, Keras's default) or first. */
export type DataFormat = 'channels_last' | 'channels_first';

/** `dataFormat` checked (`undefined`/`null` is `'channels_last'`, as Keras's default image data format). */
export function checkDataFormat(where: string, value: unknown): DataFormat {
  if (value === undefined || value === null) return 'channels_last';
  if (value !== 'channels_last' && value !== 'channels_first') {
    throw new Error(`${where}: dataFormat must be 'channels_last' or 'channels_first', got ${describeValue(value)}`);
  }
  return value;
}

function isInt(v: unknown, min: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min;
}

/**
 * Keras's `standardize_tuple`: an integer (repeated `n` times) or a list of `n` integers, each at
 * least `min` (1 for sizes, 0 for paddings).
 */
export function intTuple(where: string, what: string, value: unknown, n: number, min = 1): number[] {
  if (isInt(value, min)) return Array.from({ length: n }, () => value);
  if (Array.isArray(value) && value.length === n && value.every((v) => isInt(v, min))) return [...(value as number[])];
  const kind = min === 0 ? 'non-negative' : 'positive';
  throw new Error(`${where}: ${what} must be a ${kind} integer or a list of ${n} ${kind} integers, got ${describeValue(value)}`);
}

/**
 * Per spatial dimension, the amounts before and after (ZeroPadding, Cropping): an integer (the
 * same everywhere), `n` integers (symmetric per dimension), or `n` pairs `[before, after]`.
 * With `n = 1` a pair `[before, after]` is also accepted, as Keras's 1D layers take it.
 */
export function pairTuple(where: string, what: string, value: unknown, n: number): [number, number][] {
  if (isInt(value, 0)) return Array.from({ length: n }, () => [value, value]);
  if (Array.isArray(value)) {
    if (n === 1 && value.length === 2 && value.every((v) => isInt(v, 0))) return [[value[0] as number, value[1] as number]];
    if (value.length === n && value.every((v) => isInt(v, 0))) return (value as number[]).map((v) => [v, v]);
    if (value.length === n && value.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => isInt(v, 0)))) {
      return (value as number[][]).map((p) => [p[0], p[1]]);
    }
  }
  const forms = n === 1 ? 'an integer or [before, after]' : `an integer, ${n} integers, or ${n} pairs [before, after]`;
  throw new Error(`${where}: ${what} must be ${forms} of non-negative integers, got ${describeValue(value)}`);
}

/** Axes of the spatial dimensions of a rank-`rank` input (`[1, 2]` for channels-last images). */
export function spatialAxes(rank: number, format: DataFormat): number[] {
  const n = rank - 2;
  const first = format === 'channels_last' ? 1 : 2;
  return Array.from({ length: n }, (_, i) => first + i);
}

/** Throws, naming the layer, unless `shape` has the rank of `dims` spatial dimensions plus batch and channels. */
export function checkSpatialRank(layer: { toString(): string }, dims: number, format: DataFormat, shape: readonly (number | null)[]): void {
  if (shape.length !== dims + 2) {
    throw new Error(`${layer} expects input ${expectedLayout(dims, format)}, got ${formatShape(shape)}`);
  }
}

/** The expected input, written as messages show it (`[null, height, width, channels]`). */
export function expectedLayout(n: number, format: DataFormat): string {
  const names = n === 1 ? ['steps'] : n === 2 ? ['height', 'width'] : ['depth', 'height', 'width'];
  const dims = format === 'channels_last' ? [...names, 'channels'] : ['channels', ...names];
  return `[null, ${dims.join(', ')}]`;
}
