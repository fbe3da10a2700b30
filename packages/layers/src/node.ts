import type { Layer } from './layer';
import type { SymbolicTensor } from './symbolic';

/**
 * One call of a layer on symbolic tensors: `outboundLayer` was applied to `inputTensors` (coming
 * from `inboundLayers`) and produced `outputTensors`. An `Input` is a node with no inbound layers
 * and no input tensors. Nodes are stored in `outboundLayer.inboundNodes`, as in Keras.
 */
export class Node {
  /** The source layer of each input tensor, in input order. */
  readonly inboundLayers: Layer[];
  /** For each input tensor, its `nodeIndex` in its source layer. */
  readonly nodeIndices: number[];
  /** For each input tensor, its `tensorIndex` among its node's outputs. */
  readonly tensorIndices: number[];

  constructor(
    readonly outboundLayer: Layer,
    readonly inputTensors: SymbolicTensor[],
    readonly outputTensors: SymbolicTensor[],
    /** The keyword arguments of the call (`{ training }` when given). */
    readonly kwargs: Readonly<Record<string, unknown>> = {},
  ) {
    this.inboundLayers = inputTensors.map((t) => t.sourceLayer);
    this.nodeIndices = inputTensors.map((t) => t.nodeIndex);
    this.tensorIndices = inputTensors.map((t) => t.tensorIndex);
  }

  /** True for the node of an `Input`: it has nothing upstream. */
  get isInput(): boolean {
    return this.inputTensors.length === 0;
  }
}
