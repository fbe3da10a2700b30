import { checkOptionTypes } from '@neurona/common';
import { BaseCallback } from './base';
import type { Logs } from './types';

/** `(epoch, currentLearningRate) => newLearningRate`; epoch is 0-based. */
export type EpochSchedule = (epoch: number, learningRate: number) => number;

/** Sets the optimizer's learning rate at the start of each epoch from `schedule(epoch, lr)`. */
export class LearningRateSchedulerCallback extends BaseCallback {
  constructor(
    readonly schedule: EpochSchedule,
    readonly verbose: 0 | 1 = 0,
  ) {
    super();
    if (typeof schedule !== 'function') {
      throw new Error(`LearningRateScheduler: schedule must be a function (epoch, lr) => lr, got ${typeof schedule}`);
    }
  }

  private optimizer(): { learningRate: number } {
    const opt = this.requireModel('LearningRateScheduler').optimizer;
    if (!opt) throw new Error('LearningRateScheduler: the model has no optimizer; compile it first');
    return opt;
  }

  onEpochBegin(epoch: number): void {
    const opt = this.optimizer();
    const lr = this.schedule(epoch, opt.learningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new Error(`LearningRateScheduler: schedule(${epoch}, ${opt.learningRate}) must return a finite number >= 0, got ${String(lr)}`);
    }
    opt.learningRate = lr;
    if (this.verbose > 0) this.print(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    logs.learning_rate = this.optimizer().learningRate;
  }
}

/**
 * Change the learning rate each epoch: `LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * 0.9))`.
 * The value used is recorded in History as `learning_rate`.
 */
export function LearningRateScheduler(schedule: EpochSchedule, options: { verbose?: 0 | 1 } = {}): LearningRateSchedulerCallback {
  checkOptionTypes('LearningRateScheduler', options, { verbose: 'integer' });
  return new LearningRateSchedulerCallback(schedule, options.verbose ?? 0);
}
