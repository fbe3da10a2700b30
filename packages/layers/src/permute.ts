import { transpose } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { Layer } from './layer';
import { describeValue, formatShape } from './shape';

/**
 * Reorders the axes of each sample (Keras's `Permute`): `dims` is a permutation of `1..n`
 * (the batch axis, 0, stays first). `Permute([2, 1])`: `[b, 10, 64]` → `[b, 64, 10]`.
 */
export class PermuteLayer extends Layer {
  static override readonly className: string = 'Permute';
  readonly dims: number[];

  constructor(dims: number[], options: LayerOptions = {}) {
    super(options, []);
    const sorted = Array.isArray(dims) ? [...dims].sort((a, b) => a - b) : null;
    if (!sorted || sorted.length === 0 || sorted.some((d, i) => d !== i + 1)) {
      throw new Error(`${this}: dims must be a permutation of 1..n (the batch axis is not included), got ${describeValue(dims)}`);
    }
    this.dims = [...dims];
  }

  override build(inputShape: Shape | Shape[]): void {
    void inputShape;
    this.inputSpec = [{ ndim: this.dims.length + 1 }];
    this.built = true;
  }

  protected override assertInputCompatible(shapes: Shape[]): void {
    const s = shapes[0];
    if (s.length !== this.dims.length + 1) {
      const axes = this.dims.map((_, i) => `d${i + 1}`).join(', ');
      throw new Error(`${this} expects input [null, ${axes}] (rank ${this.dims.length + 1}), got ${formatShape(s)}`);
    }
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = inputShape as Shape;
    return [s[0], ...this.dims.map((d) => s[d])];
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    return transpose(inputs as Tensor, [0, ...this.dims]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), dims: [...this.dims] };
  }

  static fromConfig(config: LayerConfig): PermuteLayer {
    const { dims, ...rest } = config;
    return new PermuteLayer(dims as number[], rest as LayerOptions);
  }
}

/** The type of what `Permute()` returns. */
export type Permute = PermuteLayer;

/** `Permute([2, 1])`: swaps the two axes after the batch axis (Keras's `Permute`). */
export function Permute(dims: number[], options: LayerOptions = {}): Permute {
  return new PermuteLayer(dims, options);
}
