import { describe, expect, it } from 'vitest';
import { historyToSvg } from '../src/history-svg';

/**
 * A small XML well-formedness check (no DOMParser in Node): balanced, properly nested tags,
 * quoted attributes without raw `<`, and only the five predefined or numeric entities.
 * Returns the element names in document order.
 */
function checkXml(xml: string): string[] {
  const names: string[] = [];
  const stack: string[] = [];
  const entity = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi;
  const checkText = (text: string, where: string) => {
    const rest = text.replace(entity, '');
    if (/[<&]/.test(rest)) throw new Error(`raw < or & in ${where}: ${text}`);
  };
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+\s*=\s*"[^"]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    checkText(text, 'text');
    if (lt < 0) break;
    if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root: ${text}`);
    tag.lastIndex = lt;
    const m = tag.exec(xml);
    if (!m) throw new Error(`malformed tag at ${lt}: ${xml.slice(lt, lt + 60)}`);
    const [, close, name, attrs, selfClose] = m;
    for (const a of attrs.matchAll(/([\w:-]+)\s*=\s*"([^"]*)"/g)) checkText(a[2], `attribute ${a[1]}`);
    const attrNames = [...attrs.matchAll(/([\w:-]+)\s*=/g)].map((a) => a[1]);
    if (new Set(attrNames).size !== attrNames.length) throw new Error(`duplicate attribute in <${name}>`);
    if (close) {
      if (stack.pop() !== name) throw new Error(`</${name}> closes the wrong element`);
    } else {
      if (stack.length === 0 && names.length > 0) throw new Error('more than one root element');
      names.push(name);
      if (!selfClose) stack.push(name);
    }
    i = tag.lastIndex;
  }
  if (stack.length) throw new Error(`unclosed <${stack.join('>, <')}>`);
  return names;
}

/** The polylines of one series, as arrays of [x, y] points. */
function polylines(svg: string, key: string): number[][][] {
  const group = new RegExp(`<g class="series" data-key="${key}"[^>]*>([\\s\\S]*?)</g>`).exec(svg);
  if (!group) throw new Error(`no series ${key}`);
  return [...group[1].matchAll(/<polyline points="([^"]*)"/g)].map((m) => m[1].split(' ').map((p) => p.split(',').map(Number)));
}

const dots = (svg: string, key: string) => {
  const group = new RegExp(`<g class="series" data-key="${key}"[^>]*>([\\s\\S]*?)</g>`).exec(svg);
  return [...(group?.[1] ?? '').matchAll(/<circle /g)].length;
};

const H = {
  history: {
    loss: [1.2, 0.8, 0.6, 0.5, 0.45],
    accuracy: [0.6, 0.75, 0.82, 0.86, 0.88],
    val_loss: [1.1, 0.85, 0.7, 0.65, 0.66],
    val_accuracy: [0.62, 0.72, 0.78, 0.8, 0.81],
  },
  epoch: [0, 1, 2, 3, 4],
};

describe('historyToSvg', () => {
  it('draws a well-formed standalone SVG with a Loss and an Accuracy panel', () => {
    const svg = historyToSvg(H);
    const names = checkXml(svg);
    expect(names[0]).toBe('svg');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="900" height="400" viewBox="0 0 900 400"/);
    expect([...svg.matchAll(/<g class="panel" data-metric="(\w+)">/g)].map((m) => m[1])).toEqual(['loss', 'accuracy']);
    expect(svg).toContain('>Training Loss and Accuracy</text>');
    expect(svg).toMatch(/class="panel-title"[^>]*>Loss</);
    expect(svg).toMatch(/class="panel-title"[^>]*>Accuracy</);
    expect(svg.match(/>Epoch #</g)).toHaveLength(2);
    expect(svg).toMatch(/class="ylabel"[^>]*>Loss</);
    expect(svg).toMatch(/class="ylabel"[^>]*>Accuracy</);
    expect(svg.match(/<g class="legend">/g)).toHaveLength(2);
    expect(svg.match(/>train</g)).toHaveLength(2);
    expect(svg.match(/>validation</g)).toHaveLength(2);
  });

  it('has one polyline per series with one point per epoch, train and validation in two colors', () => {
    const svg = historyToSvg(H);
    for (const key of Object.keys(H.history)) {
      const lines = polylines(svg, key);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toHaveLength(5);
      expect(lines[0].flat().every(Number.isFinite)).toBe(true);
    }
    // x grows with the epoch; the falling loss ends lower on screen (larger y)
    const loss = polylines(svg, 'loss')[0];
    expect(loss.every((p, i) => i === 0 || p[0] > loss[i - 1][0])).toBe(true);
    expect(loss[4][1]).toBeGreaterThan(loss[0][1]);
    expect(svg).toMatch(/data-key="loss" stroke="#1f77b4"/);
    expect(svg).toMatch(/data-key="val_loss" stroke="#ff7f0e"/);
  });

  it('labels the x axis with 1-based epochs and the y axis with round ticks', () => {
    const svg = historyToSvg(H);
    for (const e of [1, 2, 3, 4, 5]) expect(svg).toContain(`text-anchor="middle">${e}</text>`);
    expect(svg).toMatch(/text-anchor="end" dominant-baseline="middle">0\.6</);
    expect(svg).toMatch(/text-anchor="end" dominant-baseline="middle">1\.0</);
    expect(svg).toMatch(/text-anchor="end" dominant-baseline="middle">1\.2</);
  });

  it('accepts the plain record and Keras epoch indices that start later', () => {
    const svg = historyToSvg({ history: { loss: [0.5, 0.4] }, epoch: [5, 6] });
    expect(svg).toContain('>6</text>');
    expect(svg).toContain('>7</text>');
    expect(svg).not.toContain('>1</text>');
    const plain = historyToSvg({ loss: [0.5, 0.4], val_loss: [0.6, 0.5] });
    checkXml(plain);
    expect(polylines(plain, 'val_loss')[0]).toHaveLength(2);
    expect(plain).toContain('>Training Loss</text>');
  });

  it('leaves gaps for NaN and Infinity instead of failing, and says so in the legend', () => {
    const svg = historyToSvg({ loss: [1, 0.8, NaN, 0.6, 0.5, Infinity, 0.4, -Infinity], val_loss: [NaN, NaN, NaN] });
    checkXml(svg);
    expect(polylines(svg, 'loss').map((l) => l.length)).toEqual([2, 2]);
    expect(dots(svg, 'loss')).toBe(1); // 0.4 alone between two non-finite values
    expect(polylines(svg, 'val_loss')).toEqual([]);
    expect(svg).toContain('>train (3 not finite)</text>');
    expect(svg).toContain('>validation (3 not finite)</text>');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('draws a single epoch as dots', () => {
    const svg = historyToSvg({ loss: [0.7], val_loss: [0.9], accuracy: [0.5], val_accuracy: [0.4] });
    checkXml(svg);
    for (const key of ['loss', 'val_loss', 'accuracy', 'val_accuracy']) {
      expect(polylines(svg, key)).toEqual([]);
      expect(dots(svg, key)).toBe(1);
    }
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('draws every metric, escapes text and honours title, width and height', () => {
    const svg = historyToSvg(
      { loss: [3, 2], mae: [2, 1], val_mae: [2.5, 1.5], 'a<b&"c"': [1, 2] },
      { title: 'MSE <vs> "MAE" & more', width: 1200, height: 300 },
    );
    checkXml(svg);
    expect(svg).toContain('width="1200" height="300"');
    expect(svg).toContain('>MSE &lt;vs&gt; &quot;MAE&quot; &amp; more</text>');
    expect([...svg.matchAll(/<g class="panel" data-metric="([^"]+)">/g)].map((m) => m[1])).toEqual(['loss', 'mae', 'a&lt;b&amp;&quot;c&quot;']);
    expect(svg).toMatch(/class="panel-title"[^>]*>MAE</);
    expect(historyToSvg(H, { title: '' })).not.toContain('class="title"');
  });

  it('keeps tick labels readable for tiny and huge ranges', () => {
    const svg = historyToSvg({ loss: [2e6, 1e6, 5e5], accuracy: [0.9999, 0.99992, 0.99995] });
    checkXml(svg);
    expect(svg).toMatch(/>1\.0e\+6</);
    const accLabels = [...svg.split('data-metric="accuracy"')[1].matchAll(/dominant-baseline="middle">([^<]+)</g)].map((m) => m[1]);
    expect(new Set(accLabels).size).toBe(accLabels.length); // distinct labels, not 1.0 five times
  });

  it('rejects an empty history and malformed input, saying what it expected', () => {
    expect(() => historyToSvg({})).toThrow('historyToSvg: the history is empty; expected at least one series with one epoch, e.g. { loss: [0.9, 0.5] }, got {}');
    expect(() => historyToSvg({ history: { loss: [], val_loss: [] } })).toThrow('got { loss: [], val_loss: [] }');
    expect(() => historyToSvg(null as never)).toThrow('historyToSvg expects a History (what fit returns) or a record of number arrays, got null');
    expect(() => historyToSvg({ loss: 'x' } as never)).toThrow('historyToSvg: history.loss must be an array of numbers (one per epoch), got string');
    expect(() => historyToSvg({ loss: [1, '2'] } as never)).toThrow('historyToSvg: history.loss[1] must be a number, got string');
    expect(() => historyToSvg(H, { width: 0 })).toThrow('historyToSvg: width must be a number >= 100 (pixels), got 0');
  });

  it('the checker itself catches malformed XML', () => {
    expect(() => checkXml('<svg><g></svg>')).toThrow();
    expect(() => checkXml('<svg><text>a < b</text></svg>')).toThrow();
    expect(() => checkXml('<svg a="1" a="2"/>')).toThrow();
    expect(() => checkXml('<svg><text>&nbsp;</text></svg>')).toThrow();
  });
});
