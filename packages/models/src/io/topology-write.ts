// A model's architecture as Keras JSON (`modelTopology` of tfjs's Layers format).
import { topologicalSort } from '@neurona/layers';
import type { Layer, Node, SymbolicTensor } from '@neurona/layers';
import { LayersModel } from '../model';
import { kerasLayerClassName, layerConfigToKeras } from './keras-layers';
import type { JsonObject, JsonValue } from './types';

/** What `keras_version` says in files we write. */
export const KERAS_VERSION = 'neurona 0.1 (tfjs-layers format)';

function assertUniqueNames(model: LayersModel, layers: readonly Layer[]): void {
  const seen = new Set<string>();
  for (const l of layers) {
    if (seen.has(l.name)) {
      throw new Error(`save: ${model} has two layers named "${l.name}"; layer names in a model must be unique to save it (pass name: '...' to one of them)`);
    }
    seen.add(l.name);
  }
}

/**
 * A model used as a layer is written as its own topology (`{ class_name, config }`), as Keras and
 * tfjs-layers nest a Sequential or functional model inside another one.
 */
function nestedEntry(layer: Layer): JsonObject | null {
  if (!(layer instanceof LayersModel)) return null;
  if (layer.kind !== 'Sequential' && layer.className !== 'Functional') {
    throw new Error(`save: ${layer} is a model subclass used as a layer; only Sequential and functional models can be nested in a saved model`);
  }
  const t = modelTopology(layer);
  return { class_name: t.class_name, config: t.config };
}

function sequentialTopology(model: LayersModel): JsonObject {
  const layers = model.layers;
  assertUniqueNames(model, layers);
  const input = model.built ? model.inputs[0] : null;
  const entries = layers.map((l, i) => {
    const nested = nestedEntry(l);
    if (nested) return nested;
    const config = l.getConfig();
    // the first layer carries the input shape, as Keras writes a Sequential
    if (i === 0 && input && config.batchInputShape === undefined) config.batchInputShape = [...input.shape];
    return { class_name: kerasLayerClassName(l.className), config: layerConfigToKeras(config) };
  });
  const config: JsonObject = { name: model.name, layers: entries };
  if (!model.trainable) config.trainable = false;
  return { class_name: 'Sequential', config, keras_version: KERAS_VERSION, backend: 'tensor_flow.js' };
}

function functionalTopology(model: LayersModel): JsonObject {
  const inputs = model.inputs;
  const outputs = model.outputs;
  const layers = model.layers;
  assertUniqueNames(model, layers);
  const { nodes } = topologicalSort(outputs);
  const inModel = new Set<Node>(nodes);
  for (const t of inputs) inModel.add(t.sourceLayer.inboundNodes[t.nodeIndex]);
  // node indices count only this model's calls of a layer (a layer may also serve other models)
  const relIndex = (layer: Layer, nodeIndex: number): number =>
    layer.inboundNodes.slice(0, nodeIndex).filter((n) => inModel.has(n)).length;
  const ref = (t: SymbolicTensor): [string, number, number] => [t.sourceLayer.name, relIndex(t.sourceLayer, t.nodeIndex), t.tensorIndex];
  const entries = layers.map((l) => {
    const inbound = l.inboundNodes
      .filter((n) => inModel.has(n) && !n.isInput)
      .map((n) => n.inputTensors.map((t) => {
        const kwargs: JsonObject = {};
        if (typeof n.kwargs.training === 'boolean') kwargs.training = n.kwargs.training;
        return [...ref(t), kwargs] as JsonValue;
      }));
    const nested = nestedEntry(l);
    if (nested) return { name: l.name, ...nested, inbound_nodes: inbound } as JsonObject;
    return { name: l.name, class_name: kerasLayerClassName(l.className), config: layerConfigToKeras(l.getConfig()), inbound_nodes: inbound };
  });
  return {
    class_name: 'Model',
    config: { name: model.name, ...(model.trainable ? {} : { trainable: false }), layers: entries, input_layers: inputs.map(ref), output_layers: outputs.map(ref) },
    keras_version: KERAS_VERSION,
    backend: 'tensor_flow.js',
  };
}

/** `modelTopology` of a Sequential (`class_name: 'Sequential'`) or functional model (`'Model'`). */
export function modelTopology(model: LayersModel): JsonObject {
  return model.kind === 'Sequential' ? sequentialTopology(model) : functionalTopology(model);
}
