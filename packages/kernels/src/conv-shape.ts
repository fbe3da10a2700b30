// The shapes of a 5-D channels-last convolution, as the fast conv bodies and the engine's
// im2col/col2im (patch-module.ts) use them: the patch matrix has one row per output cell and one
// column per tap and input channel of a group.

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
