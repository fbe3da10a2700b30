import { tensor } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import type { LayerConfig } from '../layer';
import { describeValue } from '../shape';
import { hashBucket } from './hash';
import { IndexLookupLayer } from './index-lookup';
import type { IndexLookupOptions } from './index-lookup';

/** Options of `IntegerLookup` (Keras's names and defaults: one OOV index, OOV token -1). */
export interface IntegerLookupOptions extends IndexLookupOptions<number> {
  /** Keras's vocabulary dtype; only `'int64'` (values are read as integers). */
  vocabularyDtype?: 'int64';
  /** OOV bucket of an unknown integer with several buckets: `'floormod'` (default) or `'farmhash'`. */
  oovMethod?: 'floormod' | 'farmhash';
}

/**
 * Maps integers to contiguous ids through a vocabulary, as Keras's `IntegerLookup` (same layout
 * as `StringLookup`: mask, OOV buckets, then the terms). Several OOV buckets take
 * `floormod(value, numOovIndices)` or, with `oovMethod: 'farmhash'`, Keras's hash of the decimal
 * string. Runs on the host (needs a backend with synchronous reads: cpu, wasm).
 */
export class IntegerLookupLayer extends IndexLookupLayer<number> {
  static override readonly className: string = 'IntegerLookup';
  protected readonly keyKind = 'int' as const;
  readonly oovMethod: 'floormod' | 'farmhash';

  constructor(options: IntegerLookupOptions = {}) {
    super(options, { oovToken: -1, invertDtype: 'int32' }, ['vocabularyDtype', 'oovMethod']);
    if (options.vocabularyDtype !== undefined && options.vocabularyDtype !== 'int64') {
      throw new Error(`${this}: vocabularyDtype must be 'int64', got ${describeValue(options.vocabularyDtype)}`);
    }
    const m = options.oovMethod ?? 'floormod';
    if (m !== 'floormod' && m !== 'farmhash') throw new Error(`${this}: oovMethod must be 'floormod' or 'farmhash', got ${describeValue(m)}`);
    if (this.salt !== null && m !== 'farmhash') throw new Error(`${this}: salt is only used with oovMethod 'farmhash'`);
    this.oovMethod = m;
    this.initVocabulary(options);
  }

  protected checkKey(where: string, v: unknown): number {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`${where}: expected integers, got ${describeValue(v)}`);
    return v;
  }

  protected override oovBucket(k: number): number {
    if (this.oovMethod === 'farmhash') return hashBucket(String(k), this.numOovIndices, this.salt);
    const n = this.numOovIndices;
    return ((k % n) + n) % n;
  }

  protected tokensTensor(tokens: number[], shape: number[]): Tensor {
    return tensor(Int32Array.from(tokens), shape, 'int32');
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), vocabularyDtype: 'int64', oovMethod: this.oovMethod };
  }

  static fromConfig(config: LayerConfig): IntegerLookupLayer {
    return new IntegerLookupLayer(config as IntegerLookupOptions);
  }
}

/** The type of what `IntegerLookup()` returns. */
export type IntegerLookup = IntegerLookupLayer;

/** `IntegerLookup({ vocabulary: [12, 36, 1138] })`, or `IntegerLookup()` and `await layer.adapt(ids)`. */
export function IntegerLookup(options: IntegerLookupOptions = {}): IntegerLookup {
  return new IntegerLookupLayer(options);
}
