import type { Layer } from '@neurona/layers';
import type { Finding } from './finding';
import { activationNameOf, safeConfig } from './graph';
import type { LayersModel } from './model';
import type { BatchSize } from './validate';
import { canonicalLossName } from './compile';

export type { Finding } from './finding';

/** The fit settings the advisor looks at (what was passed to `fit`, not the defaults). */
export interface AdviseOptions {
  batchSize?: BatchSize;
  epochs?: number;
}

const RELU_FAMILY = new Set(['relu', 'relu6', 'leaky_relu', 'prelu', 'elu', 'selu', 'gelu', 'swish', 'silu']);
const SATURATING = new Set(['sigmoid', 'tanh', 'hard_sigmoid']);
const PROBABILITY = new Set(['softmax', 'sigmoid']);
const REGRESSION_LOSSES = new Set([
  'mean_squared_error', 'mean_absolute_error', 'mean_absolute_percentage_error', 'mean_squared_logarithmic_error', 'huber', 'log_cosh',
]);
const CROSS_ENTROPY = new Set(['binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy']);

/** Usual learning-rate ranges and Keras defaults per optimizer class. */
const LR_TABLE: Record<string, { low: number; high: number; default: number }> = {
  SGD: { low: 1e-4, high: 1, default: 0.01 },
  Adam: { low: 1e-5, high: 1e-2, default: 0.001 },
  AdamW: { low: 1e-5, high: 1e-2, default: 0.001 },
  Adamax: { low: 1e-5, high: 1e-2, default: 0.001 },
  Nadam: { low: 1e-5, high: 1e-2, default: 0.001 },
  RMSprop: { low: 1e-5, high: 1e-2, default: 0.001 },
  Adagrad: { low: 1e-4, high: 1, default: 0.001 },
};

// Layers that only apply an activation: a linear Dense followed by one of these has its activation.
const ACTIVATION_LAYERS: Record<string, string> = { ReLU: 'relu', LeakyReLU: 'leaky_relu', PReLU: 'prelu', ELU: 'elu', Softmax: 'softmax' };

function activationLayerName(layer: Layer): string | undefined {
  if (layer.className in ACTIVATION_LAYERS) return ACTIVATION_LAYERS[layer.className];
  if (layer.className === 'Activation') return activationNameOf(layer);
  return undefined;
}

function baseName(a: string | undefined): string {
  return (a ?? 'linear').replace(/\(.*\)$/, '');
}

/** The kernel initializer's class name and (for Constant) value, when the layer has one. */
function kernelInit(layer: Layer): { className: string; value?: number } | null {
  const direct = (layer as unknown as { kernelInitializer?: { className?: unknown; getConfig?: () => Record<string, unknown> } }).kernelInitializer;
  if (direct && typeof direct.className === 'string') {
    const cfg = direct.getConfig?.() ?? {};
    return { className: direct.className, value: typeof cfg.value === 'number' ? cfg.value : undefined };
  }
  const cfg = safeConfig(layer).kernelInitializer as { className?: unknown; config?: { value?: unknown } } | string | undefined;
  if (typeof cfg === 'string') return { className: cfg };
  if (cfg && typeof cfg.className === 'string') {
    return { className: cfg.className, value: typeof cfg.config?.value === 'number' ? cfg.config.value : undefined };
  }
  return null;
}

function constantKind(init: { className: string; value?: number } | null): 'zeros' | 'ones' | 'constant' | null {
  if (!init) return null;
  const c = init.className.toLowerCase();
  if (c === 'zeros' || (c === 'constant' && init.value === 0)) return 'zeros';
  if (c === 'ones' || (c === 'constant' && init.value === 1)) return 'ones';
  if (c === 'constant') return 'constant';
  return null;
}

function units(layer: Layer): number | null {
  const u = (layer as unknown as { units?: unknown }).units;
  return typeof u === 'number' ? u : null;
}

interface Weighted {
  layer: Layer;
  /** The activation applied to its output (its own, or the activation layer right after it). */
  activation: string;
  isOutput: boolean;
}

/** Layers with a kernel, in order, with their effective activation. */
function weightedLayers(model: LayersModel): { weighted: Weighted[]; outputActivations: { name: string; activation: string; units: number | null }[] } {
  const layers = model.layers.filter((l) => l.className !== 'InputLayer');
  const built = model.built;
  const outputs = built ? model.outputs.map((t) => t.sourceLayer) : layers.slice(-1);
  // the layer fed only by `l` (a linear chain), to read a following activation layer
  const next = (l: Layer, i: number): Layer | undefined => {
    if (!built) return layers[i + 1];
    const consumers = l.outboundNodes.map((n) => n.outboundLayer).filter((c) => layers.includes(c));
    return consumers.length === 1 ? consumers[0] : undefined;
  };
  const weighted: Weighted[] = [];
  layers.forEach((l, i) => {
    if (activationLayerName(l) !== undefined || kernelInit(l) === null) return;
    let act = baseName(activationNameOf(l));
    let tail: Layer = l;
    let after = next(l, i);
    // Dense(linear) → Activation('relu') (→ Dropout...) counts as a ReLU layer
    while (act === 'linear' && after && (activationLayerName(after) !== undefined || after.className === 'Dropout')) {
      const a = activationLayerName(after);
      if (a !== undefined) act = baseName(a);
      tail = after;
      after = next(after, layers.indexOf(after));
    }
    weighted.push({ layer: l, activation: act, isOutput: outputs.includes(tail) || outputs.includes(l) });
  });
  // the activation producing each output: walk back through pass-through layers (Dropout, Reshape...)
  const previous = (l: Layer): Layer | undefined => {
    if (!built) return layers[layers.indexOf(l) - 1];
    const node = l.inboundNodes.find((n) => !n.isInput && n.inboundLayers.length === 1);
    return node?.inboundLayers[0];
  };
  const outputActivations = outputs.map((o) => {
    let cur: Layer | undefined = o;
    let act: string | undefined;
    let u: number | null = null;
    while (cur && cur.className !== 'InputLayer') {
      u ??= units(cur);
      act ??= activationLayerName(cur) ?? activationNameOf(cur);
      if (act !== undefined && u !== null) break;
      cur = previous(cur);
    }
    return { name: o.name, activation: baseName(act), units: u };
  });
  return { weighted, outputActivations };
}

function fmtList(names: string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

/**
 * The course's "Consejos" as checks on a model and its fit settings: activation/initializer
 * mismatches, saturating activations in deep stacks, output activation vs loss, learning rate out
 * of the usual range, batch size and learning rate changed one without the other, batch sizes that
 * are not powers of two. Returns the findings in plain words (and changes nothing).
 */
export function advise(model: LayersModel, fitOptions: AdviseOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const { weighted, outputActivations } = weightedLayers(model);
  const hidden = weighted.filter((w) => !w.isOutput);

  // activation and initialization are intimately linked
  for (const w of weighted) {
    const kind = constantKind(kernelInit(w.layer));
    if (!kind) continue;
    const init = kind === 'constant' ? `a constant` : `'${kind}'`;
    if (RELU_FAMILY.has(w.activation)) {
      findings.push({
        level: 'warning',
        code: 'relu-constant-init',
        message:
          `Layer "${w.layer.name}" uses ${w.activation} with kernelInitializer ${init}: every unit starts identical and gets ` +
          `the same update (symmetry)${kind === 'zeros' ? ', and with zero weights the ReLU gradient is zero' : ''}, so the ` +
          `network may never start training. Use the default 'glorot_uniform', or 'he_normal' (made for ReLU).`,
      });
    } else if ((units(w.layer) ?? 2) > 1) {
      findings.push({
        level: 'warning',
        code: 'constant-init',
        message:
          `Layer "${w.layer.name}" initializes its kernel to ${init}: all its units start identical and stay copies of ` +
          `each other (symmetry). Use a random initializer such as the default 'glorot_uniform'.`,
      });
    }
  }

  // sigmoid/tanh in hidden layers
  const saturating = hidden.filter((w) => SATURATING.has(w.activation));
  if (saturating.length > 0 && hidden.length >= 3) {
    findings.push({
      level: 'warning',
      code: 'vanishing-gradients',
      message:
        `${hidden.length} hidden layers with ${[...new Set(saturating.map((w) => w.activation))].join('/')} in ` +
        `${fmtList(saturating.map((w) => w.layer.name))}: in deep stacks these saturate and the gradients vanish. ` +
        `Use ReLU-family activations (relu, leaky_relu, elu) for hidden layers.`,
    });
  } else if (saturating.length > 0) {
    findings.push({
      level: 'info',
      code: 'saturating-hidden-activation',
      message:
        `Hidden layer${saturating.length > 1 ? 's' : ''} ${fmtList(saturating.map((w) => w.layer.name))} use ` +
        `${[...new Set(saturating.map((w) => w.activation))].join('/')}; ReLU-family activations usually train faster in hidden layers.`,
    });
  }

  // output activation vs loss
  const losses = model.isCompiled && model.built ? model.lossFunctions : null;
  if (losses) {
    for (const o of losses) {
      const out = outputActivations[o.index];
      if (!out) continue;
      const act = out.activation;
      const lossName = canonicalLossName(o.loss);
      const fromLogits = o.loss.getConfig().fromLogits === true;
      const where = `Output "${out.name}"`;
      if (act === 'softmax' && (out.units ?? 2) === 1) {
        findings.push({
          level: 'warning',
          code: 'softmax-single-unit',
          message: `${where} has one unit with softmax: softmax over one value is always 1, so nothing is learned. For a binary problem use sigmoid with 'binary_crossentropy', or 2 units with softmax.`,
        });
      }
      if (act === 'softmax' && lossName === 'binary_crossentropy') {
        findings.push({
          level: 'warning',
          code: 'softmax-binary-crossentropy',
          message: `${where} uses softmax with 'binary_crossentropy': softmax is for one label among several classes (use 'categorical_crossentropy'); for independent yes/no labels (binary or multi-label) use sigmoid.`,
        });
      }
      if (act === 'sigmoid' && (lossName === 'categorical_crossentropy' || lossName === 'sparse_categorical_crossentropy')) {
        findings.push({
          level: 'warning',
          code: 'sigmoid-categorical-crossentropy',
          message: `${where} uses sigmoid with '${lossName}': categorical cross-entropy expects probabilities that sum to 1. Use softmax for single-label multi-class, or keep sigmoid with 'binary_crossentropy' for multi-label.`,
        });
      }
      if (act === 'linear' && CROSS_ENTROPY.has(lossName) && !fromLogits) {
        findings.push({
          level: 'warning',
          code: 'linear-crossentropy',
          message: `${where} has no activation (linear) but the loss '${lossName}' expects probabilities. Add activation '${lossName === 'binary_crossentropy' ? 'sigmoid' : 'softmax'}' to the last layer, or create the loss with fromLogits: true.`,
        });
      }
      if (PROBABILITY.has(act) && CROSS_ENTROPY.has(lossName) && fromLogits) {
        findings.push({
          level: 'warning',
          code: 'probabilities-from-logits',
          message: `${where} already applies ${act} but the loss has fromLogits: true, so ${act} is applied twice. Remove the activation or set fromLogits: false.`,
        });
      }
      if (PROBABILITY.has(act) && REGRESSION_LOSSES.has(lossName)) {
        findings.push({
          level: 'warning',
          code: 'probability-output-regression',
          message: `${where} uses ${act} with the regression loss '${lossName}': ${act} squeezes the predictions into (0, 1). For regression use a linear output (no activation); for classification use a cross-entropy loss.`,
        });
      }
    }
  }

  // learning rate and batch size
  const opt = model.optimizer;
  const table = opt ? LR_TABLE[opt.className] : undefined;
  let lr: number | null = null;
  if (opt) {
    try {
      lr = opt.learningRate;
    } catch {
      lr = null;
    }
  }
  if (opt && table && lr !== null) {
    if (lr > table.high) {
      findings.push({
        level: 'warning',
        code: 'learning-rate-high',
        message: `Learning rate ${lr} is above the usual range for ${opt.className} (${table.low} to ${table.high}): the loss may jump around or turn NaN. Try ${table.default}.`,
      });
    } else if (lr < table.low) {
      findings.push({
        level: 'warning',
        code: 'learning-rate-low',
        message: `Learning rate ${lr} is below the usual range for ${opt.className} (${table.low} to ${table.high}): training will crawl. Try ${table.default}.`,
      });
    }
  }
  const bs = fitOptions.batchSize;
  const configuredLr = opt?.getConfig().learningRate;
  const lrIsDefault = table !== undefined && typeof configuredLr === 'number' && configuredLr === table.default;
  if (opt && table && typeof configuredLr === 'number') {
    if (bs !== undefined && bs !== 32 && lrIsDefault) {
      const what = bs === 'full' ? 'full-batch gradient descent' : bs === 1 ? 'batch size 1 (pure SGD)' : `batch size ${bs}`;
      findings.push({
        level: 'info',
        code: 'batch-size-without-learning-rate',
        message:
          `You chose ${what} but kept ${opt.className}'s default learning rate ${table.default}. Batch size and learning rate ` +
          `are intimately linked: larger batches usually take a larger learning rate, smaller batches a smaller one.`,
      });
    } else if ((bs === undefined || bs === 32) && !lrIsDefault) {
      findings.push({
        level: 'info',
        code: 'learning-rate-without-batch-size',
        message:
          `You changed the learning rate to ${configuredLr} (${opt.className}'s default is ${table.default}) but kept the default ` +
          `batch size 32. They are intimately linked: tune them together.`,
      });
    }
  }
  if (typeof bs === 'number' && bs > 1 && (bs & (bs - 1)) !== 0) {
    const lower = 2 ** Math.floor(Math.log2(bs));
    findings.push({
      level: 'info',
      code: 'batch-size-not-power-of-two',
      message: `Batch size ${bs} is not a power of two; powers of two (${lower}, ${lower * 2}) are customary and often use the hardware better.`,
    });
  }
  return findings;
}
