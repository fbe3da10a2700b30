import { describe, expect, it } from 'vitest';
import { outDirOf, positiveInt, positiveNumber, readFlags, wholeNumber } from '../src/flags';

const TABLE = { epochs: 'EPOCHS', 'batch-size': ['BATCH_SIZE', 'batchSize'], out: 'OUT_DIR' } as const;

describe('readFlags', () => {
  it('reads flags in both forms over environment variables', () => {
    const got = readFlags(['--epochs', '3', '--batch-size=16'], { EPOCHS: '7', OUT_DIR: '/tmp/x' }, TABLE);
    expect(got).toEqual(new Map([['epochs', '3'], ['out', '/tmp/x'], ['batch-size', '16']]));
  });

  it('takes the variable of a tuple entry, ignores empty variables and a lone --', () => {
    expect(readFlags(['--'], { BATCH_SIZE: '8', EPOCHS: '' }, TABLE)).toEqual(new Map([['batch-size', '8']]));
  });

  it('answers help for --help and -h', () => {
    expect(readFlags(['--epochs', '2', '--help'], {}, TABLE)).toBe('help');
    expect(readFlags(['-h'], {}, TABLE)).toBe('help');
  });

  it('names the known flags for an unknown argument, and a flag without a value', () => {
    expect(() => readFlags(['--epoch', '2'], {}, TABLE)).toThrow('unknown argument "--epoch". Known: --epochs, --batch-size, --out, --help');
    expect(() => readFlags(['extra'], {}, TABLE)).toThrow('unknown argument "extra"');
    expect(() => readFlags(['--epochs'], {}, TABLE)).toThrow('--epochs needs a value');
  });
});

describe('number checks', () => {
  it('accept what they name and say what they expected otherwise', () => {
    expect(wholeNumber('seed', '0', 0)).toBe(0);
    expect(() => wholeNumber('samples', '19', 20)).toThrow('--samples must be a whole number >= 20, got "19"');
    expect(positiveInt('epochs', '4')).toBe(4);
    expect(() => positiveInt('epochs', '0')).toThrow('--epochs must be a whole number > 0, got "0"');
    expect(() => positiveInt('epochs', '1.5')).toThrow('--epochs must be a whole number > 0, got "1.5"');
    expect(positiveNumber('lr', '0.01')).toBe(0.01);
    expect(() => positiveNumber('lr', 'fast')).toThrow('--lr must be a number > 0, got "fast"');
    expect(() => positiveNumber('lr', 'Infinity')).toThrow('--lr must be a number > 0');
  });
});

describe('outDirOf', () => {
  it('prefers --out, then INIT_CWD, then the current directory', () => {
    expect(outDirOf('/a', { INIT_CWD: '/b' })).toBe('/a');
    expect(outDirOf(undefined, { INIT_CWD: '/b' })).toBe('/b');
    expect(outDirOf(undefined, {})).toBe(process.cwd());
  });
});
