// plotModel: Keras's plot_model as an SVG string. Checked on the picture's geometry (a box per
// layer, no two boxes overlapping, each arrow from its source's edge to its target's), its text
// (names, classes, the shapes summary() prints) and that it is well-formed XML.
import { describe, expect, it } from 'vitest';
import { memory } from '@neurona/tensor';
import { Concatenate, Dense, Dropout, Flatten, Input, InputLayer } from '@neurona/layers';
import { Sequential } from '../src/sequential';
import { Model } from '../src/functional';
import { plotModel } from '../src/plot-model';

interface Rect {
  name: string;
  cls: string;
  x: number;
  y: number;
  w: number;
  h: number;
  text: string[];
}

function boxes(svg: string): Map<string, Rect> {
  const out = new Map<string, Rect>();
  const re = /<g class="layer" data-name="([^"]*)" data-class="([^"]*)">\n<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"[^>]*\/>\n((?:<text[^>]*>[^<]*<\/text>\n)+)<\/g>/g;
  for (const m of svg.matchAll(re)) {
    const text = [...m[7].matchAll(/>([^<]*)<\/text>/g)].map((t) => t[1]);
    out.set(m[1], { name: m[1], cls: m[2], x: +m[3], y: +m[4], w: +m[5], h: +m[6], text });
  }
  return out;
}

function edges(svg: string): { from: string; to: string; pts: number[] }[] {
  return [...svg.matchAll(/<path class="edge" data-from="([^"]*)" data-to="([^"]*)" d="M([\d.]+),([\d.]+) C[\d.,\s]+? ([\d.]+),([\d.]+)"/g)].map((m) => ({
    from: m[1],
    to: m[2],
    pts: [+m[3], +m[4], +m[5], +m[6]],
  }));
}

/** Every opened tag is closed, in order; attributes are quoted. */
function wellFormed(xml: string): boolean {
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([a-zA-Z]+)((?:\s+[a-zA-Z-:]+="[^"<]*")*)\s*(\/?)>/g)) {
    if (m[1]) {
      if (stack.pop() !== m[2]) return false;
    } else if (!m[4]) stack.push(m[2]);
  }
  const stripped = xml.replace(/<(\/?)([a-zA-Z]+)((?:\s+[a-zA-Z-:]+="[^"<]*")*)\s*(\/?)>/g, '');
  return stack.length === 0 && !/[<>]/.test(stripped);
}

const overlap = (a: Rect, b: Rect): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function branching() {
  const a = Input({ shape: [4], name: 'a' });
  const b = Input({ shape: [3], name: 'b' });
  const ha = Dense(8, { activation: 'relu', name: 'ha' })(a);
  const hb = Dense(8, { activation: 'relu', name: 'hb' })(b);
  const h = Concatenate({ name: 'merge' })([ha, hb]);
  const cls = Dense(3, { activation: 'softmax', name: 'cls' })(h);
  const reg = Dense(1, { name: 'reg' })(h);
  return Model({ inputs: [a, b], outputs: [cls, reg], name: 'two_by_two' });
}

describe('plotModel', () => {
  it('draws a Sequential model as a column of boxes with the shapes summary() prints', () => {
    const model = Sequential([InputLayer({ shape: [28, 28], name: 'pixels' }), Flatten({ name: 'flat' }), Dense(10, { activation: 'softmax', name: 'out' })]);
    const svg = plotModel(model);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(wellFormed(svg)).toBe(true);
    const b = boxes(svg);
    expect([...b.keys()]).toEqual(['pixels', 'flat', 'out']);
    expect(b.get('pixels')?.text).toEqual(['pixels (InputLayer)', 'Output shape: (None, 28, 28)']);
    expect(b.get('flat')?.text).toEqual(['flat (Flatten)', 'Input shape: (None, 28, 28)', 'Output shape: (None, 784)']);
    expect(b.get('out')?.text).toEqual(['out (Dense)', 'Input shape: (None, 784)', 'Output shape: (None, 10)']);
    // the same shapes as the summary table
    const summary = model.summary({ printFn: () => {} });
    expect(summary).toContain('(None, 784)');
    const [p, f, o] = ['pixels', 'flat', 'out'].map((k) => b.get(k) as Rect);
    expect(p.y + p.h).toBeLessThan(f.y);
    expect(f.y + f.h).toBeLessThan(o.y);
    expect(edges(svg).map((e) => `${e.from}>${e.to}`)).toEqual(['pixels>flat', 'flat>out']);
  });

  it('lays out a branching functional model by depth, boxes apart, arrows from edge to edge', () => {
    const svg = plotModel(branching());
    expect(wellFormed(svg)).toBe(true);
    const b = boxes(svg);
    expect(b.size).toBe(7);
    const rows = (names: string[]) => new Set(names.map((k) => b.get(k)?.y));
    // same depth, same row: inputs; the two hidden layers; the two heads
    expect(rows(['a', 'b']).size).toBe(1);
    expect(rows(['ha', 'hb']).size).toBe(1);
    expect(rows(['cls', 'reg']).size).toBe(1);
    const y = (k: string) => b.get(k)?.y as number;
    expect(y('a')).toBeLessThan(y('ha'));
    expect(y('ha')).toBeLessThan(y('merge'));
    expect(y('merge')).toBeLessThan(y('cls'));
    const all = [...b.values()];
    for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) expect(overlap(all[i], all[j]), `${all[i].name} / ${all[j].name}`).toBe(false);
    const es = edges(svg);
    expect(es).toHaveLength(6);
    expect(new Set(es.map((e) => `${e.from}>${e.to}`))).toEqual(new Set(['a>ha', 'b>hb', 'ha>merge', 'hb>merge', 'merge>cls', 'merge>reg']));
    for (const e of es) {
      const [s, t] = [b.get(e.from) as Rect, b.get(e.to) as Rect];
      expect(e.pts[0]).toBeCloseTo(s.x + s.w / 2, 0);
      expect(e.pts[1]).toBeCloseTo(s.y + s.h, 0);
      expect(e.pts[2]).toBeCloseTo(t.x + t.w / 2, 0);
      expect(e.pts[3]).toBeCloseTo(t.y, 0);
    }
    expect(b.get('merge')?.text).toEqual(['merge (Concatenate)', 'Input shape: [(None, 8), (None, 8)]', 'Output shape: (None, 16)']);
    // every box fits inside the picture
    const [, w, h] = /width="([\d.]+)" height="([\d.]+)"/.exec(svg) ?? [];
    for (const r of all) {
      expect(r.x + r.w).toBeLessThanOrEqual(+w);
      expect(r.y + r.h).toBeLessThanOrEqual(+h);
    }
  });

  it('draws left to right with rankdir LR, and shows activations and trainability on request', () => {
    const model = Sequential([InputLayer({ shape: [3], name: 'x' }), Dense(4, { activation: 'relu', name: 'h' }), Dropout(0.5, { name: 'drop' })]);
    model.layers[0].trainable = false;
    const svg = plotModel(model, { rankdir: 'LR', showLayerActivations: true, showTrainable: true, showShapes: false, showLayerNames: false });
    const b = boxes(svg);
    expect(b.get('h')?.text).toEqual(['Dense', 'Activation: relu', 'Trainable: False']);
    expect(b.get('drop')?.text).toEqual(['Dropout', 'Trainable: True']);
    const [x, h, d] = ['x', 'h', 'drop'].map((k) => b.get(k) as Rect);
    expect(x.x + x.w).toBeLessThan(h.x);
    expect(h.x + h.w).toBeLessThan(d.x);
    expect(edges(svg)[0].pts[1]).toBeCloseTo(x.y + x.h / 2, 0);
  });

  it('escapes names for XML', () => {
    const model = Sequential([InputLayer({ shape: [2], name: 'in' }), Dense(1, { name: 'a<b>&"c"' })]);
    const svg = plotModel(model);
    expect(wellFormed(svg)).toBe(true);
    expect(svg).toContain('a&lt;b&gt;&amp;&quot;c&quot; (Dense)');
  });

  it('says what is wrong with an unbuilt model or bad options, and allocates no tensors', () => {
    const before = memory().numTensors;
    expect(() => plotModel(Sequential([Dense(2)]))).toThrow(/plotModel: model "sequential\S*" is not built yet/);
    const model = Sequential([InputLayer({ shape: [2] }), Dense(1)]);
    expect(() => plotModel(model, { showShape: true } as never)).toThrow(/plotModel: unknown option "showShape" \(did you mean "showShapes"\?\)/);
    expect(() => plotModel(model, { rankdir: 'BT' as never })).toThrow("plotModel: rankdir must be 'TB' or 'LR', got \"BT\"");
    expect(() => plotModel(model, { showShapes: 1 as never })).toThrow('plotModel: showShapes must be a boolean, got 1');
    plotModel(model);
    model.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
