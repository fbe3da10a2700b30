import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { add, dispose, mul, randomNormal, setSeed, sign, sub } from '@neurona/tensor';
import type { Scalar, Shape, Tensor, Variable } from '@neurona/tensor';
import { Dense, Layer, registerLayer, registry as layerRegistry, resetNames } from '@neurona/layers';
import type { CallKwargs, LayerConfig, LayerOptions } from '@neurona/layers';
import { BaseOptimizer, registerOptimizer, registry as optimizerRegistry } from '@neurona/optimizers';
import type { BaseOptimizerOptions, Config } from '@neurona/optimizers';
import { Sequential } from '../src/sequential';
import { loadModel, saveModel, ModelFileError } from '../src/io';
import { maxAbsDiff, tempDir } from './io-helpers';
import { readFileSync, writeFileSync } from 'node:fs';

// Contributed layers and optimizers are found through their registries by class name; nothing in
// a file is ever run as code.

/** y = x * scale + shift, with a learned per-feature scale. */
class ScaleShift extends Layer {
  static override readonly className = 'ScaleShift';
  readonly shift: number;
  scale: Variable | null = null;
  constructor(options: LayerOptions & { shift?: number } = {}) {
    const { shift, ...base } = options;
    super(base);
    this.shift = shift ?? 0;
  }
  override build(inputShape: Shape | Shape[]): void {
    const s = inputShape as Shape;
    this.scale = this.addWeight('scale', [s[s.length - 1] as number], 'ones');
    this.built = true;
  }
  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    return add(mul(inputs as Tensor, this.scale as Variable), this.shift);
  }
  override getConfig(): LayerConfig {
    return { ...super.getConfig(), shift: this.shift };
  }
  static fromConfig(config: LayerConfig): ScaleShift {
    return new ScaleShift(config as LayerOptions & { shift?: number });
  }
}

class SignSGDImpl extends BaseOptimizer {
  readonly className = 'SignSGD';
  constructor(options: BaseOptimizerOptions) {
    super('SignSGD', [], options, 0.01);
  }
  protected updateStep(g: Tensor, w: Variable, _slots: Variable[], lr: Scalar): void {
    w.assign(sub(w, mul(sign(g), lr)));
  }
  protected optimizerConfig(): Config {
    return {};
  }
}

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  resetNames();
  tmp = tempDir('neurona-custom-');
});
afterEach(() => {
  tmp.cleanup();
  layerRegistry.delete('ScaleShift');
  optimizerRegistry.delete('SignSGD');
});

describe('custom layers and optimizers', () => {
  it('round-trip through the registries, compiled and trained', async () => {
    registerLayer('ScaleShift', ScaleShift.fromConfig);
    registerOptimizer('SignSGD', (config) => new SignSGDImpl(config ?? {}));
    setSeed(2);
    const model = Sequential([Dense(3, { inputShape: [2] }), new ScaleShift({ shift: 0.5 })]);
    model.compile({ loss: 'mse', optimizer: new SignSGDImpl({ learningRate: 0.1 }) });
    const x = randomNormal([6, 2]);
    const y = randomNormal([6, 3]);
    await model.fit(x, y, { epochs: 2, batchSize: 3, verbose: 0, shuffle: false });
    await saveModel(model, join(tmp.dir, 'custom'));
    const loaded = await loadModel(join(tmp.dir, 'custom'));
    expect(loaded.layers[1]).toBeInstanceOf(ScaleShift);
    expect((loaded.layers[1] as ScaleShift).shift).toBe(0.5);
    expect(loaded.optimizer?.className).toBe('SignSGD');
    expect(loaded.optimizer?.iterations).toBe(4);
    const a = model.predict(x) as Tensor;
    const b = loaded.predict(x) as Tensor;
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
    await model.fit(x, y, { epochs: 1, batchSize: 3, verbose: 0, shuffle: false });
    await loaded.fit(x, y, { epochs: 1, batchSize: 3, verbose: 0, shuffle: false });
    const wa = model.getWeights();
    const wb = loaded.getWeights();
    wa.forEach((t, i) => expect(maxAbsDiff(t, wb[i])).toBeLessThan(1e-6));
    dispose([x, y, a, b, ...wa, ...wb]);
    model.dispose();
    loaded.dispose();
  });

  it('an unregistered custom class is an error naming it and how to register it', async () => {
    registerLayer('ScaleShift', ScaleShift.fromConfig);
    const model = Sequential([new ScaleShift({ inputShape: [2] })]);
    await saveModel(model, join(tmp.dir, 'c'));
    layerRegistry.delete('ScaleShift');
    await expect(loadModel(join(tmp.dir, 'c'))).rejects.toThrow(/unknown layer class "ScaleShift" \(register a custom layer with registerLayer\(className, fromConfig\) before loading\)/);
    model.dispose();
  });

  it('never evaluates code from the file', async () => {
    const model = Sequential([Dense(1, { inputShape: [2] })]);
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    await saveModel(model, join(tmp.dir, 'code'));
    const p = join(tmp.dir, 'code', 'model.json');
    const good = readFileSync(p, 'utf8');
    const g = globalThis as { pwned?: number };
    const payloads = [
      ['"class_name":"Dense"', '"class_name":"(() => { globalThis.pwned = 1 })()"'],
      ['"activation":"linear"', '"activation":"globalThis.pwned = 2"'],
      ['"kernel_initializer":{"class_name":"GlorotUniform"', '"kernel_initializer":{"class_name":"Function"'],
      ['"loss":"mse"', '"loss":"constructor"'],
      ['"className":"SGD"', '"className":"eval"'],
    ];
    for (const [from, to] of payloads) {
      const text = good.replace(from, to);
      expect(text).not.toBe(good);
      writeFileSync(p, text);
      const error = await loadModel(join(tmp.dir, 'code')).then(
        (m) => {
          m.dispose();
          return null;
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ModelFileError);
      expect(g.pwned).toBeUndefined();
    }
    model.dispose();
  });
});
