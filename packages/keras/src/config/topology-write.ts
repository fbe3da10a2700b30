// A neurona model as Keras 3's config.json (`serialize_keras_object(model)`): Sequential with its
// InputLayer first, or Functional with `{ args, kwargs }` call nodes of `__keras_tensor__`s;
// every object wrapped as `{ module, class_name, config, registered_name }`, dtypes as
// DTypePolicy, layers with their build_config. `legacy` writes Keras 2's form for .h5 files.
import type { Layer, SymbolicTensor } from '@neurona/layers';
import { LayersModel } from '@neurona/models';
import type { JsonObject, JsonValue } from './json';
import { kerasLayerOrder } from './layer-order';
import { layerConfigToKeras, NEURONA_ONLY } from './layer-config';
import { dtypePolicy } from './objects';

function envelope(layer: Layer, config: JsonObject, legacy: boolean): JsonObject {
  const ours = NEURONA_ONLY.has(layer.className);
  if (legacy) return { class_name: ours ? `neurona>${layer.className}` : layer.className, config };
  return {
    module: ours ? 'neurona.layers' : 'keras.layers',
    class_name: layer.className,
    config,
    registered_name: ours ? `neurona>${layer.className}` : null,
  };
}

function legacyConfig(c: JsonObject): JsonObject {
  // Keras 2 spells dtypes as strings and objects without module/registered_name
  const strip = (v: JsonValue): JsonValue => {
    if (Array.isArray(v)) return v.map(strip);
    if (typeof v !== 'object' || v === null) return v;
    if (v.class_name === 'DTypePolicy') return (v.config as JsonObject).name;
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (k !== 'module' && k !== 'registered_name') out[k] = strip(x);
    return out;
  };
  return strip(c) as JsonObject;
}

function inputShapeOf(layer: Layer): JsonValue {
  const node = layer.inboundNodes.find((n) => !n.isInput);
  if (!node) return null;
  const shapes = node.inputTensors.map((t) => [...t.shape]);
  return shapes.length === 1 ? shapes[0] : shapes;
}

function sequentialConfig(model: LayersModel, legacy: boolean): JsonObject {
  const layers = kerasLayerOrder(model);
  const input = model.inputs[0];
  const entries: JsonObject[] = [];
  const inputConfig: JsonObject = { batch_shape: [...input.shape], dtype: input.dtype, sparse: false, ragged: false, name: input.sourceLayer.name };
  if (legacy) entries.push({ class_name: 'InputLayer', config: { ...inputConfig, batch_input_shape: inputConfig.batch_shape, batch_shape: undefined as unknown as JsonValue } });
  else entries.push({ module: 'keras.layers', class_name: 'InputLayer', config: inputConfig, registered_name: null });
  for (const l of layers) {
    if (l instanceof LayersModel) {
      entries.push(modelConfigToKeras(l, legacy));
      continue;
    }
    const config = layerConfigToKeras(l, { dropInputShape: true });
    const e = envelope(l, legacy ? legacyConfig(config) : config, legacy);
    // Keras records a build_config for layers that build weights
    if (!legacy && l.weights.length > 0) e.build_config = { input_shape: inputShapeOf(l) };
    entries.push(e);
  }
  if (legacy) delete (entries[0].config as JsonObject).batch_shape;
  return { name: model.name, trainable: true, dtype: legacy ? 'float32' : dtypePolicy('float32'), layers: entries, build_input_shape: [...input.shape] };
}

function functionalConfig(model: LayersModel, legacy: boolean): JsonObject {
  const layers = kerasLayerOrder(model);
  const inModel = new Set(layers);
  // node indices count only this model's calls of a layer, as Keras's get_config does
  const relIndex = (layer: Layer, nodeIndex: number): number => layer.inboundNodes.slice(0, nodeIndex).filter((n) => n.isInput || n.inputTensors.every((t) => inModel.has(t.sourceLayer))).length;
  const history = (t: SymbolicTensor): [string, number, number] => [t.sourceLayer.name, relIndex(t.sourceLayer, t.nodeIndex), t.tensorIndex];
  const kerasTensor = (t: SymbolicTensor): JsonObject => ({ class_name: '__keras_tensor__', config: { shape: [...t.shape], dtype: t.dtype, keras_history: history(t) } });
  const inbound = (l: Layer): JsonValue[] =>
    l.inboundNodes
      .filter((n) => !n.isInput && n.inputTensors.every((t) => inModel.has(t.sourceLayer)))
      .map((n) => {
        const kwargs: JsonObject = {};
        if (typeof n.kwargs.training === 'boolean') kwargs.training = n.kwargs.training;
        if (legacy) return n.inputTensors.map((t) => [...history(t), kwargs]) as JsonValue;
        const args = n.inputTensors.length === 1 ? [kerasTensor(n.inputTensors[0])] : [n.inputTensors.map(kerasTensor)];
        return { args, kwargs };
      });
  const entries = layers.map((l) => {
    const isInput = l.className === 'InputLayer';
    let config: JsonObject;
    if (l instanceof LayersModel) {
      // a nested model: its own model config, as Keras serializes a model used as a layer
      const e = modelConfigToKeras(l, legacy);
      e.name = l.name;
      e.inbound_nodes = inbound(l);
      return e;
    }
    if (isInput) {
      const shape = (l.getConfig().batchInputShape as (number | null)[]) ?? [];
      config = legacy ? { batch_input_shape: shape, dtype: l.dtype, sparse: false, ragged: false, name: l.name } : { batch_shape: shape, dtype: l.dtype, sparse: false, ragged: false, name: l.name };
    } else {
      config = layerConfigToKeras(l, { dropInputShape: true });
    }
    const e = isInput ? (legacy ? { class_name: 'InputLayer', config } : { module: 'keras.layers', class_name: 'InputLayer', config, registered_name: null }) : envelope(l, legacy ? legacyConfig(config) : config, legacy);
    if (!legacy && !isInput && l.weights.length > 0) e.build_config = { input_shape: inputShapeOf(l) };
    e.name = l.name;
    e.inbound_nodes = inbound(l);
    return e;
  });
  const ref = (t: SymbolicTensor): JsonValue => history(t);
  return {
    name: model.name,
    trainable: true,
    layers: entries,
    input_layers: model.inputs.map(ref),
    output_layers: model.outputs.map(ref),
  };
}

/** Keras 3's config.json of a model (without compile_config), or Keras 2's model_config with `legacy`. */
export function modelConfigToKeras(model: LayersModel, legacy = false): JsonObject {
  const sequential = model.kind === 'Sequential';
  const config = sequential ? sequentialConfig(model, legacy) : functionalConfig(model, legacy);
  if (legacy) return { class_name: sequential ? 'Sequential' : 'Functional', config };
  const inputShapes = model.inputs.map((t) => [...t.shape]);
  return {
    module: sequential ? 'keras' : 'keras.src.models.functional',
    class_name: sequential ? 'Sequential' : 'Functional',
    config,
    registered_name: sequential ? null : 'Functional',
    build_config: { input_shape: inputShapes.length === 1 ? inputShapes[0] : inputShapes },
  };
}
