// Direct float64 loops for convolution and pooling, from their definitions, independent of the
// kernels under test: y[n, p, o] = Σ_t Σ_c x[n, p·s + t·d − padBefore, c] · w[t, c, o] over the
// group of o, with cells outside the input read as 0. Shapes are 5-D channels-last (three
// spatial axes); the gradients are the same sums read the other way.

export interface Geometry {
  strides: number[];
  dilations: number[];
  /** [dBefore, dAfter, hBefore, hAfter, wBefore, wAfter] */
  pads: number[];
  groups: number;
}

export interface Arr {
  shape: number[];
  data: Float64Array;
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
export const zeros = (shape: number[]): Arr => ({ shape, data: new Float64Array(size(shape)) });

/** TensorFlow's padding of one axis for 'same' (odd cell after), or none for 'valid'. */
export function tfPad(padding: 'valid' | 'same' | 'causal', n: number, k: number, s: number, d: number): [number, number] {
  const kEff = (k - 1) * d + 1;
  if (padding === 'valid') return [0, 0];
  if (padding === 'causal') return [kEff - 1, 0];
  const out = Math.ceil(n / s);
  const total = Math.max(0, (out - 1) * s + kEff - n);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function outSize(n: number, k: number, s: number, d: number, b: number, a: number): number {
  return Math.floor((n + b + a - (k - 1) * d - 1) / s) + 1;
}

/** Visit every (output cell, tap, input cell) triple of a 5-D convolution. */
function forEachTap(
  xs: number[],
  ws: number[],
  g: Geometry,
  visit: (xi: number, wi: number, yi: number) => void,
): number[] {
  const [N, D, H, W, C] = xs;
  const [KD, KH, KW, cg, O] = ws;
  const og = O / g.groups;
  const od = outSize(D, KD, g.strides[0], g.dilations[0], g.pads[0], g.pads[1]);
  const oh = outSize(H, KH, g.strides[1], g.dilations[1], g.pads[2], g.pads[3]);
  const ow = outSize(W, KW, g.strides[2], g.dilations[2], g.pads[4], g.pads[5]);
  for (let n = 0; n < N; n++)
    for (let a = 0; a < od; a++)
      for (let b = 0; b < oh; b++)
        for (let e = 0; e < ow; e++)
          for (let o = 0; o < O; o++) {
            const grp = Math.floor(o / og);
            const yi = (((n * od + a) * oh + b) * ow + e) * O + o;
            for (let ta = 0; ta < KD; ta++) {
              const id = a * g.strides[0] + ta * g.dilations[0] - g.pads[0];
              if (id < 0 || id >= D) continue;
              for (let tb = 0; tb < KH; tb++) {
                const ih = b * g.strides[1] + tb * g.dilations[1] - g.pads[2];
                if (ih < 0 || ih >= H) continue;
                for (let te = 0; te < KW; te++) {
                  const iw = e * g.strides[2] + te * g.dilations[2] - g.pads[4];
                  if (iw < 0 || iw >= W) continue;
                  for (let c = 0; c < cg; c++) {
                    const xi = (((n * D + id) * H + ih) * W + iw) * C + grp * cg + c;
                    const wi = (((ta * KH + tb) * KW + te) * cg + c) * O + o;
                    visit(xi, wi, yi);
                  }
                }
              }
            }
          }
  return [N, od, oh, ow, O];
}

/** y = conv(x, w) + bias. */
export function convRef(x: Arr, w: Arr, g: Geometry, bias?: number[]): Arr {
  const shape = forEachTap(x.shape, w.shape, g, () => undefined);
  const y = zeros(shape);
  forEachTap(x.shape, w.shape, g, (xi, wi, yi) => {
    y.data[yi] += x.data[xi] * w.data[wi];
  });
  if (bias) for (let i = 0; i < y.data.length; i++) y.data[i] += bias[i % bias.length];
  return y;
}

/** Gradients of Σ G·conv(x, w) with respect to x and w. */
export function convGradRef(x: Arr, w: Arr, G: Arr, g: Geometry): { dx: Arr; dw: Arr } {
  const dx = zeros(x.shape);
  const dw = zeros(w.shape);
  forEachTap(x.shape, w.shape, g, (xi, wi, yi) => {
    dx.data[xi] += G.data[yi] * w.data[wi];
    dw.data[wi] += G.data[yi] * x.data[xi];
  });
  return { dx, dw };
}

/**
 * The transposed convolution out = Σ x[i]·w scattered to cells i·s + t·d − padBefore (kernel
 * [k, out, in] as Keras), with its gradients for the probe G.
 */
export function convTransposeRef(x: Arr, w: Arr, outShape: number[], g: Geometry, G?: Arr): { y: Arr; dx: Arr; dw: Arr } {
  // the forward conv maps outShape -> x.shape with filter w [k, out, in]
  const y = zeros(outShape);
  const dx = zeros(x.shape);
  const dw = zeros(w.shape);
  forEachTap(outShape, w.shape, g, (yi, wi, xi) => {
    y.data[yi] += x.data[xi] * w.data[wi];
  });
  if (G) {
    forEachTap(outShape, w.shape, g, (yi, wi, xi) => {
      dx.data[xi] += G.data[yi] * w.data[wi];
      dw.data[wi] += G.data[yi] * x.data[xi];
    });
  }
  return { y, dx, dw };
}

/** Max or average pooling with its input gradient for the probe G (TensorFlow's rules). */
export function poolRef(x: Arr, mode: 'max' | 'avg', k: number[], s: number[], pads: number[], G?: Arr): { y: Arr; dx: Arr } {
  const [N, D, H, W, C] = x.shape;
  const od = outSize(D, k[0], s[0], 1, pads[0], pads[1]);
  const oh = outSize(H, k[1], s[1], 1, pads[2], pads[3]);
  const ow = outSize(W, k[2], s[2], 1, pads[4], pads[5]);
  const y = zeros([N, od, oh, ow, C]);
  const dx = zeros(x.shape);
  for (let n = 0; n < N; n++)
    for (let a = 0; a < od; a++)
      for (let b = 0; b < oh; b++)
        for (let e = 0; e < ow; e++)
          for (let c = 0; c < C; c++) {
            const cells: number[] = [];
            for (let ta = 0; ta < k[0]; ta++)
              for (let tb = 0; tb < k[1]; tb++)
                for (let te = 0; te < k[2]; te++) {
                  const id = a * s[0] + ta - pads[0];
                  const ih = b * s[1] + tb - pads[2];
                  const iw = e * s[2] + te - pads[4];
                  if (id < 0 || id >= D || ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                  cells.push((((n * D + id) * H + ih) * W + iw) * C + c);
                }
            const yi = (((n * od + a) * oh + b) * ow + e) * C + c;
            if (mode === 'max') {
              let best = cells[0];
              for (const i of cells) if (x.data[i] > x.data[best]) best = i;
              y.data[yi] = x.data[best];
              if (G) dx.data[best] += G.data[yi];
            } else {
              let sum = 0;
              for (const i of cells) sum += x.data[i];
              y.data[yi] = sum / cells.length;
              if (G) for (const i of cells) dx.data[i] += G.data[yi] / cells.length;
            }
          }
  return { y, dx };
}

/** Seeded values, distinct enough that max pooling never ties. */
export function values(shape: number[], seed: number): Arr {
  const a = zeros(shape);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < a.data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a.data[i] = Math.fround(((s >>> 8) / (1 << 24)) * 2 - 1);
  }
  return a;
}
