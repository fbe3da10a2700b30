import { beforeEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import {
  Add,
  Concatenate,
  Dense,
  Flatten,
  Input,
  InputLayer,
  InputLayerClass,
  isSymbolic,
  resetNames,
  topologicalSort,
} from '../src/index';
import type { SymbolicTensor } from '../src/index';

describe('functional graphs', () => {
  beforeEach(() => resetNames());

  it("the seed's functional program ports line by line", () => {
    const inputs = Input({ shape: [28, 28] });
    let x = Flatten({ inputShape: [784] })(inputs);
    x = Dense(10, { activation: 'softmax' })(x);
    expect(inputs.shape).toEqual([null, 28, 28]);
    expect(x.shape).toEqual([null, 10]);
    expect(x.sourceLayer.name).toBe('dense');
    const { layers, nodes } = topologicalSort([x]);
    expect(layers.map((l) => l.name)).toEqual(['input_layer', 'flatten', 'dense']);
    expect(nodes.map((n) => n.outboundLayer.className)).toEqual(['InputLayer', 'Flatten', 'Dense']);
    expect(nodes[0].isInput).toBe(true);
    expect(nodes[0].inputTensors).toEqual([]);
    expect(nodes[0].outputTensors[0]).toBe(inputs);
    expect(nodes[2].inputTensors[0].shape).toEqual([null, 784]);
  });

  it('Input: shape, dtype, name, batchSize; InputLayer', () => {
    const a = Input({ shape: [3], name: 'features', dtype: 'int32', batchSize: 4 });
    expect(isSymbolic(a)).toBe(true);
    expect(a.shape).toEqual([4, 3]);
    expect(a.dtype).toBe('int32');
    expect(a.name).toBe('features');
    expect(a.sourceLayer).toBeInstanceOf(InputLayerClass);
    expect(a.nodeIndex).toBe(0);
    expect(a.tensorIndex).toBe(0);
    const il = InputLayer({ inputShape: [5] });
    expect(il.output).toMatchObject({ shape: [null, 5] });
    expect(il.batchInputShape).toEqual([null, 5]);
    expect(() => Input({} as never)).toThrow(/give the shape of one sample/);
    expect(() => Input({ shape: [0] })).toThrow(/shape|inputShape/);
  });

  it('a branching graph with two inputs is wired correctly', () => {
    const a = Input({ shape: [4], name: 'a' });
    const b = Input({ shape: [3], name: 'b' });
    const ha = Dense(5, { name: 'ha', activation: 'relu' })(a);
    const hb = Dense(5, { name: 'hb' })(b);
    const sum = Add({ name: 'sum' })([ha, hb]);
    const cat = Concatenate({ name: 'cat' })([sum, ha, b]);
    const out1 = Dense(2, { name: 'out1' })(cat);
    const out2 = Dense(1, { name: 'out2' })(ha);
    expect(sum.shape).toEqual([null, 5]);
    expect(cat.shape).toEqual([null, 13]);
    expect(out1.shape).toEqual([null, 2]);

    const node = cat.sourceLayer.inboundNodes[0];
    expect(node.inboundLayers.map((l) => l.name)).toEqual(['sum', 'ha', 'b']);
    expect(node.inputTensors).toEqual([sum, ha, b]);
    expect(node.outputTensors).toEqual([cat]);
    expect(ha.sourceLayer.outboundNodes.map((n) => n.outboundLayer.name)).toEqual(['sum', 'cat', 'out2']);

    const { layers, nodes } = topologicalSort([out1, out2]);
    const order = layers.map((l) => l.name);
    expect(new Set(order)).toEqual(new Set(['a', 'b', 'ha', 'hb', 'sum', 'cat', 'out1', 'out2']));
    expect(nodes.length).toBe(8);
    // every node comes after the nodes its inputs come from
    const pos = new Map(nodes.map((n, i) => [n, i]));
    for (const n of nodes) {
      for (const t of n.inputTensors) {
        expect(pos.get(t.sourceLayer.inboundNodes[t.nodeIndex])).toBeLessThan(pos.get(n) as number);
      }
    }
    expect(order.slice(0, 3)).toEqual(['a', 'ha', 'b']); // depth-first from the first output
    expect(order.indexOf('out1')).toBeLessThan(order.indexOf('out2'));

    // running the nodes in that order with concrete tensors gives the same as eager calls
    const xa = T.randomNormal([2, 4], 0, 1, 'float32', 1);
    const xb = T.randomNormal([2, 3], 0, 1, 'float32', 2);
    const values = new Map<number, T.Tensor>([[a.id, xa], [b.id, xb]]);
    for (const n of nodes) {
      if (n.isInput) continue;
      const ins = n.inputTensors.map((t) => values.get(t.id) as T.Tensor);
      const y = n.outboundLayer.apply(ins.length === 1 ? ins[0] : ins);
      values.set(n.outputTensors[0].id, y);
    }
    const manual = (out1.sourceLayer as ReturnType<typeof Dense>).apply(
      (cat.sourceLayer as ReturnType<typeof Concatenate>).apply([
        T.add(ha.sourceLayer.apply(xa), hb.sourceLayer.apply(xb)),
        ha.sourceLayer.apply(xa),
        xb,
      ]),
    );
    expect(Array.from((values.get(out1.id) as T.Tensor).dataSync())).toEqual(Array.from(manual.dataSync()));
    expect((values.get(out2.id) as T.Tensor).shape).toEqual([2, 1]);
  });

  it('a shared layer has one node per call and appears once in layers', () => {
    const x1 = Input({ shape: [3] });
    const x2 = Input({ shape: [3] });
    const shared = Dense(2, { name: 'shared' });
    const y1 = shared(x1);
    const y2 = shared(x2);
    expect([y1.nodeIndex, y2.nodeIndex]).toEqual([0, 1]);
    expect(y2.name).toBe('shared_1');
    expect(shared.inboundNodes.length).toBe(2);
    expect(() => shared.output).toThrow(/has 2 calls/);
    const { layers, nodes } = topologicalSort([Add()([y1, y2])]);
    expect(layers.filter((l) => l === shared).length).toBe(1);
    expect(nodes.filter((n) => n.outboundLayer === shared).length).toBe(2);
    expect(shared.countParams()).toBe(8);
  });

  it('layer.input / output / outputShape for a single call', () => {
    const x = Input({ shape: [6] });
    const d = Dense(2);
    const y = d(x);
    expect(d.input).toBe(x);
    expect(d.output).toBe(y);
    expect(d.outputShape).toEqual([null, 2]);
    expect(() => Dense(1).output).toThrow(/never called on an Input/);
  });

  it('Concatenate and Add reject mismatched shapes, naming both', () => {
    const a = Input({ shape: [3] });
    const b = Input({ shape: [4, 2] });
    const c = Input({ shape: [4] });
    expect(() => Concatenate()([a, b])).toThrow(
      'Concatenate "concatenate" expects inputs of equal shapes except on axis -1, got [null, 3], [null, 4, 2]',
    );
    expect(() => Add()([a, c])).toThrow('Add "add" expects inputs of one shape, got [null, 3], [null, 4]');
    expect(() => Add()(a as never)).toThrow('Add "add_1" expects a list of at least 2 inputs, got a single input');
    expect(() => Concatenate({ axis: 0 })([Input({ shape: [2, 3] }), Input({ shape: [2, 4] })])).toThrow(/axis 0/);
    // concrete tensors are checked the same way
    expect(() => Concatenate()([T.zeros([2, 3]), T.zeros([3, 3])])).toThrow(/got \[2, 3\], \[3, 3\]/);
    expect(() => Add()([T.zeros([2, 3]), T.zeros([2, 4])])).toThrow(/got \[2, 3\], \[2, 4\]/);
  });

  it('Concatenate on another axis and shapes with unknown sizes', () => {
    const a = Input({ shape: [2, 3] });
    const b = Input({ shape: [5, 3] });
    expect(Concatenate({ axis: 1 })([a, b]).shape).toEqual([null, 7, 3]);
    const y = Concatenate({ axis: 1 })([T.ones([1, 2, 3]), T.zeros([1, 1, 3])]);
    expect(y.arraySync()).toEqual([[[1, 1, 1], [1, 1, 1], [0, 0, 0]]]);
    expect(Add()([Input({ shape: [1, 3] }), Input({ shape: [4, 3] })]).shape).toEqual([null, 4, 3]);
  });

  it('topologicalSort rejects non-symbolic outputs', () => {
    expect(() => topologicalSort([T.zeros([1]) as unknown as SymbolicTensor])).toThrow(/expects SymbolicTensors/);
  });
});
