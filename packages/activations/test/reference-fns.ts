// Independent float64 definitions of each activation, written from the closed forms, for the
// finite-difference gradient checks.

/** erf in float64: Taylor series for |z| < 3, Laplace's continued fraction for erfc above. */
export function erf64(z: number): number {
  const a = Math.abs(z);
  if (a < 3) {
    let term = z;
    let sum = z;
    for (let n = 1; n < 200; n++) {
      term *= (-z * z) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  let t = a;
  for (let n = 80; n >= 1; n--) t = a + n / 2 / t;
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / t;
  return Math.sign(z) * (1 - erfc);
}

const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const relu6 = (x: number): number => Math.min(Math.max(x, 0), 6);
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

export const SCALAR_REFS: Record<string, (x: number) => number> = {
  linear: (x) => x,
  sigmoid,
  tanh: Math.tanh,
  relu: (x) => Math.max(x, 0),
  relu6,
  leaky_relu: (x) => Math.max(0.1 * x, x),
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  selu: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
  gelu: (x) => 0.5 * x * (1 + erf64(x / Math.SQRT2)),
  silu: (x) => x * sigmoid(x),
  softplus,
  softsign: (x) => x / (1 + Math.abs(x)),
  hard_sigmoid: (x) => relu6(x + 3) / 6,
  hard_silu: (x) => (x * relu6(x + 3)) / 6,
  mish: (x) => x * Math.tanh(softplus(x)),
  log_sigmoid: (x) => -softplus(-x),
  exponential: Math.exp,
};

/** Variants with a non-default setting, named as the tests name them. */
export const VARIANT_REFS: Record<string, (x: number) => number> = {
  'leaky_relu(alpha=0.3)': (x) => Math.max(0.3 * x, x),
  'leaky_relu(alpha=2)': (x) => Math.max(2 * x, x),
  'elu(alpha=0.5)': (x) => (x > 0 ? x : 0.5 * Math.expm1(x)),
  'gelu(approximate)': (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
};

/** Softmax or log-softmax of a row-major `[rows, cols]` matrix along `axis` (0 or 1), max-shifted. */
export function softmax2d(v: Float64Array, rows: number, cols: number, axis: 0 | 1, log: boolean): Float64Array {
  const out = new Float64Array(v.length);
  const [outer, inner] = axis === 1 ? [rows, cols] : [cols, rows];
  const at = (o: number, i: number): number => (axis === 1 ? o * cols + i : i * cols + o);
  for (let o = 0; o < outer; o++) {
    let m = -Infinity;
    for (let i = 0; i < inner; i++) m = Math.max(m, v[at(o, i)]);
    let s = 0;
    for (let i = 0; i < inner; i++) s += Math.exp(v[at(o, i)] - m);
    for (let i = 0; i < inner; i++) {
      const z = v[at(o, i)] - m;
      out[at(o, i)] = log ? z - Math.log(s) : Math.exp(z) / s;
    }
  }
  return out;
}

/** Maxout over consecutive groups of `pieces` along the last axis of a row-major `[rows, cols]` matrix. */
export function maxout2d(v: Float64Array, rows: number, cols: number, pieces: number): Float64Array {
  const units = cols / pieces;
  const out = new Float64Array(rows * units);
  for (let r = 0; r < rows; r++) {
    for (let u = 0; u < units; u++) {
      let m = -Infinity;
      for (let p = 0; p < pieces; p++) m = Math.max(m, v[r * cols + u * pieces + p]);
      out[r * units + u] = m;
    }
  }
  return out;
}
