import { add, einsum } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { ActivationFn, ActivationIdentifier } from '@neurona/activations';
import { get as getInitializer } from '@neurona/initializers';
import type { Initializer, InitializerIdentifier } from '@neurona/initializers';
import { activationToConfig, resolveActivation } from './activation-config';
import { getConstraint } from './constraints';
import type { Constraint, ConstraintIdentifier } from './constraints';
import { analyzeEinsum, einsumKernelValue } from './einsum-analysis';
import type { CallKwargs, LayerConfig, LayerOptions, LayerVariable } from './layer';
import { Layer } from './layer';
import { getRegularizer } from './regularizers';
import type { Regularizer, RegularizerIdentifier } from './regularizers';
import { describeValue } from './shape';
import { kernelBiasConfig } from './kernel-bias-config';

/** Options of `EinsumDense` (Keras's names and defaults). */
export interface EinsumDenseOptions extends LayerOptions {
  /** Output shape without the batch dimension (`null` for sizes taken from the input). Required. */
  outputShape?: (number | null)[] | number;
  /** Output letters that get a bias (`'de'`); default no bias. */
  biasAxes?: string | null;
  activation?: ActivationIdentifier;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

/**
 * A dense layer written as an einsum, as Keras's `EinsumDense`: `einsum(equation, x, kernel) +
 * bias`, then the activation. `EinsumDense('abc,cde->abde', { outputShape: [null, 4, 16],
 * biasAxes: 'de' })` projects `[b, t, c]` to `[b, t, 4, 16]` with a kernel `[c, 4, 16]`.
 */
export class EinsumDenseLayer extends Layer {
  static override readonly className: string = 'EinsumDense';
  readonly equation: string;
  readonly partialOutputShape: (number | null)[];
  readonly biasAxes: string | null;
  readonly activation: ActivationFn;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;
  private fullOutputShape: Shape = [];

  constructor(equation: string, options: EinsumDenseOptions = {}) {
    super(options, ['outputShape', 'biasAxes', 'activation', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer', 'kernelConstraint', 'biasConstraint']);
    if (typeof equation !== 'string' || !equation.includes('->')) throw new Error(`${this}: equation must be a string such as 'ab,bc->ac', got ${describeValue(equation)}`);
    const os = options.outputShape;
    if (os === undefined || !(typeof os === 'number' || (Array.isArray(os) && os.every((d) => d === null || (Number.isInteger(d) && (d as number) > 0))))) {
      throw new Error(`${this}: outputShape must be a positive integer or a list of them (null for sizes taken from the input), got ${describeValue(os)}`);
    }
    this.equation = equation;
    this.partialOutputShape = typeof os === 'number' ? [os] : [...os];
    this.biasAxes = options.biasAxes ?? null;
    this.activation = resolveActivation(options.activation);
    this.kernelInitializer = getInitializer(options.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros');
    this.kernelRegularizer = getRegularizer(options.kernelRegularizer);
    this.biasRegularizer = getRegularizer(options.biasRegularizer);
    this.kernelConstraint = getConstraint(options.kernelConstraint);
    this.biasConstraint = getConstraint(options.biasConstraint);
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = inputShape as Shape;
    const a = analyzeEinsum(`${this}`, this.equation, this.biasAxes, s, this.partialOutputShape);
    this.fullOutputShape = a.outputShape;
    this.kernel = this.addWeight('kernel', a.kernelShape, 'zeros', { regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
    const v = einsumKernelValue(this.kernelInitializer, a);
    this.kernel.assign(v);
    v.dispose();
    if (a.biasShape) this.bias = this.addWeight('bias', a.biasShape, this.biasInitializer, { regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    this.inputSpec = [{ ndim: s.length }];
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const y = einsum(this.equation, inputs as Tensor, this.kernel as Tensor);
    return this.activation(this.bias ? add(y, this.bias) : y);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = inputShape as Shape;
    return analyzeEinsum(`${this}`, this.equation, this.biasAxes, s, this.partialOutputShape).outputShape.map((d, i) => (i === 0 ? s[0] : d));
  }

  override getConfig(): LayerConfig {
    void this.fullOutputShape;
    return {
      ...super.getConfig(),
      outputShape: [...this.partialOutputShape],
      equation: this.equation,
      activation: activationToConfig(this.activation),
      biasAxes: this.biasAxes,
      ...kernelBiasConfig(this),
    };
  }

  static fromConfig(config: LayerConfig): EinsumDenseLayer {
    const { equation, ...rest } = config;
    return new EinsumDenseLayer(equation as string, rest as EinsumDenseOptions);
  }
}

/** The type of what `EinsumDense()` returns. */
export type EinsumDense = EinsumDenseLayer;

/** `EinsumDense('ab,bc->ac', { outputShape: 64, biasAxes: 'c' })`: a dense layer as an einsum. */
export function EinsumDense(equation: string, options: EinsumDenseOptions = {}): EinsumDense {
  return new EinsumDenseLayer(equation, options);
}
