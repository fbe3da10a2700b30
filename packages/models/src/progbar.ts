// Keras-style progress text. Pure functions: the ProgbarLogger callback decides when to draw.

/** Keras's number format in logs: 4 decimals, or scientific below 1e-3. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Math.abs(v) > 1e-3) return v.toFixed(4);
  // Python's '%.4e' writes a two-digit exponent: 1.2345e-05
  return v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** `[=======>......................]` for `current` of `target` steps. */
export function formatBar(current: number, target: number, width = 30): string {
  const done = target > 0 ? Math.floor((width * Math.min(current, target)) / target) : width;
  let bar = '';
  if (done > 0) bar = '='.repeat(done - 1) + (current < target ? '>' : '=');
  return `[${bar}${'.'.repeat(width - bar.length)}]`;
}

/** `4ms/step`, `2s/step`, `850us/step`. */
export function formatTimePerStep(seconds: number, unit = 'step'): string {
  if (seconds >= 1) return `${Math.round(seconds)}s/${unit}`;
  if (seconds >= 1e-3) return `${Math.round(seconds * 1e3)}ms/${unit}`;
  return `${Math.round(seconds * 1e6)}us/${unit}`;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** Keras's ETA format: `45s`, `2:05`, `1:02:05`. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  if (s >= 60) return `${Math.floor(s / 60)}:${two(s % 60)}`;
  return `${s}s`;
}

/** ` - loss: 0.3100 - accuracy: 0.9100` */
export function formatLogValues(values: ReadonlyArray<readonly [string, number]>): string {
  return values.map(([k, v]) => ` - ${k}: ${formatValue(v)}`).join('');
}

/** What one progress line shows. */
export interface ProgressState {
  current: number;
  /** Steps in the epoch; null while unknown (a dataset's first epoch): Keras prints `Unknown`. */
  target: number | null;
  /** Seconds since the epoch began. */
  elapsed: number;
  values: ReadonlyArray<readonly [string, number]>;
  /** The epoch is over (possibly stopped early, `current < target`): show times, not an ETA. */
  final?: boolean;
}

/**
 * The verbose-1 line: in progress `123/469 [=======>.....] ETA: 3s - loss: 0.3500`,
 * finished `469/469 [==============================] 2s 4ms/step - loss: 0.3100`.
 */
export function formatProgressBar(p: ProgressState): string {
  if (p.target === null) {
    // Keras's Progbar without a target: the count so far and the time per step
    return `${String(p.current).padStart(7)}/Unknown ${Math.round(p.elapsed)}s ${formatTimePerStep(p.elapsed / Math.max(1, p.current))}${formatLogValues(p.values)}`;
  }
  const digits = String(p.target).length;
  const head = `${String(p.current).padStart(digits)}/${p.target} ${formatBar(p.current, p.target)}`;
  let timing: string;
  if (p.final || p.current >= p.target) {
    timing = `${Math.round(p.elapsed)}s ${formatTimePerStep(p.elapsed / Math.max(1, p.current))}`;
  } else {
    const perStep = p.current > 0 ? p.elapsed / p.current : 0;
    timing = `ETA: ${formatEta(perStep * (p.target - p.current))}`;
  }
  return `${head} ${timing}${formatLogValues(p.values)}`;
}

/** The verbose-2 line, one per epoch: `469/469 - 2s - 4ms/step - loss: 0.3100`. */
export function formatEpochLine(p: ProgressState): string {
  return (
    `${p.current}/${p.target ?? 'Unknown'} - ${Math.round(p.elapsed)}s - ${formatTimePerStep(p.elapsed / Math.max(1, p.current))}` +
    formatLogValues(p.values)
  );
}
