import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import * as L from '../src/index';

const v = (t: T.Tensor) => Array.from(t.dataSync());

// The softmax/sigmoid output of an activation carries its logits (T.withLogits, as Keras's
// _keras_logits); the cross-entropy losses read them. Extreme logits show the difference: the
// probability form clips at 1e-7 (loss ≤ 16.1), the logits form does not.
describe('cross-entropy losses read the logits a softmax or sigmoid output carries', () => {
  const z = T.tensor2d([
    [0, 40, -40],
    [1, 2, 3],
  ]);
  const y = T.tensor2d([
    [1, 0, 0],
    [0, 0, 1],
  ]);

  it('categorical: same as fromLogits on the logits, beyond the clipping of probabilities', () => {
    const p = T.withLogits(T.softmax(z), z, 'softmax', 1);
    const viaOutput = L.categoricalCrossentropy(y, p);
    const viaLogits = L.categoricalCrossentropy(y, z, { fromLogits: true });
    const plain = L.categoricalCrossentropy(y, T.softmax(z));
    expect(v(viaOutput)).toEqual(v(viaLogits));
    // closed form: row 0 is logsumexp([0, 40, -40]) − 0 ≈ 40; row 1 is logsumexp([1,2,3]) − 3
    expect(v(viaOutput)[0]).toBeCloseTo(40, 4);
    expect(v(viaOutput)[1]).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3, 5);
    expect(v(plain)[0]).toBeCloseTo(-Math.log(1e-7), 3);
  });

  it('sparse categorical and the Loss objects too; the gradient reaches the logits as softmax − y', () => {
    const p = T.withLogits(T.softmax(z), z, 'softmax', 1);
    expect(v(L.sparseCategoricalCrossentropy(T.tensor1d([0, 2], 'int32'), p))).toEqual(v(L.categoricalCrossentropy(y, z, { fromLogits: true })));
    const loss = L.CategoricalCrossentropy();
    const [g] = T.grads((logits: T.Tensor) => loss(y, T.withLogits(T.softmax(logits), logits, 'softmax', 1)))([z]);
    const expected = T.div(T.sub(T.softmax(z), y), 2);
    v(g).forEach((x, i) => expect(x).toBeCloseTo(v(expected)[i], 6));
  });

  it('a softmax on another axis is not taken for the last-axis logits', () => {
    const p = T.withLogits(T.softmax(T.transpose(z)), z, 'softmax', 0);
    expect(v(L.categoricalCrossentropy(T.transpose(y), p))).toEqual(v(L.categoricalCrossentropy(T.transpose(y), T.softmax(T.transpose(z)))));
  });

  it('binary: a sigmoid output uses the stable softplus form on its logits', () => {
    const zb = T.tensor2d([[30], [-30], [0.5]]);
    const yb = T.tensor2d([[0], [1], [1]]);
    const p = T.withLogits(T.sigmoid(zb), zb, 'sigmoid');
    const got = v(L.binaryCrossentropy(yb, p));
    expect(got).toEqual(v(L.binaryCrossentropy(yb, zb, { fromLogits: true })));
    expect(got[0]).toBeCloseTo(30, 4);
    expect(got[1]).toBeCloseTo(30, 4);
    expect(got[2]).toBeCloseTo(Math.log(1 + Math.exp(-0.5)), 6);
  });

  it('logits that were released are not used', () => {
    const zz = T.tensor2d([[0, 1]]);
    const p = T.withLogits(T.softmax(zz), zz, 'softmax', 1);
    zz.dispose();
    expect(T.logitsOf(p)).toBeNull();
    expect(v(L.categoricalCrossentropy(T.tensor2d([[0, 1]]), p))[0]).toBeCloseTo(Math.log(1 + Math.E) - 1, 5);
  });
});
