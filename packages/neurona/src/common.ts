// What both builds of neurona export (Node: index.ts, browsers: browser.ts): everything but the
// backend package, which each build adds.
//
// Top level: the names a Keras user writes (Sequential, Dense, SGD, classificationReport, ...).
// Namespaces: each package whole (`tensor`, `activations`, `losses`, `metrics`, ...), because
// several packages export the same names: `relu` is a tensor op and an activation, `get` and
// `registry` exist in five packages, `MeanSquaredError` is both a loss and a metric.

// ---- namespaces: every package, whole ----------------------------------------------------------
export * as tensor from '@neurona/tensor';
export * as activations from '@neurona/activations';
export * as initializers from '@neurona/initializers';
export * as losses from '@neurona/losses';
export * as metrics from '@neurona/metrics';
export * as optimizers from '@neurona/optimizers';
export * as layers from '@neurona/layers';
export * as models from '@neurona/models';
export * as dataSplit from '@neurona/data-split';
export * as datasets from '@neurona/datasets';
export * as data from '@neurona/data';

// ---- tensors: memory, seeds and the creation functions programs need (all ops: `tensor.*`) -----
export {
  tidy,
  dispose,
  keep,
  memory,
  setSeed,
  scalar,
  tensor1d,
  tensor2d,
  tensor3d,
  tensor4d,
  variable,
  setBackend,
  getBackendInfo,
} from '@neurona/tensor';
export type { Tensor, Variable, Scalar, Tensor1D, Tensor2D, Tensor3D, Tensor4D, DataType, Shape, BackendInfo } from '@neurona/tensor';

// ---- layers -----------------------------------------------------------------------------------
export {
  Layer,
  Input,
  Dense,
  Flatten,
  Reshape,
  Activation,
  Dropout,
  Maxout,
  LeakyReLU,
  PReLU,
  ELU,
  Softmax,
  ReLU,
  Concatenate,
  Add,
  L1,
  L2,
  L1L2,
  SymbolicTensor,
  registerLayer,
  // issue 11: normalization, shape, regularization, merging, image preprocessing
  BatchNormalization,
  LayerNormalization,
  GroupNormalization,
  UnitNormalization,
  ZeroPadding1D,
  ZeroPadding2D,
  ZeroPadding3D,
  Cropping1D,
  Cropping2D,
  Cropping3D,
  UpSampling1D,
  UpSampling2D,
  UpSampling3D,
  Permute,
  RepeatVector,
  Identity,
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
  GaussianNoise,
  GaussianDropout,
  AlphaDropout,
  ActivityRegularization,
  Multiply,
  Subtract,
  Average,
  Maximum,
  Minimum,
  Dot,
  Rescaling,
  Resizing,
  CenterCrop,
  RandomFlip,
  RandomRotation,
  RandomTranslation,
  RandomZoom,
  RandomContrast,
  RandomCrop,
  // sequences
  Embedding,
  Masking,
  SimpleRNN,
  LSTM,
  GRU,
  RNN,
  SimpleRNNCell,
  LSTMCell,
  GRUCell,
  StackedRNNCells,
  Bidirectional,
  TimeDistributed,
  ConvLSTM1D,
  ConvLSTM2D,
  // convolution and pooling
  Conv1D,
  Conv2D,
  Conv3D,
  Conv1DTranspose,
  Conv2DTranspose,
  Conv3DTranspose,
  DepthwiseConv1D,
  DepthwiseConv2D,
  SeparableConv1D,
  SeparableConv2D,
  MaxPooling1D,
  MaxPooling2D,
  MaxPooling3D,
  AveragePooling1D,
  AveragePooling2D,
  AveragePooling3D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  GlobalMaxPooling3D,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalAveragePooling3D,
  // preprocessing with adapt(), attention
  Normalization,
  Discretization,
  CategoryEncoding,
  Hashing,
  StringLookup,
  IntegerLookup,
  TextVectorization,
  EinsumDense,
  MultiHeadAttention,
  GroupedQueryAttention,
  Attention,
  AdditiveAttention,
} from '@neurona/layers';
export type { DenseOptions, InputOptions, LayerOptions, Regularizer } from '@neurona/layers';

// ---- streaming data (all of it: `data.*`) --------------------------------------------------------
export { fromArrays, fromGenerator, splitDataset, Dataset } from '@neurona/data';

// ---- models, callbacks, the advisor, save/load ------------------------------------------------
export {
  Sequential,
  Model,
  LayersModel,
  History,
  EarlyStopping,
  ModelCheckpoint,
  LearningRateScheduler,
  ReduceLROnPlateau,
  TerminateOnNaN,
  CSVLogger,
  ProgbarLogger,
  LossWatcher,
  advise,
  plotModel,
  formatFindings,
  saveModel,
  loadModel,
  saveWeights,
  loadWeights,
} from '@neurona/models';
export type { CompileArgs, FitOptions, EvaluateOptions, PredictOptions, Callback, Logs, Finding, PlotModelOptions } from '@neurona/models';

// ---- optimizers and learning-rate schedules ---------------------------------------------------
export {
  SGD,
  Adam,
  AdamW,
  RMSprop,
  Adagrad,
  ExponentialDecay,
  CosineDecay,
  PiecewiseConstant,
  BaseOptimizer,
  registerOptimizer,
} from '@neurona/optimizers';
export type { Optimizer, LearningRateSchedule, BaseOptimizerOptions } from '@neurona/optimizers';

// ---- evaluation (scikit-learn's names) and the training-curves picture ------------------------
export { classificationReport, confusionMatrix, accuracyScore, historyToSvg } from '@neurona/metrics';

// ---- data -------------------------------------------------------------------------------------
export { trainTestSplit, trainValTestSplit, kFold, stratifiedKFold } from '@neurona/data-split';
export { loadMnist } from '@neurona/datasets';
