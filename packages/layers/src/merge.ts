// Keras's elementwise merge layers (Multiply, Subtract, Average, Maximum, Minimum), on one base:
// inputs broadcast as Keras's `Merge` does (sizes of 1 stretch; an input of lower rank gains axes
// right after the batch axis).
import { add, broadcastTo, div, expandDims, maximum, minimum, mul, sub } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { Layer } from './layer';
import { formatShape } from './shape';

/** The base of elementwise merge layers: a list of tensors in, one tensor out. */
export abstract class MergeLayer extends Layer {
  static override readonly className: string = 'Merge';

  /** The most inputs the layer takes (2 for Subtract), or null for any number. */
  protected get maxInputs(): number | null {
    return null;
  }

  protected override get takesList(): boolean {
    return true;
  }

  /** Combine two tensors of broadcast-compatible shapes. */
  protected abstract merge2(a: Tensor, b: Tensor): Tensor;

  /** Combine the broadcast inputs (a pairwise fold by default). */
  protected mergeAll(xs: Tensor[]): Tensor {
    return xs.slice(1).reduce((acc, x) => this.merge2(acc, x), xs[0]);
  }

  protected override assertInputCompatible(shapes: Shape[]): void {
    this.outputShapeOf(shapes);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return this.outputShapeOf(inputShape as Shape[]);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const xs = inputs as Tensor[];
    const rank = Math.max(...xs.map((x) => x.rank));
    // Keras: a lower-rank input gains axes after the batch axis
    const aligned = xs.map((x) => {
      let y = x;
      for (let r = x.rank; r < rank; r++) y = expandDims(y, 1);
      return y;
    });
    return this.mergeAll(aligned);
  }

  private outputShapeOf(shapes: Shape[]): Shape {
    const max = this.maxInputs;
    if (max !== null && shapes.length !== max) {
      throw new Error(`${this} expects exactly ${max} inputs, got ${shapes.length}`);
    }
    const bad = (): Error => new Error(`${this} expects inputs of broadcast-compatible shapes, got ${shapes.map(formatShape).join(', ')}`);
    const batches = new Set(shapes.map((s) => s[0]).filter((d) => d !== null && d !== undefined));
    if (batches.size > 1) throw bad();
    if (shapes.some((s) => s.length === 0)) throw bad();
    const rank = Math.max(...shapes.map((s) => s.length));
    // per sample, right-aligned (what adding axes after the batch axis gives)
    const out: Shape = [];
    for (let k = 1; k < rank; k++) {
      const dims = shapes.map((s) => {
        const i = s.length - rank + k;
        return i >= 1 ? s[i] : 1;
      });
      const known = dims.filter((d): d is number => d !== null && d !== 1);
      if (known.some((d) => d !== known[0])) throw bad();
      out.push(known.length > 0 ? known[0] : dims.includes(null) ? null : 1);
    }
    return [batches.size === 1 ? ([...batches][0] as number) : null, ...out];
  }
}

/** `a` and `b` broadcast to one shape (tfjs's maximum/minimum gradients do not reduce broadcast axes). */
function sameShape(a: Tensor, b: Tensor): [Tensor, Tensor] {
  if (a.shape.every((d, i) => d === b.shape[i])) return [a, b];
  const shape = a.shape.map((d, i) => Math.max(d, b.shape[i]));
  return [broadcastTo(a, shape), broadcastTo(b, shape)];
}

/** `Multiply()([a, b, ...])`: the elementwise product. */
export class MultiplyLayer extends MergeLayer {
  static override readonly className: string = 'Multiply';
  protected merge2(a: Tensor, b: Tensor): Tensor {
    return mul(a, b);
  }
  static fromConfig(config: LayerConfig): MultiplyLayer {
    return new MultiplyLayer(config as LayerOptions);
  }
}

/** `Subtract()([a, b])`: `a - b` (exactly two inputs). */
export class SubtractLayer extends MergeLayer {
  static override readonly className: string = 'Subtract';
  protected override get maxInputs(): number {
    return 2;
  }
  protected merge2(a: Tensor, b: Tensor): Tensor {
    return sub(a, b);
  }
  static fromConfig(config: LayerConfig): SubtractLayer {
    return new SubtractLayer(config as LayerOptions);
  }
}

/** `Average()([a, b, ...])`: the elementwise mean. */
export class AverageLayer extends MergeLayer {
  static override readonly className: string = 'Average';
  protected merge2(a: Tensor, b: Tensor): Tensor {
    return add(a, b);
  }
  protected override mergeAll(xs: Tensor[]): Tensor {
    return div(super.mergeAll(xs), xs.length);
  }
  static fromConfig(config: LayerConfig): AverageLayer {
    return new AverageLayer(config as LayerOptions);
  }
}

/** `Maximum()([a, b, ...])`: the elementwise maximum. */
export class MaximumLayer extends MergeLayer {
  static override readonly className: string = 'Maximum';
  protected merge2(a: Tensor, b: Tensor): Tensor {
    return maximum(...sameShape(a, b));
  }
  static fromConfig(config: LayerConfig): MaximumLayer {
    return new MaximumLayer(config as LayerOptions);
  }
}

/** `Minimum()([a, b, ...])`: the elementwise minimum. */
export class MinimumLayer extends MergeLayer {
  static override readonly className: string = 'Minimum';
  protected merge2(a: Tensor, b: Tensor): Tensor {
    return minimum(...sameShape(a, b));
  }
  static fromConfig(config: LayerConfig): MinimumLayer {
    return new MinimumLayer(config as LayerOptions);
  }
}

/** The type of what `Multiply()` returns. */
export type Multiply = MultiplyLayer;
/** The type of what `Subtract()` returns. */
export type Subtract = SubtractLayer;
/** The type of what `Average()` returns. */
export type Average = AverageLayer;
/** The type of what `Maximum()` returns. */
export type Maximum = MaximumLayer;
/** The type of what `Minimum()` returns. */
export type Minimum = MinimumLayer;

/** `Multiply()([a, b])`: elementwise product of tensors of broadcast-compatible shapes (Keras's `Multiply`). */
export function Multiply(options: LayerOptions = {}): Multiply {
  return new MultiplyLayer(options);
}

/** `Subtract()([a, b])`: `a - b` (Keras's `Subtract`; exactly two inputs). */
export function Subtract(options: LayerOptions = {}): Subtract {
  return new SubtractLayer(options);
}

/** `Average()([a, b, c])`: the elementwise mean (Keras's `Average`). */
export function Average(options: LayerOptions = {}): Average {
  return new AverageLayer(options);
}

/** `Maximum()([a, b])`: the elementwise maximum (Keras's `Maximum`). */
export function Maximum(options: LayerOptions = {}): Maximum {
  return new MaximumLayer(options);
}

/** `Minimum()([a, b])`: the elementwise minimum (Keras's `Minimum`). */
export function Minimum(options: LayerOptions = {}): Minimum {
  return new MinimumLayer(options);
}
