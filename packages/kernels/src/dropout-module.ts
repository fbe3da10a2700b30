// The Dropout mask as a SIMD loop of the GEMM engine's module (so its worker threads run it
// too): Threefry-2x32-20 (`@neurona/tensor`'s threefry.ts, the same numbers) on four counters at
// once, each block's two words giving two consecutive elements. The alea generator tfjs's
// `randomUniform` uses is serial double arithmetic (2.2 ms for 128×1600 even in place); this is
// integer adds, rotations and xors on independent counters.
import { Fn, I32, V128, uleb } from './wasm-asm';

/**
 * dropout_mask's i32 parameters, in this order: `dst` (byte address of the mask), the key's words
 * `k0`, `k1` and `k2` (= 0x1BD11BDA ^ k0 ^ k1), the keep threshold `t` (keep when word >>> 8 ≥ t),
 * the kept value's float32 bits `scale`, and `src`/`out` (byte addresses; `src` 0: none): with a
 * source, also `out = src ⊙ mask` (the Dropout's output in the same pass).
 */
export const DROPOUT_PARAMS = ['dst', 'k0', 'k1', 'k2', 't', 'scale', 'src', 'out'] as const;

/** Threefry-2x32's rotation distances (tensor's THREEFRY_ROTATIONS; kept here so a page's kernels chunk does not pull in the JavaScript generator). */
const ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24];

const simd = (f: Fn, op: number, ...rest: number[]) => f.emit(0xfd, ...uleb(op), ...rest);
const splat = (f: Fn) => simd(f, 0x11);
const add = (f: Fn) => simd(f, 0xae);
const shl = (f: Fn) => simd(f, 0xab);
const shrU = (f: Fn) => simd(f, 0xad);
const xor = (f: Fn) => simd(f, 0x51);
const or = (f: Fn) => simd(f, 0x50);
const and = (f: Fn) => simd(f, 0x4e);
const geS = (f: Fn) => simd(f, 0x3f);
/** v128.const of i32 lanes. */
const constI32 = (f: Fn, lanes: number[]) => simd(f, 0x0c, ...new Uint8Array(new Int32Array(lanes).buffer));
/** i8x16.shuffle of the two vectors on the stack by i32 lanes (0–3 the first's, 4–7 the second's). */
const shuffle32 = (f: Fn, lanes: number[]) => simd(f, 0x0d, ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]));

/**
 * The mask for groups [lo, hi) of eight elements: group g is elements 8g … 8g + 7, the words of
 * blocks with counters (4g + i, 0) for i = 0…3 (element 2c the block's first word, 2c + 1 its
 * second); each element is `scale` when kept, else 0.
 */
export function dropoutMaskFunction(): Fn {
  const f = new Fn([I32, I32, I32]);
  const [P, LO, HI] = [0, 1, 2];
  const p = Object.fromEntries(DROPOUT_PARAMS.map((n) => [n, f.local(I32)])) as Record<(typeof DROPOUT_PARAMS)[number], number>;
  DROPOUT_PARAMS.forEach((n, i) => f.get(P).i32Load(4 * i).set(p[n]));
  const g = f.local(I32), at = f.local(I32);
  const K = [f.local(V128), f.local(V128), f.local(V128)];
  const T = f.local(V128), S = f.local(V128), x0 = f.local(V128), x1 = f.local(V128), lo = f.local(V128);
  [p.k0, p.k1, p.k2].forEach((k, i) => { f.get(k); splat(f); f.set(K[i]); });
  f.get(p.t); splat(f); f.set(T);
  f.get(p.scale); splat(f); f.set(S);
  f.get(LO).set(g);
  f.block().loop();
  f.get(g).get(HI).geU().brIf(1);
  // x0 = (4g + lane) + k0, x1 = 0 + k1
  f.get(g).i32(2).shl(); splat(f);
  constI32(f, [0, 1, 2, 3]); add(f);
  f.get(K[0]); add(f); f.set(x0);
  f.get(K[1]).set(x1);
  for (let r = 0; r < 20; r++) {
    const d = ROTATIONS[r % 8];
    // x0 += x1; x1 = rotl(x1, d) ^ x0
    f.get(x0).get(x1); add(f); f.set(x0);
    f.get(x1).i32(d); shl(f);
    f.get(x1).i32(32 - d); shrU(f);
    or(f);
    f.get(x0); xor(f); f.set(x1);
    if (r % 4 === 3) {
      const s = (r >> 2) + 1;
      f.get(x0).get(K[s % 3]); add(f); f.set(x0);
      f.get(x1).get(K[(s + 1) % 3]); add(f);
      constI32(f, [s, s, s, s]); add(f); f.set(x1);
    }
  }
  // keep = (word >>> 8) ≥ t (both below 2²⁴ + 1: a signed compare is exact), value = keep & scale
  f.get(x0).i32(8); shrU(f); f.get(T); geS(f); f.get(S); and(f); f.set(x0);
  f.get(x1).i32(8); shrU(f); f.get(T); geS(f); f.get(S); and(f); f.set(x1);
  f.get(g).i32(5).shl().set(at); // byte offset of the group (32 bytes)
  // elements 8g…8g+3 = x0[0], x1[0], x0[1], x1[1]; 8g+4…8g+7 = x0[2], x1[2], x0[3], x1[3]
  f.get(x0).get(x1); shuffle32(f, [0, 4, 1, 5]); f.set(lo);
  f.get(x0).get(x1); shuffle32(f, [2, 6, 3, 7]); f.set(x1);
  f.get(p.dst).get(at).add().get(lo).v128Store(0);
  f.get(p.dst).get(at).add().get(x1).v128Store(16);
  f.get(p.src).ifThen();
  f.get(p.out).get(at).add();
  f.get(p.src).get(at).add().v128Load(0).get(lo).f32x4Mul().v128Store(0);
  f.get(p.out).get(at).add();
  f.get(p.src).get(at).add().v128Load(16).get(x1).f32x4Mul().v128Store(16);
  f.end();
  f.get(g).i32(1).add().set(g);
  f.br(0).end().end();
  return f;
}
