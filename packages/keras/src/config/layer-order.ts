// The order in which Keras lists a model's layers (`model.layers`): a Sequential's in order; a
// functional model's by decreasing depth from the outputs, ties broken by first visit of a
// depth-first walk from the outputs (Keras's map_graph). A .keras weights file names layer
// groups by class in this order (dense, dense_1, ...), so writing must follow it exactly.
import type { Layer, Node, SymbolicTensor } from '@neurona/layers';
import { LayersModel } from '@neurona/models';
import { layerPaths } from './topology-read';

function nodeOf(t: SymbolicTensor): Node {
  return t.sourceLayer.inboundNodes[t.nodeIndex];
}

/** The model's layers in Keras's order (InputLayers of a Sequential left out, as Keras does). */
export function kerasLayerOrder(model: LayersModel): Layer[] {
  if (model.kind === 'Sequential') return model.layers.filter((l) => l.className !== 'InputLayer');
  const finished = new Set<Node>();
  const ordered: Node[] = [];
  const firstVisit = new Map<Layer, number>();
  const visit = (t: SymbolicTensor): void => {
    const node = nodeOf(t);
    if (finished.has(node)) return;
    if (!firstVisit.has(node.outboundLayer)) firstVisit.set(node.outboundLayer, firstVisit.size);
    if (!node.isInput) for (const x of node.inputTensors) visit(x);
    finished.add(node);
    ordered.push(node);
  };
  for (const out of model.outputs) visit(out);
  const inGraph = new Set(ordered);
  const nodeDepth = new Map<Node, number>();
  const layerDepth = new Map<Layer, number>();
  for (const node of [...ordered].reverse()) {
    let depth = nodeDepth.get(node) ?? 0;
    depth = Math.max(depth, layerDepth.get(node.outboundLayer) ?? 0);
    layerDepth.set(node.outboundLayer, depth);
    nodeDepth.set(node, depth);
    for (const t of node.inputTensors) {
      const parent = nodeOf(t);
      if (!inGraph.has(parent)) continue;
      nodeDepth.set(parent, Math.max(depth + 1, nodeDepth.get(parent) ?? 0));
    }
  }
  for (const input of model.inputs) {
    const l = input.sourceLayer;
    if (!layerDepth.has(l)) {
      layerDepth.set(l, 0);
      firstVisit.set(l, -1);
    }
  }
  const depths = [...new Set(layerDepth.values())].sort((a, b) => b - a);
  const out: Layer[] = [];
  for (const d of depths) {
    const atDepth = [...layerDepth].filter(([, x]) => x === d).map(([l]) => l);
    atDepth.sort((a, b) => (firstVisit.get(a) ?? 0) - (firstVisit.get(b) ?? 0));
    out.push(...atDepth);
  }
  return out;
}

/** A layer of a model as its `.keras` weights file places it (see topology-read's FileLayer). */
export interface PlacedLayer {
  /** The layer's name, `outer/inner` for a layer of a nested model. */
  name: string;
  layer: Layer;
  /** `layers/dense_1`, `layers/sequential/layers/dense`. */
  path: string;
}

/**
 * Every layer of the model in Keras's order with its weights path, a nested model followed by its
 * own layers (saving_lib walks a model's `layers`, naming each by its class in snake case).
 */
export function placedLayers(model: LayersModel, prefix = '', base = ''): PlacedLayer[] {
  const order = kerasLayerOrder(model);
  const paths = layerPaths(order.map((l) => (l instanceof LayersModel ? (l.kind === 'Sequential' ? 'Sequential' : 'Functional') : l.className)));
  return order.flatMap((l, i) => {
    const self = { name: `${prefix}${l.name}`, layer: l, path: `${base}${paths[i]}` };
    return l instanceof LayersModel ? [self, ...placedLayers(l, `${self.name}/`, `${self.path}/`)] : [self];
  });
}
