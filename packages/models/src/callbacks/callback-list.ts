import type { Writer } from '../writer';
import type { Callback, CallbackModel, FitParams, Logs } from './types';

function isPromise(x: unknown): x is Promise<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/** Calls every callback's hook in order, awaiting the async ones (and only those). */
export class CallbackList {
  /** Some callback wants loss/metric values after every batch. */
  readonly wantsEveryBatch: boolean;
  readonly hasBatchBegin: boolean;
  readonly hasBatchEnd: boolean;
  /** Some batch hook may look at the model's weights (a compiled step writes them back first). */
  readonly batchHooksNeedWeights: boolean;
  private readonly askers: Callback[];
  /** Some 'refresh' callback relies on the default timer rather than asking. */
  readonly refreshOnTimer: boolean;

  constructor(readonly callbacks: Callback[]) {
    const withEnd = callbacks.filter((c) => typeof c.onBatchEnd === 'function');
    this.wantsEveryBatch = withEnd.some((c) => (c.batchLogs ?? 'every') === 'every');
    this.hasBatchBegin = callbacks.some((c) => typeof c.onBatchBegin === 'function');
    this.hasBatchEnd = withEnd.length > 0;
    this.batchHooksNeedWeights = callbacks.some(
      (c) => (typeof c.onBatchBegin === 'function' || typeof c.onBatchEnd === 'function') && c.needsWeights !== false,
    );
    const refresh = withEnd.filter((c) => c.batchLogs === 'refresh');
    this.askers = refresh.filter((c) => typeof c.wantsBatchValues === 'function');
    this.refreshOnTimer = refresh.some((c) => typeof c.wantsBatchValues !== 'function');
  }

  /** True when some callback asks for the values after this batch. */
  asksForValues(batch: number): boolean {
    let any = false;
    // every asker is consulted (their clocks advance together)
    for (const c of this.askers) if (c.wantsBatchValues!(batch)) any = true;
    return any;
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
