// neurona ships ESM and CommonJS builds; a process can load both (one dependency requires a
// package, another imports it). Everything registered by name lives in the one registry of
// @neurona/common, on globalThis, so an object registered through one build is found through the
// other (issue "Seams before growth", item 7).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', 'packages');
const req = createRequire(join(root, 'models', 'package.json'));

describe('one registry per process across the ESM and CommonJS builds', () => {
  it('a loss, an optimizer, an activation and a layer registered through CJS are found through ESM, and back', async () => {
    const lossesCjs = req(join(root, 'losses', 'dist', 'index.cjs')) as typeof import('@neurona/losses');
    const lossesEsm = (await import(join(root, 'losses', 'dist', 'index.js'))) as typeof import('@neurona/losses');
    expect(lossesCjs.get).not.toBe(lossesEsm.get); // two copies of the module...
    lossesCjs.registerLoss('dual_l1', (t, p) => p.sub(t).abs().mean(-1), { package: 'dualtest' });
    expect(lossesEsm.get('dualtest>dual_l1').name).toBe('dual_l1'); // ...one registry

    const optCjs = req(join(root, 'optimizers', 'dist', 'index.cjs')) as typeof import('@neurona/optimizers');
    const optEsm = (await import(join(root, 'optimizers', 'dist', 'index.js'))) as typeof import('@neurona/optimizers');
    optEsm.registerOptimizer('DualSGD', (c) => optEsm.SGD(c), { package: 'dualtest' });
    expect(optCjs.get('DualSGD').className).toBe('SGD');
    expect(() => optCjs.registerOptimizer('DualSGD', (c) => optCjs.SGD(c), { package: 'dualtest' })).toThrow(/already registered/);

    const actCjs = req(join(root, 'activations', 'dist', 'index.cjs')) as typeof import('@neurona/activations');
    const actEsm = (await import(join(root, 'activations', 'dist', 'index.js'))) as typeof import('@neurona/activations');
    const cube = actCjs.registerActivation('dual_cube', (x) => x.mul(x).mul(x), { package: 'dualtest' });
    expect(actEsm.get('dual_cube')).toBe(cube);

    const layersCjs = req(join(root, 'layers', 'dist', 'index.cjs')) as typeof import('@neurona/layers');
    const layersEsm = (await import(join(root, 'layers', 'dist', 'index.js'))) as typeof import('@neurona/layers');
    class Twice extends layersCjs.Layer {
      static override readonly className = 'DualTwice';
      call(inputs: import('@neurona/tensor').Tensor | import('@neurona/tensor').Tensor[]) {
        return (inputs as import('@neurona/tensor').Tensor).mul(2);
      }
    }
    expect(layersCjs.registerLayer(Twice, { package: 'dualtest' })).toBe('dualtest>DualTwice');
    const back = layersEsm.deserializeLayer({ className: 'DualTwice', config: { name: 'tw' } });
    expect(back).toBeInstanceOf(Twice);
    // the built-ins are registered once: the first copy's stay
    expect(layersEsm.registry.names()).toEqual(layersCjs.registry.names());
  });
});
