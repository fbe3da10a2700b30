import { get as getActivation } from '@neurona/activations';
import type { ActivationFn, ActivationIdentifier } from '@neurona/activations';

/** How a layer config stores an activation: a string or a name with settings. */
export type ActivationSetting = string | { className: string; config: Record<string, number | boolean> };

/**
 * The Keras name when the activation is the registered one with its default settings
 * (`'softmax'`), else `{ className, config }` (`leaky_relu` with alpha 0.3).
 */
export function activationToConfig(fn: ActivationFn): ActivationSetting {
  const config = fn.getConfig?.() ?? {};
  let registered: ActivationFn | null = null;
  try {
    registered = getActivation(fn.className);
  } catch {
    return fn.className; // a contributed activation that is not registered: its name is all we have
  }
  const defaults = registered.getConfig?.() ?? {};
  return JSON.stringify(config) === JSON.stringify(defaults) ? fn.className : { className: fn.className, config };
}

/** Resolve an activation option; `undefined`/`null` are linear. */
export function resolveActivation(id: ActivationIdentifier): ActivationFn {
  return getActivation(id);
}

/**
 * The name layers report as `activationName`: the Keras name, except a softmax on an axis other
 * than the last reads `'softmax(axis=1)'` so the fused last-axis softmax + cross-entropy is not used.
 */
export function activationNameOf(fn: ActivationFn): string {
  const axis = fn.getConfig?.().axis;
  return fn.className === 'softmax' && axis !== undefined && axis !== -1 ? `softmax(axis=${String(axis)})` : fn.className;
}
