import { abs, div, log1p, maximum, mean, mul, square, sub, tidy } from '@neurona/tensor';
import type { MetricFunction } from './types';
import type { MetricOptions } from './metric';
import { alignPair } from './shapes';
import { MeanMetricWrapperClass } from './wrapper';
import { checkKeys, checkName } from './validate';

// Regression error metrics (metrics=['mae'] and friends): the loss formulas of Keras, averaged over
// the batch. Kept here because metrics depend on the tensor package only.

const EPSILON = 1e-7;

/** Per-sample `mean((yPred - yTrue)², -1)`. */
export const meanSquaredError: MetricFunction = (yTrue, yPred) =>
  tidy(() => {
    const [t, p] = alignPair('mean_squared_error', yTrue, yPred);
    return mean(square(sub(p, t)), -1);
  });

/** Per-sample `mean(|yPred - yTrue|, -1)`. */
export const meanAbsoluteError: MetricFunction = (yTrue, yPred) =>
  tidy(() => {
    const [t, p] = alignPair('mean_absolute_error', yTrue, yPred);
    return mean(abs(sub(p, t)), -1);
  });

/** Per-sample `100 · mean(|yTrue - yPred| / max(|yTrue|, 1e-7), -1)`. */
export const meanAbsolutePercentageError: MetricFunction = (yTrue, yPred) =>
  tidy(() => {
    const [t, p] = alignPair('mean_absolute_percentage_error', yTrue, yPred);
    return mul(mean(abs(div(sub(t, p), maximum(abs(t), EPSILON))), -1), 100);
  });

/** Per-sample `mean((log(max(yPred, ε) + 1) - log(max(yTrue, ε) + 1))², -1)`. */
export const meanSquaredLogarithmicError: MetricFunction = (yTrue, yPred) =>
  tidy(() => {
    const [t, p] = alignPair('mean_squared_logarithmic_error', yTrue, yPred);
    return mean(square(sub(log1p(maximum(p, EPSILON)), log1p(maximum(t, EPSILON)))), -1);
  });

// One MeanMetricWrapper subclass per metric, so className is the Keras class name.
function factory(className: string, defaultName: string, fn: MetricFunction): (options?: MetricOptions) => MeanMetricWrapperClass {
  const Cls = class extends MeanMetricWrapperClass {
    static override readonly className: string = className;
    constructor(options: MetricOptions = {}) {
      checkKeys(className, options, ['name']);
      super(fn, { name: checkName(className, options.name, defaultName) });
    }
  };
  return (options = {}) => new Cls(options);
}

/** Mean squared error metric (`'mse'`). */
export const MeanSquaredError = factory('MeanSquaredError', 'mean_squared_error', meanSquaredError);
/** Mean absolute error metric (`'mae'`). */
export const MeanAbsoluteError = factory('MeanAbsoluteError', 'mean_absolute_error', meanAbsoluteError);
/** Mean absolute percentage error metric (`'mape'`). */
export const MeanAbsolutePercentageError = factory(
  'MeanAbsolutePercentageError',
  'mean_absolute_percentage_error',
  meanAbsolutePercentageError,
);
/** Mean squared logarithmic error metric (`'msle'`). */
export const MeanSquaredLogarithmicError = factory(
  'MeanSquaredLogarithmicError',
  'mean_squared_logarithmic_error',
  meanSquaredLogarithmicError,
);
