import { maximum, mul, rsqrt, square, sum } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { Layer } from './layer';
import { checkAxisOption, resolveAxes } from './normalization-params';

/** Options of `UnitNormalization`. */
export interface UnitNormalizationOptions extends LayerOptions {
  /** The axis or axes whose L2 norm becomes 1 (default -1). */
  axis?: number | number[];
}

/**
 * Scales each sample to unit L2 norm along `axis` (Keras's `UnitNormalization`):
 * `x / sqrt(max(Σx², 1e-24))` (Keras's `ops.normalize` with epsilon 1e-12).
 */
export class UnitNormalizationLayer extends Layer {
  static override readonly className: string = 'UnitNormalization';
  readonly axis: number | number[];

  constructor(options: UnitNormalizationOptions = {}) {
    super(options, ['axis']);
    this.axis = checkAxisOption(`${this}`, (options ?? {}).axis ?? -1, true);
  }

  override build(inputShape: Shape | Shape[]): void {
    resolveAxes(`${this}`, this.axis, (inputShape as Shape).length);
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    const axes = resolveAxes(`${this}`, this.axis, x.rank);
    return mul(x, rsqrt(maximum(sum(square(x), axes, true), 1e-24)));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis };
  }

  static fromConfig(config: LayerConfig): UnitNormalizationLayer {
    return new UnitNormalizationLayer(config as UnitNormalizationOptions);
  }
}

/** The type of what `UnitNormalization()` returns. */
export type UnitNormalization = UnitNormalizationLayer;

/** `UnitNormalization()`: each sample's last axis scaled to unit L2 norm. */
export function UnitNormalization(options: UnitNormalizationOptions = {}): UnitNormalization {
  return new UnitNormalizationLayer(options);
}
