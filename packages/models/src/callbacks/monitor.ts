/** How a monitored quantity improves. */
export type MonitorMode = 'auto' | 'min' | 'max';

/** Keras's `auto`: accuracy-like quantities improve upwards, everything else downwards. */
export function resolveMode(who: string, mode: MonitorMode | undefined, monitor: string): 'min' | 'max' {
  const m = mode ?? 'auto';
  if (m !== 'auto' && m !== 'min' && m !== 'max') {
    throw new Error(`${who}: mode must be 'auto', 'min' or 'max', got ${JSON.stringify(mode)}`);
  }
  if (m !== 'auto') return m;
  return /(acc|accuracy|auc|precision|recall)$/.test(monitor) ? 'max' : 'min';
}

/** Throws unless `value` is a finite number >= `min` (or > `min` when `strict`). */
export function checkNumber(who: string, what: string, value: unknown, min: number, strict = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (strict ? value <= min : value < min)) {
    throw new Error(`${who}: ${what} must be a finite number ${strict ? '>' : '>='} ${min}, got ${String(value)}`);
  }
  return value;
}

/** Throws unless `value` is an integer >= `min`. */
export function checkInteger(who: string, what: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new Error(`${who}: ${what} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/** The value of `monitor` in `logs`, or undefined with a one-line note of what was available. */
export function monitored(logs: Record<string, number>, monitor: string): number | undefined {
  const v = logs[monitor];
  return typeof v === 'number' ? v : undefined;
}
