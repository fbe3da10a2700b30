// Depthwise convolution (one input channel per group, `og` filters each) as direct loops over
// channels-last memory: for every output cell and tap, one pass over the channels. A GEMM per
// channel would be nothing but overhead.
import type { ConvShape } from './conv-shape';

/** Calls `visit(p, q, t)` for every output cell p, input cell q (both counted in cells) and tap t. */
function forEachTap(s: ConvShape, visit: (p: number, q: number, t: number) => void): void {
  const { N, D, H, W, KD, KH, KW, OD, OH, OW, sd, sh, sw, dd, dh, dw, pd, ph, pw } = s;
  let p = 0;
  for (let n = 0; n < N; n++)
    for (let od = 0; od < OD; od++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++, p++)
          for (let a = 0; a < KD; a++) {
            const id = od * sd - pd + a * dd;
            if (id < 0 || id >= D) continue;
            for (let b = 0; b < KH; b++) {
              const ih = oh * sh - ph + b * dh;
              if (ih < 0 || ih >= H) continue;
              for (let e = 0; e < KW; e++) {
                const iw = ow * sw - pw + e * dw;
                if (iw < 0 || iw >= W) continue;
                visit(p, ((n * D + id) * H + ih) * W + iw, (a * KH + b) * KW + e);
              }
            }
          }
}

/** y[p, c·og + j] = bias + Σ_t x[q, c] · w[t, c·og + j]. */
export function depthwiseForward(x: Float32Array, w: Float32Array, bias: Float32Array | null, s: ConvShape, y: Float32Array): void {
  const { C, O, og, M } = s;
  if (bias) for (let p = 0; p < M; p++) y.set(bias, p * O);
  else y.fill(0);
  forEachTap(s, (p, q, t) => {
    const yo = p * O;
    const xo = q * C;
    const wo = t * O;
    if (og === 1) for (let c = 0; c < C; c++) y[yo + c] += x[xo + c] * w[wo + c];
    else for (let c = 0; c < C; c++) {
      const v = x[xo + c];
      for (let j = 0; j < og; j++) y[yo + c * og + j] += v * w[wo + c * og + j];
    }
  });
}

/** dx[q, c] += Σ_j dy[p, c·og + j] · w[t, c·og + j] (dx zeroed by the caller). */
export function depthwiseBackpropInput(dy: Float32Array, w: Float32Array, s: ConvShape, dx: Float32Array): void {
  const { C, O, og } = s;
  forEachTap(s, (p, q, t) => {
    const go = p * O;
    const xo = q * C;
    const wo = t * O;
    if (og === 1) for (let c = 0; c < C; c++) dx[xo + c] += dy[go + c] * w[wo + c];
    else for (let c = 0; c < C; c++) {
      let acc = 0;
      for (let j = 0; j < og; j++) acc += dy[go + c * og + j] * w[wo + c * og + j];
      dx[xo + c] += acc;
    }
  });
}

/** dw[t, c·og + j] += Σ_p x[q, c] · dy[p, c·og + j] (dw zeroed by the caller). */
export function depthwiseBackpropFilter(x: Float32Array, dy: Float32Array, s: ConvShape, dw: Float32Array): void {
  const { C, O, og } = s;
  forEachTap(s, (p, q, t) => {
    const go = p * O;
    const xo = q * C;
    const wo = t * O;
    if (og === 1) for (let c = 0; c < C; c++) dw[wo + c] += x[xo + c] * dy[go + c];
    else for (let c = 0; c < C; c++) {
      const v = x[xo + c];
      for (let j = 0; j < og; j++) dw[wo + c * og + j] += v * dy[go + c * og + j];
    }
  });
}
