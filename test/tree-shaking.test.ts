// A page bundles only what it uses (issue 17, light pages): the layer registry fills its
// built-ins on first use, the packages ship one module per source file, and a page that builds
// its model from the classes it imports (and never deserializes one) does not carry the other
// layers. Bundled with Vite (rollup) from the built dist/, as a page would; tfjs is left out.
import { build } from 'vite';
import { describe, expect, it } from 'vitest';

const ENTRY = '\0tree-shaking-entry';

/** The minified chunks Vite makes of `source` (an ES module importing the built packages). */
async function chunks(source: string, inlineDynamicImports = true): Promise<{ isEntry: boolean; code: string }[]> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    root: import.meta.dirname,
    plugins: [{ name: 'entry', resolveId: (id) => (id === ENTRY ? id : null), load: (id) => (id === ENTRY ? source : null) }],
    build: {
      write: false,
      target: 'es2022',
      rollupOptions: { input: ENTRY, external: [/^@tensorflow\//], output: { inlineDynamicImports } },
    },
  });
  const outputs = (Array.isArray(out) ? out : [out]) as { output: { type: string; code?: string; isEntry?: boolean }[] }[];
  return outputs.flatMap((o) => o.output.filter((c) => c.type === 'chunk').map((c) => ({ isEntry: c.isEntry === true, code: c.code ?? '' })));
}

/** All the code of `source`'s bundle, one string. */
async function bundle(source: string): Promise<string> {
  return (await chunks(source)).map((c) => c.code).join('\n');
}

// Keras class names of layers a small MLP does not use, as they appear in the code of their
// classes (`static className = "LSTM"`).
const UNUSED = ['"LSTM"', '"TextVectorization"', '"MultiHeadAttention"', '"Conv3DTranspose"', '"ConvLSTM2D"'];

describe('tree shaking (a page bundles only the layers it uses)', () => {
  it('a compiled Sequential of Flatten and Dense carries no other layer class', async () => {
    const code = await bundle(`
      import { Dense, Flatten } from '@neurona/layers';
      import { Sequential } from '@neurona/models';
      const m = Sequential({ layers: [Flatten({ inputShape: [28, 28] }), Dense({ units: 10, activation: 'softmax' })] });
      m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      globalThis.model = m;
    `);
    expect(code).toContain('"Dense"');
    for (const name of UNUSED) expect(code, name).not.toContain(name);
  }, 120_000);

  it('deserializing brings every built-in layer (the check above can fail)', async () => {
    const code = await bundle(`
      import { deserializeLayer } from '@neurona/layers';
      globalThis.layer = deserializeLayer({ className: 'Dense', config: { units: 1 } });
    `);
    for (const name of UNUSED) expect(code, name).toContain(name);
  }, 120_000);

  it('@neurona/backend-web loads @neurona/kernels only with the cpu or wasm backend', async () => {
    const out = await chunks(
      `import { useWebBackend } from '@neurona/backend-web';
       globalThis.start = () => useWebBackend({ prefer: 'webgpu' });`,
      false,
    );
    // a message only @neurona/kernels has (its embedding lookup)
    const marker = 'is not in [0, ';
    expect(out.filter((c) => c.isEntry).map((c) => c.code.includes(marker))).toEqual([false]);
    expect(out.filter((c) => !c.isEntry && c.code.includes(marker))).toHaveLength(1);
  }, 120_000);

  it('a compiled model\'s entry chunk carries no metric it does not name: the others are lazy chunks', async () => {
    const page = (metrics: string) => `
      import { Dense } from '@neurona/layers';
      import { Sequential } from '@neurona/models';
      const m = Sequential({ layers: [Dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] });
      m.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ${metrics} });
      globalThis.model = m;`;
    // strings only the AUC metric's module has (its summation methods)
    const marker = 'minoring';
    for (const metrics of ["['accuracy']", "['accuracy', 'auc']"]) {
      const out = await chunks(page(metrics), false);
      expect(out.filter((c) => c.isEntry).map((c) => c.code.includes(marker)), metrics).toEqual([false]);
      expect(out.filter((c) => !c.isEntry && c.code.includes(marker)), metrics).toHaveLength(1);
    }
    // importing `get` (the registry of every metric) brings them all into the entry: the check can fail
    const eager = await chunks(`import { get } from '@neurona/metrics';\nglobalThis.m = get('accuracy');`, false);
    expect(eager.filter((c) => c.isEntry).map((c) => c.code.includes(marker))).toEqual([true]);
  }, 120_000);
  it('a compiled model\'s entry chunk carries neither the loss nor the optimizer registry: they are lazy chunks', async () => {
    const page = (imports: string, loss: string, optimizer: string) => `
      import { Dense } from '@neurona/layers';
      import { Sequential } from '@neurona/models';
      ${imports}
      const m = Sequential({ layers: [Dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] });
      m.compile({ optimizer: ${optimizer}, loss: ${loss} });
      globalThis.model = m;`;
    // strings only the registries bring: the names of their register functions (in their
    // messages) and Keras's alias of PiecewiseConstant (the schedule registry, which the optimizer
    // registry imports)
    const markers = ['registerLoss', 'registerOptimizer', 'PiecewiseConstantDecay'];
    const has = (code: string) => markers.map((m) => code.includes(m));
    const objects = await chunks(page(`import { BinaryCrossentropy } from '@neurona/losses';\nimport { SGD } from '@neurona/optimizers';`, 'BinaryCrossentropy()', 'SGD(0.1)'), false);
    const names = await chunks(page('', "'binary_crossentropy'", "'sgd'"), false);
    for (const out of [objects, names]) {
      expect(out.filter((c) => c.isEntry).map((c) => has(c.code))).toEqual([[false, false, false]]);
      // the loss registry and the optimizer registry (with the schedules) are in lazy chunks,
      // loaded only when compile was given a name (test/lazy-compile-names in @neurona/models)
      expect(out.some((c) => !c.isEntry && c.code.includes('registerLoss'))).toBe(true);
      expect(out.some((c) => !c.isEntry && c.code.includes('registerOptimizer') && c.code.includes('PiecewiseConstantDecay'))).toBe(true);
    }
    // importing `get` brings each registry into the entry: the checks above can fail
    const eager = await chunks(`import { get } from '@neurona/losses';\nimport { get as opt } from '@neurona/optimizers';\nglobalThis.l = get('mse');\nglobalThis.o = opt('sgd');`, false);
    expect(eager.filter((c) => c.isEntry).map((c) => has(c.code))).toEqual([[true, true, true]]);
  }, 120_000);
});
