import { matMul, maximum, mul, reshape, rsqrt, square, sum, transpose } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { Layer } from './layer';
import { describeValue, formatShape } from './shape';

/** Options of `Dot`. */
export interface DotOptions extends LayerOptions {
  /** L2-normalize both inputs along their `axes` first, so the output is the cosine proximity. Default false. */
  normalize?: boolean;
}

// Keras's `ops.normalize` (order 2, epsilon 1e-7): x · rsqrt(max(Σx², ε²)).
function l2Normalize(x: Tensor, axis: number): Tensor {
  return mul(x, rsqrt(maximum(sum(square(x), axis, true), 1e-14)));
}

// Keras's `axis % rank` for negative axes.
function fix(ax: number, r: number): number {
  return ax < 0 ? ((ax % r) + r) % r : ax;
}

/** The axis order that moves `axis` of a rank-`rank` tensor to position `to`, the others kept in order. */
function moveAxis(rank: number, axis: number, to: number): number[] {
  const rest = Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis);
  rest.splice(to, 0, axis);
  return rest;
}

/**
 * The dot product of two tensors along one axis each, per sample (Keras's `Dot` / `batch_dot`):
 * `[b, n]·[b, n]` → `[b, 1]`; `[b, m, k]·[b, k, n]` with `axes: [2, 1]` → `[b, m, n]`. The
 * output is x's other axes followed by y's (batch once).
 */
export class DotLayer extends Layer {
  static override readonly className: string = 'Dot';
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(axes: number | [number, number], options: DotOptions = {}) {
    const { normalize, ...base } = options ?? {};
    super(base, []);
    const ok = Number.isInteger(axes) || (Array.isArray(axes) && axes.length === 2 && axes.every((a) => Number.isInteger(a)));
    if (!ok) throw new Error(`${this}: axes must be an integer or a list of 2 integers, got ${describeValue(axes)}`);
    if (normalize !== undefined && typeof normalize !== 'boolean') {
      throw new Error(`${this}: normalize must be a boolean, got ${describeValue(normalize)}`);
    }
    this.axes = Array.isArray(axes) ? [axes[0], axes[1]] : axes;
    this.normalize = normalize ?? false;
  }

  protected override get takesList(): boolean {
    return true;
  }

  /** The two axes, non-negative, for inputs of ranks `r1` and `r2`; throws on the batch axis or out of range. */
  private resolveAxes(r1: number, r2: number): [number, number] {
    const [a, b] = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    const out: [number, number] = [fix(a, r1), fix(b, r2)];
    if (out[0] === 0 || out[1] === 0 || out[0] >= r1 || out[1] >= r2) {
      throw new Error(`${this}: axes ${describeValue(this.axes)} do not name a non-batch axis of inputs of ranks ${r1} and ${r2}`);
    }
    return out;
  }

  protected override assertInputCompatible(shapes: Shape[]): void {
    this.outputShapeOf(shapes);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return this.outputShapeOf(inputShape as Shape[]);
  }

  private outputShapeOf(shapes: Shape[]): Shape {
    if (shapes.length !== 2) throw new Error(`${this} expects exactly 2 inputs, got ${shapes.length}`);
    const [s1, s2] = shapes;
    if (s1.length < 2 || s2.length < 2) {
      throw new Error(`${this} expects inputs of rank 2 or more ([null, features, ...]), got ${formatShape(s1)} and ${formatShape(s2)}`);
    }
    const [a, b] = this.resolveAxes(s1.length, s2.length);
    if (s1[a] !== null && s2[b] !== null && s1[a] !== s2[b]) {
      throw new Error(`${this}: axis ${a} of ${formatShape(s1)} (${s1[a]}) differs from axis ${b} of ${formatShape(s2)} (${s2[b]})`);
    }
    if (s1[0] !== null && s2[0] !== null && s1[0] !== s2[0]) {
      throw new Error(`${this} expects inputs with the same batch size, got ${formatShape(s1)} and ${formatShape(s2)}`);
    }
    const rest1 = s1.filter((_, i) => i !== a).slice(1);
    const rest2 = s2.filter((_, i) => i !== b).slice(1);
    const rest = [...rest1, ...rest2];
    return [s1[0] ?? s2[0] ?? null, ...(rest.length === 0 ? [1] : rest)];
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    let [x, y] = inputs as Tensor[];
    const [a, b] = this.resolveAxes(x.rank, y.rank);
    if (this.normalize) {
      x = l2Normalize(x, a);
      y = l2Normalize(y, b);
    }
    const batch = x.shape[0];
    const k = x.shape[a];
    // x as [batch, M, k] (its contracted axis last), y as [batch, k, N] (its contracted axis first)
    const xt = a === x.rank - 1 ? x : transpose(x, moveAxis(x.rank, a, x.rank - 1));
    const yt = b === 1 ? y : transpose(y, moveAxis(y.rank, b, 1));
    const rest1 = xt.shape.slice(1, -1);
    const rest2 = yt.shape.slice(2);
    const m = rest1.reduce((p, d) => p * d, 1);
    const n = rest2.reduce((p, d) => p * d, 1);
    const z = matMul(reshape(xt, [batch, m, k]), reshape(yt, [batch, k, n]));
    const rest = [...rest1, ...rest2];
    return reshape(z, [batch, ...(rest.length === 0 ? [1] : rest)]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axes: Array.isArray(this.axes) ? [...this.axes] : this.axes, normalize: this.normalize };
  }

  static fromConfig(config: LayerConfig): DotLayer {
    const { axes, ...rest } = config;
    return new DotLayer(axes as number | [number, number], rest as DotOptions);
  }
}

/** The type of what `Dot()` returns. */
export type Dot = DotLayer;

/**
 * `Dot(1)([a, b])`: per-sample dot products along `axes` (one axis for both inputs, or
 * `[axisOfA, axisOfB]`), as Keras's `Dot`; `{ normalize: true }` gives cosine similarities.
 */
export function Dot(axes: number | [number, number], options: DotOptions = {}): Dot {
  return new DotLayer(axes, options);
}
