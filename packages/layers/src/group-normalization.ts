import { add, moments, mul, reshape, rsqrt, sub } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions, LayerVariable } from './layer';
import { Layer } from './layer';
import { AFFINE_KEYS, affineConfig, affineParams, checkAxisOption } from './normalization-params';
import type { AffineOptions, AffineParams } from './normalization-params';
import { describeValue, formatShape } from './shape';

/** Options of `GroupNormalization`. */
export interface GroupNormalizationOptions extends LayerOptions, AffineOptions {
  /** Number of channel groups (default 32); -1 makes one group per channel (instance normalization). */
  groups?: number;
  /** The channels axis (default -1). */
  axis?: number;
}

/**
 * Splits the channels into `groups` and normalizes each sample's group over its channels and
 * every spatial position (Keras's `GroupNormalization`; Wu & He 2018): one group is
 * LayerNormalization over all features, one group per channel is instance normalization.
 * `gamma` and `beta` are per channel.
 */
export class GroupNormalizationLayer extends Layer {
  static override readonly className: string = 'GroupNormalization';
  readonly groups: number;
  readonly axis: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  gamma: LayerVariable | null = null;
  beta: LayerVariable | null = null;
  private readonly params: AffineParams;
  private resolvedGroups = 0;

  constructor(options: GroupNormalizationOptions = {}) {
    super(options, ['groups', 'axis', ...AFFINE_KEYS]);
    const o = options ?? {};
    const g = o.groups ?? 32;
    if (typeof g !== 'number' || !Number.isInteger(g) || (g <= 0 && g !== -1)) {
      throw new Error(`${this}: groups must be a positive integer (or -1 for one group per channel), got ${describeValue(g)}`);
    }
    this.groups = g;
    this.axis = checkAxisOption(`${this}`, o.axis ?? -1, false) as number;
    this.params = affineParams(`${this}`, o);
    this.epsilon = this.params.epsilon;
    this.center = this.params.center;
    this.scale = this.params.scale;
  }

  private axisOf(rank: number): number {
    return this.axis < 0 ? rank + this.axis : this.axis;
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = inputShape as Shape;
    const a = this.axisOf(s.length);
    if (a <= 0 || a >= s.length) throw new Error(`${this}: axis ${this.axis} is not a channels axis of input ${formatShape(s)}`);
    const dim = s[a];
    if (dim === null) throw new Error(`${this} needs the size of axis ${this.axis} to be known, got input ${formatShape(s)}`);
    const groups = this.groups === -1 ? dim : this.groups;
    if (groups > dim || dim % groups !== 0) {
      throw new Error(`${this}: groups (${groups}) must divide the ${dim} channels of input ${formatShape(s)}`);
    }
    this.resolvedGroups = groups;
    const p = this.params;
    if (p.scale) this.gamma = this.addWeight('gamma', [dim], p.gammaInitializer, { regularizer: p.gammaRegularizer, constraint: p.gammaConstraint });
    if (p.center) this.beta = this.addWeight('beta', [dim], p.betaInitializer, { regularizer: p.betaRegularizer, constraint: p.betaConstraint });
    this.inputSpec = [{ ndim: s.length, axes: { [a]: dim } }];
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    const a = this.axisOf(x.rank);
    const g = this.resolvedGroups;
    const per = x.shape[a] / g;
    // [..., C, ...] → [..., groups, C/groups, ...]: statistics over everything but batch and group
    const grouped = [...x.shape.slice(0, a), g, per, ...x.shape.slice(a + 1)];
    const xg = reshape(x, grouped);
    const axes = grouped.map((_, i) => i).filter((i) => i !== 0 && i !== a);
    const { mean, variance } = moments(xg, axes, true);
    const bshape = grouped.map((d, i) => (i === a || i === a + 1 ? d : 1));
    let inv = rsqrt(add(variance, this.epsilon));
    if (this.gamma) inv = mul(inv, reshape(this.gamma, bshape));
    let y = mul(sub(xg, mean), inv);
    if (this.beta) y = add(y, reshape(this.beta, bshape));
    return reshape(y, x.shape);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), groups: this.groups, axis: this.axis, ...affineConfig(this.params) };
  }

  static fromConfig(config: LayerConfig): GroupNormalizationLayer {
    return new GroupNormalizationLayer(config as GroupNormalizationOptions);
  }
}

/** The type of what `GroupNormalization()` returns. */
export type GroupNormalization = GroupNormalizationLayer;

/** `GroupNormalization({ groups: 8 })`: per-sample normalization over groups of channels (default 32 groups). */
export function GroupNormalization(options: GroupNormalizationOptions = {}): GroupNormalization {
  return new GroupNormalizationLayer(options);
}
