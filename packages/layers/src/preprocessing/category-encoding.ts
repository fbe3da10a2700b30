import { cast, getBackendInfo, max, min } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from '../layer';
import { Layer } from '../layer';
import { describeValue } from '../shape';
import { checkMode, encodeCategorical, encodedShape } from './encode';
import { assertNumericTensor } from './host-data';

/** Options of `CategoryEncoding` (Keras's names and defaults). */
export interface CategoryEncodingOptions extends LayerOptions {
  /** The number of ids (inputs are in [0, numTokens)). Required. */
  numTokens?: number;
  /** `'multi_hot'` (default), `'one_hot'` or `'count'`. */
  outputMode?: 'one_hot' | 'multi_hot' | 'count';
  /** Keras's sparse outputs; only false here. */
  sparse?: boolean;
}

const MODES = ['one_hot', 'multi_hot', 'count'] as const;

/**
 * Integer ids to dense vectors of `numTokens`, as Keras's `CategoryEncoding`: `one_hot` (one
 * vector per id), `multi_hot` (1 where an id of the sample occurs) or `count` (how often). Ids
 * outside [0, numTokens) are an error where the backend reads values synchronously (cpu, wasm).
 */
export class CategoryEncodingLayer extends Layer {
  static override readonly className: string = 'CategoryEncoding';
  readonly numTokens: number;
  readonly outputMode: 'one_hot' | 'multi_hot' | 'count';

  constructor(options: CategoryEncodingOptions = {}) {
    super(options, ['numTokens', 'outputMode', 'sparse']);
    const n = options.numTokens;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
      throw new Error(`${this}: numTokens must be an integer >= 1 (the number of ids), got ${describeValue(n)}`);
    }
    this.numTokens = n;
    this.outputMode = checkMode(`${this}`, options.outputMode ?? 'multi_hot', MODES);
    if (options.sparse) throw new Error(`${this}: sparse outputs are not supported; use sparse: false`);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    assertNumericTensor(`${this}`, x);
    if (this.outputMode !== 'one_hot' && x.rank > 2) {
      throw new Error(`${this} (${this.outputMode}) expects input of rank 1 or 2, got shape [${x.shape.join(', ')}]`);
    }
    const ids = x.dtype === 'int32' ? x : cast(x, 'int32');
    if (getBackendInfo().capabilities.syncRead && ids.size > 0) {
      const lo = (min(ids).dataSync() as Int32Array)[0];
      const hi = (max(ids).dataSync() as Int32Array)[0];
      if (lo < 0 || hi >= this.numTokens) {
        throw new Error(`${this}: input values must be in the range 0 <= values < numTokens (${this.numTokens}), got values from ${lo} to ${hi}`);
      }
    }
    return encodeCategorical(ids, this.outputMode, this.numTokens);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return encodedShape(inputShape as Shape, this.outputMode, this.numTokens);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), numTokens: this.numTokens, outputMode: this.outputMode, sparse: false };
  }

  static fromConfig(config: LayerConfig): CategoryEncodingLayer {
    return new CategoryEncodingLayer(config as CategoryEncodingOptions);
  }
}

/** The type of what `CategoryEncoding()` returns. */
export type CategoryEncoding = CategoryEncodingLayer;

/** `CategoryEncoding({ numTokens: 4, outputMode: 'one_hot' })`. */
export function CategoryEncoding(options: CategoryEncodingOptions = {}): CategoryEncoding {
  return new CategoryEncodingLayer(options);
}
