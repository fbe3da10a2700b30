/**
 * Fan-in and fan-out as Keras computes them: a dense kernel `[in, out]` gives `(in, out)`; a
 * convolution kernel `[...spatial, inChannels, outChannels]` multiplies both by the receptive
 * field (the product of the spatial dims); a vector `[n]` gives `(n, n)`; a scalar `(1, 1)`.
 */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const receptiveField = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2] * receptiveField, fanOut: shape[shape.length - 1] * receptiveField };
}
