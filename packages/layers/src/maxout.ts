import { dense, max, reshape } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import { get as getInitializer, serialize as serializeInitializer } from '@neurona/initializers';
import type { Initializer, InitializerIdentifier } from '@neurona/initializers';
import type { CallKwargs, LayerConfig, LayerOptions, LayerVariable } from './layer';
import { Layer } from './layer';
import { getRegularizer, serializeRegularizer } from './regularizers';
import type { Regularizer, RegularizerIdentifier } from './regularizers';
import { describeValue, formatShape } from './shape';

/** Options of `Maxout`. */
export interface MaxoutOptions extends LayerOptions {
  /** Linear pieces per unit (default 2: `max(w1ᵀx + b1, w2ᵀx + b2)`). */
  pieces?: number;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
}

const MAXOUT_KEYS = ['pieces', 'useBias', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer'];

/**
 * Maxout units, as the course writes them: unit `u` outputs `max_p (w_pᵀx + b_p)` over `pieces`
 * linear pieces. Computed as one Dense to `units * pieces` then a max over each group of
 * `pieces` consecutive columns: piece `p` of unit `u` is kernel column `u * pieces + p`.
 */
export class MaxoutLayer extends Layer {
  static override readonly className: string = 'Maxout';
  readonly units: number;
  readonly pieces: number;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  /** `[in, units * pieces]` */
  kernel: LayerVariable | null = null;
  /** `[units * pieces]` */
  bias: LayerVariable | null = null;

  constructor(units: number, options: MaxoutOptions = {}) {
    super(options, MAXOUT_KEYS);
    if (typeof units !== 'number' || !Number.isInteger(units) || units <= 0) {
      throw new Error(`${this}: units must be a positive integer, got ${describeValue(units)}`);
    }
    const pieces = options.pieces ?? 2;
    if (typeof pieces !== 'number' || !Number.isInteger(pieces) || pieces < 1) {
      throw new Error(`${this}: pieces must be a positive integer, got ${describeValue(pieces)}`);
    }
    this.units = units;
    this.pieces = pieces;
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = getInitializer(options.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros');
    this.kernelRegularizer = getRegularizer(options.kernelRegularizer);
    this.biasRegularizer = getRegularizer(options.biasRegularizer);
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = inputShape as Shape;
    const inDim = s[s.length - 1];
    if (s.length < 2 || inDim === null || inDim === undefined) {
      throw new Error(`${this} expects input [null, <known size>], got ${formatShape(s)}`);
    }
    const width = this.units * this.pieces;
    this.kernel = this.addWeight('kernel', [inDim, width], this.kernelInitializer, { regularizer: this.kernelRegularizer });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [width], this.biasInitializer, { regularizer: this.biasRegularizer });
    }
    this.inputSpec = [{ minNdim: 2, axes: { [-1]: inDim } }];
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = inputShape as Shape;
    return [...s.slice(0, -1), this.units];
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    const kernel = this.kernel as LayerVariable;
    const inDim = kernel.shape[0];
    const rows = x.size / inDim;
    const z = dense(x.rank === 2 ? x : reshape(x, [rows, inDim]), kernel, this.bias ?? undefined);
    const y = this.pieces === 1 ? z : max(reshape(z, [rows, this.units, this.pieces]), -1);
    return x.rank === 2 ? y : reshape(y, [...x.shape.slice(0, -1), this.units]);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      units: this.units,
      pieces: this.pieces,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
    };
  }

  static fromConfig(config: LayerConfig): MaxoutLayer {
    const { units, ...rest } = config;
    return new MaxoutLayer(units as number, rest as MaxoutOptions);
  }
}

/** The type of what `Maxout()` returns. */
export type Maxout = MaxoutLayer;

/** `Maxout(64, { pieces: 2 })`: each of the 64 outputs is the max of 2 learned linear functions. */
export function Maxout(units: number, options: MaxoutOptions = {}): Maxout {
  return new MaxoutLayer(units, options);
}
