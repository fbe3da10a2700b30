// tfjsCoreTrim (vite-plugin): tfjs's modules get tfjs-core's kernel names as local constants, read
// from kernel_names.js (checked against tfjs-core's CommonJS build), so that module leaves the
// page's entry; and the Node platform leaves browser bundles. Checked on every real tfjs 4.22
// module, and on real Vite bundles run in headless Chromium.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCoreExportsKernelNames, inlineKernelNames, kernelNamesFor, readKernelNames } from '../src/kernel-name-constants';
import { tfjsCoreTrim, trimTfjsCoreModule } from '../src/vite-plugin';
import { launchChromium, serveDir, visit } from './browser';
import { bundlePage, type PageBundle } from './bundle-js';

const require = createRequire(import.meta.url);
const distOf = (pkg: string) => join(dirname(require.resolve(`${pkg}/package.json`)), 'dist');
const coreDist = distOf('@tensorflow/tfjs-core');
const coreFile = (rel: string) => join(coreDist, rel);
const read = (file: string) => readFileSync(file, 'utf8');
const names = () => readKernelNames(read(coreFile('kernel_names.js')), coreFile('kernel_names.js'));

/** Every ES module file under `dir` (not tfjs's single-file bundles `tf-*.js`). */
function modules(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return modules(p);
    return f.endsWith('.js') && !f.startsWith('tf-') ? [p] : [];
  });
}

describe('kernel-name constants', () => {
  it('reads all 180 of tfjs-core 4.22\'s kernel names, each the value tfjs-core exports', () => {
    const found = names();
    expect(found.size).toBe(180);
    // tfjs-core's CommonJS build (another file, bundled by tfjs's own build) exports the same values
    const cjs = require('@tensorflow/tfjs-core') as Record<string, unknown>;
    for (const [name, value] of found) expect(cjs[name], name).toBe(value);
    expect(found.get('BatchMatMul')).toBe('BatchMatMul');
    expect(() => readKernelNames("export const Abs = 'Abs';\nexport function f() {}\n", 'kernel_names.js')).toThrow('has 2 exports, 1 of them kernel-name constants');
    expect(() => readKernelNames('', 'kernel_names.js')).toThrow('has 0 exports');
  });

  it('checks that tfjs-core exports kernel_names.js whole and nothing else under a kernel name', () => {
    expect(() => checkCoreExportsKernelNames(read(coreFile('base.js')), 'base.js', names())).not.toThrow();
    expect(kernelNamesFor(coreFile('engine.js')).size).toBe(180);
    const backendFile = join(distOf('@tensorflow/tfjs-backend-webgpu'), 'kernels', 'Abs.js');
    expect(kernelNamesFor(backendFile)).toEqual(names());
    expect(() => checkCoreExportsKernelNames("export * from './ops/ops';\n", 'base.js', names())).toThrow("no longer has export * from './kernel_names'");
    expect(() => checkCoreExportsKernelNames("export * from './kernel_names';\nexport { Tensor, Abs } from './tensor';\n", 'base.js', names())).toThrow('exports Abs of its own');
  });

  it('gives tfjs-core\'s engine its three names as constants and changes nothing else', () => {
    const src = read(coreFile('engine.js'));
    const out = inlineKernelNames(src, coreFile('engine.js'), names()) as string;
    expect(src).toContain("import { Add, Cast, Identity } from './kernel_names';");
    expect(out).not.toContain('kernel_names');
    expect(out.split('\n')[1]).toBe('const Add = "Add"; const Cast = "Cast"; const Identity = "Identity";');
    expect(out.split('\n').slice(2).join('\n')).toBe(src.replace("import { Add, Cast, Identity } from './kernel_names';", ''));
  });

  it('keeps the other names of an import from @tensorflow/tfjs-core, and the import itself when only kernel names were taken', () => {
    const file = '/x/node_modules/@tensorflow/tfjs-backend-webgpu/dist/kernels/K.js';
    const out = inlineKernelNames("import { Abs, util, Add as A2 } from '@tensorflow/tfjs-core';\nexport const k = { kernelName: Abs, other: A2, u: util };\n", file, names()) as string;
    expect(out).toContain('const Abs = "Abs"; const A2 = "Add";');
    expect(out).toContain("import { util } from '@tensorflow/tfjs-core';");
    const only = inlineKernelNames("import { Abs } from \"@tensorflow/tfjs-core\";\nexport const k = Abs;\n", file, names()) as string;
    expect(only).toContain("import '@tensorflow/tfjs-core';");
    expect(only).toContain('const Abs = "Abs";');
    // the value comes from kernel_names.js, not from the name
    const renamed = new Map(names()).set('Abs', 'AbsV2');
    expect(inlineKernelNames("import { Abs } from '@tensorflow/tfjs-core';\n", file, renamed)).toContain('const Abs = "AbsV2";');
    // a namespace import: tf.Abs becomes its value; tf.zeros, tf.Tensor and x.tf.Abs stay
    const ns = inlineKernelNames("import * as tf from '@tensorflow/tfjs-core';\nf(tf.Abs, tf.zeros, tf.Tensor, x.tf.Abs);\n", file, names()) as string;
    expect(ns).toContain('f("Abs", tf.zeros, tf.Tensor, x.tf.Abs);');
    expect(inlineKernelNames("import { util } from '@tensorflow/tfjs-core';\nimport { Abs } from './abs';\n", file, names())).toBeNull();
  });

  it('fails loudly on an import of kernel_names.js it cannot rewrite', () => {
    const file = coreFile('ops/some_op.js');
    expect(() => inlineKernelNames("import { Abs, NotAKernel } from '../kernel_names';\n", file, names())).toThrow('imports NotAKernel from ../kernel_names, which has no such kernel name');
    expect(() => inlineKernelNames("export { Abs } from '../kernel_names';\n", file, names())).toThrow('still imports ../kernel_names in a form tfjsCoreTrim does not rewrite');
    expect(() => inlineKernelNames("import { Abs }\n  from '../kernel_names';\n", file, names())).toThrow('still imports ../kernel_names');
  });

  it('rewrites every module of tfjs-core and of the four backends: none imports kernel_names.js afterwards, none imports a kernel name from tfjs-core', () => {
    const all = names();
    const packages = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm'];
    let rewritten = 0;
    for (const file of packages.flatMap((p) => modules(distOf(p)))) {
      const src = read(file);
      const out = inlineKernelNames(src, file, all) ?? src;
      if (out !== src) rewritten++;
      if (!file.endsWith(join('tfjs-core', 'dist', 'base.js'))) expect(out, file).not.toMatch(/from '[./]+kernel_names'/);
      for (const [, list] of out.matchAll(/^import \{([^}]*)\} from '@tensorflow\/tfjs-core';/gm)) {
        const kept = list.split(',').map((s) => s.trim().split(/\s+as\s+/)[0]);
        expect(kept.filter((n) => all.has(n)), file).toEqual([]);
      }
    }
    // tfjs-core's ops, gradients and engine, and the backends' kernels
    expect(rewritten).toBeGreaterThan(900);
  });
});

describe('tfjsCoreTrim: the Node platform', () => {
  it('drops base_side_effects.js\'s import of the Node platform, except in a bundle for Node (ssr)', () => {
    const file = coreFile('base_side_effects.js');
    const src = read(file);
    const out = trimTfjsCoreModule(src, file) as string;
    expect(src).toContain("import './platforms/platform_node';");
    expect(out).not.toContain('platform_node');
    expect(out).toContain("import './platforms/platform_browser';");
    expect(out.split('\n').length).toBe(src.split('\n').length);
    expect(trimTfjsCoreModule(src, file, { ssr: true })).toBeNull();
    expect(tfjsCoreTrim().transform(src, file, { ssr: true })).toBeNull();
    expect(() => trimTfjsCoreModule("import './platforms/platform_browser';\n", file)).toThrow("no longer imports './platforms/platform_node'");
  });
});

/** Bundles `main.js` (tfjs-core in the entry) and `later.js` (a lazy chunk: the cpu backend and tfjs's gradients) with `plugins` into `dir/name`. */
const bundle = (dir: string, name: string, plugins: unknown[]): Promise<PageBundle> => bundlePage(dir, name, plugins, { modulePreload: false });

const MAIN = `import * as tf from '@tensorflow/tfjs-core';
async function run() {
  await import('./later.js');
  await tf.setBackend('cpu');
  const a = tf.tensor2d([[1, -2], [3, 4]]);
  const y = tf.add(tf.matMul(a, a), tf.abs(tf.scalar(-1)));
  const g = tf.grad((x) => tf.sum(tf.square(x)))(a);
  return {
    ok: true,
    kernels: tf.getKernelsForBackend('cpu').map((k) => k.kernelName).sort(),
    values: [...(await y.data()), ...(await g.data())],
    node: tf.env().get('IS_NODE'),
  };
}
run().then((r) => { window.neuronaResult = r; }, (e) => { window.neuronaResult = { ok: false, error: String(e && e.stack || e) }; });
`;

/** How many bindings a chunk exports. */
const exportCount = (code: string) => /export \{([^}]*)\}/.exec(code)?.[1].split(',').length ?? 0;

describe('tfjsCoreTrim: a real bundle', () => {
  it('leaves kernel_names.js out of the entry, keeps each lazy chunk\'s names in it, and tfjs still registers and runs its kernels and gradients (Chromium)', async () => {
    const dir = await mkdtemp(join(import.meta.dirname, '..', 'node_modules', '.neurona-kernel-names-'));
    const browser = await launchChromium();
    try {
      await writeFile(join(dir, 'index.html'), '<script type="module" src="./main.js"></script>');
      await writeFile(join(dir, 'main.js'), MAIN);
      await writeFile(join(dir, 'later.js'), "import '@tensorflow/tfjs-backend-cpu';\nimport '@tensorflow/tfjs-core/dist/register_all_gradients';\n");
      const plain = await bundle(dir, 'plain', []);
      const trimmed = await bundle(dir, 'trimmed', [tfjsCoreTrim()]);
      // a kernel only the lazy chunk's cpu backend registers: its name sat in the entry, exported to the chunk
      expect(plain.entry).toMatch(/const AvgPool3DGrad = "AvgPool3DGrad"/);
      expect(plain.lazy).not.toMatch(/const AvgPool3DGrad = "AvgPool3DGrad"/);
      expect(trimmed.entry).not.toContain('"AvgPool3DGrad"');
      expect(trimmed.lazy).toMatch(/const AvgPool3DGrad = "AvgPool3DGrad"/);
      // the entry's own names (the engine's) stay in it
      expect(trimmed.entry).toMatch(/const Identity = "Identity"/);
      expect(exportCount(trimmed.entry)).toBeLessThan(exportCount(plain.entry) - 150);
      // the Node platform only in the plain bundle
      expect(plain.entry).toContain('process.hrtime()');
      expect(trimmed.entry + trimmed.lazy).not.toContain('process.hrtime()');
      const results = [];
      for (const b of [plain, trimmed]) {
        const server = await serveDir(b.dir);
        try {
          results.push((await visit(browser, server.origin, '', 60_000)).result as unknown as { ok: boolean; error?: string; kernels: string[]; values: number[]; node: boolean });
        } finally {
          await server.close();
        }
      }
      const [a, b] = results;
      expect(a.ok, a.error).toBe(true);
      expect(b.ok, b.error).toBe(true);
      expect(b.kernels.length).toBeGreaterThan(150);
      expect(b.kernels).toEqual(a.kernels);
      // [[1,-2],[3,4]]² + 1 = [[-4,-9],[16,11]]; d/dx sum(x²) = 2x
      expect(b.values).toEqual([-4, -9, 16, 11, 2, -4, 6, 8]);
      expect(a.values).toEqual(b.values);
      expect(b.node).toBe(false);
    } finally {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
