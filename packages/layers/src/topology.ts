import type { Layer } from './layer';
import type { Node } from './node';
import type { SymbolicTensor } from './symbolic';
import { isSymbolic } from './symbolic';
import { describeValue } from './shape';

/**
 * The nodes that compute `outputs`, in an order where every node comes after the nodes producing
 * its inputs (Input nodes first), and the layers in order of their first node. A layer called
 * twice (shared) appears once in `layers` and once per call in `nodes`.
 */
export function topologicalSort(outputs: SymbolicTensor[]): { layers: Layer[]; nodes: Node[] } {
  const nodes: Node[] = [];
  const done = new Set<Node>();
  const active = new Set<Node>();
  // Iterative depth-first search (deep graphs would overflow the call stack): a node is emitted
  // after all the nodes its inputs come from.
  const visit = (root: Node): void => {
    const stack: { node: Node; next: number }[] = [{ node: root, next: 0 }];
    active.add(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.node.inputTensors.length) {
        const child = producer(top.node.inputTensors[top.next++]);
        if (done.has(child)) continue;
        if (active.has(child)) throw new Error(`The graph has a cycle through layer "${child.outboundLayer.name}"`);
        active.add(child);
        stack.push({ node: child, next: 0 });
      } else {
        stack.pop();
        active.delete(top.node);
        done.add(top.node);
        nodes.push(top.node);
      }
    }
  };
  outputs.forEach((t, i) => {
    if (!isSymbolic(t)) {
      throw new Error(`topologicalSort expects SymbolicTensors (from Input and layers applied to them); output ${i} is ${describeValue(t)}`);
    }
    const n = producer(t);
    if (!done.has(n)) visit(n);
  });
  const layers: Layer[] = [];
  const seen = new Set<Layer>();
  for (const n of nodes) {
    if (!seen.has(n.outboundLayer)) {
      seen.add(n.outboundLayer);
      layers.push(n.outboundLayer);
    }
  }
  return { layers, nodes };
}

function producer(t: SymbolicTensor): Node {
  const node = t.sourceLayer.inboundNodes[t.nodeIndex];
  if (!node) throw new Error(`SymbolicTensor "${t.name}" points to a missing node ${t.nodeIndex} of layer "${t.sourceLayer.name}"`);
  return node;
}
