import { cast, clone, div, isTensor, maskOf, notEqual, setVariableConstraint, tidy, variable, withMask } from '@neurona/tensor';
import type { DataType, Shape, Tensor, Variable } from '@neurona/tensor';
import { get as getInitializer } from '@neurona/initializers';
import type { InitializerIdentifier } from '@neurona/initializers';
import { CallableBase } from './callable';
import { checkOptions } from '@neurona/common';
import { uniqueName, toSnakeCase } from './names';
import { Node } from './node';
import { getRegularizer, serializeRegularizer } from './regularizers';
import { getConstraint, type ConstraintIdentifier } from './constraints';
import type { Regularizer, RegularizerIdentifier } from './regularizers';
import { checkShape, describeValue, formatShape } from './shape';
import { assignWeights, type SetWeightsOptions, type WeightValue } from './set-weights';
import { SymbolicTensor, isSymbolic } from './symbolic';

/** A layer weight: a tfjs Variable named `<layer>/<weight>` (`dense/kernel`). */
export type LayerVariable = Variable;

/**
 * A mask as layers pass it: one bool tensor over the leading axes of the input (`[batch, time]`
 * for a sequence `[batch, time, features]`), or, for a layer taking a list of inputs, one entry
 * per input (`null` for an input without a mask).
 */
export type LayerMask = Tensor | (Tensor | null)[];

/** Keyword arguments of a call: `training` switches Dropout on (default false, as Keras). */
export interface CallKwargs {
  training?: boolean;
  /**
   * The input's mask, as Keras's `mask` argument: `layer.apply(x, { mask })` gives one eagerly;
   * a model passes each layer the mask its input carries. `call` receives it only when the input
   * carries one (true entries are real data, false entries padding to leave out).
   */
  mask?: LayerMask | null;
}

/** What a layer can be applied to: a tensor, a symbolic tensor, or a list of either (not mixed). */
export type LayerInput = Tensor | SymbolicTensor | Tensor[] | SymbolicTensor[];

/** JSON configuration of a layer (camelCase Keras keys). */
export type LayerConfig = Record<string, unknown>;

/** `{ className: 'Dense', config: { units: 10, ... } }` */
export interface SerializedLayer {
  className: string;
  config: LayerConfig;
}

/**
 * What a layer accepts, checked on every call: exact rank (`ndim`), minimum rank (`minNdim`),
 * fixed sizes at some axes (`axes`, negative counts from the end) or a full `shape` (`null` = any).
 */
export interface InputSpec {
  ndim?: number;
  minNdim?: number;
  axes?: Record<number, number>;
  shape?: Shape;
}

/** Options every layer factory takes. */
export interface LayerOptions {
  /** Unique default per class (`dense`, `dense_1`, ...). */
  name?: string;
  /** False freezes the weights (they move to `nonTrainableWeights`). Default true. */
  trainable?: boolean;
  /** Shape of one sample, batch excluded (Keras `input_shape`); Sequential makes the Input from it. */
  inputShape?: Shape;
  /** Full input shape with the batch dimension (`[null, 784]`); wins over `inputShape`. */
  batchInputShape?: Shape;
  /** Fixed batch size to go with `inputShape`. */
  batchSize?: number;
  /** Keras 2's `input_dim`: `inputDim: 784` is `inputShape: [784]`. */
  inputDim?: number;
  /** Weight and output dtype. Default float32. */
  dtype?: DataType;
  /** Penalty on the layer's output, added to `losses()` (divided by the batch size, as Keras). */
  activityRegularizer?: RegularizerIdentifier | null;
}

/** Options of `addWeight`. */
export interface WeightOptions {
  trainable?: boolean;
  regularizer?: RegularizerIdentifier | null;
  /** Projection the optimizer applies after each update (`MaxNorm(...)`, `'non_neg'`), as Keras. */
  constraint?: ConstraintIdentifier | null;
  dtype?: DataType;
}

const BASE_KEYS: readonly string[] = [
  'name',
  'trainable',
  'inputShape',
  'batchInputShape',
  'batchSize',
  'inputDim',
  'dtype',
  'activityRegularizer',
];

// 'string' is for inputs (`Input({ dtype: 'string' })`) and the text preprocessing layers.
const DTYPES: readonly DataType[] = ['float32', 'int32', 'bool', 'string'];

interface WeightRecord {
  variable: Variable;
  trainable: boolean;
  regularizer: Regularizer | null;
}


function specExpectedShape(spec: InputSpec): Shape {
  if (spec.shape) return spec.shape;
  const axes = Object.keys(spec.axes ?? {}).map(Number);
  const rank = spec.ndim ?? Math.max(spec.minNdim ?? 1, ...axes.map((a) => (a < 0 ? -a : a + 1)));
  const s: Shape = Array.from({ length: rank }, () => null);
  for (const a of axes) s[a < 0 ? rank + a : a] = (spec.axes as Record<number, number>)[a];
  return s;
}

function specAccepts(spec: InputSpec, shape: Shape): boolean {
  const rank = shape.length;
  if (spec.ndim !== undefined && rank !== spec.ndim) return false;
  if (spec.minNdim !== undefined && rank < spec.minNdim) return false;
  if (spec.shape) {
    if (spec.shape.length !== rank) return false;
    if (spec.shape.some((d, i) => d !== null && shape[i] !== null && d !== shape[i])) return false;
  }
  for (const [k, size] of Object.entries(spec.axes ?? {})) {
    const a = Number(k);
    const i = a < 0 ? rank + a : a;
    if (i < 0 || i >= rank) return false;
    if (shape[i] !== null && shape[i] !== size) return false;
  }
  return true;
}

/** Shape with the batch (first) dimension made unknown. */
function withoutBatch(shape: Shape): Shape {
  return shape.length === 0 ? [] : [null, ...shape.slice(1)];
}

/** True when a computeOutputShape result is a list of shapes rather than one shape. */
function isShapeList(s: Shape | Shape[]): s is Shape[] {
  return s.length > 0 && Array.isArray(s[0]);
}

/** Keras's Layer calls itself with `layer(x)`: a Layer is callable, as `apply`. */
// The interface merges the call signature into the class type (the class is made callable by
// CallableBase, so no member is left undeclared).
// oxlint-disable-next-line typescript/no-unsafe-declaration-merging
export interface Layer {
  (inputs: SymbolicTensor | SymbolicTensor[], kwargs?: CallKwargs): SymbolicTensor;
  (inputs: Tensor | Tensor[], kwargs?: CallKwargs): Tensor;
  (inputs: LayerInput, kwargs?: CallKwargs): Tensor | SymbolicTensor | Tensor[] | SymbolicTensor[];
}

/**
 * The base of every layer, as Keras's `Layer`. Subclasses implement `build` (create weights with
 * `addWeight`), `call` (the forward pass on concrete tensors), `computeOutputShape` and
 * `getConfig`. Users get layers from factories (`Dense(10)`), which are callable.
 */
// oxlint-disable-next-line typescript/no-unsafe-declaration-merging
/** The most values one tensor can hold: a typed array's limit in V8 (2^32 elements). */
const MAX_TENSOR_VALUES = 2 ** 32;

function sizeText(shape: readonly number[]): string {
  const n = shape.reduce((a, b) => a * b, 1);
  const gb = (n * 4) / 2 ** 30;
  return `${n.toLocaleString('en-US')} values (${gb >= 1 ? `${gb.toFixed(1)} GiB` : `${((n * 4) / 2 ** 20).toFixed(1)} MiB`} of float32)`;
}

/** Refuse a weight too big for one tensor before the allocation fails with a bare RangeError. */
function checkWeightSize(what: string, shape: readonly number[]): void {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n > MAX_TENSOR_VALUES) {
    throw new Error(
      `${what} of shape ${formatShape(shape)} needs ${sizeText(shape)}, more than one tensor can hold ` +
        `(${MAX_TENSOR_VALUES.toLocaleString('en-US')} values); use fewer units or a smaller input`,
    );
  }
}

export abstract class Layer extends CallableBase {
  /** The Keras class name, used by serialization (`'Dense'`). Subclasses override it. */
  static readonly className: string = 'Layer';

  name: string;
  /** True once `build` has created the weights. */
  built = false;
  /** Weight and output dtype. */
  dtype: DataType;
  /** Checked on every call once built; `null` accepts anything. One entry per input. */
  inputSpec: InputSpec[] | null = null;
  /** The input shape given as `inputShape`/`batchInputShape` (batch first, `null` if unknown), or null. */
  readonly batchInputShape: Shape | null;
  /** One node per call on symbolic tensors (`sourceLayer.inboundNodes[nodeIndex]`). */
  readonly inboundNodes: Node[] = [];
  /** Nodes of other layers called on this layer's outputs. */
  readonly outboundNodes: Node[] = [];
  /** Penalty on the output (see `LayerOptions`). */
  activityRegularizer: Regularizer | null;
  /**
   * Whether the layer passes the mask of its input on to its output (Keras's `supports_masking`):
   * Dense, Dropout, Activation and the other step-wise layers do. A layer that does not drops the
   * mask (with a warning, as Keras). Default false.
   */
  supportsMasking = false;
  /**
   * @internal the prefix of this layer's variable names when another layer owns it (an RNN's
   * cell: `lstm/lstm_cell`); null uses the layer's name.
   */
  weightScope: string | null = null;

  private trainableFlag: boolean;
  private weightRecords: WeightRecord[] = [];
  private activityPenalties: Tensor[] = [];
  private disposed = false;
  private warnedMask = false;

  /**
   * `options` are the common layer options; `extraKeys` names the options the subclass reads
   * itself, so that a misspelt option (`activaton`) is an error rather than silently ignored.
   */
  constructor(options: LayerOptions = {}, extraKeys: readonly string[] = []) {
    super();
    const where = (this.constructor as typeof Layer).className;
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new Error(`${where}: options must be an object, got ${describeValue(options)}`);
    }
    checkOptions(where, options, [...extraKeys, ...BASE_KEYS]);
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name.length === 0)) {
      throw new Error(`${where}: name must be a non-empty string, got ${describeValue(options.name)}`);
    }
    if (options.trainable !== undefined && typeof options.trainable !== 'boolean') {
      throw new Error(`${where}: trainable must be a boolean, got ${describeValue(options.trainable)}`);
    }
    if (options.dtype !== undefined && !DTYPES.includes(options.dtype)) {
      throw new Error(`${where}: dtype must be one of ${DTYPES.join(', ')}, got ${describeValue(options.dtype)}`);
    }
    this.name = options.name ?? uniqueName(toSnakeCase(where));
    this.trainableFlag = options.trainable ?? true;
    this.dtype = options.dtype ?? 'float32';
    this.activityRegularizer = getRegularizer(options.activityRegularizer);
    if (options.batchInputShape !== undefined && options.batchInputShape !== null) {
      this.batchInputShape = checkShape(`${where} "${this.name}"`, 'batchInputShape', options.batchInputShape, true);
    } else if ((options.inputShape ?? options.inputDim) !== undefined && (options.inputShape ?? options.inputDim) !== null) {
      if (options.inputShape == null && (!Number.isInteger(options.inputDim) || (options.inputDim as number) <= 0)) {
        throw new Error(`${where} "${this.name}": inputDim must be a positive integer (the input's width), got ${describeValue(options.inputDim)}`);
      }
      if (options.inputShape != null && options.inputDim != null && (options.inputShape.length !== 1 || options.inputShape[0] !== options.inputDim)) {
        throw new Error(`${where} "${this.name}": inputDim ${options.inputDim} disagrees with inputShape ${formatShape(options.inputShape)}; give one of them`);
      }
      const s = checkShape(`${where} "${this.name}"`, 'inputShape', options.inputShape ?? [options.inputDim as number], true);
      const b = options.batchSize;
      if (b !== undefined && (!Number.isInteger(b) || b <= 0)) {
        throw new Error(`${where} "${this.name}": batchSize must be a positive integer, got ${describeValue(b)}`);
      }
      this.batchInputShape = [b ?? null, ...s];
    } else {
      this.batchInputShape = null;
    }
  }

  /** The Keras class name (`'Dense'`). */
  get className(): string {
    return (this.constructor as typeof Layer).className;
  }

  /** Whether the weights train. Setting false moves every weight to `nonTrainableWeights`. */
  get trainable(): boolean {
    return this.trainableFlag;
  }

  set trainable(value: boolean) {
    this.trainableFlag = value;
    for (const w of this.weightRecords) w.variable.trainable = value && w.trainable;
  }

  /** All weights: trainable first, then non-trainable (Keras order). */
  get weights(): LayerVariable[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }

  /** Weights updated by the optimizer. */
  get trainableWeights(): LayerVariable[] {
    return this.trainableFlag ? this.weightRecords.filter((w) => w.trainable).map((w) => w.variable) : [];
  }

  /** Weights not updated by the optimizer (all of them when `trainable` is false). */
  get nonTrainableWeights(): LayerVariable[] {
    return this.trainableFlag
      ? this.weightRecords.filter((w) => !w.trainable).map((w) => w.variable)
      : this.weightRecords.map((w) => w.variable);
  }

  /** Create the weights for inputs of this shape (batch dimension `null`). Sets `built`. */
  build(inputShape: Shape | Shape[]): void {
    void inputShape;
    this.built = true;
  }

  /** The forward pass on concrete tensors. Use `apply` (or call the layer) rather than this. */
  abstract call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[];

  /** Output shape(s) for input shape(s); `null` stands for an unknown size. Identity by default. */
  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  /**
   * The mask(s) of the output for these inputs and input mask, as Keras's `compute_mask`: by
   * default the input mask when `supportsMasking`, else null. Layers that make a mask (Embedding
   * with `maskZero`) or change it (a recurrent layer without `returnSequences` consumes it)
   * override it; one entry per output for a layer with several outputs.
   */
  computeMask(inputs: Tensor | Tensor[], mask: LayerMask | null): LayerMask | null {
    void inputs;
    return this.supportsMasking ? (mask ?? null) : null;
  }

  /**
   * Which outputs carry a mask, given which inputs carry one: the symbolic counterpart of
   * `computeMask`, used when the layer is applied to symbolic tensors (it sets their
   * `hasMask`). Default: every output when `supportsMasking` and an input is masked. A layer
   * that overrides `computeMask` overrides this too.
   */
  computeMaskPresence(inputMasked: boolean[], outputCount: number): boolean[] {
    const on = this.supportsMasking && inputMasked.some(Boolean);
    return Array.from({ length: outputCount }, () => on);
  }

  /** Settings of this layer as JSON (camelCase Keras keys); `fromConfig` rebuilds the layer from it. */
  getConfig(): LayerConfig {
    const config: LayerConfig = { name: this.name, trainable: this.trainableFlag, dtype: this.dtype };
    if (this.batchInputShape) config.batchInputShape = [...this.batchInputShape];
    if (this.activityRegularizer) config.activityRegularizer = serializeRegularizer(this.activityRegularizer);
    return config;
  }

  /**
   * Create a weight: a Variable named `<layer>/<name>`, initialized by `initializer` (a name such
   * as `'glorot_uniform'`, an initializer, or `{ className, config }`).
   */
  addWeight(
    name: string,
    shape: number[],
    initializer: InitializerIdentifier = 'glorot_uniform',
    options: WeightOptions = {},
  ): LayerVariable {
    const dtype = options.dtype ?? this.dtype;
    const trainable = options.trainable ?? true;
    const init = getInitializer(initializer);
    checkWeightSize(`${this} weight "${name}"`, shape);
    let value: Tensor;
    try {
      value = init(shape, dtype);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (e instanceof RangeError || /allocation failed|out of memory/i.test(message)) {
        throw new Error(`${this} weight "${name}" of shape ${formatShape(shape)}: ${sizeText(shape)} could not be allocated (${message})`, { cause: e });
      }
      throw e;
    }
    if (value.shape.length !== shape.length || value.shape.some((d, i) => d !== shape[i])) {
      const found = formatShape(value.shape);
      value.dispose();
      throw new Error(`${this} weight "${name}": initializer returned shape ${found}, expected ${formatShape(shape)}`);
    }
    const v = variable(value, trainable && this.trainableFlag, `${this.weightScope ?? this.name}/${name}`, dtype);
    value.dispose();
    const constraint = getConstraint(options.constraint);
    if (constraint) setVariableConstraint(v, constraint);
    this.weightRecords.push({ variable: v, trainable, regularizer: getRegularizer(options.regularizer) });
    return v;
  }

  /** Number of weight values (all weights). Throws when the layer is not built yet. */
  countParams(): number {
    if (!this.built) {
      throw new Error(
        `${this} is not built yet, so it has no weights to count; call it on an input or give it an inputShape`,
      );
    }
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /**
   * Regularization terms as scalar tensors, as Keras's `layer.losses`: `weightLosses()` followed
   * by `activityLosses()`. Compute them inside the gradient function so they train.
   */
  losses(): Tensor[] {
    return [...this.weightLosses(), ...this.activityLosses()];
  }

  /**
   * The weight penalties only: one scalar per regularized weight, computed now from the current
   * values (fresh tensors the caller owns; inside a `tidy` or a gradient function they are
   * released with it). What a training step adds to its loss.
   */
  weightLosses(): Tensor[] {
    const out: Tensor[] = [];
    for (const w of this.weightRecords) if (w.regularizer) out.push(w.regularizer(w.variable));
    return out;
  }

  /**
   * The activity penalties of the latest concrete call (`layer(x)`), divided by its batch size as
   * Keras does; empty without an `activityRegularizer` or before any call. They belong to that
   * call: made in its scope and gone when that scope ends (those already released are left out),
   * and released by the next call (or `dispose`), which replaces them; `clone` one to keep it
   * longer. A model's training step computes its own from each batch.
   */
  activityLosses(): Tensor[] {
    return this.activityPenalties.filter((t) => !t.isDisposed);
  }

  /** Copies of the current weight values, in `weights` order. The caller disposes them. */
  getWeights(): Tensor[] {
    return this.weights.map((v) => v.clone());
  }

  /**
   * Assign weight values, in `weights` order: tensors, or arrays of numbers in each weight's shape
   * (Keras's `set_weights`). Counts, shapes and liveness are checked, and NaN/Infinity refused
   * unless `{ allowNonFinite: true }`, before any weight changes: a failed call changes nothing.
   */
  setWeights(values: WeightValue[], options: SetWeightsOptions = {}): void {
    assignWeights(`setWeights: ${this}`, this.weights, values, options);
  }

  /** Release the weights. The layer cannot be used afterwards. */
  dispose(): void {
    for (const w of this.weightRecords) w.variable.dispose();
    this.weightRecords = [];
    this.replaceActivityPenalties([]);
    this.disposed = true;
  }

  /** The symbolic input of the layer's only call (Keras `layer.input`). */
  get input(): SymbolicTensor | SymbolicTensor[] {
    const node = this.onlyNode('input');
    return node.inputTensors.length === 1 ? node.inputTensors[0] : node.inputTensors;
  }

  /** The symbolic output of the layer's only call (Keras `layer.output`). */
  get output(): SymbolicTensor | SymbolicTensor[] {
    const node = this.onlyNode('output');
    return node.outputTensors.length === 1 ? node.outputTensors[0] : node.outputTensors;
  }

  /** Output shape of the layer's only call on symbolic tensors. */
  get outputShape(): Shape | Shape[] {
    const node = this.onlyNode('outputShape');
    return node.outputTensors.length === 1 ? node.outputTensors[0].shape : node.outputTensors.map((t) => t.shape);
  }

  private onlyNode(what: string): Node {
    if (this.inboundNodes.length === 0) throw new Error(`${this} has no ${what}: it was never called on an Input`);
    if (this.inboundNodes.length > 1) {
      throw new Error(`${this} has ${this.inboundNodes.length} calls, so its ${what} is ambiguous; use inboundNodes[i]`);
    }
    return this.inboundNodes[0];
  }

  /** `Dense "dense_1"`, as error messages name a layer. */
  toString(): string {
    return `${this.className} "${this.name}"`;
  }

  /** True for layers that take a list of inputs (Concatenate, Add). */
  protected get takesList(): boolean {
    return false;
  }

  /**
   * Whether this call takes a list: `takesList`, unless the layer takes either form (a recurrent
   * layer takes a sequence, or `[sequence, ...initialStates]`).
   */
  protected takesListFor(inputs: LayerInput): boolean {
    void inputs;
    return this.takesList;
  }

  /**
   * Whether the layer takes string tensors (text preprocessing layers). Other layers refuse them
   * with an error naming the layer, on symbolic and concrete inputs alike.
   */
  protected get acceptsStrings(): boolean {
    return false;
  }

  /**
   * How a concrete input is converted before `call`: by default a float32 layer casts other
   * numeric inputs to float32. Layers that take integer ids (Embedding) override it.
   */
  protected castInput(x: Tensor): Tensor {
    // strings are never cast: a layer that reads text gets them as they are, others refuse them
    return this.dtype === 'float32' && x.dtype !== 'float32' && x.dtype !== 'string' ? cast(x, 'float32') : x;
  }

  /** Throws, naming this layer and both shapes, when the input does not fit `inputSpec`. */
  protected assertInputCompatible(shapes: Shape[]): void {
    const specs = this.inputSpec;
    if (!specs) return;
    specs.forEach((spec, i) => {
      const s = shapes[i];
      if (s === undefined || specAccepts(spec, s)) return;
      const which = specs.length > 1 ? ` ${i}` : '';
      throw new Error(`${this} expects input${which} ${formatShape(specExpectedShape(spec))}, got ${formatShape(s)}`);
    });
  }

  private assertNotStrings(dtypes: DataType[]): void {
    if (this.acceptsStrings) return;
    const i = dtypes.indexOf('string');
    if (i < 0) return;
    const which = dtypes.length > 1 ? ` ${i}` : '';
    throw new Error(`${this} expects numeric input${which}, got a string tensor; turn text into numbers first (TextVectorization, StringLookup)`);
  }

  /** Keras warns once when a layer that does not support masking is given a masked input. */
  private warnMaskDropped(): void {
    if (this.warnedMask || this.supportsMasking) return;
    this.warnedMask = true;
    console.warn(
      `${this} was given an input that carries a mask, but it does not support masking: the mask stops here and later layers will not see it`,
    );
  }

  /**
   * Apply the layer. On SymbolicTensors (from `Input`): builds the layer from the symbolic shape,
   * records a Node and returns SymbolicTensor(s). On concrete tensors: builds on first use and
   * runs the forward pass (intermediate tensors are released; the result is the caller's).
   * `{ mask }` gives the input's mask (else the mask the input carries is used, if any); the
   * output carries the mask `computeMask` gives (`maskOf` of @neurona/tensor).
   */
  apply(inputs: SymbolicTensor | SymbolicTensor[], kwargs?: CallKwargs): SymbolicTensor;
  apply(inputs: Tensor | Tensor[], kwargs?: CallKwargs): Tensor;
  apply(inputs: LayerInput, kwargs?: CallKwargs): Tensor | SymbolicTensor | Tensor[] | SymbolicTensor[];
  apply(inputs: LayerInput, kwargs: CallKwargs = {}): Tensor | SymbolicTensor | Tensor[] | SymbolicTensor[] {
    if (this.disposed) throw new Error(`${this} was disposed and cannot be called`);
    const list = this.normalizeInputs(inputs);
    const asList = this.takesListFor(inputs);
    const shapes = list.map((t) => [...t.shape] as Shape);
    if (isSymbolic(list[0])) {
      const symbolic = list as SymbolicTensor[];
      if (kwargs.mask !== undefined && kwargs.mask !== null) {
        throw new Error(
          `${this}: a mask cannot be given for symbolic inputs; masks come from the layers that make them (Embedding with maskZero, Masking)`,
        );
      }
      this.assertNotStrings(symbolic.map((t) => t.dtype));
      const shapeArg = asList ? shapes : shapes[0];
      this.maybeBuild(shapeArg);
      this.assertInputCompatible(shapes);
      const inputMasked = symbolic.map((t) => t.hasMask);
      if (inputMasked.some(Boolean)) this.warnMaskDropped();
      const { mask: _unused, ...rest } = kwargs;
      void _unused;
      return this.addNode(symbolic, this.computeOutputShape(shapeArg), rest, inputMasked);
    }
    return this.eager(list as Tensor[], kwargs, (x, kw) => this.call(x, kw), asList);
  }

  /** The input masks of an eager call: `kwargs.mask` when given, else what the inputs carry; checked against the inputs. */
  private inputMasks(tensors: Tensor[], given: LayerMask | null | undefined): (Tensor | null)[] {
    let masks: (Tensor | null)[];
    if (given === undefined || given === null) {
      masks = tensors.map((t) => maskOf(t));
    } else if (isTensor(given)) {
      if (tensors.length !== 1) {
        throw new Error(`${this} takes ${tensors.length} inputs, so its mask must be a list of ${tensors.length} masks (null for none), got one tensor`);
      }
      masks = [given];
    } else if (Array.isArray(given)) {
      // fewer masks than inputs: the rest have none (Keras's Attention takes [query_mask, value_mask] for 3 inputs)
      if (given.length > tensors.length) {
        throw new Error(`${this} takes ${tensors.length} input(s) but was given ${given.length} masks`);
      }
      masks = tensors.map((_, i) => given[i] ?? null).map((m, i) => {
        if (m !== null && m !== undefined && !isTensor(m)) {
          throw new Error(`${this}: mask ${i} must be a tensor or null, got ${describeValue(m)}`);
        }
        return m ?? null;
      });
    } else {
      throw new Error(`${this}: mask must be a tensor (or a list of them for a layer taking a list), got ${describeValue(given)}`);
    }
    masks.forEach((m, i) => {
      if (!m) return;
      const x = tensors[i].shape;
      const ok = m.rank >= 1 && m.rank <= x.length && m.shape.every((d, j) => d === x[j]);
      if (!ok || m.dtype === 'string') {
        const which = tensors.length > 1 ? ` ${i}` : '';
        const hint = x.length > 1 ? `, e.g. ${formatShape(x.slice(0, Math.max(1, x.length - 1)))}` : '';
        throw new Error(
          `${this} got a mask of shape ${formatShape(m.shape)}${m.dtype === 'string' ? ' (string)' : ''} for input${which} ${formatShape(x)}; ` +
            `a mask is a bool tensor over the input's leading axes${hint}`,
        );
      }
    });
    return masks;
  }

  /** The output masks `computeMask` gives, one entry per output. */
  private outputMasks(inputs: Tensor | Tensor[], mask: LayerMask | null, outputCount: number): (Tensor | null)[] {
    const m = this.computeMask(inputs, mask);
    if (m === null || m === undefined) return Array.from({ length: outputCount }, () => null);
    if (isTensor(m)) return [m, ...Array.from({ length: outputCount - 1 }, () => m)];
    return Array.from({ length: outputCount }, (_, i) => m[i] ?? null);
  }

  /**
   * The concrete path of `apply`: builds on first use, checks the input, runs `forward` in a
   * scope that releases the intermediate tensors, records the activity penalty, and attaches the
   * output masks.
   */
  protected eager(
    tensors: Tensor[],
    kwargs: CallKwargs,
    forward: (inputs: Tensor | Tensor[], kwargs: CallKwargs) => Tensor | Tensor[],
    asList = this.takesList,
  ): Tensor | Tensor[] {
    if (this.disposed) throw new Error(`${this} was disposed and cannot be called`);
    this.assertNotStrings(tensors.map((t) => t.dtype));
    const shapes = tensors.map((t) => [...t.shape] as Shape);
    // a layer that checks shapes before it is built names the real input (batch size included)
    if (!this.built) this.assertInputCompatible(shapes);
    this.maybeBuild(asList ? shapes.map(withoutBatch) : withoutBatch(shapes[0]));
    this.assertInputCompatible(shapes);
    const masks = this.inputMasks(tensors, kwargs.mask);
    const masked = masks.some((m) => m !== null);
    if (masked) this.warnMaskDropped();
    const { y, reg, outMasks } = tidy(() => {
      const xs = tensors.map((t) => this.castInput(t));
      const ms = masks.map((m) => (m && m.dtype !== 'bool' ? notEqual(m, 0) : m));
      const maskArg = masked ? (asList ? ms : ms[0]) : null;
      const kw: CallKwargs = { ...kwargs, training: kwargs.training ?? false };
      if (masked) kw.mask = maskArg;
      else delete kw.mask;
      const inArg = asList ? xs : xs[0];
      const out = forward(inArg, kw);
      // The result is always a new tensor the caller owns, even from identity layers.
      const outs = (Array.isArray(out) ? out : [out]).map((o) => (tensors.includes(o) ? clone(o) : o));
      // a call may attach its outputs' masks itself (Keras's "mask already computed")
      const own = outs.map((o) => maskOf(o));
      const computed = own.every((m) => m !== null) ? own : this.outputMasks(inArg, maskArg, outs.length).map((m, i) => own[i] ?? m);
      // each output owns a handle of its own (a clone shares the data): it is released with it
      const handles: Record<string, Tensor> = {};
      computed.forEach((m, i) => {
        if (m) handles[i] = clone(m);
      });
      const r = this.activityRegularizer;
      // Keras divides the activity penalty by the batch size.
      const penalties = r ? outs.map((o) => div(r(o), o.shape[0] || 1)) : [];
      return { y: Array.isArray(out) ? outs : outs[0], reg: penalties, outMasks: handles };
    });
    this.replaceActivityPenalties(reg);
    const ys = Array.isArray(y) ? y : [y];
    ys.forEach((o, i) => withMask(o, outMasks[i] ?? null));
    return y;
  }

  /**
   * Keep the penalties of the latest call and release those of the call before: they are the
   * layer's own (made by `eager`, never a caller's input or output), and a call outside `tidy`
   * would otherwise leave them allocated. Those a scope already released are skipped.
   */
  private replaceActivityPenalties(next: Tensor[]): void {
    for (const t of this.activityPenalties) if (!t.isDisposed && !next.includes(t)) t.dispose();
    this.activityPenalties = next;
  }

  private normalizeInputs(inputs: LayerInput): (Tensor | SymbolicTensor)[] {
    const list: unknown[] = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length === 0) throw new Error(`${this} was called on an empty list of inputs`);
    list.forEach((x, i) => {
      if (!isSymbolic(x) && !isTensor(x)) {
        const which = Array.isArray(inputs) ? ` ${i}` : '';
        throw new Error(`${this} expects a Tensor or a SymbolicTensor (from Input) as input${which}, got ${describeValue(x)}`);
      }
    });
    const nSymbolic = list.filter(isSymbolic).length;
    if (nSymbolic !== 0 && nSymbolic !== list.length) {
      throw new Error(`${this} got both symbolic tensors (from Input) and concrete tensors; give all of one kind`);
    }
    if (this.takesListFor(inputs)) {
      if (!Array.isArray(inputs) || inputs.length < 2) {
        throw new Error(`${this} expects a list of at least 2 inputs, got ${Array.isArray(inputs) ? inputs.length : 'a single input'}`);
      }
    } else if (list.length !== 1) {
      throw new Error(`${this} expects 1 input, got a list of ${list.length}`);
    }
    return list as (Tensor | SymbolicTensor)[];
  }

  /** The dtype of symbolic output `index` (the layer's dtype; preprocessing layers that output ints override it). */
  protected outputDtype(index: number): DataType {
    void index;
    return this.dtype;
  }

  private maybeBuild(shape: Shape | Shape[]): void {
    if (this.built) return;
    this.build(shape);
    this.built = true;
  }

  /** Record a call on symbolic tensors and make its outputs (InputLayer uses it with no inputs). */
  protected addNode(
    inputs: SymbolicTensor[],
    outShape: Shape | Shape[],
    kwargs: CallKwargs,
    inputMasked: boolean[] = [],
  ): SymbolicTensor | SymbolicTensor[] {
    const nodeIndex = this.inboundNodes.length;
    const many = isShapeList(outShape);
    const shapes = many ? outShape : [outShape];
    const base = nodeIndex === 0 ? this.name : `${this.name}_${nodeIndex}`;
    const masked = inputs.length === 0 ? shapes.map(() => false) : this.computeMaskPresence(inputMasked, shapes.length);
    const outputs = shapes.map(
      (s, i) => new SymbolicTensor(this.outputDtype(i), [...s], this, nodeIndex, i, many ? `${base}:${i}` : base, masked[i] ?? false),
    );
    const node = new Node(this, inputs, outputs, { ...kwargs });
    this.inboundNodes.push(node);
    for (const l of new Set(node.inboundLayers)) l.outboundNodes.push(node);
    return many ? outputs : outputs[0];
  }
}

