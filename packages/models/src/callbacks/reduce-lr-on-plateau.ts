import { checkOptions } from '@neurona/common';
import { BaseCallback } from './base';
import { checkInteger, checkNumber, monitored, resolveMode } from './monitor';
import type { MonitorMode } from './monitor';
import type { Logs } from './types';

/** Options of `ReduceLROnPlateau`, as Keras's. */
export interface ReduceLROnPlateauOptions {
  /** Default `'val_loss'`. */
  monitor?: string;
  /** New lr = lr × factor; must be < 1. Default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing; default 10. */
  patience?: number;
  mode?: MonitorMode;
  /** Improvements smaller than this do not count; default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again; default 0. */
  cooldown?: number;
  /** The learning rate never goes below this; default 0. */
  minLr?: number;
  verbose?: 0 | 1;
}

/** Lowers the learning rate when a monitored quantity has stopped improving (Keras semantics). */
export class ReduceLROnPlateauCallback extends BaseCallback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly verbose: number;
  wait = 0;
  cooldownCounter = 0;
  best = Infinity;
  private warned = false;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    super();
    checkOptions('ReduceLROnPlateau', options, ['monitor', 'factor', 'patience', 'mode', 'minDelta', 'cooldown', 'minLr', 'verbose']);
    const who = 'ReduceLROnPlateau';
    this.monitor = options.monitor ?? 'val_loss';
    this.factor = checkNumber(who, 'factor', options.factor ?? 0.1, 0, true);
    if (this.factor >= 1) throw new Error(`${who}: factor must be < 1 (it multiplies the learning rate), got ${this.factor}`);
    this.patience = checkInteger(who, 'patience', options.patience ?? 10, 0);
    this.mode = resolveMode(who, options.mode, this.monitor);
    this.minDelta = checkNumber(who, 'minDelta', options.minDelta ?? 1e-4, 0);
    this.cooldown = checkInteger(who, 'cooldown', options.cooldown ?? 0, 0);
    this.minLr = checkNumber(who, 'minLr', options.minLr ?? 0, 0);
    this.verbose = options.verbose ?? 0;
    this.reset();
  }

  private reset(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.wait = 0;
    this.cooldownCounter = 0;
  }

  private better(a: number, b: number): boolean {
    return this.mode === 'min' ? a < b - this.minDelta : a > b + this.minDelta;
  }

  onTrainBegin(): void {
    this.reset();
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const opt = this.requireModel('ReduceLROnPlateau').optimizer;
    if (!opt) return;
    logs.learning_rate = opt.learningRate;
    const current = monitored(logs, this.monitor);
    if (current === undefined) {
      if (!this.warned) {
        this.warned = true;
        this.print(`ReduceLROnPlateau: "${this.monitor}" is not in the logs; available: ${Object.keys(logs).join(', ')}.`);
      }
      return;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.better(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      // (re-checked after the decrement above, as Keras does)
      this.wait += 1;
      if (this.wait >= this.patience) {
        const old = opt.learningRate;
        // float32 comparison as Keras: an lr already at minLr (up to rounding) stays
        if (Math.fround(old) > Math.fround(this.minLr)) {
          const next = Math.max(old * this.factor, this.minLr);
          opt.learningRate = next;
          if (this.verbose > 0) this.print(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}

/**
 * Multiply the learning rate by `factor` when `monitor` has not improved for `patience` epochs.
 * `ReduceLROnPlateau({ factor: 0.5, patience: 2, minLr: 1e-5 })`
 */
export function ReduceLROnPlateau(options?: ReduceLROnPlateauOptions): ReduceLROnPlateauCallback {
  return new ReduceLROnPlateauCallback(options);
}
