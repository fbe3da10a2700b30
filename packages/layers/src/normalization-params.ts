// The learned scale (gamma) and offset (beta) options that Keras's normalization layers share.
import { get as getInitializer, serialize as serializeInitializer } from '@neurona/initializers';
import type { Initializer, InitializerIdentifier } from '@neurona/initializers';
import { getConstraint, serializeConstraint } from './constraints';
import type { Constraint, ConstraintIdentifier } from './constraints';
import type { LayerConfig } from './layer';
import { getRegularizer, serializeRegularizer } from './regularizers';
import type { Regularizer, RegularizerIdentifier } from './regularizers';
import { describeValue } from './shape';

/** Options of the learned scale and offset (`BatchNormalization`, `LayerNormalization`, `GroupNormalization`). */
export interface AffineOptions {
  /** Small value added to the variance before its square root (default 1e-3). */
  epsilon?: number;
  /** Learn an offset `beta` added after normalizing (default true). */
  center?: boolean;
  /** Learn a scale `gamma` multiplied after normalizing (default true). */
  scale?: boolean;
  /** Default `'zeros'`. */
  betaInitializer?: InitializerIdentifier;
  /** Default `'ones'`. */
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
}

/** The option names of `AffineOptions`. */
export const AFFINE_KEYS: readonly string[] = [
  'epsilon',
  'center',
  'scale',
  'betaInitializer',
  'gammaInitializer',
  'betaRegularizer',
  'gammaRegularizer',
  'betaConstraint',
  'gammaConstraint',
];

/** `AffineOptions` resolved. */
export interface AffineParams {
  epsilon: number;
  center: boolean;
  scale: boolean;
  betaInitializer: Initializer;
  gammaInitializer: Initializer;
  betaRegularizer: Regularizer | null;
  gammaRegularizer: Regularizer | null;
  betaConstraint: Constraint | null;
  gammaConstraint: Constraint | null;
}

/** Checks and resolves the shared options; `where` names the layer in messages. */
export function affineParams(where: string, o: AffineOptions): AffineParams {
  if (o.epsilon !== undefined && !(typeof o.epsilon === 'number' && o.epsilon > 0 && Number.isFinite(o.epsilon))) {
    throw new Error(`${where}: epsilon must be a finite number > 0, got ${describeValue(o.epsilon)}`);
  }
  for (const k of ['center', 'scale'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'boolean') throw new Error(`${where}: ${k} must be a boolean, got ${describeValue(o[k])}`);
  }
  return {
    epsilon: o.epsilon ?? 1e-3,
    center: o.center ?? true,
    scale: o.scale ?? true,
    betaInitializer: getInitializer(o.betaInitializer ?? 'zeros'),
    gammaInitializer: getInitializer(o.gammaInitializer ?? 'ones'),
    betaRegularizer: getRegularizer(o.betaRegularizer),
    gammaRegularizer: getRegularizer(o.gammaRegularizer),
    betaConstraint: getConstraint(o.betaConstraint),
    gammaConstraint: getConstraint(o.gammaConstraint),
  };
}

/** The shared options as config entries (Keras's names and order). */
export function affineConfig(p: AffineParams): LayerConfig {
  return {
    epsilon: p.epsilon,
    center: p.center,
    scale: p.scale,
    betaInitializer: serializeInitializer(p.betaInitializer),
    gammaInitializer: serializeInitializer(p.gammaInitializer),
    betaRegularizer: serializeRegularizer(p.betaRegularizer),
    gammaRegularizer: serializeRegularizer(p.gammaRegularizer),
    betaConstraint: serializeConstraint(p.betaConstraint),
    gammaConstraint: serializeConstraint(p.gammaConstraint),
  };
}

/** The axes of `value` (an integer or a list) as sorted non-negative axes of a rank-`rank` input. */
export function resolveAxes(where: string, value: number | number[], rank: number): number[] {
  const list = Array.isArray(value) ? value : [value];
  const out = list.map((a) => (a < 0 ? rank + a : a));
  if (out.some((a) => a < 0 || a >= rank)) {
    throw new Error(`${where}: axis ${describeValue(value)} is out of range for inputs of rank ${rank}`);
  }
  if (new Set(out).size !== out.length) throw new Error(`${where}: axis ${describeValue(value)} names an axis twice`);
  return out.sort((a, b) => a - b);
}

/** Checks an `axis` option: an integer or a non-empty list of integers. */
export function checkAxisOption(where: string, axis: unknown, allowList: boolean): number | number[] {
  if (typeof axis === 'number' && Number.isInteger(axis)) return axis;
  if (allowList && Array.isArray(axis) && axis.length > 0 && axis.every((a) => Number.isInteger(a))) return [...(axis as number[])];
  throw new Error(`${where}: axis must be an integer${allowList ? ' or a list of integers' : ''}, got ${describeValue(axis)}`);
}
