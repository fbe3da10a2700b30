import { BaseCallback } from './base';
import type { Logs } from './types';

/**
 * Stops training as soon as the loss is NaN or infinite. It looks at the running loss whenever
 * it is read back (each progress refresh and each epoch end), so it adds no device reads of its own.
 */
export class TerminateOnNaNCallback extends BaseCallback {
  readonly batchLogs = 'refresh' as const;
  /** The batch (or -1 for an epoch end) at which it stopped training, if it did. */
  stoppedAt: { epoch: number; batch: number } | null = null;
  private epoch = 0;

  onTrainBegin(): void {
    this.stoppedAt = null;
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  private check(batch: number, logs: Logs): void {
    const loss = logs.loss;
    if (typeof loss === 'number' && !Number.isFinite(loss) && !this.stoppedAt) {
      this.stoppedAt = { epoch: this.epoch, batch };
      this.print(`Batch ${batch}: Invalid loss, terminating training`);
      this.requireModel('TerminateOnNaN').stopTraining = true;
    }
  }

  onBatchEnd(batch: number, logs: Logs): void {
    this.check(batch, logs);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    this.check(-1, logs);
  }
}

/** Stop training when the loss becomes NaN or infinite: `callbacks: [TerminateOnNaN()]`. */
export function TerminateOnNaN(): TerminateOnNaNCallback {
  return new TerminateOnNaNCallback();
}
