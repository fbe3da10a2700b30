// File weights into a built model, layer by layer. Every count, shape and dtype is checked before
// the first value is copied, so a mismatch leaves the model as it was.
import { LayersModel, ModelFileError } from '@neurona/models';
import type { Layer } from '@neurona/layers';
import { tensor } from '@neurona/tensor';
import { firstNonFinite } from '@neurona/layers';
import type { Tensor } from '@neurona/tensor';
import type { H5Dataset } from '../h5/tree';

/** One layer's weights as a file holds them, in the layer's weight order. */
export interface LayerValues {
  values: H5Dataset[];
  /** Where they are in the file, for messages (`layers/dense_1/vars`). */
  where: string;
}

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

/**
 * The layers that hold weights themselves, by the name the file's reader keys them with: a
 * model's own layers by name, a nested model's as `outer/inner` (the nested model holds none).
 */
export function keyedLayers(model: LayersModel, prefix = ''): { key: string; layer: Layer }[] {
  return model.layers.flatMap((l) =>
    l instanceof LayersModel ? keyedLayers(l, `${prefix}${l.name}/`) : [{ key: `${prefix}${l.name}`, layer: l }],
  );
}

/**
 * Copy `perLayer` (by layer name) into the model's layers; all or nothing. NaN or ±Infinity in a
 * float weight is refused (naming it) unless `allowNonFinite`.
 */
export function assignLayerWeights(model: LayersModel, perLayer: Map<string, LayerValues>, what: string, allowNonFinite = false): void {
  const plan: { layer: Layer; values: H5Dataset[] }[] = [];
  const used = new Set<string>();
  for (const { key, layer } of keyedLayers(model)) {
    const ws = layer.weights;
    const entry = perLayer.get(key);
    const values = entry?.values ?? [];
    if (entry) used.add(key);
    if (values.length !== ws.length) {
      throw new ModelFileError(
        `${what}: layer "${layer.name}" (${layer.className}) has ${ws.length} weights (${ws.map((w) => fmt(w.shape)).join(', ') || 'none'}), ` +
          `the file holds ${values.length} for it${entry ? ` at ${entry.where}` : ''}`,
      );
    }
    values.forEach((d, i) => {
      const w = ws[i];
      if (d.shape.length !== w.shape.length || d.shape.some((x, j) => x !== w.shape[j])) {
        throw new ModelFileError(`${what}: weight ${i} of layer "${layer.name}" (${w.name}) has shape ${fmt(w.shape)}, the file's (${entry?.where}/${i}) has ${fmt(d.shape)}`);
      }
      const fileFloat = d.dtype === 'float32' || d.dtype === 'float64';
      if ((w.dtype === 'float32') !== fileFloat) {
        throw new ModelFileError(`${what}: weight ${i} of layer "${layer.name}" is ${w.dtype}, the file's (${entry?.where}/${i}) is ${d.dtype}`);
      }
      const bad = fileFloat && !allowNonFinite ? firstNonFinite(d.values as ArrayLike<number>) : null;
      if (bad) {
        throw new ModelFileError(
          `${what}: weight ${i} of layer "${layer.name}" (${entry?.where}/${i}) holds ${bad.value} at flat index ${bad.index}; ` +
            'a model with it predicts NaN. Load with { allowNonFinite: true } to accept it',
        );
      }
    });
    if (ws.length > 0) plan.push({ layer, values });
  }
  for (const [name, entry] of perLayer) {
    if (!used.has(name) && entry.values.length > 0) {
      throw new ModelFileError(`${what}: the file has weights at ${entry.where} for a layer "${name}" that the model does not have`);
    }
  }
  for (const { layer, values } of plan) {
    const tensors: Tensor[] = values.map((d, i) => tensor(d.values, d.shape, layer.weights[i].dtype));
    try {
      layer.setWeights(tensors, { allowNonFinite: true }); // checked above, with the file's names
    } finally {
      for (const t of tensors) t.dispose();
    }
  }
}
