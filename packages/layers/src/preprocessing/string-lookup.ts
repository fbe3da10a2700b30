import type { Tensor } from '@neurona/tensor';
import type { LayerConfig } from '../layer';
import { describeValue } from '../shape';
import { IndexLookupLayer, stringTensor } from './index-lookup';
import type { IndexLookupOptions } from './index-lookup';

/** Options of `StringLookup` (Keras's names and defaults: one OOV index, OOV token `'[UNK]'`). */
export interface StringLookupOptions extends IndexLookupOptions<string> {
  /** Text encoding of the terms; only `'utf-8'`. */
  encoding?: string;
}

/**
 * Maps strings to integer ids through a vocabulary, as Keras's `StringLookup`: index 0 is the
 * mask token (when set), then `numOovIndices` OOV buckets, then the terms, most frequent first
 * after `await layer.adapt(data)`. `invert: true` maps ids back to strings; `outputMode` one_hot,
 * multi_hot, count and tf_idf encode the ids. Takes string tensors (`Input({ dtype: 'string' })`).
 */
export class StringLookupLayer extends IndexLookupLayer<string> {
  static override readonly className: string = 'StringLookup';
  protected readonly keyKind = 'string' as const;
  readonly encoding: string;

  /** What the layer reads: strings, or int32 indices when inverted (a Sequential's Input follows it). */
  get inputDtype(): 'string' | 'int32' {
    return this.invert ? 'int32' : 'string';
  }

  constructor(options: StringLookupOptions = {}) {
    super(options, { oovToken: '[UNK]', invertDtype: 'string' }, ['encoding']);
    const enc = options.encoding ?? 'utf-8';
    if (enc.toLowerCase().replace('_', '-') !== 'utf-8') throw new Error(`${this}: only encoding 'utf-8' is supported, got ${describeValue(enc)}`);
    this.encoding = 'utf-8';
    this.initVocabulary(options);
  }

  protected checkKey(where: string, v: unknown): string {
    if (typeof v !== 'string') throw new Error(`${where}: expected strings, got ${describeValue(v)}`);
    return v;
  }

  protected tokensTensor(tokens: string[], shape: number[]): Tensor {
    return stringTensor(tokens, shape);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), encoding: this.encoding };
  }

  static fromConfig(config: LayerConfig): StringLookupLayer {
    return new StringLookupLayer(config as StringLookupOptions);
  }
}

/** The type of what `StringLookup()` returns. */
export type StringLookup = StringLookupLayer;

/** `StringLookup({ vocabulary: ['a', 'b'] })`, or `StringLookup()` and `await layer.adapt(strings)`. */
export function StringLookup(options: StringLookupOptions = {}): StringLookup {
  return new StringLookupLayer(options);
}
