// Threefry-2x32 with 20 rounds (Salmon, Moraes, Dror, Shaw: "Parallel random numbers: as easy as
// 1, 2, 3", SC 2011; Random123; JAX's default generator): a counter-based generator, so any
// element of a random stream is a pure function of (key, index). Dropout masks use it because the
// compiled training step can then write a mask straight into its memory (a SIMD loop on every
// thread, packages/kernels) while the tape path makes a tensor of the same numbers from this
// JavaScript loop: both draw identical masks without a serial generator between them.

/** The key schedule's parity constant (Threefish's C240 for 32-bit words). */
export const THREEFRY_PARITY = 0x1bd11bda;
/** Rotation distances of the 2x32 variant, rounds 0–7 (then repeated); the loop below spells them out. */
export const THREEFRY_ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24] as const;

/** Two 32-bit words of a Threefry key or counter (unsigned integers in [0, 2³²)). */
export type Words2 = readonly [number, number];

/**
 * Threefry-2x32-20 of counter `(c0, c1)` under key `(k0, k1)`: two uint32 words, as Random123's
 * `threefry2x32` and JAX's `threefry_2x32` (key, count) compute them.
 *
 * ```ts
 * threefry2x32([0, 0], [0, 0]); // [0x6b200159, 0x99ba4efe]
 * ```
 */
export function threefry2x32(key: Words2, counter: Words2): [number, number] {
  const out = new Uint32Array(2);
  threefryBlocks(key[0] >>> 0, key[1] >>> 0, counter[0] >>> 0, counter[1] >>> 0, 1, out, 0);
  return [out[0], out[1]];
}

/**
 * Blocks `(c0 + j, c1)` for j in [0, n) (c0 + j wrapping modulo 2³²), each block's two words at
 * out[at + 2j], out[at + 2j + 1]. The loop behind `threefry2x32` and the dropout masks.
 */
function threefryBlocks(k0: number, k1: number, c0: number, c1: number, n: number, out: Uint32Array, at: number): void {
  const k2 = (THREEFRY_PARITY ^ k0 ^ k1) >>> 0;
  for (let j = 0; j < n; j++) {
    let x0 = (c0 + j + k0) | 0;
    let x1 = (c1 + k1) | 0;
    // 20 rounds: x0 += x1; x1 = rotl(x1, R[r mod 8]) ^ x0; after every fourth, the key injection s
    x0 = (x0 + x1) | 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
    x0 = (x0 + k1) | 0; x1 = (x1 + k2 + 1) | 0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
    x0 = (x0 + k2) | 0; x1 = (x1 + k0 + 2) | 0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
    x0 = (x0 + k0) | 0; x1 = (x1 + k1 + 3) | 0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
    x0 = (x0 + k1) | 0; x1 = (x1 + k2 + 4) | 0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
    x0 = (x0 + k2) | 0; x1 = (x1 + k0 + 5) | 0;
    out[at + 2 * j] = x0;
    out[at + 2 * j + 1] = x1;
  }
}

/**
 * The smallest 24-bit draw a Dropout keeps at `rate`: element e is kept when its word's top 24
 * bits, read as u = (w >>> 8)·2⁻²⁴ in [0, 1), satisfy u ≥ rate (so P(keep) = 1 − ⌈rate·2²⁴⌉/2²⁴).
 */
export function dropoutThreshold(rate: number): number {
  return Math.ceil(rate * 2 ** 24);
}

/** What a kept element is multiplied by: 1/(1 − rate) in float32, as `keep / (1 − rate)` on float32 tensors computes it. */
export function dropoutScale(rate: number): number {
  return Math.fround(1 / Math.fround(1 - rate));
}

/** Elements per batch of the mask loop (its scratch of words). */
const CHUNK = 2048;

/**
 * A Dropout mask: for elements [first, first + count) of the stream of `key`, 1/(1 − rate)
 * (float32) where the element is kept and 0 where it is dropped, written to out[at …]. Element e
 * is word e mod 2 of the Threefry-2x32-20 block with counter (⌊e/2⌋ mod 2³², ⌊e/2³³⌋) (its first
 * word for even e); it is kept when (word >>> 8) ≥ `dropoutThreshold(rate)`. The compiled
 * training step's SIMD loop (`@neurona/kernels`) writes the same numbers. Returns `output` (a
 * new array of `count` when none is given).
 */
export function dropoutMask(key: Words2, rate: number, count: number, output?: Float32Array, at = 0, first = 0): Float32Array {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropoutMask: rate must be a number in [0, 1), got ${String(rate)}`);
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(first) || first < 0) throw new Error(`dropoutMask: count and first must be non-negative integers, got ${String(count)} and ${String(first)}`);
  const out = output ?? new Float32Array(count);
  if (!Number.isInteger(at) || at < 0 || at + count > out.length) throw new Error(`dropoutMask: ${count} values at ${String(at)} do not fit an output of ${out.length}`);
  const t = dropoutThreshold(rate);
  const scale = dropoutScale(rate);
  const words = new Uint32Array(CHUNK + 2);
  const k0 = key[0] >>> 0, k1 = key[1] >>> 0;
  for (let e = first; e < first + count; ) {
    const block = Math.floor(e / 2);
    // a batch never crosses a multiple of 2³² blocks (where the counter's high word steps)
    const blocks = Math.min(CHUNK / 2, Math.ceil((first + count - 2 * block) / 2), 2 ** 32 - (block % 2 ** 32));
    threefryBlocks(k0, k1, block % 2 ** 32, Math.floor(block / 2 ** 32), blocks, words, 0);
    const end = Math.min(first + count, 2 * (block + blocks));
    for (let i = e - 2 * block; e < end; e++, i++) out[at + e - first] = words[i] >>> 8 >= t ? scale : 0;
  }
  return out;
}
