import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/program';
import { errors, makeSeries, windows } from '../src/series';
import { readSettings } from '../src/settings';

const out = mkdtempSync(join(tmpdir(), 'forecast-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the series and the baselines', () => {
  it('windows pair each run of values with the one after it; errors are MAE and RMSE', () => {
    const w = windows([1, 2, 3, 4, 5], 3);
    expect(w).toEqual({ x: [[1, 2, 3], [2, 3, 4]], y: [4, 5] });
    expect(errors([1, 2], [2, 0])).toEqual({ mae: 1.5, rmse: Math.sqrt(2.5) });
  });

  it('the series is reproducible and seasonal (a day apart is closer than half a day apart)', () => {
    const s = makeSeries(500, 0, 3);
    expect(makeSeries(500, 0, 3)).toEqual(s);
    const diff = (lag: number) => s.slice(lag).reduce((a, v, i) => a + Math.abs(v - s[i]), 0) / (s.length - lag);
    expect(diff(24)).toBeLessThan(diff(12) / 3);
  });

  it('settings: defaults, flags, bad values', () => {
    expect(readSettings([], '/tmp')).toMatchObject({ epochs: 20, window: 48, outDir: '/tmp' });
    expect(readSettings(['--epochs', '3', '--window=24'], '/tmp')).toMatchObject({ epochs: 3, window: 24 });
    expect(() => readSettings(['--epochs', '0'], '/tmp')).toThrow(/--epochs must be a whole number >= 1/);
    expect(() => readSettings(['--length', '50'], '/tmp')).toThrow(/too short/);
  });
});

describe('a small run', () => {
  it('the GRU beats the naive last-value forecast on the test hours, and writes its curves', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const r = await main({ epochs: 6, length: 900, window: 32, noise: 0.1, seed: 7, outDir: out });
      expect(r.testWindows).toBe(135);
      expect(r.gru.rmse).toBeLessThan(0.8 * r.lastValue.rmse);
      expect(r.gru.mae).toBeLessThan(r.lastValue.mae);
      expect(r.history.history.val_loss.at(-1)).toBeLessThan(r.history.history.val_loss[0]);
      expect(readFileSync(r.svgPath, 'utf8')).toContain('<svg');
    } finally {
      log.mockRestore();
      write.mockRestore();
    }
  });
});
