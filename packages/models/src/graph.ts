import { clone, div, isDisposed, isTensor, maskOf, withMask } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { topologicalSort } from '@neurona/layers';
import type { CallKwargs, Layer, LayerMask, Node, SymbolicTensor } from '@neurona/layers';

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
  runAsNode(inputs: Tensor[], kwargs: CallKwargs, withPenalties: boolean, masks?: (Tensor | null)[]): { outputs: Tensor[]; penalties: Tensor[] };
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
   * Masks flow node to node as Keras's: each layer's `call` gets the mask of its input
   * (`kwargs.mask`), its `computeMask` gives its output's, and the outputs carry theirs (`maskOf`),
   * which losses and metrics apply. `masks` gives the inputs' masks (default: what they carry).
   */
  run(xs: Tensor[], training: boolean, withPenalties = true, masks?: (Tensor | null)[]): { outputs: Tensor[]; penalties: Tensor[] } {
    const values = new Map<SymbolicTensor, Tensor>();
    const maskValues = new Map<SymbolicTensor, Tensor>();
    this.inputs.forEach((t, i) => {
      values.set(t, xs[i]);
      const m = masks ? masks[i] : maskOf(xs[i]);
      if (m) maskValues.set(t, m);
    });
    const penalties: Tensor[] = [];
    for (const node of this.nodes) {
      const layer = node.outboundLayer;
      const ins = node.inputTensors.map((t) => {
        const v = values.get(t);
        if (!v) throw new Error(`Internal: no value for "${t.name}" when running layer "${layer.name}"`);
        return v;
      });
      const kw = this.kwargs.get(node) as { train: CallKwargs; infer: CallKwargs };
      let kwargs = training ? kw.train : kw.infer;
      const arg = ins.length === 1 ? ins[0] : ins;
      const inMasks = node.inputTensors.map((t) => maskValues.get(t) ?? null);
      const masked = inMasks.some((m) => m !== null);
      const maskArg: LayerMask | null = masked ? (ins.length === 1 ? (inMasks[0] as Tensor) : inMasks) : null;
      if (masked) kwargs = { ...kwargs, mask: maskArg };
      let outs: Tensor[];
      if (isNestedModel(layer)) {
        // a model used as a layer: its graph runs in line (with its inputs' masks), and its layers'
        // activity penalties join ours
        const r = layer.runAsNode(ins, kwargs, withPenalties, masked ? inMasks : undefined);
        outs = r.outputs;
        penalties.push(...r.penalties);
      } else {
        const out = layer.call(arg, kwargs);
        outs = Array.isArray(out) ? out : [out];
      }
      node.outputTensors.forEach((t, i) => values.set(t, outs[i]));
      this.propagateMasks(node, layer, arg, maskArg, outs, maskValues);
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
    // the outputs carry their masks (a handle each, released with the output), for losses and metrics
    this.outputs.forEach((t, i) => {
      const m = maskValues.get(t);
      const o = outputs[i];
      if (m && !xs.includes(o) && maskOf(o) !== m) withMask(o, clone(m));
    });
    return { outputs, penalties };
  }

  /** The masks of a node's outputs: those its call attached (Keras's "already computed"), else `computeMask`'s. */
  private propagateMasks(node: Node, layer: Layer, arg: Tensor | Tensor[], maskArg: LayerMask | null, outs: Tensor[], maskValues: Map<SymbolicTensor, Tensor>): void {
    const own = outs.map((o) => maskOf(o));
    let computed: LayerMask | null = null;
    if (!own.every((m) => m !== null)) computed = layer.computeMask(arg, maskArg);
    node.outputTensors.forEach((t, i) => {
      const m = own[i] ?? (computed === null ? null : isTensor(computed) ? computed : (computed[i] ?? null));
      if (m) maskValues.set(t, m);
    });
  }
}
