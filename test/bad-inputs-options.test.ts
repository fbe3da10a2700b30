import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { D, DA, DS, I, L, LS, M, ME, O, T } from './bad-inputs/packages';
import { expectError } from './bad-inputs/expect-error';

// One rule for every public entry point that takes options: an unknown option is an error that
// names it, suggests the camelCase spelling of a Keras snake_case name, and lists the known
// options; a known option of the wrong type is an error that names it and what was found.

type Case = [name: string, unknownOption: () => unknown, wrongType: () => unknown, wrongTypeText: string];

const model = () => {
  const m = M.Sequential([L.Dense(2, { inputShape: [3], activation: 'softmax' })]);
  m.compile({ loss: 'categorical_crossentropy', optimizer: 'sgd', metrics: ['accuracy'] });
  return m;
};
const x = () => T.ones([4, 3]);
const y = () => T.tensor2d([[1, 0], [0, 1], [1, 0], [0, 1]]);
const dir = mkdtempSync(join(tmpdir(), 'neurona-options-'));
const u = { bogus_option: 1 } as never; // an unknown option, Keras-spelt

const CASES: Case[] = [
  // layers
  ['Dense', () => L.Dense(2, u), () => L.Dense(2, { useBias: 'yes' as never }), 'useBias'],
  ['Dropout', () => L.Dropout(0.5, u), () => L.Dropout('half' as never), 'rate'],
  ['Flatten', () => L.Flatten(u), () => L.Flatten({ name: 5 as never }), 'name must be a non-empty string'],
  ['Reshape', () => L.Reshape([3], u), () => L.Reshape('3' as never), 'targetShape'],
  ['Activation', () => L.Activation('relu', u), () => L.Activation(5 as never), 'activation'],
  ['LeakyReLU', () => L.LeakyReLU(u), () => L.LeakyReLU({ negativeSlope: 'x' as never }), 'alpha must be a finite number'],
  ['PReLU', () => L.PReLU(u), () => L.PReLU({ sharedAxes: 'x' as never }), 'sharedAxes'],
  ['ELU', () => L.ELU(u), () => L.ELU({ alpha: 'x' as never }), 'alpha'],
  ['ReLU', () => L.ReLU(u), () => L.ReLU({ maxValue: 'x' as never }), 'maxValue'],
  ['Softmax', () => L.Softmax(u), () => L.Softmax({ axis: 'x' as never }), 'axis'],
  ['Maxout', () => L.Maxout(2, u), () => L.Maxout('2' as never), 'units'],
  ['Concatenate', () => L.Concatenate(u), () => L.Concatenate({ axis: 'x' as never }), 'axis'],
  ['Add', () => L.Add(u), () => L.Add({ trainable: 'x' as never }), 'trainable must be a boolean'],
  ['Input', () => L.Input({ shape: [3], ...(u as object) }), () => L.Input({ shape: '3' as never }), 'Input: shape must be an array of sizes'],
  ['InputLayer', () => L.InputLayer({ inputShape: [3], ...(u as object) }), () => L.InputLayer({ inputShape: [3], batchSize: 'x' as never }), 'batchSize'],
  ['MaxNorm', () => L.MaxNorm(u), () => L.MaxNorm({ maxValue: 'x' as never }), 'maxValue'],
  ['MinMaxNorm', () => L.MinMaxNorm(u), () => L.MinMaxNorm({ minValue: 'x' as never }), 'minValue'],
  ['UnitNorm', () => L.UnitNorm(u), () => L.UnitNorm({ axis: 'x' as never }), 'axis'],
  ['L1L2', () => L.L1L2(u), () => L.L1L2({ l1: 'x' as never }), 'l1'],
  // models
  ['Sequential', () => M.Sequential({ layers: [], ...(u as object) }), () => M.Sequential({ name: 5 as never }), 'name'],
  ['Model', () => { const i = L.Input({ shape: [3] }); return M.Model({ inputs: i, outputs: L.Dense(2).apply(i) as never, ...(u as object) }); }, () => M.Model({ inputs: 5 as never, outputs: 5 as never }), 'inputs'],
  ['compile', () => model().compile({ loss: 'mse', optimizer: 'sgd', ...(u as object) }), () => model().compile({ loss: 5 as never, optimizer: 'sgd' }), 'loss'],
  ['fit', () => model().fit(x(), y(), u), () => model().fit(x(), y(), { epochs: 'ten' as never, verbose: 0 }), 'epochs must be a positive integer, got "ten"'],
  ['evaluate', () => model().evaluate(x(), y(), u), () => model().evaluate(x(), y(), { batchSize: 'x' as never }), 'batchSize must be a positive integer'],
  ['predict', () => model().predict(x(), u), () => model().predict(x(), { batchSize: -1 }), 'batchSize must be a positive integer'],
  ['summary', () => model().summary({ ...(u as object), printFn: () => undefined }), () => model().summary({ lineLength: 'x' as never, printFn: () => undefined }), 'lineLength'],
  ['saveModel', () => M.saveModel(model(), join(dir, 'a'), u), () => M.saveModel(model(), 5 as never), 'expected a folder path'],
  ['loadModel', () => M.loadModel(join(dir, 'none'), u), () => M.loadModel(join(dir, 'none'), { compile: 'yes' as never }), 'compile'],
  ['loadWeights', () => M.loadWeights(model(), join(dir, 'none'), u), () => M.loadWeights(model(), join(dir, 'none'), { allowNonFinite: 'x' as never }), 'allowNonFinite'],
  ['EarlyStopping', () => M.EarlyStopping({ restore_best_weights: true } as never), () => M.EarlyStopping({ patience: 'x' as never }), 'patience'],
  ['ReduceLROnPlateau', () => M.ReduceLROnPlateau({ min_lr: 0.1 } as never), () => M.ReduceLROnPlateau({ factor: 'x' as never }), 'factor'],
  ['ModelCheckpoint', () => M.ModelCheckpoint(join(dir, 'c'), u), () => M.ModelCheckpoint(join(dir, 'c'), { saveBestOnly: 'x' as never }), 'saveBestOnly must be true or false'],
  ['CSVLogger', () => M.CSVLogger(join(dir, 'log.csv'), u), () => M.CSVLogger(join(dir, 'log.csv'), { separator: 5 as never }), 'separator'],
  ['LearningRateScheduler', () => M.LearningRateScheduler((_e: number, lr: number) => lr, u), () => M.LearningRateScheduler((_e: number, lr: number) => lr, { verbose: 'x' as never }), 'verbose'],
  ['ProgbarLogger', () => M.ProgbarLogger(u), () => M.ProgbarLogger({ intervalMs: 'x' as never }), 'intervalMs'],
  ['LossWatcher', () => M.LossWatcher(u), () => M.LossWatcher({ patience: 'x' as never }), 'patience'],
  // optimizers and schedules
  ['SGD', () => O.SGD(u), () => O.SGD({ momentum: 'x' as never }), 'momentum'],
  ['Adam', () => O.Adam(u), () => O.Adam({ beta1: 'x' as never }), 'beta1'],
  ['AdamW', () => O.AdamW(u), () => O.AdamW({ weightDecay: 'x' as never }), 'weightDecay'],
  ['RMSprop', () => O.RMSprop(u), () => O.RMSprop({ rho: 'x' as never }), 'rho'],
  ['Adagrad', () => O.Adagrad(u), () => O.Adagrad({ epsilon: 'x' as never }), 'epsilon'],
  ['ExponentialDecay', () => O.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9, ...(u as object) }), () => O.ExponentialDecay({ initialLearningRate: 'x' as never, decaySteps: 10, decayRate: 0.9 }), 'initialLearningRate'],
  ['CosineDecay', () => O.CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, ...(u as object) }), () => O.CosineDecay({ initialLearningRate: 0.1, decaySteps: 'x' as never }), 'decaySteps'],
  ['PiecewiseConstant', () => O.PiecewiseConstant({ boundaries: [1], values: [0.1, 0.01], ...(u as object) }), () => O.PiecewiseConstant({ boundaries: 'x' as never, values: [0.1] }), 'boundaries'],
  // losses
  ['CategoricalCrossentropy', () => LS.CategoricalCrossentropy(u), () => LS.CategoricalCrossentropy({ fromLogits: 'x' as never }), 'fromLogits'],
  ['SparseCategoricalCrossentropy', () => LS.SparseCategoricalCrossentropy(u), () => LS.SparseCategoricalCrossentropy({ fromLogits: 'x' as never }), 'fromLogits'],
  ['BinaryCrossentropy', () => LS.BinaryCrossentropy(u), () => LS.BinaryCrossentropy({ labelSmoothing: 'x' as never }), 'labelSmoothing'],
  ['MeanSquaredError (loss)', () => LS.MeanSquaredError(u), () => LS.MeanSquaredError({ reduction: 5 as never }), 'reduction'],
  ['Huber', () => LS.Huber(u), () => LS.Huber({ delta: 'x' as never }), 'delta'],
  // metrics and reports
  ['AUC', () => ME.AUC(u), () => ME.AUC({ numThresholds: 'x' as never }), 'numThresholds'],
  ['Precision', () => ME.Precision(u), () => ME.Precision({ thresholds: 'x' as never }), 'thresholds'],
  ['Recall', () => ME.Recall(u), () => ME.Recall({ topK: 'x' as never }), 'topK'],
  ['F1Score', () => ME.F1Score(u), () => ME.F1Score({ average: 5 as never }), 'average'],
  ['TopKCategoricalAccuracy', () => ME.TopKCategoricalAccuracy(u), () => ME.TopKCategoricalAccuracy({ k: 'x' as never }), 'k must be an integer'],
  ['Mean', () => ME.Mean(u), () => ME.Mean({ name: 5 as never }), 'name'],
  ['classificationReport', () => ME.classificationReport([0, 1], [0, 1], { digts: 2 } as never), () => ME.classificationReport([0, 1], [0, 1], { digits: 'x' as never }), 'digits must be an integer'],
  ['confusionMatrix', () => ME.confusionMatrix([0, 1], [0, 1], u), () => ME.confusionMatrix([0, 1], [0, 1], { numClasses: 'x' as never }), 'numClasses'],
  ['accuracyScore', () => ME.accuracyScore([0, 1], [0, 1], u), () => ME.accuracyScore([0, 1], [0, 1], { normalize: 'x' as never }), 'normalize'],
  ['precisionScore', () => ME.precisionScore([0, 1], [0, 1], u), () => ME.precisionScore([0, 1], [0, 1], { average: 'x' as never }), 'average'],
  ['historyToSvg', () => ME.historyToSvg({ loss: [1, 0.5] }, u), () => ME.historyToSvg({ loss: [1, 0.5] }, { width: 'x' as never }), 'width'],
  // initializers
  ['RandomNormal', () => I.RandomNormal(u), () => I.RandomNormal({ mean: 'x' as never }), 'mean'],
  ['GlorotUniform', () => I.GlorotUniform(u), () => I.GlorotUniform({ seed: 'x' as never }), 'seed'],
  ['VarianceScaling', () => I.VarianceScaling(u), () => I.VarianceScaling({ mode: 5 as never }), 'mode'],
  ['Constant', () => I.Constant(u), () => I.Constant({ value: 'x' as never }), 'value'],
  // data splits, datasets, data
  ['trainTestSplit', () => D.trainTestSplit(T.zeros([10, 2]), T.zeros([10]), u), () => D.trainTestSplit(T.zeros([10, 2]), T.zeros([10]), { shuffle: 'x' as never }), 'shuffle'],
  ['kFold', () => D.kFold(10, u), () => D.kFold(10, { k: 'x' as never }), 'k'],
  ['stratifiedKFold', () => D.stratifiedKFold([0, 1, 0, 1, 0, 1], u), () => D.stratifiedKFold([0, 1, 0, 1, 0, 1], { k: 'x' as never }), 'k'],
  ['loadMnist', () => DS.loadMnist(u), () => DS.loadMnist({ limit: 'x' as never }), 'limit'],
  ['Dataset.batch', () => DA.fromArrays([1, 2, 3]).batch(2, u), () => DA.fromArrays([1, 2, 3]).batch('2' as never), 'batch'],
  ['Dataset.shuffle', () => DA.fromArrays([1, 2, 3]).shuffle(2, u), () => DA.fromArrays([1, 2, 3]).shuffle(2, { seed: 'x' as never }), 'seed'],
  ['csv', () => DA.csv({ text: 'a,b\n1,2\n' }, u), () => DA.csv({ text: 'a,b\n1,2\n' }, { delimiter: 5 as never }), 'delimiter'],
  ['fromGenerator', () => DA.fromGenerator(() => [1][Symbol.iterator](), u), () => DA.fromGenerator(() => [1][Symbol.iterator](), { size: 'x' as never }), 'size'],
];

describe('every entry point refuses unknown options and options of the wrong type', () => {
  it.each(CASES)('%s', async (name, unknownOption, wrongType, wrongTypeText) => {
    const message = await expectError(unknownOption, /unknown option "bogus_option"|unknown option.*(restore_best_weights|min_lr|digts)/i);
    // Keras's snake_case spelling points at neurona's camelCase one where there is one
    if (name === 'EarlyStopping') expect(message).toContain('did you mean "restoreBestWeights"');
    if (name === 'ReduceLROnPlateau') expect(message).toContain('did you mean "minLr"');
    if (name === 'classificationReport') expect(message).toContain('did you mean "digits"');
    expect(message).toMatch(/Known options: |It takes no options/);
    await expectError(wrongType, wrongTypeText);
  });

  it('counts the entry points it covers', () => {
    // reported in the closing note
    expect(CASES.length).toBeGreaterThanOrEqual(70);
    rmSync(dir, { recursive: true, force: true });
  });
});
