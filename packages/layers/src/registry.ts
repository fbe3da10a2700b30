import { createRegistry, describeValue, type Registry, type RegisterOptions } from '@neurona/common';
import { ActivationLayer } from './activation';
import { AddLayer } from './add';
import { ConcatenateLayer } from './concatenate';
import { DenseLayer } from './dense';
import { DropoutLayer } from './dropout';
import { EmbeddingLayer } from './embedding';
import { MaskingLayer } from './masking';
import { SimpleRNNCellLayer } from './recurrent/simple-rnn-cell';
import { LSTMCellLayer } from './recurrent/lstm-cell';
import { GRUCellLayer } from './recurrent/gru-cell';
import { StackedRNNCellsLayer } from './recurrent/stacked-rnn-cells';
import { RNNLayer } from './recurrent/rnn';
import { GRULayer, LSTMLayer, SimpleRNNLayer } from './recurrent/recurrent-layers';
import { BidirectionalLayer } from './recurrent/bidirectional';
import { TimeDistributedLayer } from './recurrent/time-distributed';
import { ConvLSTM1DLayer, ConvLSTM2DLayer, ConvLSTMCellLayer } from './recurrent/conv-lstm';
import { ELULayer } from './elu';
import { FlattenLayer } from './flatten';
import { InputLayerClass } from './input-layer';
import type { Layer, LayerConfig, SerializedLayer } from './layer';
import { LeakyReLULayer } from './leaky-relu';
import { MaxoutLayer } from './maxout';
import { PReLULayer } from './prelu';
import { ReLULayer } from './relu';
import { ReshapeLayer } from './reshape';
import { SoftmaxLayer } from './softmax';
import { NormalizationLayer } from './preprocessing/normalization';
import { DiscretizationLayer } from './preprocessing/discretization';
import { CategoryEncodingLayer } from './preprocessing/category-encoding';
import { HashingLayer } from './preprocessing/hashing';
import { StringLookupLayer } from './preprocessing/string-lookup';
import { IntegerLookupLayer } from './preprocessing/integer-lookup';
import { TextVectorizationLayer } from './preprocessing/text-vectorization';
import { EinsumDenseLayer } from './einsum-dense';
import { MultiHeadAttentionLayer } from './attention/multi-head-attention';
import { GroupedQueryAttentionLayer } from './attention/grouped-query-attention';
import { AttentionLayer, AdditiveAttentionLayer } from './attention/attention';
import { ActivityRegularizationLayer } from './activity-regularization';
import { BatchNormalizationLayer } from './batch-normalization';
import { CenterCropLayer } from './center-crop';
import { Cropping1DLayer, Cropping2DLayer, Cropping3DLayer } from './cropping';
import { DotLayer } from './dot';
import { GroupNormalizationLayer } from './group-normalization';
import { IdentityLayer } from './identity';
import { LayerNormalizationLayer } from './layer-normalization';
import { AverageLayer, MaximumLayer, MinimumLayer, MultiplyLayer, SubtractLayer } from './merge';
import { AlphaDropoutLayer, GaussianDropoutLayer, GaussianNoiseLayer } from './noise';
import { PermuteLayer } from './permute';
import { RandomRotationLayer, RandomTranslationLayer, RandomZoomLayer } from './random-affine';
import { RandomContrastLayer } from './random-contrast';
import { RandomCropLayer } from './random-crop';
import { RandomFlipLayer } from './random-flip';
import { RepeatVectorLayer } from './repeat-vector';
import { RescalingLayer } from './rescaling';
import { ResizingLayer } from './resizing';
import { SpatialDropout1DLayer, SpatialDropout2DLayer, SpatialDropout3DLayer } from './spatial-dropout';
import { UnitNormalizationLayer } from './unit-normalization';
import { UpSampling1DLayer, UpSampling2DLayer, UpSampling3DLayer } from './up-sampling';
import { ZeroPadding1DLayer, ZeroPadding2DLayer, ZeroPadding3DLayer } from './zero-padding';
import { Conv1DLayer, Conv2DLayer, Conv3DLayer } from './conv';
import { Conv1DTransposeLayer, Conv2DTransposeLayer, Conv3DTransposeLayer } from './conv-transpose';
import { DepthwiseConv1DLayer, DepthwiseConv2DLayer } from './depthwise-conv';
import { SeparableConv1DLayer, SeparableConv2DLayer } from './separable-conv';
import {
  AveragePooling1DLayer,
  AveragePooling2DLayer,
  AveragePooling3DLayer,
  MaxPooling1DLayer,
  MaxPooling2DLayer,
  MaxPooling3DLayer,
} from './pooling';
import {
  GlobalAveragePooling1DLayer,
  GlobalAveragePooling2DLayer,
  GlobalAveragePooling3DLayer,
  GlobalMaxPooling1DLayer,
  GlobalMaxPooling2DLayer,
  GlobalMaxPooling3DLayer,
} from './global-pooling';

/** Rebuilds a layer from its `getConfig()`. */
export type LayerFromConfig = (config: LayerConfig) => Layer;

/**
 * A layer class `registerLayer` takes: a `Layer` subclass with Keras's class name as a static
 * `className` and, optionally, a static `fromConfig` (default: `new Class(config)`).
 */
export interface LayerClass {
  readonly className: string;
  readonly prototype: Layer;
  fromConfig?: LayerFromConfig;
  new (...args: never[]): Layer;
}

/**
 * Every layer class `deserializeLayer` knows, by Keras class name: the one registry
 * (`@neurona/common`), exact names as Keras. Add yours with `registerLayer`.
 */
export const registry: Registry<LayerFromConfig> = createRegistry<LayerFromConfig>('layers', {
  kind: 'layer class',
  plural: 'layer classes',
  registerName: 'registerLayer',
  loose: false,
});
for (const cls of [
  InputLayerClass,
  DenseLayer,
  FlattenLayer,
  ReshapeLayer,
  ActivationLayer,
  DropoutLayer,
  MaxoutLayer,
  LeakyReLULayer,
  PReLULayer,
  ELULayer,
  SoftmaxLayer,
  ReLULayer,
  ConcatenateLayer,
  AddLayer,
  NormalizationLayer,
  DiscretizationLayer,
  CategoryEncodingLayer,
  HashingLayer,
  StringLookupLayer,
  IntegerLookupLayer,
  TextVectorizationLayer,
  EinsumDenseLayer,
  MultiHeadAttentionLayer,
  GroupedQueryAttentionLayer,
  AttentionLayer,
  AdditiveAttentionLayer,
  // issue 11 (vision, part B): normalization, shape, regularization, merging, image preprocessing
  BatchNormalizationLayer,
  LayerNormalizationLayer,
  GroupNormalizationLayer,
  UnitNormalizationLayer,
  ZeroPadding1DLayer,
  ZeroPadding2DLayer,
  ZeroPadding3DLayer,
  Cropping1DLayer,
  Cropping2DLayer,
  Cropping3DLayer,
  UpSampling1DLayer,
  UpSampling2DLayer,
  UpSampling3DLayer,
  PermuteLayer,
  RepeatVectorLayer,
  IdentityLayer,
  SpatialDropout1DLayer,
  SpatialDropout2DLayer,
  SpatialDropout3DLayer,
  GaussianNoiseLayer,
  GaussianDropoutLayer,
  AlphaDropoutLayer,
  ActivityRegularizationLayer,
  MultiplyLayer,
  SubtractLayer,
  AverageLayer,
  MaximumLayer,
  MinimumLayer,
  DotLayer,
  RescalingLayer,
  ResizingLayer,
  CenterCropLayer,
  RandomFlipLayer,
  RandomRotationLayer,
  RandomTranslationLayer,
  RandomZoomLayer,
  RandomContrastLayer,
  RandomCropLayer,
  EmbeddingLayer,
  MaskingLayer,
  SimpleRNNCellLayer,
  LSTMCellLayer,
  GRUCellLayer,
  StackedRNNCellsLayer,
  RNNLayer,
  SimpleRNNLayer,
  LSTMLayer,
  GRULayer,
  BidirectionalLayer,
  TimeDistributedLayer,
  ConvLSTMCellLayer,
  ConvLSTM1DLayer,
  ConvLSTM2DLayer,
  Conv1DLayer,
  Conv2DLayer,
  Conv3DLayer,
  Conv1DTransposeLayer,
  Conv2DTransposeLayer,
  Conv3DTransposeLayer,
  DepthwiseConv1DLayer,
  DepthwiseConv2DLayer,
  SeparableConv1DLayer,
  SeparableConv2DLayer,
  MaxPooling1DLayer,
  MaxPooling2DLayer,
  MaxPooling3DLayer,
  AveragePooling1DLayer,
  AveragePooling2DLayer,
  AveragePooling3DLayer,
  GlobalMaxPooling1DLayer,
  GlobalMaxPooling2DLayer,
  GlobalMaxPooling3DLayer,
  GlobalAveragePooling1DLayer,
  GlobalAveragePooling2DLayer,
  GlobalAveragePooling3DLayer,
]) {
  registry.builtin(cls.className, cls.fromConfig);
}

// Duck-typed rather than `instanceof Layer`: a class built on another copy of this package (the
// CommonJS build beside the ESM one) is a layer class all the same.
function isLayerClass(x: unknown): x is LayerClass {
  if (typeof x !== 'function') return false;
  const proto = (x as { prototype?: unknown }).prototype as Partial<Layer> | undefined;
  return (
    typeof (x as { className?: unknown }).className === 'string' &&
    !!proto &&
    typeof proto.apply === 'function' &&
    typeof proto.call === 'function' &&
    typeof proto.getConfig === 'function'
  );
}

/**
 * Make a contributed layer class loadable by `deserializeLayer` and model loading, in one call,
 * as Keras 3's `register_keras_serializable`: `registerLayer(MyLayer)` (its static `className`,
 * and its static `fromConfig` or `new MyLayer(config)`), or `registerLayer(MyLayer, { package:
 * 'mylib' })`. The key is `package>ClassName` (package `'Custom'` unless given); files that name
 * the class alone still find it. A name already taken is an error unless `{ override: true }`.
 * The 0.1 form `registerLayer('MyLayer', fromConfig)` still works. Returns the key.
 */
export function registerLayer(cls: LayerClass, options?: RegisterOptions & { name?: string }): string;
export function registerLayer(className: string, fromConfig: LayerFromConfig, options?: RegisterOptions): string;
export function registerLayer(
  a: LayerClass | string,
  b?: LayerFromConfig | (RegisterOptions & { name?: string }),
  c?: RegisterOptions,
): string {
  if (typeof a === 'string') {
    if (a.length === 0) throw new Error(`registerLayer: className must be a non-empty string, got ""`);
    if (typeof b !== 'function') {
      throw new Error(`registerLayer("${a}"): expected a function (config) => Layer, got ${describeValue(b)}`);
    }
    return registry.register(a, b, c);
  }
  if (!isLayerClass(a)) {
    throw new Error(
      `registerLayer: expected a Layer subclass with a static className (class MyLayer extends Layer { static className = 'MyLayer' ... }) ` +
        `or (className, fromConfig), got ${describeValue(a)}`,
    );
  }
  const options = (b ?? {}) as RegisterOptions & { name?: string };
  const name = options.name ?? a.className;
  return registry.register(name, fromConfigOf(a), { package: options.package, override: options.override });
}

// One function per class, so registering the same class again is recognized as harmless.
const FROM_CONFIG = new WeakMap<LayerClass, LayerFromConfig>();
function fromConfigOf(cls: LayerClass): LayerFromConfig {
  let f = FROM_CONFIG.get(cls);
  if (!f) {
    const own = cls.fromConfig;
    f = typeof own === 'function' ? (config) => own.call(cls, config) : (config) => new (cls as unknown as new (c: LayerConfig) => Layer)(config);
    FROM_CONFIG.set(cls, f);
  }
  return f;
}

/** `{ className, config }` of a layer: plain JSON that `deserializeLayer` turns back into a layer. */
export function serializeLayer(layer: Layer): SerializedLayer {
  return { className: layer.className, config: layer.getConfig() };
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A new layer (not built, fresh weights) from `{ className, config }`. Only registered classes are
 * made and the config is read as data: nothing in it is ever evaluated.
 */
export function deserializeLayer(serialized: SerializedLayer): Layer {
  if (!isPlainObject(serialized) || typeof serialized.className !== 'string') {
    throw new Error(`deserializeLayer expects { className: string, config: object }, got ${describeValue(serialized)}`);
  }
  const { className } = serialized;
  const fromConfig = registry.get(className);
  if (!fromConfig) {
    throw new Error(`Unknown layer class "${className}". Known layer classes: ${registry.names().join(', ')}`);
  }
  const config: unknown = serialized.config ?? {};
  if (!isPlainObject(config)) {
    throw new Error(`deserializeLayer: config of ${className} must be an object, got ${describeValue(config)}`);
  }
  // A JSON round trip keeps only data (no getters, functions or shared references).
  let data: LayerConfig;
  try {
    data = JSON.parse(JSON.stringify(config)) as LayerConfig;
  } catch (e) {
    throw new Error(`deserializeLayer: config of ${className} is not plain JSON data (${(e as Error).message})`, { cause: e });
  }
  try {
    return fromConfig(data);
  } catch (e) {
    throw new Error(`deserializeLayer: cannot rebuild ${className} from its config: ${(e as Error).message}`, { cause: e });
  }
}
