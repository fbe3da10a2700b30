import type { Tensor } from '@neurona/tensor';

/** Typed arrays accepted as data: one number per sample. */
export type NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array;

/**
 * Data to split on its first axis: a tensor (samples along axis 0), a typed array of one number
 * per sample, or a plain array of samples (numbers, strings, rows, objects).
 */
export type SplitData = Tensor | NumericArray | readonly unknown[];

/** A split keeps the kind of its input: tensors give tensors, typed arrays the same typed array, arrays arrays. */
export type Split<X> = X extends Tensor ? X : X extends NumericArray ? X : X extends readonly (infer E)[] ? E[] : never;

/**
 * Class labels for stratification: integer or string labels, or one-hot rows (a `[n, classes]`
 * tensor or an array of rows). Rows that are not one-hot count as one class per distinct row.
 */
export type Labels = Tensor | NumericArray | readonly unknown[];

/** Options shared by the splitting functions. */
export interface SplitOptions {
  /** Shuffle before splitting (default true). */
  shuffle?: boolean;
  /** Keep class proportions: `true` takes the classes from y, or pass the labels. */
  stratify?: boolean | Labels;
  /** Seed of the shuffle; default: the next seed of `@neurona/tensor`'s global sequence (`setSeed`). */
  seed?: number;
}

export interface TrainTestSplitOptions extends SplitOptions {
  /** A fraction in (0, 1) (rounded up) or a count; default 0.25 when trainSize is not given either. */
  testSize?: number;
  /** A fraction in (0, 1) (rounded down) or a count; default: the rest. */
  trainSize?: number;
}

export interface TrainValTestSplitOptions extends SplitOptions {
  /** Fraction of all samples (rounded up) or a count; default 0.1. */
  valSize?: number;
  /** Fraction of all samples (rounded up) or a count; default 0.2. */
  testSize?: number;
  /** Fraction of all samples (rounded down) or a count; default: the rest. */
  trainSize?: number;
}

export interface TrainTestSplit<X, Y> {
  xTrain: X;
  xTest: X;
  yTrain: Y;
  yTest: Y;
}

export interface TrainValTestSplit<X, Y> extends TrainTestSplit<X, Y> {
  xVal: X;
  yVal: Y;
}

/** One fold of a k-fold split: sample indices, ascending. */
export interface Fold {
  trainIndex: number[];
  testIndex: number[];
}

export interface KFoldOptions {
  /** Number of folds, an integer >= 2 (default 5). */
  k?: number;
  /** Shuffle before cutting folds (default false, as scikit-learn). */
  shuffle?: boolean;
  /** Seed of the shuffle; default: the next global seed. */
  seed?: number;
}
