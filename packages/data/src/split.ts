import { describeData } from '@neurona/common';
// splitDataset(): train and validation parts that read the source lazily.
import { Dataset, SELECT } from './dataset';

import { planSplit, type SplitOptions } from './ops/split';

/**
 * Split a dataset into `{ train, validation }` without reading it first: each element goes to one
 * part by its position and the seed, the same way on every pass. With a known size the parts
 * have exact sizes (`validationSize`, or `validationFraction` rounded up), chosen uniformly at
 * random; with an unknown size each element is a validation one with probability
 * `validationFraction` (a seeded hash of its position). Each part reads the whole source and
 * skips the other part's elements (cache() a costly source first). Split before `shuffle` and
 * `repeat`: positions must mean the same elements on every pass.
 */
export function splitDataset<T>(dataset: Dataset<T>, options: SplitOptions): { train: Dataset<T>; validation: Dataset<T> } {
  if (!(dataset instanceof Dataset)) throw new Error(`splitDataset: expected a Dataset, got ${describeData(dataset)}`);
  if (typeof options !== 'object' || options === null) throw new Error(`splitDataset: expected options { validationFraction } or { validationSize }, got ${describeData(options)}`);
  const plan = planSplit(dataset.size, options);
  return {
    train: dataset[SELECT](plan.isValidation, false, plan.trainSize),
    validation: dataset[SELECT](plan.isValidation, true, plan.validationSize),
  };
}
