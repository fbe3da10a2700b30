import type { Callback, FitParams, Logs } from './callbacks/types';

/**
 * What `fit` returns, as Keras's `History`: `history.loss`, `history.accuracy`,
 * `history.val_loss`, ... (one number per epoch), the epoch indices and the fit params.
 */
export class History implements Callback {
  /** One array per log key, in the order the keys first appeared. */
  history: Record<string, number[]> = {};
  /** The epoch index (0-based, from `initialEpoch`) of each entry. */
  epoch: number[] = [];
  params: FitParams | null = null;

  setParams(params: FitParams): void {
    this.params = params;
  }

  onTrainBegin(): void {
    this.epoch = [];
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}
