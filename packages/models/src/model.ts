import { addN, cast, clone, isTensor, maskOf, mul, scalar, SeedGenerator, tidy, valueAndGradients } from '@neurona/tensor';
import type { Scalar, Shape, Tensor, Variable } from '@neurona/tensor';
import { Layer, isSymbolic, serializeLayer } from '@neurona/layers';
import type { CallKwargs, LayerInput, SetWeightsOptions, SymbolicTensor, WeightValue } from '@neurona/layers';
import type { Metric } from '@neurona/metrics';
import { optimizersLoaded, type Optimizer } from '@neurona/optimizers';
import { checkOptions, describeValue } from '@neurona/common';
import type { CallbackModel } from './callbacks/types';
import { bindCompile, compileArgs, compileMetricsLoaded, disposeBound, loadCompileMetrics, resolvePendingOptimizer } from './compile';
import type { BoundCompile, CompileArgs, Compiled } from './compile';
import type { ModelData } from './data';
import type { EvaluateOptions, EvaluateResult } from './evaluate';
import { fitModel } from './fit';
import type { FitOptions } from './fit';
import { Graph } from './graph';
import type { History } from './history';
import { uniqueModelName } from './names';
import { predictModel } from './predict';
import { isBatchStream, type BatchStream } from './batches';
import type { PredictOptions } from './predict';
import { summarize } from './summary';
import type { SummaryOptions } from './summary';
import type { SaveOptions } from './io/artifacts-write';
import type { ModelLocation } from './io/router';
import type { SaveResult } from './io/types';

/** JSON description of a functional model's architecture (Keras's `Functional` config, camelCase). */
export type FunctionalConfig = {
  name: string;
  /** False when the whole model is frozen (Keras writes it; a base frozen for transfer learning). */
  trainable?: boolean;
  layers: {
    className: string;
    name: string;
    config: Record<string, unknown>;
    /** For each call of the layer in this model: its inputs as `[layerName, nodeIndex, tensorIndex, kwargs]`. */
    inboundNodes: [string, number, number, Record<string, unknown>][][];
  }[];
  inputLayers: [string, number, number][];
  outputLayers: [string, number, number][];
};

/** JSON description of a Sequential model (Keras's `Sequential` config, camelCase): its layers in order. */
export type SequentialConfig = {
  name: string;
  /** False when the whole model is frozen. */
  trainable?: boolean;
  /** The first layer's config carries `batchInputShape` once the model is built. */
  layers: { className: string; config: Record<string, unknown> }[];
};

/** JSON description of a model's architecture: what `getConfig` gives and `deserializeLayer` reads back. */
export type ModelConfig = FunctionalConfig | SequentialConfig;

/** What `predict` returns: one tensor for a model with one output, one tensor per output otherwise. */
export type ModelOutput = Tensor | Tensor[];

/**
 * What a training or test step receives, as Keras's `data`: `[x, y, sampleWeight]` for one batch.
 * `x` is one tensor per model input (a single tensor for one input), `y` one per output, or
 * `undefined` when `fit` was given no targets (a GAN's real images alone).
 */
export type StepData = [x: Tensor | Tensor[], y?: Tensor | Tensor[], sampleWeight?: Tensor];

/** What `trainStep`/`testStep` return: log values by name, scalar tensors or numbers (`{ loss, mae }`). */
export type StepLogs = Record<string, Tensor | number>;

/** The arguments of `computeLoss`, as Keras's `compute_loss(x, y, y_pred, sample_weight, training)`. */
export interface ComputeLossArgs {
  x?: Tensor | Tensor[];
  y?: Tensor | Tensor[];
  yPred: Tensor | Tensor[];
  sampleWeight?: Tensor;
  /** Whether the loss is for a training step (it is, by default). */
  training?: boolean;
}

/** The constructor options of a model subclass: `super({ name: 'gan' })`. */
export interface ModelOptions {
  name?: string;
}

/** The optimizer `compile` set, with Keras 3's `apply(grads, variables)` always present. */
export type CompiledOptimizer = Optimizer & { apply(grads: (Tensor | null)[], variables: Variable[]): void };

const HOOKS = ['trainStep', 'testStep', 'predictStep', 'computeLoss', 'computeMetrics', 'metrics', 'call'] as const;

/** A hook a model subclass may override (see `overrides`). */
export type ModelHook = (typeof HOOKS)[number];

// The library's own model classes: a hook defined on one of them is the default, not an override.
const LIBRARY_PROTOTYPES = new Set<object>();

/** @internal mark a library model class, whose hooks count as defaults */
export function libraryModelClass(cls: { prototype: object }): void {
  LIBRARY_PROTOTYPES.add(cls.prototype);
}

/**
 * True when `model` (or a class between it and the library's classes) defines `hook` itself: a
 * Keras-style subclass that customizes what `fit`/`evaluate`/`predict` do.
 */
export function overrides(model: object, hook: ModelHook): boolean {
  if (Object.prototype.hasOwnProperty.call(model, hook)) return true;
  for (let p = Object.getPrototypeOf(model) as object | null; p && !LIBRARY_PROTOTYPES.has(p); p = Object.getPrototypeOf(p) as object | null) {
    if (Object.prototype.hasOwnProperty.call(p, hook)) return true;
  }
  return false;
}

// `fit(dataset, options)`: the second argument is the options when it is a plain object (a
// dataset holds its own targets).
function isOptionsObject(y: unknown): boolean {
  return typeof y === 'object' && y !== null && !Array.isArray(y) && !isTensor(y) && Object.getPrototypeOf(y) === Object.prototype;
}

function asList(x: Tensor | Tensor[] | undefined): Tensor[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

// An optimizer without Keras 3's `apply` (a contributed one written against 0.1) gets it through a
// proxy that leaves every other property the optimizer's own.
function withApply(opt: Optimizer): CompiledOptimizer {
  if (typeof opt.apply === 'function') return opt as CompiledOptimizer;
  return new Proxy(opt, {
    get(target, prop, receiver) {
      if (prop === 'apply') {
        return (grads: (Tensor | null)[], variables: Variable[]) => {
          const pairs: [Tensor, Variable][] = [];
          grads.forEach((g, i) => {
            if (g) pairs.push([g, variables[i]]);
          });
          target.applyGradients(pairs);
        };
      }
      const v = Reflect.get(target, prop, target) as unknown;
      void receiver;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
    set(target, prop, value) {
      return Reflect.set(target, prop, value, target);
    },
  }) as CompiledOptimizer;
}

/**
 * What `Model()` and `Sequential()` make, and the base of Keras-style model subclasses: a layer
 * made of layers, with Keras's training API (`compile`, `fit`, `evaluate`, `predict`, ...).
 * A model is a layer: `model.apply(x, { training: true })` (Keras's `model(x, training=True)`),
 * and it can be called inside another model.
 *
 * Customizing what `fit` does, as Keras's guide "Customizing what happens in fit()": a subclass
 * overrides `trainStep(data)` (and `testStep`, `predictStep`, `computeLoss`, `computeMetrics`, the
 * `metrics` getter); `fit`, callbacks, the progress bar and History work unchanged around it.
 *
 * ```ts
 * class CustomModel extends FunctionalModel {
 *   override trainStep([x, y]: StepData): StepLogs {
 *     const { loss, grads, yPred } = valueAndGradients(() => {
 *       const yPred = this.apply(x, { training: true }) as Tensor;
 *       return { loss: this.computeLoss({ x, y, yPred }), yPred };
 *     }, this.trainableWeights);
 *     this.optimizer.apply(grads, this.trainableWeights);
 *     return this.updateMetrics(x, y, yPred, loss);
 *   }
 * }
 * ```
 *
 * `Out` is the type `predict` returns: `Tensor` for a `Sequential` and a `Model` with one output,
 * `Tensor[]` for a `Model` built with a list of two or more outputs, and `Tensor | Tensor[]` when
 * it is not known (a loaded model, a list of outputs of unknown length).
 */
export class LayersModel<Out extends ModelOutput = ModelOutput> extends Layer implements CallbackModel {
  static override readonly className: string = 'Model';

  /** Set true (from a callback) to end `fit` after the current batch. */
  stopTraining = false;
  /** The History of the latest `fit`. */
  history: History | null = null;
  /** @internal advisor finding codes already printed for this model (each is printed once). */
  readonly advised = new Set<string>();
  protected graph: Graph | null = null;
  private compiled: Compiled | null = null;
  private bound: { graph: Graph; bound: BoundCompile } | null = null;
  private compiledOptimizer: CompiledOptimizer | null = null;
  private modelDisposed = false;
  // the activity penalties of the latest concrete call (computeLoss adds them)
  private callPenalties: Tensor[] = [];
  /** @internal set while fit runs, so a second concurrent fit is refused */
  fitting = false;
  /**
   * @internal the model's own stream of shuffles (Keras 3's `SeedGenerator`), derived from the
   * global seed when the model is created (again at a fit when `setSeed` was called since)
   */
  readonly shuffleSeeds = new SeedGenerator();

  /** `new LayersModel({ name })` (a subclass calls `super({ name })`); a string is the name. */
  constructor(options: ModelOptions | string = {}) {
    const o: ModelOptions = typeof options === 'string' ? { name: options } : (options ?? {});
    checkOptions('Model', o, ['name']);
    // a name of the wrong type reaches Layer, which says so
    super({ name: o.name === undefined ? uniqueModelName('model') : o.name });
  }

  /** `Model "model"`, as messages name a model. */
  override toString(): string {
    return `${this.kind} "${this.name}"`;
  }

  /** `'Model'` or `'Sequential'`. */
  get kind(): string {
    return 'Model';
  }

  /**
   * The optimizer `compile` set (null before compile), with Keras 3's `apply(grads, variables)`.
   * `this.optimizer.apply(grads, this.trainableWeights)` in a custom `trainStep`. An optimizer
   * given by name in a bundle that has not loaded the optimizer registry (no `get` imported) is
   * built when fit, evaluate or an on-batch method starts, or when something else loads the
   * registry (saving does): null until then (in Node, at compile).
   */
  get optimizer(): CompiledOptimizer {
    // a name compile left pending is built as soon as its registry is loaded (by fit or evaluate,
    // or by a save path, which imports the registry to serialize the optimizer)
    const compiled = this.compiled;
    if (compiled && compiled.optimizer === null && optimizersLoaded()) {
      const made = resolvePendingOptimizer(compiled);
      if (made) this.compiledOptimizer = withApply(made);
    }
    return this.compiledOptimizer as CompiledOptimizer;
  }

  /** True after `compile`. */
  get isCompiled(): boolean {
    return this.compiled !== null;
  }

  /** The arguments of the latest `compile`, or null. */
  get compileConfig(): CompileArgs | null {
    return this.compiled?.args ?? null;
  }

  /** The loss objects per output after compile (resolved on the built model), or null. */
  get lossFunctions(): BoundCompile['outputs'] | null {
    if (!this.compiled || !this.compiled.args.loss || !this.graph) return null;
    return this.boundCompile('loss').outputs;
  }

  /** @internal throws when the model was disposed */
  assertUsable(where: string): void {
    if (this.modelDisposed) throw new Error(`${where}: ${this} was disposed`);
  }

  /** The built graph; throws a clear error when the model is not built. */
  protected requireGraph(what: string): Graph {
    this.assertUsable(what);
    if (!this.graph) {
      throw new Error(
        `${this} is not built yet, so it has no ${what}: give the first layer an inputShape, ` +
          `or call fit/predict once (it builds from the data)`,
      );
    }
    return this.graph;
  }

  /** @internal the graph, or null for a subclassed model that defines `call` itself */
  get graphOrNull(): Graph | null {
    return this.graph;
  }

  /** The symbolic inputs. */
  get inputs(): SymbolicTensor[] {
    return [...this.requireGraph('inputs').inputs];
  }

  /** The symbolic outputs. */
  get outputs(): SymbolicTensor[] {
    return [...this.requireGraph('outputs').outputs];
  }

  /** The model's input (Keras's `model.input`): one symbolic tensor, or a list for several. */
  override get input(): SymbolicTensor | SymbolicTensor[] {
    const ins = this.inputs;
    return ins.length === 1 ? ins[0] : ins;
  }

  /** The model's output (Keras's `model.output`): one symbolic tensor, or a list for several. */
  override get output(): SymbolicTensor | SymbolicTensor[] {
    const outs = this.outputs;
    return outs.length === 1 ? outs[0] : outs;
  }

  /** The output shape(s), batch first. */
  override get outputShape(): Shape | Shape[] {
    const outs = this.outputs;
    return outs.length === 1 ? [...outs[0].shape] : outs.map((t) => [...t.shape]);
  }

  /** Input names (the Input layers' names), the keys of `x` given as an object. */
  get inputNames(): string[] {
    return this.requireGraph('inputs').inputs.map((t) => t.sourceLayer.name);
  }

  /** Output names (the output layers' names), the prefixes of per-output History keys. */
  get outputNames(): string[] {
    return this.requireGraph('outputs').outputs.map((t) => t.sourceLayer.name);
  }

  /**
   * The layers in order, input layers included (Keras's functional `model.layers`). A subclassed
   * model without a graph lists the layers (and models) it holds in its own properties, as Keras
   * tracks attributes.
   */
  get layers(): Layer[] {
    if (this.graph) return [...this.graph.layers];
    const found: Layer[] = [];
    const visit = (v: unknown) => {
      if (v instanceof Layer && v !== this && !found.includes(v)) found.push(v);
      else if (Array.isArray(v)) for (const x of v) visit(x);
    };
    for (const key of Object.keys(this)) visit((this as unknown as Record<string, unknown>)[key]);
    return found;
  }

  /** A layer by name or by index in `layers`. */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    if (typeof nameOrIndex === 'number') {
      const l = layers[nameOrIndex];
      if (!l) throw new Error(`getLayer: ${this} has ${layers.length} layers, index ${nameOrIndex} is out of range`);
      return l;
    }
    const found = layers.find((l) => l.name === nameOrIndex);
    if (!found) {
      throw new Error(`getLayer: ${this} has no layer "${nameOrIndex}"; its layers are ${layers.map((l) => `"${l.name}"`).join(', ')}`);
    }
    return found;
  }

  private uniqueWeights(pick: (l: Layer) => Variable[]): Variable[] {
    const seen = new Set<Variable>();
    const out: Variable[] = [];
    for (const l of this.layers) {
      for (const v of pick(l)) {
        if (!seen.has(v)) {
          seen.add(v);
          out.push(v);
        }
      }
    }
    return out;
  }

  /** Whether the weights train. Setting it sets every layer's, as Keras (`model.trainable = false` freezes a base). */
  override get trainable(): boolean {
    return super.trainable;
  }

  override set trainable(value: boolean) {
    super.trainable = value;
    for (const l of this.layers) l.trainable = value;
  }

  /** Every weight variable, layer by layer (each layer: trainable then non-trainable). */
  override get weights(): Variable[] {
    return this.uniqueWeights((l) => l.weights);
  }

  /** The weights the optimizer updates. */
  override get trainableWeights(): Variable[] {
    return this.trainable ? this.uniqueWeights((l) => l.trainableWeights) : [];
  }

  /** The weights the optimizer leaves alone. */
  override get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.uniqueWeights((l) => l.nonTrainableWeights) : this.weights;
  }

  /** Number of weight values. */
  override countParams(): number {
    if (!this.graph && this.layers.length === 0) this.requireGraph('parameters to count');
    return this.weights.reduce((n, v) => n + v.size, 0);
  }

  /** The weight penalties of every layer (Keras's `model.losses` without the activity terms). */
  override weightLosses(): Tensor[] {
    return this.layers.flatMap((l) => l.weightLosses());
  }

  /** The activity penalties of the latest concrete call of the model (those still alive). */
  override activityLosses(): Tensor[] {
    return this.callPenalties.filter((t) => !t.isDisposed);
  }

  /** Copies of every weight value, in `weights` order; the caller owns (disposes) them. */
  override getWeights(): Tensor[] {
    this.assertUsable('getWeights');
    return this.weights.map((v) => v.clone());
  }

  /**
   * Assign every weight, in `weights` order (tensors, or arrays of numbers); counts, shapes,
   * liveness and finiteness are checked first, so a failed call changes nothing.
   */
  override setWeights(values: WeightValue[], options: SetWeightsOptions = {}): void {
    this.assertUsable('setWeights');
    super.setWeights(values, options);
  }

  /**
   * Configure training: `compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.01), metrics: ['accuracy'] })`.
   * Names are Keras's (`'mse'`, `'adam'`) or camelCase; unknown names fail here, listing the known ones.
   * A model with its own `trainStep` may compile with an optimizer alone, or nothing (`compile()`).
   * Compiling again disposes the state of the previous optimizer if compile made it from a name;
   * an optimizer object you passed is never disposed here (only by `model.dispose()`).
   */
  compile(args: CompileArgs = {}): void {
    this.assertUsable('compile');
    const next = compileArgs(args, overrides(this, 'trainStep') || overrides(this, 'computeLoss'));
    const previous = this.compiled;
    this.compiled = next;
    // null while an optimizer name waits for the registry (a page's bundle): fit and evaluate build it
    this.compiledOptimizer = next.optimizer ? withApply(next.optimizer) : null;
    this.releaseBound();
    if (previous) {
      // compile({ optimizer: model.optimizer }) keeps the same optimizer, and who owns it
      if (previous.optimizer === next.optimizer) next.ownsOptimizer ||= previous.ownsOptimizer;
      // an optimizer compile made from a name is the model's: release its state (slots, constants)
      else if (previous.ownsOptimizer) previous.optimizer?.dispose();
    }
    // bound now when the metrics' and losses' code is loaded (always in Node); else when fit or evaluate starts
    if (this.graph && next.args.loss !== undefined && next.optimizer && compileMetricsLoaded(next.args)) this.boundCompile('compile');
  }

  /**
   * @internal load the code of the built-in metrics compile named (a page's bundle loads each on
   * first use), or null when nothing needs loading: fit, evaluate and the on-batch methods await it
   * before they bind the metrics.
   */
  loadCompiledMetrics(): Promise<void> | null {
    const compiled = this.compiled;
    if (!compiled) return null;
    // the metrics, losses and optimizer compile named, where a bundle loads their code on first use
    const loading = loadCompileMetrics(compiled.args);
    const finish = (): void => {
      const made = resolvePendingOptimizer(compiled);
      if (made && this.compiled === compiled) this.compiledOptimizer = withApply(made);
      else made?.dispose();
    };
    if (loading) return loading.then(finish);
    finish();
    return null;
  }

  private releaseBound(): void {
    if (this.bound) disposeBound(this.bound.bound);
    this.bound = null;
  }

  /** @internal the compile settings bound to the current graph */
  boundCompile(where: string): BoundCompile {
    if (!this.compiled) {
      throw new Error(
        `${where}: ${this} must be compiled first: call model.compile({ loss, optimizer, metrics }) before ${where}`,
      );
    }
    if (this.compiled.args.loss === undefined) {
      throw new Error(
        `${where}: ${this} was compiled without a loss; give compile a loss, or override trainStep/computeLoss to compute your own`,
      );
    }
    const graph = this.requireGraph('outputs');
    if (!this.bound || this.bound.graph !== graph) {
      this.releaseBound();
      this.bound = { graph, bound: bindCompile(this.compiled, graph) };
    }
    return this.bound.bound;
  }

  /** @internal names of the inputs for messages and object-keyed data, before or after building */
  dataInputNames(): string[] {
    return this.graph ? this.inputNames : ['input'];
  }

  /**
   * @internal the graph to run `xs` through; a model that builds from its data (Sequential without
   * an input shape) builds here.
   */
  graphFor(where: string, xs: Tensor[]): Graph {
    void xs;
    return this.requireGraph(`inputs (in ${where})`);
  }

  /** @internal replace the graph (Sequential after add/build) */
  protected setGraph(graph: Graph | null): void {
    this.graph = graph;
    this.built = graph !== null;
    this.releaseBound();
  }

  // ---- the model as a layer ---------------------------------------------------------------

  /** The forward pass on concrete tensors: the graph (a subclass without one overrides it). */
  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    const graph = this.graph;
    if (!graph) {
      throw new Error(`${this} has no layer graph: a model subclass without inputs and outputs must define call(inputs, kwargs)`);
    }
    const xs = asList(inputs);
    const m = kwargs.mask;
    const masks = m === undefined || m === null ? undefined : Array.isArray(m) ? m : [m];
    const { outputs, penalties } = graph.run(xs, kwargs.training ?? false, true, masks);
    this.callPenalties = penalties;
    return outputs.length === 1 ? outputs[0] : outputs;
  }

  /**
   * @internal run as a node of another model's graph (a nested model): the outputs, and the
   * activity penalties of this model's layers so the outer model adds them to its loss. A subclass
   * that defines `call` itself runs through it.
   */
  runAsNode(inputs: Tensor[], kwargs: CallKwargs, withPenalties: boolean, masks?: (Tensor | null)[]): { outputs: Tensor[]; penalties: Tensor[] } {
    const graph = this.graph;
    if (graph && !overrides(this, 'call')) return graph.run(inputs, kwargs.training ?? false, withPenalties, masks);
    const out = this.call(inputs.length === 1 ? inputs[0] : inputs, kwargs);
    return { outputs: Array.isArray(out) ? out : [out], penalties: [] };
  }

  /** Output shape(s) for input shape(s) (batch first): the graph's, with the batch size given. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const graph = this.graph;
    if (!graph) throw new Error(`${this}: a model subclass without a graph must define computeOutputShape(inputShape)`);
    const first = (Array.isArray(inputShape[0]) ? (inputShape as Shape[])[0] : (inputShape as Shape)) ?? [];
    const batch = first.length > 0 ? first[0] : null;
    const shapes = graph.outputs.map((t) => [batch, ...t.shape.slice(1)] as Shape);
    return shapes.length === 1 ? shapes[0] : shapes;
  }

  /** True for models with several inputs (their calls take a list). */
  protected override get takesList(): boolean {
    return (this.graph?.inputs.length ?? 1) > 1;
  }

  /**
   * Run the model (Keras's `model(x, training=...)`). On symbolic tensors it adds a node to the
   * graph being built (a model inside a model); on concrete tensors it returns the outputs. Inside
   * a custom `trainStep`, `this.apply(x, { training: true })` is the forward pass to differentiate.
   */
  override apply(inputs: SymbolicTensor | SymbolicTensor[], kwargs?: CallKwargs): SymbolicTensor;
  override apply(inputs: Tensor | Tensor[], kwargs?: CallKwargs): Tensor;
  override apply(inputs: LayerInput, kwargs?: CallKwargs): Tensor | SymbolicTensor | Tensor[] | SymbolicTensor[];
  override apply(inputs: LayerInput, kwargs: CallKwargs = {}): Tensor | SymbolicTensor | Tensor[] | SymbolicTensor[] {
    this.assertUsable('apply');
    const list: unknown[] = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length > 0 && isSymbolic(list[0])) return super.apply(inputs, kwargs);
    list.forEach((t, i) => {
      if (!isTensor(t)) throw new Error(`${this}.apply expects tensors (one per input), got ${describeValue(t)}${list.length > 1 ? ` at ${i}` : ''}`);
    });
    const xs = list as Tensor[];
    if (this.graph || !overrides(this, 'call')) this.graphFor('apply', xs);
    const training = kwargs.training ?? false;
    const { out, penalties } = tidy(() => {
      const cast32 = xs.map((t, i) => {
        const want = this.graph?.inputs[i]?.dtype ?? 'float32';
        if (t.dtype === 'string' && want !== 'string') {
          throw new Error(`${this}.apply: input ${this.graph?.inputs[i]?.name ?? i} is numeric (${want}), got a string tensor; turn text into numbers first`);
        }
        // numbers into a string input pass as they are (Hashing reads them as their decimal strings)
        return t.dtype === want || want === 'string' ? t : cast(t, want);
      });
      // a mask the inputs carry goes on with them (the casts above are new tensors)
      const given = kwargs.mask ?? (xs.some((t) => maskOf(t)) ? xs.map((t) => maskOf(t)) : undefined);
      const arg = cast32.length === 1 ? cast32[0] : cast32;
      const call: CallKwargs = { ...kwargs, training };
      if (given !== undefined && given !== null) call.mask = Array.isArray(given) && cast32.length === 1 ? given[0] : given;
      const raw = this.call(arg, call);
      const outs = (Array.isArray(raw) ? raw : [raw]).map((o) => (xs.includes(o) ? clone(o) : o));
      // the outputs' masks were made in this scope: they leave it with their outputs
      const outMasks: Tensor[] = outs.flatMap((o) => {
        const m = maskOf(o);
        return m ? [m] : [];
      });
      return { out: Array.isArray(raw) ? outs : outs[0], penalties: this.graph ? this.callPenalties.filter((p) => !p.isDisposed) : [], outMasks };
    });
    // the penalties of this call replace those of the previous one (released if still alive)
    for (const p of this.callPenalties) if (!p.isDisposed && !penalties.includes(p)) p.dispose();
    this.callPenalties = penalties;
    return out;
  }

  // ---- Keras's training hooks ---------------------------------------------------------------

  /**
   * The metrics `fit` and `evaluate` report and reset at each epoch, as Keras's `model.metrics`:
   * the `loss` tracker, per-output loss trackers (several outputs) and the compiled metrics.
   * Override it to list your own trackers (a GAN's `d_loss` and `g_loss`).
   */
  get metrics(): Metric[] {
    if (!this.compiled || this.compiled.args.loss === undefined || !this.graph) return [];
    return [...this.boundCompile('metrics').metrics];
  }

  /** The names of `metrics`: the log keys of a step. */
  get metricsNames(): string[] {
    if (this.compiled?.args.loss !== undefined && this.graph) return [...this.boundCompile('metricsNames').keys];
    return this.metrics.map((m) => m.name);
  }

  /** Reset the state of every metric in `metrics` (fit does it at each epoch, evaluate before it starts). */
  resetMetrics(): void {
    for (const m of this.metrics) m.resetState();
  }

  /**
   * The total loss of a batch, as Keras's `compute_loss`: the compiled loss of each output
   * (weighted by `lossWeights`), plus the weight penalties of every layer and the activity
   * penalties of the latest call. Updates the per-output loss trackers of a multi-output model.
   */
  computeLoss(args: ComputeLossArgs): Scalar {
    const bound = this.boundCompile('computeLoss');
    const ys = asList(args.y);
    const preds = asList(args.yPred);
    if (preds.length !== bound.outputs.length) {
      throw new Error(`computeLoss: ${this} has ${bound.outputs.length} outputs, got ${preds.length} predictions`);
    }
    if (ys.length !== bound.outputs.length) {
      throw new Error(`computeLoss: ${this} has ${bound.outputs.length} outputs, got ${ys.length} targets (y)`);
    }
    const terms: Tensor[] = [];
    for (const o of bound.outputs) {
      const l = o.stepLoss(ys[o.index], preds[o.index], args.sampleWeight);
      o.lossTracker?.updateState(l, scalar(preds[o.index].shape[0] ?? 1));
      terms.push(o.lossWeight === 1 ? l : mul(l, o.lossWeight));
    }
    terms.push(...this.weightLosses(), ...this.activityLosses());
    return (terms.length === 1 ? terms[0] : addN(terms)) as Scalar;
  }

  /**
   * Update the compiled metrics with a batch and return every metric's result, as Keras's
   * `compute_metrics` (the loss tracker is updated by the step itself, see `updateMetrics`).
   */
  computeMetrics(x: Tensor | Tensor[] | undefined, y: Tensor | Tensor[] | undefined, yPred: Tensor | Tensor[], sampleWeight?: Tensor): StepLogs {
    void x;
    void sampleWeight;
    if (this.compiled?.args.loss !== undefined && this.graph) {
      const bound = this.boundCompile('computeMetrics');
      const ys = asList(y);
      const preds = asList(yPred);
      for (const o of bound.outputs) for (const m of o.metrics) m.metric.updateState(ys[o.index], preds[o.index]);
    }
    return this.getMetricsResult();
  }

  /**
   * Update the `loss` tracker with `loss` (weighted by the batch size, as Keras) and then the
   * compiled metrics (`computeMetrics`); returns the logs. What the default steps end with.
   */
  updateMetrics(x: Tensor | Tensor[], y: Tensor | Tensor[] | undefined, yPred: Tensor | Tensor[], loss: Tensor, sampleWeight?: Tensor): StepLogs {
    const n = asList(x)[0]?.shape[0] ?? 1;
    if (this.compiled?.args.loss !== undefined && this.graph) this.boundCompile('updateMetrics').lossTracker.updateState(loss, scalar(n));
    return this.computeMetrics(x, y, yPred, sampleWeight);
  }

  /** `{ name: result }` of every metric in `metrics` (scalar tensors), as Keras's `get_metrics_result`. */
  getMetricsResult(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    if (this.compiled?.args.loss !== undefined && this.graph) {
      const bound = this.boundCompile('getMetricsResult');
      bound.metrics.forEach((m, i) => (out[bound.keys[i]] = m.result()));
      return out;
    }
    for (const m of this.metrics) out[m.name] = m.result();
    return out;
  }

  /**
   * One training step on a batch, as Keras's `train_step(data)`: forward in training mode, loss
   * (`computeLoss`), gradients of the trainable weights, one optimizer step, metrics. Override it
   * to customize `fit`. The built-in step runs as one fused pass when not overridden.
   */
  trainStep(data: StepData): StepLogs {
    const [x, y, sampleWeight] = data;
    const vars = this.trainableWeights;
    const { loss, grads, yPred } = valueAndGradients(() => {
      const yPred = this.apply(x, { training: true }) as Tensor | Tensor[];
      return { loss: this.computeLoss({ x, y, yPred, sampleWeight, training: true }), yPred };
    }, vars);
    if (vars.length > 0) this.optimizer.apply(grads, vars);
    return this.updateMetrics(x, y, yPred, loss, sampleWeight);
  }

  /** One evaluation step on a batch, as Keras's `test_step(data)`: forward in inference mode, loss, metrics. */
  testStep(data: StepData): StepLogs {
    const [x, y, sampleWeight] = data;
    const yPred = this.apply(x, { training: false }) as Tensor | Tensor[];
    const loss = this.computeLoss({ x, y, yPred, sampleWeight, training: false });
    return this.updateMetrics(x, y, yPred, loss, sampleWeight);
  }

  /** One prediction step on a batch, as Keras's `predict_step(data)`: the outputs in inference mode. */
  predictStep(data: StepData): Tensor | Tensor[] {
    return this.apply(data[0], { training: false }) as Tensor | Tensor[];
  }

  // ---- Keras's training API ---------------------------------------------------------------

  /**
   * Train: `const H = await model.fit(x, y, { epochs: 10, batchSize: 128, validationData: [xVal, yVal] })`.
   * Returns the History (`H.history.loss`, `H.history.val_accuracy`, ...). A model whose
   * `trainStep` needs no targets may be fit on `x` alone (`fit(x, undefined, options)`).
   */
  /** Train on a dataset (`Dataset` of @neurona/data, or any async iterable of `{ x, y }` batches): `fit(ds, { epochs: 3 })`. */
  fit(dataset: BatchStream, options?: FitOptions): Promise<History>;
  /** Keras's `fit(ds, None, ...)` spelling: a dataset holds its own targets, so `y` stays empty. */
  fit(dataset: BatchStream, y: undefined | null, options?: FitOptions): Promise<History>;
  fit(x: ModelData, y?: ModelData, options?: FitOptions): Promise<History>;
  fit(x: ModelData | BatchStream, y?: ModelData | FitOptions | null, options?: FitOptions): Promise<History> {
    if (isBatchStream(x) && options === undefined && isOptionsObject(y)) return fitModel(this, x, undefined, y as FitOptions);
    return fitModel(this, x, (y ?? undefined) as ModelData | undefined, options ?? {});
  }

  /**
   * Loss and metrics on data, in batches: the loss alone (one output, no metrics) or
   * `[loss, ...metrics]` as Keras; `{ returnDict: true }` gives `{ loss, accuracy, ... }`.
   */
  evaluate(x: ModelData, y: ModelData, options: EvaluateOptions & { returnDict: true }): Promise<Record<string, number>>;
  evaluate(x: ModelData, y?: ModelData, options?: EvaluateOptions & { returnDict?: false }): Promise<number | number[]>;
  evaluate(x: ModelData, y?: ModelData, options?: EvaluateOptions): Promise<EvaluateResult>;
  /** Evaluate on a dataset of `{ x, y }` batches: `evaluate(ds, { returnDict: true })`. */
  evaluate(dataset: BatchStream, options: EvaluateOptions & { returnDict: true }): Promise<Record<string, number>>;
  evaluate(dataset: BatchStream, options?: EvaluateOptions): Promise<EvaluateResult>;
  evaluate(x: ModelData | BatchStream, y?: ModelData | EvaluateOptions, options?: EvaluateOptions): Promise<EvaluateResult> {
    const dataset = isBatchStream(x) && options === undefined && isOptionsObject(y);
    // on demand: a page that never evaluates (its model validates in fit) does not download it
    return import('./evaluate').then(({ evaluateModel }) =>
      dataset ? evaluateModel(this, x, undefined, y as EvaluateOptions) : evaluateModel(this, x, y as ModelData | undefined, options ?? {}),
    );
  }

  /**
   * Outputs for `x`, computed in batches (default 32): a tensor for a model with one output (the
   * type says `Tensor` for a `Sequential` and a one-output `Model`), else one per output.
   */
  /** Outputs for a dataset's batches (their `x`), concatenated; asynchronous: `await model.predict(ds)`. */
  predict(dataset: BatchStream, options?: PredictOptions): Promise<Out>;
  predict(x: ModelData, options?: PredictOptions): Out;
  predict(x: ModelData | BatchStream, options: PredictOptions = {}): Out | Promise<Out> {
    // a dataset's reader is loaded on demand: a page that predicts on arrays does not download it
    if (isBatchStream(x)) return import('./predict-stream').then(({ predictStream }) => predictStream(this, x, options) as Promise<Out>);
    return predictModel(this, x, options) as Out;
  }

  /** Outputs for `x` as one batch. */
  predictOnBatch(x: ModelData): Out {
    return predictModel(this, x, { batchSize: Number.MAX_SAFE_INTEGER }) as Out;
  }

  /** One optimizer step on `(x, y)` as one batch; returns the loss (and metrics) of that batch. */
  trainOnBatch(x: ModelData, y?: ModelData): Promise<EvaluateResult> {
    return import('./evaluate').then(({ trainOnBatch }) => trainOnBatch(this, x, y));
  }

  /** Loss (and metrics) on `(x, y)` as one batch, without training. */
  testOnBatch(x: ModelData, y?: ModelData): Promise<EvaluateResult> {
    return import('./evaluate').then(({ testOnBatch }) => testOnBatch(this, x, y));
  }

  /**
   * The Keras summary table (layer name and type, output shape, parameters, totals). Prints it
   * with `printFn` (default `console.log`, line by line) and returns it.
   */
  summary(options: SummaryOptions = {}): string {
    checkOptions('summary', options, ['printFn', 'lineLength', 'positions']);
    const graph = this.requireGraph('summary (build it first: give the first layer an inputShape or call fit)');
    return summarize(this, graph, options);
  }

  /**
   * The architecture as JSON data (names, layer configs, connections), as Keras's `get_config`:
   * `deserializeLayer({ className: model.className, config })` rebuilds the model (fresh weights),
   * which is how a model nested in another one is saved and loaded.
   */
  override getConfig(): ModelConfig {
    const graph = this.requireGraph('config');
    const inModel = new Set(graph.nodes);
    for (const t of graph.inputs) inModel.add(t.sourceLayer.inboundNodes[t.nodeIndex]);
    // node indices count only this model's calls of a layer (a layer may serve other models too)
    const ref = (t: SymbolicTensor): [string, number, number] => [
      t.sourceLayer.name,
      t.sourceLayer.inboundNodes.slice(0, t.nodeIndex).filter((n) => inModel.has(n)).length,
      t.tensorIndex,
    ];
    return {
      name: this.name,
      trainable: this.trainable,
      layers: graph.layers.map((l) => {
        const s = serializeLayer(l);
        return {
          className: s.className,
          name: l.name,
          config: s.config,
          inboundNodes: l.inboundNodes
            .filter((n) => inModel.has(n) && !n.isInput)
            .map((n) => n.inputTensors.map((t) => [...ref(t), { ...n.kwargs }] as [string, number, number, Record<string, unknown>])),
        };
      }),
      inputLayers: graph.inputs.map(ref),
      outputLayers: graph.outputs.map(ref),
    };
  }

  /**
   * Save architecture, weights, compile configuration and optimizer state (tfjs Layers format):
   * `await model.save('./my-model')`, `'indexeddb://name'`, `'downloads://name'` or an IOHandler.
   */
  async save(location: ModelLocation, options?: SaveOptions): Promise<SaveResult> {
    // on demand: a page that never saves does not download the writers (files, IndexedDB, HTTP)
    const { saveModel } = await import('./io/save-model');
    return saveModel(this, location, options);
  }

  /** Release the weights, the metrics' state and the optimizer state. The model cannot be used afterwards. */
  override dispose(): void {
    if (this.modelDisposed) return;
    // a subclass's own trackers (listed by its `metrics`) go with it; the compiled ones below
    if (overrides(this, 'metrics')) for (const m of this.metrics) m.dispose();
    for (const l of this.layers) l.dispose();
    this.compiled?.optimizer?.dispose();
    this.releaseBound();
    for (const p of this.callPenalties) if (!p.isDisposed) p.dispose();
    this.callPenalties = [];
    this.modelDisposed = true;
    super.dispose();
  }
}
libraryModelClass(LayersModel);
