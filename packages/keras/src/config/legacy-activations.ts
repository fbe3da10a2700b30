// Keras 1 and 2 defined hard_sigmoid as clip(0.2·x + 0.5, 0, 1); Keras 3 (and neurona's
// `hard_sigmoid`) as relu6(x + 3) / 6. A file written by Keras 1/2 (LSTM and GRU used it as their
// default recurrent activation until tf.keras 2.0) means the old one, so reading such a file maps
// its `hard_sigmoid` to `legacy_hard_sigmoid`, registered here, and the predictions stay what
// Keras 2 computed. Keras 3 has no name for it: writing it to a Keras file is refused.
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { get, registerActivation } from '@neurona/activations';

/** neurona's name of Keras 1/2's hard sigmoid. */
export const LEGACY_HARD_SIGMOID = 'legacy_hard_sigmoid';

/** Keras 1/2's hard sigmoid: `clip(0.2·x + 0.5, 0, 1)`. */
export function legacyHardSigmoid(x: Tensor): Tensor {
  return T.tidy(() => T.clipByValue(T.add(T.mul(x, 0.2), 0.5), 0, 1));
}

// registered once per process (a second copy of this package finds it there)
let known = false;
try {
  known = get(LEGACY_HARD_SIGMOID).className === LEGACY_HARD_SIGMOID;
} catch {
  known = false;
}
if (!known) registerActivation(LEGACY_HARD_SIGMOID, legacyHardSigmoid, { package: 'neurona' });

/** Option names whose value is an activation name. */
const ACTIVATION_KEYS = new Set(['activation', 'recurrentActivation']);

/** The value to use for `key` of a layer config read from a file by Keras 1/2. */
export function legacyActivation(key: string, value: unknown): unknown {
  return ACTIVATION_KEYS.has(key) && value === 'hard_sigmoid' ? LEGACY_HARD_SIGMOID : value;
}
