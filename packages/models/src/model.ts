import { cast } from '@neurona/tensor';
import type { Tensor, Variable } from '@neurona/tensor';
import type { Layer, SymbolicTensor } from '@neurona/layers';
import { serializeLayer } from '@neurona/layers';
import type { Optimizer } from '@neurona/optimizers';
import type { CallbackModel } from './callbacks/types';
import { bindCompile, compileArgs } from './compile';
import type { BoundCompile, CompileArgs, Compiled } from './compile';
import type { ModelData } from './data';
import { evaluateModel, testOnBatch, trainOnBatch } from './evaluate';
import type { EvaluateOptions, EvaluateResult } from './evaluate';
import { fitModel } from './fit';
import type { FitOptions } from './fit';
import { Graph } from './graph';
import type { History } from './history';
import { predictModel } from './predict';
import type { PredictOptions } from './predict';
import { summarize } from './summary';
import type { SummaryOptions } from './summary';
import { fmt } from './validate';
import { saveModel } from './io/save-model';
import type { SaveOptions } from './io/artifacts-write';
import type { ModelLocation } from './io/router';
import type { SaveResult } from './io/types';

const ref = (t: SymbolicTensor): [string, number, number] => [t.sourceLayer.name, t.nodeIndex, t.tensorIndex];

/** JSON description of a model's architecture (what save/load will store). */
export interface ModelConfig {
  name: string;
  layers: {
    className: string;
    name: string;
    config: Record<string, unknown>;
    /** For each call of the layer in this model: its inputs as `[layerName, nodeIndex, tensorIndex, kwargs]`. */
    inboundNodes: [string, number, number, Record<string, unknown>][][];
  }[];
  inputLayers: [string, number, number][];
  outputLayers: [string, number, number][];
}

/** What `predict` returns: one tensor for a model with one output, one tensor per output otherwise. */
export type ModelOutput = Tensor | Tensor[];

/**
 * What `Model()` and `Sequential()` make: a graph of layers with Keras's training API
 * (`compile`, `fit`, `evaluate`, `predict`, ...). Layers-like: `layers`, `getLayer`, `weights`,
 * `trainableWeights`, `countParams`.
 *
 * `Out` is the type `predict` returns: `Tensor` for a `Sequential` and a `Model` with one output,
 * `Tensor[]` for a `Model` built with a list of two or more outputs, and `Tensor | Tensor[]` when
 * it is not known (a loaded model, a list of outputs of unknown length).
 */
export class LayersModel<Out extends ModelOutput = ModelOutput> implements CallbackModel {
  /** The model's name (`'model'`, `'sequential_1'`...). */
  name: string;
  /** Set true (from a callback) to end `fit` after the current batch. */
  stopTraining = false;
  /** The History of the latest `fit`. */
  history: History | null = null;
  /** @internal advisor finding codes already printed for this model (each is printed once). */
  readonly advised = new Set<string>();
  protected graph: Graph | null = null;
  private compiled: Compiled | null = null;
  private bound: { graph: Graph; bound: BoundCompile } | null = null;
  private disposed = false;

  constructor(name: string) {
    this.name = name;
  }

  /** `Model "model"`, as messages name a model. */
  toString(): string {
    return `${this.kind} "${this.name}"`;
  }

  /** `'Model'` or `'Sequential'`. */
  get kind(): string {
    return 'Model';
  }

  /** True once the model knows its input shape and its layers have weights. */
  get built(): boolean {
    return this.graph !== null;
  }

  /** The optimizer `compile` set (null before compile). */
  get optimizer(): Optimizer | null {
    return this.compiled?.optimizer ?? null;
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
    if (!this.compiled || !this.graph) return null;
    return this.boundCompile('loss').outputs;
  }

  /** @internal throws when the model was disposed */
  assertUsable(where: string): void {
    if (this.disposed) throw new Error(`${where}: ${this} was disposed`);
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

  /** The symbolic inputs. */
  get inputs(): SymbolicTensor[] {
    return [...this.requireGraph('inputs').inputs];
  }

  /** The symbolic outputs. */
  get outputs(): SymbolicTensor[] {
    return [...this.requireGraph('outputs').outputs];
  }

  /** Input names (the Input layers' names), the keys of `x` given as an object. */
  get inputNames(): string[] {
    return this.requireGraph('inputs').inputs.map((t) => t.sourceLayer.name);
  }

  /** Output names (the output layers' names), the prefixes of per-output History keys. */
  get outputNames(): string[] {
    return this.requireGraph('outputs').outputs.map((t) => t.sourceLayer.name);
  }

  /** The layers in order, input layers included (Keras's functional `model.layers`). */
  get layers(): Layer[] {
    return this.graph ? [...this.graph.layers] : [];
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

  /** Every weight variable, layer by layer (each layer: trainable then non-trainable). */
  get weights(): Variable[] {
    return this.uniqueWeights((l) => l.weights);
  }

  /** The weights the optimizer updates. */
  get trainableWeights(): Variable[] {
    return this.uniqueWeights((l) => l.trainableWeights);
  }

  /** The weights the optimizer leaves alone. */
  get nonTrainableWeights(): Variable[] {
    return this.uniqueWeights((l) => l.nonTrainableWeights);
  }

  /** Number of weight values. */
  countParams(): number {
    this.requireGraph('parameters to count');
    return this.weights.reduce((n, v) => n + v.size, 0);
  }

  /** Copies of every weight value, in `weights` order; the caller owns (disposes) them. */
  getWeights(): Tensor[] {
    this.assertUsable('getWeights');
    return this.weights.map((v) => v.clone());
  }

  /** Assign every weight, in `weights` order; counts and shapes must match. */
  setWeights(values: Tensor[]): void {
    this.assertUsable('setWeights');
    const ws = this.weights;
    if (!Array.isArray(values) || values.length !== ws.length) {
      throw new Error(`setWeights: ${this} has ${ws.length} weights, got ${Array.isArray(values) ? values.length : typeof values}`);
    }
    ws.forEach((v, i) => {
      const t = values[i];
      if (t.shape.length !== v.shape.length || t.shape.some((d, j) => d !== v.shape[j])) {
        throw new Error(`setWeights: weight ${i} ("${v.name}") has shape ${fmt(v.shape)}, got ${fmt(t.shape)}`);
      }
    });
    ws.forEach((v, i) => v.assign(values[i].dtype === v.dtype ? values[i] : cast(values[i], v.dtype)));
  }

  /**
   * Configure training: `compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.01), metrics: ['accuracy'] })`.
   * Names are Keras's (`'mse'`, `'adam'`) or camelCase; unknown names fail here, listing the known ones.
   * Compiling again disposes the state of the previous optimizer if compile made it from a name;
   * an optimizer object you passed is never disposed here (only by `model.dispose()`).
   */
  compile(args: CompileArgs): void {
    this.assertUsable('compile');
    const next = compileArgs(args);
    const previous = this.compiled;
    this.compiled = next;
    this.bound = null;
    if (previous) {
      // compile({ optimizer: model.optimizer }) keeps the same optimizer, and who owns it
      if (previous.optimizer === next.optimizer) next.ownsOptimizer ||= previous.ownsOptimizer;
      // an optimizer compile made from a name is the model's: release its state (slots, constants)
      else if (previous.ownsOptimizer) previous.optimizer.dispose();
    }
    if (this.graph) this.boundCompile('compile');
  }

  /** @internal the compile settings bound to the current graph */
  boundCompile(where: string): BoundCompile {
    if (!this.compiled) {
      throw new Error(
        `${where}: ${this} must be compiled first: call model.compile({ loss, optimizer, metrics }) before ${where}`,
      );
    }
    const graph = this.requireGraph('outputs');
    if (!this.bound || this.bound.graph !== graph) this.bound = { graph, bound: bindCompile(this.compiled, graph) };
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
    this.bound = null;
  }

  /**
   * Train: `const H = await model.fit(x, y, { epochs: 10, batchSize: 128, validationData: [xVal, yVal] })`.
   * Returns the History (`H.history.loss`, `H.history.val_accuracy`, ...).
   */
  fit(x: ModelData, y: ModelData, options: FitOptions = {}): Promise<History> {
    return fitModel(this, x, y, options);
  }

  /**
   * Loss and metrics on data, in batches: the loss alone (one output, no metrics) or
   * `[loss, ...metrics]` as Keras; `{ returnDict: true }` gives `{ loss, accuracy, ... }`.
   */
  evaluate(x: ModelData, y: ModelData, options: EvaluateOptions & { returnDict: true }): Promise<Record<string, number>>;
  evaluate(x: ModelData, y: ModelData, options?: EvaluateOptions & { returnDict?: false }): Promise<number | number[]>;
  evaluate(x: ModelData, y: ModelData, options?: EvaluateOptions): Promise<EvaluateResult>;
  evaluate(x: ModelData, y: ModelData, options: EvaluateOptions = {}): Promise<EvaluateResult> {
    return evaluateModel(this, x, y, options);
  }

  /**
   * Outputs for `x`, computed in batches (default 32): a tensor for a model with one output (the
   * type says `Tensor` for a `Sequential` and a one-output `Model`), else one per output.
   */
  predict(x: ModelData, options: PredictOptions = {}): Out {
    return predictModel(this, x, options) as Out;
  }

  /** Outputs for `x` as one batch. */
  predictOnBatch(x: ModelData): Out {
    return predictModel(this, x, { batchSize: Number.MAX_SAFE_INTEGER }) as Out;
  }

  /** One optimizer step on `(x, y)` as one batch; returns the loss (and metrics) of that batch. */
  trainOnBatch(x: ModelData, y: ModelData): Promise<EvaluateResult> {
    return trainOnBatch(this, x, y);
  }

  /** Loss (and metrics) on `(x, y)` as one batch, without training. */
  testOnBatch(x: ModelData, y: ModelData): Promise<EvaluateResult> {
    return testOnBatch(this, x, y);
  }

  /**
   * The Keras summary table (layer name and type, output shape, parameters, totals). Prints it
   * with `printFn` (default `console.log`, line by line) and returns it.
   */
  summary(options: SummaryOptions = {}): string {
    const graph = this.requireGraph('summary (build it first: give the first layer an inputShape or call fit)');
    return summarize(this, graph, options);
  }

  /** The architecture as JSON data (names, layer configs, connections). */
  getConfig(): ModelConfig {
    const graph = this.requireGraph('config');
    const inModel = new Set(graph.nodes);
    return {
      name: this.name,
      layers: graph.layers.map((l) => {
        const s = serializeLayer(l);
        return {
          className: s.className,
          name: l.name,
          config: s.config,
          inboundNodes: l.inboundNodes
            .filter((n) => inModel.has(n))
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
  save(location: ModelLocation, options?: SaveOptions): Promise<SaveResult> {
    return saveModel(this, location, options);
  }

  /** Release the weights and the optimizer state. The model cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    for (const l of this.layers) l.dispose();
    this.compiled?.optimizer.dispose();
    this.disposed = true;
  }
}
