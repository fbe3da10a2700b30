// What the convolution and pooling layers share: Keras's argument standardization (a number or a
// list of `rank` numbers), padding and data format names, output sizes, the named shapes their
// messages print, and the move between channels_first and the channels_last form the ops take.
import { transpose } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import { describeValue, formatShape } from './shape';
import { checkDataFormat, intTuple, type DataFormat } from './spatial-args';

export type { DataFormat };

/** Padding of a convolution layer (`'causal'`: 1-D convolutions only). */
export type ConvLayerPadding = 'valid' | 'same' | 'causal';

/** A number for every spatial axis, or one per axis. */
export type SpatialArg = number | number[];

const SPATIAL_NAMES: Record<number, string[]> = { 1: ['steps'], 2: ['height', 'width'], 3: ['depth', 'height', 'width'] };

/** `[...spatial names]` of a rank (`['height', 'width']`). */
export function spatialNames(rank: number): string[] {
  return SPATIAL_NAMES[rank];
}

/** Keras's `standardize_tuple`: `3` → `[3, 3]`; a list must have `rank` entries, each ≥ min (the spatial layers' rule). */
export const standardizeTuple = intTuple;

/** Keras's `standardize_padding`: case-insensitive `'valid'`, `'same'` (and `'causal'` where allowed). */
export function standardizePadding(where: string, value: unknown, allowCausal: boolean): ConvLayerPadding {
  const allowed = allowCausal ? ['valid', 'same', 'causal'] : ['valid', 'same'];
  const v = typeof value === 'string' ? value.toLowerCase() : value;
  if (typeof v !== 'string' || !allowed.includes(v)) {
    throw new Error(`${where}: padding must be one of ${allowed.map((p) => `'${p}'`).join(', ')}, got ${describeValue(value)}`);
  }
  return v as ConvLayerPadding;
}

/** `'channels_last'` (default) or `'channels_first'` (the spatial layers' rule). */
export const standardizeDataFormat = checkDataFormat;

/** A positive integer option (filters, groups, depthMultiplier). */
export function positiveInt(where: string, what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new Error(`${where}: ${what} must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

/** The expected input shape as messages print it: `[null, height, width, channels]`. */
export function namedInputShape(rank: number, dataFormat: DataFormat, channels?: number | null): string {
  const c = channels === undefined || channels === null ? 'channels' : String(channels);
  const parts = dataFormat === 'channels_last' ? ['null', ...spatialNames(rank), c] : ['null', c, ...spatialNames(rank)];
  return `[${parts.join(', ')}]`;
}

/** Spatial sizes and channel count of an input shape in either data format. */
export function splitShape(shape: Shape, dataFormat: DataFormat): { spatial: (number | null)[]; channels: number | null } {
  return dataFormat === 'channels_last'
    ? { spatial: shape.slice(1, -1), channels: shape[shape.length - 1] }
    : { spatial: shape.slice(2), channels: shape[1] };
}

/** A shape from batch, spatial sizes and channels in the given data format. */
export function joinShape(batch: number | null, spatial: (number | null)[], channels: number | null, dataFormat: DataFormat): Shape {
  return dataFormat === 'channels_last' ? [batch, ...spatial, channels] : [batch, channels, ...spatial];
}

/** Effective kernel extent with dilation: `(k − 1)·d + 1`. */
export function effectiveSize(k: number, d: number): number {
  return (k - 1) * d + 1;
}

/** Output size of one spatial axis of a convolution or pooling window (Keras's formula), or null if unknown. */
export function outputLength(n: number | null, k: number, s: number, d: number, padding: ConvLayerPadding): number | null {
  if (n === null) return null;
  if (padding === 'valid') return Math.floor((n - effectiveSize(k, d)) / s) + 1;
  return Math.floor((n - 1) / s) + 1;
}

/**
 * Throws, naming the layer, when a 'valid' window is larger than the input on some axis (the
 * output would be empty): `Conv2D "conv2d": the height of the input (2) is smaller than the kernel (3) ...`.
 */
export function checkWindowFits(where: string, what: 'kernel' | 'pool window', spatial: (number | null)[], k: number[], s: number[], d: number[], padding: ConvLayerPadding, input: Shape): void {
  const names = spatialNames(k.length);
  spatial.forEach((n, i) => {
    const out = outputLength(n, k[i], s[i], d[i], padding);
    if (out !== null && out <= 0) {
      const eff = effectiveSize(k[i], d[i]);
      throw new Error(
        `${where}: the ${names[i]} of the input (${n}) is smaller than the ${what} (${k[i]}${d[i] > 1 ? `, dilated to ${eff}` : ''}) with padding 'valid', ` +
          `so the output would be empty (input ${formatShape(input)}); use padding 'same' or a smaller ${what}`,
      );
    }
  });
}

/** Checks the rank of an input shape, with the named form in the message. */
export function checkRank(where: string, shape: Shape, rank: number, dataFormat: DataFormat, channels?: number | null): void {
  if (shape.length !== rank + 2) {
    throw new Error(`${where} expects input ${namedInputShape(rank, dataFormat, channels)}, got ${formatShape(shape)}`);
  }
}

/** channels_first → channels_last (a transpose), for the ops, which take channels last. */
export function toChannelsLast(x: Tensor, dataFormat: DataFormat): Tensor {
  if (dataFormat === 'channels_last') return x;
  const r = x.rank;
  return transpose(x, [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1]);
}

/** channels_last → the layer's data format. */
export function fromChannelsLast(y: Tensor, dataFormat: DataFormat): Tensor {
  if (dataFormat === 'channels_last') return y;
  const r = y.rank;
  return transpose(y, [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)]);
}
