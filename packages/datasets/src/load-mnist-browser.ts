import type { EmbeddedMnistOptions, MnistData, MnistDirOptions, MnistSplits, MnistUrlOptions } from './types';

/**
 * The browser build of `loadMnist`: reading files needs Node.js, so it explains what to do instead.
 * In a browser, fetch the static asset `@neurona/datasets/mnist-10k.bin` and call `mnistFromBinary`.
 */
export function loadMnist(options?: EmbeddedMnistOptions): Promise<MnistData>;
export function loadMnist(options: MnistDirOptions | MnistUrlOptions): Promise<MnistSplits>;
export function loadMnist(options?: EmbeddedMnistOptions | MnistDirOptions | MnistUrlOptions): Promise<MnistData | MnistSplits>;
export async function loadMnist(): Promise<MnistData | MnistSplits> {
  throw new Error(
    'loadMnist reads files and needs Node.js; in the browser, fetch the asset @neurona/datasets/mnist-10k.bin ' +
      '(e.g. import binUrl from "@neurona/datasets/mnist-10k.bin?url" in Vite) and call mnistFromBinary(await (await fetch(binUrl)).arrayBuffer())',
  );
}
