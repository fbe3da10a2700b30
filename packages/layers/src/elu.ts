import { elu } from '@neurona/activations';
import type { Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { Layer } from './layer';
import { describeValue } from './shape';

/** Options of `ELU`. */
export interface ELUOptions extends LayerOptions {
  /** Scale of the negative part (default 1). */
  alpha?: number;
}

/** ELU: `x` for x ≥ 0, `alpha·(eˣ − 1)` for x < 0. */
export class ELULayer extends Layer {
  static override readonly className: string = 'ELU';
  /** Passes the mask of its input on, as Keras. */
  override supportsMasking = true;
  readonly alpha: number;

  constructor(options: ELUOptions = {}) {
    super(options, ['alpha']);
    const alpha = options.alpha ?? 1;
    if (typeof alpha !== 'number' || !Number.isFinite(alpha)) {
      throw new Error(`${this}: alpha must be a finite number, got ${describeValue(alpha)}`);
    }
    this.alpha = alpha;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    return elu(inputs as Tensor, this.alpha);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), alpha: this.alpha };
  }

  static fromConfig(config: LayerConfig): ELULayer {
    return new ELULayer(config as ELUOptions);
  }
}

/** The type of what `ELU()` returns. */
export type ELU = ELULayer;

/** `ELU({ alpha: 1 })`. */
export function ELU(options: ELUOptions = {}): ELU {
  return new ELULayer(options);
}
