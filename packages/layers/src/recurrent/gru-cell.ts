import { add, dense, matMul, mul, reshape, slice, split, sub } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { ActivationIdentifier } from '@neurona/activations';
import type { LayerConfig, LayerVariable } from '../layer';
import { CELL_KEYS } from './cell-options';
import { booleanOption, GatedCellLayer, unitsArgs, type GatedCellOptions } from './dense-cell';
import type { FusedCell, StepContext, StepResult } from './rnn-cell';

/** Options of `GRUCell` (and `GRU`). */
export interface GRUCellOptions extends GatedCellOptions {
  /** Activation of the gates z and r. Default `'sigmoid'` (Keras 3). */
  recurrentActivation?: ActivationIdentifier;
  /**
   * Apply the reset gate after the recurrent product (`r·(h₋₁·U_h + b_h)`, Keras 3's default and
   * cuDNN's form, with a second bias row for the recurrent part), or before it (`(r·h₋₁)·U_h`).
   * Default true.
   */
  resetAfter?: boolean;
}

const KEYS = [...CELL_KEYS, 'recurrentActivation', 'resetAfter'];

/**
 * Keras's `GRUCell`: update gate z, reset gate r, candidate `hh`, `h = z·h₋₁ + (1 − z)·hh`.
 * Weights `kernel` `[in, 3·units]`, `recurrent_kernel` `[units, 3·units]` (columns z, r, h) and
 * `bias` `[2, 3·units]` with `resetAfter` (input bias, then recurrent bias) or `[3·units]`.
 */
export class GRUCellLayer extends GatedCellLayer {
  static override readonly className: string = 'GRUCell';
  readonly resetAfter: boolean;

  constructor(units: number, options: GRUCellOptions = {}) {
    super(units, options ?? {}, KEYS);
    const o = options ?? {};
    this.resetAfter = booleanOption(`${this}`, 'resetAfter', o.resetAfter, true);
  }

  get stateSize(): number[] {
    return [this.options.units];
  }

  protected override dropoutMaskCount(): { input: number; recurrent: number } {
    return this.recurrentDropout > 0 ? { input: 3, recurrent: 3 } : { input: 1, recurrent: 1 };
  }

  protected buildCell(stepShape: Shape): void {
    const u = this.options.units;
    this.addKernels(stepShape[stepShape.length - 1] as number, 3);
    this.addBiasWeight(this.resetAfter ? [2, 3 * u] : [3 * u]);
  }

  /** The bias of the input projection and (resetAfter) of the recurrent product. */
  private biases(): { input: Tensor | null; recurrent: Tensor | null } {
    const b = this.bias;
    if (!b) return { input: null, recurrent: null };
    if (!this.resetAfter) return { input: b, recurrent: null };
    const n = 3 * this.options.units;
    return { input: reshape(slice(b, [0, 0], [1, n]), [n]), recurrent: reshape(slice(b, [1, 0], [1, n]), [n]) };
  }

  step(x: Tensor, states: Tensor[], context: StepContext): StepResult {
    const h = states[0];
    const u = this.options.units;
    const act = this.options.activation;
    const ra = this.recurrentActivation;
    const d = context.training ? context.dropout : null;
    const W = this.kernel as LayerVariable;
    const U = this.recurrentKernel as LayerVariable;
    const { input: bi, recurrent: br } = this.biases();
    const perGate = this.recurrentDropout > 0 && d;
    const xg = (g: number): Tensor => (d?.input ? mul(x, d.input[perGate ? g : 0]) : x);
    const hg = (g: number): Tensor => (perGate && d?.recurrent ? mul(h, d.recurrent[g]) : h);
    const cols = (t: Tensor, g: number): Tensor => slice(t, t.rank === 1 ? [g * u] : [0, g * u], t.rank === 1 ? [u] : [-1, u]);
    let xz: Tensor;
    let xr: Tensor;
    let xh: Tensor;
    if (perGate) {
      [xz, xr, xh] = [0, 1, 2].map((g) => dense(xg(g), cols(W, g), bi ? cols(bi, g) : undefined));
    } else {
      [xz, xr, xh] = split(dense(xg(0), W, bi ?? undefined), 3, 1);
    }
    const rec = (g: number): Tensor => {
      const p = matMul(hg(g), cols(U, g));
      return br ? add(p, cols(br, g)) : p;
    };
    const z = ra(add(xz, rec(0)));
    const r = ra(add(xr, rec(1)));
    const candidate = this.resetAfter ? mul(r, rec(2)) : matMul(mul(r, hg(2)), cols(U, 2));
    const hh = act(add(xh, candidate));
    const hNew = add(mul(z, h), mul(sub(1, z), hh));
    return { output: hNew, states: [hNew] };
  }

  override fused(training: boolean): FusedCell | null {
    const acts = this.fusedActivations();
    if (!acts || !this.resetAfter || (training && this.recurrentDropout > 0)) return null;
    const { input, recurrent } = this.biases();
    return {
      cell: 'gru',
      kernel: this.kernel as LayerVariable,
      recurrentKernel: this.recurrentKernel as LayerVariable,
      bias: input,
      recurrentBias: recurrent,
      ...acts,
    };
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      resetAfter: this.resetAfter,
    };
  }

  static fromConfig(config: LayerConfig): GRUCellLayer {
    return new GRUCellLayer(...unitsArgs<GRUCellOptions>(config));
  }
}

/** The type of what `GRUCell()` returns. */
export type GRUCell = GRUCellLayer;

/** A GRU step, for `RNN(cell)` or `StackedRNNCells`: `GRUCell(64)`. */
export function GRUCell(units: number, options: GRUCellOptions = {}): GRUCell {
  return new GRUCellLayer(units, options);
}
