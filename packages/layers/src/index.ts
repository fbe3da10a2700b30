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
