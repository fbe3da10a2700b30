import { checkOptionTypes } from '@neurona/common';
import { BaseCallback } from './base';
import type { Logs } from './types';

/** An open CSV destination: what `CSVLogger`'s `open` option returns. */
export interface CsvSink {
  /** True when the destination already has content (no header is written when appending to it). */
  readonly hasContent: boolean;
  write(text: string): void | Promise<void>;
  close?(): void | Promise<void>;
}

/** Opens `filename` for writing (truncating) or appending. */
export type CsvOpener = (filename: string, append: boolean) => CsvSink | Promise<CsvSink>;

/** Options of `CSVLogger`. */
export interface CSVLoggerOptions {
  /** Field separator; default `','`. */
  separator?: string;
  /** Append to an existing file instead of overwriting it; default false. */
  append?: boolean;
  /** Where rows go; default: the file through Node's `fs` (loaded only when training starts). */
  open?: CsvOpener;
}

interface FsLike {
  existsSync(p: string): boolean;
  statSync(p: string): { size: number };
  writeFileSync(p: string, data: string): void;
  appendFileSync(p: string, data: string): void;
}

/** The default opener: Node's fs, imported lazily so that browser bundles never load it. */
export const nodeFileOpener: CsvOpener = async (filename, append) => {
  const specifier = 'node:fs';
  const fs = (await import(/* @vite-ignore */ specifier)) as FsLike;
  const hasContent = append && fs.existsSync(filename) && fs.statSync(filename).size > 0;
  if (!append || !fs.existsSync(filename)) fs.writeFileSync(filename, '');
  return { hasContent, write: (text) => fs.appendFileSync(filename, text) };
};

function csvField(value: string, separator: string): string {
  return value.includes(separator) || value.includes('"') || value.includes('\n')
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}

/**
 * Writes one CSV row per epoch: `epoch` then the log keys in sorted order (as Keras's CSVLogger).
 * `CSVLogger('training.csv', { append: true })`
 */
export class CSVLoggerCallback extends BaseCallback {
  readonly separator: string;
  readonly append: boolean;
  private readonly opener: CsvOpener;
  private sink: CsvSink | null = null;
  private keys: string[] | null = null;

  constructor(
    readonly filename: string,
    options: CSVLoggerOptions = {},
  ) {
    super();
    checkOptionTypes('CSVLogger', options, { separator: 'string', append: 'boolean', open: 'function' });
    if (typeof filename !== 'string' || filename.length === 0) {
      throw new Error(`CSVLogger: filename must be a non-empty string, got ${JSON.stringify(filename)}`);
    }
    this.separator = options.separator ?? ',';
    this.append = options.append ?? false;
    this.opener = options.open ?? nodeFileOpener;
  }

  async onTrainBegin(): Promise<void> {
    this.keys = null;
    this.sink = await this.opener(this.filename, this.append);
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (!this.sink) return;
    const sep = this.separator;
    if (this.keys === null) {
      // Keras writes the keys in sorted order
      this.keys = Object.keys(logs);
      this.keys.sort(); // oxlint-disable-line unicorn/no-array-sort
      const appendingToContent = this.append && this.sink.hasContent;
      if (!appendingToContent) await this.sink.write(['epoch', ...this.keys].map((k) => csvField(k, sep)).join(sep) + '\n');
    }
    const row = [String(epoch), ...this.keys.map((k) => (k in logs ? String(logs[k]) : 'NA'))];
    await this.sink.write(row.map((v) => csvField(v, sep)).join(sep) + '\n');
  }

  async onTrainEnd(): Promise<void> {
    await this.sink?.close?.();
    this.sink = null;
  }
}

/** Stream epoch results to a CSV file: `CSVLogger('log.csv', { separator: ';', append: false })`. */
export function CSVLogger(filename: string, options?: CSVLoggerOptions): CSVLoggerCallback {
  return new CSVLoggerCallback(filename, options);
}
