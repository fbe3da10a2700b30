import { get as getActivation } from '@neurona/activations';
import { fusedActivation } from '@neurona/tensor';
import type { FusedActivation } from '@neurona/tensor';
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

/** The Keras name layers report as `activationName` (`'softmax'`, `'relu'`). */
export function activationNameOf(fn: ActivationFn): string {
  return fn.className;
}

/**
 * The form in which `dense` of @neurona/tensor can fuse this activation into its matMul, or null.
 * Only the built-in activations qualify (a user function that happens to be named 'relu' does
 * not): the registered function itself, or a built-in leaky_relu/elu whose alpha the fused
 * kernel supports. Sigmoid is not fused: its output must carry its logits (see `withLogits`).
 */
export function fusedActivationOf(fn: ActivationFn): { activation: FusedActivation; alpha: number } | null {
  // sigmoid is left to the activation, whose output carries its logits for binary cross-entropy
  if (fn.className === 'sigmoid') return null;
  const fused = fusedActivation(fn.className);
  if (!fused) return null;
  let builtin: ActivationFn;
  try {
    builtin = getActivation(fn.className);
  } catch {
    return null;
  }
  const alpha = fn.getConfig?.().alpha;
  if (fused === 'leakyrelu') {
    // tfjs's fused leaky relu is the piecewise form, equal to max(alpha·x, x) for 0 < alpha ≤ 1
    return typeof alpha === 'number' && alpha > 0 && alpha <= 1 ? { activation: fused, alpha } : null;
  }
  if (fused === 'elu') return fn === builtin || alpha === 1 ? { activation: fused, alpha: 1 } : null;
  return fn === builtin ? { activation: fused, alpha: 0.1 } : null;
}
