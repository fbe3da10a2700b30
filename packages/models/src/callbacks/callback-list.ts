import type { Writer } from '../writer';
import type { Callback, CallbackModel, FitParams, Logs } from './types';

function isPromise(x: unknown): x is Promise<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/** Calls every callback's hook in order, awaiting the async ones (and only those). */
export class CallbackList {
  /** Some callback wants loss/metric values after every batch. */
  readonly wantsEveryBatch: boolean;
  /** Some callback wants loss/metric values at progress refreshes. */
  readonly wantsRefresh: boolean;
  readonly hasBatchBegin: boolean;
  readonly hasBatchEnd: boolean;

  constructor(readonly callbacks: Callback[]) {
    const withEnd = callbacks.filter((c) => typeof c.onBatchEnd === 'function');
    this.wantsEveryBatch = withEnd.some((c) => (c.batchLogs ?? 'every') === 'every');
    this.wantsRefresh = withEnd.some((c) => c.batchLogs === 'refresh');
    this.hasBatchBegin = callbacks.some((c) => typeof c.onBatchBegin === 'function');
    this.hasBatchEnd = withEnd.length > 0;
  }

  setup(model: CallbackModel, params: FitParams, writer: Writer): void {
    for (const c of this.callbacks) {
      c.setModel?.(model);
      c.setParams?.(params);
      c.setWriter?.(writer);
    }
  }

  async onTrainBegin(logs: Logs): Promise<void> {
    for (const c of this.callbacks) {
      const r = c.onTrainBegin?.(logs);
      if (isPromise(r)) await r;
    }
  }

  async onTrainEnd(logs: Logs): Promise<void> {
    for (const c of this.callbacks) {
      const r = c.onTrainEnd?.(logs);
      if (isPromise(r)) await r;
    }
  }

  async onEpochBegin(epoch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) {
      const r = c.onEpochBegin?.(epoch, logs);
      if (isPromise(r)) await r;
    }
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) {
      const r = c.onEpochEnd?.(epoch, logs);
      if (isPromise(r)) await r;
    }
  }

  async onBatchBegin(batch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) {
      const r = c.onBatchBegin?.(batch, logs);
      if (isPromise(r)) await r;
    }
  }

  async onBatchEnd(batch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) {
      const r = c.onBatchEnd?.(batch, logs);
      if (isPromise(r)) await r;
    }
  }
}
