import { describe, expect, it } from 'vitest';
import { readSettings } from '../src/settings';

describe('readSettings', () => {
  it("defaults to Keras's example settings (Adam 0.001, batch 128) for 12 epochs, picture where pnpm was started", () => {
    expect(readSettings([], { INIT_CWD: '/somewhere' })).toEqual({ epochs: 12, batchSize: 128, learningRate: 0.001, samples: 10_000, seed: 42, outDir: '/somewhere' });
    expect(readSettings([], {})).toMatchObject({ outDir: process.cwd() });
  });

  it('reads flags over environment variables', () => {
    const s = readSettings(['--epochs', '3', '--lr=0.002', '--', '--out', '/tmp'], { EPOCHS: '7', BATCH_SIZE: '64', SAMPLES: '1000', SEED: '5' });
    expect(s).toEqual({ epochs: 3, learningRate: 0.002, batchSize: 64, samples: 1000, seed: 5, outDir: '/tmp' });
    expect(readSettings(['-h'], {})).toBe('help');
  });

  it('rejects what it does not understand', () => {
    expect(() => readSettings(['--model', 'cnn'], {})).toThrow('unknown argument "--model"');
    expect(() => readSettings(['--epochs', '0'], {})).toThrow('--epochs must be a whole number > 0, got "0"');
    expect(() => readSettings(['--lr', 'fast'], {})).toThrow('--lr must be a number > 0, got "fast"');
    expect(() => readSettings(['--seed', '-1'], {})).toThrow('--seed must be a whole number >= 0, got "-1"');
    expect(() => readSettings(['--batch-size'], {})).toThrow('--batch-size needs a value');
  });
});
