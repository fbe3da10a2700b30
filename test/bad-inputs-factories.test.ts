import { describe, it } from 'vitest';
import { A, D, I, L, LS, M, ME, O, T } from './bad-inputs/packages';
import { expectError } from './bad-inputs/expect-error';

// Invalid options for every factory fail at construction, naming the option, what was expected
// and what was found; unknown names list the known ones.

describe('optimizers', () => {
  it('negative learning rate', () => expectError(() => O.SGD(-1), 'SGD: learningRate must be a finite number >= 0', 'got -1'));
  it('beta out of range', () => expectError(() => O.Adam({ beta1: 1.5 }), 'Adam: beta1 must be a number in [0, 1)', 'got 1.5'));
  it('rho out of range', () => expectError(() => O.RMSprop({ rho: -0.1 }), 'RMSprop: rho must be a number in [0, 1)', 'got -0.1'));
  it('a misspelt option', () => expectError(() => O.SGD({ momentun: 0.9 } as never), 'unknown option "momentun"', 'Known options:', 'momentum'));
  it('a schedule with zero decay steps', () =>
    expectError(() => O.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.9 }), 'decaySteps must be a finite number > 0', 'got 0'));
  it('an unknown name in compile', () =>
    expectError(() => M.Sequential([L.Dense(1, { inputShape: [2] })]).compile({ loss: 'mse', optimizer: 'adamm' }), 'Unknown optimizer "adamm"', 'Known optimizers: SGD, Adam'));
});

describe('losses and metrics', () => {
  it('label smoothing out of range', () => expectError(() => LS.CategoricalCrossentropy({ labelSmoothing: 2 }), 'labelSmoothing must be a number in [0, 1]', 'got 2'));
  it('an unknown reduction', () => expectError(() => LS.MeanSquaredError({ reduction: 'avg' as never }), "reduction must be one of 'mean', 'sum', 'none'", 'got "avg"'));
  it('an unknown loss name', () =>
    expectError(() => M.Sequential([L.Dense(1, { inputShape: [2] })]).compile({ loss: 'categorical_crossentropyy', optimizer: 'sgd' }), 'Unknown loss "categorical_crossentropyy"', 'Known losses:', 'categorical_crossentropy'));
  it('k = 0 for top-k accuracy', () => expectError(() => ME.TopKCategoricalAccuracy({ k: 0 }), 'k must be an integer >= 1', 'got 0'));
  it('an unknown metric name', () =>
    expectError(() => M.Sequential([L.Dense(1, { inputShape: [2] })]).compile({ loss: 'mse', optimizer: 'sgd', metrics: ['acuracy'] }), 'Unknown metric "acuracy"', 'Known metrics:', 'accuracy'));
  it('a classification report of unequal lengths', () => expectError(() => ME.classificationReport([0, 1, 2], [0, 1]), 'inconsistent numbers of samples: [3, 2]'));
});

describe('layers, activations, initializers, regularizers', () => {
  it('zero units', () => expectError(() => L.Dense(0), 'units must be a positive integer', 'got 0'));
  it('a misspelt layer option', () => expectError(() => L.Dense(3, { activaton: 'relu' } as never), 'unknown option "activaton"', 'Known options: activation'));
  it('a dropout rate of 1.5', () => expectError(() => L.Dropout(1.5), 'rate must be a number in [0, 1)', 'got 1.5'));
  it('an unknown layer class', () => expectError(() => L.deserializeLayer({ className: 'Conv9D', config: {} }), 'Unknown layer class "Conv9D"', 'Known layer classes: InputLayer, Dense'));
  it('an unknown activation', () => expectError(() => L.Dense(3, { activation: 'rellu' as never }), 'Unknown activation "rellu"', 'Known activations: linear, sigmoid, tanh, relu'));
  it('an activation config of the wrong type', () => expectError(() => A.get({ className: 'leaky_relu', config: { alpha: 'x' as never } }), 'alpha must be a finite number', 'got "x"'));
  it('an unknown initializer', () => expectError(() => L.Dense(3, { kernelInitializer: 'glorot_unifrom' as never }), 'Unknown initializer "glorot_unifrom"', 'Known initializers: zeros'));
  it('a negative standard deviation', () => expectError(() => I.RandomNormal({ stddev: -1 }), 'RandomNormal: stddev must be a finite number > 0', 'got -1'));
  it('a negative regularization factor', () => expectError(() => L.L2(-1), 'L2: l2 must be a finite number >= 0', 'got -1'));
});

describe('data-split', () => {
  it('a test size above 1', () => expectError(() => D.trainTestSplit(T.zeros([10, 2]), T.zeros([10]), { testSize: 1.5 }), 'testSize must be a fraction in (0, 1) or a whole count in [1, 9]', 'got 1.5'));
  it('x and y of different lengths', () => expectError(() => D.trainTestSplit(T.zeros([10, 2]), T.zeros([9]), { testSize: 0.2 }), 'same number of samples', 'got x 10 and y 9'));
  it('an unknown k-fold option', () => expectError(() => D.kFold(10, { nSplits: 1 } as never), 'unknown option "nSplits"', 'Known options: k'));
});

describe('callbacks', () => {
  it('negative patience', () => expectError(() => M.EarlyStopping({ patience: -1 }), 'EarlyStopping: patience must be an integer >= 0', 'got -1'));
  it('a factor that would raise the learning rate', () => expectError(() => M.ReduceLROnPlateau({ factor: 2 }), 'factor must be < 1', 'got 2'));
  it('an empty CSV file name', () => expectError(() => M.CSVLogger(''), 'filename must be a non-empty string', 'got ""'));
  it('a schedule that is not a function', () => expectError(() => M.LearningRateScheduler(5 as never), 'schedule must be a function (epoch, lr) => lr', 'got number'));
  it('a checkpoint saved every 0 batches', () => expectError(() => M.ModelCheckpoint('x', { saveFreq: 0 }), 'saveFreq', 'must be an integer >= 1, got 0'));
});
