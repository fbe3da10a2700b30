export { Layer } from './layer';
export { assignWeights, assertFinite, firstNonFinite, type SetWeightsOptions, type WeightValue } from './set-weights';
export type {
  LayerVariable,
  CallKwargs,
  LayerMask,
  LayerInput,
  LayerConfig,
  SerializedLayer,
  InputSpec,
  LayerOptions,
  WeightOptions,
} from './layer';
export { SymbolicTensor, isSymbolic } from './symbolic';
export { Node } from './node';
export { topologicalSort } from './topology';
export { resetNames, uniqueName, toSnakeCase } from './names';
export { runLayerTest } from './run-layer-test';
export type { LayerTestOptions, LayerTestReport, TestableLayerClass } from './run-layer-test';
export { formatShape } from './shape';
export { Input, InputLayer, InputLayerClass } from './input-layer';
export type { InputOptions } from './input-layer';
export { Dense, DenseLayer } from './dense';
export type { DenseOptions } from './dense';
export { Flatten, FlattenLayer } from './flatten';
export { Reshape, ReshapeLayer } from './reshape';
export { Activation, ActivationLayer } from './activation';
export type { ActivationSetting } from './activation-config';
export { Dropout, DropoutLayer } from './dropout';
export type { DropoutOptions } from './dropout';
export { Maxout, MaxoutLayer } from './maxout';
export type { MaxoutOptions } from './maxout';
export { LeakyReLU, LeakyReLULayer } from './leaky-relu';
export type { LeakyReLUOptions } from './leaky-relu';
export { PReLU, PReLULayer } from './prelu';
export type { PReLUOptions } from './prelu';
export { ELU, ELULayer } from './elu';
export type { ELUOptions } from './elu';
export { Softmax, SoftmaxLayer } from './softmax';
export type { SoftmaxOptions } from './softmax';
export { ReLU, ReLULayer } from './relu';
export type { ReLUOptions } from './relu';
export { Concatenate, ConcatenateLayer } from './concatenate';
export type { ConcatenateOptions } from './concatenate';
export { Add, AddLayer } from './add';
export { Normalization, NormalizationLayer } from './preprocessing/normalization';
export type { NormalizationOptions } from './preprocessing/normalization';
export { Discretization, DiscretizationLayer } from './preprocessing/discretization';
export type { DiscretizationOptions } from './preprocessing/discretization';
export { CategoryEncoding, CategoryEncodingLayer } from './preprocessing/category-encoding';
export type { CategoryEncodingOptions } from './preprocessing/category-encoding';
export { Hashing, HashingLayer } from './preprocessing/hashing';
export type { HashingOptions } from './preprocessing/hashing';
export { IndexLookupLayer } from './preprocessing/index-lookup';
export type { IndexLookupOptions, LookupMode, Token, TokenCounts } from './preprocessing/index-lookup';
export { StringLookup, StringLookupLayer } from './preprocessing/string-lookup';
export type { StringLookupOptions } from './preprocessing/string-lookup';
export { IntegerLookup, IntegerLookupLayer } from './preprocessing/integer-lookup';
export type { IntegerLookupOptions } from './preprocessing/integer-lookup';
export { TextVectorization, TextVectorizationLayer } from './preprocessing/text-vectorization';
export type { TextVectorizationOptions, Standardize, Split } from './preprocessing/text-vectorization';
export type { CategoricalMode } from './preprocessing/encode';
export type { AdaptData } from './preprocessing/host-data';
export { fingerprint64, sipHash24 } from './preprocessing/hash';
export { EinsumDense, EinsumDenseLayer } from './einsum-dense';
export type { EinsumDenseOptions } from './einsum-dense';
export { MultiHeadAttention, MultiHeadAttentionLayer } from './attention/multi-head-attention';
export type { MultiHeadAttentionOptions } from './attention/multi-head-attention';
export { GroupedQueryAttention, GroupedQueryAttentionLayer } from './attention/grouped-query-attention';
export type { GroupedQueryAttentionOptions } from './attention/grouped-query-attention';
export { Attention, AttentionLayer, AdditiveAttention, AdditiveAttentionLayer, BaseDenseAttentionLayer } from './attention/attention';
export type { AttentionOptions } from './attention/attention';
export { ProjectedAttentionLayer } from './attention/projected-attention';
export type { ProjectedAttentionOptions } from './attention/projected-attention';
export type { AttentionKwargs } from './attention/attention-ops';
export { BatchNormalization, BatchNormalizationLayer } from './batch-normalization';
export type { BatchNormalizationOptions } from './batch-normalization';
export { LayerNormalization, LayerNormalizationLayer } from './layer-normalization';
export type { LayerNormalizationOptions } from './layer-normalization';
export { GroupNormalization, GroupNormalizationLayer } from './group-normalization';
export type { GroupNormalizationOptions } from './group-normalization';
export { UnitNormalization, UnitNormalizationLayer } from './unit-normalization';
export type { UnitNormalizationOptions } from './unit-normalization';
export type { AffineOptions } from './normalization-params';
export { ZeroPadding1D, ZeroPadding1DLayer, ZeroPadding2D, ZeroPadding2DLayer, ZeroPadding3D, ZeroPadding3DLayer } from './zero-padding';
export type { ZeroPaddingOptions, PaddingSpec } from './zero-padding';
export { Cropping1D, Cropping1DLayer, Cropping2D, Cropping2DLayer, Cropping3D, Cropping3DLayer } from './cropping';
export type { CroppingOptions } from './cropping';
export { UpSampling1D, UpSampling1DLayer, UpSampling2D, UpSampling2DLayer, UpSampling3D, UpSampling3DLayer } from './up-sampling';
export type { UpSampling2DOptions, UpSampling3DOptions } from './up-sampling';
export { Permute, PermuteLayer } from './permute';
export { RepeatVector, RepeatVectorLayer } from './repeat-vector';
export { Identity, IdentityLayer } from './identity';
export { SpatialDropout1D, SpatialDropout1DLayer, SpatialDropout2D, SpatialDropout2DLayer, SpatialDropout3D, SpatialDropout3DLayer } from './spatial-dropout';
export type { SpatialDropoutOptions } from './spatial-dropout';
export { GaussianNoise, GaussianNoiseLayer, GaussianDropout, GaussianDropoutLayer, AlphaDropout, AlphaDropoutLayer } from './noise';
export type { NoiseOptions, AlphaDropoutOptions } from './noise';
export { ActivityRegularization, ActivityRegularizationLayer } from './activity-regularization';
export type { ActivityRegularizationOptions } from './activity-regularization';
export { MergeLayer, Multiply, MultiplyLayer, Subtract, SubtractLayer, Average, AverageLayer, Maximum, MaximumLayer, Minimum, MinimumLayer } from './merge';
export { Dot, DotLayer } from './dot';
export type { DotOptions } from './dot';
export { Rescaling, RescalingLayer } from './rescaling';
export type { RescalingOptions } from './rescaling';
export { Resizing, ResizingLayer } from './resizing';
export type { ResizingOptions } from './resizing';
export { CenterCrop, CenterCropLayer } from './center-crop';
export { RandomFlip, RandomFlipLayer } from './random-flip';
export type { FlipMode } from './random-flip';
export { RandomRotation, RandomRotationLayer, RandomTranslation, RandomTranslationLayer, RandomZoom, RandomZoomLayer } from './random-affine';
export type { RandomAffineOptions } from './random-affine';
export { RandomContrast, RandomContrastLayer } from './random-contrast';
export type { RandomContrastOptions } from './random-contrast';
export { RandomCrop, RandomCropLayer } from './random-crop';
export { ImageLayer } from './image-layer';
export type { ImageLayerOptions, RandomImageOptions, FillMode, Range } from './image-layer';
export { resizeImages, interpolationMatrix } from './image-resize';
export type { Interpolation } from './image-resize';
export type { DataFormat } from './spatial-args';
export { Embedding, EmbeddingLayer } from './embedding';
export type { EmbeddingOptions } from './embedding';
export { Masking, MaskingLayer } from './masking';
export type { MaskingOptions } from './masking';
export { ComposedLayer } from './composed-layer';
export { RNNCellLayer, dropoutMask } from './recurrent/rnn-cell';
export type { CellDropout, StepContext, StepResult, FusedCell } from './recurrent/rnn-cell';
export type { CellOptions } from './recurrent/cell-options';
export { SimpleRNNCell, SimpleRNNCellLayer } from './recurrent/simple-rnn-cell';
export type { SimpleRNNCellOptions } from './recurrent/simple-rnn-cell';
export { LSTMCell, LSTMCellLayer } from './recurrent/lstm-cell';
export type { LSTMCellOptions } from './recurrent/lstm-cell';
export { GRUCell, GRUCellLayer } from './recurrent/gru-cell';
export type { GRUCellOptions } from './recurrent/gru-cell';
export { StackedRNNCells, StackedRNNCellsLayer } from './recurrent/stacked-rnn-cells';
export { RNN, RNNLayer } from './recurrent/rnn';
export type { RNNOptions, RNNCallKwargs } from './recurrent/rnn';
export { LSTM, LSTMLayer, GRU, GRULayer, SimpleRNN, SimpleRNNLayer } from './recurrent/recurrent-layers';
export type { LSTMOptions, GRUOptions, SimpleRNNOptions } from './recurrent/recurrent-layers';
export { Bidirectional, BidirectionalLayer } from './recurrent/bidirectional';
export type { BidirectionalOptions, MergeMode } from './recurrent/bidirectional';
export { TimeDistributed, TimeDistributedLayer } from './recurrent/time-distributed';
export { ConvLSTM1D, ConvLSTM1DLayer, ConvLSTM2D, ConvLSTM2DLayer, ConvLSTMCellLayer } from './recurrent/conv-lstm';
export type { ConvLSTMOptions, ConvLSTMCellOptions } from './recurrent/conv-lstm';
export { Conv1D, Conv2D, Conv3D, ConvLayer, Conv1DLayer, Conv2DLayer, Conv3DLayer } from './conv';
export type { ConvOptions } from './conv';
export {
  Conv1DTranspose,
  Conv2DTranspose,
  Conv3DTranspose,
  ConvTransposeLayer,
  Conv1DTransposeLayer,
  Conv2DTransposeLayer,
  Conv3DTransposeLayer,
} from './conv-transpose';
export type { ConvTransposeOptions } from './conv-transpose';
export { DepthwiseConv1D, DepthwiseConv2D, DepthwiseConvLayer, DepthwiseConv1DLayer, DepthwiseConv2DLayer } from './depthwise-conv';
export type { DepthwiseConvOptions } from './depthwise-conv';
export { SeparableConv1D, SeparableConv2D, SeparableConvLayer, SeparableConv1DLayer, SeparableConv2DLayer } from './separable-conv';
export type { SeparableConvOptions } from './separable-conv';
export { BaseConvLayer } from './base-conv';
export type { BaseConvOptions, KernelSettings } from './base-conv';
export type { ConvLayerPadding, SpatialArg } from './conv-utils';
export {
  MaxPooling1D,
  MaxPooling2D,
  MaxPooling3D,
  AveragePooling1D,
  AveragePooling2D,
  AveragePooling3D,
  PoolingLayer,
  MaxPooling1DLayer,
  MaxPooling2DLayer,
  MaxPooling3DLayer,
  AveragePooling1DLayer,
  AveragePooling2DLayer,
  AveragePooling3DLayer,
} from './pooling';
export type { PoolingOptions } from './pooling';
export {
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  GlobalMaxPooling3D,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalAveragePooling3D,
  GlobalPoolingLayer,
  GlobalMaxPooling1DLayer,
  GlobalMaxPooling2DLayer,
  GlobalMaxPooling3DLayer,
  GlobalAveragePooling1DLayer,
  GlobalAveragePooling2DLayer,
  GlobalAveragePooling3DLayer,
} from './global-pooling';
export type { GlobalPoolingOptions } from './global-pooling';
export { L1, L2, L1L2, getRegularizer, serializeRegularizer, regularizerRegistry, registerRegularizer } from './regularizers';
export type { Regularizer, RegularizerIdentifier, SerializedRegularizer, RegularizerFactory } from './regularizers';
export {
  MaxNorm,
  MinMaxNorm,
  NonNeg,
  UnitNorm,
  getConstraint,
  serializeConstraint,
  constraintRegistry,
  registerConstraint,
} from './constraints';
export type {
  Constraint,
  ConstraintIdentifier,
  ConstraintFactory,
  SerializedConstraint,
  MaxNormOptions,
  MinMaxNormOptions,
  UnitNormOptions,
} from './constraints';
export { registry, registerLayer, deserializeLayer } from './registry';
export { serializeLayer } from './serialize-layer';
export type { LayerFromConfig, LayerClass } from './registry';
