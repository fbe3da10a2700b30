import { cast, embeddingLookup, notEqual } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import { get as getInitializer, serialize as serializeInitializer } from '@neurona/initializers';
import type { Initializer, InitializerIdentifier } from '@neurona/initializers';
import type { CallKwargs, LayerConfig, LayerMask, LayerOptions, LayerVariable } from './layer';
import { Layer } from './layer';
import { getRegularizer, serializeRegularizer } from './regularizers';
import type { Regularizer, RegularizerIdentifier } from './regularizers';
import { getConstraint, serializeConstraint, type Constraint, type ConstraintIdentifier } from './constraints';
import { describeValue } from './shape';

/** Options of `Embedding`. */
export interface EmbeddingOptions extends LayerOptions {
  /** Size of the vocabulary: ids run from 0 to `inputDim - 1`. */
  inputDim?: number;
  /** Size of each embedding vector. */
  outputDim?: number;
  /** Default `'uniform'` (uniform in [-0.05, 0.05]), as Keras. */
  embeddingsInitializer?: InitializerIdentifier;
  embeddingsRegularizer?: RegularizerIdentifier | null;
  /** Applied to the table after each optimizer update. */
  embeddingsConstraint?: ConstraintIdentifier | null;
  /**
   * Id 0 is padding: the output carries a mask (`[batch, time]`, false where the id is 0) that
   * recurrent layers, pooling, attention, losses and metrics honour. Default false.
   */
  maskZero?: boolean;
}

const KEYS = ['inputDim', 'outputDim', 'embeddingsInitializer', 'embeddingsRegularizer', 'embeddingsConstraint', 'maskZero'];

function positiveInt(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new Error(`${where}: ${name} must be a positive integer, got ${describeValue(v)}`);
  }
  return v;
}

/**
 * Integer ids to dense vectors, as Keras's `Embedding`: ids `[batch, ...]` → `[batch, ..., outputDim]`
 * by rows of a trainable `[inputDim, outputDim]` table. Float ids are truncated to integers; ids
 * outside `[0, inputDim)` are an error that names them (on backends that read memory back
 * synchronously). With `maskZero`, id 0 is padding and the output carries a mask.
 */
export class EmbeddingLayer extends Layer {
  static override readonly className: string = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  readonly embeddingsConstraint: Constraint | null;
  readonly maskZero: boolean;
  /** The `[inputDim, outputDim]` table, once built. */
  embeddings: LayerVariable | null = null;

  constructor(inputDim: number, outputDim: number, options: EmbeddingOptions = {}) {
    const { inputDim: _i, outputDim: _o, ...rest } = options ?? {};
    void _i;
    void _o;
    super(rest, KEYS);
    this.inputDim = positiveInt(`${this}`, 'inputDim', inputDim);
    this.outputDim = positiveInt(`${this}`, 'outputDim', outputDim);
    this.embeddingsInitializer = getInitializer(options.embeddingsInitializer ?? 'uniform');
    this.embeddingsRegularizer = getRegularizer(options.embeddingsRegularizer);
    this.embeddingsConstraint = getConstraint(options.embeddingsConstraint);
    if (options.maskZero !== undefined && typeof options.maskZero !== 'boolean') {
      throw new Error(`${this}: maskZero must be a boolean, got ${describeValue(options.maskZero)}`);
    }
    this.maskZero = options.maskZero ?? false;
    // as Keras: the layer passes (makes) a mask only when id 0 is padding
    this.supportsMasking = this.maskZero;
  }

  override build(inputShape: Shape | Shape[]): void {
    void inputShape;
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], this.embeddingsInitializer, {
      regularizer: this.embeddingsRegularizer,
      constraint: this.embeddingsConstraint,
    });
    this.built = true;
  }

  /** Ids stay integers (float ids are truncated, as Keras casts them to int32). */
  protected override castInput(x: Tensor): Tensor {
    return x.dtype === 'int32' ? x : cast(x, 'int32');
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    const ids = x.dtype === 'int32' ? x : cast(x, 'int32');
    return embeddingLookup(this.embeddings as LayerVariable, ids, `${this}`);
  }

  /** `ids != 0` with `maskZero`, else none. */
  override computeMask(inputs: Tensor | Tensor[], mask: LayerMask | null): Tensor | null {
    void mask;
    return this.maskZero ? notEqual(inputs as Tensor, 0) : null;
  }

  override computeMaskPresence(inputMasked: boolean[], outputCount: number): boolean[] {
    void inputMasked;
    return Array.from({ length: outputCount }, () => this.maskZero);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape), this.outputDim];
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: serializeInitializer(this.embeddingsInitializer),
      embeddingsRegularizer: serializeRegularizer(this.embeddingsRegularizer),
      embeddingsConstraint: serializeConstraint(this.embeddingsConstraint),
      maskZero: this.maskZero,
    };
  }

  static fromConfig(config: LayerConfig): EmbeddingLayer {
    const { inputDim, outputDim, ...rest } = config;
    return new EmbeddingLayer(inputDim as number, outputDim as number, rest as EmbeddingOptions);
  }
}

/** The type of what `Embedding()` returns. */
export type Embedding = EmbeddingLayer;

/**
 * Integer ids to trainable vectors: `Embedding(10000, 64, { maskZero: true })` (Keras's
 * `Embedding(input_dim, output_dim, mask_zero=True)`), or `Embedding({ inputDim, outputDim, ... })`.
 */
export function Embedding(inputDim: number, outputDim: number, options?: EmbeddingOptions): Embedding;
export function Embedding(options: EmbeddingOptions & { inputDim: number; outputDim: number }): Embedding;
export function Embedding(a: number | (EmbeddingOptions & { inputDim: number; outputDim: number }), b?: number, c: EmbeddingOptions = {}): Embedding {
  if (typeof a === 'object' && a !== null) return new EmbeddingLayer(a.inputDim, a.outputDim, a);
  return new EmbeddingLayer(a, b as number, c);
}
