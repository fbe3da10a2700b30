import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { L, M } from './bad-inputs/packages';
import { expectError } from './bad-inputs/expect-error';

// Bad model files through the public API (the models package tests the full hostile list).

let dir: string;
beforeEach(async () => {
  L.resetNames();
  dir = mkdtempSync(join(tmpdir(), 'neurona-bad-files-'));
  const m = M.Sequential([L.Dense(2, { inputShape: [3] })]);
  await m.save(join(dir, 'm'));
  m.dispose();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function edit(fn: (json: Record<string, any>) => void): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  const p = join(dir, 'm', 'model.json');
  const j = JSON.parse(readFileSync(p, 'utf8'));
  fn(j);
  writeFileSync(p, JSON.stringify(j));
}

describe('bad model files', () => {
  it('a truncated model.json', async () => {
    const p = join(dir, 'm', 'model.json');
    writeFileSync(p, readFileSync(p, 'utf8').slice(0, 40));
    await expectError(() => M.loadModel(join(dir, 'm')), 'model.json is not valid JSON (it ends early: truncated file?)');
  });

  it('an unknown layer class', async () => {
    edit((j) => (j.modelTopology.config.layers[0].class_name = 'Conv9D'));
    await expectError(() => M.loadModel(join(dir, 'm')), 'unknown layer class "Conv9D"', 'Known layer classes: InputLayer, Dense');
  });

  it('a weight path that leaves the folder', async () => {
    edit((j) => (j.weightsManifest[0].paths = ['../../etc/passwd']));
    await expectError(() => M.loadModel(join(dir, 'm')), 'weight path "../../etc/passwd" leaves the folder', 'a file name inside the model\'s folder');
  });

  it('a declared shape that does not match the layer', async () => {
    edit((j) => (j.weightsManifest[0].weights[0].shape = [3, 5]));
    await expectError(() => M.loadModel(join(dir, 'm')), 'the weight files hold 32 bytes but model.json declares 68');
    edit((j) => (j.weightsManifest[0].weights[0].shape = [2, 3]));
    await expectError(() => M.loadModel(join(dir, 'm')), 'weight "dense/kernel" of Dense "dense": the model expects shape [3, 2], the file declares [2, 3]');
  });
});
