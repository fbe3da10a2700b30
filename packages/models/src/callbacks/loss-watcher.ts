import { formatValue } from '../progbar';
import type { Finding } from '../finding';
import { BaseCallback } from './base';
import { checkInteger } from './monitor';
import type { Logs } from './types';

/** Options of `LossWatcher`. */
export interface LossWatcherOptions {
  /** Epochs in a row of rising loss before it speaks up; default 3. */
  patience?: number;
  /** Print findings as they happen (through the fit writer); default true. */
  print?: boolean;
}

/**
 * Watches the loss during `fit` and says what to try when it turns NaN/Inf or keeps rising (the
 * course's "Consejos"). `fit` adds one when `verbose` is on; its findings stay in `findings`.
 */
export class LossWatcherCallback extends BaseCallback {
  readonly patience: number;
  readonly printFindings: boolean;
  readonly findings: Finding[] = [];
  private history: number[] = [];
  private valHistory: number[] = [];
  private reported = new Set<string>();

  constructor(options: LossWatcherOptions = {}) {
    super();
    this.patience = checkInteger('LossWatcher', 'patience', options.patience ?? 3, 1);
    this.printFindings = options.print ?? true;
  }

  private report(f: Finding): void {
    if (this.reported.has(f.code)) return;
    this.reported.add(f.code);
    this.findings.push(f);
    if (this.printFindings) this.print(`[${f.level}] ${f.message}`);
  }

  private learningRate(): string {
    const lr = this.model?.optimizer?.learningRate;
    return lr === undefined ? '' : ` (now ${lr})`;
  }

  /** True when the last `patience + 1` values rose step after step. */
  private rising(values: number[]): boolean {
    if (values.length < this.patience + 1) return false;
    const tail = values.slice(-(this.patience + 1));
    return tail.every((v, i) => i === 0 || v > tail[i - 1]);
  }

  onTrainBegin(): void {
    this.history = [];
    this.valHistory = [];
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const loss = logs.loss;
    if (typeof loss !== 'number') return;
    if (!Number.isFinite(loss)) {
      this.report({
        level: 'warning',
        code: 'loss-nan',
        message:
          `Epoch ${epoch + 1}: the loss became ${formatValue(loss)}. Try: a lower learning rate${this.learningRate()}, ` +
          `e.g. 10× smaller; check x and y for NaN/Inf and scale the inputs (e.g. pixels to [0, 1]); ` +
          `clip the gradients (optimizer option clipNorm: 1).`,
      });
      return;
    }
    this.history.push(loss);
    if (this.rising(this.history)) {
      const tail = this.history.slice(-(this.patience + 1)).map(formatValue).join(' → ');
      this.report({
        level: 'warning',
        code: 'loss-rising',
        message:
          `The training loss has risen for ${this.patience} epochs in a row (${tail}): the learning rate${this.learningRate()} ` +
          `is probably too high for this batch size. Try it 3–10× lower (or ReduceLROnPlateau), or a larger batch.`,
      });
    }
    const val = logs.val_loss;
    if (typeof val === 'number' && Number.isFinite(val)) {
      this.valHistory.push(val);
      const n = this.patience + 1;
      const trainFell = this.history.length >= n && this.history[this.history.length - 1] < this.history[this.history.length - n];
      if (this.rising(this.valHistory) && trainFell) {
        this.report({
          level: 'info',
          code: 'overfitting',
          message:
            `The validation loss has risen for ${this.patience} epochs while the training loss kept falling: the model ` +
            `is starting to overfit. Try EarlyStopping({ monitor: 'val_loss', restoreBestWeights: true }), ` +
            `more data, Dropout or a kernelRegularizer.`,
        });
      }
    }
  }
}

/** A callback that explains NaN or rising losses in plain words: `callbacks: [LossWatcher()]`. */
export function LossWatcher(options?: LossWatcherOptions): LossWatcherCallback {
  return new LossWatcherCallback(options);
}
