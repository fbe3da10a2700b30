import type { Tensor } from '@neurona/tensor';
import { checkInputDtypes, checkInputShapes, checkTargetShapes, checkTargetValues, checkFinite, sampleCount } from './validate';
import { castOwned, isTensor, toTensors } from './data';
import type { BoundCompile } from './compile';
import type { Graph } from './graph';
import type { LayersModel } from './model';
import type { DataArrays } from './step';

/** Model inputs ready to run, and the tensors made on the way (to dispose after). */
export interface PreparedX {
  graph: Graph;
  xs: Tensor[];
  n: number;
  /** How messages name each input (`'x'`, or `'x[0] (image)'` for several). */
  names: string[];
  owned: Tensor[];
}

/** How messages name each of `names` (`'x'` for one, `'x[0] (image)'` for several). */
export function labels(what: string, names: string[]): string[] {
  return names.length === 1 ? [what] : names.map((n, i) => `${what}[${i}] (${n})`);
}

/** Convert `x`, build the model from it if needed, cast to the input dtypes, check the shapes. */
export function prepareX(model: LayersModel, where: string, x: unknown, what = 'x'): PreparedX {
  model.assertUsable(where);
  const conv = toTensors(what, x, model.dataInputNames(), null, where);
  const owned = conv.owned;
  try {
    // inputs are float32 unless the Input says otherwise (int data would break the matMul)
    let xs = conv.tensors.map((t) => castOwned(t, 'float32', owned));
    const graph = model.graphFor(where, xs);
    xs = xs.map((t, i) => castOwned(t, graph.inputs[i].dtype, owned));
    const names = labels(what, graph.inputs.map((t) => t.sourceLayer.name));
    checkInputDtypes(where, graph, xs, names);
    const n = sampleCount(where, xs.map((t, i) => [names[i], t]));
    checkInputShapes(where, graph, xs, names);
    return { graph, xs, n, names, owned };
  } catch (e) {
    for (const t of owned) t.dispose();
    throw e;
  }
}

/** Inputs and targets checked against the model and its compiled losses, before any kernel runs. */
export interface PreparedXY {
  graph: Graph;
  bound: BoundCompile;
  data: DataArrays;
  owned: Tensor[];
}

/**
 * Everything `fit`, `evaluate` and `trainOnBatch` check before they run: compiled, shapes, sample
 * counts, label encodings, NaN/Inf (one device read for the whole dataset, skipped for tensors
 * already checked).
 */
export async function prepareXY(model: LayersModel, where: string, x: unknown, y: unknown, prefix = '', checkValues = true): Promise<PreparedXY> {
  model.assertUsable(where);
  // fail on a missing compile before converting anything
  if (!model.isCompiled) model.boundCompile(where);
  const px = prepareX(model, where, x, `${prefix}x`);
  const owned = px.owned;
  try {
    const bound = model.boundCompile(where);
    const outNames = px.graph.outputs.map((t) => t.sourceLayer.name);
    const conv = toTensors(`${prefix}y`, y, outNames, null, where);
    owned.push(...conv.owned);
    const yNames = labels(`${prefix}y`, outNames);
    let ys = conv.tensors.map((t, i) =>
      bound.outputs[i].loss.className === 'SparseCategoricalCrossentropy' ? t : castOwned(t, 'float32', owned),
    );
    const xNames = px.names;
    sampleCount(where, [...px.xs.map((t, i): [string, Tensor] => [xNames[i], t]), ...ys.map((t, i): [string, Tensor] => [yNames[i], t])]);
    ys = checkTargetShapes(where, bound, px.graph, ys, yNames, owned);
    if (checkValues) {
      await checkFinite(where, [...px.xs.map((t, i): [string, Tensor] => [xNames[i], t]), ...ys.map((t, i): [string, Tensor] => [yNames[i], t])]);
      await checkTargetValues(where, bound, ys, yNames);
    }
    return { graph: px.graph, bound, data: { xs: px.xs, ys, sampleWeights: null, n: px.n }, owned };
  } catch (e) {
    for (const t of owned) t.dispose();
    throw e;
  }
}

/**
 * The data of `fit`/`evaluate`/the on-batch methods: for the built-in steps (`custom` false) every
 * compile check of `prepareXY` (and a `y` is required); for a model's own steps, `prepareForSteps`.
 */
export async function prepareData(
  model: LayersModel,
  where: string,
  x: unknown,
  y: unknown,
  custom: boolean,
  prefix = '',
  checkValues = true,
): Promise<{ data: DataArrays; owned: Tensor[] }> {
  model.assertUsable(where);
  if (!model.isCompiled) model.boundCompile(where);
  if (custom) {
    // a model with its own steps (a Keras-style subclass): its data code loads on demand
    const { prepareForSteps } = await import('./prepare-steps');
    return prepareForSteps(model, where, x, y, prefix, checkValues);
  }
  if (y === undefined) {
    throw new Error(`${where}: ${prefix}y is required: the model's loss compares its outputs with targets (${where}(x, y, ...))`);
  }
  const p = await prepareXY(model, where, x, y, prefix, checkValues);
  return { data: p.data, owned: p.owned };
}

/** Inputs ready for a model's own `call`/`predictStep`: `graph` is null when the model has none. */
export type PreparedInputs = Omit<PreparedX, 'graph'> & { graph: Graph | null };

/** Inputs for a model that runs its own `call`/`predictStep`: converted and counted, no graph checks. */
export function prepareLoose(model: LayersModel, where: string, x: unknown): PreparedInputs {
  model.assertUsable(where);
  if (model.graphOrNull !== null) {
    const px = prepareX(model, where, x);
    return px;
  }
  const many = Array.isArray(x) && x.length > 1 && x.every(isTensor);
  const names = many ? (x as Tensor[]).map((_, i) => `input_${i}`) : ['input'];
  const conv = toTensors('x', x, names, null, where);
  const owned = conv.owned;
  try {
    const xs = conv.tensors.map((t) => castOwned(t, t.dtype === 'int32' ? 'int32' : 'float32', owned));
    const shown = labels('x', names);
    const n = sampleCount(where, xs.map((t, i): [string, Tensor] => [shown[i], t]));
    return { graph: null, xs, n, names: shown, owned };
  } catch (e) {
    for (const t of owned) t.dispose();
    throw e;
  }
}
