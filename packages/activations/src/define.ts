import { describeValue } from '@neurona/common';
import type { Tensor } from '@neurona/tensor';
import type { ActivationConfig } from './types';

/** An activation function `F` carrying its Keras name and settings. */
export type Named<F> = F & { readonly className: string; getConfig: () => ActivationConfig };

/** Attach the Keras name and a config getter to an activation function. */
export function defineActivation<F extends (x: Tensor, ...rest: never[]) => Tensor>(
  className: string,
  fn: F,
  config: () => ActivationConfig = () => ({}),
): Named<F> {
  return Object.assign(fn, { className, getConfig: config });
}

/** Throws unless `value` is a finite number; `what` names it in the message. */
export function checkFinite(what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${what} must be a finite number, got ${describeValue(value)}`);
  }
  return value;
}

/** Resolve a possibly negative `axis` of a tensor of rank `rank`, or throw. */
export function resolveAxis(what: string, axis: unknown, rank: number): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new Error(`${what}: axis must be an integer in [${-rank}, ${rank - 1}] for a rank-${rank} input, got ${describeValue(axis)}`);
  }
  return axis < 0 ? axis + rank : axis;
}

