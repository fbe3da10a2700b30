import type { Layer } from '@neurona/layers';
import type { Variable } from '@neurona/tensor';
import type { LayersModel } from '../model';

/**
 * The names a model's weights are saved under: `<layer name>/<weight name>` (`dense/kernel`), as
 * Keras and tfjs-layers name them. tfjs refuses two live variables with one name, so a layer
 * built while another of that name exists gets `dense/kernel_1`; the suffix is dropped here so a
 * reloaded model (built beside the original) reads and writes the same names.
 */
export function weightNames(layer: Layer): string[] {
  const prefix = `${layer.name}/`;
  const raw = layer.weights.map((v: Variable) => (v.name.startsWith(prefix) ? v.name.slice(prefix.length) : v.name));
  const stripped = raw.map((n) => n.replace(/_\d+$/, ''));
  const unique = new Set(stripped).size === stripped.length;
  return (unique ? stripped : raw).map((n) => `${prefix}${n}`);
}

/** The model's weights with the names they are saved under, layer by layer (each variable once). */
export function namedWeights(model: LayersModel): { name: string; variable: Variable }[] {
  const seen = new Set<Variable>();
  const out: { name: string; variable: Variable }[] = [];
  for (const layer of model.layers) {
    const names = weightNames(layer);
    layer.weights.forEach((v, i) => {
      if (seen.has(v)) return;
      seen.add(v);
      out.push({ name: names[i], variable: v });
    });
  }
  const dup = out.find((w, i) => out.findIndex((x) => x.name === w.name) !== i);
  if (dup) throw new Error(`save: two weights of ${model} would both be saved as "${dup.name}"; give the layers unique names`);
  return out;
}
