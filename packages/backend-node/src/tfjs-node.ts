import * as tfc from '@tensorflow/tfjs-core';
import type { BackendProvider } from '@neurona/tensor';
import { resolveOptional, requireFile } from './resolve';

/** The two optional native packages; both register the tfjs backend named `tensorflow`. */
export type TfjsNodePackage = '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu';

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim())?.trim() ?? s;
}

/**
 * Load a tfjs-node package if it is installed and its native addon loads (the addon needs
 * libtensorflow, which its install script downloads and which is often missing).
 */
export function loadTfjsNode(pkg: TfjsNodePackage): Record<string, unknown> {
  const path = resolveOptional(pkg);
  if (!path) throw new Error(`not installed (optional peer dependency ${pkg})`);
  try {
    requireFile(path);
  } catch (err) {
    throw new Error(`installed but its native addon does not load: ${firstLine((err as Error).message)}`, { cause: err });
  }
  // tfjs-node registers on the tfjs-core copy it sees; a second copy would make it invisible here
  if (!tfc.findBackendFactory('tensorflow')) {
    throw new Error(`${pkg} loaded but registered on another copy of @tensorflow/tfjs-core (install version ${tfc.version_core})`);
  }
  return { package: pkg, path };
}

/**
 * The provider for the `tensorflow` tfjs backend from the given package (`gpu` kind for -gpu).
 * Its tensors live in libtensorflow (on the GPU for -gpu), out of JavaScript's reach.
 */
export function tfjsNodeProvider(pkg: TfjsNodePackage): BackendProvider {
  const gpu = pkg.endsWith('-gpu');
  return {
    name: 'tensorflow',
    kind: gpu ? 'gpu' : 'cpu',
    capabilities: { memory: gpu ? 'device' : 'opaque', syncRead: true, gpu },
    load: async () => loadTfjsNode(pkg),
  };
}
