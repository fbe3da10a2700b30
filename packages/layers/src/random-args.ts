// Argument checks shared by the layers that draw random masks or noise while training (Dropout,
// SpatialDropout, GaussianNoise, GaussianDropout, AlphaDropout), with messages naming the layer.
import type { Shape } from '@neurona/tensor';
import type { LayerConfig } from './layer';
import { describeValue, formatShape } from './shape';

/** A seed: an integer, or null/undefined (null) for the global stream. */
export function checkSeed(where: string, seed: unknown): number | null {
  if (seed !== undefined && seed !== null && !Number.isInteger(seed)) {
    throw new Error(`${where}: seed must be an integer or null, got ${describeValue(seed)}`);
  }
  return (seed as number | null | undefined) ?? null;
}

/** A number in [0, 1) (or [0, 1] with `allowOne`). */
export function checkUnit(where: string, what: string, v: unknown, allowOne: boolean): number {
  if (typeof v !== 'number' || !(v >= 0 && (allowOne ? v <= 1 : v < 1))) {
    throw new Error(`${where}: ${what} must be a number in [0, 1${allowOne ? ']' : ')'}, got ${describeValue(v)}`);
  }
  return v;
}

/** A drop rate: a number in [0, 1). */
export function checkRate(where: string, rate: unknown): number {
  return checkUnit(where, 'rate', rate, false);
}

/** A `noiseShape` option: positive integers or null entries, or null/undefined (null) for the input's shape. */
export function checkNoiseShape(where: string, noiseShape: unknown): Shape | null {
  const ok = noiseShape === undefined || noiseShape === null || (Array.isArray(noiseShape) && noiseShape.every((d) => d === null || (Number.isInteger(d) && (d as number) > 0)));
  if (!ok) throw new Error(`${where}: noiseShape must be an array of positive integers or null, got ${describeValue(noiseShape)}`);
  return noiseShape ? [...(noiseShape as Shape)] : null;
}

/** The shape of a mask: `noiseShape` with its null entries taken from the input (the input's shape when there is none). */
export function noiseMaskShape(where: string, noiseShape: Shape | null, shape: number[]): number[] {
  if (!noiseShape) return shape;
  if (noiseShape.length !== shape.length || noiseShape.some((d, i) => d !== null && d !== 1 && d !== shape[i])) {
    throw new Error(`${where}: noiseShape ${formatShape(noiseShape)} does not broadcast to input ${formatShape(shape)}`);
  }
  return noiseShape.map((d, i) => d ?? shape[i]);
}

/** A config's `rate` (or other first argument `key`) split from the options, for the constructors. */
export function rateArgs<O>(config: LayerConfig, key = 'rate'): [number, O] {
  const { [key]: first, ...rest } = config;
  return [first as number, rest as O];
}
