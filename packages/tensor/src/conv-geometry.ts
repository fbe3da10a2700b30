// The geometry of convolutions and pooling windows: sizes, strides, dilations and paddings in
// the internal form every conv and pool kernel uses (three spatial axes, explicit padding before
// and after each). Keras's rules: `valid` pads nothing, `same` pads TensorFlow's way (the odd
// cell goes after), `causal` pads only before; transposed convolutions are the input gradient
// of the forward convolution whose input has the transposed output's size.

/** Padding of a convolution or pooling window. */
export type ConvPadding = 'valid' | 'same' | 'causal';

/** Explicit padding of the three internal spatial axes: `[dBefore, dAfter, hBefore, hAfter, wBefore, wAfter]`. */
export type Pads6 = [number, number, number, number, number, number];

/** A size per spatial axis from a number (every axis) or a list of `rank` numbers. */
export function spatialTuple(where: string, what: string, value: unknown, rank: number, min = 1): number[] {
  const list = typeof value === 'number' ? Array.from({ length: rank }, () => value) : value;
  const ok = Array.isArray(list) && list.length === rank && list.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= min);
  if (!ok) {
    const shown = Array.isArray(value) ? `[${value.join(', ')}]` : JSON.stringify(value);
    throw new Error(`${where}: ${what} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer or a list of ${rank}, got ${shown}`);
  }
  return [...(list as number[])];
}

/** The extent a dilated kernel covers: `(k − 1)·d + 1`. */
export function effectiveKernel(k: number, d: number): number {
  return (k - 1) * d + 1;
}

/** Padding before and after one axis of a forward convolution or pooling window. */
export function axisPadding(padding: ConvPadding, inSize: number, k: number, s: number, d: number): [number, number] {
  const kEff = effectiveKernel(k, d);
  if (padding === 'valid') return [0, 0];
  if (padding === 'causal') return [kEff - 1, 0];
  // TensorFlow's SAME: out = ceil(in / s); the odd cell of padding goes after
  const out = Math.ceil(inSize / s);
  const total = Math.max((out - 1) * s + kEff - inSize, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** Output size of one axis of a forward convolution or pooling window (Keras's formula). */
export function convOutputSize(padding: ConvPadding, inSize: number, k: number, s: number, d: number): number {
  if (padding === 'valid') return Math.floor((inSize - effectiveKernel(k, d)) / s) + 1;
  return Math.floor((inSize - 1) / s) + 1;
}

/**
 * Output size of one axis of a transposed convolution, as Keras (`compute_conv_transpose_output_shape`):
 * `valid`: (in − 1)·s + kEff + outputPadding (outputPadding defaults to max(kEff, s) − kEff);
 * `same`: in·s without outputPadding, (in − 1)·s + kEff mod 2 + outputPadding with it.
 */
export function convTransposeOutputSize(padding: 'valid' | 'same', inSize: number, k: number, s: number, d: number, outputPadding: number | null): number {
  const kEff = effectiveKernel(k, d);
  if (padding === 'valid') return (inSize - 1) * s + kEff + (outputPadding ?? Math.max(kEff, s) - kEff);
  return outputPadding === null ? inSize * s : (inSize - 1) * s + (kEff % 2) + outputPadding;
}

/**
 * Padding of the forward convolution whose input gradient a transposed convolution is: the one
 * that takes an input of `outSize` cells to `inSize` cells (TensorFlow's conv_transpose).
 */
export function transposePadding(padding: 'valid' | 'same', inSize: number, outSize: number, k: number, s: number, d: number): [number, number] {
  const kEff = effectiveKernel(k, d);
  if (padding === 'valid') return [0, Math.max((inSize - 1) * s + kEff - outSize, 0)];
  const total = Math.max((inSize - 1) * s + kEff - outSize, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}
