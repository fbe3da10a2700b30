/**
 * Where progress bars, advisor findings and watcher messages go. `isTTY` decides whether the
 * progress bar redraws in place (`\r`) or prints one line per epoch.
 */
export interface Writer {
  write(text: string): void;
  readonly isTTY: boolean;
}

interface StdoutLike {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** `process.stdout` in Node; `console.log` line by line elsewhere (browsers have no TTY). */
export function defaultWriter(): Writer {
  const proc = (globalThis as { process?: { stdout?: StdoutLike } }).process;
  const out = proc?.stdout;
  if (out && typeof out.write === 'function') {
    return { write: (text) => void out.write(text), isTTY: out.isTTY === true };
  }
  return consoleWriter();
}

/** A writer that buffers text and prints complete lines with `console.log`. */
export function consoleWriter(): Writer {
  let pending = '';
  return {
    isTTY: false,
    write(text: string) {
      pending += text.replace(/\r/g, '');
      let i: number;
      while ((i = pending.indexOf('\n')) >= 0) {
        console.log(pending.slice(0, i));
        pending = pending.slice(i + 1);
      }
    },
  };
}

/** A writer that records everything it is given; for tests and for capturing output. */
export function memoryWriter(isTTY = false): Writer & { text: () => string; lines: () => string[] } {
  const chunks: string[] = [];
  return {
    isTTY,
    write: (text: string) => void chunks.push(text),
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.length > 0),
  };
}
