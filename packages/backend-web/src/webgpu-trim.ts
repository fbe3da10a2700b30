// What a page's bundle can leave out of tfjs-backend-webgpu 4.22 when the page reads tensors
// asynchronously (neurona does on WebGPU: its provider declares `syncRead: false`): the backend's
// synchronous GPU readback (it copies the buffer through two OffscreenCanvas contexts), its
// timestamp-query timer (`tf.time()`, tfjs's profiler) and its texture manager (only the FromPixels
// kernel's imported textures use it). `neuronaKernels({ webgpu, trimWebgpu: true })` applies it.

const READ_SYNC_START = '        if (!this.hasReadSyncWarned) {\n';
const READ_SYNC_END = '    async read(dataId) {\n';
const TIME_START = '    async time(f) {\n';
const TIME_END = '    makeTensorInfo(shape, dtype, values) {\n';
const QUERY_START = '    async getQueryTime() {\n';
const QUERY_END = '    shouldExecuteOnCPU(inputs, sizeThreshold = CPU_HANDOFF_SIZE_THRESHOLD) {\n';

const LEFT_OUT = [
  '',
  '// trimWebgpu (@neurona/backend-web/vite-plugin): what this page never runs is left out of its bundle',
  'function leftOut(what) {',
  '  throw new Error(`${what} is left out of this page by neuronaKernels({ trimWebgpu: true }) of @neurona/backend-web/vite-plugin`);',
  '}',
  '',
].join('\n');

const TEXTURE_STUB = [
  '// trimWebgpu (@neurona/backend-web/vite-plugin): no texture is imported on this page (no FromPixels kernel)',
  'const leftOut = () => { throw new Error("WebGPU textures (tf.browser.fromPixels) are left out of this page by neuronaKernels({ trimWebgpu: true }) of @neurona/backend-web/vite-plugin: list FromPixels among the kernels to keep them"); };',
  'export class TextureManager {',
  '  constructor(device) { this.device = device; this.numBytesUsed = 0; this.numBytesAllocated = 0; }',
  '  acquireTexture() { leftOut(); }',
  '  releaseTexture() { leftOut(); }',
  '  getNumUsedTextures() { return 0; }',
  '  getNumFreeTextures() { return 0; }',
  '  dispose() {}',
  '}',
  '',
].join('\n');

/** `code` with the text from `start` up to (not including) `end` replaced by `by`; throws unless each occurs once, in order. */
function replaceBetween(code: string, start: string, end: string, by: string, id: string): string {
  const a = code.indexOf(start);
  const b = code.indexOf(end);
  if (a < 0 || b < a || code.indexOf(start, a + 1) >= 0 || code.indexOf(end, b + 1) >= 0) {
    throw new Error(`trimWebgpu: ${id} no longer has the expected ${JSON.stringify(start.trim())} … ${JSON.stringify(end.trim())} (another tfjs-backend-webgpu version?)`);
  }
  return code.slice(0, a) + by + code.slice(b);
}

/**
 * The code of a tfjs-backend-webgpu module with what `trimWebgpu` leaves out replaced, or null
 * when `id` is not one of the modules concerned (`backend_webgpu.js`; `texture_manager.js` unless
 * `keepTextures`). In `backend_webgpu.js`: `readSync` keeps its answers for values held on the CPU
 * and for complex tensors, but a synchronous read of a buffer on the GPU throws (read it with
 * `await t.data()`); `time` and `getQueryTime` throw. Throws when a module no longer has the
 * expected text (a new tfjs version): better a failed build than a trim that silently does nothing.
 */
export function trimTfjsWebgpuModule(code: string, id: string, { keepTextures = false } = {}): string | null {
  const path = id.split('?')[0];
  if (!/tfjs-backend-webgpu[\\/]dist[\\/]/.test(path)) return null;
  if (/[\\/]dist[\\/]texture_manager\.js$/.test(path)) {
    if (keepTextures) return null;
    const exported = [...code.matchAll(/^export (?:class|function|const) (\w+)/gm)].map((m) => m[1]);
    if (exported.join() !== 'TextureManager') throw new Error(`trimWebgpu: ${id} exports ${exported.join(', ')}, expected TextureManager (another tfjs-backend-webgpu version?)`);
    return TEXTURE_STUB;
  }
  if (!/[\\/]dist[\\/]backend_webgpu\.js$/.test(path)) return null;
  let out = replaceBetween(code, READ_SYNC_START, READ_SYNC_END, "        leftOut('A synchronous read of a tensor on the GPU (dataSync, arraySync, bufferSync on WebGPU; read it with await t.data())');\n    }\n", id);
  out = replaceBetween(out, TIME_START, TIME_END, "    async time(f) {\n        leftOut('tf.time() on WebGPU (its timestamp queries)');\n    }\n", id);
  out = replaceBetween(out, QUERY_START, QUERY_END, "    async getQueryTime() {\n        leftOut('tf.time() on WebGPU (its timestamp queries)');\n    }\n", id);
  return out + LEFT_OUT;
}
