import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useNodeBackend } from '@neurona/backend-node';
import { trainValTestSplit } from '@neurona/data-split';
import { Sequential, type History } from '@neurona/models';
import { Dense } from '@neurona/layers';
import { Adam, CosineDecay, SGD } from '@neurona/optimizers';
import { historyToSvg } from '@neurona/metrics';
import { setSeed, tensor2d, type Tensor } from '@neurona/tensor';
import { FORMULA, makeRegressionData } from './data';
import { errors, leastSquares, predictLinear } from './least-squares';
import type { Settings } from './settings';

/** Test-split errors and, for linear fits, the coefficients. */
export interface FitSummary {
  mse: number;
  mae: number;
  weights?: number[];
  bias?: number;
}

/** What a run produced. */
export interface RegressionResult {
  leastSquares: FitSummary;
  linear: FitSummary & { history: History };
  mlp: FitSummary & { history: History };
  /** The pictures written: linear model, then MLP. */
  svgPaths: string[];
}

const batchSize = 64;
/** Targets as a column `[n, 1]`: one output unit. */
const column = (v: number[]) => tensor2d(v, [v.length, 1]);
const pad = (s: string, n: number) => s.padEnd(n);
const num = (v: number) => v.toFixed(4).padStart(9);

/**
 * Regression as the course frames it: a linear output (no activation) and a regression loss,
 * `loss: 'mse'` with `metrics: ['mae']`. The linear model must land on the least-squares solution
 * (printed side by side); a hidden ReLU layer then fits what no linear model can.
 */
export async function main(settings: Settings): Promise<RegressionResult> {
  const { epochs, samples, noise, seed, outDir } = settings;
  await useNodeBackend();
  setSeed(seed);

  console.log(`[INFO]: ${FORMULA} (σ = ${noise}), x uniform in [-1, 1]⁵; ${samples} samples`);
  const data = makeRegressionData(samples, noise, seed);
  const { xTrain, yTrain, xVal, yVal, xTest, yTest } = trainValTestSplit(data.x, data.y, { valSize: 0.1, testSize: 0.2, seed });
  const [xTr, xV, xTe] = [xTrain, xVal, xTest].map((rows) => tensor2d(rows));
  const [yTr, yV] = [yTrain, yVal].map(column);

  // The closed form: what the linear model should converge to
  const ls = leastSquares(xTrain, yTrain);
  const lsErrors = errors(yTest, predictLinear(ls, xTest));

  // A linear model: one Dense unit without activation, trained on the mean squared error
  console.log('[INFO]: Training the linear model...');
  const linear = Sequential();
  linear.add(Dense(1, { inputShape: [5] })); // linear output: no activation for regression
  // the rate decays to 0 over the run, so the last steps settle on the minimum instead of
  // jittering around it by the mini-batch noise
  const steps = epochs * Math.ceil(xTrain.length / batchSize);
  linear.compile({ loss: 'mse', optimizer: SGD(CosineDecay(0.2, steps)), metrics: ['mae'] });
  linear.summary();
  const H1 = await linear.fit(xTr, yTr, { validationData: [xV, yV], epochs, batchSize });
  const [kernel, bias] = linear.getWeights();
  const linearFit = { weights: Array.from(await kernel.data()), bias: (await bias.data())[0] };
  const linearPred = linear.predict(xTe) as Tensor;
  const linearErrors = errors(yTest, await linearPred.data());

  // A hidden ReLU layer: it can learn sin(π·x3) and x4², which no linear model can
  console.log('[INFO]: Training the MLP (5 → 64 ReLU → 1 linear)...');
  const mlp = Sequential();
  mlp.add(Dense(64, { inputShape: [5], activation: 'relu' }));
  mlp.add(Dense(1));
  mlp.compile({ loss: 'mse', optimizer: Adam(CosineDecay(0.03, steps)), metrics: ['mae'] });
  const H2 = await mlp.fit(xTr, yTr, { validationData: [xV, yV], epochs, batchSize });
  const mlpPred = mlp.predict(xTe) as Tensor;
  const mlpErrors = errors(yTest, await mlpPred.data());

  const head = ['x0', 'x1', 'x2', 'x3', 'x4', 'bias'].map((h) => h.padStart(9)).join('');
  console.log(`\nCoefficients (true linear part: 2, −3, 0.5; sin(π·x3) projects to ${(3 / Math.PI).toFixed(4)}·x3)`);
  console.log(`${pad('', 22)}${head}`);
  console.log(`${pad('least squares', 22)}${[...ls.weights, ls.bias].map(num).join('')}`);
  console.log(`${pad('Dense(1), SGD, mse', 22)}${[...linearFit.weights, linearFit.bias].map(num).join('')}`);
  console.log(`\nTest split (${yTest.length} samples)${' '.repeat(7)}MSE      MAE`);
  console.log(`${pad('least squares', 22)}${num(lsErrors.mse)}${num(lsErrors.mae)}`);
  console.log(`${pad('Dense(1), SGD, mse', 22)}${num(linearErrors.mse)}${num(linearErrors.mae)}`);
  console.log(`${pad('MLP 5-64-1, Adam, mse', 22)}${num(mlpErrors.mse)}${num(mlpErrors.mae)}`);
  console.log(`${pad('noise alone', 22)}${num(noise * noise)}${num(noise * Math.sqrt(2 / Math.PI))}`);

  const svgPaths = [join(outDir, 'training-curves-linear.svg'), join(outDir, 'training-curves-mlp.svg')];
  writeFileSync(svgPaths[0], historyToSvg(H1, { title: 'Linear model: loss (MSE) and MAE' }));
  writeFileSync(svgPaths[1], historyToSvg(H2, { title: 'MLP: loss (MSE) and MAE' }));
  console.log(`\n[INFO]: Training curves written to ${svgPaths.join(' and ')}`);

  for (const t of [xTr, xV, xTe, yTr, yV, kernel, bias, linearPred, mlpPred]) t.dispose();
  linear.dispose();
  mlp.dispose();
  return {
    leastSquares: { ...lsErrors, ...ls },
    linear: { ...linearErrors, ...linearFit, history: H1 },
    mlp: { ...mlpErrors, history: H2 },
    svgPaths,
  };
}
