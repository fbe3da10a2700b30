import { tensor } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from '../layer';
import { Layer } from '../layer';
import { describeValue } from '../shape';
import { checkMode, encodeCategoricalHost, encodedShape } from './encode';
import type { CategoricalMode } from './encode';
import { hashBucket } from './hash';
import { readSync } from './host-data';

/** Options of `Hashing` (Keras's names and defaults). */
export interface HashingOptions extends LayerOptions {
  /** Number of hash bins (bin 0 is the mask's when `maskValue` is set). Required. */
  numBins?: number;
  /** A value that always hashes to bin 0. */
  maskValue?: string | number | null;
  /** A key for SipHash-2-4 (TensorFlow's `to_hash_bucket_strong`): an integer or two. Default: FarmHash, no key. */
  salt?: number | [number, number] | null;
  /** `'int'` (default), `'one_hot'`, `'multi_hot'` or `'count'`. */
  outputMode?: CategoricalMode;
  /** Keras's sparse outputs; only false here. */
  sparse?: boolean;
}

const MODES: readonly CategoricalMode[] = ['int', 'one_hot', 'multi_hot', 'count'];

// TensorFlow's `as_string` of a number after Keras's cast of floats to int64 (truncation).
function asString(v: number): string {
  return BigInt(Math.trunc(v)).toString();
}

/**
 * Hashes strings or integers into `numBins` bins with Keras's hash functions, so the ids are
 * Keras's: FarmHash Fingerprint64 modulo the bins (`to_hash_bucket_fast`), or SipHash-2-4 keyed
 * by `salt` (`to_hash_bucket_strong`). Numbers are hashed as their decimal strings (floats
 * truncated first), as Keras does. Runs on the host: numeric inputs need a backend with
 * synchronous reads (cpu, wasm); string inputs work everywhere.
 */
export class HashingLayer extends Layer {
  static override readonly className: string = 'Hashing';
  readonly numBins: number;
  readonly maskValue: string | number | null;
  readonly salt: [number, number] | null;
  readonly outputMode: CategoricalMode;

  constructor(options: HashingOptions = {}) {
    const mode = checkMode('Hashing', options.outputMode ?? 'int', MODES);
    super({ ...options, dtype: mode === 'int' ? 'int32' : 'float32' }, ['numBins', 'maskValue', 'salt', 'outputMode', 'sparse']);
    this.outputMode = mode;
    const n = options.numBins;
    if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) throw new Error(`${this}: numBins must be a positive integer, got ${describeValue(n)}`);
    this.numBins = n;
    this.maskValue = options.maskValue ?? null;
    const s = options.salt ?? null;
    if (s === null) this.salt = null;
    else if (Number.isInteger(s)) this.salt = [s as number, s as number];
    else if (Array.isArray(s) && s.length === 2 && s.every((v) => Number.isInteger(v))) this.salt = [s[0], s[1]];
    else throw new Error(`${this}: salt must be an integer or a list of 2 integers, got ${describeValue(s)}`);
    if (options.sparse) throw new Error(`${this}: sparse outputs are not supported; use sparse: false`);
  }

  /** The bin of each value (host computation). */
  hashValues(values: ArrayLike<number> | string[]): Int32Array {
    const out = new Int32Array(values.length);
    const masked = this.maskValue !== null && this.numBins > 1;
    const bins = masked ? this.numBins - 1 : this.numBins;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (masked && v === this.maskValue) {
        out[i] = 0;
        continue;
      }
      const h = hashBucket(typeof v === 'string' ? v : asString(v), bins, this.salt);
      out[i] = masked ? h + 1 : h;
    }
    return out;
  }

  /** Takes string tensors (it reads text); checks what it needs itself. */
  protected override get acceptsStrings(): boolean {
    return true;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    let x = inputs as Tensor;
    if (this.outputMode === 'one_hot' && x.rank > 0 && x.shape[x.rank - 1] === 1) x = x.reshape(x.shape.slice(0, -1));
    const d = readSync(x);
    const ids = this.hashValues(d.values);
    return this.outputMode === 'int' ? tensor(ids, d.shape, 'int32') : encodeCategoricalHost(ids, d.shape, this.outputMode, this.numBins);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = inputShape as Shape;
    if (this.outputMode === 'int') return s;
    if (s.length === 0) return [this.numBins];
    return encodedShape(s, this.outputMode, this.numBins);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), numBins: this.numBins, salt: this.salt ? [...this.salt] : null, maskValue: this.maskValue, outputMode: this.outputMode, sparse: false };
  }

  static fromConfig(config: LayerConfig): HashingLayer {
    return new HashingLayer(config as HashingOptions);
  }
}

/** The type of what `Hashing()` returns. */
export type Hashing = HashingLayer;

/** `Hashing({ numBins: 3 })` or `Hashing({ numBins: 3, salt: [133, 137] })`. */
export function Hashing(options: HashingOptions = {}): Hashing {
  return new HashingLayer(options);
}
