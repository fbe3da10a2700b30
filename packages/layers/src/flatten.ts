import { reshape } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { Layer } from './layer';
import { sizeOf } from './shape';

/** Flattens each sample to a vector: `[batch, 28, 28]` → `[batch, 784]`. */
export class FlattenLayer extends Layer {
  static override readonly className: string = 'Flatten';

  override build(inputShape: Shape | Shape[]): void {
    void inputShape;
    this.inputSpec = [{ minNdim: 1 }];
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = inputShape as Shape;
    return [s[0] ?? null, s.length <= 1 ? 1 : sizeOf(s.slice(1))];
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    const rest = x.shape.slice(1).reduce((a, b) => a * b, 1);
    return reshape(x, [x.shape[0], rest]);
  }

  static fromConfig(config: LayerConfig): FlattenLayer {
    return new FlattenLayer(config as LayerOptions);
  }
}

/** The type of what `Flatten()` returns. */
export type Flatten = FlattenLayer;

/** `Flatten({ inputShape: [28, 28] })`: each sample becomes a vector (batch dimension kept). */
export function Flatten(options: LayerOptions = {}): Flatten {
  return new FlattenLayer(options);
}
