// What MultiHeadAttention and GroupedQueryAttention share: Keras's options, einsum projections
// with their weights (`query/kernel`, `query/bias`, ...: Keras's sublayer weights, in its order),
// the call's list of inputs [query, value, key?], and an attention mask given as a symbolic
// tensor in a functional model (carried as an extra input of the node).
import { add, einsum, SeedGenerator, sigmoid } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import { get as getInitializer } from '@neurona/initializers';
import type { Initializer, InitializerIdentifier } from '@neurona/initializers';
import { getConstraint } from '../constraints';
import type { Constraint, ConstraintIdentifier } from '../constraints';
import { analyzeEinsum, einsumKernelValue } from '../einsum-analysis';
import type { CallKwargs, LayerConfig, LayerInput, LayerOptions, LayerVariable } from '../layer';
import { Layer } from '../layer';
import { getRegularizer } from '../regularizers';
import type { Regularizer, RegularizerIdentifier } from '../regularizers';
import { describeValue, formatShape } from '../shape';
import { isSymbolic } from '../symbolic';
import type { SymbolicTensor } from '../symbolic';
import type { AttentionKwargs } from './attention-ops';
import { kernelBiasConfig } from '../kernel-bias-config';

/** Options every projected attention layer takes (Keras's names and defaults). */
export interface ProjectedAttentionOptions extends LayerOptions {
  /** Dropout rate on the attention weights. Default 0. */
  dropout?: number;
  /** Biases in the projections. Default true. */
  useBias?: boolean;
  /** A sigmoid gate on the attention output (Keras 3.10+). Default false. */
  useGate?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
  /** Seed of the dropout masks. */
  seed?: number | null;
  /** Attend only within this distance (a band mask). Default none. */
  slidingWindow?: number | null;
}

/** One einsum projection: its equation and weights. */
export interface Projection {
  equation: string;
  kernel: LayerVariable;
  bias: LayerVariable | null;
  activation?: 'sigmoid';
}

/** Kwargs as stored on a graph node whose attention mask is its last input. */
interface NodeKwargs extends AttentionKwargs {
  attentionMaskInput?: boolean;
}

export const PROJECTED_KEYS = [
  'dropout', 'useBias', 'useGate', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer',
  'kernelConstraint', 'biasConstraint', 'seed', 'slidingWindow',
];

/** The base of `MultiHeadAttention` and `GroupedQueryAttention`. */
export abstract class ProjectedAttentionLayer extends Layer {
  readonly dropout: number;
  readonly useBias: boolean;
  readonly useGate: boolean;
  readonly seed: number | null;
  readonly slidingWindow: number | null;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  /** The layer's own stream of dropout masks (from `seed`, else derived from the global seed). */
  protected readonly rng: SeedGenerator;
  /** Input masks are used (query, value, key) and the query's is passed on. */
  supportsMasking = true;
  // the kwargs of the symbolic call being recorded (computeOutputShape needs returnAttentionScores)
  protected recording: AttentionKwargs = {};

  constructor(options: ProjectedAttentionOptions, extraKeys: readonly string[]) {
    super(options, [...PROJECTED_KEYS, ...extraKeys]);
    const d = options.dropout ?? 0;
    if (typeof d !== 'number' || !(d >= 0 && d < 1)) throw new Error(`${this}: dropout must be a number in [0, 1), got ${describeValue(d)}`);
    const sw = options.slidingWindow ?? null;
    if (sw !== null && (!Number.isInteger(sw) || sw <= 0)) throw new Error(`${this}: slidingWindow must be a positive integer or null, got ${describeValue(sw)}`);
    this.dropout = d;
    this.useBias = options.useBias ?? true;
    this.useGate = options.useGate ?? false;
    this.seed = options.seed ?? null;
    this.slidingWindow = sw;
    this.kernelInitializer = getInitializer(options.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros');
    this.kernelRegularizer = getRegularizer(options.kernelRegularizer);
    this.biasRegularizer = getRegularizer(options.biasRegularizer);
    this.kernelConstraint = getConstraint(options.kernelConstraint);
    this.biasConstraint = getConstraint(options.biasConstraint);
    this.rng = new SeedGenerator(this.seed);
  }

  protected override get takesList(): boolean {
    return true;
  }

  /** The output's mask is the query's (Keras's `compute_mask`); the scores have none. */
  computeMask(inputs: Tensor | Tensor[], mask: Tensor | (Tensor | null)[] | null): Tensor | (Tensor | null)[] | null {
    void inputs;
    const q = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    return this.recording.returnAttentionScores ? [q, null] : q;
  }

  /** Symbolic counterpart of `computeMask`: the output is masked when the query is. */
  computeMaskPresence(inputMasked: boolean[], outputCount: number): boolean[] {
    return Array.from({ length: outputCount }, (_, i) => i === 0 && (inputMasked[0] ?? false));
  }

  /** Make the weights of one projection (`name/kernel`, `name/bias`), as a Keras EinsumDense sublayer. */
  protected addProjection(name: string, equation: string, biasAxes: string, inputShape: Shape, outputShape: Shape, activation?: 'sigmoid'): Projection {
    const a = analyzeEinsum(`${this} ${name}`, equation, this.useBias ? biasAxes : null, inputShape, outputShape);
    const kernel = this.addWeight(`${name}/kernel`, a.kernelShape, 'zeros', { regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
    const v = einsumKernelValue(this.kernelInitializer, a);
    kernel.assign(v);
    v.dispose();
    const bias = a.biasShape ? this.addWeight(`${name}/bias`, a.biasShape, this.biasInitializer, { regularizer: this.biasRegularizer, constraint: this.biasConstraint }) : null;
    return { equation, kernel, bias, activation };
  }

  /** Apply a projection. */
  protected project(x: Tensor, p: Projection): Tensor {
    const y = einsum(p.equation, x, p.kernel);
    const z = p.bias ? add(y, p.bias) : y;
    return p.activation === 'sigmoid' ? sigmoid(z) : z;
  }

  /**
   * `layer.apply([query, value])` or `[query, value, key]`, with `{ attentionMask,
   * returnAttentionScores, useCausalMask, training }`. Returns the output, or `[output, scores]`.
   */
  override apply(inputs: SymbolicTensor | SymbolicTensor[], kwargs?: AttentionKwargs): SymbolicTensor;
  override apply(inputs: Tensor | Tensor[], kwargs?: AttentionKwargs): Tensor;
  override apply(inputs: LayerInput, kwargs?: AttentionKwargs): Tensor | SymbolicTensor | Tensor[] | SymbolicTensor[];
  override apply(inputs: LayerInput, kwargs: AttentionKwargs = {}): Tensor | SymbolicTensor | Tensor[] | SymbolicTensor[] {
    if (!Array.isArray(inputs) || inputs.length < 2 || inputs.length > 3) {
      throw new Error(`${this} expects a list [query, value] or [query, value, key], got ${Array.isArray(inputs) ? `a list of ${inputs.length}` : 'a single input'}`);
    }
    this.recording = kwargs;
    try {
      const m = kwargs.attentionMask;
      if (m && isSymbolic(m)) {
        const list = inputs as SymbolicTensor[];
        const withMask = [list[0], list[1], list[2] ?? list[1], m];
        const kw: NodeKwargs = { ...kwargs, attentionMask: null, attentionMaskInput: true };
        return super.apply(withMask, kw as CallKwargs);
      }
      return super.apply(inputs, kwargs as CallKwargs);
    } finally {
      this.recording = {};
    }
  }

  /** The query, value, key and attention mask of a call. */
  protected unpack(inputs: Tensor | Tensor[], kwargs: AttentionKwargs): { query: Tensor; value: Tensor; key: Tensor; keyGiven: boolean; attentionMask: Tensor | null } {
    const xs = inputs as Tensor[];
    const kw = kwargs as NodeKwargs;
    const attentionMask = kw.attentionMaskInput ? xs[3] : ((kw.attentionMask as Tensor | null | undefined) ?? null);
    const keyGiven = xs.length > 2 && xs[2] !== xs[1];
    return { query: xs[0], value: xs[1], key: xs[2] ?? xs[1], keyGiven, attentionMask };
  }

  /** Checks the shapes of [query, value, key?] (rank >= 3, value and key alike but for the last axis). */
  protected checkShapes(shapes: Shape[]): { q: Shape; v: Shape; k: Shape } {
    const [q, v] = shapes;
    const k = shapes[2] ?? v;
    if (q.length < 3 || v.length < 3) throw new Error(`${this} expects query and value of rank >= 3 ([batch, T, dim]), got ${formatShape(q)} and ${formatShape(v)}`);
    if (v.length !== k.length || v.slice(1, -1).some((d, i) => d !== k[i + 1] && d !== null && k[i + 1] !== null)) {
      throw new Error(`${this}: value and key must agree on every axis but the last, got value ${formatShape(v)} and key ${formatShape(k)}`);
    }
    return { q, v, k };
  }

  protected baseConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      dropout: this.dropout,
      useBias: this.useBias,
      useGate: this.useGate,
      slidingWindow: this.slidingWindow,
      ...kernelBiasConfig(this),
      seed: this.seed,
    };
  }
}
