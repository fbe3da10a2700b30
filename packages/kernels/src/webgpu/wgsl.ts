// The GPU plan's WGSL kernels, generated per layer with its sizes as constants (only the batch
// size varies between steps: it comes from the step's uniform). Every kernel binds the step's
// uniform at binding 0 and its buffers after it; `Kernel.bindings` lists their access.

/** The activations the GPU plan fuses into its products. */
export type GpuActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

/** How a kernel binds a buffer: read-only storage, read-write storage. */
export type BindingKind = 'read' | 'rw';

/** A kernel's WGSL and its storage bindings (1, 2, ... in order; binding 0 is the step's uniform). */
export interface Kernel {
  label: string;
  code: string;
  bindings: BindingKind[];
}

/**
 * The WGSL of what a plain dense training step does not need (RMSprop and Adagrad, sigmoid
 * cross-entropy, thresholded and error metrics, weight penalties, Dropout): a chunk of its own
 * (`loadWgslExtras`), loaded only by a plan that uses one of them.
 */
export interface WgslExtras {
  /** RMSprop's or Adagrad's update of element `i` (see `optimizerKernel`). */
  update(o: OptimizerSpec): string;
  /** Sigmoid cross-entropy's loss, gradient (and probabilities) of a row (see `lossKernel`). */
  sigmoidLoss(s: LossSpec, yAt: (j: string) => string): string;
  /** A binary accuracy or error metric of a row, added to `hits[i]`. */
  metric(m: GpuMetric, i: number, units: number, yAt: (j: string) => string): string;
  /** A layer's L1/L2 penalty kernel. */
  penaltyKernel(l: KernelLayer): Kernel;
  /** A Dropout's output `A ⊙ M` (see `dropoutKernel` in wgsl-extras.ts), and its invocations per workgroup. */
  dropoutKernel(units: number, capacity: number): Kernel;
  dropoutThreads: number;
  /** The statements weighting a row's loss and gradient by its sample weight `W[row]` (see `lossKernel`). */
  sampleWeight(units: number): string;
  /** Adam's update with AMSGrad (slots m, v, v̂; see `optimizerKernel`). */
  amsgradUpdate(o: OptimizerSpec): string;
  /** The kernel clipping the trained gradients by norm, in place (see `clipNormKernel` in wgsl-extras.ts). */
  clipNormKernel(clip: GradientClip, vars: GpuRange[]): Kernel;
}

/** A range of floats in a flat buffer. */
export interface GpuRange {
  offset: number;
  length: number;
}

/** Gradient clipping by norm: each variable's gradient by its own L2 norm, or all of them by their global norm (Keras's clipnorm / global_clipnorm). */
export interface GradientClip {
  kind: 'norm' | 'global';
  value: number;
}

function need(extras: WgslExtras | null | undefined): WgslExtras {
  if (!extras) throw new Error('Internal: a WebGPU plan kernel needs the WGSL extras (loadWgslExtras) and was not given them');
  return extras;
}

/** Bytes of the step's uniform (`Step` below). */
export const STEP_BYTES = 32;

/**
 * The values that change between steps. `scale` multiplies the loss gradient (1/n for a mean
 * reduction), `lossMul` the summed per-sample losses (n for a sum reduction), `alpha` is Adam's
 * bias-corrected step, `decay` the weight-decay factor `1 − wd·lr` and `slot` the step's place
 * among the steps of one submit (where its Dropout masks are).
 */
export const STEP = `struct Step { n: u32, idxOff: u32, lr: f32, alpha: f32, decay: f32, scale: f32, lossMul: f32, slot: u32 };
@group(0) @binding(0) var<uniform> step: Step;
`;

const TILE = 16;

/** A float literal WGSL reads as the float32 nearest to `x` (as `Math.fround`). */
export function lit(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`Internal: ${x} in a WGSL constant`);
  return `f32(${Number.isInteger(x) ? `${x}.0` : String(x)})`;
}

/** A storage buffer's declaration at `binding`. */
export function decl(binding: number, name: string, kind: BindingKind, type = 'f32'): string {
  return `@group(0) @binding(${binding}) var<storage, ${kind === 'read' ? 'read' : 'read_write'}> ${name}: array<${type}>;\n`;
}

/** The activation of `v` (an f32 expression). */
export function activationOf(act: GpuActivation, v: string): string {
  switch (act) {
    case 'relu':
      return `max(${v}, 0.0)`;
    case 'sigmoid':
      return `(1.0 / (1.0 + exp(-(${v}))))`;
    case 'tanh':
      // tanh of a large argument is inf/inf on some drivers: it is ±1 within float32 past 10
      return `tanh(clamp(${v}, -10.0, 10.0))`;
    default:
      return v;
  }
}

/** The activation's derivative from its output `y`. */
export function derivativeOf(act: GpuActivation, y: string): string {
  switch (act) {
    case 'relu':
      return `select(0.0, 1.0, ${y} > 0.0)`;
    case 'sigmoid':
      return `(${y} * (1.0 - ${y}))`;
    case 'tanh':
      return `(1.0 - ${y} * ${y})`;
    default:
      return '1.0';
  }
}

interface Product {
  label: string;
  /** Sizes: a number, or `'n'` for the batch size of the step. */
  M: number | 'n';
  N: number;
  K: number | 'n';
  bindings: string;
  kinds: BindingKind[];
  /** The element (m, k) of the left factor and (k, n) of the right one, as WGSL expressions of `m`, `k`, `c`. */
  a: string;
  b: string;
  /** Statements storing `acc` at (`m`, `c`). */
  store: string;
}

const size = (s: number | 'n') => (s === 'n' ? 'step.n' : `${s}u`);

/**
 * C = A·B tiled 16×16 through workgroup memory, one output per invocation, with a fused epilogue.
 * Dispatched as (⌈N/16⌉, ⌈M/16⌉) workgroups.
 */
function product(p: Product): Kernel {
  const code = `${STEP}${p.bindings}
var<workgroup> tA: array<array<f32, ${TILE}>, ${TILE}>;
var<workgroup> tB: array<array<f32, ${TILE}>, ${TILE}>;
fn aAt(m: u32, k: u32) -> f32 { return ${p.a}; }
fn bAt(k: u32, c: u32) -> f32 { return ${p.b}; }
@compute @workgroup_size(${TILE}, ${TILE})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let M = ${size(p.M)};
  let N = ${size(p.N)};
  let K = ${size(p.K)};
  let m = wid.y * ${TILE}u + lid.y;
  let c = wid.x * ${TILE}u + lid.x;
  var acc = 0.0;
  let tiles = (K + ${TILE - 1}u) / ${TILE}u;
  for (var t = 0u; t < tiles; t++) {
    let ka = t * ${TILE}u + lid.x;
    var av = 0.0;
    if (m < M && ka < K) { av = aAt(m, ka); }
    tA[lid.y][lid.x] = av;
    let kb = t * ${TILE}u + lid.y;
    var bv = 0.0;
    if (kb < K && c < N) { bv = bAt(kb, c); }
    tB[lid.y][lid.x] = bv;
    workgroupBarrier();
    for (var i = 0u; i < ${TILE}u; i++) { acc = acc + tA[lid.y][i] * tB[i][lid.x]; }
    workgroupBarrier();
  }
  if (m < M && c < N) {
    ${p.store}
  }
}
`;
  return { label: p.label, code, bindings: p.kinds };
}

/** Workgroups of a product kernel for an M×N result. */
export function productGroups(M: number, N: number): [number, number] {
  return [Math.ceil(N / TILE), Math.ceil(M / TILE)];
}

/** One Dense layer's sizes and settings, as the kernels see them. */
export interface KernelLayer {
  inDim: number;
  units: number;
  bias: boolean;
  activation: GpuActivation;
  /** False for a frozen layer: no weight gradient, no update (its input gradient still flows). */
  trainable?: boolean;
  /** Whether a Dropout follows the layer (its mask, drawn per step, multiplies the output the next layer reads). */
  dropout?: boolean;
  /** Keras's L1/L2 penalties of the kernel and of the bias (absent or null: none). */
  kernelPenalty?: { l1: number; l2: number } | null;
  biasPenalty?: { l1: number; l2: number } | null;
}



/** The row of the input a batch row reads: through the index buffer for the model's input. */
const rowOf = (gather: boolean, r: string) => (gather ? `u32(idx[step.idxOff + ${r}])` : r);

/**
 * Where a forward product reads its input rows and writes its output rows: `true` (the training
 * step's first layer) gathers its input rows through the index buffer, `false` reads and writes
 * rows 0..n, `'offset'` reads its input rows from row `step.idxOff` (predict's first layer, over
 * the whole input), `'out'` writes its rows from row `step.idxOff` (predict's last layer, into
 * the whole output), `'both'` does both (a model of one layer).
 */
export type ForwardRows = boolean | 'offset' | 'out' | 'both';

/**
 * Forward product of a layer: `out = act(in·W + b)`. Bindings: 1 the input rows, 2 the row
 * indices (the first layer gathers its batch from the training array), 3 the kernel with the bias
 * after it, 4 the output.
 */
export function forwardKernel(l: KernelLayer, rows: ForwardRows): Kernel {
  const bias = l.bias ? ` + P[${l.inDim * l.units}u + c]` : '';
  const inRow = rows === 'offset' || rows === 'both' ? '(step.idxOff + m)' : rowOf(rows === true, 'm');
  const outRow = rows === 'out' || rows === 'both' ? '(step.idxOff + m)' : 'm';
  return product({
    label: `forward ${l.inDim}→${l.units}`,
    M: 'n',
    N: l.units,
    K: l.inDim,
    bindings: decl(1, 'X', 'read') + decl(2, 'idx', 'read', 'i32') + decl(3, 'P', 'read') + decl(4, 'Y', 'rw'),
    kinds: ['read', 'read', 'read', 'rw'],
    a: `X[${inRow} * ${l.inDim}u + k]`,
    b: `P[k * ${l.units}u + c]`,
    store: `Y[${outRow} * ${l.units}u + c] = ${activationOf(l.activation, `acc${bias}`)};`,
  });
}

/**
 * Softmax of each of the step's rows of `units` values, in place, from row `step.idxOff`
 * (predict's output layer: the training step's loss kernel takes the logits). One invocation a
 * row, `SOFTMAX_THREADS` a workgroup. Binding 1: the rows.
 */
export function softmaxRowsKernel(units: number): Kernel {
  const code = `${STEP}${decl(1, 'Y', 'rw')}
@compute @workgroup_size(${SOFTMAX_THREADS})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x >= step.n) { return; }
  let o = (step.idxOff + gid.x) * ${units}u;
  var mx = Y[o];
  for (var j = 1u; j < ${units}u; j++) { mx = max(mx, Y[o + j]); }
  var se = 0.0;
  for (var j = 0u; j < ${units}u; j++) { se = se + exp(Y[o + j] - mx); }
  for (var j = 0u; j < ${units}u; j++) { Y[o + j] = exp(Y[o + j] - mx) / se; }
}
`;
  return { label: `softmax rows ${units}`, code, bindings: ['rw'] };
}

/** Invocations per workgroup of `softmaxRowsKernel` (one row each). */
export const SOFTMAX_THREADS = 64;

/**
 * The kernel's gradient `dW = inᵀ·D` and, as one more row of the same product (a row of ones
 * under inᵀ), the bias gradient `db = Σ_rows D`, written where the kernel and bias sit in the flat
 * gradient buffer. Bindings: 1 the input rows, 2 the row indices, 3 D, 4 the gradients.
 */
export function weightGradKernel(l: KernelLayer, gather: boolean): Kernel {
  const M = l.inDim + (l.bias ? 1 : 0);
  const x = `X[${rowOf(gather, 'k')} * ${l.inDim}u + m]`;
  // the row past the input's columns is the row of ones (an `if`: WGSL's select reads both sides)
  const helper = l.bias ? `fn inT(m: u32, k: u32) -> f32 { if (m >= ${l.inDim}u) { return 1.0; } return ${x}; }\n` : '';
  return product({
    label: `weight gradient ${l.inDim}→${l.units}`,
    M,
    N: l.units,
    K: 'n',
    bindings: decl(1, 'X', 'read') + decl(2, 'idx', 'read', 'i32') + decl(3, 'D', 'read') + decl(4, 'G', 'rw') + helper,
    kinds: ['read', 'read', 'read', 'rw'],
    a: l.bias ? 'inT(m, k)' : x,
    b: `D[k * ${l.units}u + c]`,
    store: `G[m * ${l.units}u + c] = acc;`,
  });
}

/**
 * The gradient with respect to the layer's input, through the activation of the layer below:
 * `D_below = (D·Wᵀ) ⊙ act'(out_below)`. Bindings: 1 D, 2 the kernel, 3 the output of the layer
 * below, 4 its gradient.
 */
export function inputGradKernel(l: KernelLayer, below: GpuActivation, maskCapacity = 0): Kernel {
  // a Dropout after the layer below: its mask (the step's slot of binding 5; `M` is the product's row count) multiplies the gradient
  const mask = maskCapacity > 0 ? ` * DM[step.slot * ${maskCapacity * l.inDim}u + m * ${l.inDim}u + c]` : '';
  return product({
    label: `input gradient ${l.units}→${l.inDim}`,
    M: 'n',
    N: l.inDim,
    K: l.units,
    bindings: decl(1, 'D', 'read') + decl(2, 'P', 'read') + decl(3, 'Y', 'read') + decl(4, 'DB', 'rw') + (mask ? decl(5, 'DM', 'read') : ''),
    kinds: mask ? ['read', 'read', 'read', 'rw', 'read'] : ['read', 'read', 'read', 'rw'],
    a: `D[m * ${l.units}u + k]`,
    b: `P[c * ${l.units}u + k]`,
    store: `let y = Y[m * ${l.inDim}u + c];\n    DB[m * ${l.inDim}u + c] = acc${mask} * ${derivativeOf(below, 'y')};`,
  });
}


/** A metric the loss kernel sums: class choice against the targets, thresholded hits, or errors. */
export interface GpuMetric {
  kind: 'categorical_accuracy' | 'sparse_categorical_accuracy' | 'binary_accuracy' | 'mean_squared_error' | 'mean_absolute_error';
  /** Binary accuracy's threshold (default 0.5). */
  threshold?: number;
}

/** The loss kernels' settings. */
export interface LossSpec {
  kind: 'softmax_ce' | 'sigmoid_ce' | 'mse';
  /** Targets are class indices. */
  sparse: boolean;
  /** The element type of the targets' buffer. */
  targets: 'f32' | 'i32';
  units: number;
  /** The output layer's activation (MSE: its derivative is applied to the gradient). */
  activation: GpuActivation;
  /** Sigmoid cross-entropy: whether the model outputs probabilities (the metrics then read them, written over the logits). */
  probabilities?: boolean;
  /** The metrics summed after the loss. */
  metrics: GpuMetric[];
  /** Whether each row's loss and gradient are multiplied by its sample weight (a float32 buffer of one weight a data row, binding 6). */
  weighted?: boolean;
}

const LOSS_THREADS = 256;

/**
 * The loss, its gradient with respect to the output layer's pre-activation and the batch's
 * metric counts, in one workgroup: each invocation takes rows, the sums are reduced in workgroup
 * memory and added to the epoch's sums (`sums[0]` the loss, `sums[1 + i]` metric i). A softmax
 * loss writes the probabilities over the logits (what the metrics read, as the CPU plan).
 * Bindings: 1 the output rows, 2 the row indices, 3 the targets, 4 the gradient, 5 the sums.
 */
export function lossKernel(s: LossSpec, extras?: WgslExtras | null): Kernel {
  const U = s.units;
  const T = s.targets;
  const yAt = (j: string) => (T === 'i32' ? `f32(Yt[row * ${s.sparse ? 1 : U}u + ${j}])` : `Yt[row * ${s.sparse ? 1 : U}u + ${j}]`);
  const cls = s.sparse ? `i32(round(${yAt('0u')}))` : '';
  const body =
    s.kind === 'softmax_ce'
      ? `
    var mx = O[o];
    for (var j = 1u; j < ${U}u; j++) { mx = max(mx, O[o + j]); }
    var se = 0.0;
    for (var j = 0u; j < ${U}u; j++) { se = se + exp(O[o + j] - mx); }
    let logS = log(se) + mx;
    ${
      s.sparse
        ? `let t = ${cls};
    let g = select(0.0, step.scale, t >= 0 && t < ${U}i);
    for (var j = 0u; j < ${U}u; j++) {
      let p = exp(O[o + j] - logS);
      let hit = i32(j) == t;
      if (hit) { loss = logS - O[o + j]; }
      D[o + j] = g * select(p, p - 1.0, hit);
      O[o + j] = p;
    }`
        : `var sy = 0.0;
    for (var j = 0u; j < ${U}u; j++) { sy = sy + ${yAt('j')}; }
    for (var j = 0u; j < ${U}u; j++) {
      let yj = ${yAt('j')};
      if (yj != 0.0) { loss = loss + yj * (logS - O[o + j]); }
      let p = exp(O[o + j] - logS);
      D[o + j] = step.scale * (p * sy - yj);
      O[o + j] = p;
    }`
    }`
      : s.kind === 'sigmoid_ce'
        ? need(extras).sigmoidLoss(s, yAt)
        : `
    let g = 2.0 * step.scale / ${lit(U)};
    for (var j = 0u; j < ${U}u; j++) {
      let y = O[o + j];
      let e = y - ${yAt('j')};
      loss = loss + e * e;
      D[o + j] = g * e * ${derivativeOf(s.activation, 'y')};
    }
    loss = loss / ${lit(U)};`;
  const metricCode = s.metrics
    .map((m, i) => {
      switch (m.kind) {
        case 'categorical_accuracy':
        case 'sparse_categorical_accuracy': {
          const truth = m.kind === 'sparse_categorical_accuracy' ? `${cls}` : `i32(argmaxY(row))`;
          return `    if (${truth} == i32(argmaxO(o))) { hits[${i}] = hits[${i}] + 1.0; }`;
        }
        default:
          return need(extras).metric(m, i, U, yAt);
      }
    })
    .join('\n');
  const nm = Math.max(s.metrics.length, 1);
  const code = `${STEP}${decl(1, 'O', 'rw')}${decl(2, 'idx', 'read', 'i32')}${decl(3, 'Yt', 'read', T)}${decl(4, 'D', 'rw')}${decl(5, 'sums', 'rw')}${s.weighted === true ? decl(6, 'W', 'read') : ''}
var<workgroup> part: array<array<f32, ${LOSS_THREADS}>, ${1 + nm}>;
fn argmaxO(o: u32) -> u32 {
  var b = 0u;
  for (var j = 1u; j < ${U}u; j++) { if (O[o + j] > O[o + b]) { b = j; } }
  return b;
}
fn argmaxY(row: u32) -> u32 {
  var b = 0u;
  for (var j = 1u; j < ${U}u; j++) { if (${yAt('j')} > ${yAt('b')}) { b = j; } }
  return b;
}
@compute @workgroup_size(${LOSS_THREADS})
fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  var total = 0.0;
  var hits: array<f32, ${nm}>;
  for (var r = lid.x; r < step.n; r = r + ${LOSS_THREADS}u) {
    let row = u32(idx[step.idxOff + r]);
    let o = r * ${U}u;
    var loss = 0.0;${body}${s.weighted === true ? need(extras).sampleWeight(U) : ''}
    total = total + loss;
${metricCode}
  }
  part[0][lid.x] = total;
  for (var i = 0u; i < ${nm}u; i++) { part[1u + i][lid.x] = hits[i]; }
  workgroupBarrier();
  for (var w = ${LOSS_THREADS / 2}u; w > 0u; w = w / 2u) {
    if (lid.x < w) {
      for (var i = 0u; i < ${1 + nm}u; i++) { part[i][lid.x] = part[i][lid.x] + part[i][lid.x + w]; }
    }
    workgroupBarrier();
  }
  if (lid.x == 0u) {
    sums[0] = sums[0] + part[0][0] * step.lossMul;
    for (var i = 0u; i < ${s.metrics.length}u; i++) { sums[1u + i] = sums[1u + i] + part[1u + i][0]; }
  }
}
`;
  const bindings: BindingKind[] = ['rw', 'read', 'read', 'rw', 'rw'];
  if (s.weighted === true) bindings.push('read');
  return { label: `loss ${s.kind}${s.weighted === true ? ' weighted' : ''}`, code, bindings };
}

/** The fused optimizer's settings (Keras 3's update rules, as @neurona/kernels' fusedOptimizerStep). */
export interface OptimizerSpec {
  kind: 'sgd' | 'adam' | 'rmsprop' | 'adagrad';
  /** SGD's and RMSprop's momentum (0: none). */
  momentum: number;
  nesterov: boolean;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** RMSprop's decay of its averages, and whether it is centered. */
  rho?: number;
  centered?: boolean;
  /** Each gradient element clipped to [−clipValue, clipValue] first (null or absent: none). */
  clipValue?: number | null;
  /** Whether the step applies `w ← w·decay` first. */
  decay: boolean;
  /** Adam's AMSGrad (a third slot, the largest second moment so far). */
  amsgrad?: boolean;
  /** Gradient clipping by norm (a kernel of the extras before the update; null or absent: none). */
  clipNorm?: GradientClip | null;
}

/**
 * The optimizer's slot buffers, in the order of Keras's variables: SGD [momentum] when momentum
 * is not 0; Adam [m, v] (and v̂ with AMSGrad); RMSprop [velocity, momentum when momentum > 0, average gradient when
 * centered]; Adagrad [accumulator].
 */
export function optimizerSlots(o: OptimizerSpec): number {
  switch (o.kind) {
    case 'adam':
      return o.amsgrad === true ? 3 : 2;
    case 'rmsprop':
      return 1 + (o.momentum > 0 ? 1 : 0) + (o.centered === true ? 1 : 0);
    case 'adagrad':
      return 1;
    default:
      return o.momentum !== 0 ? 1 : 0;
  }
}

/** Invocations per workgroup of the element-wise optimizer pass. */
export const OPTIMIZER_THREADS = 256;

/** The update of element `i` (`g` the gradient, `w` the decayed weight; slots S0, S1, ...). */
function updateOf(o: OptimizerSpec, extras: WgslExtras | null | undefined): string {
  switch (o.kind) {
    case 'sgd': {
      if (o.momentum === 0) return 'P[i] = w - g * step.lr;';
      const mu = lit(o.momentum);
      return `let st = g * step.lr;
    let m = S0[i] * ${mu} - st;
    S0[i] = m;
    P[i] = w + ${o.nesterov ? `m * ${mu} - st` : 'm'};`;
    }
    case 'rmsprop':
    case 'adagrad':
      return need(extras).update(o);
    default:
      if (o.amsgrad === true) return need(extras).amsgradUpdate(o);
      return `let m = S0[i] + (g - S0[i]) * ${lit(1 - o.beta1)};
    let v = S1[i] + (g * g - S1[i]) * ${lit(1 - o.beta2)};
    S0[i] = m;
    S1[i] = v;
    P[i] = w - (m * step.alpha) / (sqrt(v) + ${lit(o.epsilon)});`;
  }
}

/**
 * One pass over the flat parameter buffer: bindings 1 the parameters, 2 the gradients, 3, 4, ...
 * the optimizer's slots (`optimizerSlots`). Padding between variables holds zeros, which every
 * rule leaves at zero.
 */
export function optimizerKernel(o: OptimizerSpec, count: number, extras?: WgslExtras | null): Kernel {
  const slots = optimizerSlots(o);
  const decls = decl(1, 'P', 'rw') + decl(2, 'G', 'read') + Array.from({ length: slots }, (_, s) => decl(3 + s, `S${s}`, 'rw')).join('');
  const bindings: BindingKind[] = ['rw', 'read', ...Array.from({ length: slots }, (): BindingKind => 'rw')];
  const cv = o.clipValue ?? null;
  const g = cv === null ? 'G[i]' : `clamp(G[i], ${lit(-cv)}, ${lit(cv)})`;
  const code = `${STEP}${decls}
@compute @workgroup_size(${OPTIMIZER_THREADS})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  for (var i = gid.x; i < ${count}u; i = i + nw.x * ${OPTIMIZER_THREADS}u) {
    let g = ${g};
    let w = ${o.decay ? 'P[i] * step.decay' : 'P[i]'};
    ${updateOf(o, extras)}
  }
}
`;
  return { label: `optimizer ${o.kind}`, code, bindings };
}
