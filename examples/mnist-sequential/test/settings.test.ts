import { describe, expect, it } from 'vitest';
import { readSettings } from '../src/settings';

describe('readSettings', () => {
  it('defaults to the perceptron that reaches the target in 10 epochs, picture where pnpm was started', () => {
    expect(readSettings([], { INIT_CWD: '/somewhere' })).toEqual({
      model: 'perceptron',
      epochs: 10,
      batchSize: 128,
      learningRate: 0.1,
      samples: 10_000,
      seed: 42,
      outDir: '/somewhere',
    });
    expect(readSettings([], {})).toMatchObject({ outDir: process.cwd() });
  });

  it('reads flags over environment variables, and per-model defaults', () => {
    const s = readSettings(['--epochs', '3', '--lr=0.5', '--', '--out', '/tmp'], { EPOCHS: '7', BATCH_SIZE: '64', SAMPLES: '1000' });
    expect(s).toMatchObject({ epochs: 3, learningRate: 0.5, batchSize: 64, samples: 1000, outDir: '/tmp' });
    expect(readSettings(['--model', 'mlp'], {})).toMatchObject({ model: 'mlp', learningRate: 0.003, epochs: 15 });
    expect(readSettings(['--help'], {})).toBe('help');
  });

  it('rejects what it does not understand', () => {
    expect(() => readSettings(['--epoch', '3'], {})).toThrow('unknown argument "--epoch"');
    expect(() => readSettings(['--epochs', '0'], {})).toThrow('--epochs must be a whole number > 0, got "0"');
    expect(() => readSettings(['--lr', 'fast'], {})).toThrow('--lr must be a number > 0, got "fast"');
    expect(() => readSettings([], { MODEL: 'cnn' })).toThrow('--model must be perceptron or mlp, got "cnn"');
    expect(() => readSettings(['--epochs'], {})).toThrow('--epochs needs a value');
  });
});
