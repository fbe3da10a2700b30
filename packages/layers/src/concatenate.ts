import { any, concat, expandDims, logicalOr, onesLike, zerosLike, cast } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerMask, LayerOptions } from './layer';
import { Layer } from './layer';
import { describeValue, formatShape } from './shape';

/** Options of `Concatenate`. */
export interface ConcatenateOptions extends LayerOptions {
  /** The axis to join along (default -1, the last). */
  axis?: number;
}

/** Joins a list of tensors along `axis`; all other dimensions must match. */
export class ConcatenateLayer extends Layer {
  static override readonly className: string = 'Concatenate';
  /** Passes the mask of its input on, as Keras. */
  override supportsMasking = true;
  readonly axis: number;

  constructor(options: ConcatenateOptions = {}) {
    const { axis, ...base } = options ?? {};
    super(base);
    if (axis !== undefined && !Number.isInteger(axis)) {
      throw new Error(`${this}: axis must be an integer, got ${describeValue(axis)}`);
    }
    this.axis = axis ?? -1;
  }

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
    return concat(xs, this.resolveAxis(xs[0].rank));
  }

  /**
   * As Keras: when any input is masked, the masks (all true for an unmasked input) are brought to
   * the inputs' shape, joined along the axis, and reduced over the last axis.
   */
  override computeMask(inputs: Tensor | Tensor[], mask: LayerMask | null): Tensor | null {
    if (!Array.isArray(mask) || mask.every((m) => !m)) return null;
    const xs = inputs as Tensor[];
    const full = xs.map((x, i) => {
      const m = mask[i];
      if (!m) return cast(onesLike(x), 'bool');
      if (m.rank < x.rank) return logicalOr(expandDims(m, -1), cast(zerosLike(x), 'bool'));
      return m;
    });
    return any(concat(full, this.resolveAxis(xs[0].rank)), -1);
  }

  override computeMaskPresence(inputMasked: boolean[], outputCount: number): boolean[] {
    return Array.from({ length: outputCount }, () => inputMasked.some(Boolean));
  }

  private resolveAxis(rank: number): number {
    const a = this.axis < 0 ? rank + this.axis : this.axis;
    if (a < 0 || a >= rank) {
      throw new Error(`${this}: axis ${this.axis} is out of range for inputs of rank ${rank}`);
    }
    return a;
  }

  private outputShapeOf(shapes: Shape[]): Shape {
    const rank = shapes[0].length;
    const bad = (): Error =>
      new Error(
        `${this} expects inputs of equal shapes except on axis ${this.axis}, got ${shapes.map(formatShape).join(', ')}`,
      );
    if (shapes.some((s) => s.length !== rank)) throw bad();
    const axis = this.resolveAxis(rank);
    const out: Shape = [...shapes[0]];
    for (let i = 0; i < rank; i++) {
      if (i === axis) {
        out[i] = shapes.some((s) => s[i] === null) ? null : shapes.reduce((n, s) => n + (s[i] as number), 0);
        continue;
      }
      const known = shapes.map((s) => s[i]).filter((d): d is number => d !== null);
      if (known.some((d) => d !== known[0])) throw bad();
      out[i] = known.length > 0 ? known[0] : null;
    }
    return out;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis };
  }

  static fromConfig(config: LayerConfig): ConcatenateLayer {
    return new ConcatenateLayer(config as ConcatenateOptions);
  }
}

/** The type of what `Concatenate()` returns. */
export type Concatenate = ConcatenateLayer;

/** `Concatenate()([a, b])`: `[null, 3]` and `[null, 4]` give `[null, 7]`. */
export function Concatenate(options: ConcatenateOptions = {}): Concatenate {
  return new ConcatenateLayer(options);
}
