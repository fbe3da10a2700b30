// Image resizing as TensorFlow's `tf.image.resize` (half-pixel centers, no antialiasing), which
// Keras's Resizing, UpSampling2D(bilinear), CenterCrop and RandomCrop use. Resizing is separable:
// each output row (column) is a fixed weighted sum of input rows (columns), so it is two products
// with small interpolation matrices. That gives the exact values and an exact gradient on every
// backend (tfjs's ResizeBilinearGrad ignores half-pixel centers; its gather-based alternatives
// need UnsortedSegmentSum, which the wasm backend lacks).
import { matMul, reshape, tensor2d, transpose } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import type { DataFormat } from './spatial-args';

/** How values between pixels are computed. */
export type Interpolation = 'bilinear' | 'nearest';

/**
 * The `[outSize, inSize]` matrix taking a line of `inSize` pixels to `outSize` pixels, as
 * TensorFlow's half-pixel-centers resize: output pixel `i` samples input position
 * `(i + 0.5)·in/out − 0.5` (bilinear: the two neighbours, clamped at the edges; nearest:
 * `floor((i + 0.5)·in/out)`).
 */
export function interpolationMatrix(inSize: number, outSize: number, interpolation: Interpolation): number[][] {
  const scale = inSize / outSize;
  const m = Array.from({ length: outSize }, () => Array.from({ length: inSize }, () => 0));
  for (let i = 0; i < outSize; i++) {
    if (interpolation === 'nearest') {
      m[i][Math.min(Math.floor((i + 0.5) * scale), inSize - 1)] = 1;
      continue;
    }
    const src = (i + 0.5) * scale - 0.5;
    const f = Math.floor(src);
    const lerp = src - f;
    const lo = Math.min(Math.max(f, 0), inSize - 1);
    const hi = Math.min(Math.max(f + 1, 0), inSize - 1);
    m[i][lo] += 1 - lerp;
    m[i][hi] += lerp;
  }
  return m;
}

/**
 * `[batch, h, w, c]` (or `[batch, c, h, w]` with channels first) resized to `height × width`.
 * Differentiable with respect to `x`.
 */
export function resizeImages(x: Tensor, height: number, width: number, interpolation: Interpolation, format: DataFormat = 'channels_last'): Tensor {
  const nhwc = format === 'channels_first' ? transpose(x, [0, 2, 3, 1]) : x;
  const [b, h, w, c] = nhwc.shape;
  if (h === height && w === width) return format === 'channels_first' ? x : nhwc;
  // rows: [h, b·w·c] ← [height, h] · ...
  const rows = transpose(nhwc, [1, 0, 2, 3]);
  const byRows = reshape(matMul(tensor2d(interpolationMatrix(h, height, interpolation)), reshape(rows, [h, b * w * c])), [height, b, w, c]);
  // columns: [w, height·b·c] ← [width, w] · ...
  const cols = reshape(transpose(byRows, [2, 0, 1, 3]), [w, height * b * c]);
  const byCols = reshape(matMul(tensor2d(interpolationMatrix(w, width, interpolation)), cols), [width, height, b, c]);
  return transpose(byCols, format === 'channels_first' ? [2, 3, 1, 0] : [2, 1, 0, 3]);
}
