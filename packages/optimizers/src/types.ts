import type { Tensor, Variable } from '@neurona/tensor';

/** Plain JSON data describing a configurable object (camelCase keys). */
export type Config = Record<string, unknown>;

/** `{ className, config }`: what `serialize` writes and `get`/`deserialize` read. */
export interface Serialized {
  className: string;
  config?: Config;
}

/**
 * A learning rate as a function of the optimizer step (`iterations`, starting at 0), carrying its
 * Keras class name and config so that optimizers holding it can be saved.
 */
export type LearningRateSchedule = ((step: number) => number) & {
  readonly className: string;
  getConfig(): Config;
};

/** What every optimizer does; models call `applyGradients` once per batch. */
export interface Optimizer {
  /** Keras class name: `'SGD'`, `'Adam'`, ... */
  readonly className: string;
  /** The current learning rate; settable (callbacks change it) unless it comes from a schedule. */
  learningRate: number;
  /** Steps applied so far. */
  readonly iterations: number;
  /** Update each variable in place from its gradient. The gradients are not disposed. */
  applyGradients(pairs: [Tensor, Variable][]): void;
  /**
   * Keras 3's `apply(grads, variables)`: `applyGradients` with the gradients and variables in two
   * lists (`null` gradients skipped). Optional for contributed optimizers (BaseOptimizer has it).
   */
  apply?(grads: (Tensor | null)[], variables: Variable[]): void;
  /** Plain JSON data that `get({ className, config })` turns back into an equal optimizer. */
  getConfig(): Config;
  /** State as new tensors the caller owns: `[iterations, ...slots of each variable in order]`. */
  getWeights(): Tensor[];
  /** Restore the state `getWeights` returned (before or after the first step). */
  setWeights(ws: Tensor[]): void;
  /**
   * `setWeights` for backends without synchronous reads (WebGPU in Node): reads the iteration
   * count with `await`. Optional for contributed optimizers; loaders use it when present.
   */
  setWeightsAsync?(ws: Tensor[]): Promise<void>;
  /** Release the state tensors. */
  dispose(): void;
}

/** Options every optimizer accepts (Keras's base optimizer arguments). */
export interface BaseOptimizerOptions {
  /** A number >= 0 or a schedule (`ExponentialDecay(...)`). */
  learningRate?: number | LearningRateSchedule;
  /** Decoupled weight decay: `variable -= variable * weightDecay * learningRate` before each step. */
  weightDecay?: number | null;
  /** Rescale each gradient whose L2 norm exceeds this to that norm (Keras `clipnorm`). */
  clipNorm?: number | null;
  /** Clip each gradient element to `[-clipValue, clipValue]` (Keras `clipvalue`). */
  clipValue?: number | null;
  /** Rescale all gradients together when their joint L2 norm exceeds this (Keras `global_clipnorm`). */
  globalClipNorm?: number | null;
  /** A name for messages and configs. */
  name?: string;
}

/** What the built-in optimizers (and those extending `BaseOptimizer`) add to the contract. */
export interface KerasOptimizer extends Optimizer {
  readonly name: string;
  readonly weightDecay: number | null;
  readonly clipNorm: number | null;
  readonly clipValue: number | null;
  readonly globalClipNorm: number | null;
  /** The schedule the learning rate follows, or null when it is a number. */
  readonly learningRateSchedule: LearningRateSchedule | null;
  /** Keras 3's `apply(grads, variables)` (`null` gradients skipped). */
  apply(grads: (Tensor | null)[], variables: Variable[]): void;
  /** Create the state of these variables now rather than at their first update (Keras `build`). */
  build(variables: Variable[]): void;
  /** The per-variable state names, in `getWeights` order within a variable (`['momentum', 'velocity']`). */
  getSlotNames(): string[];
  /** A name per `getWeights()` tensor: `'iterations'`, then `'<variable>/<slot>'` (`'dense/kernel/momentum'`). */
  getWeightNames(): string[];
}

/** Makes an optimizer from a config (`{ learningRate: 0.1, momentum: 0.9 }`); what `registerOptimizer` takes. */
export type OptimizerFromConfig = (config?: Config) => Optimizer;
