import { cast, div, expandDims, max, mean, mul, sum } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { PoolingBaseLayer } from './pooling-base';
import { describeValue } from './shape';
import { standardizeDataFormat, type DataFormat } from './conv-utils';

/** Options of the global pooling layers. */
export interface GlobalPoolingOptions extends LayerOptions {
  /** `'channels_last'` (default) or `'channels_first'`. */
  dataFormat?: DataFormat | null;
  /** Keep the spatial axes with size 1. Default false. */
  keepdims?: boolean;
}

/** The mask a 1-D global average pool may be given with its input (`[batch, steps]`). */
interface MaskedKwargs extends CallKwargs {
  mask?: Tensor | null;
}

/** Max or average over every spatial axis, as Keras's Global*Pooling1D/2D/3D. */
export abstract class GlobalPoolingLayer extends PoolingBaseLayer {
  readonly dataFormat: DataFormat;
  readonly keepdims: boolean;

  constructor(rank: number, mode: 'max' | 'avg', options: GlobalPoolingOptions) {
    super(rank, mode, options, ['dataFormat', 'keepdims']);
    this.dataFormat = standardizeDataFormat(String(this), options.dataFormat);
    if (options.keepdims !== undefined && typeof options.keepdims !== 'boolean') {
      throw new Error(`${this}: keepdims must be a boolean, got ${describeValue(options.keepdims)}`);
    }
    this.keepdims = options.keepdims ?? false;
  }

  /** The spatial axes of the input. */
  protected get axes(): number[] {
    return Array.from({ length: this.rank }, (_, i) => i + (this.dataFormat === 'channels_last' ? 1 : 2));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = inputShape as Shape;
    const channels = this.dataFormat === 'channels_last' ? s[s.length - 1] : s[1];
    if (!this.keepdims) return [s[0] ?? null, channels];
    const ones = Array.from({ length: this.rank }, () => 1);
    return this.dataFormat === 'channels_last' ? [s[0] ?? null, ...ones, channels] : [s[0] ?? null, channels, ...ones];
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = inputs as Tensor;
    const mask = (kwargs as MaskedKwargs).mask;
    if (this.mode === 'avg' && this.rank === 1 && mask) {
      // Keras: the average over the steps the mask keeps
      const m = cast(expandDims(mask, this.dataFormat === 'channels_last' ? 2 : 1), x.dtype);
      const steps = this.axes[0];
      return div(sum(mul(x, m), steps, this.keepdims), sum(m, steps, this.keepdims));
    }
    return this.mode === 'max' ? max(x, this.axes, this.keepdims) : mean(x, this.axes, this.keepdims);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), dataFormat: this.dataFormat, keepdims: this.keepdims };
  }
}

/** Average over steps: `[batch, steps, channels]` → `[batch, channels]`; uses a mask when given one. */
export class GlobalAveragePooling1DLayer extends GlobalPoolingLayer {
  static override readonly className: string = 'GlobalAveragePooling1D';
  /** Keras's GlobalAveragePooling1D averages over the unmasked steps and passes no mask on. */
  readonly supportsMasking = true;
  constructor(options: GlobalPoolingOptions = {}) {
    super(1, 'avg', options);
  }
  /** The output has no steps left to mask. */
  computeMask(): null {
    return null;
  }
  /** It consumes the mask: no output carries one. */
  override computeMaskPresence(_inputMasked: boolean[], outputCount: number): boolean[] {
    return Array.from({ length: outputCount }, () => false);
  }
  static fromConfig(config: LayerConfig): GlobalAveragePooling1DLayer {
    return new GlobalAveragePooling1DLayer(config as GlobalPoolingOptions);
  }
}

/** Average over height and width. */
export class GlobalAveragePooling2DLayer extends GlobalPoolingLayer {
  static override readonly className: string = 'GlobalAveragePooling2D';
  constructor(options: GlobalPoolingOptions = {}) {
    super(2, 'avg', options);
  }
  static fromConfig(config: LayerConfig): GlobalAveragePooling2DLayer {
    return new GlobalAveragePooling2DLayer(config as GlobalPoolingOptions);
  }
}

/** Average over depth, height and width. */
export class GlobalAveragePooling3DLayer extends GlobalPoolingLayer {
  static override readonly className: string = 'GlobalAveragePooling3D';
  constructor(options: GlobalPoolingOptions = {}) {
    super(3, 'avg', options);
  }
  static fromConfig(config: LayerConfig): GlobalAveragePooling3DLayer {
    return new GlobalAveragePooling3DLayer(config as GlobalPoolingOptions);
  }
}

/** Max over steps. */
export class GlobalMaxPooling1DLayer extends GlobalPoolingLayer {
  static override readonly className: string = 'GlobalMaxPooling1D';
  constructor(options: GlobalPoolingOptions = {}) {
    super(1, 'max', options);
  }
  static fromConfig(config: LayerConfig): GlobalMaxPooling1DLayer {
    return new GlobalMaxPooling1DLayer(config as GlobalPoolingOptions);
  }
}

/** Max over height and width. */
export class GlobalMaxPooling2DLayer extends GlobalPoolingLayer {
  static override readonly className: string = 'GlobalMaxPooling2D';
  constructor(options: GlobalPoolingOptions = {}) {
    super(2, 'max', options);
  }
  static fromConfig(config: LayerConfig): GlobalMaxPooling2DLayer {
    return new GlobalMaxPooling2DLayer(config as GlobalPoolingOptions);
  }
}

/** Max over depth, height and width. */
export class GlobalMaxPooling3DLayer extends GlobalPoolingLayer {
  static override readonly className: string = 'GlobalMaxPooling3D';
  constructor(options: GlobalPoolingOptions = {}) {
    super(3, 'max', options);
  }
  static fromConfig(config: LayerConfig): GlobalMaxPooling3DLayer {
    return new GlobalMaxPooling3DLayer(config as GlobalPoolingOptions);
  }
}

/** The type of what `GlobalAveragePooling1D()` returns. */
export type GlobalAveragePooling1D = GlobalAveragePooling1DLayer;
/** The type of what `GlobalAveragePooling2D()` returns. */
export type GlobalAveragePooling2D = GlobalAveragePooling2DLayer;
/** The type of what `GlobalAveragePooling3D()` returns. */
export type GlobalAveragePooling3D = GlobalAveragePooling3DLayer;
/** The type of what `GlobalMaxPooling1D()` returns. */
export type GlobalMaxPooling1D = GlobalMaxPooling1DLayer;
/** The type of what `GlobalMaxPooling2D()` returns. */
export type GlobalMaxPooling2D = GlobalMaxPooling2DLayer;
/** The type of what `GlobalMaxPooling3D()` returns. */
export type GlobalMaxPooling3D = GlobalMaxPooling3DLayer;

/** `GlobalAveragePooling1D({ keepdims })`: `[batch, steps, channels]` → `[batch, channels]`, as Keras. */
export function GlobalAveragePooling1D(options: GlobalPoolingOptions = {}): GlobalAveragePooling1D {
  return new GlobalAveragePooling1DLayer(options);
}

/** `GlobalAveragePooling2D()`: `[batch, height, width, channels]` → `[batch, channels]`, as Keras. */
export function GlobalAveragePooling2D(options: GlobalPoolingOptions = {}): GlobalAveragePooling2D {
  return new GlobalAveragePooling2DLayer(options);
}

/** `GlobalAveragePooling3D()`, as Keras. */
export function GlobalAveragePooling3D(options: GlobalPoolingOptions = {}): GlobalAveragePooling3D {
  return new GlobalAveragePooling3DLayer(options);
}

/** `GlobalMaxPooling1D({ keepdims })`, as Keras. */
export function GlobalMaxPooling1D(options: GlobalPoolingOptions = {}): GlobalMaxPooling1D {
  return new GlobalMaxPooling1DLayer(options);
}

/** `GlobalMaxPooling2D()`, as Keras. */
export function GlobalMaxPooling2D(options: GlobalPoolingOptions = {}): GlobalMaxPooling2D {
  return new GlobalMaxPooling2DLayer(options);
}

/** `GlobalMaxPooling3D()`, as Keras. */
export function GlobalMaxPooling3D(options: GlobalPoolingOptions = {}): GlobalMaxPooling3D {
  return new GlobalMaxPooling3DLayer(options);
}
