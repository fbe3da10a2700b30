// neuronaRegistrations({ laterTape: true }): tfjs-core's gradient tape (the engine's `gradients`
// method and tape.js) moves from the page's entry into the deferred gradients' chunk that
// ensureKernels() loads; gradient code before it throws an error naming ensureKernels. Checked on
// the real tfjs-core 4.22 engine.js and on a real Vite bundle run in headless Chromium.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineWithoutTape, gradientsWithoutTape, LATER_QUERY, laterTapeModule, TAPE_NOT_LOADED } from '../src/tape-later';
import { neuronaRegistrations, tfjsCoreTrim } from '../src/vite-plugin';
import { launchChromium, serveDir, visit } from './browser';
import { bundlePage } from './bundle-js';

const require = createRequire(import.meta.url);
const engineFile = join(dirname(require.resolve('@tensorflow/tfjs-core/package.json')), 'dist', 'engine.js');
const engine = readFileSync(engineFile, 'utf8');
const gradientsFile = join(dirname(engineFile), 'gradients.js');
const gradients = readFileSync(gradientsFile, 'utf8');
const METHOD = '    gradients(f, xs, dy, allowNoGradients = false) {\n';
const NEXT = '    customGrad(f) {\n';
/** The functions a module exports. */
const names = (code: string) => new Set([...code.matchAll(/export function (\w+)/g)].map((m) => m[1]));

describe('laterTape: the engine without its tape', () => {
  it('keeps the engine as it was but for the tape import and the gradients method, which hands its work over or throws', () => {
    const out = engineWithoutTape(engine, engineFile);
    expect(engine).toContain("from './tape';");
    expect(out).not.toContain("from './tape'");
    expect(out).toContain('export function setDeferredTape(gradients, gradientsModule) { deferredTape = gradients; deferredGradientsModule = gradientsModule; }');
    expect(out).toContain(`export function deferredGradients() { if (deferredGradientsModule === null) throw new Error(${JSON.stringify(TAPE_NOT_LOADED)}); return deferredGradientsModule; }`);
    const method = out.slice(out.indexOf(METHOD), out.indexOf(NEXT));
    expect(method).toContain(`if (deferredTape === null) throw new Error(${JSON.stringify(TAPE_NOT_LOADED)});`);
    expect(method).toContain('return deferredTape(this, f, xs, dy, allowNoGradients, ones, add);');
    expect(method).not.toContain('backpropagateGradients');
    // everything before the tape import, between it and the method, and after the method: unchanged
    expect(out.slice(out.indexOf(NEXT))).toBe(engine.slice(engine.indexOf(NEXT)));
    expect(out.slice(0, out.indexOf('// laterTape'))).toBe(engine.slice(0, engine.indexOf("import { backpropagateGradients")));
    expect(TAPE_NOT_LOADED).toContain('await ensureKernels() of @neurona/tensor');
  });

  it('the deferred module has the method\'s original body with the engine for `this`, and tape.js', () => {
    const mod = laterTapeModule(engineFile);
    const body = engine.slice(engine.indexOf(METHOD) + METHOD.length, engine.indexOf(NEXT));
    expect(mod).toContain(`import { backpropagateGradients, getFilteredNodesXToY } from ${JSON.stringify(join(dirname(engineFile), 'tape.js'))};`);
    expect(mod).toContain(`import { setDeferredTape } from ${JSON.stringify(engineFile)};`);
    expect(mod).toContain('setDeferredTape(function gradients(engine, f, xs, dy, allowNoGradients, ones, add) {');
    expect(mod).toContain(`import * as gradientsModule from ${JSON.stringify(gradientsFile + LATER_QUERY)};`);
    expect(mod).toContain('}, gradientsModule);');
    expect(mod).not.toMatch(/\bthis\b/);
    expect(mod).toContain(body.replace(/\bthis\./g, 'engine.').replace(/\n {4}\}\n$/, ''));
    expect(mod).toContain('f => engine.tidy(f)');
  });

  it('gives the entry a gradients.js whose customGrad is tfjs\'s and whose other functions hand over to the deferred one', () => {
    const out = gradientsWithoutTape(gradients, gradientsFile);
    expect(out).toContain("import { ENGINE, deferredGradients } from './engine';");
    expect(out).toContain('export function customGrad(f) { return ENGINE.customGrad(f); }');
    expect(out).toContain('export function grads(f) { let g = null; return (...args) => (g ??= deferredGradients().grads(f))(...args); }');
    expect(out).toContain('export function variableGrads(f, varList) { return deferredGradients().variableGrads(f, varList); }');
    // the same exports as tfjs's module
    expect(names(out)).toEqual(new Set(['customGrad', 'grad', 'grads', 'valueAndGrad', 'valueAndGrads', 'variableGrads']));
    expect(new Set(/^export \{ ([^}]*) \};$/m.exec(gradients)?.[1].split(',').map((n) => n.trim()).filter(Boolean))).toEqual(names(out));
    // the deferred gradients chunk's copy (a query on the id) and other modules are left alone
    const plugin = neuronaRegistrations({ kernels: [], chainedOps: [], later: ['Multiply'], laterTape: true });
    expect(plugin.transform(gradients, gradientsFile + LATER_QUERY)).toBeNull();
    expect(plugin.transform(gradients, gradientsFile)).toBe(out);
    expect(() => gradientsWithoutTape(gradients.replace('grad, grads, };', 'grad, grads, hessian, };'), gradientsFile)).toThrow('no longer exports just');
    expect(() => gradientsWithoutTape(gradients.replace('return ENGINE.customGrad(f);', 'return ENGINE.customGrad2(f);'), gradientsFile)).toThrow('no longer exports just');
  });

  it('fails loudly on an engine.js it does not know', () => {
    expect(() => engineWithoutTape(engine.replace(METHOD, '    gradients(f, xs) {\n'), engineFile)).toThrow('no longer has the expected gradients method and tape import');
    expect(() => engineWithoutTape(engine.replace("from './tape';", "from './tape.js';"), engineFile)).toThrow('no longer has the expected gradients method');
    // a body that uses more of engine.js than the deferred module is given
    const logs = engine.replace(METHOD, `${METHOD}        log.warn('x');\n`);
    expect(() => engineWithoutTape(logs, engineFile)).toThrow(/uses log, which the deferred tape does not provide/);
    const bare = engine.replace(METHOD, `${METHOD}        const self = this;\n`);
    expect(() => engineWithoutTape(bare, engineFile)).toThrow('a bare this');
  });

  it('neuronaRegistrations takes laterTape only with later, and only as a boolean', () => {
    expect(() => neuronaRegistrations({ kernels: [], chainedOps: [], laterTape: true })).toThrow('laterTape needs later');
    expect(() => neuronaRegistrations({ kernels: [], chainedOps: [], later: [], laterTape: 'yes' as never })).toThrow('laterTape must be true or false, got "yes"');
    const plugin = neuronaRegistrations({ kernels: [], chainedOps: [], later: ['Mul'] });
    expect(plugin.transform(engine, engineFile)).toBeNull();
  });
});

const MAIN = `import { useWebBackend } from '@neurona/backend-web';
import { ensureKernels, grads, mul, sum, tensor1d } from '@neurona/tensor';
async function run() {
  await useWebBackend({ force: 'cpu', silent: true });
  const x = tensor1d([1, -2, 3]);
  const square = grads((v) => sum(mul(v, v)));
  let before = 'no error';
  try { square([x]); } catch (e) { before = e.message; }
  await ensureKernels();
  const [g] = square([x]);
  return { ok: true, before, values: Array.from(await g.data()) };
}
run().then((r) => { window.neuronaResult = r; }, (e) => { window.neuronaResult = { ok: false, error: String(e && e.stack || e) }; });
`;

describe('laterTape: a real bundle', () => {
  it('the entry has no tape; gradient code throws naming ensureKernels before it, and computes right after (Chromium)', async () => {
    const dir = await mkdtemp(join(import.meta.dirname, '..', 'node_modules', '.neurona-later-tape-'));
    const browser = await launchChromium();
    try {
      await writeFile(join(dir, 'index.html'), '<script type="module" src="./main.js"></script>');
      await writeFile(join(dir, 'main.js'), MAIN);
      const bundle = (name: string, laterTape: boolean) =>
        bundlePage(dir, name, [neuronaRegistrations({ kernels: [], chainedOps: [], later: ['Multiply', 'Sum'], laterTape }), tfjsCoreTrim()]);
      const eager = await bundle('eager', false);
      const lazy = await bundle('lazy', true);
      // tape.js's and the gradients method's messages
      for (const marker of ['gradient function not found', 'gradients() received an empty list of xs.', 'The f passed in grads(f) must be a function']) {
        expect(eager.entry).toContain(marker);
        expect(lazy.entry).not.toContain(marker);
        expect(lazy.lazy).toContain(marker);
      }
      const results = [];
      for (const b of [eager, lazy]) {
        const server = await serveDir(b.dir);
        try {
          results.push((await visit(browser, server.origin, '', 60_000)).result as unknown as { ok: boolean; error?: string; before: string; values: number[] });
        } finally {
          await server.close();
        }
      }
      const [a, b] = results;
      expect(a.ok, a.error).toBe(true);
      expect(b.ok, b.error).toBe(true);
      // without laterTape the tape is there, and the gradient (deferred with later) is missing
      expect(a.before).toContain('gradient function not found');
      expect(b.before).toBe(TAPE_NOT_LOADED);
      expect(b.values).toEqual([2, -4, 6]);
      expect(a.values).toEqual(b.values);
    } finally {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
