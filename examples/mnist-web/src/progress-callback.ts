import type { Callback, FitParams, Logs } from '@neurona/models';
import { historyToSvg } from '@neurona/metrics';
import type { PageView } from './shared/view';
import { nextFrame } from './next-frame';

/**
 * A fit callback that drives the page: epoch and batch progress, the loss/accuracy chart (train
 * and validation) redrawn after every epoch, the validation accuracy and each epoch's wall time
 * (training and validation, measured from onEpochBegin to onEpochEnd).
 */
export function progressCallback(view: PageView): Callback & { epochTimes: number[] } {
  const history: Record<string, number[]> = {};
  const epochTimes: number[] = [];
  let params: FitParams | null = null;
  let epoch = 0;
  let t0 = 0;
  return {
    epochTimes,
    // Batch values are not needed, only the count: do not read the loss back from the GPU every batch
    batchLogs: 'refresh',
    setParams(p) {
      params = p;
    },
    onEpochBegin(e) {
      epoch = e;
      t0 = performance.now();
      if (params) view.setProgress(e + 1, params.epochs, 0, params.steps ?? 0);
    },
    onBatchEnd(batch) {
      if (params) view.setProgress(epoch + 1, params.epochs, batch + 1, params.steps ?? 0);
    },
    async onEpochEnd(e, logs: Logs) {
      epochTimes.push(performance.now() - t0);
      for (const [k, v] of Object.entries(logs)) (history[k] ??= []).push(v);
      view.setEpochTimes(epochTimes);
      view.setChart(historyToSvg({ history }, { width: 720, height: 320 }));
      if (logs.val_accuracy !== undefined) view.setValAccuracy(logs.val_accuracy);
      await nextFrame();
    },
  };
}
