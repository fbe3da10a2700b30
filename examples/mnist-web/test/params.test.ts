import { describe, expect, it } from 'vitest';
import { TRAINING_DEFAULTS } from 'mnist-model';
import { PAGE_DEFAULTS, parseParams } from '../src/shared/params';

describe('parseParams', () => {
  it('reads every parameter the tests and links use', () => {
    const { params, errors } = parseParams('?autostart=1&epochs=3&samples=2000&backend=wasm&model=perceptron&batch=64');
    expect(errors).toEqual([]);
    expect(params).toEqual({ autostart: true, epochs: 3, samples: 2000, backend: 'wasm', model: 'perceptron', batchSize: 64 });
  });

  it('defaults: no autostart, all digits, WebGPU first, the MLP with its own epochs and batch', () => {
    expect(parseParams('').params).toEqual({ autostart: false, epochs: 5, samples: 10000, backend: null, model: 'mlp', batchSize: 32 });
    expect(parseParams('?model=perceptron').params).toMatchObject({ epochs: 10, batchSize: 128 });
    expect(parseParams('?model=cnn').params).toMatchObject({ model: 'cnn', epochs: 3, batchSize: 32 });
    expect(parseParams('?backend=').params.backend).toBeNull();
  });

  it('reports each bad value', () => {
    const { errors } = parseParams('?epochs=0&samples=abc&backend=metal&model=resnet&autostart=yes');
    expect(errors).toEqual([
      'model must be one of perceptron, mlp, cnn, got "resnet"',
      'autostart must be 1 or 0, got "yes"',
      'epochs must be an integer from 1 to 1000, got "0"',
      'samples must be an integer from 20 to 10000, got "abc"',
      'backend must be one of webgpu, webgl, wasm, cpu, got "metal"',
    ]);
  });

  it('keeps the defaults in step with the mnist-model example', () => {
    expect(PAGE_DEFAULTS).toEqual(TRAINING_DEFAULTS);
  });
});
