import { checkOptions } from '@neurona/common';
import { saveModel, saveWeights } from '../io/save-model';
import type { ModelLocation } from '../io/router';
import { LayersModel } from '../model';
import { BaseCallback } from './base';
import { checkInteger, checkNumber, monitored, resolveMode } from './monitor';
import type { MonitorMode } from './monitor';
import type { Callback, Logs } from './types';

/** Options of `ModelCheckpoint`, as Keras's. */
export interface ModelCheckpointOptions {
  /** The log key `saveBestOnly` watches; default `'val_loss'`. */
  monitor?: string;
  /** Save only when `monitor` improves on the best value so far (the file then always holds the best model). */
  saveBestOnly?: boolean;
  /** Save only the weights (read them back with `loadWeights`); default false: the whole model with its optimizer state. */
  saveWeightsOnly?: boolean;
  /** `'auto'` (default: max for accuracy-like keys), `'min'` or `'max'`. */
  mode?: MonitorMode;
  /** `'epoch'` (default): at the end of each epoch; a number: every that many batches. */
  saveFreq?: 'epoch' | number;
  /** With `saveBestOnly`: the value to beat before the first save. */
  initialValueThreshold?: number;
  /** 1 prints a line at each save (and each skipped save with saveBestOnly); default 0. */
  verbose?: 0 | 1;
}

const KNOWN = ['monitor', 'saveBestOnly', 'saveWeightsOnly', 'mode', 'saveFreq', 'initialValueThreshold', 'verbose'];

/** A number as Python's `f"{x:.5f}"` prints it (`inf`, `-inf`, `0.91000`). */
function fixed5(x: number): string {
  return Number.isFinite(x) ? x.toFixed(5) : x > 0 ? 'inf' : x < 0 ? '-inf' : 'nan';
}

/**
 * Fill `{epoch}` (1-based, as Keras), `{batch}` and log keys such as `{val_loss}` into a path,
 * with Python-style specs: `{epoch:02d}`, `{val_loss:.4f}`.
 */
export function formatCheckpointPath(template: string, values: Record<string, number>): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g, (_m, key: string, spec: string | undefined) => {
    const v = values[key];
    if (typeof v !== 'number') {
      throw new Error(`ModelCheckpoint: the path "${template}" uses {${key}}, which is not in the logs; available: ${Object.keys(values).join(', ')}`);
    }
    if (!spec) return Number.isInteger(v) ? String(v) : String(v);
    const m = /^(0?)(\d*)(?:\.(\d+))?([dfe])$/.exec(spec);
    if (!m) throw new Error(`ModelCheckpoint: unsupported format "{${key}:${spec}}" in "${template}"; use d, .Nf or .Ne (e.g. {epoch:02d}, {val_loss:.2f})`);
    const [, zero, width, precision, kind] = m;
    let s = kind === 'd' ? String(Math.round(v)) : kind === 'f' ? v.toFixed(Number(precision ?? 6)) : v.toExponential(Number(precision ?? 6));
    const w = Number(width || 0);
    if (s.length < w) s = zero ? (s.startsWith('-') ? `-${s.slice(1).padStart(w - 1, '0')}` : s.padStart(w, '0')) : s.padStart(w, ' ');
    return s;
  });
}

/**
 * Saves the model during `fit`, as Keras's `ModelCheckpoint`: every epoch, or only when the
 * monitored value improves (`saveBestOnly`). The path may hold `{epoch}` and log keys:
 * `ModelCheckpoint('ckpt/epoch-{epoch:02d}-{val_loss:.3f}', { saveBestOnly: true })`. A full save
 * includes the optimizer state, so `loadModel` + `fit(..., { initialEpoch })` resumes training.
 */
export class ModelCheckpointCallback extends BaseCallback {
  readonly monitor: string;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly mode: 'min' | 'max';
  readonly saveFreq: 'epoch' | number;
  readonly verbose: number;
  /** The best monitored value so far (with saveBestOnly). */
  best: number | undefined;
  /** Where the latest save went. */
  lastSaved: string | null = null;
  batchLogs?: Callback['batchLogs'];
  onBatchEnd?: (batch: number, logs: Logs) => Promise<void>;
  private epoch = 0;
  private batchesSinceSave = 0;
  private warned = false;

  constructor(
    readonly filepath: string,
    options: ModelCheckpointOptions = {},
  ) {
    super();
    const who = 'ModelCheckpoint';
    if (typeof filepath !== 'string' || filepath.length === 0) {
      throw new Error(`${who}: filepath must be a non-empty string (a folder, 'indexeddb://name'...), got ${String(filepath)}`);
    }
    checkOptions(who, options, KNOWN);
    this.monitor = options.monitor ?? 'val_loss';
    if (typeof this.monitor !== 'string' || this.monitor.length === 0) throw new Error(`${who}: monitor must be a log key such as 'val_loss', got ${String(this.monitor)}`);
    for (const k of ['saveBestOnly', 'saveWeightsOnly'] as const) {
      if (options[k] !== undefined && typeof options[k] !== 'boolean') throw new Error(`${who}: ${k} must be true or false, got ${String(options[k])}`);
    }
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.saveWeightsOnly = options.saveWeightsOnly ?? false;
    this.mode = resolveMode(who, options.mode, this.monitor);
    const freq = options.saveFreq ?? 'epoch';
    if (freq !== 'epoch') checkInteger(who, "saveFreq (a number of batches, or 'epoch')", freq, 1);
    this.saveFreq = freq;
    if (options.initialValueThreshold !== undefined) checkNumber(who, 'initialValueThreshold', options.initialValueThreshold, -Infinity);
    this.best = options.initialValueThreshold;
    if (options.verbose !== undefined && options.verbose !== 0 && options.verbose !== 1) throw new Error(`${who}: verbose must be 0 or 1, got ${String(options.verbose)}`);
    this.verbose = options.verbose ?? 0;
    if (typeof freq === 'number') {
      // only a batch-frequency checkpoint has a batch hook (an unused one would slow every step)
      this.batchLogs = this.saveBestOnly ? 'every' : 'refresh';
      this.onBatchEnd = async (batch, logs) => {
        if (++this.batchesSinceSave < freq) return;
        this.batchesSinceSave = 0;
        await this.maybeSave(this.epoch, batch, logs);
      };
    }
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') await this.maybeSave(epoch, null, logs);
  }

  private improved(value: number): boolean {
    if (this.best === undefined) return true;
    return this.mode === 'min' ? value < this.best : value > this.best;
  }

  private pathFor(epoch: number, batch: number | null, logs: Logs): string {
    const values: Record<string, number> = { ...logs, epoch: epoch + 1 };
    if (batch !== null) values.batch = batch + 1;
    return formatCheckpointPath(this.filepath, values);
  }

  private async maybeSave(epoch: number, batch: number | null, logs: Logs): Promise<void> {
    const model = this.requireModel('ModelCheckpoint');
    if (!(model instanceof LayersModel)) throw new Error('ModelCheckpoint: can only save models made by Sequential() or Model()');
    if (this.saveBestOnly) {
      const current = monitored(logs, this.monitor);
      if (current === undefined) {
        if (!this.warned) {
          this.warned = true;
          this.print(
            `ModelCheckpoint: can save best model only with "${this.monitor}" available, skipping; available: ${Object.keys(logs).join(', ')}` +
              (this.monitor.startsWith('val_') ? '. Pass validationData or validationSplit to fit.' : ''),
          );
        }
        return;
      }
      // Keras starts from +inf for a value to minimize and -inf for one to maximize
      const best = this.best ?? (this.mode === 'min' ? Infinity : -Infinity);
      if (!this.improved(current)) {
        if (this.verbose > 0) this.print(`Epoch ${epoch + 1}: ${this.monitor} did not improve from ${fixed5(best)}`);
        return;
      }
      this.best = current;
      if (this.verbose > 0) {
        this.print(`Epoch ${epoch + 1}: ${this.monitor} improved from ${fixed5(best)} to ${fixed5(current)}, saving model to ${this.pathFor(epoch, batch, logs)}`);
      }
    }
    const path = this.pathFor(epoch, batch, logs);
    if (this.saveWeightsOnly) await saveWeights(model, path as ModelLocation);
    else await saveModel(model, path as ModelLocation);
    this.lastSaved = path;
    if (this.verbose > 0 && !this.saveBestOnly) this.print(`Epoch ${epoch + 1}: saving model to ${path}`);
  }
}

/**
 * Save the model during training: `ModelCheckpoint('best-model', { monitor: 'val_loss', saveBestOnly: true })`,
 * or one folder per epoch: `ModelCheckpoint('ckpt/{epoch:02d}')`.
 */
export function ModelCheckpoint(filepath: string, options?: ModelCheckpointOptions): ModelCheckpointCallback {
  return new ModelCheckpointCallback(filepath, options);
}
