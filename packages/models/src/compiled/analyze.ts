// Whether a model's training step can run as a compiled dense plan, and its description if so.
// Anything not recognized exactly gives a reason and fit keeps the tape path.
import { variableConstraint } from '@neurona/tensor';
import type { Variable } from '@neurona/tensor';
import type { Layer } from '@neurona/layers';
import type { PlanActivation } from '@neurona/kernels';
import type { BoundCompile } from '../compile';
import type { Graph } from '../graph';
import { activationNameOf } from '../graph';

/** One Dense layer of the chain. */
export interface PlanLayer {
  layer: Layer;
  kernel: Variable;
  bias: Variable | null;
  inDim: number;
  units: number;
  /** The activation the plan applies after the product (the last layer's softmax is the loss's). */
  activation: PlanActivation;
}

/** The loss, in the plan's terms. */
export interface PlanLoss {
  kind: 'softmax_ce' | 'mse';
  /** Targets are class indices (sparse categorical cross-entropy). */
  sparse: boolean;
  reduction: 'mean' | 'sum';
}

/** The optimizer settings the fused update needs. */
export interface PlanOptimizer {
  kind: 'sgd' | 'adam';
  /** The optimizer object (its learning rate and schedule are read each step). */
  optimizer: PlanOptimizerObject;
  /** Slots per variable in the optimizer's state, in its order. */
  slots: string[];
}

/** What the plan reads of an optimizer of @neurona/optimizers (its public API). */
export interface PlanOptimizerObject {
  readonly className: string;
  readonly learningRate: number;
  readonly learningRateSchedule: ((step: number) => number) | null;
  readonly iterations: number;
  readonly weightDecay: number | null;
  readonly clipNorm: number | null;
  readonly clipValue: number | null;
  readonly globalClipNorm: number | null;
  readonly momentum?: number;
  readonly nesterov?: boolean;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  readonly amsgrad?: boolean;
  build(variables: Variable[]): void;
  getSlotNames(): string[];
}

/** A model's training step as a dense plan. */
export interface PlanSpec {
  layers: PlanLayer[];
  loss: PlanLoss;
  optimizer: PlanOptimizer;
  /** Features per sample of the (flattened) input. */
  inputSize: number;
}

const ACTIVATIONS: readonly string[] = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'];

/** The plan for `graph` compiled as `bound`, or the reason it cannot be compiled. */
export function analyzePlan(graph: Graph, bound: BoundCompile): PlanSpec | string {
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) return 'the model has several inputs or outputs';
  const layers: PlanLayer[] = [];
  let prev = graph.inputs[0];
  const inShape = prev.shape;
  if (inShape.slice(1).some((d) => d === null)) return 'the input shape is not fully known';
  const inputSize = inShape.slice(1).reduce<number>((a, b) => a * (b as number), 1);
  let width = inputSize;
  let flat = inShape.length === 2;
  for (const node of graph.nodes) {
    const layer = node.outboundLayer;
    if (node.inputTensors.length !== 1 || node.inputTensors[0] !== prev || node.outputTensors.length !== 1) return 'the layers are not a chain';
    if (graph.activityRegularized.has(layer)) return `layer "${layer.name}" has an activity regularizer`;
    if (layer.className === 'Flatten') {
      // a row-major reshape: the same memory
      flat = true;
    } else if (layer.className === 'Dense') {
      if (!flat) return `Dense layer "${layer.name}" gets an input of rank ${prev.shape.length}`;
      const d = layer as unknown as { kernel: Variable | null; bias: Variable | null; units: number; kernelRegularizer: unknown; biasRegularizer: unknown };
      if (!layer.trainable) return `layer "${layer.name}" is frozen`;
      if (d.kernelRegularizer || d.biasRegularizer) return `layer "${layer.name}" has a weight regularizer`;
      if (!d.kernel || d.kernel.dtype !== 'float32') return `layer "${layer.name}" is not built with float32 weights`;
      const vars = [d.kernel, ...(d.bias ? [d.bias] : [])];
      if (layer.weights.length !== vars.length || vars.some((v) => !layer.trainableWeights.includes(v))) return `layer "${layer.name}" has other weights`;
      if (vars.some((v) => variableConstraint(v) !== null)) return `layer "${layer.name}" has a weight constraint`;
      const act = activationNameOf(layer) ?? '';
      if (!ACTIVATIONS.includes(act)) return `layer "${layer.name}" has activation "${act}"`;
      if (d.kernel.shape[0] !== width) return `layer "${layer.name}" expects ${d.kernel.shape[0]} inputs, gets ${width}`;
      layers.push({ layer, kernel: d.kernel, bias: d.bias, inDim: width, units: d.units, activation: act as PlanActivation });
      width = d.units;
    } else {
      return `layer "${layer.name}" (${layer.className}) has no compiled form`;
    }
    prev = node.outputTensors[0];
  }
  if (layers.length === 0 || prev !== graph.outputs[0]) return 'the model has no Dense layer';
  if (layers.slice(0, -1).some((l) => l.activation === 'softmax')) return 'a hidden layer has a softmax activation';
  const seen = new Set<Variable>();
  for (const l of layers) for (const v of [l.kernel, l.bias]) if (v) {
    if (seen.has(v)) return 'layers share weights';
    seen.add(v);
  }
  const loss = lossOf(bound, layers[layers.length - 1]);
  if (typeof loss === 'string') return loss;
  const optimizer = optimizerOf(bound);
  if (typeof optimizer === 'string') return optimizer;
  return { layers, loss, optimizer, inputSize };
}

function lossOf(bound: BoundCompile, last: PlanLayer): PlanLoss | string {
  const out = bound.outputs[0];
  if (out.metrics.length > 0) return 'metrics are compiled';
  if (out.lossWeight !== 1) return 'the loss has a weight';
  const cls = out.loss.className;
  const cfg = out.loss.getConfig() as { reduction?: string; fromLogits?: boolean; labelSmoothing?: number };
  const reduction = cfg.reduction;
  if (reduction !== 'mean' && reduction !== 'sum') return `the loss reduction is ${String(reduction)}`;
  if (cls === 'CategoricalCrossentropy' || cls === 'SparseCategoricalCrossentropy') {
    if (cfg.labelSmoothing) return 'the loss has label smoothing';
    const logits = cfg.fromLogits === true;
    if (logits ? last.activation !== 'linear' : last.activation !== 'softmax') {
      return `${cls} with fromLogits ${logits} after a ${last.activation} output`;
    }
    last.activation = 'linear'; // the loss takes the logits
    return { kind: 'softmax_ce', sparse: cls === 'SparseCategoricalCrossentropy', reduction };
  }
  if (cls === 'MeanSquaredError') return { kind: 'mse', sparse: false, reduction };
  return `the loss ${cls} has no compiled form`;
}

function optimizerOf(bound: BoundCompile): PlanOptimizer | string {
  const o = bound.optimizer as unknown as PlanOptimizerObject;
  const cls = o.className;
  if (typeof o.build !== 'function' || typeof o.getSlotNames !== 'function' || !('learningRateSchedule' in o)) return `the optimizer ${cls} is not one of @neurona/optimizers`;
  if (cls === 'SGD') {
    if (typeof o.momentum !== 'number') return 'the SGD optimizer has no momentum setting';
    return { kind: 'sgd', optimizer: o, slots: o.getSlotNames() };
  }
  if (cls === 'Adam' || cls === 'AdamW') {
    if (o.amsgrad) return 'Adam with amsgrad has no compiled form';
    return { kind: 'adam', optimizer: o, slots: o.getSlotNames() };
  }
  return `the optimizer ${cls} has no compiled form`;
}
