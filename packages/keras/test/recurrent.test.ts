// The sequence layers in Keras files: configs as Keras 3 writes them (nested layers in Keras
// envelopes), weights where Keras's saving_lib keeps them (a recurrent layer's in its cell:
// layers/lstm/cell/vars; Bidirectional's under forward_layer/ and backward_layer/; TimeDistributed's
// under layer/), and a save → load round trip with the same predictions.
import { describe, expect, it } from 'vitest';
import { memory, setSeed, tensor2d, randomNormal } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Bidirectional, Dense, Embedding, GRU, Input, LSTM, Masking, SimpleRNN, TimeDistributed, resetNames } from '@neurona/layers';
import { Model, Sequential } from '@neurona/models';
import type { LayersModel } from '@neurona/models';
import { kerasModelBytes, loadKerasModel } from '../src';
import { layerConfigFromKeras } from '../src/config/layer-config';
import { listZip, extract } from '../src/zip/read';
import { readH5 } from '../src/h5/read';
import type { H5Group } from '../src/h5/tree';
import { maxAbsDiff } from './helpers';

function members(bytes: Uint8Array): Map<string, Uint8Array> {
  return new Map(listZip(bytes, 'test').map((e) => [e.name, extract(bytes, e, 'test')]));
}

function datasets(g: H5Group, prefix = ''): string[] {
  const out: string[] = [];
  for (const [name, c] of g.children) {
    const p = prefix ? `${prefix}/${name}` : name;
    if (c.kind === 'group') out.push(...datasets(c, p));
    else out.push(`${p} [${c.shape.join(', ')}]`);
  }
  return out;
}

async function roundTrip(model: LayersModel, x: Tensor | Tensor[]): Promise<{ paths: string[]; config: Record<string, unknown> }> {
  const bytes = await kerasModelBytes(model);
  const files = members(bytes);
  const tree = await readH5(files.get('model.weights.h5') as Uint8Array, 'test');
  const back = await loadKerasModel(bytes);
  const [p, q] = [model.predict(x) as Tensor, back.predict(x) as Tensor];
  expect(maxAbsDiff(await p.data(), await q.data())).toBe(0);
  p.dispose();
  q.dispose();
  back.dispose();
  const config = JSON.parse(new TextDecoder().decode(files.get('config.json'))) as Record<string, unknown>;
  return { paths: datasets(tree).filter((d) => d.startsWith('layers/')), config };
}

describe('sequence layers in .keras files', () => {
  it('Embedding → Bidirectional(LSTM) → TimeDistributed(Dense): Keras paths, nested configs, same predictions', async () => {
    resetNames();
    setSeed(1);
    const before = memory().numTensors;
    const ids = Input({ shape: [5], name: 'ids' });
    const e = Embedding(12, 4, { maskZero: true, name: 'embedding' }).apply(ids);
    const b = Bidirectional(LSTM(3, { returnSequences: true, name: 'lstm' }), { name: 'bidirectional' }).apply(e);
    const out = TimeDistributed(Dense(2, { name: 'dense' }), { name: 'time_distributed' }).apply(b);
    const model = Model({ inputs: ids, outputs: out, name: 'tagger' });
    const x = tensor2d([[3, 1, 4, 0, 0], [11, 5, 9, 2, 6]]);
    const { paths, config } = await roundTrip(model, x);
    expect(new Set(paths)).toEqual(
      new Set([
        'layers/bidirectional/forward_layer/cell/vars/0 [4, 12]',
        'layers/bidirectional/forward_layer/cell/vars/1 [3, 12]',
        'layers/bidirectional/forward_layer/cell/vars/2 [12]',
        'layers/bidirectional/backward_layer/cell/vars/0 [4, 12]',
        'layers/bidirectional/backward_layer/cell/vars/1 [3, 12]',
        'layers/bidirectional/backward_layer/cell/vars/2 [12]',
        'layers/embedding/vars/0 [12, 4]',
        'layers/time_distributed/layer/vars/0 [6, 2]',
        'layers/time_distributed/layer/vars/1 [2]',
      ]),
    );
    const layers = ((config.config as Record<string, unknown>).layers as Record<string, unknown>[]).map((l) => [l.class_name, l.config] as const);
    const bi = layers.find(([c]) => c === 'Bidirectional')?.[1] as Record<string, Record<string, unknown>>;
    expect(bi.merge_mode).toBe('concat');
    expect(bi.layer).toMatchObject({ module: 'keras.layers', class_name: 'LSTM', config: { name: 'forward_lstm', units: 3, return_sequences: true, unit_forget_bias: true } });
    expect(bi.backward_layer).toMatchObject({ class_name: 'LSTM', config: { name: 'backward_lstm', go_backwards: true } });
    const emb = layers.find(([c]) => c === 'Embedding')?.[1] as Record<string, unknown>;
    expect(emb).toMatchObject({ input_dim: 12, output_dim: 4, mask_zero: true });
    x.dispose();
    model.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('Masking → GRU → SimpleRNN → LSTM in a Sequential: weights in each cell, same predictions', async () => {
    resetNames();
    setSeed(2);
    const model = Sequential([Masking({ inputShape: [4, 3] }), GRU(5, { returnSequences: true }), SimpleRNN(4, { returnSequences: true, goBackwards: true }), LSTM(2)]);
    const x = randomNormal([3, 4, 3]);
    const { paths } = await roundTrip(model, x);
    expect(paths).toEqual(
      expect.arrayContaining([
        'layers/gru/cell/vars/2 [2, 15]',
        'layers/simple_rnn/cell/vars/0 [5, 4]',
        'layers/lstm/cell/vars/1 [2, 8]',
      ]),
    );
    x.dispose();
    model.dispose();
  });

  it("reads tf.keras 2's recurrent options (implementation, time_major) and nested layers by the same rules", () => {
    const c = layerConfigFromKeras(
      'Bidirectional',
      {
        name: 'bidirectional',
        merge_mode: 'sum',
        layer: { class_name: 'LSTM', config: { name: 'lstm', units: 8, implementation: 2, time_major: false, kernel_constraint: null, return_sequences: true } },
      },
      'test',
    );
    expect(c).toEqual({ name: 'bidirectional', mergeMode: 'sum', layer: { className: 'LSTM', config: { name: 'lstm', units: 8, returnSequences: true } } });
    expect(layerConfigFromKeras('Embedding', { input_dim: 100, output_dim: 8, input_length: 20, mask_zero: true }, 'test')).toEqual({ inputDim: 100, outputDim: 8, maskZero: true });
    expect(() => layerConfigFromKeras('LSTM', { units: 4, time_major: true }, 'test')).toThrow(/LSTM option timeMajor = true is not supported by neurona/);
  });
});
