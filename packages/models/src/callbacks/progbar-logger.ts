import { checkOptionTypes } from '@neurona/common';
import { formatEpochLine, formatProgressBar } from '../progbar';
import type { Writer } from '../writer';
import { BaseCallback } from './base';
import type { Logs } from './types';

/** Options of `ProgbarLogger`. */
export interface ProgbarLoggerOptions {
  /** Where to write; default the `fit` writer (stdout in Node). */
  writer?: Writer;
  /** Least time between redraws on a TTY, in ms; default 100 (10 per second). */
  intervalMs?: number;
  /** Clock in ms; default `performance.now()`. */
  now?: () => number;
}

const now = (): number => globalThis.performance?.now() ?? Date.now();

/**
 * The Keras progress bar (`verbose: 1`, the default): `Epoch 3/10` then a bar redrawn in place
 * on a TTY, or one line per epoch otherwise; `verbose: 2` prints one short line per epoch.
 */
export class ProgbarLoggerCallback extends BaseCallback {
  readonly batchLogs = 'refresh' as const;
  /** It only prints: a compiled step need not write its weights back for it. */
  readonly needsWeights = false;
  private readonly intervalMs: number;
  private readonly clock: () => number;
  private readonly fixedWriter: Writer | null;
  private start = 0;
  private lastDraw = -Infinity;
  private lastWidth = 0;
  private seen = 0;

  constructor(options: ProgbarLoggerOptions = {}) {
    super();
    checkOptionTypes('ProgbarLogger', options, { writer: 'object', intervalMs: 'number', now: 'function' });
    this.fixedWriter = options.writer ?? null;
    this.intervalMs = options.intervalMs ?? 100;
    this.clock = options.now ?? now;
  }

  setWriter(writer: Writer): void {
    this.writer = this.fixedWriter ?? writer;
  }

  private get out(): Writer {
    if (!this.writer) throw new Error('ProgbarLogger: used outside fit');
    return this.writer;
  }

  private get verbose(): number {
    return this.params?.verbose ?? 1;
  }

  private values(logs: Logs): [string, number][] {
    return Object.entries(logs).filter(([k]) => k !== 'batch' && k !== 'size');
  }

  onEpochBegin(epoch: number): void {
    if (this.verbose === 0) return;
    this.start = this.clock();
    this.lastDraw = -Infinity;
    this.lastWidth = 0;
    this.seen = 0;
    this.out.write(`Epoch ${epoch + 1}/${this.params?.epochs ?? '?'}\n`);
  }

  /** Values are needed only to redraw the bar on a TTY, at most every `intervalMs`. */
  wantsBatchValues(): boolean {
    if (this.verbose !== 1 || !this.out.isTTY) return false;
    const t = this.clock();
    if (t - this.lastDraw < this.intervalMs) return false;
    this.lastDraw = t;
    return true;
  }

  onBatchEnd(batch: number, logs: Logs): void {
    this.seen = batch + 1;
    if (this.verbose !== 1 || !this.out.isTTY || !('loss' in logs)) return;
    const t = this.clock();
    const target = this.params ? this.params.steps : batch + 1;
    const line = formatProgressBar({ current: batch + 1, target, elapsed: (t - this.start) / 1000, values: this.values(logs) });
    this.draw(line);
  }

  private draw(line: string): void {
    // pad with spaces so a shorter line fully covers the previous one
    const pad = Math.max(0, this.lastWidth - line.length);
    this.lastWidth = line.length;
    this.out.write(`\r${line}${' '.repeat(pad)}`);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    if (this.verbose === 0) return;
    // a dataset's length is unknown during its first epoch (Keras prints `Unknown`); fit sets
    // params.steps after it
    const target = this.params ? this.params.steps : this.seen;
    const current = this.seen > 0 ? this.seen : (target ?? 0);
    const elapsed = (this.clock() - this.start) / 1000;
    const state = { current, target, elapsed, values: this.values(logs), final: true };
    if (this.verbose === 2) {
      this.out.write(`${formatEpochLine(state)}\n`);
    } else if (this.out.isTTY) {
      this.draw(formatProgressBar(state));
      this.out.write('\n');
    } else {
      this.out.write(`${formatProgressBar(state)}\n`);
    }
  }
}

/** The default progress logger; pass one in `callbacks` to give it its own writer or clock. */
export function ProgbarLogger(options?: ProgbarLoggerOptions): ProgbarLoggerCallback {
  return new ProgbarLoggerCallback(options);
}
