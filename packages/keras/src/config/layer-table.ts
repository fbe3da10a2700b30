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
  /** neurona options (camelCase) not written, because Keras's class refuses them (its `__init__` lacks them). */
  writeOmit?: readonly string[];
  /** Options of `GLOBAL_INERT` this class has itself: dropped at their inert value, otherwise kept. */
  keeps?: readonly string[];
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
  // Keras's Discretization takes no `trainable` (its constructor has no **kwargs)
  Discretization: { writeOmit: ['trainable'] },
  // Keras's StringLookup config carries IndexLookup's oov_method (always floormod for strings)
  StringLookup: { inert: { oovMethod: (v) => v === 'floormod' || v === null }, writeExtra: { oov_method: 'floormod' } },
  // The attention layers keep their weights in their EinsumDense sublayers' groups
  // (`<layer>/query_dense/vars`, ...: Keras saves the sublayer attributes without the underscore).
  MultiHeadAttention: { weightGroups: attentionGroups },
  GroupedQueryAttention: { weightGroups: attentionGroups },
  // issue 11 (vision, part B)
  BatchNormalization: {
    inert: { synchronized: isFalse, renorm: isFalse, renormClipping: isNull, renormMomentum: () => true },
    writeExtra: { synchronized: false },
  },
  LayerNormalization: { inert: { rmsScaling: isFalse }, writeExtra: { rms_scaling: false } },
  // Keras's SpatialDropout __init__ takes rate, seed, name and dtype only
  SpatialDropout1D: { writeOmit: ['trainable'] },
  SpatialDropout2D: { writeOmit: ['trainable'], keeps: ['dataFormat'] },
  SpatialDropout3D: { writeOmit: ['trainable'], keeps: ['dataFormat'] },
  ZeroPadding1D: { keeps: ['dataFormat'] },
  ZeroPadding2D: { keeps: ['dataFormat'] },
  ZeroPadding3D: { keeps: ['dataFormat'] },
  Cropping2D: { keeps: ['dataFormat'] },
  Cropping3D: { keeps: ['dataFormat'] },
  UpSampling2D: { keeps: ['dataFormat'] },
  UpSampling3D: { keeps: ['dataFormat'] },
  Resizing: { keeps: ['dataFormat'] },
  CenterCrop: { keeps: ['dataFormat'] },
  RandomFlip: { keeps: ['dataFormat'] },
  RandomRotation: { keeps: ['dataFormat'] },
  RandomTranslation: { keeps: ['dataFormat'] },
  RandomZoom: { keeps: ['dataFormat'] },
  RandomContrast: { keeps: ['dataFormat'] },
  RandomCrop: { keeps: ['dataFormat'] },
  // Keras's convolution layers write activity_regularizer even when it is null (their get_config
  // names it); neurona's getConfig leaves it out then
  ...Object.fromEntries(
    [
      'Conv1D', 'Conv2D', 'Conv3D', 'Conv1DTranspose', 'Conv2DTranspose', 'Conv3DTranspose',
      'DepthwiseConv1D', 'DepthwiseConv2D', 'SeparableConv1D', 'SeparableConv2D',
    ].map((c): [string, LayerRule] => [c, { writeExtra: { activity_regularizer: null } }]),
  ),
};

/** Groups of a (grouped-query) multi-head attention: 4 projections, or 5 with the gate. */
function attentionGroups(weightCount: number): { path: string; count: number }[] {
  const withGate = weightCount === 5 || weightCount === 10 || weightCount === Number.MAX_SAFE_INTEGER;
  const names = withGate ? ['query_dense', 'key_dense', 'gate_dense', 'value_dense', 'output_dense'] : ['query_dense', 'key_dense', 'value_dense', 'output_dense'];
  const per = weightCount === Number.MAX_SAFE_INTEGER ? 2 : weightCount / names.length;
  return names.map((n) => ({ path: `${n}/vars`, count: per }));
}
// Recurrent layers keep their weights in their cell (Keras's saving_lib walks the `cell`
// attribute): `layers/lstm/cell/vars/0..2`. tf.keras 2 wrote `implementation` and `time_major`.
const cellVars = (n: number) => [{ path: 'cell/vars', count: n }];
const RECURRENT: LayerRule = {
  weightGroups: cellVars,
  inert: { implementation: (v) => v === 1 || v === 2 || v === null, timeMajor: isFalse },
};
Object.assign(LAYER_RULES, {
  LSTM: RECURRENT,
  GRU: RECURRENT,
  SimpleRNN: RECURRENT,
  ConvLSTM1D: RECURRENT,
  ConvLSTM2D: RECURRENT,
  // a single cell (a stack of cells keeps its weights under cell/cells/<cell class>/vars: not written)
  RNN: { weightGroups: cellVars, inert: { timeMajor: isFalse } },
  // forward layer's weights, then the backward layer's, each in its cell
  Bidirectional: {
    weightGroups: (n: number) => [
      { path: 'forward_layer/cell/vars', count: n / 2 },
      { path: 'backward_layer/cell/vars', count: n / 2 },
    ],
  },
  TimeDistributed: { weightGroups: (n: number) => [{ path: 'layer/vars', count: n }] },
  // Keras 2's input_length (Keras 3 warns and ignores it)
  Embedding: { inert: { inputLength: () => true } },
} satisfies Record<string, LayerRule>);

/** The rule of a class (an empty one when it has no exceptions). */
export function ruleOf(className: string): LayerRule {
  return Object.prototype.hasOwnProperty.call(LAYER_RULES, className) ? LAYER_RULES[className] : {};
}
