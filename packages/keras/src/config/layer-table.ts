// The per-class exceptions of the layer translation. Every option both libraries share needs no
// entry (snake_case ↔ camelCase does it); a layer added to neurona later needs an entry only
// where Keras names an option differently, writes an option neurona lacks, or keeps its
// weights somewhere else than `vars` in a .keras file.
import type { JsonObject, JsonValue } from './json';

/** How one layer class differs from the generic translation. */
export interface LayerRule {
  /** Keras option (camelCase) → neurona option, when reading. */
  readRename?: Record<string, string>;
  /** neurona option (camelCase) → Keras option (snake_case), when writing. */
  writeRename?: Record<string, string>;
  /** Keras-only options, accepted (and dropped) when the test passes, refused otherwise. */
  inert?: Record<string, (v: JsonValue) => boolean>;
  /** The only options neurona reads for this class (for classes that would ignore others silently). */
  accepts?: readonly string[];
  /** Options Keras writes that neurona does not have, with the value neurona's layer implies. */
  writeExtra?: JsonObject;
  /**
   * Where the layer's weights live in a `.keras` weights file, relative to the layer's path, with
   * how many of the layer's weights (in order) each holds. Default: all in `vars`.
   */
  weightGroups?: (weightCount: number) => { path: string; count: number }[];
}

const isNull = (v: JsonValue): boolean => v === null;
const isFalse = (v: JsonValue): boolean => v === false || v === null;

/** Keras-only options every layer may carry, inert at these values. */
export const GLOBAL_INERT: Record<string, (v: JsonValue) => boolean> = {
  loraRank: isNull,
  loraAlpha: () => true,
  quantizationConfig: isNull,
  sparse: isFalse,
  ragged: isFalse,
  optional: isFalse,
  autocast: (v) => v === true || v === null,
  inputDtype: () => true,
  dataFormat: (v) => v === 'channels_last' || v === null,
};

/** Keras 1 option names (Keras 1.x `.h5` files) and what they are now. */
export const KERAS1_RENAME: Record<string, string> = {
  outputDim: 'units',
  init: 'kernelInitializer',
  WRegularizer: 'kernelRegularizer',
  bRegularizer: 'biasRegularizer',
  WConstraint: 'kernelConstraint',
  bConstraint: 'biasConstraint',
  bias: 'useBias',
};

/** The exceptions, by Keras class name. */
export const LAYER_RULES: Record<string, LayerRule> = {
  InputLayer: {
    accepts: ['name', 'dtype', 'batchShape', 'batchInputShape', 'shape', 'batchSize', 'inputShape'],
    writeExtra: { sparse: false, ragged: false },
  },
  Dense: { writeExtra: { kernel_constraint: null, bias_constraint: null } },
  PReLU: { writeExtra: { alpha_constraint: null } },
  LeakyReLU: { writeRename: { alpha: 'negative_slope' } },
  Flatten: { writeExtra: { data_format: 'channels_last' } },
  // Keras's convolution layers write activity_regularizer even when it is null (their get_config
  // names it); neurona's getConfig leaves it out then
  ...Object.fromEntries(
    [
      'Conv1D', 'Conv2D', 'Conv3D', 'Conv1DTranspose', 'Conv2DTranspose', 'Conv3DTranspose',
      'DepthwiseConv1D', 'DepthwiseConv2D', 'SeparableConv1D', 'SeparableConv2D',
    ].map((c): [string, LayerRule] => [c, { writeExtra: { activity_regularizer: null } }]),
  ),
};

/** The rule of a class (an empty one when it has no exceptions). */
export function ruleOf(className: string): LayerRule {
  return Object.prototype.hasOwnProperty.call(LAYER_RULES, className) ? LAYER_RULES[className] : {};
}
