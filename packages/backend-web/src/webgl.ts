import type { BackendProvider } from '@neurona/tensor';
import { isSoftwareRenderer } from '@neurona/backend-core';

/** What the browser's WebGL reports about the GPU behind it. */
export interface WebGLSummary {
  version: 1 | 2;
  vendor: string;
  renderer: string;
  software: boolean;
}

const UNMASKED_VENDOR = 0x9245;
const UNMASKED_RENDERER = 0x9246;

/** Open a throwaway WebGL context and read its renderer; throws when WebGL is unavailable. */
export function probeWebGL(): WebGLSummary {
  const canvas: { getContext(kind: string): unknown } =
    typeof OffscreenCanvas !== 'undefined'
      ? new OffscreenCanvas(1, 1)
      : typeof document !== 'undefined'
        ? document.createElement('canvas')
        : (() => {
            throw new Error('no canvas to create a WebGL context on');
          })();
  let version: 1 | 2 = 2;
  let gl = canvas.getContext('webgl2') as WebGLRenderingContext | null;
  if (!gl) {
    version = 1;
    gl = canvas.getContext('webgl') as WebGLRenderingContext | null;
  }
  if (!gl) throw new Error('WebGL is unavailable (no webgl2 or webgl context)');
  // The debug extension gives the real GPU name; without it RENDERER is often just "WebKit WebGL"
  const dbg = gl.getExtension('WEBGL_debug_renderer_info');
  const vendor = String(gl.getParameter(dbg ? UNMASKED_VENDOR : gl.VENDOR) ?? '');
  const renderer = String(gl.getParameter(dbg ? UNMASKED_RENDERER : gl.RENDERER) ?? '');
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { version, vendor, renderer, software: isSoftwareRenderer(`${vendor} ${renderer}`) };
}

/** Throws unless WebGL runs on a hardware GPU. */
export function requireHardwareWebGL(): void {
  const s = probeWebGL();
  if (s.software) throw new Error(`only a software renderer, ${s.renderer}; force it with { force: 'webgl' }`);
}

/** tfjs-backend-webgl on whatever renderer the browser has. */
export const webglProvider: BackendProvider = {
  name: 'webgl',
  kind: 'gpu',
  capabilities: { memory: 'device', syncRead: true, gpu: true },
  load: async () => {
    const summary = probeWebGL();
    await import('@tensorflow/tfjs-backend-webgl');
    return { ...summary };
  },
};
