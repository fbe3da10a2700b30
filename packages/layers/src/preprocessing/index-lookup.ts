// Keras's IndexLookup, the engine of StringLookup, IntegerLookup and TextVectorization: a
// vocabulary (given, or learned by adapt: tokens by count, ties by token, high to low), special
// indices (mask, OOV buckets), forward and inverted lookups and the IDF weights of tf_idf.
import { tensor } from '@neurona/tensor';
import type { DataType, Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from '../layer';
import { Layer } from '../layer';
import { describeValue } from '../shape';
import { checkMode, encodeCategoricalHost, encodedShape } from './encode';
import { hashBucket } from './hash';
import { adaptBatches, readSync } from './host-data';
import type { HostData } from './host-data';

/** A vocabulary term: a string (StringLookup) or an integer (IntegerLookup). */
export type Token = string | number;

/** Output modes of the lookup layers. */
export type LookupMode = 'int' | 'one_hot' | 'multi_hot' | 'count' | 'tf_idf';

/** Options shared by `StringLookup` and `IntegerLookup` (Keras's names). */
export interface IndexLookupOptions<T extends Token> extends LayerOptions {
  /** Largest vocabulary size, special indices included (> 1). Default unlimited. */
  maxTokens?: number | null;
  /** OOV buckets (default 1; 0 makes an unknown term an error). */
  numOovIndices?: number;
  /** Token mapped to index 0 (and back); default none. */
  maskToken?: T | null;
  /** What an OOV index maps back to with `invert`. */
  oovToken?: T | null;
  /** A fixed vocabulary instead of `adapt()` (special tokens at its start are recognized). */
  vocabulary?: T[] | null;
  /** IDF weights, one per vocabulary term (with `outputMode: 'tf_idf'` and `vocabulary`). */
  idfWeights?: number[] | null;
  /** Map indices back to tokens. Default false. */
  invert?: boolean;
  /** `'int'` (default), `'one_hot'`, `'multi_hot'`, `'count'` or `'tf_idf'`. */
  outputMode?: LookupMode;
  /** Encode to `maxTokens` wide vectors whatever the vocabulary size. Default false. */
  padToMaxTokens?: boolean;
  /** Keras's sparse outputs; only false here. */
  sparse?: boolean;
  /** Key of SipHash for the OOV buckets (several buckets); default FarmHash. */
  salt?: number | [number, number] | null;
  /** The vocabulary size Keras records in the config (read, not required). */
  vocabularySize?: number | null;
}

const MODES: readonly LookupMode[] = ['int', 'one_hot', 'multi_hot', 'count', 'tf_idf'];

/** UTF-8 byte order of two strings (= code point order), as NumPy sorts bytes. */
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = (x.value.codePointAt(0) as number) - (y.value.codePointAt(0) as number);
    if (d !== 0) return d;
  }
}

function compareTokens(a: Token, b: Token): number {
  return typeof a === 'string' ? compareCodePoints(a, b as string) : (a as number) - (b as number);
}

/** Adapt's running counts: per token, and per token the documents it occurs in. */
export interface TokenCounts {
  counts: Map<Token, number>;
  docCounts: Map<Token, number>;
  documents: number;
}

/**
 * The shared base of the lookup layers (Keras's `IndexLookup`). Subclasses say how to read and
 * check their key type (`keyKind`) and give the defaults of their tokens.
 */
export abstract class IndexLookupLayer<T extends Token> extends Layer {
  readonly maxTokens: number | null;
  readonly numOovIndices: number;
  readonly maskToken: T | null;
  readonly oovToken: T | null;
  readonly invert: boolean;
  readonly outputMode: LookupMode;
  readonly padToMaxTokens: boolean;
  readonly salt: [number, number] | null;
  private tokens: T[] = [];
  private index = new Map<Token, number>();
  private idf: Float32Array | null = null;
  private vocabularySet = false;
  // the idf weights given or learned, one per term (what the config records)
  private termIdf: number[] | null = null;

  /** `'string'` or `'int'`: the type of the keys. */
  protected abstract readonly keyKind: 'string' | 'int';

  constructor(options: IndexLookupOptions<T>, defaults: { oovToken: T; invertDtype: DataType }, extraKeys: readonly string[] = []) {
    const mode = checkMode('IndexLookup', options.outputMode ?? 'int', MODES);
    const invert = options.invert ?? false;
    // the layer's dtype is its output's: ids (int32), encodings (float32), or tokens when inverted
    super(
      { ...options, dtype: mode === 'int' ? (invert ? defaults.invertDtype : 'int32') : 'float32' },
      ['maxTokens', 'numOovIndices', 'maskToken', 'oovToken', 'vocabulary', 'idfWeights', 'invert', 'outputMode', 'padToMaxTokens', 'sparse', 'salt', 'vocabularySize', ...extraKeys],
    );
    const where = `${this}`;
    const maxTokens = options.maxTokens ?? null;
    if (maxTokens !== null && (!Number.isInteger(maxTokens) || maxTokens <= 1)) throw new Error(`${where}: maxTokens must be an integer > 1 or null, got ${describeValue(maxTokens)}`);
    const padToMaxTokens = options.padToMaxTokens ?? false;
    if (padToMaxTokens && maxTokens === null) throw new Error(`${where}: padToMaxTokens needs maxTokens`);
    const nOov = options.numOovIndices ?? 1;
    if (!Number.isInteger(nOov) || nOov < 0) throw new Error(`${where}: numOovIndices must be an integer >= 0, got ${describeValue(nOov)}`);
    if (invert && mode !== 'int') throw new Error(`${where}: outputMode must be 'int' when invert is true, got '${mode}'`);
    if (options.sparse) throw new Error(`${where}: sparse outputs are not supported; use sparse: false`);
    if (options.idfWeights != null && mode !== 'tf_idf') throw new Error(`${where}: idfWeights are only used with outputMode 'tf_idf', got '${mode}'`);
    const s = options.salt ?? null;
    if (s === null) this.salt = null;
    else if (Number.isInteger(s)) this.salt = [s as number, s as number];
    else if (Array.isArray(s) && s.length === 2 && s.every((v) => Number.isInteger(v))) this.salt = [s[0], s[1]];
    else throw new Error(`${where}: salt must be an integer or a list of 2 integers, got ${describeValue(s)}`);
    this.maxTokens = maxTokens;
    this.numOovIndices = nOov;
    this.maskToken = options.maskToken ?? null;
    this.oovToken = options.oovToken === undefined ? defaults.oovToken : options.oovToken;
    this.invert = invert;
    this.outputMode = mode;
    this.padToMaxTokens = padToMaxTokens;
    if (mode === 'tf_idf' && options.vocabulary != null && options.idfWeights == null) {
      throw new Error(`${where}: with a vocabulary and outputMode 'tf_idf', give idfWeights too`);
    }
  }

  /** Call from the subclass constructor, once its key kind is known. */
  protected initVocabulary(options: IndexLookupOptions<T>): void {
    if (options.vocabulary != null) this.setVocabulary(options.vocabulary, options.idfWeights ?? null);
  }

  /** Index of the first OOV bucket (1 when a mask token takes index 0 in `'int'` mode). */
  protected get oovStart(): number {
    return this.maskToken !== null && this.outputMode === 'int' ? 1 : 0;
  }

  /** Index of the first vocabulary term. */
  protected get tokenStart(): number {
    return this.oovStart + this.numOovIndices;
  }

  /** The vocabulary size, special indices included (Keras's `vocabulary_size()`). */
  vocabularySize(): number {
    return this.tokens.length + this.tokenStart;
  }

  /** The vocabulary, index by index (with the mask and OOV tokens unless `includeSpecialTokens` is false). */
  getVocabulary(includeSpecialTokens = true): T[] {
    const special: T[] = [];
    if (this.oovStart === 1) special.push(this.maskToken as T);
    for (let i = 0; i < this.numOovIndices; i++) special.push(this.oovToken as T);
    return includeSpecialTokens ? [...special, ...this.tokens] : [...this.tokens];
  }

  /** The IDF weights of `tf_idf` (one per index, special indices included), or null. */
  getIdfWeights(): number[] | null {
    return this.idf ? Array.from(this.idf) : null;
  }

  /** Check a key read from the data or given in a vocabulary. */
  protected abstract checkKey(where: string, v: unknown): T;

  /**
   * Replace the vocabulary (and IDF weights for `tf_idf`), as Keras's `set_vocabulary`: special
   * tokens may lead it; a repeated term, a misplaced mask or OOV token, or more terms than
   * `maxTokens` allows are errors.
   */
  setVocabulary(vocabulary: T[], idfWeights: number[] | null = null): void {
    const where = `${this}`;
    if (this.outputMode === 'tf_idf' && idfWeights === null) throw new Error(`${where}: idfWeights must be given with outputMode 'tf_idf'`);
    if (this.outputMode !== 'tf_idf' && idfWeights !== null) throw new Error(`${where}: idfWeights are only used with outputMode 'tf_idf'`);
    if (!Array.isArray(vocabulary) || vocabulary.length === 0) throw new Error(`${where}: the vocabulary must be a non-empty list, got ${describeValue(vocabulary)}`);
    const vocab = vocabulary.map((v) => this.checkKey(`${where} vocabulary`, v));
    const special = this.getVocabulary().slice(0, this.tokenStart);
    const found = special.length > 0 && special.every((s, i) => vocab[i] === s);
    const tokens = found ? vocab.slice(special.length) : vocab;
    const seen = new Set<Token>();
    const repeated = new Set<Token>();
    for (const t of tokens) (seen.has(t) ? repeated : seen).add(t);
    if (repeated.size > 0) throw new Error(`${where}: the vocabulary repeats ${[...repeated].map((t) => JSON.stringify(t)).join(', ')}; terms must be unique`);
    if (this.maskToken !== null && seen.has(this.maskToken)) {
      throw new Error(`${where}: the mask token ${JSON.stringify(this.maskToken)} is in the vocabulary; leave it out, or put the special tokens first in this order: ${JSON.stringify(special)}`);
    }
    if (this.invert && this.oovToken !== null && seen.has(this.oovToken)) {
      throw new Error(`${where}: the OOV token ${JSON.stringify(this.oovToken)} is in the vocabulary; leave it out, or put the special tokens first in this order: ${JSON.stringify(special)}`);
    }
    const size = this.tokenStart + tokens.length;
    if (this.maxTokens !== null && size > this.maxTokens) {
      throw new Error(`${where}: a vocabulary of ${size} entries (special indices included) is more than maxTokens (${this.maxTokens})`);
    }
    let idf: Float32Array | null = null;
    if (idfWeights !== null) {
      if (!Array.isArray(idfWeights) || idfWeights.length !== vocab.length || !idfWeights.every((w) => typeof w === 'number')) {
        throw new Error(`${where}: idfWeights must be ${vocab.length} numbers (one per vocabulary entry), got ${describeValue(idfWeights)}`);
      }
      // Keras pads the special indices with the mean weight (unless the vocabulary held them)
      const front = found ? 0 : this.tokenStart;
      const mean = idfWeights.reduce((a, b) => a + b, 0) / idfWeights.length;
      const back = this.padToMaxTokens && this.maxTokens !== null ? this.maxTokens - front - idfWeights.length : 0;
      idf = Float32Array.from([...Array.from({ length: front }, () => (found ? 0 : mean)), ...idfWeights, ...Array.from({ length: back }, () => 0)]);
    }
    this.tokens = tokens;
    this.index = new Map(tokens.map((t, i) => [t, this.tokenStart + i]));
    this.idf = idf;
    this.termIdf = idfWeights === null ? null : found ? idfWeights.slice(special.length) : [...idfWeights];
    this.vocabularySet = true;
  }

  /** True once a vocabulary was given or learned. */
  get hasVocabulary(): boolean {
    return this.vocabularySet;
  }

  /** Fresh adapt counts (TextVectorization counts its own documents with these). */
  newCounts(): TokenCounts {
    return { counts: new Map(), docCounts: new Map(), documents: 0 };
  }

  /** Count the terms of some documents (each a list of terms). */
  countDocuments(state: TokenCounts, docs: Iterable<T[]>): void {
    const tfidf = this.outputMode === 'tf_idf';
    for (const doc of docs) {
      for (const t of doc) state.counts.set(t, (state.counts.get(t) ?? 0) + 1);
      if (tfidf) {
        for (const t of new Set(doc)) state.docCounts.set(t, (state.docCounts.get(t) ?? 0) + 1);
        state.documents++;
      }
    }
  }

  /** Keras's `finalize_state`: the most frequent terms (ties: higher token first), IDF weights. */
  finalizeCounts(state: TokenCounts): void {
    if (this.maskToken !== null) state.counts.delete(this.maskToken);
    if (this.oovToken !== null) state.counts.delete(this.oovToken);
    let terms = [...state.counts.entries()].sort((a, b) => b[1] - a[1] || compareTokens(b[0], a[0])).map((e) => e[0] as T);
    if (this.maxTokens !== null) terms = terms.slice(0, Math.max(0, this.maxTokens - this.tokenStart));
    if (terms.length === 0) throw new Error(`${this}: adapt() found no terms in the data (only mask or OOV tokens, or empty strings)`);
    let idf: number[] | null = null;
    if (this.outputMode === 'tf_idf') {
      idf = terms.map((t) => Math.fround(Math.log(1 + state.documents / (1 + (state.docCounts.get(t) ?? 0)))));
    }
    this.tokens = [];
    this.setVocabulary(terms, idf);
  }

  /**
   * Learn the vocabulary from `data` (Keras's `adapt`): nested arrays, a tensor, an array of batch
   * tensors, or a Dataset of batches, one batch at a time. Replaces the vocabulary.
   */
  async adapt(data: unknown): Promise<void> {
    const state = this.newCounts();
    for await (const batch of adaptBatches(`${this}`, data)) this.countDocuments(state, this.documentsOf(batch));
    this.finalizeCounts(state);
  }

  /** The documents of one adapt batch: rows of the first axis (a rank-1 array: one term each). */
  protected documentsOf(batch: HostData): T[][] {
    const keys = this.keysOf(batch);
    const shape = batch.shape;
    // Keras: an array of rank 1 is one term per document; a streamed batch of rank 1 is one document
    if (shape.length <= 1) return batch.streamed ? [keys] : keys.map((k) => [k]);
    const per = keys.length / shape[0];
    return Array.from({ length: shape[0] }, (_, i) => keys.slice(i * per, (i + 1) * per));
  }

  /** The keys of host data, checked against the key type. */
  protected keysOf(d: HostData): T[] {
    const where = `${this}`;
    if (this.keyKind === 'string' && d.kind !== 'string') throw new Error(`${where} expects string input, got numbers (shape [${d.shape.join(', ')}])`);
    if (this.keyKind === 'int' && d.kind !== 'number') throw new Error(`${where} expects integer input, got strings (shape [${d.shape.join(', ')}])`);
    return Array.from(d.values as ArrayLike<T>);
  }

  /** Index of every key: vocabulary, mask, or OOV bucket (Keras's `_lookup_dense`). */
  lookupIds(keys: ArrayLike<T>): Int32Array {
    const out = new Int32Array(keys.length);
    const maskValue = this.outputMode === 'int' ? 0 : -1;
    const oov: T[] = [];
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (this.maskToken !== null && k === this.maskToken) {
        out[i] = maskValue;
        continue;
      }
      const j = this.index.get(k);
      if (j !== undefined) out[i] = j;
      else if (this.numOovIndices === 0) oov.push(k);
      else if (this.numOovIndices === 1) out[i] = this.oovStart;
      else out[i] = this.oovStart + this.oovBucket(k);
    }
    if (oov.length > 0) {
      throw new Error(`${this}: with numOovIndices 0 every input must be in the vocabulary; found ${oov.slice(0, 10).map((t) => JSON.stringify(t)).join(', ')}${oov.length > 10 ? ', ...' : ''} (set numOovIndices: 1)`);
    }
    return out;
  }

  /** The OOV bucket of an unknown key when there are several (floormod for integers, else a hash). */
  protected oovBucket(k: T): number {
    return hashBucket(String(k), this.numOovIndices, this.salt);
  }

  /** Tokens of indices (Keras's inverted lookup): the mask token at 0 (with one), OOV otherwise. */
  lookupTokens(ids: ArrayLike<number>): T[] {
    const out: T[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (this.maskToken !== null && id === 0) out.push(this.maskToken);
      else if (id >= this.tokenStart && id < this.tokenStart + this.tokens.length) out.push(this.tokens[id - this.tokenStart]);
      else out.push(this.oovToken as T);
    }
    return out;
  }

  /** The width of encoded outputs. */
  get depth(): number {
    return this.padToMaxTokens ? (this.maxTokens as number) : this.vocabularySize();
  }

  protected assertReady(): void {
    if (!this.vocabularySet) throw new Error(`${this} has no vocabulary yet: call adapt(data) first, or give a vocabulary`);
  }

  /** Encode lookup ids (host values of the given shape) in the output mode (-1 encodes as nothing). */
  encode(ids: Int32Array, shape: number[]): Tensor {
    if (this.outputMode === 'int') return tensor(ids, shape, 'int32');
    const mode = this.outputMode === 'tf_idf' ? 'count' : this.outputMode;
    return encodeCategoricalHost(ids, shape, mode, this.depth, this.outputMode === 'tf_idf' ? this.idf : null);
  }

  /** Turn tokens back into a tensor (strings, or int32 for integer keys). */
  protected abstract tokensTensor(tokens: T[], shape: number[]): Tensor;

  /** Takes string tensors (it reads text); checks what it needs itself. */
  protected override get acceptsStrings(): boolean {
    return true;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    this.assertReady();
    const x = inputs as Tensor;
    const d = readSync(x);
    if (this.invert) {
      if (d.kind !== 'number') throw new Error(`${this} (invert) expects integer indices, got strings`);
      return this.tokensTensor(this.lookupTokens(d.values), d.shape);
    }
    return this.encode(this.lookupIds(this.keysOf(d)), d.shape);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = inputShape as Shape;
    if (this.outputMode === 'int') return s;
    const mode = this.outputMode === 'tf_idf' ? 'count' : this.outputMode;
    return encodedShape(s, mode, this.vocabularySet || this.padToMaxTokens ? this.depth : null);
  }

  /**
   * Keras's config, plus the vocabulary: neurona records the learned terms (and IDF weights) in
   * `vocabulary`/`idfWeights`, so a saved model reloads without assets; `vocabularySize` as Keras.
   */
  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      invert: this.invert,
      maxTokens: this.maxTokens,
      numOovIndices: this.numOovIndices,
      oovToken: this.oovToken,
      maskToken: this.maskToken,
      outputMode: this.outputMode,
      sparse: false,
      padToMaxTokens: this.padToMaxTokens,
      idfWeights: this.termIdf ? [...this.termIdf] : null,
      vocabulary: this.vocabularySet ? [...this.tokens] : null,
      vocabularySize: this.vocabularySet ? this.vocabularySize() : null,
      salt: this.salt ? [...this.salt] : null,
    };
  }
}

/** Strings of a host array as a string tensor. */
export function stringTensor(values: string[], shape: number[]): Tensor {
  return tensor(values, shape, 'string');
}
