import { checkOptions, describeValue } from '@neurona/common';
import { Input, isSymbolic, Layer } from '@neurona/layers';
import type { Shape, Tensor } from '@neurona/tensor';
import type { SymbolicTensor } from '@neurona/layers';
import { Graph } from './graph';
import { LayersModel, libraryModelClass } from './model';
import { uniqueModelName } from './names';
import { fmt } from './validate';

/** Options of `Sequential` besides its layers. */
export interface SequentialArgs {
  layers?: Layer[];
  /** Default `'sequential'`, `'sequential_1'`, ... */
  name?: string;
}

function isLayer(x: unknown): x is Layer {
  return x instanceof Layer || (typeof x === 'function' && typeof (x as Partial<Layer>).call === 'function' && Array.isArray((x as Partial<Layer>).inboundNodes));
}

/**
 * A linear stack of layers. It is built (weights created) as soon as its input shape is known:
 * from the first layer's `inputShape`, from an added `Input(...)`, from `build(shape)`, or from
 * the data of the first `fit`/`predict`/`evaluate`, as Keras. One output: `predict` returns a `Tensor`.
 */
export class SequentialModel extends LayersModel<Tensor> {
  static override readonly className: string = 'Sequential';
  private stack: Layer[] = [];
  private inputTensor: SymbolicTensor | null = null;

  constructor(args: SequentialArgs = {}) {
    checkOptions('Sequential', args, ['layers', 'name']);
    if (args.layers !== undefined && !Array.isArray(args.layers)) {
      throw new Error(`Sequential: layers must be an array of layers, got ${describeValue(args.layers)}`);
    }
    super({ name: args.name === undefined ? uniqueModelName('sequential') : args.name });
    for (const l of args.layers ?? []) this.add(l);
  }

  override get kind(): string {
    return 'Sequential';
  }

  /** The layers added, in order (no InputLayer, as Keras's Sequential). */
  override get layers(): Layer[] {
    return [...this.stack];
  }

  /** Append a layer (or set the input with `add(Input({ shape }))`). Returns the model. */
  add(layer: Layer | SymbolicTensor): this {
    this.assertUsable('add');
    if (isSymbolic(layer)) {
      const node = layer.sourceLayer.inboundNodes[layer.nodeIndex];
      if (this.stack.length > 0 || this.inputTensor || !node?.isInput) {
        throw new Error(`${this}.add: an Input can only be added first, and only one`);
      }
      this.inputTensor = layer;
      return this;
    }
    if (!isLayer(layer)) {
      throw new Error(`${this}.add expects a layer (e.g. Dense(10)), got ${layer === null ? 'null' : typeof layer}`);
    }
    if (layer.className === 'InputLayer') {
      if (this.stack.length > 0 || this.inputTensor) throw new Error(`${this}.add: an InputLayer can only be added first`);
      this.inputTensor = layer.inboundNodes[0].outputTensors[0];
      return this;
    }
    if (this.stack.includes(layer)) throw new Error(`${this}.add: layer "${layer.name}" is already in the model`);
    this.stack.push(layer);
    if (this.graph) {
      this.setGraph(new Graph(this.graph.inputs, [this.applyLayer(layer, this.graph.outputs[0])]));
    } else if (this.inputTensor || this.stack[0].batchInputShape) {
      this.buildGraph();
    }
    return this;
  }

  /** Remove and return the last layer. */
  pop(): Layer {
    this.assertUsable('pop');
    const last = this.stack.pop();
    if (!last) throw new Error(`${this}.pop: the model has no layers`);
    if (this.graph) {
      if (this.stack.length === 0) this.setGraph(null);
      else this.buildGraph(this.graph.inputs[0].shape);
    }
    return last;
  }

  private applyLayer(layer: Layer, x: SymbolicTensor): SymbolicTensor {
    const out = layer.apply(x) as SymbolicTensor | SymbolicTensor[];
    if (Array.isArray(out)) {
      throw new Error(`${this}: layer "${layer.name}" has ${out.length} outputs; a Sequential model needs one output per layer (use Model)`);
    }
    return out;
  }

  private buildGraph(batchShape?: Shape): void {
    if (this.stack.length === 0) return;
    const first = this.stack[0];
    let input = this.inputTensor;
    if (!input || (batchShape && input.shape.some((d, i) => d !== batchShape[i]))) {
      const shape = batchShape ?? first.batchInputShape ?? input?.shape;
      if (!shape) return;
      input = Input({ batchShape: [null, ...shape.slice(1)], dtype: first.dtype === 'int32' ? 'int32' : 'float32', name: `${first.name}_input` });
    }
    let h = input;
    for (const layer of this.stack) h = this.applyLayer(layer, h);
    this.setGraph(new Graph([input], [h]));
  }

  /** Build the model for inputs of `inputShape` (batch first, `null` allowed): `model.build([null, 784])`. */
  override build(inputShape: Shape): void {
    this.assertUsable('build');
    if (!Array.isArray(inputShape) || inputShape.length < 1) {
      throw new Error(`${this}.build expects a shape with the batch dimension first, e.g. [null, 784], got ${String(inputShape)}`);
    }
    if (this.stack.length === 0) throw new Error(`${this}.build: the model has no layers; add some first`);
    if (this.graph) {
      const have = this.graph.inputs[0].shape;
      const same = have.length === inputShape.length && have.every((d, i) => i === 0 || d === inputShape[i]);
      if (!same) throw new Error(`${this} is already built for input ${fmt(have)}, got build(${fmt(inputShape)})`);
      return;
    }
    this.buildGraph([null, ...inputShape.slice(1)]);
  }

  override dataInputNames(): string[] {
    return this.graph ? this.inputNames : ['input'];
  }

  override graphFor(where: string, xs: Tensor[]): Graph {
    this.assertUsable(where);
    if (!this.graph) {
      if (this.stack.length === 0) throw new Error(`${where}: ${this} has no layers; add some with model.add(...) first`);
      // Keras builds a Sequential without an input shape from the first data it sees
      this.buildGraph([null, ...xs[0].shape.slice(1)]);
    }
    return this.requireGraph('inputs');
  }
}

libraryModelClass(SequentialModel);

/** The type of what `Sequential()` returns. */
export type Sequential = SequentialModel;

/**
 * A linear stack of layers, as Keras's `Sequential()`:
 * `const model = Sequential(); model.add(Flatten({ inputShape: [28, 28] })); model.add(Dense(10, { activation: 'softmax' }));`
 * Also `Sequential([layer1, layer2])` or `Sequential({ layers, name })`.
 */
export function Sequential(layers?: Layer[] | SequentialArgs): Sequential {
  return new SequentialModel(Array.isArray(layers) ? { layers } : (layers ?? {}));
}
