// Apart from registry.ts: saving a model needs only this, not the registry and its built-ins.
import type { Layer, SerializedLayer } from './layer';

/** `{ className, config }` of a layer: plain JSON that `deserializeLayer` turns back into a layer. */
export function serializeLayer(layer: Layer): SerializedLayer {
  return { className: layer.className, config: layer.getConfig() };
}
