import { createRng, nextSeed } from '@neurona/tensor';

export type Rng = () => number;

/** A seeded generator; without a seed, the next seed of the global sequence (`setSeed`). */
export function rngFor(who: string, seed: number | undefined): Rng {
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) {
    throw new Error(`${who}: seed must be a finite number, got ${String(seed)}`);
  }
  return createRng(seed === undefined ? nextSeed() : Math.floor(seed));
}

/** Shuffle `a` in place (Fisher–Yates) and return it. */
export function shuffleInPlace<T>(a: T[], rng: Rng): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** 0..n-1, shuffled when an rng is given. */
export function indices(n: number, rng: Rng | null): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  return rng ? shuffleInPlace(a, rng) : a;
}
