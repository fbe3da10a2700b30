// The fast kernels' WebAssembly module (SIMD), emitted with wasm-asm.ts.
//
// gemm_an / gemm_at compute C = A·B (+ bias, relu) — or C += A·B when `acc` is set (a product
// split along k) — for rows [m0, m1) of C, all n columns:
//   - B(k, j) at b + (k·ldb + j)·4 (row-major), n a multiple of 8;
//   - gemm_an: A(i, k) at a + (i·lda + k)·4 (row-major); gemm_at: at a + (k·lda + i)·4 (A stored
//     transposed, i.e. the product is Aᵀ·B of the stored matrix);
//   - C(i, j) at c + (i·ldc + j)·4; rows are computed 4 at a time, so C and A need room for
//     m1 rounded up to 4 rows (the extra rows are garbage the caller ignores);
//   - ws: the calling thread's own workspace of 4·k floats: gemm_at copies each 4-row strip of A
//     there (k-major, 16 contiguous bytes per k) before its passes over the columns.
// The micro-kernel keeps a 4×8 tile of C in eight f32x4 registers, broadcasts one A value per
// row and multiplies it by two f32x4 of B per k: 16 SIMD multiply-adds per 6 loads. The module
// comes in two variants: with `fma`, each multiply-add is one f32x4.relaxed_madd (relaxed SIMD,
// fused where the CPU has FMA: about +25 % GFLOP/s, docs/perf.md "Fourth increment"); without,
// a mul then an add, for engines without relaxed SIMD (relaxed-simd.ts decides).
// transpose(src, rows, cols, lds, dst, ldd) writes dst(c, r) = src(r, c), and copy2d copies with
// new row strides (packing B).
import { Fn, I32, V128, assemble } from './wasm-asm';
import { patchFunction } from './patch-module';
import { maxPoolFunction, reluGradFunction, colSumsFunction, gatherRowsFunction } from './onepass-module';
import { dropoutMaskFunction } from './dropout-module';
import { adamFunction, sgdFunction } from './optimizer-module';

/** Rows of C per tile. 4×8 measured fastest; 6×8 and a k loop unrolled ×2 were slower (docs/perf.md). */
const MR = 4;

/** gemm_an (A row-major) or gemm_at (A stored transposed); `fma`: multiply-adds as relaxed_madd. */
function gemm(aTransposed: boolean, fma: boolean): Fn {
  const mr = MR;
  // params
  const f = new Fn([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const [A, LDA, B, LDB, C, LDC, M0, M1, N, K, BIAS, RELU, ACC, WS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  const i = f.local(I32), j = f.local(I32), kk = f.local(I32), pw = f.local(I32);
  const pa = f.local(I32), pb = f.local(I32), pc = f.local(I32), rowOff = Array.from({ length: mr }, () => f.local(I32));
  const lda4 = f.local(I32), ldb4 = f.local(I32), ldc4 = f.local(I32);
  const acc = Array.from({ length: 2 * mr }, () => f.local(V128));
  const b0 = f.local(V128), b1 = f.local(V128), av = f.local(V128);

  f.get(LDA).i32(2).shl().set(lda4);
  f.get(LDB).i32(2).shl().set(ldb4);
  f.get(LDC).i32(2).shl().set(ldc4);
  for (let r = 0; r < mr; r++) f.get(lda4).i32(r).mul().set(rowOff[r]);
  f.get(M0).set(i);
  f.block().loop(); // rows of C, 4 at a time
  f.get(i).get(M1).geU().brIf(1);
  if (aTransposed) {
    // Pack the strip: ws[4k + r] = A(i + r, k), one 16-byte copy per k. Read in place, each k is
    // another row of the stored matrix (another page when it is wide): the n/8 passes over the
    // strip below then thrash the TLB and L1 (36 against 45 GFLOP/s, docs/perf.md).
    f.get(A).get(i).i32(2).shl().add().set(pa);
    f.get(WS).set(pw);
    f.get(K).set(kk);
    f.block().get(kk).eqz().brIf(0).loop();
    f.get(pw).get(pa).v128Load(0).v128Store(0);
    f.get(pa).get(lda4).add().set(pa);
    f.get(pw).i32(16).add().set(pw);
    f.get(kk).i32(1).sub().tee(kk).brIf(0);
    f.end().end();
  }
  f.i32(0).set(j);
  f.block().loop(); // columns of C, 8 at a time
  f.get(j).get(N).geU().brIf(1);
  // the tile starts from zero, or from C itself when accumulating
  f.get(ACC).ifElse();
  f.get(C).get(i).get(ldc4).mul().add().get(j).i32(2).shl().add().set(pc);
  for (let r = 0; r < mr; r++) {
    f.get(pc).v128Load(0).set(acc[2 * r]);
    f.get(pc).v128Load(16).set(acc[2 * r + 1]);
    f.get(pc).get(ldc4).add().set(pc);
  }
  f.orElse();
  for (const r of acc) f.v128Zero().set(r);
  f.end();
  if (aTransposed) f.get(WS).set(pa);
  else f.get(A).get(i).get(lda4).mul().add().set(pa);
  f.get(B).get(j).i32(2).shl().add().set(pb);
  f.get(K).set(kk);
  const step = () => {
    f.get(pb).v128Load(0).set(b0);
    f.get(pb).v128Load(16).set(b1);
    for (let r = 0; r < mr; r++) {
      if (aTransposed) f.get(pa).v128Load32Splat(4 * r).set(av);
      else {
        f.get(pa);
        if (r > 0) f.get(rowOff[r]).add();
        f.v128Load32Splat(0).set(av);
      }
      if (fma) {
        f.get(av).get(b0).get(acc[2 * r]).f32x4RelaxedMadd().set(acc[2 * r]);
        f.get(av).get(b1).get(acc[2 * r + 1]).f32x4RelaxedMadd().set(acc[2 * r + 1]);
      } else {
        f.get(acc[2 * r]).get(av).get(b0).f32x4Mul().f32x4Add().set(acc[2 * r]);
        f.get(acc[2 * r + 1]).get(av).get(b1).f32x4Mul().f32x4Add().set(acc[2 * r + 1]);
      }
    }
    f.get(pa).i32(aTransposed ? 16 : 4).add().set(pa);
    f.get(pb).get(ldb4).add().set(pb);
  };
  f.block().get(kk).eqz().brIf(0).loop(); // k
  step();
  f.get(kk).i32(1).sub().tee(kk).brIf(0);
  f.end().end();
  // epilogue: bias, relu, store
  f.get(BIAS).ifThen();
  f.get(BIAS).get(j).i32(2).shl().add().tee(pc).v128Load(0).set(b0);
  f.get(pc).v128Load(16).set(b1);
  for (let r = 0; r < mr; r++) {
    f.get(acc[2 * r]).get(b0).f32x4Add().set(acc[2 * r]);
    f.get(acc[2 * r + 1]).get(b1).f32x4Add().set(acc[2 * r + 1]);
  }
  f.end();
  f.get(RELU).ifThen();
  f.v128Zero().set(av);
  for (const r of acc) f.get(r).get(av).f32x4Max().set(r);
  f.end();
  f.get(C).get(i).get(ldc4).mul().add().get(j).i32(2).shl().add().set(pc);
  for (let r = 0; r < mr; r++) {
    f.get(pc).get(acc[2 * r]).v128Store(0);
    f.get(pc).get(acc[2 * r + 1]).v128Store(16);
    f.get(pc).get(ldc4).add().set(pc);
  }
  f.get(j).i32(8).add().set(j);
  f.br(0).end().end();
  f.get(i).i32(mr).add().set(i);
  f.br(0).end().end();
  return f;
}

function transpose(): Fn {
  const f = new Fn([I32, I32, I32, I32, I32, I32]);
  const [SRC, ROWS, COLS, LDS, DST, LDD] = [0, 1, 2, 3, 4, 5];
  const r = f.local(I32), c = f.local(I32), ps = f.local(I32), pd = f.local(I32), ldd4 = f.local(I32);
  f.get(LDD).i32(2).shl().set(ldd4);
  f.i32(0).set(r);
  f.block().loop();
  f.get(r).get(ROWS).geU().brIf(1);
  f.get(SRC).get(r).get(LDS).mul().i32(2).shl().add().set(ps);
  f.get(DST).get(r).i32(2).shl().add().set(pd);
  f.i32(0).set(c);
  f.block().loop();
  f.get(c).get(COLS).geU().brIf(1);
  f.get(pd).get(ps).f32Load(0).f32Store(0);
  f.get(ps).i32(4).add().set(ps);
  f.get(pd).get(ldd4).add().set(pd);
  f.get(c).i32(1).add().set(c);
  f.br(0).end().end();
  f.get(r).i32(1).add().set(r);
  f.br(0).end().end();
  return f;
}

/** copy2d(src, rows, cols, lds, dst, ldd): dst(r, c) = src(r, c) with other row strides (padding B). */
function copy2d(): Fn {
  const f = new Fn([I32, I32, I32, I32, I32, I32]);
  const [SRC, ROWS, COLS, LDS, DST, LDD] = [0, 1, 2, 3, 4, 5];
  const r = f.local(I32), c = f.local(I32), ps = f.local(I32), pd = f.local(I32);
  f.i32(0).set(r);
  f.block().loop();
  f.get(r).get(ROWS).geU().brIf(1);
  f.get(SRC).get(r).get(LDS).mul().i32(2).shl().add().set(ps);
  f.get(DST).get(r).get(LDD).mul().i32(2).shl().add().set(pd);
  f.i32(0).set(c);
  f.block().loop();
  f.get(c).get(COLS).geU().brIf(1);
  f.get(pd).get(ps).f32Load(0).f32Store(0);
  f.get(ps).i32(4).add().set(ps);
  f.get(pd).i32(4).add().set(pd);
  f.get(c).i32(1).add().set(c);
  f.br(0).end().end();
  f.get(r).i32(1).add().set(r);
  f.br(0).end().end();
  return f;
}

/**
 * The module's bytes; `shared` when worker threads will use the same memory; `fma` for the
 * relaxed-SIMD variant (valid only where `relaxedSimdSupported()`).
 */
export function gemmModuleBytes(shared: boolean, maximumPages: number, fma = false): Uint8Array<ArrayBuffer> {
  return assemble(
    { gemm_an: gemm(false, fma), gemm_at: gemm(true, fma), transpose: transpose(), copy2d: copy2d(), im2col: patchFunction(false), col2im: patchFunction(true),
      max_pool: maxPoolFunction(false), max_pool_grad: maxPoolFunction(true), relu_grad: reluGradFunction(), col_sums: colSumsFunction(),
      adam: adamFunction(), sgd: sgdFunction(),
      dropout_mask: dropoutMaskFunction(), gather_rows: gatherRowsFunction() },
    { initial: 1, maximum: maximumPages, shared },
  );
}

/** The exports of the module. */
export interface GemmExports {
  /** `ws`: byte address of this thread's workspace of 4·k floats (gemm_at packs each strip of A there; gemm_an ignores it). */
  gemm_an(a: number, lda: number, b: number, ldb: number, c: number, ldc: number, m0: number, m1: number, n: number, k: number, bias: number, relu: number, acc: number, ws: number): void;
  gemm_at(a: number, lda: number, b: number, ldb: number, c: number, ldc: number, m0: number, m1: number, n: number, k: number, bias: number, relu: number, acc: number, ws: number): void;
  transpose(src: number, rows: number, cols: number, lds: number, dst: number, ldd: number): void;
  copy2d(src: number, rows: number, cols: number, lds: number, dst: number, ldd: number): void;
  /** Rows [m0, m1) of a patch matrix from the parameters at byte p (patch-module.ts). */
  im2col(p: number, m0: number, m1: number): void;
  /** Adds rows [m0, m1) of a patch matrix back into the input's gradient. */
  col2im(p: number, m0: number, m1: number): void;
  /** The one-pass loops of onepass-module.ts, each over items [lo, hi) with its parameters at byte p. */
  max_pool(p: number, lo: number, hi: number): void;
  max_pool_grad(p: number, lo: number, hi: number): void;
  relu_grad(p: number, lo: number, hi: number): void;
  col_sums(p: number, lo: number, hi: number): void;
  /** The fused optimizer's SIMD updates (optimizer-module.ts), over groups [lo, hi) of four floats. */
  adam(p: number, lo: number, hi: number): void;
  sgd(p: number, lo: number, hi: number): void;
  /** A Dropout mask (dropout-module.ts), over groups [lo, hi) of eight elements. */
  dropout_mask(p: number, lo: number, hi: number): void;
  /** A batch's rows [lo, hi) gathered by index from row arrays in this memory (onepass-module.ts). */
  gather_rows(p: number, lo: number, hi: number): void;
}
