export { Layer } from './layer';
export type {
  LayerVariable,
  CallKwargs,
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
export type { DataFormat, ConvLayerPadding, SpatialArg } from './conv-utils';
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
export { registry, registerLayer, serializeLayer, deserializeLayer } from './registry';
export type { LayerFromConfig, LayerClass } from './registry';
