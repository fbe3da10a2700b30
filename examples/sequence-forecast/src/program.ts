import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useNodeBackend } from '@neurona/backend-node';
import { Dense, GRU } from '@neurona/layers';
import { historyToSvg } from '@neurona/metrics';
import { Sequential, type History } from '@neurona/models';
import { Adam } from '@neurona/optimizers';
import { setSeed, tensor2d, tensor3d, type Tensor } from '@neurona/tensor';
import { FORMULA, errors, makeSeries, windows } from './series';
import type { Settings } from './settings';

/** Test errors of one forecast. */
export interface ForecastErrors {
  mae: number;
  rmse: number;
}

/** What a run produced. */
export interface ForecastResult {
  gru: ForecastErrors;
  /** The value of the hour before (the naive forecast). */
  lastValue: ForecastErrors;
  /** The value 24 hours before (the seasonal naive forecast). */
  seasonal: ForecastErrors;
  history: History;
  svgPath: string;
  testWindows: number;
}

const num = (v: number) => v.toFixed(4).padStart(9);

/**
 * One step ahead forecasting of a seasonal series: a GRU reads the last `window` values and
 * predicts the next one. The split is chronological (the first 70% of the series trains, the next
 * 15% validates, the last 15% tests). The trend takes the last part of the series beyond the values
 * the model trained on, so each window is seen relative to its last value (`x − x_last`, and the
 * target `y − x_last`): the model learns the change to come, which the naive forecast (no change)
 * sets to zero. The GRU is compared with the naive forecasts (the last value, and the value one
 * season before).
 */
export async function main(settings: Settings): Promise<ForecastResult> {
  const { epochs, length, window, noise, seed, outDir } = settings;
  await useNodeBackend();
  setSeed(seed);
  console.log(`[INFO]: ${FORMULA} (σ = ${noise}), ${length} hours; forecasting the next hour from the last ${window}`);
  const series = makeSeries(length, noise, seed);
  const [trainEnd, valEnd] = [Math.floor(0.7 * length), Math.floor(0.85 * length)];
  // each split's windows end inside it (they may start in the part before: the past is known)
  const part = (from: number, to: number) => windows(series.slice(Math.max(0, from - window), to), window);
  const [tr, va, te] = [part(0, trainEnd), part(trainEnd, valEnd), part(valEnd, length)];
  // the scale of one step's change in the training part
  const changes = tr.y.map((v, i) => v - tr.x[i][window - 1]);
  const scale = Math.sqrt(changes.reduce((a, b) => a + b * b, 0) / changes.length);
  const asSeq = (x: number[][]) => tensor3d(x.map((row) => row.map((v) => [(v - row[window - 1]) / scale])));
  const col = (w: { x: number[][]; y: number[] }) => tensor2d(w.y.map((v, i) => (v - w.x[i][window - 1]) / scale), [w.y.length, 1]);
  const [xTr, xVa, xTe] = [tr.x, va.x, te.x].map(asSeq);
  const [yTr, yVa] = [tr, va].map(col);

  const model = Sequential([GRU(32, { inputShape: [window, 1] }), Dense(1)]);
  model.compile({ loss: 'mse', optimizer: Adam(0.005), metrics: ['mae'] });
  model.summary();
  const history = await model.fit(xTr, yTr, { validationData: [xVa, yVa], epochs, batchSize: 32 });
  const pred = model.predict(xTe) as Tensor;

  // errors in the series' own units
  const truth = te.y;
  const p = Array.from(await pred.data(), (d, i) => te.x[i][window - 1] + d * scale);
  const gru = errors(truth, p);
  const lastValue = errors(truth, te.x.map((row) => row[window - 1]));
  const seasonal = errors(truth, te.x.map((row) => row[window - 24]));

  console.log(`\nTest: the last ${truth.length} hours, one step ahead       MAE     RMSE`);
  console.log(`GRU(32) → Dense(1), ${window} values in${' '.repeat(15 - String(window).length)}${num(gru.mae)}${num(gru.rmse)}`);
  console.log(`naive: the value of the hour before        ${num(lastValue.mae)}${num(lastValue.rmse)}`);
  console.log(`seasonal naive: the value 24 hours before  ${num(seasonal.mae)}${num(seasonal.rmse)}`);
  console.log(`noise alone                                ${num(noise * Math.sqrt(2 / Math.PI))}${num(noise)}`);

  const svgPath = join(outDir, 'training-curves-forecast.svg');
  writeFileSync(svgPath, historyToSvg(history, { title: 'GRU forecast: loss (MSE) and MAE of the scaled change' }));
  console.log(`\n[INFO]: Training curves written to ${svgPath}`);
  for (const t of [xTr, xVa, xTe, yTr, yVa, pred]) t.dispose();
  model.dispose();
  return { gru, lastValue, seasonal, history, svgPath, testWindows: truth.length };
}
