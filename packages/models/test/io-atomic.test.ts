import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dense, resetNames } from '@neurona/layers';
import { Sequential } from '../src/sequential';
import { fileSystem, loadModel, saveModel } from '../src/io';
import { tempDir } from './io-helpers';

// A process killed (SIGKILL) at a random moment while it saves, again and again, must always leave
// a model that loads, holding either the previous or the new weights — never a mix or a half file.

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const KILLS = 20;
const UNITS = 512; // a 512 x 512 kernel: 1 MB of weights per save

// The child saves continuously: every weight of save k equals k. It prints the k of each finished save.
const CHILD = `
const { useNodeBackend } = await import('@neurona/backend-node');
await useNodeBackend({ force: 'cpu', silent: true });
const { Dense } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'packages/layers/dist/index.js')).href)});
const { Sequential, saveModel } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'packages/models/dist/index.js')).href)});
const { fill } = await import('@neurona/tensor');
const [dir, start] = process.argv.slice(-2);
const model = Sequential([Dense(${UNITS}, { inputShape: [${UNITS}], name: 'big' })]);
for (let k = Number(start); ; k++) {
  model.setWeights([fill([${UNITS}, ${UNITS}], k), fill([${UNITS}], k)]);
  await saveModel(model, dir);
  process.stdout.write('saved ' + k + '\\n');
}
`;

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  resetNames();
  tmp = tempDir('neurona-atomic-');
});
afterAll(() => tmp.cleanup());

/** Runs the child until it has saved at least once, then kills it after a random delay; returns the saves it reported. */
function saveAndKill(dir: string, start: number, delayMs: number): Promise<number[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, '--', dir, String(start)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const saved: number[] = [];
    let err = '';
    let timer: NodeJS.Timeout | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.startsWith('saved ')) saved.push(Number(line.slice(6)));
      if (!timer && saved.length > 0) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    // 'close', not 'exit': it comes after the last stdout chunk, so no finished save goes unseen
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolvePromise(saved);
      else reject(new Error(`child exited with ${code}: ${err}`));
    });
  });
}

describe('atomic saves', () => {
  it(`a save killed ${KILLS} times at random moments always leaves a complete old or new model`, async () => {
    const dir = join(tmp.dir, 'model');
    let start = 1;
    const rng = (() => {
      let s = 12345;
      return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    })();
    const seen: number[] = [];
    let interrupted = 0;
    for (let i = 0; i < KILLS; i++) {
      const saved = await saveAndKill(dir, start, Math.floor(rng() * 150));
      expect(saved.length).toBeGreaterThan(0);
      const last = saved[saved.length - 1];
      // leftovers beside the folder show the kill landed inside a save
      if (readdirSync(tmp.dir).some((n) => n.includes('.neurona-'))) interrupted++;
      // the folder holds the last finished save, or the one in flight if its rename completed
      const model = await loadModel(dir);
      const [kernel, bias] = model.getWeights();
      const k = kernel.dataSync();
      const b = bias.dataSync();
      const value = k[0];
      expect([last, last + 1]).toContain(value);
      expect(k.every((v) => v === value)).toBe(true);
      expect(b.every((v) => v === value)).toBe(true);
      kernel.dispose();
      bias.dispose();
      model.dispose();
      seen.push(value);
      start = last + 2;
    }
    // the next save cleans up what the killed ones left beside the folder
    const m = Sequential([Dense(2, { inputShape: [2] })]);
    await saveModel(m, dir);
    m.dispose();
    expect(readdirSync(tmp.dir)).toEqual(['model']);
    expect(seen.length).toBe(KILLS);
    expect(interrupted).toBeGreaterThanOrEqual(KILLS / 4);
    console.log(`atomic: ${KILLS} kills, ${interrupted} inside a save, values ${seen.join(' ')}`);
  }, 240_000);

  it('loading recovers a model when the kill fell between the two renames', async () => {
    const dir = join(tmp.dir, 'gap');
    const m = Sequential([Dense(3, { inputShape: [2], name: 'd' })]);
    await saveModel(m, dir);
    const { rename } = await import('node:fs/promises');
    // the state a save leaves between "rename the old folder aside" and "rename the new one in"
    await rename(dir, join(tmp.dir, '.gap.neurona-old-999999999-abc'));
    expect(existsSync(dir)).toBe(false);
    const loaded = await loadModel(dir);
    expect(loaded.layers[0].name).toBe('d');
    loaded.dispose();
    // a later save puts a folder back in place and clears the leftover
    await saveModel(m, dir);
    expect(readdirSync(tmp.dir).filter((n) => n.startsWith('.gap'))).toEqual([]);
    expect(await fileSystem(dir).load!()).toHaveProperty('modelTopology');
    m.dispose();
  });
});
