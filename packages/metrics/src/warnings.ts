/**
 * Print a warning the way Python shows scikit-learn's (`UndefinedMetricWarning: ...`). A `seen` set
 * prints each message once per call, as Python's default filter does for one call site.
 */
export function warnOnce(category: string, message: string, seen?: Set<string>): void {
  if (seen) {
    if (seen.has(message)) return;
    seen.add(message);
  }
  console.warn(`${category}: ${message}`);
}
