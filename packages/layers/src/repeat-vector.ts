import { broadcastTo, expandDims } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { Layer } from './layer';
import { describeValue, formatShape } from './shape';

/** Repeats each sample's vector `n` times: `[b, features]` → `[b, n, features]` (Keras's `RepeatVector`). */
export class RepeatVectorLayer extends Layer {
  static override readonly className: string = 'RepeatVector';
  readonly n: number;

  constructor(n: number, options: LayerOptions = {}) {
    super(options, []);
    if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
      throw new Error(`${this}: n must be a positive integer, got ${describeValue(n)}`);
    }
    this.n = n;
  }

  override build(inputShape: Shape | Shape[]): void {
    void inputShape;
    this.inputSpec = [{ ndim: 2 }];
    this.built = true;
  }

  protected override assertInputCompatible(shapes: Shape[]): void {
    if (shapes[0].length !== 2) throw new Error(`${this} expects input [null, features], got ${formatShape(shapes[0])}`);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = inputShape as Shape;
    return [s[0], this.n, s[1]];
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    return broadcastTo(expandDims(x, 1), [x.shape[0], this.n, x.shape[1] as number]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), n: this.n };
  }

  static fromConfig(config: LayerConfig): RepeatVectorLayer {
    const { n, ...rest } = config;
    return new RepeatVectorLayer(n as number, rest as LayerOptions);
  }
}

/** The type of what `RepeatVector()` returns. */
export type RepeatVector = RepeatVectorLayer;

/** `RepeatVector(3)`: `[b, 32]` → `[b, 3, 32]` (Keras's `RepeatVector`). */
export function RepeatVector(n: number, options: LayerOptions = {}): RepeatVector {
  return new RepeatVectorLayer(n, options);
}
