import { add, concat, dense, matMul, mul, ones, slice, split, tidy } from '@neurona/tensor';
import type { DataType, Shape, Tensor } from '@neurona/tensor';
import type { ActivationIdentifier } from '@neurona/activations';
import type { LayerConfig, LayerVariable } from '../layer';
import { CELL_KEYS } from './cell-options';
import { booleanOption, GatedCellLayer, unitsArgs, type GatedCellOptions } from './dense-cell';
import type { FusedCell, StepContext, StepResult } from './rnn-cell';

/** Options of `LSTMCell` (and `LSTM`). */
export interface LSTMCellOptions extends GatedCellOptions {
  /** Activation of the gates i, f, o. Default `'sigmoid'` (Keras 3). */
  recurrentActivation?: ActivationIdentifier;
  /** Start the forget gate's bias at 1 (Jozefowicz et al.), as Keras. Default true. */
  unitForgetBias?: boolean;
}

const KEYS = [...CELL_KEYS, 'recurrentActivation', 'unitForgetBias'];

/**
 * Keras's `LSTMCell`: gates `z = x·W + h₋₁·U + b` split as i, f, c, o; `c = f·c₋₁ + i·act(z_c)`,
 * `h = o·act(c)` with `recurrentActivation` on i, f, o. Weights `kernel` `[in, 4·units]`,
 * `recurrent_kernel` `[units, 4·units]`, `bias` `[4·units]` (columns in the order i, f, c, o).
 */
export class LSTMCellLayer extends GatedCellLayer {
  static override readonly className: string = 'LSTMCell';
  readonly unitForgetBias: boolean;

  constructor(units: number, options: LSTMCellOptions = {}) {
    super(units, options ?? {}, KEYS);
    const o = options ?? {};
    this.unitForgetBias = booleanOption(`${this}`, 'unitForgetBias', o.unitForgetBias, true);
  }

  get stateSize(): number[] {
    return [this.options.units, this.options.units];
  }

  // with recurrent dropout, Keras computes each gate from its own masked copies (implementation 1)
  protected override dropoutMaskCount(): { input: number; recurrent: number } {
    return this.recurrentDropout > 0 ? { input: 4, recurrent: 4 } : { input: 1, recurrent: 1 };
  }

  protected buildCell(stepShape: Shape): void {
    const u = this.options.units;
    this.addKernels(stepShape[stepShape.length - 1] as number, 4);
    const init = this.options.biasInitializer;
    // Keras: the bias initializer for i, ones for f, the initializer again for c and o
    const unitForget = (_shape: number[], dtype?: DataType): Tensor =>
      tidy(() => concat([init([u], dtype), ones([u], dtype), init([2 * u], dtype)]));
    this.addBiasWeight([4 * u], this.unitForgetBias ? unitForget : init);
  }

  step(x: Tensor, states: Tensor[], context: StepContext): StepResult {
    const [h, c] = states;
    const u = this.options.units;
    const act = this.options.activation;
    const ra = this.recurrentActivation;
    const d = context.training ? context.dropout : null;
    const W = this.kernel as LayerVariable;
    const U = this.recurrentKernel as LayerVariable;
    let zi: Tensor;
    let zf: Tensor;
    let zc: Tensor;
    let zo: Tensor;
    if (this.recurrentDropout > 0 && d) {
      // one masked copy of the input and of h per gate
      const gate = (g: number): Tensor => {
        const xg = d.input ? mul(x, d.input[g]) : x;
        const hg = d.recurrent ? mul(h, d.recurrent[g]) : h;
        const wg = slice(W, [0, g * u], [-1, u]);
        const ug = slice(U, [0, g * u], [-1, u]);
        const bg = this.bias ? slice(this.bias, [g * u], [u]) : undefined;
        return add(dense(xg, wg, bg), matMul(hg, ug));
      };
      [zi, zf, zc, zo] = [0, 1, 2, 3].map(gate);
    } else {
      const xd = d?.input ? mul(x, d.input[0]) : x;
      const z = add(dense(xd, W, this.bias ?? undefined), matMul(h, U));
      [zi, zf, zc, zo] = split(z, 4, 1);
    }
    const cNew = add(mul(ra(zf), c), mul(ra(zi), act(zc)));
    const hNew = mul(ra(zo), act(cNew));
    return { output: hNew, states: [hNew, cNew] };
  }

  override fused(training: boolean): FusedCell | null {
    const acts = this.fusedActivations();
    if (!acts || (training && this.recurrentDropout > 0)) return null;
    return {
      cell: 'lstm',
      kernel: this.kernel as LayerVariable,
      recurrentKernel: this.recurrentKernel as LayerVariable,
      bias: this.bias,
      recurrentBias: null,
      ...acts,
    };
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      unitForgetBias: this.unitForgetBias,
    };
  }

  static fromConfig(config: LayerConfig): LSTMCellLayer {
    return new LSTMCellLayer(...unitsArgs<LSTMCellOptions>(config));
  }
}

/** The type of what `LSTMCell()` returns. */
export type LSTMCell = LSTMCellLayer;

/** An LSTM step, for `RNN(cell)` or `StackedRNNCells`: `LSTMCell(64)`. */
export function LSTMCell(units: number, options: LSTMCellOptions = {}): LSTMCell {
  return new LSTMCellLayer(units, options);
}
