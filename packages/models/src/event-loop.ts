type Scheduler = (fn: () => void) => void;

function pickScheduler(): Scheduler {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown; MessageChannel?: typeof MessageChannel };
  if (typeof g.setImmediate === 'function') return (fn) => void g.setImmediate!(fn);
  // browsers: a message-channel task is not clamped to 4 ms as nested setTimeout(0) is
  if (typeof g.MessageChannel === 'function') {
    return (fn) => {
      const ch = new g.MessageChannel!();
      ch.port1.addEventListener('message', () => {
        ch.port1.close();
        fn();
      });
      ch.port1.start();
      ch.port2.postMessage(null);
    };
  }
  return (fn) => void setTimeout(fn, 0);
}

const schedule = pickScheduler();

/** Let timers, I/O and (in browsers) rendering run: a macrotask boundary. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => schedule(resolve));
}

/** Milliseconds from a monotonic clock. */
export function nowMs(): number {
  return globalThis.performance?.now() ?? Date.now();
}
