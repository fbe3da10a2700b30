import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { memory, tensor } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { kerasModelBytes, legacyH5Bytes, loadKerasModel } from '../src';
import { layerConfigFromKeras } from '../src/config/layer-config';
import { legacyHardSigmoid } from '../src/config/legacy-activations';
import { fixture, fixturePath, maxAbsDiff } from './helpers';

// Keras files of the vision and sequence families: real files written by Keras 2.0.8 to 2.2.4
// (fixtures/real, sources and licences in fixtures/README.md) and Keras 3 `.keras` files generated
// from Keras 3's layout by reference/generate_keras3.py (fixtures/generated). Expected outputs
// come from reference/new_families.py: h5py reads the weights, numpy runs the forward pass in
// float64 with Keras's maths. Tolerance 1e-4, as the issue asks.
interface Case {
  dir: string;
  shape: number[];
  input: number[];
  outputShape: number[];
  output: number[];
}
const expected = JSON.parse(readFileSync(fixturePath('new-families-expected.json'), 'utf8')) as Record<string, Case>;

const errors: Record<string, number> = {};

describe('Keras files of the vision and sequence families', () => {
  for (const [file, c] of Object.entries(expected)) {
    it(`${c.dir}/${file}: predictions match numpy within 1e-4`, async () => {
      const before = memory().numTensors;
      const model = await loadKerasModel(fixture(c.dir, file), { onWarning: () => undefined });
      const dtype = model.inputs[0].dtype === 'int32' ? 'int32' : 'float32';
      const x = tensor(c.input, c.shape, dtype);
      const y = model.predict(x) as Tensor;
      expect(y.shape).toEqual(c.outputShape);
      const err = maxAbsDiff(await y.data(), c.output);
      errors[file] = err;
      expect(err).toBeLessThan(1e-4);
      x.dispose();
      y.dispose();
      model.dispose();
      expect(memory().numTensors).toBe(before);
    });
  }

  it('reports the measured errors', () => {
    console.log('max |neurona - numpy| per file:', JSON.stringify(errors, null, 1));
    expect(Object.keys(errors).length).toBe(Object.keys(expected).length);
  });
});

describe("Keras 1/2's hard_sigmoid", () => {
  it('is clip(0.2x + 0.5, 0, 1), against the closed form', async () => {
    const xs = [-4, -2.5, -1, 0, 0.3, 2.5, 4];
    const y = legacyHardSigmoid(tensor(xs, [xs.length]));
    const want = xs.map((v) => Math.min(1, Math.max(0, 0.2 * v + 0.5)));
    expect(maxAbsDiff(await y.data(), want)).toBeLessThan(1e-7);
    y.dispose();
  });

  it('a Keras 2 file means it; a Keras 3 config keeps Keras 3 hard_sigmoid', () => {
    const raw = { units: 3, activation: 'tanh', recurrent_activation: 'hard_sigmoid' };
    expect(layerConfigFromKeras('LSTM', raw, 't', { legacy: true })).toMatchObject({ recurrentActivation: 'legacy_hard_sigmoid', activation: 'tanh' });
    expect(layerConfigFromKeras('LSTM', raw, 't')).toMatchObject({ recurrentActivation: 'hard_sigmoid' });
  });

  it('a model holding it is refused by the Keras writers, naming the layer and option', async () => {
    const model = await loadKerasModel(fixture('real', 'dl4j-masking-lstm-keras2.2.0.h5'), { compile: false });
    await expect(kerasModelBytes(model)).rejects.toThrow(/LSTM "lstm_1"\.recurrentActivation is Keras 2's hard_sigmoid/);
    await expect(legacyH5Bytes(model)).rejects.toThrow(/Keras 2's hard_sigmoid/);
    model.dispose();
  });
});

describe('browser inputs of a real file: ArrayBuffer, File and a URL served over HTTP', () => {
  it('embedding-gru-keras3.keras loads from each and predicts as numpy', async () => {
    const { createServer } = await import('node:http');
    const c = expected['embedding-gru-keras3.keras'];
    const bytes = fixture(c.dir, 'embedding-gru-keras3.keras');
    const server = createServer((req, res) => {
      if (req.url === '/model.keras') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(Buffer.from(bytes));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as { port: number }).port;
    try {
      const sources = [bytes.slice().buffer, new File([bytes.slice()], 'embedding-gru-keras3.keras'), `http://127.0.0.1:${port}/model.keras`, new URL(`http://127.0.0.1:${port}/model.keras`)];
      for (const source of sources) {
        const model = await loadKerasModel(source);
        const x = tensor(c.input, c.shape, 'int32');
        const y = model.predict(x) as Tensor;
        expect(maxAbsDiff(await y.data(), c.output)).toBeLessThan(1e-4);
        x.dispose();
        y.dispose();
        model.dispose();
      }
      await expect(loadKerasModel(`http://127.0.0.1:${port}/missing.keras`)).rejects.toThrow(/404/);
    } finally {
      server.close();
    }
  });
});
