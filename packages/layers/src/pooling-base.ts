// What the pooling layers (Max/AveragePooling, Global*Pooling) share: the rank of their input,
// checked on the concrete tensor first (so the message shows its real batch size), at build time
// and on every later call, with the named layout in the message.
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerOptions } from './layer';
import { Layer } from './layer';
import { formatShape } from './shape';
import { checkRank, namedInputShape, type DataFormat } from './conv-utils';

/** Max or average over windows of `rank` spatial axes (input rank `rank + 2`). */
export abstract class PoolingBaseLayer extends Layer {
  readonly rank: number;
  readonly mode: 'max' | 'avg';
  abstract readonly dataFormat: DataFormat;

  constructor(rank: number, mode: 'max' | 'avg', options: LayerOptions, keys: readonly string[]) {
    super(options, keys);
    this.rank = rank;
    this.mode = mode;
  }

  protected override eager(tensors: Tensor[], kwargs: CallKwargs, forward: (inputs: Tensor | Tensor[], kwargs: CallKwargs) => Tensor | Tensor[]): Tensor | Tensor[] {
    if (tensors[0]) checkRank(String(this), tensors[0].shape, this.rank, this.dataFormat);
    return super.eager(tensors, kwargs, forward);
  }

  override build(inputShape: Shape | Shape[]): void {
    checkRank(String(this), inputShape as Shape, this.rank, this.dataFormat);
    this.inputSpec = [{ ndim: this.rank + 2 }];
    this.built = true;
  }

  protected override assertInputCompatible(shapes: Shape[]): void {
    const s = shapes[0];
    if (s && s.length !== this.rank + 2) throw new Error(`${this} expects input ${namedInputShape(this.rank, this.dataFormat)}, got ${formatShape(s)}`);
  }
}
