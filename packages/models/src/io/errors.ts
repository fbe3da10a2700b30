/**
 * A model file that cannot be loaded: malformed, truncated, hostile or not matching the model.
 * The message says what was expected and what was found.
 */
export class ModelFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelFileError';
  }
}

/** A short printable form of a value for messages (JSON, cut at 80 characters). */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    const s = JSON.stringify(value);
    if (s === undefined) return String(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}
