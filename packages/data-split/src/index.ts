export type {
  SplitData,
  Split,
  Labels,
  NumericArray,
  SplitOptions,
  TrainTestSplitOptions,
  TrainValTestSplitOptions,
  TrainTestSplit,
  TrainValTestSplit,
  Fold,
  KFoldOptions,
} from './types';
export { trainTestSplit } from './train-test-split';
export { trainValTestSplit } from './train-val-test-split';
export { kFold } from './k-fold';
export { stratifiedKFold } from './stratified-k-fold';
export { take } from './data';
