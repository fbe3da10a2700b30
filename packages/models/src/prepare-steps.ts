// The data of a model that runs its own steps (a custom `trainStep`), loaded on demand by
// `prepareData`: a page whose model keeps Keras's default steps does not download it.
import type { Tensor } from '@neurona/tensor';
import { checkFinite, sampleCount } from './validate';
import { castOwned, isTensor, toTensors } from './data';
import type { LayersModel } from './model';
import { labels, prepareX, prepareXY } from './prepare';
import type { DataArrays } from './step';

/**
 * The data of a model that runs its own steps (a custom `trainStep`): `x` as the model's inputs
 * (checked against its graph when it has one), `y` when given (none for a GAN's images alone),
 * and the full compile checks when the model has a compiled loss to check them against.
 */
export async function prepareForSteps(model: LayersModel, where: string, x: unknown, y: unknown, prefix = '', checkValues = true): Promise<{ data: DataArrays; owned: Tensor[] }> {
  model.assertUsable(where);
  if (y !== undefined && model.graphOrNull !== null && model.compileConfig?.loss !== undefined) {
    const p = await prepareXY(model, where, x, y, prefix, checkValues);
    return { data: p.data, owned: p.owned };
  }
  const owned: Tensor[] = [];
  try {
    let xs: Tensor[];
    let xNames: string[];
    if (model.graphOrNull !== null || model.kind === 'Sequential') {
      const px = prepareX(model, where, x, `${prefix}x`);
      owned.push(...px.owned);
      xs = px.xs;
      xNames = px.names;
    } else {
      const many = Array.isArray(x) && x.length > 1 && x.every(isTensor);
      const names = many ? (x as Tensor[]).map((_, i) => `input_${i}`) : ['input'];
      const conv = toTensors(`${prefix}x`, x, names, null, where);
      owned.push(...conv.owned);
      xs = conv.tensors.map((t) => castOwned(t, t.dtype === 'int32' ? 'int32' : 'float32', owned));
      xNames = labels(`${prefix}x`, names);
    }
    let ys: Tensor[] = [];
    let yNames: string[] = [];
    if (y !== undefined) {
      const outNames = model.graphOrNull ? model.outputNames : Array.isArray(y) && y.length > 1 && y.every(isTensor) ? y.map((_, i) => `output_${i}`) : ['output'];
      const conv = toTensors(`${prefix}y`, y, outNames, null, where);
      owned.push(...conv.owned);
      ys = conv.tensors.map((t) => castOwned(t, t.dtype === 'int32' ? 'int32' : 'float32', owned));
      yNames = labels(`${prefix}y`, outNames);
    }
    const named: [string, Tensor][] = [...xs.map((t, i): [string, Tensor] => [xNames[i], t]), ...ys.map((t, i): [string, Tensor] => [yNames[i], t])];
    const n = sampleCount(where, named);
    if (checkValues) await checkFinite(where, named);
    return { data: { xs, ys, sampleWeights: null, n }, owned };
  } catch (e) {
    for (const t of owned) t.dispose();
    throw e;
  }
}
