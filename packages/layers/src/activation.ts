import type { ActivationFn, ActivationIdentifier } from '@neurona/activations';
import type { Tensor } from '@neurona/tensor';
import { activationNameOf, activationToConfig, resolveActivation } from './activation-config';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { Layer } from './layer';

/** Applies an activation function: `Activation('relu')`, `Activation(leakyRelu)`. */
export class ActivationLayer extends Layer {
  static override readonly className: string = 'Activation';
  /** Passes the mask of its input on, as Keras. */
  override supportsMasking = true;
  readonly activation: ActivationFn;

  constructor(activation: ActivationIdentifier, options: LayerOptions = {}) {
    super(options);
    this.activation = resolveActivation(activation);
  }

  /** Keras name of the activation (`'softmax'`). */
  get activationName(): string {
    return activationNameOf(this.activation);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    return this.activation(inputs as Tensor);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), activation: activationToConfig(this.activation) };
  }

  static fromConfig(config: LayerConfig): ActivationLayer {
    const { activation, ...rest } = config;
    return new ActivationLayer(activation as ActivationIdentifier, rest as LayerOptions);
  }
}

/** The type of what `Activation()` returns. */
export type Activation = ActivationLayer;

/** `Activation('softmax')`: a layer that only applies an activation. */
export function Activation(activation: ActivationIdentifier, options: LayerOptions = {}): Activation {
  return new ActivationLayer(activation, options);
}
