import type { Tensor } from '@neurona/tensor';

/** The settings of a configured activation, as JSON (`{ alpha: 0.2 }`, `{ axis: 1 }`). */
export type ActivationConfig = Record<string, number | boolean>;

/**
 * An activation: a function of one tensor that carries its Keras name.
 * `getConfig()` (present on every built-in) returns its settings, e.g. `{ alpha: 0.1 }`.
 */
export type ActivationFn = ((x: Tensor) => Tensor) & {
  readonly className: string;
  getConfig?: () => ActivationConfig;
};

/** What `get` accepts: a name, an activation or plain function, `{ className, config }`, or nothing (linear). */
export type ActivationIdentifier =
  | string
  | ((x: Tensor) => Tensor)
  | { className: string; config?: ActivationConfig }
  | null
  | undefined;
