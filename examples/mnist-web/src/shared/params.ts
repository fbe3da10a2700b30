// URL parameters of the page. Dependency-free: the tfjs comparison page (bench/web-compare) reads
// the same parameters with this same code.

/** Backends the page can be asked for, in the order the browser tries them. */
export const PAGE_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type PageBackend = (typeof PAGE_BACKENDS)[number];

/** Models the page can train (the kinds of the `mnist-model` example). */
export const PAGE_MODELS = ['perceptron', 'mlp', 'cnn'] as const;
export type PageModel = (typeof PAGE_MODELS)[number];

/** What the page was asked to do. */
export interface PageParams {
  /** Start training as soon as the page loads (`autostart=1`). */
  autostart: boolean;
  /** `epochs=N`; default per model (5 for the MLP, 10 for the perceptron). */
  epochs: number;
  /** `samples=N`: how many of the 10,000 embedded digits to use (class-balanced prefix); default all. */
  samples: number;
  /** `backend=webgpu|webgl|wasm|cpu` forces one; absent: WebGPU first, then the usual fallbacks. */
  backend: PageBackend | null;
  /** `model=perceptron|mlp|cnn`; default `mlp`. */
  model: PageModel;
  /** `batch=N`; default per model (32 for the MLP, 128 for the perceptron). */
  batchSize: number;
}

/** Defaults per model, the same as `TRAINING_DEFAULTS` of mnist-model (kept in step by a test). */
export const PAGE_DEFAULTS: Readonly<Record<PageModel, { epochs: number; batchSize: number }>> = {
  perceptron: { epochs: 10, batchSize: 128 },
  mlp: { epochs: 5, batchSize: 32 },
  cnn: { epochs: 3, batchSize: 32 },
};

/** The number of embedded digits. */
export const MAX_SAMPLES = 10_000;

function oneOf<T extends string>(name: string, value: string | null, allowed: readonly T[], errors: string[]): T | null {
  if (value === null || value === '') return null;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  errors.push(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return null;
}

function intIn(name: string, value: string | null, min: number, max: number, errors: string[]): number | null {
  if (value === null || value === '') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    errors.push(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
    return null;
  }
  return n;
}

/**
 * Read `?autostart=1&epochs=N&samples=N&backend=...&model=...&batch=N`. Bad values are reported
 * in `errors` (the page shows them and does not train) and replaced by the defaults.
 */
export function parseParams(search: string): { params: PageParams; errors: string[] } {
  const q = new URLSearchParams(search);
  const errors: string[] = [];
  const model = oneOf('model', q.get('model'), PAGE_MODELS, errors) ?? 'mlp';
  const auto = q.get('autostart');
  if (auto !== null && !['0', '1', 'true', 'false', ''].includes(auto)) errors.push(`autostart must be 1 or 0, got "${auto}"`);
  const params: PageParams = {
    autostart: auto === '1' || auto === 'true',
    epochs: intIn('epochs', q.get('epochs'), 1, 1000, errors) ?? PAGE_DEFAULTS[model].epochs,
    // at least 20 digits so that validation and test splits hold something
    samples: intIn('samples', q.get('samples'), 20, MAX_SAMPLES, errors) ?? MAX_SAMPLES,
    backend: oneOf('backend', q.get('backend'), PAGE_BACKENDS, errors),
    model,
    batchSize: intIn('batch', q.get('batch'), 1, MAX_SAMPLES, errors) ?? PAGE_DEFAULTS[model].batchSize,
  };
  return { params, errors };
}
