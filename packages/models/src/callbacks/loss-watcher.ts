import { checkOptions } from '@neurona/common';
import { formatValue } from '../progbar';
import type { Finding } from '../finding';
import { BaseCallback } from './base';
import { checkInteger, checkNumber } from './monitor';
import type { Logs } from './types';

/** Options of `LossWatcher`. */
export interface LossWatcherOptions {
  /** Epochs in a row of rising loss (or growing validation gap) before it speaks up; default 3. */
  patience?: number;
  /** The least rise of one epoch that counts, relative to the epoch before (default 1e-3: 0.1%). */
  minDelta?: number;
  /** The least rise over the `patience` epochs, relative to where they started (default 0.01: 1%). */
  minRise?: number;
  /**
   * The least growth of the gap `val_loss - loss` over the `patience` epochs before the overfitting
   * note, relative to the validation loss where they started (default 0.05: 5%).
   */
  minGapGrowth?: number;
  /** Print findings as they happen (through the fit writer); default true. */
  print?: boolean;
}

const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;

/**
 * Watches the loss during `fit` and says what to try when it turns NaN/Inf or keeps rising (the
 * course's "Consejos"). `fit` adds one when `verbose` is on; its findings stay in `findings`.
 *
 * The rules (each finding once per watcher), over the last `patience + 1` epochs (the window):
 * - `loss-nan` (warning): the training loss is NaN or infinite, at once.
 * - `loss-rising` (warning): the training loss rose at every epoch of the window, each time by
 *   more than `minDelta` of the epoch before, and in all by more than `minRise` of where the
 *   window started. SGD's epoch-to-epoch jitter (0.2848 → 0.2857) is not a rise.
 * - `overfitting` (info): among epochs with a validation loss, the gap `val_loss - loss` grew at
 *   every epoch of the window and in all by more than `minGapGrowth` of the validation loss where
 *   the window started, while the validation loss ended more than `minRise` higher and the
 *   training loss lower than they started.
 */
export class LossWatcherCallback extends BaseCallback {
  readonly patience: number;
  readonly minDelta: number;
  readonly minRise: number;
  readonly minGapGrowth: number;
  readonly printFindings: boolean;
  readonly findings: Finding[] = [];
  private history: number[] = [];
  // (training, validation) loss of the epochs that have both
  private pairs: { train: number; val: number }[] = [];
  private reported = new Set<string>();

  constructor(options: LossWatcherOptions = {}) {
    super();
    checkOptions('LossWatcher', options, ['patience', 'minDelta', 'minRise', 'minGapGrowth', 'print']);
    this.patience = checkInteger('LossWatcher', 'patience', options.patience ?? 3, 1);
    this.minDelta = checkNumber('LossWatcher', 'minDelta', options.minDelta ?? 1e-3, 0);
    this.minRise = checkNumber('LossWatcher', 'minRise', options.minRise ?? 0.01, 0);
    this.minGapGrowth = checkNumber('LossWatcher', 'minGapGrowth', options.minGapGrowth ?? 0.05, 0);
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

  /** The last `patience + 1` values, or null when there are fewer. */
  private window<T>(values: T[]): T[] | null {
    return values.length < this.patience + 1 ? null : values.slice(-(this.patience + 1));
  }

  /**
   * The relative rise over `tail` when it rose at every step by more than `minDelta` (relative)
   * and in all by more than `minRise`; null otherwise.
   */
  private meaningfulRise(tail: number[]): number | null {
    const steady = tail.every((v, i) => i === 0 || v - tail[i - 1] > this.minDelta * Math.abs(tail[i - 1]));
    const rise = (tail[tail.length - 1] - tail[0]) / Math.abs(tail[0]);
    return steady && rise > this.minRise ? rise : null;
  }

  onTrainBegin(): void {
    this.history = [];
    this.pairs = [];
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
    const tail = this.window(this.history);
    const rise = tail ? this.meaningfulRise(tail) : null;
    if (tail && rise !== null) {
      this.report({
        level: 'warning',
        code: 'loss-rising',
        message:
          `The training loss has risen for ${this.patience} epochs in a row (${tail.map(formatValue).join(' → ')}` +
          `${Number.isFinite(rise) ? `, +${percent(rise)}` : ''}): the learning rate${this.learningRate()} is probably too high for this batch size. ` +
          `Try it 3–10× lower (or ReduceLROnPlateau), or a larger batch.`,
      });
    }
    const val = logs.val_loss;
    if (typeof val === 'number' && Number.isFinite(val)) {
      this.pairs.push({ train: loss, val });
      this.checkOverfitting();
    }
  }

  private checkOverfitting(): void {
    const w = this.window(this.pairs);
    if (!w) return;
    const first = w[0];
    const last = w[w.length - 1];
    const gaps = w.map((p) => p.val - p.train);
    const widening = gaps.every((g, i) => i === 0 || g > gaps[i - 1]);
    const scale = Math.abs(first.val);
    const growth = (gaps[gaps.length - 1] - gaps[0]) / scale;
    const valRose = last.val - first.val > this.minRise * scale;
    const trainFell = last.train < first.train;
    if (!(widening && growth > this.minGapGrowth && valRose && trainFell)) return;
    this.report({
      level: 'info',
      code: 'overfitting',
      message:
        `The validation loss has risen for ${this.patience} epochs (${w.map((p) => formatValue(p.val)).join(' → ')}) while ` +
        `the training loss fell (${w.map((p) => formatValue(p.train)).join(' → ')})` +
        `${Number.isFinite(growth) ? `; their gap grew by ${percent(growth)} of the validation loss` : ''}: the model is starting to overfit. Try EarlyStopping({ monitor: 'val_loss', ` +
        `restoreBestWeights: true }), more data, Dropout or a kernelRegularizer.`,
    });
  }
}

/** A callback that explains NaN or rising losses in plain words: `callbacks: [LossWatcher()]`. */
export function LossWatcher(options?: LossWatcherOptions): LossWatcherCallback {
  return new LossWatcherCallback(options);
}
