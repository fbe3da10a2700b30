import { describe, expect, it } from 'vitest';
import * as neurona from '../src/index';

// What a Keras user writes without a namespace; removing one of these is a breaking change.
const TOP_LEVEL = [
  'useNodeBackend',
  'tidy', 'dispose', 'keep', 'memory', 'setSeed', 'scalar', 'tensor1d', 'tensor2d', 'tensor3d', 'tensor4d', 'variable',
  'setBackend', 'getBackendInfo',
  'Layer', 'Input', 'Dense', 'Flatten', 'Reshape', 'Activation', 'Dropout', 'Maxout', 'LeakyReLU', 'PReLU', 'ELU',
  'Softmax', 'ReLU', 'Concatenate', 'Add', 'L1', 'L2', 'L1L2', 'SymbolicTensor', 'registerLayer',
  'BatchNormalization', 'LayerNormalization', 'GroupNormalization', 'UnitNormalization', 'ZeroPadding1D', 'ZeroPadding2D', 'ZeroPadding3D', 'Cropping1D', 'Cropping2D', 'Cropping3D', 'UpSampling1D', 'UpSampling2D', 'UpSampling3D', 'Permute', 'RepeatVector', 'Identity', 'SpatialDropout1D', 'SpatialDropout2D', 'SpatialDropout3D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'ActivityRegularization', 'Multiply', 'Subtract', 'Average', 'Maximum', 'Minimum', 'Dot', 'Rescaling', 'Resizing', 'CenterCrop', 'RandomFlip', 'RandomRotation', 'RandomTranslation', 'RandomZoom', 'RandomContrast', 'RandomCrop',
  'Embedding', 'Masking', 'SimpleRNN', 'LSTM', 'GRU', 'RNN', 'SimpleRNNCell', 'LSTMCell', 'GRUCell', 'StackedRNNCells',
  'Bidirectional', 'TimeDistributed', 'ConvLSTM1D', 'ConvLSTM2D',
  'Conv1D', 'Conv2D', 'Conv3D', 'Conv1DTranspose', 'Conv2DTranspose', 'Conv3DTranspose', 'DepthwiseConv1D', 'DepthwiseConv2D', 'SeparableConv1D', 'SeparableConv2D', 'MaxPooling1D', 'MaxPooling2D', 'MaxPooling3D', 'AveragePooling1D', 'AveragePooling2D', 'AveragePooling3D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'GlobalMaxPooling3D', 'GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalAveragePooling3D',
  'Normalization', 'Discretization', 'CategoryEncoding', 'Hashing', 'StringLookup', 'IntegerLookup', 'TextVectorization',
  'EinsumDense', 'MultiHeadAttention', 'GroupedQueryAttention', 'Attention', 'AdditiveAttention',
  'fromArrays', 'fromGenerator', 'splitDataset', 'Dataset',
  'Sequential', 'Model', 'LayersModel', 'History', 'EarlyStopping', 'ModelCheckpoint', 'LearningRateScheduler',
  'ReduceLROnPlateau', 'TerminateOnNaN', 'CSVLogger', 'ProgbarLogger', 'LossWatcher', 'advise', 'formatFindings',
  'saveModel', 'loadModel', 'saveWeights', 'loadWeights', 'plotModel',
  'SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'ExponentialDecay', 'CosineDecay', 'PiecewiseConstant',
  'BaseOptimizer', 'registerOptimizer',
  'classificationReport', 'confusionMatrix', 'accuracyScore', 'historyToSvg',
  'trainTestSplit', 'trainValTestSplit', 'kFold', 'stratifiedKFold', 'loadMnist',
];
const NAMESPACES = ['tensor', 'activations', 'initializers', 'losses', 'metrics', 'optimizers', 'layers', 'models', 'dataSplit', 'datasets', 'data', 'backend'];

describe('the neurona package', () => {
  it('exports every top-level name, defined', () => {
    const exported = Object.keys(neurona);
    expect(new Set(exported.filter((k) => !NAMESPACES.includes(k)))).toEqual(new Set(TOP_LEVEL));
    for (const name of exported) expect(neurona[name as keyof typeof neurona], name).toBeDefined();
  });

  it('keeps every package whole under a namespace, so clashing names stay apart', () => {
    for (const ns of NAMESPACES) {
      const mod = neurona[ns as keyof typeof neurona] as Record<string, unknown>;
      expect(Object.keys(mod).length, ns).toBeGreaterThan(0);
      for (const [k, v] of Object.entries(mod)) expect(v, `${ns}.${k}`).toBeDefined();
    }
    // the same name, different things
    expect(neurona.tensor.relu).not.toBe(neurona.activations.relu);
    expect(neurona.losses.MeanSquaredError).not.toBe(neurona.metrics.MeanSquaredError);
    expect(neurona.optimizers.get('adam').className).toBe('Adam');
    expect(neurona.losses.get('mse').name).toBe('mean_squared_error');
    expect(neurona.activations.get('leaky_relu').className).toBe('leaky_relu');
    expect(neurona.initializers.get('he_normal').className).toBe('HeNormal');
    // top-level names are the packages' own objects, not copies
    expect(neurona.Dense).toBe(neurona.layers.Dense);
    expect(neurona.SGD).toBe(neurona.optimizers.SGD);
    expect(neurona.tidy).toBe(neurona.tensor.tidy);
  });

  it('imports nothing from @tensorflow itself', async () => {
    const { readFileSync } = await import('node:fs');
    const src = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8');
    expect(src).not.toMatch(/@tensorflow\//);
  });
});
