// im2col and col2im for 5-D channels-last convolutions: the rows of the patch matrix of a
// convolution (one row per output cell, one column per tap and input channel of a group), and
// the sum of such rows back into an input-shaped gradient. Plain loops over typed arrays: the
// runs of channels are contiguous in channels-last memory.

/** Everything about one convolution's shapes: x [N, D, H, W, C], filter [KD, KH, KW, cg, O]. */
export interface ConvShape {
  N: number; D: number; H: number; W: number; C: number;
  KD: number; KH: number; KW: number; cg: number; O: number; og: number; groups: number;
  OD: number; OH: number; OW: number;
  sd: number; sh: number; sw: number;
  dd: number; dh: number; dw: number;
  pd: number; ph: number; pw: number;
  /** Output cells (rows of the patch matrix): N·OD·OH·OW. */
  M: number;
  /** Columns of the patch matrix of one group: KD·KH·KW·cg. */
  K: number;
}

const outLen = (n: number, k: number, s: number, d: number, b: number, a: number) => Math.floor((n + b + a - (k - 1) * d - 1) / s) + 1;

/** The shapes of a convolution from its input and filter shapes and the kernels' attributes. */
export function convShape(xShape: number[], fShape: number[], strides: number[], dilations: number[], pads: number[], groups: number): ConvShape {
  const [N, D, H, W, C] = xShape;
  const [KD, KH, KW, cg, O] = fShape;
  const [sd, sh, sw] = strides;
  const [dd, dh, dw] = dilations;
  const OD = outLen(D, KD, sd, dd, pads[0], pads[1]);
  const OH = outLen(H, KH, sh, dh, pads[2], pads[3]);
  const OW = outLen(W, KW, sw, dw, pads[4], pads[5]);
  return {
    N, D, H, W, C, KD, KH, KW, cg, O, og: O / groups, groups, OD, OH, OW, sd, sh, sw, dd, dh, dw,
    pd: pads[0], ph: pads[2], pw: pads[4], M: N * OD * OH * OW, K: KD * KH * KW * cg,
  };
}

/**
 * Rows [m0, m1) of group g's patch matrix into `dst` from offset `off`, row stride `ld`
 * (columns in tap order, then channel): `dst[r·ld + ((a·KH + b)·KW + e)·cg + c]`.
 */
export function im2col(x: ArrayLike<number>, s: ConvShape, g: number, m0: number, m1: number, dst: Float32Array, off: number, ld: number): void {
  const { D, H, W, C, KD, KH, KW, cg, OD, OH, OW, sd, sh, sw, dd, dh, dw, pd, ph, pw } = s;
  const c0 = g * cg;
  const rowRun = KW * cg;
  // a whole row of taps is one contiguous run when the group is every channel and taps touch
  const wholeRuns = cg === C && dw === 1;
  let ow = m0 % OW;
  let oh = Math.floor(m0 / OW) % OH;
  let od = Math.floor(m0 / (OW * OH)) % OD;
  let n = Math.floor(m0 / (OW * OH * OD));
  for (let m = m0; m < m1; m++) {
    let p = off + (m - m0) * ld;
    const bd = od * sd - pd;
    const bh = oh * sh - ph;
    const bw = ow * sw - pw;
    const inside = bw >= 0 && bw + (KW - 1) * dw < W;
    for (let a = 0; a < KD; a++) {
      const id = bd + a * dd;
      if (id < 0 || id >= D) {
        dst.fill(0, p, p + KH * rowRun);
        p += KH * rowRun;
        continue;
      }
      for (let b = 0; b < KH; b++) {
        const ih = bh + b * dh;
        if (ih < 0 || ih >= H) {
          dst.fill(0, p, p + rowRun);
          p += rowRun;
          continue;
        }
        const rowBase = ((n * D + id) * H + ih) * W;
        if (wholeRuns && inside) {
          let q = (rowBase + bw) * C;
          for (let i = 0; i < rowRun; i++) dst[p++] = x[q++];
          continue;
        }
        for (let e = 0; e < KW; e++) {
          const iw = bw + e * dw;
          if (iw < 0 || iw >= W) {
            for (let c = 0; c < cg; c++) dst[p++] = 0;
          } else {
            let q = (rowBase + iw) * C + c0;
            for (let c = 0; c < cg; c++) dst[p++] = x[q++];
          }
        }
      }
    }
    if (++ow === OW) {
      ow = 0;
      if (++oh === OH) {
        oh = 0;
        if (++od === OD) {
          od = 0;
          n++;
        }
      }
    }
  }
}

/** Add rows [m0, m1) of group g's patch matrix (at `off`, row stride `ld`) into dx: im2col's transpose. */
export function col2im(cols: Float32Array, off: number, ld: number, s: ConvShape, g: number, m0: number, m1: number, dx: Float32Array): void {
  const { D, H, W, C, KD, KH, KW, cg, OD, OH, OW, sd, sh, sw, dd, dh, dw, pd, ph, pw } = s;
  const c0 = g * cg;
  const rowRun = KW * cg;
  const wholeRuns = cg === C && dw === 1;
  let ow = m0 % OW;
  let oh = Math.floor(m0 / OW) % OH;
  let od = Math.floor(m0 / (OW * OH)) % OD;
  let n = Math.floor(m0 / (OW * OH * OD));
  for (let m = m0; m < m1; m++) {
    let p = off + (m - m0) * ld;
    const bd = od * sd - pd;
    const bh = oh * sh - ph;
    const bw = ow * sw - pw;
    const inside = bw >= 0 && bw + (KW - 1) * dw < W;
    for (let a = 0; a < KD; a++) {
      const id = bd + a * dd;
      if (id < 0 || id >= D) {
        p += KH * rowRun;
        continue;
      }
      for (let b = 0; b < KH; b++) {
        const ih = bh + b * dh;
        if (ih < 0 || ih >= H) {
          p += rowRun;
          continue;
        }
        const rowBase = ((n * D + id) * H + ih) * W;
        if (wholeRuns && inside) {
          let q = (rowBase + bw) * C;
          for (let i = 0; i < rowRun; i++) dx[q++] += cols[p++];
          continue;
        }
        for (let e = 0; e < KW; e++) {
          const iw = bw + e * dw;
          if (iw < 0 || iw >= W) {
            p += cg;
          } else {
            let q = (rowBase + iw) * C + c0;
            for (let c = 0; c < cg; c++) dx[q++] += cols[p++];
          }
        }
      }
    }
    if (++ow === OW) {
      ow = 0;
      if (++oh === OH) {
        oh = 0;
        if (++od === OD) {
          od = 0;
          n++;
        }
      }
    }
  }
}
