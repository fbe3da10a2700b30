import { div, isDisposed } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { topologicalSort } from '@neurona/layers';
import type { CallKwargs, Layer, Node, SymbolicTensor } from '@neurona/layers';

/** The layer's activation name when it exposes one (`'softmax'`, `'relu'`...). */
export function activationNameOf(layer: Layer): string | undefined {
  const direct = (layer as unknown as { activationName?: unknown }).activationName;
  if (typeof direct === 'string') return direct;
  const act = (layer as unknown as { activation?: { className?: unknown } }).activation;
  if (act && typeof act.className === 'string') return act.className;
  if (layer.className === 'Softmax') return 'softmax';
  const cfg = safeConfig(layer).activation;
  if (typeof cfg === 'string') return cfg;
  if (cfg && typeof cfg === 'object' && typeof (cfg as { className?: unknown }).className === 'string') {
    return (cfg as { className: string }).className;
  }
  return undefined;
}

/** `layer.getConfig()`, or `{}` if it throws (a half-built custom layer). */
export function safeConfig(layer: Layer): Record<string, unknown> {
  try {
    return layer.getConfig();
  } catch {
    return {};
  }
}

/** What a layer that is itself a model (a nested model) offers `Graph.run`: see `LayersModel.runAsNode`. */
interface NestedModel {
  runAsNode(inputs: Tensor[], kwargs: CallKwargs, withPenalties: boolean): { outputs: Tensor[]; penalties: Tensor[] };
}

function isNestedModel(layer: Layer): layer is Layer & NestedModel {
  return typeof (layer as Partial<NestedModel>).runAsNode === 'function';
}

/**
 * A functional graph from its input and output SymbolicTensors, ready to run on concrete tensors.
 * Nodes run in topological order; each calls its layer's `call` directly (the model checked the
 * input shapes once before), so a step has no per-layer checking overhead.
 */
export class Graph {
  readonly inputs: SymbolicTensor[];
  readonly outputs: SymbolicTensor[];
  /** Every layer, in order of first use, input layers included. */
  readonly layers: Layer[];
  /** The nodes to run (input nodes excluded), in order. */
  readonly nodes: Node[];
  /** Layers with an activity regularizer (their penalties are added to the loss, as Keras's `model.losses`). */
  readonly activityRegularized: Set<Layer>;
  // per node, the call's keyword arguments in training and in inference (made once, not per step)
  private readonly kwargs: Map<Node, { train: CallKwargs; infer: CallKwargs }>;

  constructor(inputs: SymbolicTensor[], outputs: SymbolicTensor[]) {
    this.inputs = inputs;
    this.outputs = outputs;
    const { layers, nodes } = topologicalSort(outputs);
    const inputSet = new Set(inputs);
    const inputLayers = new Set(inputs.map((t) => t.sourceLayer));
    for (const node of nodes) {
      if (!node.isInput) continue;
      const produced = node.outputTensors[0];
      if (!inputSet.has(produced) && !inputLayers.has(node.outboundLayer)) {
        throw new Error(
          `Graph disconnected: the outputs depend on input "${produced.name}" (layer "${node.outboundLayer.name}"), ` +
            `which is not in the model's inputs [${inputs.map((t) => `"${t.name}"`).join(', ')}]`,
        );
      }
    }
    // inputs that no output depends on: Keras allows them, they are simply fed and ignored
    this.layers = [...inputs.map((t) => t.sourceLayer).filter((l) => !layers.includes(l)), ...layers];
    this.nodes = nodes.filter((n) => !n.isInput);
    this.kwargs = new Map(
      this.nodes.map((n) => {
        // a `training` given when the graph was built (`Dropout(0.5)(x, { training: true })`) wins, as Keras
        const given = n.kwargs as CallKwargs;
        return [n, { train: { ...given, training: given.training ?? true }, infer: { ...given, training: given.training ?? false } }];
      }),
    );
    this.activityRegularized = new Set(
      this.nodes.map((n) => n.outboundLayer).filter((l) => (l as unknown as { activityRegularizer?: unknown }).activityRegularizer),
    );
  }

  /**
   * Run the graph. Returns the outputs and (unless `withPenalties` is false, as for predict) the
   * activity penalties made on the way. A softmax or
   * sigmoid output carries its logits (see `logitsOf` of @neurona/tensor): losses use them.
   */
  run(xs: Tensor[], training: boolean, withPenalties = true): { outputs: Tensor[]; penalties: Tensor[] } {
    const values = new Map<SymbolicTensor, Tensor>();
    this.inputs.forEach((t, i) => values.set(t, xs[i]));
    const penalties: Tensor[] = [];
    for (const node of this.nodes) {
      const layer = node.outboundLayer;
      const ins = node.inputTensors.map((t) => {
        const v = values.get(t);
        if (!v) throw new Error(`Internal: no value for "${t.name}" when running layer "${layer.name}"`);
        return v;
      });
      const kw = this.kwargs.get(node) as { train: CallKwargs; infer: CallKwargs };
      const kwargs = training ? kw.train : kw.infer;
      let outs: Tensor[];
      if (isNestedModel(layer)) {
        // a model used as a layer: its graph runs in line, and its layers' activity penalties join ours
        const r = layer.runAsNode(ins, kwargs, withPenalties);
        outs = r.outputs;
        penalties.push(...r.penalties);
      } else {
        const out = layer.call(ins.length === 1 ? ins[0] : ins, kwargs);
        outs = Array.isArray(out) ? out : [out];
      }
      node.outputTensors.forEach((t, i) => values.set(t, outs[i]));
      if (withPenalties && this.activityRegularized.has(layer)) {
        const r = (layer as unknown as { activityRegularizer: (x: Tensor) => Tensor }).activityRegularizer;
        // Keras divides the activity penalty by the batch size
        for (const o of outs) penalties.push(div(r(o), o.shape[0] ?? 1));
      }
    }
    const outputs = this.outputs.map((t) => {
      const v = values.get(t);
      if (!v || isDisposed(v)) throw new Error(`Internal: output "${t.name}" was not computed`);
      return v;
    });
    return { outputs, penalties };
  }
}
