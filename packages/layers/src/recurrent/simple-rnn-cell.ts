import { add, dense, matMul, mul } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { LayerConfig, LayerVariable } from '../layer';
import { CELL_KEYS, cellConfig, fusedActivationOf, resolveCellOptions, type CellOptions, type ResolvedCellOptions } from './cell-options';
import { RNNCellLayer, type FusedCell, type StepContext, type StepResult } from './rnn-cell';

/** Options of `SimpleRNNCell` (and `SimpleRNN`). */
export type SimpleRNNCellOptions = CellOptions;

/**
 * Keras's `SimpleRNNCell`: `h = activation(x·W + b + h₋₁·U)`. Weights `kernel` `[in, units]`,
 * `recurrent_kernel` `[units, units]`, `bias` `[units]`.
 */
export class SimpleRNNCellLayer extends RNNCellLayer {
  static override readonly className: string = 'SimpleRNNCell';
  readonly options: ResolvedCellOptions;
  kernel: LayerVariable | null = null;
  recurrentKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(units: number, options: SimpleRNNCellOptions = {}) {
    const { ...rest } = options ?? {};
    super(rest, CELL_KEYS);
    this.options = resolveCellOptions(`${this}`, units, options ?? {});
    this.dropout = this.options.dropout;
    this.recurrentDropout = this.options.recurrentDropout;
    this.seedDropout(this.options.seed);
  }

  get units(): number {
    return this.options.units;
  }

  get stateSize(): number[] {
    return [this.options.units];
  }

  get outputSize(): number {
    return this.options.units;
  }

  protected buildCell(stepShape: Shape): void {
    const o = this.options;
    const inDim = stepShape[stepShape.length - 1] as number;
    this.kernel = this.addWeight('kernel', [inDim, o.units], o.kernelInitializer, { regularizer: o.kernelRegularizer, constraint: o.kernelConstraint });
    this.recurrentKernel = this.addWeight('recurrent_kernel', [o.units, o.units], o.recurrentInitializer, {
      regularizer: o.recurrentRegularizer,
      constraint: o.recurrentConstraint,
    });
    if (o.useBias) this.bias = this.addWeight('bias', [o.units], o.biasInitializer, { regularizer: o.biasRegularizer, constraint: o.biasConstraint });
  }

  step(x: Tensor, states: Tensor[], context: StepContext): StepResult {
    const d = context.training ? context.dropout : null;
    const xd = d?.input ? mul(x, d.input[0]) : x;
    const prev = d?.recurrent ? mul(states[0], d.recurrent[0]) : states[0];
    const h = dense(xd, this.kernel as LayerVariable, this.bias ?? undefined);
    const out = this.options.activation(add(h, matMul(prev, this.recurrentKernel as LayerVariable)));
    return { output: out, states: [out] };
  }

  override fused(training: boolean): FusedCell | null {
    const activation = fusedActivationOf(this.options.activation);
    if (!activation || (training && this.recurrentDropout > 0)) return null;
    return {
      cell: 'simple',
      kernel: this.kernel as LayerVariable,
      recurrentKernel: this.recurrentKernel as LayerVariable,
      bias: this.bias,
      recurrentBias: null,
      activation,
      recurrentActivation: 'sigmoid',
    };
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), ...cellConfig(this.options) };
  }

  static fromConfig(config: LayerConfig): SimpleRNNCellLayer {
    const { units, ...rest } = config;
    return new SimpleRNNCellLayer(units as number, rest as SimpleRNNCellOptions);
  }
}

/** The type of what `SimpleRNNCell()` returns. */
export type SimpleRNNCell = SimpleRNNCellLayer;

/** A simple RNN step, for `RNN(cell)`: `SimpleRNNCell(32)`. */
export function SimpleRNNCell(units: number, options: SimpleRNNCellOptions = {}): SimpleRNNCell {
  return new SimpleRNNCellLayer(units, options);
}
