// im2col and col2im in WebAssembly, for the GEMM engine's module (so its worker threads run them
// too). A convolution's patch matrix is a few MB per batch block and JavaScript copies it at
// several ns per float; here each run of channels is one memory.copy (or one SIMD add loop).
//
// Both read their shapes from a block of i32 parameters in memory (PATCH_PARAMS names them) and
// work on rows [m0, m1) of the patch matrix: one row per output cell (n, od, oh, ow), columns in
// tap order (a, b, e), then channel. Row m lives at dst + (m − mBase)·ld floats.
import { Fn, I32 } from './wasm-asm';

/** Runs (bytes) below this are copied inline rather than by memory.copy. */
const SMALL_RUN = 64;

/** The i32 parameters at `p`, in this order. Byte addresses for x and dst; sizes in cells or floats. */
export const PATCH_PARAMS = [
  'x', 'dst', 'ld', 'mBase',
  'D', 'H', 'W', 'C', 'KD', 'KH', 'KW', 'cg', 'c0', 'OD', 'OH', 'OW',
  'sd', 'sh', 'sw', 'dd', 'dh', 'dw', 'pd', 'ph', 'pw',
] as const;

/**
 * im2col (`accumulate` false): copy each tap's run of cg channels of x into the row, zeros where
 * the tap falls in the padding. col2im (`accumulate` true): add the row's runs back into x (the
 * gradient), skipping padding.
 */
export function patchFunction(accumulate: boolean): Fn {
  const f = new Fn([I32, I32, I32]);
  const [P, M0, M1] = [0, 1, 2];
  const v: Record<(typeof PATCH_PARAMS)[number], number> = Object.fromEntries(PATCH_PARAMS.map((name) => [name, f.local(I32)])) as never;
  const m = f.local(I32), t = f.local(I32), n = f.local(I32), od = f.local(I32), oh = f.local(I32), ow = f.local(I32);
  const p = f.local(I32), bd = f.local(I32), bh = f.local(I32), bw = f.local(I32);
  const a = f.local(I32), b = f.local(I32), e = f.local(I32), id = f.local(I32), ih = f.local(I32), iw = f.local(I32);
  const rowBase = f.local(I32), run = f.local(I32), tapRow = f.local(I32), tapPlane = f.local(I32), ld4 = f.local(I32), C4 = f.local(I32), c04 = f.local(I32);
  const q = f.local(I32), j = f.local(I32), vecEnd = f.local(I32), merge = f.local(I32);

  PATCH_PARAMS.forEach((name, i) => f.get(P).i32Load(4 * i).set(v[name]));
  f.get(v.ld).i32(2).shl().set(ld4);
  f.get(v.C).i32(2).shl().set(C4);
  f.get(v.c0).i32(2).shl().set(c04);
  f.get(v.cg).i32(2).shl().set(run); // bytes of one tap's channels
  f.get(run).get(v.KW).mul().set(tapRow);
  f.get(tapRow).get(v.KH).mul().set(tapPlane);

  // skip `bytes` of the row: zeros for im2col, nothing for col2im
  const skip = (bytes: number) => {
    if (!accumulate) f.get(p).i32(0).get(bytes).memoryFill();
    f.get(p).get(bytes).add().set(p);
  };
  // copy (im2col) or add (col2im) `bytes` between the row at p and x at q. memory.copy costs a
  // call into the engine's runtime: runs shorter than SMALL_RUN bytes (a first layer's one
  // channel per tap) are copied inline, four bytes at a time.
  const moveRun = (bytes: number) => {
    f.i32(0).set(j);
    if (!accumulate) {
      f.get(bytes).i32(SMALL_RUN).ltS();
      f.ifElse();
      f.block().loop();
      f.get(j).get(bytes).geU().brIf(1);
      f.get(p).get(j).add().get(q).get(j).add().f32Load(0).f32Store(0);
      f.get(j).i32(4).add().set(j);
      f.br(0).end().end();
      f.orElse();
      f.get(p).get(q).get(bytes).memoryCopy();
      f.end();
      return;
    }
    // x[q + j] += row[p + j], four floats at a time, then one at a time
    f.get(bytes).i32(-16).emit(0x71).set(vecEnd); // i32.and: the bytes covered by whole v128s
    f.block().loop();
    f.get(j).get(vecEnd).geU().brIf(1);
    f.get(q).get(j).add().get(q).get(j).add().v128Load(0).get(p).get(j).add().v128Load(0).f32x4Add().v128Store(0);
    f.get(j).i32(16).add().set(j);
    f.br(0).end().end();
    f.block().loop();
    f.get(j).get(bytes).geU().brIf(1);
    f.get(q).get(j).add().get(q).get(j).add().f32Load(0).get(p).get(j).add().f32Load(0).f32Add().f32Store(0);
    f.get(j).i32(4).add().set(j);
    f.br(0).end().end();
  };
  // rows of taps merge when dilation is 1 and the group is every channel (taps then adjacent in x)
  f.get(v.dw).i32(1).emit(0x46).get(v.cg).get(v.C).emit(0x46).emit(0x71).set(merge); // i32.eq
  // out of [0, size) as a signed test
  const outside = (x: number, size: number) => f.get(x).i32(0).ltS().get(x).get(size).geS().or();

  f.get(M0).set(m);
  f.block().loop(); // rows
  f.get(m).get(M1).geU().brIf(1);
  f.get(m).get(v.OW).remU().set(ow);
  f.get(m).get(v.OW).divU().tee(t).get(v.OH).remU().set(oh);
  f.get(t).get(v.OH).divU().tee(t).get(v.OD).remU().set(od);
  f.get(t).get(v.OD).divU().set(n);
  f.get(v.dst).get(m).get(v.mBase).sub().get(ld4).mul().add().set(p);
  f.get(od).get(v.sd).mul().get(v.pd).sub().set(bd);
  f.get(oh).get(v.sh).mul().get(v.ph).sub().set(bh);
  f.get(ow).get(v.sw).mul().get(v.pw).sub().set(bw);
  f.i32(0).set(a);
  f.block().loop(); // a: depth taps
  f.get(a).get(v.KD).geU().brIf(1);
  f.get(bd).get(a).get(v.dd).mul().add().set(id);
  outside(id, v.D);
  f.ifElse();
  skip(tapPlane);
  f.orElse();
  f.i32(0).set(b);
  f.block().loop(); // b: height taps
  f.get(b).get(v.KH).geU().brIf(1);
  f.get(bh).get(b).get(v.dh).mul().add().set(ih);
  outside(ih, v.H);
  f.ifElse();
  skip(tapRow);
  f.orElse();
  f.get(n).get(v.D).mul().get(id).add().get(v.H).mul().get(ih).add().get(v.W).mul().set(rowBase);
  // The whole row of KW taps inside x, dilation 1, every channel: one contiguous run of tapRow bytes
  f.get(merge).get(bw).i32(0).geS().emit(0x71).get(bw).get(v.KW).add().get(v.W).emit(0x4c).emit(0x71);
  f.ifElse();
  f.get(v.x).get(rowBase).get(bw).add().get(C4).mul().add().set(q);
  moveRun(tapRow);
  f.get(p).get(tapRow).add().set(p);
  f.orElse();
  f.i32(0).set(e);
  f.block().loop(); // e: width taps
  f.get(e).get(v.KW).geU().brIf(1);
  f.get(bw).get(e).get(v.dw).mul().add().set(iw);
  outside(iw, v.W);
  f.ifElse();
  skip(run);
  f.orElse();
  // q = x + (rowBase + iw)·C·4 + c0·4
  f.get(v.x).get(rowBase).get(iw).add().get(C4).mul().add().get(c04).add().set(q);
  moveRun(run);
  f.get(p).get(run).add().set(p);
  f.end();
  f.get(e).i32(1).add().set(e);
  f.br(0).end().end(); // e
  f.end(); // merged or tap by tap
  f.end();
  f.get(b).i32(1).add().set(b);
  f.br(0).end().end(); // b
  f.end();
  f.get(a).i32(1).add().set(a);
  f.br(0).end().end(); // a
  f.get(m).i32(1).add().set(m);
  f.br(0).end().end(); // rows
  return f;
}
