// BatchNormalization as Keras 3's: batch statistics while training (and the moving averages
// updated in the same call), the moving statistics otherwise; a frozen layer
// (`trainable = false`) always runs in inference mode.
import { add, batchNormTrain, moments, mul, ones, reshape, rsqrt, sub, zeros } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import { get as getInitializer, serialize as serializeInitializer } from '@neurona/initializers';
import type { Initializer, InitializerIdentifier } from '@neurona/initializers';
import type { CallKwargs, LayerConfig, LayerOptions, LayerVariable } from './layer';
import { Layer } from './layer';
import { AFFINE_KEYS, affineConfig, affineParams, checkAxisOption } from './normalization-params';
import type { AffineOptions, AffineParams } from './normalization-params';
import { describeValue, formatShape } from './shape';

/** Options of `BatchNormalization`. */
export interface BatchNormalizationOptions extends LayerOptions, AffineOptions {
  /** The features axis, normalized per entry (default -1; 1 after a channels-first convolution). */
  axis?: number;
  /** Momentum of the moving averages (default 0.99). */
  momentum?: number;
  /** Default `'zeros'`. */
  movingMeanInitializer?: InitializerIdentifier;
  /** Default `'ones'`. */
  movingVarianceInitializer?: InitializerIdentifier;
}

const BN_KEYS = ['axis', 'momentum', 'movingMeanInitializer', 'movingVarianceInitializer', ...AFFINE_KEYS];

/**
 * Normalizes each feature over the batch (and every other axis), as Keras 3's
 * `BatchNormalization`: `gamma · (x − mean) / sqrt(var + epsilon) + beta`. While training
 * (`fit`, or a call with `{ training: true }`) it uses the batch's mean and (biased) variance and
 * updates the moving averages in the same call (`moving = moving·momentum + batch·(1 − momentum)`);
 * otherwise it uses the moving averages. A layer with `trainable = false` always runs in
 * inference mode and never updates them, as Keras 3 (fine-tuning a frozen base).
 *
 * Weights, in Keras's order: `gamma`, `beta` (trainable, when `scale`/`center`), `moving_mean`,
 * `moving_variance` (non-trainable).
 */
export class BatchNormalizationLayer extends Layer {
  static override readonly className: string = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  gamma: LayerVariable | null = null;
  beta: LayerVariable | null = null;
  movingMean: LayerVariable | null = null;
  movingVariance: LayerVariable | null = null;
  private readonly params: AffineParams;

  constructor(options: BatchNormalizationOptions = {}) {
    super(options, BN_KEYS);
    const o = options ?? {};
    this.axis = checkAxisOption(`${this}`, o.axis ?? -1, false) as number;
    if (o.momentum !== undefined && !(typeof o.momentum === 'number' && o.momentum >= 0 && o.momentum <= 1)) {
      throw new Error(`${this}: momentum must be a number in [0, 1], got ${describeValue(o.momentum)}`);
    }
    this.momentum = o.momentum ?? 0.99;
    this.params = affineParams(`${this}`, o);
    this.epsilon = this.params.epsilon;
    this.center = this.params.center;
    this.scale = this.params.scale;
    this.movingMeanInitializer = getInitializer(o.movingMeanInitializer ?? 'zeros');
    this.movingVarianceInitializer = getInitializer(o.movingVarianceInitializer ?? 'ones');
  }

  private axisOf(rank: number): number {
    const a = this.axis < 0 ? rank + this.axis : this.axis;
    return a;
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = inputShape as Shape;
    const a = this.axisOf(s.length);
    if (a <= 0 || a >= s.length) {
      throw new Error(`${this}: axis ${this.axis} is not a feature axis of input ${formatShape(s)} (the batch axis cannot be normalized)`);
    }
    const dim = s[a];
    if (dim === null) throw new Error(`${this} needs the size of axis ${this.axis} to be known, got input ${formatShape(s)}`);
    const p = this.params;
    if (p.scale) this.gamma = this.addWeight('gamma', [dim], p.gammaInitializer, { regularizer: p.gammaRegularizer, constraint: p.gammaConstraint });
    if (p.center) this.beta = this.addWeight('beta', [dim], p.betaInitializer, { regularizer: p.betaRegularizer, constraint: p.betaConstraint });
    this.movingMean = this.addWeight('moving_mean', [dim], this.movingMeanInitializer, { trainable: false });
    this.movingVariance = this.addWeight('moving_variance', [dim], this.movingVarianceInitializer, { trainable: false });
    this.inputSpec = [{ ndim: s.length, axes: { [a]: dim } }];
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return inputShape as Shape;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = inputs as Tensor;
    const a = this.axisOf(x.rank);
    const dim = x.shape[a];
    // parameters [C] as [1, ..., C, ..., 1], so they broadcast along the features axis
    const bshape = x.shape.map((d, i) => (i === a ? dim : 1));
    const asB = (t: Tensor): Tensor => (a === x.rank - 1 ? t : reshape(t, bshape));
    let mean: Tensor;
    let variance: Tensor;
    if (kwargs.training && this.trainable && a === x.rank - 1) {
      // channels last: one op for the statistics and the output (and one for its gradient)
      const gamma = this.gamma ?? ones([dim]);
      const beta = this.beta ?? zeros([dim]);
      const r = batchNormTrain(reshape(x, [x.size / dim, dim]), gamma, beta, this.epsilon);
      this.updateMovingStatistics(r.mean, r.variance);
      return reshape(r.y, x.shape);
    }
    if (kwargs.training && this.trainable) {
      const axes = x.shape.map((_, i) => i).filter((i) => i !== a);
      const m = moments(x, axes, true);
      mean = m.mean;
      variance = m.variance;
      this.updateMovingStatistics(reshape(mean, [dim]), reshape(variance, [dim]));
    } else {
      mean = asB(this.movingMean as LayerVariable);
      variance = asB(this.movingVariance as LayerVariable);
    }
    let inv = rsqrt(add(variance, this.epsilon));
    if (this.gamma) inv = mul(inv, asB(this.gamma));
    const y = mul(sub(x, mean), inv);
    return this.beta ? add(y, asB(this.beta)) : y;
  }

  /**
   * `moving = moving·momentum + batch·(1 − momentum)`, assigned now, as Keras does inside `call`.
   * The training steps run the forward pass inside their tape and `tidy`: the variables keep the
   * new values and release the old ones, and the update is not on the loss's path, so no gradient
   * goes through it.
   */
  private updateMovingStatistics(mean: Tensor, variance: Tensor): void {
    const m = this.momentum;
    const mm = this.movingMean as LayerVariable;
    const mv = this.movingVariance as LayerVariable;
    mm.assign(add(mul(mm, m), mul(mean, 1 - m)));
    mv.assign(add(mul(mv, m), mul(variance, 1 - m)));
  }

  override getConfig(): LayerConfig {
    const { epsilon, center, scale, ...rest } = affineConfig(this.params);
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon,
      center,
      scale,
      ...rest,
      movingMeanInitializer: serializeInitializer(this.movingMeanInitializer),
      movingVarianceInitializer: serializeInitializer(this.movingVarianceInitializer),
    };
  }

  static fromConfig(config: LayerConfig): BatchNormalizationLayer {
    return new BatchNormalizationLayer(config as BatchNormalizationOptions);
  }
}

/** The type of what `BatchNormalization()` returns. */
export type BatchNormalization = BatchNormalizationLayer;

/**
 * `BatchNormalization()` (Keras 3's defaults: `axis` -1, `momentum` 0.99, `epsilon` 1e-3): batch
 * statistics while training, moving averages in inference; frozen (`trainable = false`) it
 * always uses the moving averages.
 */
export function BatchNormalization(options: BatchNormalizationOptions = {}): BatchNormalization {
  return new BatchNormalizationLayer(options);
}
