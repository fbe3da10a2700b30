import type { Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { Layer } from './layer';

/** Returns its input unchanged (Keras's `Identity`): a placeholder, or a named point in a graph. */
export class IdentityLayer extends Layer {
  static override readonly className: string = 'Identity';

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    return inputs as Tensor;
  }

  static fromConfig(config: LayerConfig): IdentityLayer {
    return new IdentityLayer(config as LayerOptions);
  }
}

/** The type of what `Identity()` returns. */
export type Identity = IdentityLayer;

/** `Identity()`: the output is the input (Keras's `Identity`). */
export function Identity(options: LayerOptions = {}): Identity {
  return new IdentityLayer(options);
}
