import { callableBase } from '@neurona/common';

/** A metric is callable: `Precision()(yTrue, yPred)` is `Precision().batchValue(yTrue, yPred)`, the 0.1 form. */
export const CallableMetricBase = callableBase('batchValue');
