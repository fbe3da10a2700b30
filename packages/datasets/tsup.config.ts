import { pathToFileURL } from 'node:url';
import { defineConfig } from 'tsup';

export default defineConfig({
  // index: Node (loaders that read files); browser: what a web page can use (package.json "exports").
  entry: ['src/index.ts', 'src/browser.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // import.meta.url in the CJS build (the embedded binary is found relative to the package)
  shims: true,
  // The embedded digits as one compact binary (dist/mnist-10k.bin), written by the just-built code
  // from the `mnist` package: the fast path of loadMnist() and the web page's static asset.
  async onSuccess() {
    const { writeMnistBinary } = (await import(pathToFileURL(`${process.cwd()}/dist/index.js`).href)) as typeof import('./src/index');
    const { bytes, count } = await writeMnistBinary('dist/mnist-10k.bin');
    console.log(`dist/mnist-10k.bin: ${count} digits, ${bytes} bytes`);
  },
});
