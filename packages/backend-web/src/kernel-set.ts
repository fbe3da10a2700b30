// Ship only the kernels a page uses (Node side: recording and code generation for bundlers).
// tfjs registers every kernel of a backend when the backend's package is imported; its kernels
// are also separate modules that can be registered one by one. `recordKernels` runs a page's
// model code on a stand-in backend that notes every kernel looked up, and `kernelModule` writes
// the module that registers just those for WebGPU or wasm (what `neuronaKernels` of
// `@neurona/backend-web/vite-plugin` hands Vite in place of the full set).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tfc from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { getBackendInfo, registerBackendProvider, setBackend } from '@neurona/tensor';

/** The backends whose kernels can be shipped one by one. */
export type KernelSetBackend = 'webgpu' | 'wasm';

const PACKAGES: Record<KernelSetBackend, string> = {
  webgpu: '@tensorflow/tfjs-backend-webgpu',
  wasm: '@tensorflow/tfjs-backend-wasm',
};

const RECORDER = 'neurona-kernel-recorder';
const used = new Set<string>();
// kernels seen off the gradient tape (a forward pass, an optimizer's update, a metric)
const offTape = new Set<string>();

/**
 * Whether tfjs is computing gradients: recording the forward pass (`gradientDepth` > 0) or running
 * the backward one (tfjs-core's `gradients` runs it in a scope named 'backward').
 */
function onTape(): boolean {
  const state = (tfc.engine() as unknown as { state: { gradientDepth: number; scopeStack: { name: string }[] } }).state;
  return state.gradientDepth > 0 || state.scopeStack.some((s) => s.name === 'backward');
}

/** The stand-in: the cpu backend's kernels under another name, each noting its use. */
function installRecorder(): void {
  if (tfc.findBackendFactory(RECORDER)) return;
  tfc.registerBackend(RECORDER, () => new MathBackendCPU(), -1);
  for (const k of tfc.getKernelsForBackend('cpu')) {
    tfc.registerKernel({
      ...k,
      backendName: RECORDER,
      kernelFunc: (args) => {
        used.add(k.kernelName);
        if (!onTape()) offTape.add(k.kernelName);
        return k.kernelFunc(args);
      },
    });
  }
  // A GPU's capabilities: no host memory (so no fast-kernel bodies), no synchronous reads (so
  // the library takes its asynchronous paths): the kernels a page needs on WebGPU, and a
  // superset of what it needs on wasm.
  registerBackendProvider({
    name: RECORDER,
    kind: 'gpu',
    capabilities: { memory: 'device', syncRead: false, gpu: true },
    load: async () => ({}),
  });
}

/** What a page's model code used: kernels, and tfjs's chained ops (tensor methods such as `t.argMax()`). */
export interface PageUse {
  kernels: string[];
  chainedOps: string[];
  /**
   * The kernels of `kernels` used only while computing gradients (the tape's training step): a
   * page whose first visit trains on a compiled plan can defer them (`later` of `neuronaKernels`),
   * since @neurona/models awaits `ensureKernels()` of @neurona/tensor before training on the tape.
   */
  tapeOnly: string[];
}

/**
 * Run `run` (a page's model code: build, fit, evaluate, predict) on a stand-in backend and return
 * the names of every kernel it used, sorted, neurona's own ones included, and of every chained op
 * (tensor method registered by tfjs-core) it called, and which kernels it used only on the gradient
 * tape (`tapeOnly`). Restores the backend that was current before
 * and the tensor methods.
 */
export async function recordPageUse(run: () => unknown): Promise<PageUse> {
  await import('@tensorflow/tfjs-backend-cpu');
  installRecorder();
  const before = tfc.findBackendFactory(tfc.getBackend()) ? getBackendInfo().name : null;
  used.clear();
  offTape.clear();
  const chained = new Set<string>();
  const restore = watchChainedOps(chained);
  await setBackend(RECORDER);
  try {
    await run();
  } finally {
    restore();
    if (before && before !== RECORDER) await setBackend(before);
  }
  // fresh sorted arrays (the lib target has no toSorted)
  const kernels = [...used].sort();
  return { kernels, chainedOps: [...chained].sort(), tapeOnly: kernels.filter((k) => !offTape.has(k)) };
}

/** The kernels `run` used (see `recordPageUse`). */
export async function recordKernels(run: () => unknown): Promise<string[]> {
  return (await recordPageUse(run)).kernels;
}

/** Wraps each chained op on the Tensor class to note its calls in `into`; returns the undo. */
function watchChainedOps(into: Set<string>): () => void {
  const proto = tfc.Tensor.prototype as unknown as Record<string, unknown>;
  const originals = new Map<string, unknown>();
  for (const name of availableChainedOps().keys()) {
    const f = proto[name];
    if (typeof f !== 'function') continue;
    originals.set(name, f);
    proto[name] = function (this: unknown, ...args: unknown[]) {
      into.add(name);
      return (f as (...a: unknown[]) => unknown).apply(this, args);
    };
  }
  return () => {
    for (const [name, f] of originals) proto[name] = f;
  };
}

/** `{ kernelName: { config, file } }` of every kernel a tfjs backend package can register. */
export function availableKernels(backend: KernelSetBackend): Map<string, { config: string; file: string }> {
  const req = createRequire(import.meta.url);
  const dist = join(dirname(req.resolve(`${PACKAGES[backend]}/package.json`)), 'dist');
  const all = readFileSync(join(dist, 'register_all_kernels.js'), 'utf8');
  const out = new Map<string, { config: string; file: string }>();
  for (const [, config, rel] of all.matchAll(/import \{ (\w+) \} from '\.\/(kernels\/[\w/]+)'/g)) {
    const file = join(dist, `${rel}.js`);
    const src = readFileSync(file, 'utf8');
    // `{ kernelName: Add, ... }` (a tfjs-core constant), `{ kernelName: 'Add' }`, or a helper's
    // first argument: `createBinaryKernelConfig(Sub, ...)` (the wasm backend's unary/binary kernels)
    const m =
      new RegExp(`${config}\\s*=\\s*\\{[^}]*?kernelName:\\s*(?:'([^']+)'|(\\w+))`).exec(src) ??
      new RegExp(`${config}\\s*=\\s*\\w+\\((?:'([^']+)'|(\\w+))`).exec(src);
    if (!m) throw new Error(`kernel-set: cannot tell which kernel ${config} (${file}) registers`);
    const name = m[1] ?? (tfc as unknown as Record<string, unknown>)[m[2]];
    if (typeof name === 'string') out.set(name, { config, file });
  }
  return out;
}

/**
 * The source of a module that starts `backend` with only `kernelNames` registered (names it does
 * not implement, such as neurona's own kernels, are skipped), exporting what the backend
 * package's `base` exports. Import paths are absolute, resolved from this package.
 */
export function kernelModule(backend: KernelSetBackend, kernelNames: readonly string[]): string {
  const req = createRequire(import.meta.url);
  const dist = join(dirname(req.resolve(`${PACKAGES[backend]}/package.json`)), 'dist');
  const core = req.resolve('@tensorflow/tfjs-core').replace(/[\\/]dist[\\/].*$/, '/dist/index.js');
  const available = availableKernels(backend);
  const chosen = [...new Set(kernelNames)].filter((n) => available.has(n)).sort();
  const lines = [
    `// Generated by @neurona/backend-web (kernelModule): ${backend} with ${chosen.length} of its ${available.size} kernels.`,
    `export * from ${JSON.stringify(join(dist, 'base.js'))};`,
    `import { registerKernel } from ${JSON.stringify(core)};`,
    ...chosen.map((n, i) => `import { ${available.get(n)?.config} as k${i} } from ${JSON.stringify(available.get(n)?.file)};`),
    `for (const k of [${chosen.map((_, i) => `k${i}`).join(', ')}]) registerKernel(k);`,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The source of a module that registers `kernelNames` of `backend` (those it implements) when
 * imported, skipping any already registered: the lazy chunk of the kernels a page deferred
 * (`later` of `neuronaKernels`). Only WebGPU: its kernels need no set-up when registered after
 * the backend started (wasm's do).
 */
export function laterKernelModule(backend: 'webgpu', kernelNames: readonly string[]): string {
  const req = createRequire(import.meta.url);
  const core = req.resolve('@tensorflow/tfjs-core').replace(/[\\/]dist[\\/].*$/, '/dist/index.js');
  const available = availableKernels(backend);
  const chosen = [...new Set(kernelNames)].filter((n) => available.has(n)).sort();
  const lines = [
    `// Generated by @neurona/backend-web (laterKernelModule): ${chosen.length} deferred ${backend} kernels.`,
    `import { getKernel, registerKernel } from ${JSON.stringify(core)};`,
    ...chosen.map((n, i) => `import { ${available.get(n)?.config} as k${i} } from ${JSON.stringify(available.get(n)?.file)};`),
    `for (const k of [${chosen.map((_, i) => `k${i}`).join(', ')}]) if (!getKernel(k.kernelName, k.backendName)) registerKernel(k);`,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * tfjs-backend-webgpu takes the cpu backend's helpers (for the small ops it runs on the CPU) by
 * destructuring a namespace import, which keeps every helper in the bundle. The same exports as
 * static re-exports, so a bundler keeps only those the shipped kernels use. `source` is that
 * module (`dist/kernel_utils/shared.js`); throws when it no longer has the expected form.
 */
export function treeShakableCpuShared(source: string): string {
  const { from, pairs } = cpuSharedImports(source, 'ship every kernel or update treeShakableCpuShared');
  return `export { ${pairs.map(([a, b]) => (b !== a ? `${a} as ${b}` : a)).join(', ')} } from '${from}';\n`;
}

/**
 * What `kernel_utils/shared.js` of tfjs-backend-webgpu (`source`) takes from the cpu backend: the
 * module it imports and each helper as `[name, local name]`. Throws, saying `fix`, when the module
 * no longer has that form.
 */
function cpuSharedImports(source: string, fix: string): { from: string; pairs: [string, string][] } {
  const from = /import \* as shared from '([^']+)';/.exec(source)?.[1];
  const names = /const \{([^}]*)\} = shared;/.exec(source)?.[1];
  if (!from || !names) throw new Error(`kernel-set: tfjs-backend-webgpu's kernel_utils/shared.js changed form; ${fix}`);
  const pairs = names
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p): [string, string] => {
      const [a, b] = p.split(':').map((x) => x.trim());
      return [a, b || a];
    });
  return { from, pairs };
}

// The cpu helpers tfjs-backend-webgpu's kernels call whatever the flag says (Range computes its
// values on the CPU; StringNGrams and Unique work on strings): kept, when a page ships those kernels.
const CPU_HELPERS_ALWAYS_USED = new Set(['rangeImpl', 'stringNGramsImpl', 'uniqueImpl']);

/**
 * `kernel_utils/shared.js` of tfjs-backend-webgpu (the cpu backend's helpers, `source`) for a page
 * whose WebGPU backend never forwards work to the CPU (`WEBGPU_CPU_FORWARD` off, see
 * `webgpuFlagsWithoutCpuForward`): the helpers its kernels call only when forwarding (a small tensor
 * still on the CPU) or for string tensors become stubs that throw saying so, so tfjs-backend-cpu
 * stays out of the page; those called whatever the flag (`rangeImpl`, `stringNGramsImpl`,
 * `uniqueImpl`) are re-exported as they are. Throws when the module no longer has the expected form.
 */
export function cpuSharedStubs(source: string): string {
  const { from, pairs } = cpuSharedImports(source, 'drop webgpuCpuForward: false or update cpuSharedStubs');
  const kept = pairs.filter(([a]) => CPU_HELPERS_ALWAYS_USED.has(a));
  const stubbed = pairs.filter(([a]) => !CPU_HELPERS_ALWAYS_USED.has(a));
  return [
    '// Generated by @neurona/backend-web (cpuSharedStubs): the WebGPU backend runs every kernel on the GPU',
    '// (WEBGPU_CPU_FORWARD off), so tfjs-backend-cpu\'s helpers for CPU-forwarded work are left out.',
    ...(kept.length ? [`export { ${kept.map(([a, b]) => `${a} as ${b}`).join(', ')} } from '${from}';`] : []),
    'function leftOut(name) {',
    '  return () => {',
    '    throw new Error(`tfjs-backend-webgpu called ${name} of tfjs-backend-cpu (work forwarded to the CPU: the WEBGPU_CPU_FORWARD flag was turned on, or a string tensor), which neuronaKernels({ webgpuCpuForward: false }) of @neurona/backend-web/vite-plugin left out of this page; keep the flag off, or drop that option`);',
    '  };',
    '}',
    ...stubbed.map(([a, b]) => `export const ${b} = /* @__PURE__ */ leftOut('${a}');`),
    '',
  ].join('\n');
}

const CPU_FORWARD_FLAG = "ENV.registerFlag('WEBGPU_CPU_FORWARD', () => true);";

/**
 * tfjs-backend-webgpu's `flags_webgpu.js` (`source`) with `WEBGPU_CPU_FORWARD` off by default: its
 * kernels then run on the GPU even when their inputs are small and still on the CPU (the
 * configuration tfjs's own WebGPU tests run in), so they never call tfjs-backend-cpu's helpers.
 * Throws when the flag's registration is not there as expected.
 */
export function webgpuFlagsWithoutCpuForward(source: string): string {
  if (!source.includes(CPU_FORWARD_FLAG)) throw new Error(`kernel-set: tfjs-backend-webgpu's flags_webgpu.js no longer has ${CPU_FORWARD_FLAG} (another version?); drop webgpuCpuForward: false or update webgpuFlagsWithoutCpuForward`);
  return source.replace(CPU_FORWARD_FLAG, "ENV.registerFlag('WEBGPU_CPU_FORWARD', () => false); // @neurona/backend-web: webgpuCpuForward: false");
}

/** tfjs-core's dist folder (the ESM files a bundler reads), resolved from this package. */
function coreDist(): string {
  const req = createRequire(import.meta.url);
  return join(dirname(req.resolve('@tensorflow/tfjs-core/package.json')), 'dist');
}

/** `{ kernelName: { config, file } }` of every gradient tfjs-core's register_all_gradients registers. */
export function availableGradients(): Map<string, { config: string; file: string }> {
  const dist = coreDist();
  const all = readFileSync(join(dist, 'register_all_gradients.js'), 'utf8');
  const out = new Map<string, { config: string; file: string }>();
  for (const [, config, rel] of all.matchAll(/import \{ (\w+) \} from '\.\/(gradients\/\w+)'/g)) {
    const file = join(dist, `${rel}.js`);
    const m = /kernelName:\s*(?:'([^']+)'|(\w+))/.exec(readFileSync(file, 'utf8'));
    if (!m) throw new Error(`kernel-set: cannot tell which kernel's gradient ${config} (${file}) registers`);
    const name = m[1] ?? (tfc as unknown as Record<string, unknown>)[m[2]];
    if (typeof name !== 'string') throw new Error(`kernel-set: ${m[2]} (in ${file}) is not a kernel name of tfjs-core`);
    out.set(name, { config, file });
  }
  if (out.size === 0) throw new Error('kernel-set: tfjs-core\'s register_all_gradients.js changed form (no gradients found)');
  return out;
}

/** `{ methodName: file }` of every chained op (tensor method) tfjs-core's register_all_chained_ops registers. */
export function availableChainedOps(): Map<string, string> {
  const dir = join(coreDist(), 'public', 'chained_ops');
  const all = readFileSync(join(dir, 'register_all_chained_ops.js'), 'utf8');
  const out = new Map<string, string>();
  for (const [, rel] of all.matchAll(/import '\.\/(\w+)'/g)) {
    const file = join(dir, `${rel}.js`);
    for (const [, method] of readFileSync(file, 'utf8').matchAll(/prototype\.(\w+)\s*=/g)) out.set(method, file);
  }
  if (out.size === 0) throw new Error('kernel-set: tfjs-core\'s register_all_chained_ops.js changed form (no chained ops found)');
  return out;
}

/** What a page registers of tfjs-core's gradients and chained ops (see `registrationsModule`). */
export interface Registrations {
  /** The kernels the page runs: the gradients of those that have one are registered. */
  kernels: readonly string[];
  /** The tensor methods (`argMax` for `t.argMax()`) the page's code calls. */
  chainedOps: readonly string[];
}

/**
 * The source of a module that registers the gradients of `kernels` (those tfjs-core has, not yet
 * registered) when imported: the lazy chunk of the gradients a page deferred (`later` of
 * `neuronaRegistrations`).
 */
export function laterGradientsModule(kernels: readonly string[]): string {
  const gradients = availableGradients();
  const grads = [...new Set(kernels)].filter((k) => gradients.has(k)).sort();
  const lines = [
    `// Generated by @neurona/backend-web (laterGradientsModule): ${grads.length} deferred gradients.`,
    `import { getGradient, registerGradient } from ${JSON.stringify(join(coreDist(), 'index.js'))};`,
    ...grads.map((k, i) => `import { ${gradients.get(k)?.config} as g${i} } from ${JSON.stringify(gradients.get(k)?.file)};`),
    `for (const g of [${grads.map((_, i) => `g${i}`).join(', ')}]) if (!getGradient(g.kernelName)) registerGradient(g);`,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The source of a module that registers only the gradients of `kernels` (those tfjs-core has) and
 * the `chainedOps`: what a page bundles in place of @neurona/tensor's `register-all` (every
 * gradient and chained op, with the ops they import). A listed chained op that tfjs-core does not
 * have is an error (a typo would otherwise surface as "x.foo is not a function" in the page).
 */
export function registrationsModule({ kernels, chainedOps }: Registrations): string {
  const gradients = availableGradients();
  const methods = availableChainedOps();
  const unknown = chainedOps.filter((m) => !methods.has(m));
  if (unknown.length) throw new Error(`kernel-set: tfjs-core has no chained op ${unknown.map((m) => `"${m}"`).join(', ')}`);
  const grads = [...new Set(kernels)].filter((k) => gradients.has(k)).sort();
  const files = [...new Set(chainedOps.map((m) => methods.get(m) as string))].sort();
  const lines = [
    `// Generated by @neurona/backend-web (registrationsModule): ${grads.length} of tfjs-core's ${gradients.size} gradients, ${chainedOps.length} of its ${methods.size} chained ops.`,
    `import { registerGradient } from ${JSON.stringify(join(coreDist(), 'index.js'))};`,
    ...grads.map((k, i) => `import { ${gradients.get(k)?.config} as g${i} } from ${JSON.stringify(gradients.get(k)?.file)};`),
    ...files.map((f) => `import ${JSON.stringify(f)};`),
    `for (const g of [${grads.map((_, i) => `g${i}`).join(', ')}]) registerGradient(g);`,
  ];
  return `${lines.join('\n')}\n`;
}

const DESTRUCTURED = /^const \{([^}]*)\} = backend_util;$/gm;
const NAMED_CORE_IMPORT = /^import \{([^}]*)\} from '@tensorflow\/tfjs-core';$/gm;

/**
 * tfjs's backends import `backend_util` (a namespace of ~40 helper modules) by name from
 * tfjs-core's index, which makes a bundler keep the whole namespace object. The same module with
 * `backend_util` imported as a namespace of its own file (`utilFile`: tfjs-core's
 * `dist/backends/backend_util.js`), so a bundler keeps only the helpers the shipped kernels use.
 * Returns null when the module does not import `backend_util` from tfjs-core.
 */
export function treeShakableBackendUtil(source: string, utilFile: string): string | null {
  let found = false;
  const out = source.replace(NAMED_CORE_IMPORT, (line, list: string) => {
    const names = list.split(',').map((n) => n.trim()).filter(Boolean);
    if (!names.includes('backend_util')) return line;
    found = true;
    const rest = names.filter((n) => n !== 'backend_util');
    const lines = [`import * as backend_util from ${JSON.stringify(utilFile)};`];
    if (rest.length) lines.push(`import { ${rest.join(', ')} } from '@tensorflow/tfjs-core';`);
    return lines.join('\n');
  });
  if (!found) return null;
  // `const { a, b } = backend_util;` (WebGL's shader compiler) would keep the whole namespace too
  return out.replace(DESTRUCTURED, (line, list: string) => {
    const names = list.split(',').map((n) => n.trim()).filter(Boolean);
    if (!names.every((n) => /^[A-Za-z_$][\w$]*$/.test(n))) return line;
    return `const ${names.map((n) => `${n} = backend_util.${n}`).join(', ')};`;
  });
}

/** tfjs-core's `dist/backends/backend_util.js` (ESM), resolved from this package. */
export function backendUtilFile(): string {
  return join(coreDist(), 'backends', 'backend_util.js');
}
