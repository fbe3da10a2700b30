// Whether a model's training step can run as a compiled plan (conv and pooling steps, see
// conv-analyze.ts, then a dense chain), and its description if so.
// Anything not recognized exactly gives a reason and fit keeps the tape path.
import { variableConstraint } from '@neurona/tensor';
import type { Variable } from '@neurona/tensor';
import type { Layer } from '@neurona/layers';
import type { PlanActivation, PlanMetricKind } from '@neurona/kernels';
import type { Metric } from '@neurona/metrics';
import type { BoundCompile } from '../compile';
import type { Graph } from '../graph';
import { activationNameOf } from '../graph';
import { hasMaskKey } from './dropout-draw';

/** One Dense layer of the chain. */
export interface PlanLayer {
  layer: Layer;
  kernel: Variable;
  bias: Variable | null;
  inDim: number;
  units: number;
  /** The activation the plan applies after the product (the last layer's softmax is the loss's). */
  activation: PlanActivation;
  /** False for a frozen layer (`trainable = false`): no update, but the gradient flows through it. */
  trainable: boolean;
  /** Keras's L1/L2 penalties of the kernel and the bias, or null. */
  kernelPenalty: Penalty | null;
  biasPenalty: Penalty | null;
  /** A Dropout layer after this one (its output is what the next layer reads), or null. */
  dropout: { layer: Layer; rate: number } | null;
}

/** The factors of an L1/L2 regularizer. */
export interface Penalty {
  l1: number;
  l2: number;
}

/** The loss, in the plan's terms. */
export interface PlanLoss {
  kind: 'softmax_ce' | 'sigmoid_ce' | 'mse';
  /** Targets are class indices (sparse categorical cross-entropy). */
  sparse: boolean;
  reduction: 'mean' | 'sum';
  /**
   * True when the loss takes logits and the model's output is the sigmoid or softmax of them:
   * the loss pass replaces the logits by the probabilities (the output, which the metrics read).
   */
  probabilities: boolean;
}

/** A compiled metric the plan computes from the output rows. */
export interface PlanMetric {
  /** Its History key. */
  key: string;
  /** The metric object the epoch's state is merged into (so `model.metrics` report it). */
  metric: Metric;
  kind: PlanMetricKind;
  threshold?: number;
}

/** The optimizer settings the fused update needs. */
export interface PlanOptimizer {
  kind: 'sgd' | 'adam' | 'rmsprop' | 'adagrad';
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
  readonly rho?: number;
  readonly centered?: boolean;
  build(variables: Variable[]): void;
  getSlotNames(): string[];
}

/** A Conv2D layer before the dense chain (channels-last, groups 1, dilation 1). */
export interface PlanConv {
  kind: 'conv';
  layer: Layer;
  kernel: Variable;
  bias: Variable | null;
  /** Input `[H, W, cin]`, kernel `[KH, KW]`, strides, padding before, output `[OH, OW, O]`. */
  H: number; W: number; cin: number;
  KH: number; KW: number; sh: number; sw: number; ph: number; pw: number;
  OH: number; OW: number; O: number;
  activation: PlanActivation;
  trainable: boolean;
  kernelPenalty: Penalty | null;
  biasPenalty: Penalty | null;
}

/** A MaxPooling2D or AveragePooling2D layer before the dense chain (channels-last). */
export interface PlanPool {
  kind: 'pool';
  layer: Layer;
  max: boolean;
  /** Input `[H, W, C]`, window, strides, padding before, output `[OH, OW]`. */
  H: number; W: number; C: number;
  kh: number; kw: number; sh: number; sw: number; ph: number; pw: number;
  OH: number; OW: number;
}

/** One step of the convolutional part of a plan (images in, the Flatten's rows out). */
export type PlanFeature = PlanConv | PlanPool;

/** A model's training step as a dense plan. */
export interface PlanSpec {
  /** Conv and pooling steps on the input images before the Flatten (empty for a dense model). */
  features: PlanFeature[];
  /** A Dropout between the Flatten of `features` and the first Dense layer, or null. */
  featureDropout: { layer: Layer; rate: number } | null;
  layers: PlanLayer[];
  loss: PlanLoss;
  metrics: PlanMetric[];
  optimizer: PlanOptimizer;
  /** Features per sample of the (flattened) input. */
  inputSize: number;
}

/** The activations a plan applies after a product. */
export const ACTIVATIONS: readonly string[] = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'];

/** The class names of the layers a plan runs as conv/pool steps (`conv-analyze.ts` reads them; loaded only for a model with one). */
export const FEATURE_LAYERS: readonly string[] = ['Conv2D', 'MaxPooling2D', 'AveragePooling2D'];

/** A conv or pooling layer as a plan step from its input and output shapes, or why not (`featureOf` of conv-analyze.ts). */
export type FeatureOf = (layer: Layer, inShape: readonly (number | null)[], outShape: readonly (number | null)[]) => PlanFeature | string;

/**
 * The plan for `graph` compiled as `bound`, or the reason it cannot be compiled. `featureOf`
 * reads conv and pooling layers (null: a model with one falls back to the tape).
 */
export function analyzePlan(graph: Graph, bound: BoundCompile, featureOf: FeatureOf | null = null): PlanSpec | string {
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) return 'the model has several inputs or outputs';
  const layers: PlanLayer[] = [];
  let prev = graph.inputs[0];
  const inShape = prev.shape;
  if (inShape.slice(1).some((d) => d === null)) return 'the input shape is not fully known';
  const inputSize = inShape.slice(1).reduce<number>((a, b) => a * (b as number), 1);
  let width = inputSize;
  let flat = inShape.length === 2;
  const features: PlanFeature[] = [];
  let featureDropout: PlanSpec['featureDropout'] = null;
  // the output of the latest Dense layer (a Dropout must read it directly) and of the Flatten after convolutions
  let denseOut: unknown = null;
  let flattenOut: unknown = null;
  for (const node of graph.nodes) {
    const layer = node.outboundLayer;
    if (node.inputTensors.length !== 1 || node.inputTensors[0] !== prev || node.outputTensors.length !== 1) return 'the layers are not a chain';
    if (graph.activityRegularized.has(layer)) return `layer "${layer.name}" has an activity regularizer`;
    if (!flat && layers.length === 0 && featureOf && FEATURE_LAYERS.includes(layer.className)) {
      const f = featureOf(layer, prev.shape, node.outputTensors[0].shape);
      if (typeof f === 'string') return f;
      features.push(f);
    } else if (layer.className === 'Flatten') {
      // a row-major reshape: the same memory
      flat = true;
      if (features.length > 0) {
        flattenOut = node.outputTensors[0];
        width = (prev.shape.slice(1) as number[]).reduce((a, b) => a * b, 1);
      }
    } else if (layer.className === 'Dropout' && prev === flattenOut && flattenOut !== null && layers.length === 0) {
      const r = layer as unknown as { rate: number; noiseShape: unknown };
      if (r.noiseShape !== null && r.noiseShape !== undefined) return `Dropout layer "${layer.name}" has a noiseShape`;
      if (!hasMaskKey(layer)) return `Dropout layer "${layer.name}" has no nextMaskKey (the plan draws counter-based masks)`;
      if (featureDropout) return `Dropout layer "${layer.name}" follows another Dropout`;
      if (r.rate > 0) featureDropout = { layer, rate: r.rate };
      flattenOut = node.outputTensors[0]; // a second Dropout is refused above
    } else if (layer.className === 'Dense') {
      if (!flat) return `Dense layer "${layer.name}" gets an input of rank ${prev.shape.length}`;
      const d = layer as unknown as { kernel: Variable | null; bias: Variable | null; units: number; kernelRegularizer: unknown; biasRegularizer: unknown };
      const kernelPenalty = penaltyOf(d.kernelRegularizer);
      const biasPenalty = penaltyOf(d.biasRegularizer);
      if (typeof kernelPenalty === 'string' || typeof biasPenalty === 'string') return `layer "${layer.name}" has a ${String(typeof kernelPenalty === 'string' ? kernelPenalty : biasPenalty)} regularizer (the plan knows L1, L2 and L1L2)`;
      if (!d.kernel || d.kernel.dtype !== 'float32') return `layer "${layer.name}" is not built with float32 weights`;
      const vars = [d.kernel, ...(d.bias ? [d.bias] : [])];
      const own = layer.trainable ? layer.trainableWeights : layer.nonTrainableWeights;
      if (layer.weights.length !== vars.length || vars.some((v) => !own.includes(v))) return `layer "${layer.name}" has other weights`;
      if (vars.some((v) => variableConstraint(v) !== null)) return `layer "${layer.name}" has a weight constraint`;
      const act = activationNameOf(layer) ?? '';
      if (!ACTIVATIONS.includes(act)) return `layer "${layer.name}" has activation "${act}"`;
      if (d.kernel.shape[0] !== width) return `layer "${layer.name}" expects ${d.kernel.shape[0]} inputs, gets ${width}`;
      layers.push({
        layer, kernel: d.kernel, bias: d.bias, inDim: width, units: d.units, activation: act as PlanActivation,
        trainable: layer.trainable, kernelPenalty, biasPenalty, dropout: null,
      });
      width = d.units;
      denseOut = node.outputTensors[0];
    } else if (layer.className === 'Dropout') {
      const r = layer as unknown as { rate: number; noiseShape: unknown };
      const last = layers[layers.length - 1];
      if (!last || prev !== denseOut) return `Dropout layer "${layer.name}" does not follow a Dense layer`;
      if (r.noiseShape !== null && r.noiseShape !== undefined) return `Dropout layer "${layer.name}" has a noiseShape`;
      if (!hasMaskKey(layer)) return `Dropout layer "${layer.name}" has no nextMaskKey (the plan draws counter-based masks)`;
      if (r.rate > 0) last.dropout = { layer, rate: r.rate };
    } else {
      return `layer "${layer.name}" (${layer.className}) has no compiled form`;
    }
    prev = node.outputTensors[0];
  }
  if (layers.length === 0 || prev !== graph.outputs[0]) return 'the model has no Dense layer';
  if (layers[layers.length - 1].dropout) return 'the output layer is followed by Dropout';
  if (!layers.some((l) => l.trainable) && !features.some((f) => f.kind === 'conv' && f.trainable)) return 'no layer is trainable';
  if (layers.slice(0, -1).some((l) => l.activation === 'softmax')) return 'a hidden layer has a softmax activation';
  const seen = new Set<Variable>();
  for (const l of [...features.filter((f): f is PlanConv => f.kind === 'conv'), ...layers]) for (const v of [l.kernel, l.bias]) if (v) {
    if (seen.has(v)) return 'layers share weights';
    seen.add(v);
  }
  const loss = lossOf(bound, layers[layers.length - 1]);
  if (typeof loss === 'string') return loss;
  const metrics = metricsOf(bound, loss, layers[layers.length - 1].units);
  if (typeof metrics === 'string') return metrics;
  const optimizer = optimizerOf(bound);
  if (typeof optimizer === 'string') return optimizer;
  return { features, featureDropout, layers, loss, metrics, optimizer, inputSize };
}

/** The factors of a built-in L1/L2/L1L2 regularizer, null for none, or its class name when it is another. */
export function penaltyOf(r: unknown): Penalty | null | string {
  if (r === null || r === undefined) return null;
  const reg = r as { className?: unknown; getConfig?: () => Record<string, number> };
  const cls = String(reg.className);
  if (!['L1', 'L2', 'L1L2'].includes(cls) || typeof reg.getConfig !== 'function') return cls;
  const c = reg.getConfig();
  return { l1: c.l1 ?? 0, l2: c.l2 ?? 0 };
}

const METRIC_KINDS: Record<string, PlanMetricKind> = {
  CategoricalAccuracy: 'categorical_accuracy',
  SparseCategoricalAccuracy: 'sparse_categorical_accuracy',
  BinaryAccuracy: 'binary_accuracy',
  MeanSquaredError: 'mean_squared_error',
  MeanAbsoluteError: 'mean_absolute_error',
};

/** The compiled metrics in the plan's terms (Keras has already resolved `'accuracy'` by loss and output), or why not. */
function metricsOf(bound: BoundCompile, loss: PlanLoss, units: number): PlanMetric[] | string {
  const out: PlanMetric[] = [];
  for (const m of bound.outputs[0].metrics) {
    const cls = m.metric.className;
    const kind = METRIC_KINDS[cls];
    if (!kind) return `the metric ${cls} has no compiled form`;
    if (kind === 'sparse_categorical_accuracy' ? !loss.sparse : loss.sparse) return `${cls} with ${loss.sparse ? 'class-index' : 'one-hot'} targets`;
    // the output rows hold probabilities after a logits loss: only a class choice reads the same
    if (loss.kind === 'softmax_ce' && !loss.probabilities && !kind.endsWith('categorical_accuracy')) return `${cls} on logits`;
    if (kind === 'binary_accuracy' && units < 1) return `${cls} on an empty output`;
    const threshold = kind === 'binary_accuracy' ? (m.metric as unknown as { threshold?: number }).threshold : undefined;
    if (kind === 'binary_accuracy' && typeof threshold !== 'number') return `${cls} without a threshold`;
    out.push({ key: m.key, metric: m.metric, kind, ...(threshold !== undefined ? { threshold } : {}) });
  }
  return out;
}

function lossOf(bound: BoundCompile, last: PlanLayer): PlanLoss | string {
  const out = bound.outputs[0];
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
    return { kind: 'softmax_ce', sparse: cls === 'SparseCategoricalCrossentropy', reduction, probabilities: !logits };
  }
  if (cls === 'BinaryCrossentropy') {
    if (cfg.labelSmoothing) return 'the loss has label smoothing';
    const logits = cfg.fromLogits === true;
    // a sigmoid output carries its logits (Keras's _keras_logits): the loss is the stable form on them
    if (logits ? last.activation !== 'linear' : last.activation !== 'sigmoid') return `${cls} with fromLogits ${logits} after a ${last.activation} output`;
    last.activation = 'linear';
    return { kind: 'sigmoid_ce', sparse: false, reduction, probabilities: !logits };
  }
  if (cls === 'MeanSquaredError') return { kind: 'mse', sparse: false, reduction, probabilities: false };
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
  if (cls === 'Adam' || cls === 'AdamW') return { kind: 'adam', optimizer: o, slots: o.getSlotNames() };
  if (cls === 'RMSprop') {
    if (typeof o.rho !== 'number' || typeof o.momentum !== 'number' || typeof o.centered !== 'boolean') return 'the RMSprop optimizer lacks rho, momentum or centered';
    return { kind: 'rmsprop', optimizer: o, slots: o.getSlotNames() };
  }
  if (cls === 'Adagrad') return { kind: 'adagrad', optimizer: o, slots: o.getSlotNames() };
  return `the optimizer ${cls} has no compiled form`;
}
