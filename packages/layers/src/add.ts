import { add, logicalOr } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerMask, LayerOptions } from './layer';
import { Layer } from './layer';
import { formatShape } from './shape';

/** Sums a list of tensors of one shape (a size 1 broadcasts, as in Keras). */
export class AddLayer extends Layer {
  static override readonly className: string = 'Add';
  /** Passes the mask of its input on, as Keras. */
  override supportsMasking = true;

  protected override get takesList(): boolean {
    return true;
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
    return xs.slice(1).reduce((sum, x) => add(sum, x), xs[0]);
  }

  /** The union of the input masks when every input has one (Keras's merge layers), else none. */
  override computeMask(inputs: Tensor | Tensor[], mask: LayerMask | null): Tensor | null {
    void inputs;
    if (!Array.isArray(mask) || mask.some((m) => !m)) return null;
    const ms = mask as Tensor[];
    return ms.slice(1).reduce((acc, m) => logicalOr(acc, m), ms[0]);
  }

  override computeMaskPresence(inputMasked: boolean[], outputCount: number): boolean[] {
    return Array.from({ length: outputCount }, () => inputMasked.length > 0 && inputMasked.every(Boolean));
  }

  private outputShapeOf(shapes: Shape[]): Shape {
    const rank = shapes[0].length;
    const bad = (): Error => new Error(`${this} expects inputs of one shape, got ${shapes.map(formatShape).join(', ')}`);
    if (shapes.some((s) => s.length !== rank)) throw bad();
    const out: Shape = [];
    for (let i = 0; i < rank; i++) {
      const dims = shapes.map((s) => s[i]);
      const known = dims.filter((d): d is number => d !== null && d !== 1);
      if (known.some((d) => d !== known[0])) throw bad();
      out.push(known.length > 0 ? known[0] : dims.includes(null) ? null : 1);
    }
    return out;
  }

  static fromConfig(config: LayerConfig): AddLayer {
    return new AddLayer(config as LayerOptions);
  }
}

/** The type of what `Add()` returns. */
export type Add = AddLayer;

/** `Add()([a, b])`: the elementwise sum of tensors of one shape. */
export function Add(options: LayerOptions = {}): Add {
  return new AddLayer(options);
}
