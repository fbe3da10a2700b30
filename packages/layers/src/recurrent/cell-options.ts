import { recurrentActivation } from '@neurona/tensor';
import type { RecurrentActivation } from '@neurona/tensor';
import { get as getInitializer, serialize as serializeInitializer } from '@neurona/initializers';
import type { Initializer, InitializerIdentifier } from '@neurona/initializers';
import { get as getActivation } from '@neurona/activations';
import type { ActivationFn, ActivationIdentifier } from '@neurona/activations';
import { activationToConfig, resolveActivation } from '../activation-config';
import type { LayerConfig, LayerOptions } from '../layer';
import { getRegularizer, serializeRegularizer } from '../regularizers';
import type { Regularizer, RegularizerIdentifier } from '../regularizers';
import { getConstraint, serializeConstraint, type Constraint, type ConstraintIdentifier } from '../constraints';
import { describeValue } from '../shape';

/** Options every recurrent cell (and the layer made of it) takes, with Keras's defaults. */
export interface CellOptions extends LayerOptions {
  /** Default `'tanh'`. */
  activation?: ActivationIdentifier;
  /** Default true. */
  useBias?: boolean;
  /** Default `'glorot_uniform'`. */
  kernelInitializer?: InitializerIdentifier;
  /** Default `'orthogonal'`. */
  recurrentInitializer?: InitializerIdentifier;
  /** Default `'zeros'`. */
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  recurrentRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  recurrentConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
  /** Fraction of the inputs dropped while training, in [0, 1); one mask per sequence. Default 0. */
  dropout?: number;
  /** Fraction of the previous output dropped while training, in [0, 1). Default 0. */
  recurrentDropout?: number;
  /** Seed of the dropout masks (reproducible masks); default none. */
  seed?: number | null;
}

/** The keys of `CellOptions` beyond the layer's own. */
export const CELL_KEYS = [
  'activation',
  'useBias',
  'kernelInitializer',
  'recurrentInitializer',
  'biasInitializer',
  'kernelRegularizer',
  'recurrentRegularizer',
  'biasRegularizer',
  'kernelConstraint',
  'recurrentConstraint',
  'biasConstraint',
  'dropout',
  'recurrentDropout',
  'seed',
] as const;

/** The resolved common options of a cell. */
export interface ResolvedCellOptions {
  units: number;
  activation: ActivationFn;
  useBias: boolean;
  kernelInitializer: Initializer;
  recurrentInitializer: Initializer;
  biasInitializer: Initializer;
  kernelRegularizer: Regularizer | null;
  recurrentRegularizer: Regularizer | null;
  biasRegularizer: Regularizer | null;
  kernelConstraint: Constraint | null;
  recurrentConstraint: Constraint | null;
  biasConstraint: Constraint | null;
  dropout: number;
  recurrentDropout: number;
  seed: number | null;
}

function rate(where: string, name: string, v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new Error(`${where}: ${name} must be a number in [0, 1), got ${describeValue(v)}`);
  return v;
}

/** Checks and resolves the options every cell takes. */
export function resolveCellOptions(where: string, units: unknown, o: CellOptions): ResolvedCellOptions {
  if (typeof units !== 'number' || !Number.isInteger(units) || units <= 0) {
    throw new Error(`${where}: units must be a positive integer, got ${describeValue(units)}`);
  }
  if (o.useBias !== undefined && typeof o.useBias !== 'boolean') throw new Error(`${where}: useBias must be a boolean, got ${describeValue(o.useBias)}`);
  if (o.seed !== undefined && o.seed !== null && !Number.isInteger(o.seed)) throw new Error(`${where}: seed must be an integer or null, got ${describeValue(o.seed)}`);
  return {
    units,
    activation: resolveActivation(o.activation === undefined ? 'tanh' : o.activation),
    useBias: o.useBias ?? true,
    kernelInitializer: getInitializer(o.kernelInitializer ?? 'glorot_uniform'),
    recurrentInitializer: getInitializer(o.recurrentInitializer ?? 'orthogonal'),
    biasInitializer: getInitializer(o.biasInitializer ?? 'zeros'),
    kernelRegularizer: getRegularizer(o.kernelRegularizer),
    recurrentRegularizer: getRegularizer(o.recurrentRegularizer),
    biasRegularizer: getRegularizer(o.biasRegularizer),
    kernelConstraint: getConstraint(o.kernelConstraint),
    recurrentConstraint: getConstraint(o.recurrentConstraint),
    biasConstraint: getConstraint(o.biasConstraint),
    dropout: rate(where, 'dropout', o.dropout),
    recurrentDropout: rate(where, 'recurrentDropout', o.recurrentDropout),
    seed: o.seed ?? null,
  };
}

/** The config entries of the common options (Keras's keys, camelCase). */
export function cellConfig(r: ResolvedCellOptions): LayerConfig {
  return {
    units: r.units,
    activation: activationToConfig(r.activation),
    useBias: r.useBias,
    kernelInitializer: serializeInitializer(r.kernelInitializer),
    recurrentInitializer: serializeInitializer(r.recurrentInitializer),
    biasInitializer: serializeInitializer(r.biasInitializer),
    kernelRegularizer: serializeRegularizer(r.kernelRegularizer),
    recurrentRegularizer: serializeRegularizer(r.recurrentRegularizer),
    biasRegularizer: serializeRegularizer(r.biasRegularizer),
    kernelConstraint: serializeConstraint(r.kernelConstraint),
    recurrentConstraint: serializeConstraint(r.recurrentConstraint),
    biasConstraint: serializeConstraint(r.biasConstraint),
    dropout: r.dropout,
    recurrentDropout: r.recurrentDropout,
    seed: r.seed,
  };
}

/**
 * The activation's fused form for `recurrentSequence`, or null: only the registered built-in
 * functions qualify (a user function named 'tanh' runs step by step).
 */
export function fusedActivationOf(fn: ActivationFn): RecurrentActivation | null {
  const fused = recurrentActivation(fn.className);
  if (!fused) return null;
  try {
    return getActivation(fn.className) === fn ? fused : null;
  } catch {
    return null;
  }
}
