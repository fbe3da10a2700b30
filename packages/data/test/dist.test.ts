// The built package loads in plain Node as ESM and CommonJS (node:* imports and all), and the
// browser build imports nothing from Node.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('the built package', () => {
  it.each(['module', 'commonjs'])('runs a CSV → batch pipeline as %s', (inputType) => {
    const file = join(root, 'dist', inputType === 'module' ? 'index.js' : 'index.cjs');
    const body = `
      await useNodeBackend({ force: 'cpu', silent: true });
      const [b] = await D.csv('a,b\\n1,2\\n3,4\\n', { labelColumns: ['b'], features: 'array' }).batch(2).toArray();
      console.log(JSON.stringify({ x: b.x.arraySync(), y: b.y.arraySync(), size: D.idx(${JSON.stringify(join(root, 'test', 'fixtures', 'images.idx.gz'))}).size }));
    `;
    const script =
      inputType === 'module'
        ? `import * as D from ${JSON.stringify(file)}; import { useNodeBackend } from '@neurona/backend-node'; ${body}`
        : `const D = require(${JSON.stringify(file)}); const { useNodeBackend } = require('@neurona/backend-node'); (async () => { ${body} })();`;
    const r = spawnSync(process.execPath, [`--input-type=${inputType}`, '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}')).toEqual({ x: [[1], [3]], y: [2, 4], size: 100 });
  });

  it('the browser build has no node: imports', () => {
    for (const f of ['browser.js', 'browser.cjs']) {
      const src = readFileSync(join(root, 'dist', f), 'utf8');
      expect(src).not.toMatch(/from ["'](node:)?(fs|zlib|path|stream|url|fs\/promises)["']|require\(["'](node:)?(fs|zlib|path|stream|url)["']\)/);
    }
  });
});
