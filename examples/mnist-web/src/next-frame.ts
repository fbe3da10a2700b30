/**
 * Wait until the browser has had a chance to paint. `fit` yields between batches with message-
 * channel tasks, which Chromium may run before rendering; an epoch's chart should show now.
 * The timeout covers hidden tabs, where requestAnimationFrame never fires.
 */
export function nextFrame(timeoutMs = 50): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    requestAnimationFrame(() => setTimeout(done, 0));
  });
}
