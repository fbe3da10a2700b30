import type { ProgressOption } from '../types';

/** A download's progress display: `update` with bytes so far, `finish` once at the end. */
export interface Progress {
  update(done: number): void;
  finish(): void;
}

const MB = 1e6;
const fmtMB = (bytes: number): string => (bytes / MB).toFixed(1);

/**
 * A progress bar for one download. On a terminal it redraws one line (at most 10 times a second);
 * elsewhere (CI logs, pipes) it writes one line when the download starts and one when it ends.
 */
export function progressBar(label: string, total: number | undefined, option: ProgressOption | undefined): Progress {
  const sink = option === false ? undefined : option === true || option === undefined ? process.stderr : option;
  if (!sink) return { update: () => {}, finish: () => {} };
  const start = Date.now();
  let last = 0;
  let done = 0;
  const tty = sink.isTTY === true;
  const render = (): string => {
    const secs = Math.max((Date.now() - start) / 1000, 1e-3);
    const rate = `${fmtMB(done / secs)} MB/s`;
    if (!total) return `${label} ${fmtMB(done)} MB ${rate}`;
    const width = 30;
    const frac = Math.min(done / total, 1);
    const filled = Math.floor(frac * width);
    const bar = '='.repeat(filled) + (filled < width ? '>' + '.'.repeat(width - filled - 1) : '');
    return `${label} [${bar}] ${String(Math.round(frac * 100)).padStart(3)}% ${fmtMB(done)}/${fmtMB(total)} MB ${rate}`;
  };
  if (!tty) sink.write(`${label}${total ? ` (${fmtMB(total)} MB)` : ''}...\n`);
  return {
    update(n: number) {
      done = n;
      const now = Date.now();
      if (tty && now - last >= 100) {
        last = now;
        sink.write(`\r${render()}`);
      }
    },
    finish() {
      const secs = ((Date.now() - start) / 1000).toFixed(1);
      sink.write(tty ? `\r${render()}\n` : `${label}: ${fmtMB(done)} MB in ${secs} s\n`);
    },
  };
}
