// Gzipped size of each built page's JavaScript (every dist/assets/*.js, level 9, as Vite reports):
// `node size.mjs <dist> [<dist> ...]`. The .wasm binaries and the MNIST data are listed apart:
// they are the same files in both pages.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const dist of process.argv.slice(2)) {
  const dir = join(dist, 'assets');
  const files = readdirSync(dir).toSorted();
  const sizes = (ext) =>
    files.filter((f) => f.endsWith(ext)).map((f) => {
      const raw = readFileSync(join(dir, f));
      return { f, raw: raw.length, gz: gzipSync(raw, { level: 9 }).length };
    });
  const js = sizes('.js');
  const total = js.reduce((s, x) => s + x.gz, 0);
  console.log(`${dist}: JavaScript ${kb(js.reduce((s, x) => s + x.raw, 0))} minified, ${kb(total)} gzipped in ${js.length} files`);
  for (const x of js.toSorted((a, b) => b.gz - a.gz)) console.log(`  ${x.f.padEnd(32)} ${kb(x.raw).padStart(10)} ${kb(x.gz).padStart(10)} gz`);
  const wasm = sizes('.wasm');
  console.log(`  (.wasm: ${wasm.length} files, ${kb(wasm.reduce((s, x) => s + x.gz, 0))} gzipped; not counted)`);
}
