import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as M from '../src/index';
import { formatFixed } from '../src/python-format';

const labelsPair = fc
  .integer({ min: 1, max: 60 })
  .chain((n) => fc.tuple(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: n, maxLength: n }), fc.array(fc.integer({ min: 0, max: 6 }), { minLength: n, maxLength: n })));

describe('properties (fast-check)', () => {
  it('confusion matrix, accuracy and the report dict agree', () => {
    const quiet = console.warn;
    console.warn = () => undefined;
    try {
      fc.assert(
        fc.property(labelsPair, ([t, p]) => {
          const m = M.confusionMatrix(t, p);
          const total = m.flat().reduce((a, b) => a + b, 0);
          const diag = m.reduce((a, row, i) => a + row[i], 0);
          expect(total).toBe(t.length);
          expect(diag / total).toBeCloseTo(M.accuracyScore(t, p), 12);
          const d = M.classificationReport(t, p, { outputDict: true });
          expect(d.accuracy as number).toBeCloseTo(M.accuracyScore(t, p), 12);
          const rows = Object.entries(d).filter(([k]) => !['accuracy', 'macro avg', 'weighted avg'].includes(k));
          const support = rows.reduce((a, [, r]) => a + (r as M.ReportRow).support, 0);
          expect(support).toBe(t.length);
          const f1 = M.f1Score(t, p, { average: null });
          rows.forEach(([, r], i) => expect((r as M.ReportRow)['f1-score']).toBe(f1[i]));
          expect((d['macro avg'] as M.ReportRow)['f1-score']).toBe(M.f1Score(t, p, { average: 'macro' }));
          // every line of the text report has the same width as the header
          const text = M.classificationReport(t, p);
          const widths = new Set(text.split('\n').filter((l) => l.length > 0).map((l) => l.length));
          expect(widths.size).toBe(1);
        }),
        { numRuns: 200 },
      );
    } finally {
      console.warn = quiet;
    }
  });

  it('formatFixed is within half a unit of the last digit and parses back', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1000, noNaN: true }), fc.integer({ min: 0, max: 8 }), (x, d) => {
        const s = formatFixed(x, d);
        expect(Math.abs(Number(s) - x)).toBeLessThanOrEqual(0.5 * 10 ** -d * (1 + 1e-9));
        expect(s.split('.')[1]?.length ?? 0).toBe(d);
      }),
      { numRuns: 500 },
    );
  });
});
