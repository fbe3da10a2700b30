import { reshape } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { Layer } from './layer';
import { describeValue, formatShape, sizeOf } from './shape';

/** Reshapes each sample to `targetShape` (batch excluded); one entry may be -1 (inferred). */
export class ReshapeLayer extends Layer {
  static override readonly className: string = 'Reshape';
  readonly targetShape: number[];

  constructor(targetShape: number[], options: LayerOptions = {}) {
    super(options);
    const ok =
      Array.isArray(targetShape) &&
      targetShape.every((d) => typeof d === 'number' && Number.isInteger(d) && (d > 0 || d === -1)) &&
      targetShape.filter((d) => d === -1).length <= 1;
    if (!ok) {
      throw new Error(
        `${this}: targetShape must be an array of positive integers with at most one -1, got ${describeValue(targetShape)}`,
      );
    }
    this.targetShape = [...targetShape];
  }

  override build(inputShape: Shape | Shape[]): void {
    this.computeOutputShape(inputShape);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = inputShape as Shape;
    return [s[0] ?? null, ...this.resolve(s)];
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    return reshape(x, [x.shape[0], ...(this.resolve(x.shape) as number[])]);
  }

  // The target with -1 worked out from the input's size per sample (null when that is unknown).
  private resolve(inputShape: Shape): Shape {
    const perSample = sizeOf(inputShape.slice(1));
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const hasFree = this.targetShape.includes(-1);
    if (perSample === null) return this.targetShape.map((d) => (d === -1 ? null : d));
    if (hasFree ? perSample % known !== 0 : perSample !== known) {
      throw new Error(
        `${this} cannot reshape input ${formatShape(inputShape)} (${perSample} values per sample) to ` +
          `${formatShape(this.targetShape)} (${hasFree ? `a multiple of ${known}` : known} values per sample)`,
      );
    }
    return this.targetShape.map((d) => (d === -1 ? perSample / known : d));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }

  static fromConfig(config: LayerConfig): ReshapeLayer {
    const { targetShape, ...rest } = config;
    return new ReshapeLayer(targetShape as number[], rest as LayerOptions);
  }
}

/** The type of what `Reshape()` returns. */
export type Reshape = ReshapeLayer;

/** `Reshape([7, -1])`: `[batch, 28, 28]` → `[batch, 7, 112]`. */
export function Reshape(targetShape: number[], options: LayerOptions = {}): Reshape {
  return new ReshapeLayer(targetShape, options);
}
