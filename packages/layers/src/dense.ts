import { dense, reshape } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import { get as getInitializer } from '@neurona/initializers';
import type { Initializer, InitializerIdentifier } from '@neurona/initializers';
import type { ActivationFn, ActivationIdentifier } from '@neurona/activations';
import { activationNameOf, activationToConfig, fusedActivationOf, resolveActivation } from './activation-config';
import type { CallKwargs, LayerConfig, LayerOptions, LayerVariable } from './layer';
import { Layer } from './layer';
import { getRegularizer } from './regularizers';
import { getConstraint, type Constraint, type ConstraintIdentifier } from './constraints';
import type { Regularizer, RegularizerIdentifier } from './regularizers';
import { describeValue, formatShape } from './shape';
import { kernelBiasConfig } from './kernel-bias-config';

/** Options of `Dense`. */
export interface DenseOptions extends LayerOptions {
  /** Applied to the output (`'relu'`, `'softmax'`, a function...). Default linear. */
  activation?: ActivationIdentifier;
  /** Add a bias vector. Default true. */
  useBias?: boolean;
  /** Default `'glorot_uniform'`. */
  kernelInitializer?: InitializerIdentifier;
  /** Default `'zeros'`. */
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  /** Applied to the kernel after each optimizer update (`MaxNorm({ maxValue: 3 })`, `'non_neg'`). */
  kernelConstraint?: ConstraintIdentifier | null;
  /** Applied to the bias after each optimizer update. */
  biasConstraint?: ConstraintIdentifier | null;
}

const DENSE_KEYS = [
  'activation',
  'useBias',
  'kernelInitializer',
  'biasInitializer',
  'kernelRegularizer',
  'biasRegularizer',
  'kernelConstraint',
  'biasConstraint',
];

/**
 * `activation(x · kernel + bias)` on the last axis: `[batch, in]` → `[batch, units]` (inputs of
 * higher rank keep their leading dimensions). The kernel is `[in, units]`.
 */
export class DenseLayer extends Layer {
  static override readonly className: string = 'Dense';
  /** Passes the mask of its input on, as Keras. */
  override supportsMasking = true;
  readonly units: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;
  // The activation in the form `dense` fuses into the matMul (one kernel, cheaper gradient), or null.
  private readonly fused: ReturnType<typeof fusedActivationOf>;

  constructor(units: number, options: DenseOptions = {}) {
    super(options, DENSE_KEYS);
    if (typeof units !== 'number' || !Number.isInteger(units) || units <= 0) {
      throw new Error(`${this}: units must be a positive integer, got ${describeValue(units)}`);
    }
    this.units = units;
    this.activation = resolveActivation(options.activation);
    this.fused = fusedActivationOf(this.activation);
    if (options.useBias !== undefined && typeof options.useBias !== 'boolean') throw new Error(`${this}: useBias must be true or false, got ${describeValue(options.useBias)}`);
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = getInitializer(options.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros');
    this.kernelRegularizer = getRegularizer(options.kernelRegularizer);
    this.biasRegularizer = getRegularizer(options.biasRegularizer);
    this.kernelConstraint = getConstraint(options.kernelConstraint);
    this.biasConstraint = getConstraint(options.biasConstraint);
  }

  /** Keras name of the activation (`'softmax'`). */
  get activationName(): string {
    return activationNameOf(this.activation);
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = inputShape as Shape;
    const inDim = s[s.length - 1];
    if (s.length < 2 || inDim === null || inDim === undefined) {
      throw new Error(`${this} expects input [null, <known size>], got ${formatShape(s)}`);
    }
    this.kernel = this.addWeight('kernel', [inDim, this.units], this.kernelInitializer, {
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.units], this.biasInitializer, {
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
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
    return this.forward(inputs as Tensor);
  }

  private forward(x: Tensor): Tensor {
    const kernel = this.kernel as LayerVariable;
    const inDim = kernel.shape[0];
    // `dense` takes rank 2; higher ranks are folded into the batch and unfolded after, before
    // an unfused activation (a softmax then normalizes, and records its logits, on the real shape).
    const x2 = x.rank === 2 ? x : reshape(x, [x.size / inDim, inDim]);
    const bias = this.bias ?? undefined;
    const f = this.fused;
    const z = f ? dense(x2, kernel, bias, f.activation, f.alpha) : dense(x2, kernel, bias);
    const z3 = x.rank === 2 ? z : reshape(z, [...x.shape.slice(0, -1), this.units]);
    return f ? z3 : this.activation(z3);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activationToConfig(this.activation),
      useBias: this.useBias,
      ...kernelBiasConfig(this),
    };
  }

  static fromConfig(config: LayerConfig): DenseLayer {
    const { units, ...rest } = config;
    return new DenseLayer(units as number, rest as DenseOptions);
  }
}

/** The type of what `Dense()` returns. */
export type Dense = DenseLayer;

/**
 * A fully connected layer: `Dense(10, { activation: 'softmax', inputShape: [784] })`.
 * Kernel initializer `'glorot_uniform'` and bias initializer `'zeros'` by default, as Keras.
 */
export function Dense(units: number, options: DenseOptions = {}): Dense {
  return new DenseLayer(units, options);
}
