// Every built-in layer class, for the layer registry. Kept apart from registry.ts and loaded by the
// registry on its first use: a page that builds its models from the classes it imports (Dense,
// Flatten, ...) and never deserializes one does not bundle the other hundred layers and their ops.
import type { Registry } from '@neurona/common';
import type { Layer, LayerConfig } from './layer';
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


/** What the table needs of a layer class: its Keras name and its static `fromConfig`. */
interface BuiltinLayerClass {
  readonly className: string;
  fromConfig(config: LayerConfig): Layer;
}

const BUILTIN_LAYERS: readonly BuiltinLayerClass[] = [
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
];

/**
 * Register every built-in layer class in `registry` under its Keras class name (first one wins,
 * so calling it again, or from a second copy of the package, changes nothing). The layer registry
 * calls it on its first use (internal: the package index does not export it).
 */
export function registerBuiltinLayers(registry: Registry<(config: LayerConfig) => Layer>): void {
  for (const cls of BUILTIN_LAYERS) registry.builtin(cls.className, cls.fromConfig);
}
