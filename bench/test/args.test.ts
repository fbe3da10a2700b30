import { describe, expect, it } from 'vitest';
import { childArgs, parseArgs } from '../src/args';
import { trainingOf, layerSizes } from '../src/data';

describe('bench command line', () => {
  it('accepts the `--` that `pnpm bench -- --case mlp` passes on', () => {
    const o = parseArgs(['--', '--case', 'mlp', '--backend', 'wasm'], 'out.json');
    expect(o.cases).toEqual(['mlp']);
    expect(o.backends).toEqual(['wasm']);
  });

  it('still rejects unknown flags', () => {
    expect(() => parseArgs(['--cases', 'mlp'], 'out.json')).toThrow(/Unknown flag --cases/);
  });

  it('takes a list of batch sizes and hands it to the child', () => {
    const o = parseArgs(['--batch-size', '32,128,512', '--case', 'mlp_adam'], 'out.json');
    expect(o.batchSizes).toEqual([32, 128, 512]);
    expect(childArgs(o, 'wasm').join(' ')).toContain('--batch-size 32,128,512');
    expect(parseArgs(childArgs(o, 'wasm'), 'x').batchSizes).toEqual([32, 128, 512]);
    expect(() => parseArgs(['--batch-size', '32,0'], 'out.json')).toThrow(/positive integer/);
  });

  it('mlp_adam is the realistic case: 784-256-10, Adam 1e-3, shuffled', () => {
    expect(layerSizes('mlp_adam')).toEqual([784, 256, 10]);
    expect(trainingOf('mlp_adam')).toEqual({ optimizer: 'adam', learningRate: 0.001, shuffle: true });
    expect(trainingOf('mlp')).toEqual({ optimizer: 'sgd', learningRate: 0.01, shuffle: false });
  });
});
