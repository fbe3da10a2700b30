// trimWebgpu (vite-plugin): the parts of tfjs-backend-webgpu 4.22 a page that reads asynchronously
// never runs are cut from the real files, the rest is untouched, what is cut throws saying so, and a
// file without the expected text fails the build instead of passing through.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleJs } from './bundle-js';
import { neuronaKernels, trimTfjsWebgpuModule } from '../src/vite-plugin';

const dist = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-webgpu/package.json')), 'dist');
const file = (rel: string) => join(dist, rel);
const read = (rel: string) => readFileSync(file(rel), 'utf8');

/** The body of `method` (up to the next method at the same indentation) in a class's source. */
const method = (code: string, head: string) => code.slice(code.indexOf(head), code.indexOf('\n    }\n', code.indexOf(head)) + 7);

describe('trimTfjsWebgpuModule', () => {
  it('keeps readSync for values on the CPU and complex tensors, and makes a GPU readback throw', () => {
    const src = read('backend_webgpu.js');
    const out = trimTfjsWebgpuModule(src, file('backend_webgpu.js')) as string;
    expect(src).toContain('new OffscreenCanvas(');
    expect(out).not.toContain('OffscreenCanvas');
    const readSync = method(out, '    readSync(dataId) {');
    expect(readSync).toContain("if (values != null || tensorData.dtype === 'string') {\n            return values;");
    expect(readSync).toContain("if (tensorData.dtype === 'complex64') {");
    expect(readSync).toContain("leftOut('A synchronous read of a tensor on the GPU (dataSync, arraySync, bufferSync on WebGPU; read it with await t.data())');");
    // the rest of the class is as it was: the asynchronous read, the upload, the programs
    for (const kept of ['    async read(dataId) {', '    uploadToGPU(dataId) {', '    runWebGPUProgram(', '    recordAndSubmit(']) expect(method(out, kept)).toBe(method(src, kept));
    expect(method(out, '    async time(f) {')).not.toContain('activeTimers');
    expect(method(out, '    async getQueryTime() {')).not.toContain('mapAsync');
  });

  it('the stubs say what was left out and by what', () => {
    const out = trimTfjsWebgpuModule(read('backend_webgpu.js'), file('backend_webgpu.js')) as string;
    const leftOut = new Function(`${out.slice(out.indexOf('function leftOut(what) {'))}\nreturn leftOut;`)() as (what: string) => never;
    expect(() => leftOut('tf.time() on WebGPU (its timestamp queries)')).toThrow('tf.time() on WebGPU (its timestamp queries) is left out of this page by neuronaKernels({ trimWebgpu: true }) of @neurona/backend-web/vite-plugin');
    const textures = trimTfjsWebgpuModule(read('texture_manager.js'), file('texture_manager.js')) as string;
    const TextureManager = new Function(`${textures.replace('export class', 'class')}\nreturn TextureManager;`)() as new (d: unknown) => { acquireTexture(): void; dispose(): void; getNumUsedTextures(): number };
    const manager = new TextureManager({});
    expect(() => manager.acquireTexture()).toThrow(/WebGPU textures \(tf\.browser\.fromPixels\) are left out of this page .* list FromPixels among the kernels to keep them/);
    expect(manager.getNumUsedTextures()).toBe(0);
    expect(() => manager.dispose()).not.toThrow();
  });

  it('leaves other modules alone, keeps the texture manager on request, and fails on unexpected text', () => {
    expect(trimTfjsWebgpuModule(read('webgpu_program.js'), file('webgpu_program.js'))).toBeNull();
    expect(trimTfjsWebgpuModule(read('texture_manager.js'), file('texture_manager.js'), { keepTextures: true })).toBeNull();
    expect(trimTfjsWebgpuModule('readSync', '/app/src/backend_webgpu.js')).toBeNull();
    expect(() => trimTfjsWebgpuModule('export class WebGPUBackend {}', file('backend_webgpu.js'))).toThrow(/no longer has the expected "if \(!this\.hasReadSyncWarned\) \{"/);
    expect(() => trimTfjsWebgpuModule('export class TextureManager {}\nexport function more() {}', file('texture_manager.js'))).toThrow('exports TextureManager, more, expected TextureManager');
    expect(() => neuronaKernels({ wasm: ['Add'], trimWebgpu: true })).toThrow('neuronaKernels: trimWebgpu needs a webgpu list');
    expect(() => neuronaKernels({ webgpu: ['Add'], trimWebgpu: 1 as never })).toThrow('neuronaKernels: trimWebgpu must be true or false, got 1');
  });

  it('bundles the WebGPU backend without them, and keeps the textures when FromPixels is listed', async () => {
    const dir = await mkdtemp(join(import.meta.dirname, '..', 'node_modules', '.neurona-webgpu-trim-'));
    try {
      await writeFile(join(dir, 'index.html'), '<script type="module" src="./main.js"></script>');
      await writeFile(join(dir, 'main.js'), "import '@neurona/backend-web/webgpu-kernels';\n");
      const bundle = (plugins: unknown[]) => bundleJs(dir, plugins);
      const whole = await bundle([neuronaKernels({ webgpu: ['Add'] })]);
      const trimmed = await bundle([neuronaKernels({ webgpu: ['Add'], trimWebgpu: true })]);
      const withPixels = await bundle([neuronaKernels({ webgpu: ['Add', 'FromPixels'], trimWebgpu: true })]);
      expect(whole).toContain('new OffscreenCanvas(');
      expect(whole).toContain('createQuerySet(');
      expect(trimmed).not.toContain('new OffscreenCanvas(');
      expect(trimmed).not.toContain('queryStagingBuffer');
      expect(trimmed).not.toContain('this.freeTextures');
      expect(trimmed).toContain('is left out of this page by neuronaKernels({ trimWebgpu: true })');
      expect(withPixels).toContain('this.freeTextures');
      expect(trimmed.length).toBeLessThan(whole.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
