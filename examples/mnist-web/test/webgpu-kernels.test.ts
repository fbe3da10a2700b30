// The WebGPU kernels the page registers when the backend starts (kernels.json's `webgpu`) are
// those a WebGPU visit looks up before anything loads the lazy chunks of the others (`tape`, `later`):
// the page is built with a probe (kernel-probe.ts), the perceptron and the MLP are trained on
// WebGPU (the software adapter) and asked about a drawing, and the kernels looked up before the
// lazy chunk loaded must be kernels.json's `webgpu` list. On a visit where the compiled WebGPU
// plan trains, validates, evaluates and predicts, nothing runs on the tape and the lazy chunk is
// never loaded. After a change to the models, the plan or the page:
// `UPDATE_KERNELS=1 pnpm --filter mnist-web test webgpu-kernels`, then `... test kernels` (which
// derives `tape` and `later` from it).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import type { Browser } from 'playwright-core';
import { describePage, drawOne, launchChromium, open, serveDir, waitForTraining } from './browser';
import { pkgDir } from './dist';
import { kernelProbe } from './kernel-probe';

const FILE = join(pkgDir, 'kernels.json');
const out = mkdtempSync(join(tmpdir(), 'mnist-web-probe-'));
let browser: Browser;
let server: Awaited<ReturnType<typeof serveDir>>;

interface KernelLists { webgpu: string[]; tape: string[]; later: string[] }
const read = (): KernelLists => JSON.parse(readFileSync(FILE, 'utf8')) as KernelLists;
// a fresh array, sorted (the lib target has no toSorted)
const sorted = (names: string[]): string[] => names.slice().sort();
const write = (lists: KernelLists): void => writeFileSync(FILE, `${JSON.stringify(lists, null, 2)}\n`);

beforeAll(async () => {
  // recording anew: every WebGPU kernel of the page registered when the backend starts, so that
  // the visit runs whatever the current list lacks
  if (process.env.UPDATE_KERNELS) {
    const lists = read();
    write({ ...lists, webgpu: sorted([...lists.webgpu, ...lists.tape, ...lists.later]), tape: [], later: [] });
  }
  await build({ root: pkgDir, configFile: join(pkgDir, 'vite.config.ts'), logLevel: 'warn', plugins: [kernelProbe()], build: { outDir: out, emptyOutDir: true } });
  server = await serveDir(out);
  browser = await launchChromium(true);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(out, { recursive: true, force: true });
});

describe('the WebGPU kernels registered when the backend starts', () => {
  it('are those a WebGPU visit looks up before the lazy chunk loads', async () => {
    const eager = new Set<string>();
    for (const model of ['perceptron', 'mlp']) {
      const v = await open(browser, server.origin, `autostart=1&epochs=1&samples=300&backend=webgpu&model=${model}`);
      expect(await waitForTraining(v, 220_000), await describePage(v)).toBe('done');
      await drawOne(v);
      const seen = await v.page.evaluate(() => [...((globalThis as { neuronaEagerKernels?: Set<string> }).neuronaEagerKernels ?? [])]);
      for (const k of seen) eager.add(k);
      await v.page.close();
    }
    const listed = read();
    // neurona's own kernels (NeuronaDense ...) are not the WebGPU backend's
    const tfjsKernels = sorted([...eager].filter((k) => !k.startsWith('Neurona')));
    if (process.env.UPDATE_KERNELS) {
      write({ ...listed, webgpu: tfjsKernels, tape: listed.webgpu.filter((k) => !tfjsKernels.includes(k)) });
      return;
    }
    expect(listed.webgpu, 'the page now looks up other WebGPU kernels: UPDATE_KERNELS=1 pnpm --filter mnist-web test webgpu-kernels').toEqual(tfjsKernels);
  }, 600_000);
});
