// The example end to end on a temporary directory: files written, both runs trained from the
// stream, IDX and CSV giving the same training (same digits, same shuffle seed), no leak.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMnist } from '@neurona/datasets';
import { Sequential } from '@neurona/models';
import { Dense } from '@neurona/layers';
import { argMax, dispose, memory } from '@neurona/tensor';
import { csvDigits, run } from '../src/program';
import { ensureDigitFiles, idxBytes } from '../src/files';

const dir = mkdtempSync(join(tmpdir(), 'fit-dataset-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fit-dataset example', () => {
  it('writes IDX files that the MNIST reader reads back as the embedded digits', async () => {
    const files = ensureDigitFiles(dir);
    expect(Array.from(gunzipSync(readFileSync(files.trainLabels)).subarray(0, 8))).toEqual([0, 0, 8, 1, 0, 0, 0x1f, 0x40]); // ubyte, rank 1, 8000
    expect(Array.from(idxBytes(new Uint8Array([7, 9]), [1, 2]))).toEqual([0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 2, 7, 9]);
    const splits = await loadMnist({ dir });
    const all = await loadMnist();
    expect(splits.train.x.shape).toEqual([8000, 28, 28]);
    expect(splits.test.x.shape).toEqual([2000, 28, 28]);
    const [a, b] = [argMax(splits.test.y, 1).dataSync(), argMax(all.y, 1).dataSync().subarray(8000)];
    expect(Array.from(a)).toEqual(Array.from(b));
    dispose([splits.train.x, splits.train.y, splits.test.x, splits.test.y, all.x, all.y]);
  });

  it('trains from the IDX stream and from the CSV stream alike, and leaks nothing', async () => {
    const lines: string[] = [];
    const r = await run({ dir, epochs: 1, batchSize: 64, shuffleBuffer: 512, seed: 3, print: (l) => lines.push(l) }, ensureDigitFiles(dir));
    expect(r.idxTestAccuracy).toBeGreaterThan(0.85);
    expect(r.csvHistory.history.loss[0]).toBeCloseTo(r.idxHistory.history.loss[0], 4);
    expect(r.csvTestAccuracy).toBeCloseTo(r.idxTestAccuracy, 4);
    expect(r.tensorsLeaked).toBe(0);
    expect(lines.some((l) => /rss \d+ MB/.test(l))).toBe(true);
  });

  it('a CSV row with a missing value stops fit with its line number; the model trains on afterwards', async () => {
    const text = readFileSync(ensureDigitFiles(dir).csv, 'utf8').split('\n').slice(0, 41);
    text[37] = text[37].replace(/,\d+$/, ','); // line 38 (1-based, header is line 1) loses its last pixel value
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, text.join('\n'));
    const m = Sequential([Dense(10, { activation: 'softmax', inputShape: [784] })]);
    m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    await m.fit(csvDigits(bad).take(8).batch(8), { verbose: 0 });
    const before = memory().numTensors;
    await expect(m.fit(csvDigits(bad).batch(8), { verbose: 0 })).rejects.toThrow(/line 38/);
    expect(memory().numTensors).toBe(before);
    const h = await m.fit(csvDigits(bad).take(32).batch(8), { verbose: 0 });
    expect(Number.isFinite(h.history.loss[0])).toBe(true);
    m.dispose();
  });
});
