/** One piece of advice: what the advisor and the loss watcher report. */
export interface Finding {
  /** `'warning'`: likely to hurt training; `'info'`: worth knowing. */
  level: 'info' | 'warning';
  /** A stable identifier, e.g. `'relu-zeros-init'`, for filtering and tests. */
  code: string;
  /** Plain words: what was found and what to try. */
  message: string;
}

/** `[warning] message` lines, one per finding. */
export function formatFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `[${f.level}] ${f.message}\n`).join('');
}
