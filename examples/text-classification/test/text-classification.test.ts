// The text-classification example on a few hundred real mails (the full run is `pnpm start`):
// the document rule the scikit-learn baseline shares, and a small run whose test accuracy must be
// far above the majority class; and the recurrent model (Embedding → Bidirectional(LSTM)) on a
// few hundred mails: it builds, its loss falls, it reports, and it leaks no tensor.
import { memory } from '@neurona/tensor';
import { describe, expect, it } from 'vitest';
import { documentOf } from '../src/corpus';
import { parseModelKind } from '../src/models';
import { main } from '../src/program';

describe('examples/text-classification', () => {
  it('keeps the Subject header and the body, as data/baseline.py does', () => {
    expect(documentOf('From: a@b\r\nSubject: Cheap pills\r\nX-Spam: no\r\n\r\nBuy now\r\n')).toBe('Cheap pills\nBuy now\n');
    expect(documentOf('From: a@b\nsubject:  Hi there\n\nline 1\n\nline 2')).toBe('Hi there\nline 1\n\nline 2');
    expect(documentOf('no headers at all')).toBe('\n');
  });

  it('trains on strings and reports ham/spam precision and recall', async () => {
    process.env.NEURONA_BACKEND = process.env.NEURONA_TEST_BACKEND ?? 'cpu';
    const lines: string[] = [];
    try {
      const r = await main({ epochs: 4, maxTokens: 3000, limit: 300, svgPath: null, log: (l) => lines.push(l) });
      // ham is about 69 % of the corpus: the model must do far better than always saying ham
      expect(r.testAccuracy).toBeGreaterThan(0.85);
      expect(r.vocabularySize).toBe(3000);
      expect(r.report).toMatch(/ham[\s\S]*spam[\s\S]*accuracy/);
      expect(r.history.val_accuracy).toHaveLength(4);
      expect(r.baselineAccuracy).toBeGreaterThan(0.98);
    } finally {
      delete process.env.NEURONA_BACKEND;
    }
  });

  it('trains the Embedding → Bidirectional(LSTM) model on token ids, and leaks no tensor', async () => {
    process.env.NEURONA_BACKEND = process.env.NEURONA_TEST_BACKEND ?? 'cpu';
    const lines: string[] = [];
    try {
      const before = memory().numTensors;
      const r = await main({ model: 'lstm', epochs: 2, maxTokens: 2000, sequenceLength: 48, limit: 300, svgPath: null, log: (l) => lines.push(l) });
      expect(memory().numTensors).toBe(before);
      expect(r.model).toBe('lstm');
      // embedding 2000·32, two LSTMs 4·32·(32 + 32 + 1) each, Dense (2·32 + 1)
      expect(r.params).toBe(2000 * 32 + 2 * 4 * 32 * (32 + 32 + 1) + (2 * 32 + 1));
      expect(lines.join('\n')).toMatch(/Embedding 32 \(maskZero\) → Bidirectional\(LSTM 32\)/);
      expect(r.history.loss).toHaveLength(2);
      expect(r.history.loss[1]).toBeLessThan(r.history.loss[0]);
      expect(r.epochSeconds).toHaveLength(2);
      expect(r.report).toMatch(/ham[\s\S]*spam[\s\S]*accuracy/);
      expect(lines.some((l) => /^test accuracy: neurona 0\.\d{4}/.test(l))).toBe(true);
    } finally {
      delete process.env.NEURONA_BACKEND;
    }
  });

  it('names the models --model accepts', () => {
    expect(parseModelKind('lstm')).toBe('lstm');
    expect(parseModelKind(' BOW ')).toBe('bow');
    expect(() => parseModelKind('gru')).toThrow('unknown model "gru": expected one of bow, lstm');
  });
});
