import type { Layer } from '@neurona/layers';
import type { Variable } from '@neurona/tensor';

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
