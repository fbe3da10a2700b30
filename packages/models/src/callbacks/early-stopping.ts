import { checkOptions } from '@neurona/common';
import { dispose } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { BaseCallback } from './base';
import { checkInteger, checkNumber, monitored, resolveMode } from './monitor';
import type { MonitorMode } from './monitor';
import type { Logs } from './types';

/** Options of `EarlyStopping`, as Keras's. */
export interface EarlyStoppingOptions {
  /** The log key to watch; default `'val_loss'`. */
  monitor?: string;
  /** A change smaller than this is not an improvement; default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping; default 0. */
  patience?: number;
  /** `'auto'` (default: max for accuracy-like keys), `'min'` or `'max'`. */
  mode?: MonitorMode;
  /** Keep training while the monitored value has not beaten this. */
  baseline?: number;
  /** At the end of training, put back the weights of the best epoch; default false. */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching at all (a warm-up); default 0. */
  startFromEpoch?: number;
  /** 1 prints when it stops and restores; default 0. */
  verbose?: 0 | 1;
}

/** Stops training when a monitored quantity has stopped improving (Keras semantics). */
export class EarlyStoppingCallback extends BaseCallback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  readonly verbose: number;
  wait = 0;
  stoppedEpoch = 0;
  best: number | undefined = undefined;
  bestEpoch = 0;
  private bestWeights: Tensor[] | null = null;
  private warned = false;

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    checkOptions('EarlyStopping', options, ['monitor', 'minDelta', 'patience', 'mode', 'baseline', 'restoreBestWeights', 'startFromEpoch', 'verbose']);
    const who = 'EarlyStopping';
    this.monitor = options.monitor ?? 'val_loss';
    this.minDelta = Math.abs(checkNumber(who, 'minDelta', options.minDelta ?? 0, -Infinity));
    this.patience = checkInteger(who, 'patience', options.patience ?? 0, 0);
    this.mode = resolveMode(who, options.mode, this.monitor);
    if (options.baseline !== undefined) checkNumber(who, 'baseline', options.baseline, -Infinity);
    this.baseline = options.baseline;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.startFromEpoch = checkInteger(who, 'startFromEpoch', options.startFromEpoch ?? 0, 0);
    this.verbose = options.verbose ?? 0;
  }

  private isImprovement(value: number, reference: number | undefined): boolean {
    if (reference === undefined) return true;
    return this.mode === 'min' ? value + this.minDelta < reference : value - this.minDelta > reference;
  }

  private snapshot(): void {
    if (this.bestWeights) dispose(this.bestWeights);
    this.bestWeights = this.requireModel('EarlyStopping').getWeights();
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = undefined;
    this.bestEpoch = 0;
    if (this.bestWeights) dispose(this.bestWeights);
    this.bestWeights = null;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const current = monitored(logs, this.monitor);
    if (current === undefined) {
      if (!this.warned) {
        this.warned = true;
        this.print(
          `EarlyStopping: "${this.monitor}" is not in the logs; available: ${Object.keys(logs).join(', ')}. ` +
            (this.monitor.startsWith('val_') ? 'Pass validationData or validationSplit to fit.' : ''),
        );
      }
      return;
    }
    if (epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights === null) {
      this.snapshot();
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.snapshot();
      if (this.baseline === undefined || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.requireModel('EarlyStopping').stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) this.print(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights) {
      if (this.verbose > 0) this.print(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.requireModel('EarlyStopping').setWeights(this.bestWeights);
      dispose(this.bestWeights);
      this.bestWeights = null;
    }
  }
}

/**
 * Stop training when `monitor` (default `'val_loss'`) has not improved for `patience` epochs.
 * `EarlyStopping({ patience: 3, restoreBestWeights: true })`
 */
export function EarlyStopping(options?: EarlyStoppingOptions): EarlyStoppingCallback {
  return new EarlyStoppingCallback(options);
}
