// Keras's `affine_transform` (TensorFlow's ImageProjectiveTransformV3), composed of portable ops:
// source coordinates per output pixel, TensorFlow's fill-mode mapping, and gathers for the
// interpolation. The backends' own Transform kernels are not used: in tfjs 4.22 the cpu kernel
// fills every image of a batch but the first with the fill value, and the wasm kernel maps
// negative coordinates wrongly in 'reflect' mode; this gives TensorFlow's values everywhere.
import {
  abs, add, cast, customGrad, div, expandDims, floor, gather, greater, greaterEqual, lessEqual, less, logicalAnd,
  maximum, minimum, mul, neg, notEqual, range, reshape, sign, stack, sub, unstack, where, zerosLike,
} from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';

/** How pixels outside the image are filled: Keras's `fill_mode`. */
export type FillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';

/** Toward zero (C's cast to an integer). */
function trunc(v: Tensor): Tensor {
  return mul(sign(v), floor(abs(v)));
}

/** `std::round`: halves away from zero. */
function roundAway(v: Tensor): Tensor {
  return mul(sign(v), floor(add(abs(v), 0.5)));
}

function clamp(c: Tensor, n: number): Tensor {
  return minimum(maximum(c, 0), n - 1);
}

/** TensorFlow's `MapCoordinate` for one axis of length `n` (image_ops.h), elementwise. */
function mapCoordinate(c: Tensor, n: number, mode: FillMode): Tensor {
  if (mode === 'constant') return c;
  if (mode === 'nearest' || n <= 1) return clamp(mode === 'nearest' ? c : mul(c, 0), n);
  if (mode === 'reflect') {
    const sz2 = 2 * n;
    // below 0: into (−2n, 0], then [−2n, −n) shifts up by 2n and [−n, 0) reflects to −c − 1
    const low = add(mul(trunc(div(neg(c), sz2)), sz2), c);
    const lowMapped = where(less(low, -n), add(low, sz2), sub(neg(low), 1));
    // above n − 1: into [0, 2n), then [n, 2n) reflects to 2n − c − 1
    const high = sub(c, mul(trunc(div(c, sz2)), sz2));
    const highMapped = where(greaterEqual(high, n), sub(sz2 - 1, high), high);
    return clamp(where(less(c, 0), lowMapped, where(greater(c, n - 1), highMapped, c)), n);
  }
  // wrap
  const sz = n - 1;
  const low = add(c, mul(add(trunc(div(neg(c), sz)), 1), n));
  const high = sub(c, mul(trunc(div(c, sz)), n));
  return clamp(where(less(c, 0), low, where(greater(c, n - 1), high, c)), n);
}

/** The transform of a channels-last batch (see `affineTransform`), without a gradient of its own. */
function transformImages(images: Tensor, transforms: Tensor, interpolation: 'bilinear' | 'nearest', fillMode: FillMode, fillValue: number): Tensor {
  const [b, h, w, ch] = images.shape;
  const coef = unstack(transforms, 1).map((t) => reshape(t, [b, 1, 1]));
  const xs = reshape(range(0, w, 1, 'float32'), [1, 1, w]);
  const ys = reshape(range(0, h, 1, 'float32'), [1, h, 1]);
  const proj = add(add(mul(coef[6], xs), mul(coef[7], ys)), 1);
  const finite = notEqual(proj, 0);
  const safe = where(finite, proj, 1);
  const inX = mapCoordinate(div(add(add(mul(coef[0], xs), mul(coef[1], ys)), coef[2]), safe), w, fillMode);
  const inY = mapCoordinate(div(add(add(mul(coef[3], xs), mul(coef[4], ys)), coef[5]), safe), h, fillMode);
  const flat = reshape(images, [b * h * w, ch]);
  const base = reshape(mul(range(0, b, 1, 'float32'), h * w), [b, 1, 1]);
  // the pixel (py, px) of each image, or the fill value outside it (or where the projection is 0)
  const read = (py: Tensor, px: Tensor): Tensor => {
    const inside = logicalAnd(finite, logicalAnd(logicalAnd(greaterEqual(py, 0), lessEqual(py, h - 1)), logicalAnd(greaterEqual(px, 0), lessEqual(px, w - 1))));
    const idx = add(base, add(mul(clamp(py, h), w), clamp(px, w)));
    const v = reshape(gather(flat, reshape(cast(idx, 'int32'), [-1])), [b, h, w, ch]);
    return where(expandDims(inside, 3), v, fillValue);
  };
  if (interpolation === 'nearest') return read(roundAway(inY), roundAway(inX));
  const x0 = floor(inX);
  const y0 = floor(inY);
  const x1 = add(x0, 1);
  const y1 = add(y0, 1);
  const e = (t: Tensor): Tensor => expandDims(t, 3);
  const [wx0, wx1, wy0, wy1] = [sub(x1, inX), sub(inX, x0), sub(y1, inY), sub(inY, y0)].map(e);
  const top = add(mul(wx0, read(y0, x0)), mul(wx1, read(y0, x1)));
  const bottom = add(mul(wx0, read(y1, x0)), mul(wx1, read(y1, x1)));
  return add(mul(wy0, top), mul(wy1, bottom));
}

/**
 * The inverse transforms of `[batch, 8]` projective transforms (the 3×3 matrices
 * `[[a0, a1, a2], [b0, b1, b2], [c0, c1, 1]]`), normalized so their last entry is 1: the
 * adjugate divided by its corner (the determinant cancels).
 */
export function invertTransforms(t: Tensor): Tensor {
  const [a, b, c, d, e, f, g, h] = unstack(t, 1);
  const A = sub(e, mul(f, h));
  const B = neg(sub(d, mul(f, g)));
  const C = sub(mul(d, h), mul(e, g));
  const D = neg(sub(b, mul(c, h)));
  const E = sub(a, mul(c, g));
  const F = neg(sub(mul(a, h), mul(b, g)));
  const G = sub(mul(b, f), mul(c, e));
  const H = neg(sub(mul(a, f), mul(c, d)));
  const I = sub(mul(a, e), mul(b, d));
  return div(stack([A, D, G, B, E, H, C, F], 1), expandDims(I, 1));
}

/**
 * Keras's `affine_transform` on a channels-last batch: output pixel `(x, y)` of image `i` samples
 * the input at `((a0·x + a1·y + a2) / k, (b0·x + b1·y + b2) / k)`, `k = c0·x + c1·y + 1`, for the
 * row `[a0, a1, a2, b0, b1, b2, c0, c1]` of `transforms` (`[batch, 8]`), points outside the image
 * mapped by `fillMode` as TensorFlow's ImageProjectiveTransformV3. Its gradient is TensorFlow's:
 * the output gradient transformed by the inverse transforms (same interpolation and fill mode,
 * fill 0), so an augmentation placed after trainable layers trains as in Keras on TensorFlow.
 */
export function affineTransform(x: Tensor, transforms: Tensor, interpolation: 'bilinear' | 'nearest', fillMode: FillMode, fillValue: number): Tensor {
  const f = customGrad(((images: Tensor, t: Tensor, save: (ts: Tensor[]) => void) => {
    save([t]);
    return {
      value: transformImages(images, t, interpolation, fillMode, fillValue),
      gradFunc: (dy: Tensor, [saved]: Tensor[]) => [transformImages(dy, invertTransforms(saved), interpolation, fillMode, 0), zerosLike(saved)],
    };
  }) as never) as unknown as (a: Tensor, b: Tensor) => Tensor;
  return f(x, transforms);
}

