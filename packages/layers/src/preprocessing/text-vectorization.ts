import { tensor } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from '../layer';
import { Layer } from '../layer';
import { describeValue } from '../shape';
import { checkMode } from './encode';
import { adaptBatches, readSync } from './host-data';
import type { HostData } from './host-data';
import type { LookupMode } from './index-lookup';
import { StringLookupLayer } from './string-lookup';
import { lowerAscii, ngrams, splitCharacters, splitWhitespace, stripPunctuation } from './text-ops';

/** How `TextVectorization` standardizes each string (Keras's names), or a function of yours. */
export type Standardize = 'lower_and_strip_punctuation' | 'lower' | 'strip_punctuation' | null | ((s: string) => string);
/** How it splits strings into tokens (Keras's names), or a function of yours. */
export type Split = 'whitespace' | 'character' | null | ((s: string) => string[]);

/** Options of `TextVectorization` (Keras's names and defaults). */
export interface TextVectorizationOptions extends LayerOptions {
  /** Largest vocabulary, padding and OOV tokens included. Default unlimited. */
  maxTokens?: number | null;
  /** Default `'lower_and_strip_punctuation'`. A function is not saved in the config. */
  standardize?: Standardize;
  /** Default `'whitespace'`. A function is not saved in the config. */
  split?: Split;
  /** `2` for uni- and bigrams, `[2, 3]` for those widths. Default none. */
  ngrams?: number | number[] | null;
  /** `'int'` (default), `'multi_hot'`, `'count'`, `'tf_idf'` (or `'one_hot'` without splitting). */
  outputMode?: LookupMode;
  /** Pad or truncate `'int'` outputs to this length (default: the longest in the batch). */
  outputSequenceLength?: number | null;
  padToMaxTokens?: boolean;
  /** A fixed vocabulary instead of `adapt()`. */
  vocabulary?: string[] | null;
  /** IDF weights with a vocabulary in `'tf_idf'` mode. */
  idfWeights?: number[] | null;
  sparse?: boolean;
  ragged?: boolean;
  encoding?: string;
  /** Recorded by Keras in the config (read, not required). */
  vocabularySize?: number | null;
}

const MODES: readonly LookupMode[] = ['int', 'one_hot', 'multi_hot', 'count', 'tf_idf'];
const STANDARDIZE = ['lower_and_strip_punctuation', 'lower', 'strip_punctuation'];
const SPLIT = ['whitespace', 'character'];

/**
 * Turns strings into token ids or vectors, as Keras's `TextVectorization`: standardize (lowercase
 * ASCII and strip punctuation by default), split on whitespace, optional n-grams, then a
 * `StringLookup` (padding `''` at 0, OOV `'[UNK]'` at 1, terms by frequency after
 * `await layer.adapt(texts)`). `'int'` gives `[batch, outputSequenceLength]` int32 ids (0-padded),
 * the other modes `[batch, vocabularySize]` vectors. Runs on the host; inputs are string tensors
 * of shape `[batch]` or `[batch, 1]` (`Input({ shape: [1], dtype: 'string' })`).
 */
export class TextVectorizationLayer extends Layer {
  static override readonly className: string = 'TextVectorization';
  readonly standardize: Standardize;
  readonly split: Split;
  readonly ngrams: number | number[] | null;
  readonly outputMode: LookupMode;
  readonly outputSequenceLength: number | null;
  /** The vocabulary behind the layer (Keras's `_lookup_layer`). */
  readonly lookup: StringLookupLayer;
  private readonly widths: number[] | null;
  /** What the layer reads: strings (a Sequential starting with it makes a string Input). */
  readonly inputDtype = 'string' as const;

  constructor(options: TextVectorizationOptions = {}) {
    const mode = checkMode('TextVectorization', options.outputMode ?? 'int', MODES);
    super({ ...options, dtype: mode === 'int' ? 'int32' : 'float32' }, [
      'maxTokens', 'standardize', 'split', 'ngrams', 'outputMode', 'outputSequenceLength', 'padToMaxTokens',
      'vocabulary', 'idfWeights', 'sparse', 'ragged', 'encoding', 'vocabularySize',
    ]);
    const where = `${this}`;
    const st = options.standardize === undefined ? 'lower_and_strip_punctuation' : options.standardize;
    if (st !== null && typeof st !== 'function' && !STANDARDIZE.includes(st)) {
      throw new Error(`${where}: standardize must be one of ${STANDARDIZE.map((s) => `'${s}'`).join(', ')}, null or a function, got ${describeValue(st)}`);
    }
    const sp = options.split === undefined ? 'whitespace' : options.split;
    if (sp !== null && typeof sp !== 'function' && !SPLIT.includes(sp)) {
      throw new Error(`${where}: split must be 'whitespace', 'character', null or a function, got ${describeValue(sp)}`);
    }
    const ng = options.ngrams ?? null;
    if (ng !== null && !(Number.isInteger(ng) && (ng as number) > 0) && !(Array.isArray(ng) && ng.every((w) => Number.isInteger(w) && w > 0))) {
      throw new Error(`${where}: ngrams must be a positive integer, a list of them, or null, got ${describeValue(ng)}`);
    }
    const len = options.outputSequenceLength ?? null;
    if (len !== null && (!Number.isInteger(len) || len <= 0)) throw new Error(`${where}: outputSequenceLength must be a positive integer or null, got ${describeValue(len)}`);
    if (mode !== 'int' && len !== null) throw new Error(`${where}: outputSequenceLength is only for outputMode 'int', got outputMode '${mode}'`);
    if (options.ragged) throw new Error(`${where}: ragged outputs are not supported; use ragged: false (outputs are 0-padded)`);
    if (mode === 'one_hot' && sp !== null) throw new Error(`${where}: outputMode 'one_hot' needs split: null (one token per string)`);
    this.standardize = st;
    this.split = sp;
    this.ngrams = ng;
    this.widths = ng === null ? null : typeof ng === 'number' ? Array.from({ length: ng }, (_, i) => i + 1) : [...ng];
    this.outputMode = mode;
    this.outputSequenceLength = len;
    this.lookup = new StringLookupLayer({
      name: `${this.name}_lookup`,
      maxTokens: options.maxTokens ?? null,
      vocabulary: options.vocabulary ?? null,
      idfWeights: options.idfWeights ?? null,
      padToMaxTokens: options.padToMaxTokens ?? false,
      maskToken: '',
      outputMode: mode,
      encoding: options.encoding ?? 'utf-8',
    });
  }

  /** Standardize, split and n-gram one string (Keras's `_preprocess`). */
  tokenize(s: string): string[] {
    let t = s;
    const st = this.standardize;
    if (typeof st === 'function') t = st(t);
    else {
      if (st === 'lower' || st === 'lower_and_strip_punctuation') t = lowerAscii(t);
      if (st === 'strip_punctuation' || st === 'lower_and_strip_punctuation') t = stripPunctuation(t);
    }
    const sp = this.split;
    const tokens = sp === null ? [t] : typeof sp === 'function' ? sp(t) : sp === 'whitespace' ? splitWhitespace(t) : splitCharacters(t);
    return this.widths ? ngrams(tokens, this.widths) : tokens;
  }

  private documents(where: string, d: HostData): string[][] {
    if (d.kind !== 'string') throw new Error(`${where} expects string input, got numbers (shape [${d.shape.join(', ')}])`);
    if (d.shape.length > 1 && (d.shape[d.shape.length - 1] !== 1 || d.shape.length > 2)) {
      throw new Error(`${where} expects strings of shape [batch] or [batch, 1], got shape [${d.shape.join(', ')}]`);
    }
    return d.values.map((s) => this.tokenize(s));
  }

  /** The vocabulary (with the padding and OOV tokens unless `includeSpecialTokens` is false). */
  getVocabulary(includeSpecialTokens = true): string[] {
    return this.lookup.getVocabulary(includeSpecialTokens);
  }

  /** The vocabulary size, padding and OOV included. */
  vocabularySize(): number {
    return this.lookup.vocabularySize();
  }

  /** Replace the vocabulary (and IDF weights for tf_idf). */
  setVocabulary(vocabulary: string[], idfWeights: number[] | null = null): void {
    this.lookup.setVocabulary(vocabulary, idfWeights);
  }

  /**
   * Learn the vocabulary from texts (Keras's `adapt`): an array of strings, a string tensor, or a
   * Dataset of string batches, one batch at a time (memory holds the counts, not the texts).
   */
  async adapt(data: unknown): Promise<void> {
    const lookup = this.lookup;
    const state = lookup.newCounts();
    for await (const batch of adaptBatches(`${this}`, data)) lookup.countDocuments(state, this.documents(`${this}`, batch));
    lookup.finalizeCounts(state);
  }

  /** Takes string tensors (it reads text); checks what it needs itself. */
  protected override get acceptsStrings(): boolean {
    return true;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    if (x.dtype !== 'string') throw new Error(`${this} expects string input, got a ${x.dtype} tensor of shape [${x.shape.join(', ')}]`);
    const docs = this.documents(`${this}`, readSync(x));
    const n = docs.length;
    if (this.outputMode !== 'int') {
      // one row of terms per document, encoded over the vocabulary
      if (this.split === null) {
        return this.lookup.encode(this.lookup.lookupIds(docs.map((d) => d[0])), [n, 1]);
      }
      const width = Math.max(1, ...docs.map((d) => d.length));
      const ids = new Int32Array(n * width).fill(-1);
      docs.forEach((d, i) => ids.set(this.lookup.lookupIds(d), i * width));
      return this.lookup.encode(ids, [n, width]);
    }
    const len = this.outputSequenceLength ?? Math.max(0, ...docs.map((d) => d.length));
    const out = new Int32Array(n * len);
    docs.forEach((d, i) => out.set(this.lookup.lookupIds(d.slice(0, len)), i * len));
    return tensor(out, [n, len], 'int32');
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = inputShape as Shape;
    if (this.outputMode === 'int') return [s[0] ?? null, this.outputSequenceLength];
    const l = this.lookup;
    const depth = l.padToMaxTokens || l.hasVocabulary ? l.depth : null;
    return [s[0] ?? null, depth];
  }

  override getConfig(): LayerConfig {
    const fn = (v: unknown, what: string) => {
      if (typeof v === 'function') throw new Error(`${this}: a ${what} function cannot be saved in the config; use one of Keras's names`);
      return v;
    };
    const lc = this.lookup.getConfig();
    return {
      ...super.getConfig(),
      maxTokens: lc.maxTokens,
      standardize: fn(this.standardize, 'standardize'),
      split: fn(this.split, 'split'),
      ngrams: Array.isArray(this.ngrams) ? [...this.ngrams] : this.ngrams,
      outputMode: this.outputMode,
      outputSequenceLength: this.outputSequenceLength,
      padToMaxTokens: lc.padToMaxTokens,
      sparse: false,
      ragged: false,
      vocabulary: lc.vocabulary,
      idfWeights: lc.idfWeights,
      encoding: 'utf-8',
      vocabularySize: lc.vocabularySize,
    };
  }

  static fromConfig(config: LayerConfig): TextVectorizationLayer {
    return new TextVectorizationLayer(config as TextVectorizationOptions);
  }
}

/** The type of what `TextVectorization()` returns. */
export type TextVectorization = TextVectorizationLayer;

/**
 * `TextVectorization({ maxTokens: 20000, outputSequenceLength: 200 })` then
 * `await layer.adapt(texts)`: strings to token ids for an `Embedding`.
 */
export function TextVectorization(options: TextVectorizationOptions = {}): TextVectorization {
  return new TextVectorizationLayer(options);
}
