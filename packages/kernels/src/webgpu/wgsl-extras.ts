// The WGSL a plain dense training step does not need, in a chunk of its own that a plan loads
// (`loadWgslExtras`) only when it uses one of them: RMSprop's and Adagrad's updates, sigmoid
// cross-entropy, binary accuracy and the error metrics, the L1/L2 weight penalties and Dropout,
// sample weights, AMSGrad and gradient clipping by norm. A page
// that trains an MLP with SGD or Adam never downloads it.
import { decl, lit, STEP, type GpuMetric, type GpuRange, type GradientClip, type Kernel, type KernelLayer, type LossSpec, type OptimizerSpec, type WgslExtras } from './wgsl';

/**
 * RMSprop as Keras 3: `vel ← ρ·vel + (1−ρ)·g²`; centered: `avg ← ρ·avg + (1−ρ)·g` and the
 * denominator `vel − avg² + ε`, else `vel + ε`; `inc = lr·g/√denominator`; with momentum
 * `mom ← μ·mom + inc` and `w ← w − mom`, else `w ← w − inc`. Adagrad: `a ← a + g²`,
 * `w ← w − lr·g/√(a + ε)`. Slots as `optimizerSlots`.
 */
function update(o: OptimizerSpec): string {
  if (o.kind === 'adagrad') {
    return `let a = S0[i] + g * g;
    S0[i] = a;
    P[i] = w - (step.lr * g) / sqrt(a + ${lit(o.epsilon)});`;
  }
  const rho = lit(o.rho ?? 0.9);
  const c = lit(1 - (o.rho ?? 0.9));
  const eps = lit(o.epsilon);
  const mom = o.momentum > 0 ? 'S1' : null;
  const avg = o.centered === true ? (mom ? 'S2' : 'S1') : null;
  const den = avg
    ? `let avg = ${rho} * ${avg}[i] + ${c} * g;
    ${avg}[i] = avg;
    let den = vel - avg * avg + ${eps};`
    : `let den = vel + ${eps};`;
  const apply = mom
    ? `let mom = ${lit(o.momentum)} * ${mom}[i] + inc;
    ${mom}[i] = mom;
    P[i] = w - mom;`
    : 'P[i] = w - inc;';
  return `let vel = ${rho} * S0[i] + ${c} * (g * g);
    S0[i] = vel;
    ${den}
    let inc = (step.lr * g) / sqrt(den);
    ${apply}`;
}

/** Sigmoid cross-entropy on the logits of a row: `mean_j softplus(x) − x·y`, its gradient `(σ(x) − y)·scale/units`. */
function sigmoidLoss(s: LossSpec, yAt: (j: string) => string): string {
  const U = s.units;
  return `
    let g = step.scale / ${lit(U)};
    for (var j = 0u; j < ${U}u; j++) {
      let x = O[o + j];
      let yj = ${yAt('j')};
      // softplus(x) − x·y, softplus(x) = max(x, 0) + log(1 + exp(−|x|))
      loss = loss + max(x, 0.0) + log(1.0 + exp(-abs(x))) - x * yj;
      let p = 1.0 / (1.0 + exp(-x));
      D[o + j] = g * (p - yj);${s.probabilities === true ? '\n      O[o + j] = p;' : ''}
    }
    loss = loss / ${lit(U)};`;
}

/** Binary accuracy (`mean_j y == (p > threshold)`), or `mean_j (p − y)²` / `mean_j |p − y|`, of a row, added to `hits[i]`. */
function metric(m: GpuMetric, i: number, U: number, yAt: (j: string) => string): string {
  const per =
    m.kind === 'binary_accuracy'
      ? `if (${yAt('j')} == select(0.0, 1.0, O[o + j] > ${lit(m.threshold ?? 0.5)})) { e = e + 1.0; }`
      : m.kind === 'mean_squared_error'
        ? `let d = O[o + j] - ${yAt('j')}; e = e + d * d;`
        : `e = e + abs(O[o + j] - ${yAt('j')});`;
  return `    { var e = 0.0; for (var j = 0u; j < ${U}u; j++) { ${per} } hits[${i}] = hits[${i}] + e / ${lit(U)}; }`;
}

const PENALTY_THREADS = 256;

/**
 * A layer's L1/L2 weight penalties (Keras adds them to the loss): `l1·Σ|w| + l2·Σw²` over its
 * kernel and bias, added to the pass's loss sum once per sample of the step (as the batch's loss
 * is), and for a trained layer its gradient `l1·sign(w) + 2·l2·w` added to the weight gradients
 * (from the weights before the update, as the tape). The L1 term's derivative is the tape's: −l1
 * at exactly 0. One workgroup. Bindings: 1 the layer's weights, 2 their gradients, 3 the sums.
 */
function penaltyKernel(l: KernelLayer): Kernel {
  const kl = l.kernelPenalty ?? { l1: 0, l2: 0 };
  const bl = l.biasPenalty ?? { l1: 0, l2: 0 };
  const kLen = l.inDim * l.units;
  const len = kLen + (l.bias ? l.units : 0);
  const grad = l.trainable !== false ? '\n    G[i] = G[i] + select(-l1, l1, w > 0.0) + 2.0 * l2 * w;' : '';
  const code = `${STEP}${decl(1, 'P', 'read')}${decl(2, 'G', 'rw')}${decl(3, 'sums', 'rw')}
var<workgroup> part: array<f32, ${PENALTY_THREADS}>;
@compute @workgroup_size(${PENALTY_THREADS})
fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  var total = 0.0;
  for (var i = lid.x; i < ${len}u; i = i + ${PENALTY_THREADS}u) {
    let w = P[i];
    let inKernel = i < ${kLen}u;
    let l1 = select(${lit(bl.l1)}, ${lit(kl.l1)}, inKernel);
    let l2 = select(${lit(bl.l2)}, ${lit(kl.l2)}, inKernel);
    total = total + l1 * abs(w) + l2 * w * w;${grad}
  }
  part[lid.x] = total;
  workgroupBarrier();
  for (var s = ${PENALTY_THREADS / 2}u; s > 0u; s = s / 2u) {
    if (lid.x < s) { part[lid.x] = part[lid.x] + part[lid.x + s]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) { sums[0] = sums[0] + part[0] * f32(step.n); }
}
`;
  return { label: `penalty ${l.inDim}→${l.units}`, code, bindings: ['read', 'rw', 'rw'] };
}

/** Invocations per workgroup of `dropoutKernel`. */
const DROPOUT_THREADS = 256;

/**
 * A Dropout's output `AD = A ⊙ M` over the step's `n × units` values, M the step's slot of the
 * masks (`capacity × units` values a slot). Bindings: 1 A, 2 the masks, 3 AD.
 */
function dropoutKernel(units: number, capacity: number): Kernel {
  const code = `${STEP}${decl(1, 'A', 'read')}${decl(2, 'M', 'read')}${decl(3, 'AD', 'rw')}
@compute @workgroup_size(${DROPOUT_THREADS})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= step.n * ${units}u) { return; }
  AD[i] = A[i] * M[step.slot * ${capacity * units}u + i];
}
`;
  return { label: `dropout ${units}`, code, bindings: ['read', 'read', 'rw'] };
}

/**
 * A row's loss and its gradient times the row's sample weight (Keras's `sample_weight`: the
 * weighted per-sample loss, reduced over the batch size as the unweighted one); the metrics read
 * the outputs, unweighted (Keras's `metrics`, not `weighted_metrics`).
 */
function sampleWeight(U: number): string {
  return `
    let sw = W[row];
    loss = loss * sw;
    for (var j = 0u; j < ${U}u; j++) { D[o + j] = D[o + j] * sw; }`;
}

/**
 * Adam with AMSGrad as Keras 3 (and the tape): m and v as Adam's, `v̂ ← max(v̂, v)`, and
 * `w ← w − α·m/(√v̂ + ε)`. Slots S0 m, S1 v, S2 v̂.
 */
function amsgradUpdate(o: OptimizerSpec): string {
  return `let m = S0[i] + (g - S0[i]) * ${lit(1 - o.beta1)};
    let v = S1[i] + (g * g - S1[i]) * ${lit(1 - o.beta2)};
    S0[i] = m;
    S1[i] = v;
    let vh = max(S2[i], v);
    S2[i] = vh;
    P[i] = w - (m * step.alpha) / (sqrt(vh) + ${lit(o.epsilon)});`;
}

const CLIP_THREADS = 256;

/**
 * Gradient clipping by norm, in place in the flat gradient buffer, before the update (Keras 3's
 * `_clip_gradients`, as @neurona/optimizers' clipGradients): `'norm'` runs one workgroup per
 * variable, each scaling its gradient `g ← g·c / max(‖g‖, c)`; `'global'` one workgroup over all
 * of them, `g ← g·(c / max(‖G‖, c))` with ‖G‖ the norm of all the gradients (a NaN/Inf norm gives
 * NaN, as the tape). Each workgroup sums the squares in workgroup memory, then scales the same
 * elements. Binding 1: the gradients. Dispatched as (`vars.length`, 1) or (1, 1).
 */
function clipNormKernel(clip: GradientClip, vars: GpuRange[]): Kernel {
  const V = vars.length;
  const c = lit(clip.value);
  const global = clip.kind === 'global';
  const ranges = `var offs = array<u32, ${V}>(${vars.map((v) => `${v.offset}u`).join(', ')});
  var lens = array<u32, ${V}>(${vars.map((v) => `${v.length}u`).join(', ')});`;
  // the variables this workgroup covers: its own, or all of them
  const first = global ? '0u' : 'wid.x';
  const last = global ? `${V}u` : 'wid.x + 1u';
  const code = `${STEP}${decl(1, 'G', 'rw')}
var<workgroup> part: array<f32, ${CLIP_THREADS}>;
@compute @workgroup_size(${CLIP_THREADS})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  ${ranges}
  var total = 0.0;
  for (var v = ${first}; v < ${last}; v++) {
    for (var i = lid.x; i < lens[v]; i = i + ${CLIP_THREADS}u) { let g = G[offs[v] + i]; total = total + g * g; }
  }
  part[lid.x] = total;
  workgroupBarrier();
  for (var s = ${CLIP_THREADS / 2}u; s > 0u; s = s / 2u) {
    if (lid.x < s) { part[lid.x] = part[lid.x] + part[lid.x + s]; }
    workgroupBarrier();
  }
  let norm = sqrt(part[0]);
  ${global ? `let scale = ${c} / max(norm, ${c}) + (norm - norm);` : `let den = max(norm, ${c});`}
  for (var v = ${first}; v < ${last}; v++) {
    for (var i = lid.x; i < lens[v]; i = i + ${CLIP_THREADS}u) {
      let at = offs[v] + i;
      G[at] = ${global ? 'G[at] * scale' : `G[at] * ${c} / den`};
    }
  }
}
`;
  return { label: `clip ${clip.kind} norm`, code, bindings: ['rw'] };
}

/** The extras, as `WgslExtras`. */
export const wgslExtras: WgslExtras = {
  update,
  sigmoidLoss,
  metric,
  penaltyKernel,
  dropoutKernel,
  dropoutThreads: DROPOUT_THREADS,
  sampleWeight,
  amsgradUpdate,
  clipNormKernel,
};
