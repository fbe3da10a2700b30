import { add, moments, mul, reshape, rsqrt, sub } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions, LayerVariable } from './layer';
import { Layer } from './layer';
import { AFFINE_KEYS, affineConfig, affineParams, checkAxisOption, resolveAxes } from './normalization-params';
import type { AffineOptions, AffineParams } from './normalization-params';
import { formatShape } from './shape';

/** Options of `LayerNormalization`. */
export interface LayerNormalizationOptions extends LayerOptions, AffineOptions {
  /** The axis or axes normalized over, per sample (default -1). */
  axis?: number | number[];
}

/**
 * Normalizes each sample over `axis` (Keras's `LayerNormalization`):
 * `gamma · (x − mean) / sqrt(var + epsilon) + beta`, with the mean and (biased) variance taken over
 * `axis` for each sample, the same in training and inference. `gamma` and `beta` have the shape of
 * the normalized axes.
 */
export class LayerNormalizationLayer extends Layer {
  static override readonly className: string = 'LayerNormalization';
  readonly axis: number | number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  gamma: LayerVariable | null = null;
  beta: LayerVariable | null = null;
  private readonly params: AffineParams;
  private axes: number[] = [];

  constructor(options: LayerNormalizationOptions = {}) {
    super(options, ['axis', ...AFFINE_KEYS]);
    const o = options ?? {};
    this.axis = checkAxisOption(`${this}`, o.axis ?? -1, true);
    this.params = affineParams(`${this}`, o);
    this.epsilon = this.params.epsilon;
    this.center = this.params.center;
    this.scale = this.params.scale;
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = inputShape as Shape;
    this.axes = resolveAxes(`${this}`, this.axis, s.length);
    if (this.axes.includes(0)) throw new Error(`${this}: axis ${JSON.stringify(this.axis)} includes the batch axis of input ${formatShape(s)}`);
    const shape = this.axes.map((a) => s[a]);
    if (shape.some((d) => d === null)) throw new Error(`${this} needs the sizes of axis ${JSON.stringify(this.axis)} to be known, got input ${formatShape(s)}`);
    const p = this.params;
    const dims = shape as number[];
    if (p.scale) this.gamma = this.addWeight('gamma', dims, p.gammaInitializer, { regularizer: p.gammaRegularizer, constraint: p.gammaConstraint });
    if (p.center) this.beta = this.addWeight('beta', dims, p.betaInitializer, { regularizer: p.betaRegularizer, constraint: p.betaConstraint });
    const axes: Record<number, number> = {};
    this.axes.forEach((a, i) => (axes[a] = dims[i]));
    this.inputSpec = [{ ndim: s.length, axes }];
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    const { mean, variance } = moments(x, this.axes, true);
    const bshape = x.shape.map((d, i) => (this.axes.includes(i) ? d : 1));
    const lastOnly = this.axes.length === 1 && this.axes[0] === x.rank - 1;
    const asB = (t: Tensor): Tensor => (lastOnly ? t : reshape(t, bshape));
    let inv = rsqrt(add(variance, this.epsilon));
    if (this.gamma) inv = mul(inv, asB(this.gamma));
    const y = mul(sub(x, mean), inv);
    return this.beta ? add(y, asB(this.beta)) : y;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis, ...affineConfig(this.params) };
  }

  static fromConfig(config: LayerConfig): LayerNormalizationLayer {
    return new LayerNormalizationLayer(config as LayerNormalizationOptions);
  }
}

/** The type of what `LayerNormalization()` returns. */
export type LayerNormalization = LayerNormalizationLayer;

/** `LayerNormalization()`: each sample normalized over its last axis (`epsilon` 1e-3, as Keras). */
export function LayerNormalization(options: LayerNormalizationOptions = {}): LayerNormalization {
  return new LayerNormalizationLayer(options);
}
