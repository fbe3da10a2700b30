import { mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync, appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memory } from '@neurona/tensor';
import { Dense, Input, resetNames } from '@neurona/layers';
import { Sequential } from '../src/sequential';
import { Model } from '../src/functional';
import { loadModel, ModelFileError, parseModelJson, saveModel } from '../src/io';
import { tempDir } from './io-helpers';

// Every case: a good save, one thing broken, and loadModel must reject with a ModelFileError that
// says what is wrong — and leave no tensors behind.

let tmp: ReturnType<typeof tempDir>;
let dir: string;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeEach(async () => {
  resetNames();
  tmp = tempDir('neurona-hostile-');
  dir = join(tmp.dir, 'model');
  const model = Sequential([Dense(3, { inputShape: [4], activation: 'relu' }), Dense(2, { activation: 'softmax' })]);
  model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
  await saveModel(model, dir);
  model.dispose();
});
afterEach(() => tmp.cleanup());

const jsonPath = () => join(dir, 'model.json');
const binPath = () => join(dir, 'group1-shard1of1.bin');
function readJson(): Json {
  return JSON.parse(readFileSync(jsonPath(), 'utf8')) as Json;
}
function writeJson(j: unknown): void {
  writeFileSync(jsonPath(), typeof j === 'string' ? j : JSON.stringify(j));
}
function edit(fn: (j: Json) => void): void {
  const j = readJson();
  fn(j);
  writeJson(j);
}
const weights = (j: Json) => j.weightsManifest[0].weights as Json[];

async function rejects(pattern: RegExp): Promise<Error> {
  const before = memory().numTensors;
  let error: unknown = null;
  try {
    (await loadModel(dir)).dispose();
  } catch (e) {
    error = e;
  }
  expect(error, 'loadModel should have rejected').toBeInstanceOf(ModelFileError);
  expect((error as Error).message).toMatch(pattern);
  expect(memory().numTensors).toBe(before);
  return error as Error;
}

describe('loadModel rejects broken and hostile files with a clear error', () => {
  it('truncated model.json', async () => {
    const text = readFileSync(jsonPath(), 'utf8');
    writeJson(text.slice(0, Math.floor(text.length / 2)));
    await rejects(/model\.json is not valid JSON \(it ends early: truncated file\?\)/);
  });

  it('non-JSON and empty model.json', async () => {
    writeJson('<html>not a model</html>');
    await rejects(/model\.json is not valid JSON/);
    writeJson('   ');
    await rejects(/model\.json is empty; expected a JSON object with modelTopology and weightsManifest/);
    writeJson('[1, 2, 3]');
    await rejects(/model\.json must be an object, got \[1, 2, 3\]/);
  });

  it('no modelTopology; a graph model', async () => {
    edit((j) => delete j.modelTopology);
    await rejects(/has no modelTopology; expected the model's architecture/);
    edit((j) => {
      j.modelTopology = {};
      j.format = 'graph-model';
    });
    await rejects(/format must be "layers-model", got "graph-model" \(a tfjs graph model is not a Layers model/);
  });

  it('unknown class names, listing the known ones', async () => {
    edit((j) => (j.modelTopology.config.layers[1].class_name = 'Conv9D'));
    await rejects(/layers\[1\]: unknown layer class "Conv9D" \(register a custom layer with registerLayer.*Known layer classes: InputLayer, Dense, Flatten/);
    edit((j) => (j.modelTopology.class_name = 'Pipeline'));
    await rejects(/modelTopology\.class_name must be "Sequential", "Model" or "Functional", got "Pipeline"/);
  });

  it('weights shorter or longer than declared', async () => {
    const size = readFileSync(binPath()).byteLength;
    truncateSync(binPath(), size - 4);
    await rejects(new RegExp(`the weight files hold ${size - 4} bytes but model.json declares ${size}; they are truncated`));
    truncateSync(binPath(), size);
    appendFileSync(binPath(), Buffer.alloc(8));
    await rejects(new RegExp(`hold ${size + 8} bytes but model.json declares ${size}; they are longer than declared`));
  });

  it('absurd declared shapes are refused before anything is allocated', async () => {
    const rss = process.memoryUsage().rss;
    edit((j) => (weights(j)[0].shape = [1_000_000, 1_000_000]));
    await rejects(/"dense\/kernel"\): shape \[1000000, 1000000\] declares more than 2147483647 values .*refusing to allocate/);
    edit((j) => (weights(j)[0].shape = [40_000, 40_000]));
    await rejects(/the weights declare more than 2147483647 bytes \(2 GiB\) in all; refusing to allocate them/);
    // within the limits, but larger than the files: checked against their sizes before reading
    edit((j) => (weights(j)[0].shape = [10_000, 10_000]));
    await rejects(/the weight files hold 92 bytes but model\.json declares 400000044; they are truncated/);
    edit((j) => (weights(j)[0].shape = [2 ** 40, 0]));
    await rejects(/shape \[1099511627776, 0\] declares more than 2147483647 values/);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024);
  });

  it('a layer config that asks for a huge weight is refused before building it', async () => {
    edit((j) => (j.modelTopology.config.layers[1].config.units = 1_000_000_000));
    await rejects(/layer "dense_1" would create weight "kernel" of shape \[3, 1000000000\] \(3000000000 values\), but the file declares 1048599 weight values in all/);
  });

  it('NaN, negative, non-integer and non-number dimensions', async () => {
    const original = readFileSync(jsonPath(), 'utf8');
    for (const [dim, why] of [[-3, 'negative'], [2.5, 'not an integer'], ['4', 'not a number'], [null, 'not a number']] as const) {
      edit((j) => (weights(j)[0].shape = [dim, 3]));
      await rejects(new RegExp(`shape \\[${dim === null ? 'null' : dim === '4' ? '"4"' : dim}, 3\\] has dimension 0 = .* \\(${why}\\); expected integers >= 0`));
    }
    const text = original.replace('"shape":[4,3]', '"shape":[NaN,3]');
    expect(text).not.toBe(original);
    writeJson(text);
    await rejects(/not valid JSON/);
  });

  it('wrong dtypes', async () => {
    for (const d of ['float64', 'string', 42, null]) {
      edit((j) => (weights(j)[1].dtype = d));
      await rejects(new RegExp(`\\("dense/bias"\\): dtype must be one of float32, int32, bool, got ${JSON.stringify(d)}`));
    }
    edit((j) => (weights(j)[1].dtype = 'int32'));
    await rejects(/weight "dense\/bias" of Dense "dense": the model expects dtype float32, the file declares int32/);
  });

  it('weight paths that leave the folder: ../, absolute, schemes, backslashes', async () => {
    writeFileSync(join(tmp.dir, 'secret.bin'), Buffer.alloc(128));
    const cases: [string, RegExp][] = [
      ['../secret.bin', /weight path "\.\.\/secret\.bin" leaves the folder \(".."\)/],
      ['a/../../secret.bin', /leaves the folder/],
      ['/etc/passwd', /weight path "\/etc\/passwd" is absolute/],
      ['file:///etc/passwd', /has a scheme or drive letter/],
      ['C:/secret.bin', /has a scheme or drive letter/],
      ['..\\secret.bin', /contains a backslash/],
      ['x\u0000.bin', /contains control characters/],
      ['', /must be a non-empty string/],
    ];
    for (const [p, re] of cases) {
      edit((j) => (j.weightsManifest[0].paths = [p]));
      await rejects(re);
    }
  });

  it('a symlink that points out of the folder', async () => {
    const outside = join(tmp.dir, 'outside.bin');
    writeFileSync(outside, readFileSync(binPath()));
    rmSync(binPath());
    symlinkSync(outside, binPath());
    await rejects(/weight file "group1-shard1of1\.bin" resolves to .*outside\.bin, outside the model's folder .*a symlink out/);
  });

  it('a missing weight file, or a folder in its place', async () => {
    rmSync(binPath());
    await rejects(/weight file "group1-shard1of1\.bin" listed in model\.json is missing from/);
    mkdirSync(binPath());
    await rejects(/weight file "group1-shard1of1\.bin" is not a regular file/);
  });

  it('__proto__, constructor and prototype keys are refused, and nothing is polluted', async () => {
    const text = readFileSync(jsonPath(), 'utf8');
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      writeJson(text.replace('"units":3', `"units":3,"${key}":{"polluted":true,"units":99}`));
      await rejects(new RegExp(`contains the key "${key}", which a model file never has \\(it could pollute object prototypes\\)`));
    }
    writeJson(`{"__proto__":{"polluted":"yes"},"modelTopology":{}}`);
    await rejects(/contains the key "__proto__"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(() => parseModelJson('{"a":{"b":[{"constructor":{"prototype":{"x":1}}}]}}')).toThrow(/contains the key "(constructor|prototype)"/);
  });

  it('missing, extra and duplicate weights', async () => {
    const size = readFileSync(binPath()).byteLength;
    edit((j) => weights(j).pop());
    truncateSync(binPath(), size - 8);
    await rejects(/the file has no weight "dense_1\/bias" \[2\] of Dense "dense_1"; it has: "dense\/kernel", "dense\/bias", "dense_1\/kernel"/);
    edit((j) => weights(j).push({ name: 'dense_1/bias', shape: [2], dtype: 'float32' }, { name: 'ghost/w', shape: [2], dtype: 'float32' }));
    appendFileSync(binPath(), Buffer.alloc(16));
    await rejects(/the file has weights the model does not have: "ghost\/w" \[2\]/);
    edit((j) => {
      weights(j).pop();
      weights(j).push({ name: 'dense/bias', shape: [2], dtype: 'float32' });
    });
    await rejects(/the weight name "dense\/bias" appears twice; weight names must be unique/);
  });

  it('a weight shape that does not fit the layer', async () => {
    edit((j) => (j.modelTopology.config.layers[0].config.units = 5));
    await rejects(/layer "dense" would create weight "bias" of shape \[5\]|weight "dense\/kernel" of Dense "dense": the model expects shape \[4, 5\], the file declares \[4, 3\]/);
  });

  it('quantized weights and unsupported Keras options', async () => {
    edit((j) => (weights(j)[0].quantization = { dtype: 'uint8', scale: 0.1, min: 0 }));
    await rejects(/quantized weights \(quantization dtype "uint8"\) are not supported/);
    edit((j) => {
      delete weights(j)[0].quantization;
      j.modelTopology.config.layers[0].config.kernel_constraint = { class_name: 'MaxNorm', config: { max_value: 2 } };
    });
    await rejects(/Dense option kernelConstraint = .*MaxNorm.* is not supported by neurona/);
  });

  it('deeply nested JSON', async () => {
    writeJson(`{"modelTopology":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    await rejects(/JSON nested 5001 levels deep; a model file has at most 64/);
  });

  it('bad layer configs name the layer and the option', async () => {
    edit((j) => (j.modelTopology.config.layers[0].config.activation = 'reluu'));
    await rejects(/layers\[0\]: .*Unknown activation "reluu"\. Known activations: linear, sigmoid/);
    edit((j) => {
      j.modelTopology.config.layers[0].config.activation = 'relu';
      j.modelTopology.config.layers[0].config.units = -1;
    });
    await rejects(/layers\[0\]: .*units must be a positive integer, got -1/);
  });

  it('an unknown optimizer or loss in the training configuration', async () => {
    edit((j) => (j.neurona.trainingConfig.optimizer.className = 'Lion'));
    await rejects(/cannot compile the loaded model from its training configuration: Unknown optimizer "Lion"\. Known optimizers: SGD, Adam.*\{ compile: false \}/);
    edit((j) => {
      j.neurona.trainingConfig.optimizer.className = 'Adam';
      j.neurona.trainingConfig.loss = 'focal_loss';
    });
    await rejects(/Unknown loss "focal_loss"\. Known losses: .*binary_crossentropy/);
  });

  it('optimizer state that does not fit', async () => {
    edit((j) => {
      const w = j.neurona.optimizerWeightsManifest[0].weights as Json[];
      w[0].shape = [2];
    });
    // the file is 1 value longer than declared → first the byte check fires
    await rejects(/optimizer state: the weight files hold \d+ bytes but model\.json declares \d+/);
  });

  it('a folder that does not exist', async () => {
    rmSync(dir, { recursive: true });
    await rejects(/no saved model at .*model \(the folder does not exist\)/);
  });
});

describe('functional topologies that cannot be built', () => {
  beforeEach(async () => {
    rmSync(dir, { recursive: true });
    const a = Input({ shape: [2], name: 'a' });
    const out = Dense(1, { name: 'out' })(Dense(2, { name: 'mid' })(a));
    const m = Model({ inputs: a, outputs: out });
    await saveModel(m, dir);
    m.dispose();
  });

  it('a reference to a layer the file does not declare', async () => {
    edit((j) => (j.modelTopology.config.layers[2].inbound_nodes[0][0][0] = 'ghost'));
    await rejects(/inbound_nodes\[0\]\[0\]: refers to layer "ghost", which the file does not declare/);
  });

  it('a cycle', async () => {
    edit((j) => (j.modelTopology.config.layers[1].inbound_nodes[0][0][0] = 'out'));
    await rejects(/layer "mid" needs out\[0\], which no layer in the file produces \(the graph has a cycle or a missing call\)/);
  });

  it('duplicate layer names', async () => {
    edit((j) => {
      j.modelTopology.config.layers[2].name = 'mid';
      j.modelTopology.config.layers[2].config.name = 'mid';
    });
    await rejects(/a second layer named "mid"; layer names must be unique/);
  });
});
