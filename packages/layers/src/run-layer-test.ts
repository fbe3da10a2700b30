// The test every layer goes through, as Keras's `run_layer_test`: build, shapes, config round
// trip, save/load of the weights, finite-difference gradients, weight counts, masks, leaks.
import { clone, createRng, dispose, maskOf, memory, mul, randomNormal, sum, tensor, tidy, valueAndGradients, variable, variableGrads } from '@neurona/tensor';
import type { Scalar, Shape, Tensor, Variable } from '@neurona/tensor';
import { describeValue, formatShape } from '@neurona/common';
import type { CallKwargs, Layer, LayerConfig } from './layer';
import { Input } from './input-layer';
import { deserializeLayer } from './registry';
import { serializeLayer } from './serialize-layer';
import type { SymbolicTensor } from './symbolic';

/** A layer class as `runLayerTest` takes it: Keras's class name and `fromConfig`. */
export interface TestableLayerClass {
  readonly className: string;
  fromConfig(config: LayerConfig): Layer;
}

/** What `runLayerTest` checks; only `layer`, `config` and `inputShape` are required. */
export interface LayerTestOptions {
  /** The class under test (`DenseLayer`); each check makes a fresh layer with `fromConfig(config)`. */
  layer: TestableLayerClass;
  /** Its config (`{ units: 4, activation: 'relu' }`). */
  config: LayerConfig;
  /** Input shape with the batch size first (`[2, 3]`), or one per input for layers taking a list. */
  inputShape: number[] | number[][];
  /** The input values (default: seeded normal values, away from 0 so kinks are not probed). */
  inputData?: Tensor | Tensor[];
  /** Keyword arguments of every call (`{ training: false }` is the default). */
  callKwargs?: CallKwargs;
  /** The output shape the layer must give (batch first). */
  expectedOutputShape?: number[] | number[][];
  /** Output values computed independently (flat, in row-major order), checked within `tolerance`. */
  expectedOutput?: ArrayLike<number> | ArrayLike<number>[];
  /** Tolerance of `expectedOutput` (absolute + relative); default 1e-5. */
  tolerance?: number;
  /** Trainable weight tensors the built layer must have. */
  expectedTrainableWeights?: number;
  /** Non-trainable weight tensors the built layer must have (moving statistics...). */
  expectedNonTrainableWeights?: number;
  /** Check the gradients against central finite differences (default true; false for layers without any). */
  gradients?: boolean;
  /** Finite-difference step (default 1e-3) and tolerance (relative to max(1, |value|), default 2e-2). */
  gradientStep?: number;
  gradientTolerance?: number;
  /** Whether the layer passes masks on (`supportsMasking`), when it says. */
  supportsMasking?: boolean;
  /**
   * The mask(s) of the masking check (default: seeded random masks over each input's leading
   * axes, all but the last). One per input for layers taking a list.
   */
  inputMask?: Tensor | Tensor[];
}

/** What `runLayerTest` found: the output shape and how many values each check compared. */
export interface LayerTestReport {
  className: string;
  outputShape: number[] | number[][];
  trainableWeights: number;
  nonTrainableWeights: number;
  gradientsChecked: number;
  checks: string[];
}

type Shapes = number[] | number[][];

function isShapeList(s: Shapes): s is number[][] {
  return Array.isArray(s[0]);
}

function fail(cls: string, what: string): never {
  throw new Error(`runLayerTest(${cls}): ${what}`);
}

function sameShape(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

// Seeded values in [-2, 2] at least 0.2 away from 0, so ReLU/max kinks are far from the probe.
function probeInput(shape: number[], seed: number): Tensor {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, () => {
    const m = 0.2 + 1.8 * rng();
    return rng() < 0.5 ? -m : m;
  });
  return tensor(v, shape);
}

async function values(t: Tensor): Promise<Float32Array | Int32Array | Uint8Array> {
  return (await t.data()) as Float32Array;
}

function closeEnough(a: number, b: number, tol: number): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)) || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * Run the checks every layer must pass (Keras's `run_layer_test`): build on symbolic input
 * (output shape = `computeOutputShape` = `expectedOutputShape`), a concrete call (shape, values
 * against `expectedOutput`), `getConfig` → JSON → `deserializeLayer` round trip (same config,
 * same outputs with the same weights), save/load of the weights through their bytes, gradients
 * of the input and every trainable weight against central finite differences, trainable and
 * non-trainable weight counts (and `trainable = false` freezing them all), `supportsMasking`, and
 * no tensor left behind by any of it. Throws an error naming the class and the failed check;
 * returns what was checked.
 *
 * ```ts
 * await runLayerTest({ layer: DenseLayer, config: { units: 4, activation: 'relu' }, inputShape: [2, 3],
 *   expectedOutputShape: [2, 4], expectedTrainableWeights: 2 });
 * ```
 */
export async function runLayerTest(options: LayerTestOptions): Promise<LayerTestReport> {
  const cls = options.layer?.className;
  if (typeof cls !== 'string' || typeof options.layer.fromConfig !== 'function') {
    throw new Error(`runLayerTest: layer must be a layer class with a static className and fromConfig, got ${describeValue(options.layer)}`);
  }
  const shapes: Shapes = options.inputShape;
  const many = isShapeList(shapes);
  const list = many ? shapes : [shapes];
  const checks: string[] = [];
  const before = memory().numTensors;
  const ownedInputs = !options.inputData;
  const inputs: Tensor[] = options.inputData
    ? Array.isArray(options.inputData) ? options.inputData : [options.inputData]
    : list.map((s, i) => probeInput(s, 17 + i));
  const kwargs: CallKwargs = { training: false, ...options.callKwargs };
  const arg = (ts: Tensor[]): Tensor | Tensor[] => (many ? ts : ts[0]);
  const call = (layer: Layer, ts: Tensor[]): Tensor[] => {
    const out = layer.apply(arg(ts), kwargs) as Tensor | Tensor[];
    return Array.isArray(out) ? out : [out];
  };
  const made: Layer[] = [];
  const make = (config: LayerConfig): Layer => {
    const l = options.layer.fromConfig(JSON.parse(JSON.stringify(config)) as LayerConfig);
    made.push(l);
    return l;
  };

  try {
    // 1. build on symbolic input: the symbolic shape is computeOutputShape's
    const symbolicLayer = make(options.config);
    const symIn = list.map((s) => Input({ batchShape: [null, ...s.slice(1)] }));
    const symOut = symbolicLayer.apply(many ? symIn : symIn[0], kwargs) as SymbolicTensor | SymbolicTensor[];
    const symOuts = Array.isArray(symOut) ? symOut : [symOut];
    if (!symbolicLayer.built) fail(cls, 'not built after a call on symbolic input');
    const computed = symbolicLayer.computeOutputShape(many ? list.map((s) => [null, ...s.slice(1)]) : [null, ...list[0].slice(1)]);
    const computedList = (Array.isArray(computed[0]) ? computed : [computed]) as Shape[];
    symOuts.forEach((t, i) => {
      if (!sameShape(t.shape, computedList[i])) {
        fail(cls, `symbolic output ${i} has shape ${formatShape(t.shape)} but computeOutputShape says ${formatShape(computedList[i])}`);
      }
    });
    checks.push('build');

    // 2. a concrete call: its shape, values and dtype
    const layer = make(options.config);
    const outs = tidy(() => call(layer, inputs));
    const outShapes = outs.map((o) => o.shape);
    outShapes.forEach((s, i) => {
      const want = [s[0], ...computedList[i].slice(1)];
      if (!sameShape(s, want)) fail(cls, `output ${i} has shape ${formatShape(s)} but computeOutputShape gives ${formatShape(computedList[i])}`);
    });
    if (options.expectedOutputShape) {
      const exp = isShapeList(options.expectedOutputShape) ? options.expectedOutputShape : [options.expectedOutputShape];
      outShapes.forEach((s, i) => {
        if (!sameShape(s, exp[i])) fail(cls, `output ${i} has shape ${formatShape(s)}, expected ${formatShape(exp[i])}`);
      });
    }
    if (options.expectedOutput) {
      const exp = (Array.isArray(options.expectedOutput) && typeof options.expectedOutput[0] !== 'number'
        ? options.expectedOutput
        : [options.expectedOutput]) as ArrayLike<number>[];
      const tol = options.tolerance ?? 1e-5;
      for (let i = 0; i < outs.length; i++) {
        const got = await values(outs[i]);
        if (got.length !== exp[i].length) fail(cls, `output ${i} has ${got.length} values, expected ${exp[i].length}`);
        for (let j = 0; j < got.length; j++) {
          if (!closeEnough(got[j], exp[i][j], tol)) fail(cls, `output ${i}[${j}] is ${got[j]}, expected ${exp[i][j]} (tolerance ${tol})`);
        }
      }
      checks.push('expected output');
    }
    checks.push('call');

    // 3. weight counts, and trainable = false freezing every weight
    const nTrain = layer.trainableWeights.length;
    const nFrozen = layer.nonTrainableWeights.length;
    if (options.expectedTrainableWeights !== undefined && nTrain !== options.expectedTrainableWeights) {
      fail(cls, `has ${nTrain} trainable weights, expected ${options.expectedTrainableWeights}`);
    }
    if (options.expectedNonTrainableWeights !== undefined && nFrozen !== options.expectedNonTrainableWeights) {
      fail(cls, `has ${nFrozen} non-trainable weights, expected ${options.expectedNonTrainableWeights}`);
    }
    layer.trainable = false;
    if (layer.trainableWeights.length !== 0 || layer.nonTrainableWeights.length !== nTrain + nFrozen) {
      fail(cls, `trainable = false left ${layer.trainableWeights.length} trainable weights`);
    }
    layer.trainable = true;
    if (layer.trainableWeights.length !== nTrain) fail(cls, 'trainable = true did not restore the trainable weights');
    checks.push('weights');

    // 4. config → JSON → deserializeLayer: the same config, and the same outputs with the same weights
    const serialized = JSON.parse(JSON.stringify(serializeLayer(layer))) as ReturnType<typeof serializeLayer>;
    const back = deserializeLayer(serialized);
    made.push(back);
    const again = JSON.stringify(serializeLayer(back).config);
    if (again !== JSON.stringify(serialized.config)) {
      fail(cls, `getConfig → fromConfig → getConfig changed the config: ${JSON.stringify(serialized.config)} became ${again}`);
    }
    // 5. save/load of the weights: through their bytes into the rebuilt layer
    dispose(tidy(() => call(back, inputs)));
    const saved = await Promise.all(layer.getWeights().map(async (w) => ({ shape: w.shape, dtype: w.dtype, bytes: new Float32Array(await values(w)), t: w })));
    const restored = saved.map((s) => tensor(s.bytes, s.shape, s.dtype === 'int32' ? 'int32' : 'float32'));
    back.setWeights(restored);
    dispose([...restored, ...saved.map((s) => s.t)]);
    const outsBack = tidy(() => call(back, inputs));
    for (let i = 0; i < outs.length; i++) {
      const [a, b] = [await values(outs[i]), await values(outsBack[i])];
      for (let j = 0; j < a.length; j++) {
        if (!closeEnough(b[j], a[j], 1e-6)) fail(cls, `after the config and weights round trip, output ${i}[${j}] is ${b[j]}, was ${a[j]}`);
      }
    }
    dispose(outsBack);
    checks.push('config round trip', 'save/load');

    // 6. gradients against central finite differences
    let gradientsChecked = 0;
    if (options.gradients ?? true) gradientsChecked = await checkGradients(cls, layer, inputs, call, options);
    if (gradientsChecked > 0) checks.push('gradients');

    // 7. masks: supportsMasking as said, and a masked call's outputs carry masks exactly where the
    // symbolic rule (computeMaskPresence) says, of the right shape
    if (options.supportsMasking !== undefined) {
      const s = (layer as unknown as { supportsMasking?: unknown }).supportsMasking ?? false;
      if (s !== options.supportsMasking) fail(cls, `supportsMasking is ${String(s)}, expected ${String(options.supportsMasking)}`);
    }
    if (layer.supportsMasking || options.inputMask) {
      await checkMasks(cls, layer, inputs, kwargs, arg, options);
      checks.push('masking');
    } else if (options.supportsMasking !== undefined) {
      checks.push('masking');
    }

    dispose(outs);
    const report: LayerTestReport = {
      className: cls,
      outputShape: many || outShapes.length > 1 ? outShapes : outShapes[0],
      trainableWeights: nTrain,
      nonTrainableWeights: nFrozen,
      gradientsChecked,
      checks,
    };
    for (const l of made) l.dispose();
    made.length = 0;
    if (ownedInputs) dispose(inputs);
    // 8. nothing left behind
    const after = memory().numTensors;
    if (after !== before) fail(cls, `left ${after - before} tensor(s) allocated (before ${before}, after ${after})`);
    checks.push('no leaks');
    return report;
  } finally {
    for (const l of made) l.dispose();
    if (ownedInputs) dispose(inputs.filter((t) => !t.isDisposed));
  }
}

function randomMask(shape: number[], seed: number): Tensor {
  const rng = createRng(seed);
  const lead = shape.length > 1 ? shape.slice(0, -1) : shape;
  const n = lead.reduce((a, b) => a * b, 1);
  // the first entry of each row stays unmasked, so no sample is empty
  const v = Array.from({ length: n }, (_, i) => (i % (lead[lead.length - 1] ?? 1) === 0 || rng() < 0.7 ? 1 : 0));
  return tensor(v, lead, 'bool');
}

async function checkMasks(
  cls: string,
  layer: Layer,
  inputs: Tensor[],
  kwargs: CallKwargs,
  arg: (ts: Tensor[]) => Tensor | Tensor[],
  options: LayerTestOptions,
): Promise<void> {
  const given = options.inputMask;
  const masks = given ? (Array.isArray(given) ? given : [given]) : inputs.map((x, i) => randomMask(x.shape, 31 + i));
  try {
    for (const masked of [false, true]) {
      const before = memory().numTensors;
      const mask = masked ? (inputs.length === 1 ? masks[0] : masks) : undefined;
      const out = layer.apply(arg(inputs), { ...kwargs, ...(mask ? { mask } : {}) }) as Tensor | Tensor[];
      const outs = Array.isArray(out) ? out : [out];
      const expected = layer.computeMaskPresence(inputs.map(() => masked), outs.length);
      outs.forEach((o, i) => {
        const m = maskOf(o);
        if ((m !== null) !== expected[i]) {
          fail(cls, `${masked ? 'a masked' : 'an unmasked'} call's output ${i} ${m ? 'carries' : 'carries no'} mask, but computeMaskPresence says ${String(expected[i])}`);
        }
        if (m && (m.rank < 1 || m.rank > o.rank || m.shape.some((d, j) => d !== o.shape[j]))) {
          fail(cls, `output ${i} ${formatShape(o.shape)} carries a mask of shape ${formatShape(m.shape)}; a mask covers the output's leading axes`);
        }
      });
      dispose(outs);
      const after = memory().numTensors;
      if (after !== before) fail(cls, `a ${masked ? 'masked' : 'unmasked'} call left ${after - before} tensor(s) allocated once its outputs were released`);
    }
  } finally {
    if (!given) dispose(masks);
  }
}

// Up to this many entries of each tensor are probed (seeded choice): enough to catch a wrong
// gradient, cheap for large kernels.
const PROBES = 24;

async function checkGradients(
  cls: string,
  layer: Layer,
  inputs: Tensor[],
  call: (l: Layer, ts: Tensor[]) => Tensor[],
  options: LayerTestOptions,
): Promise<number> {
  const h = options.gradientStep ?? 1e-3;
  const tol = options.gradientTolerance ?? 2e-2;
  const floatInputs = inputs.map((t) => t.dtype === 'float32');
  const outs0 = tidy(() => call(layer, inputs));
  const probes = outs0.map((o, i) => randomNormal(o.shape, 0, 1, 'float32', 101 + i));
  dispose(outs0);
  const objective = (ts: Tensor[]): Scalar =>
    tidy(() => call(layer, ts).reduce((acc: Tensor | null, o, i) => {
      const term = sum(mul(o, probes[i]));
      return acc ? acc.add(term) : term;
    }, null) as Scalar);
  const f = async (ts: Tensor[]): Promise<number> => {
    const v = objective(ts);
    const out = (await v.data())[0];
    v.dispose();
    return out;
  };
  let checked = 0;
  const rng = createRng(5);
  const pick = (n: number): number[] => {
    if (n <= PROBES) return Array.from({ length: n }, (_, i) => i);
    const set = new Set<number>();
    while (set.size < PROBES) set.add(Math.floor(rng() * n));
    return [...set];
  };
  try {
    // analytic: weights, then inputs
    const weights = layer.trainableWeights;
    let wGrads: Record<string, Tensor> = {};
    if (weights.length > 0) {
      const r = variableGrads(() => objective(inputs), weights);
      r.value.dispose();
      wGrads = r.grads;
    }
    const inGrads = gradientsOfInputs(objective, inputs, floatInputs);
    for (const w of weights) {
      const g = wGrads[w.name];
      if (!g) fail(cls, `no gradient reaches weight "${w.name}"`);
      const analytic = await values(g);
      const base = Array.from(await values(w));
      for (const k of pick(base.length)) {
        const p = base.slice();
        p[k] = base[k] + h;
        assign(w, p);
        const fp = await f(inputs);
        p[k] = base[k] - h;
        assign(w, p);
        const fm = await f(inputs);
        assign(w, base);
        const fd = (fp - fm) / (2 * h);
        if (!closeEnough(analytic[k], fd, tol)) fail(cls, `d/d ${w.name}[${k}]: autodiff ${analytic[k]}, finite difference ${fd}`);
        checked++;
      }
    }
    for (let i = 0; i < inputs.length; i++) {
      const g = inGrads[i];
      if (!g) continue;
      const analytic = await values(g);
      const base = Array.from(await values(inputs[i]));
      for (const k of pick(base.length)) {
        const shifted = (d: number) => {
          const p = base.slice();
          p[k] += d;
          return inputs.map((t, j) => (j === i ? tensor(p, t.shape) : t));
        };
        const plus = shifted(h);
        const fp = await f(plus);
        plus[i].dispose();
        const minus = shifted(-h);
        const fm = await f(minus);
        minus[i].dispose();
        const fd = (fp - fm) / (2 * h);
        if (!closeEnough(analytic[k], fd, tol)) fail(cls, `d/d input ${i}[${k}]: autodiff ${analytic[k]}, finite difference ${fd}`);
        checked++;
      }
    }
    dispose([...Object.values(wGrads), ...inGrads.filter((t): t is Tensor => t !== null)]);
  } finally {
    dispose(probes);
  }
  return checked;
}

// `assign` keeps its own reference to the data: the handle made for it is released at once.
function assign(w: Variable, v: number[]): void {
  const t = tensor(v, w.shape, w.dtype === 'int32' ? 'int32' : 'float32');
  w.assign(t);
  t.dispose();
}

// Gradients of the objective with respect to the float inputs (null for the others), taken
// through temporary trainable variables holding them.
function gradientsOfInputs(objective: (ts: Tensor[]) => Scalar, inputs: Tensor[], floats: boolean[]): (Tensor | null)[] {
  const wrapped = inputs.map((t, i) => {
    if (!floats[i]) return null;
    const c = clone(t);
    const v = variable(c, true);
    c.dispose();
    return v;
  });
  try {
    const live = wrapped.filter((v): v is NonNullable<typeof v> => v !== null);
    if (live.length === 0) return inputs.map(() => null);
    const { loss, grads } = valueAndGradients(() => objective(inputs.map((t, i) => wrapped[i] ?? t)), live);
    loss.dispose();
    let k = 0;
    return wrapped.map((w) => (w ? grads[k++] : null));
  } finally {
    for (const w of wrapped) w?.dispose();
  }
}
