import { add, mul, tensor1d } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { Layer } from './layer';
import { describeValue } from './shape';

/** Options of `Rescaling`. */
export interface RescalingOptions extends LayerOptions {
  /** Added after scaling (default 0); a number or one per channel (last axis). */
  offset?: number | number[];
}

function copy(v: number | number[]): number | number[] {
  return Array.isArray(v) ? [...v] : v;
}

function checkNumbers(where: string, what: string, v: unknown): number | number[] {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x))) return [...(v as number[])];
  throw new Error(`${where}: ${what} must be a finite number or a list of them (one per channel), got ${describeValue(v)}`);
}

/**
 * `x · scale + offset` (Keras's `Rescaling`), in training and inference alike: `Rescaling(1 / 255)`
 * maps pixels to [0, 1], `Rescaling(1 / 127.5, { offset: -1 })` to [-1, 1]. `scale` and `offset`
 * may be lists, one value per channel (last axis).
 */
export class RescalingLayer extends Layer {
  static override readonly className: string = 'Rescaling';
  readonly scale: number | number[];
  readonly offset: number | number[];

  constructor(scale: number | number[], options: RescalingOptions = {}) {
    const { offset, ...base } = options ?? {};
    super(base, []);
    this.scale = checkNumbers(`${this}`, 'scale', scale);
    this.offset = checkNumbers(`${this}`, 'offset', offset ?? 0);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    const s = typeof this.scale === 'number' ? this.scale : tensor1d(this.scale);
    const o = typeof this.offset === 'number' ? this.offset : tensor1d(this.offset);
    const scaled = s === 1 ? x : mul(x, s);
    return o === 0 ? scaled : add(scaled, o);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), scale: copy(this.scale), offset: copy(this.offset) };
  }

  static fromConfig(config: LayerConfig): RescalingLayer {
    const { scale, ...rest } = config;
    return new RescalingLayer(scale as number | number[], rest as RescalingOptions);
  }
}

/** The type of what `Rescaling()` returns. */
export type Rescaling = RescalingLayer;

/** `Rescaling(1 / 255)`: `x · scale + offset` (Keras's `Rescaling`). */
export function Rescaling(scale: number | number[], options: RescalingOptions = {}): Rescaling {
  return new RescalingLayer(scale, options);
}
