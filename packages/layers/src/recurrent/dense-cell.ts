// The base of the dense recurrent cells (SimpleRNNCell, LSTMCell, GRUCell): the options every
// one of them resolves, the kernel / recurrent_kernel / bias weights with `gates` column blocks,
// and the config entries they share.
import type { RecurrentActivation } from '@neurona/tensor';
import type { ActivationFn, ActivationIdentifier } from '@neurona/activations';
import type { InitializerIdentifier } from '@neurona/initializers';
import { activationToConfig, resolveActivation } from '../activation-config';
import type { LayerConfig, LayerVariable } from '../layer';
import { describeValue } from '../shape';
import { cellConfig, fusedActivationOf, resolveCellOptions, type CellOptions, type ResolvedCellOptions } from './cell-options';
import { RNNCellLayer } from './rnn-cell';

/** A recurrent cell with a kernel `[in, gates·units]`, a recurrent kernel `[units, gates·units]` and an optional bias. */
export abstract class DenseCellLayer extends RNNCellLayer {
  readonly options: ResolvedCellOptions;
  kernel: LayerVariable | null = null;
  recurrentKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(units: number, options: CellOptions, keys: readonly string[]) {
    super(options, [...keys]);
    this.options = resolveCellOptions(`${this}`, units, options);
    this.dropout = this.options.dropout;
    this.recurrentDropout = this.options.recurrentDropout;
    this.seedDropout(this.options.seed);
  }

  get units(): number {
    return this.options.units;
  }

  get outputSize(): number {
    return this.options.units;
  }

  /** Adds `kernel` `[inDim, gates·units]` and `recurrent_kernel` `[units, gates·units]`. */
  protected addKernels(inDim: number, gates: number): void {
    const o = this.options;
    const n = gates * o.units;
    this.kernel = this.addWeight('kernel', [inDim, n], o.kernelInitializer, { regularizer: o.kernelRegularizer, constraint: o.kernelConstraint });
    this.recurrentKernel = this.addWeight('recurrent_kernel', [o.units, n], o.recurrentInitializer, {
      regularizer: o.recurrentRegularizer,
      constraint: o.recurrentConstraint,
    });
  }

  /** Adds `bias` of `shape` (with the bias initializer unless another is given) when the cell uses one. */
  protected addBiasWeight(shape: number[], initializer: InitializerIdentifier = this.options.biasInitializer): void {
    const o = this.options;
    if (o.useBias) this.bias = this.addWeight('bias', shape, initializer, { regularizer: o.biasRegularizer, constraint: o.biasConstraint });
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), ...cellConfig(this.options) };
  }
}

/** Options of a gated cell (LSTMCell, GRUCell). */
export interface GatedCellOptions extends CellOptions {
  /** Activation of the gates. Default `'sigmoid'` (Keras 3). */
  recurrentActivation?: ActivationIdentifier;
}

/** A dense cell with gates: their `recurrentActivation` (default `'sigmoid'`, Keras 3) and its config entry. */
export abstract class GatedCellLayer extends DenseCellLayer {
  readonly recurrentActivation: ActivationFn;

  constructor(units: number, options: GatedCellOptions, keys: readonly string[]) {
    super(units, options, keys);
    this.recurrentActivation = resolveActivation(options.recurrentActivation === undefined ? 'sigmoid' : options.recurrentActivation);
  }

  /** Both activations in the form the fused recurrent op takes, or null when either is not fusable. */
  protected fusedActivations(): { activation: RecurrentActivation; recurrentActivation: RecurrentActivation } | null {
    const activation = fusedActivationOf(this.options.activation);
    const recurrentActivation = fusedActivationOf(this.recurrentActivation);
    return activation && recurrentActivation ? { activation, recurrentActivation } : null;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), recurrentActivation: activationToConfig(this.recurrentActivation) };
  }
}

/** A boolean option (default `fallback`), with a message naming the cell. */
export function booleanOption(where: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value !== undefined && typeof value !== 'boolean') throw new Error(`${where}: ${name} must be a boolean, got ${describeValue(value)}`);
  return value ?? fallback;
}

/** A config's `units` split from the other options, for the constructors. */
export function unitsArgs<O>(config: LayerConfig): [number, O] {
  const { units, ...rest } = config;
  return [units as number, rest as O];
}
