import { add, dense, matMul, mul } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { LayerConfig, LayerVariable } from '../layer';
import { CELL_KEYS, fusedActivationOf, type CellOptions } from './cell-options';
import { DenseCellLayer, unitsArgs } from './dense-cell';
import type { FusedCell, StepContext, StepResult } from './rnn-cell';

/** Options of `SimpleRNNCell` (and `SimpleRNN`). */
export type SimpleRNNCellOptions = CellOptions;

/**
 * Keras's `SimpleRNNCell`: `h = activation(x·W + b + h₋₁·U)`. Weights `kernel` `[in, units]`,
 * `recurrent_kernel` `[units, units]`, `bias` `[units]`.
 */
export class SimpleRNNCellLayer extends DenseCellLayer {
  static override readonly className: string = 'SimpleRNNCell';

  constructor(units: number, options: SimpleRNNCellOptions = {}) {
    super(units, { ...options }, CELL_KEYS);
  }

  get stateSize(): number[] {
    return [this.options.units];
  }

  protected buildCell(stepShape: Shape): void {
    this.addKernels(stepShape[stepShape.length - 1] as number, 1);
    this.addBiasWeight([this.options.units]);
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

  static fromConfig(config: LayerConfig): SimpleRNNCellLayer {
    return new SimpleRNNCellLayer(...unitsArgs<SimpleRNNCellOptions>(config));
  }
}

/** The type of what `SimpleRNNCell()` returns. */
export type SimpleRNNCell = SimpleRNNCellLayer;

/** A simple RNN step, for `RNN(cell)`: `SimpleRNNCell(32)`. */
export function SimpleRNNCell(units: number, options: SimpleRNNCellOptions = {}): SimpleRNNCell {
  return new SimpleRNNCellLayer(units, options);
}
