// How both backend packages judge a WebGPU adapter (or a WebGL renderer): hardware or software.
/** The parts of a WebGPU adapter's info worth logging and deciding on. */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
}

interface AdapterLike {
  info?: Partial<Record<keyof AdapterSummary, unknown>>;
  isFallbackAdapter?: boolean;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Read an adapter's info (older Dawn builds keep `isFallbackAdapter` on the adapter itself). */
export function summarizeAdapter(adapter: AdapterLike): AdapterSummary {
  const i = adapter.info ?? {};
  return {
    vendor: str(i.vendor),
    architecture: str(i.architecture),
    device: str(i.device),
    description: str(i.description),
    isFallbackAdapter: i.isFallbackAdapter === true || adapter.isFallbackAdapter === true,
  };
}

// Software rasterizers behind Vulkan/WebGPU/WebGL: slower than the wasm backend for training.
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i;

/** True when a GPU's vendor/renderer text names a software rasterizer (SwiftShader, llvmpipe, ...). */
export function isSoftwareRenderer(text: string): boolean {
  return SOFTWARE.test(text);
}

/** True for CPU-emulated adapters (SwiftShader, lavapipe, ...), which are used only when forced. */
export function isSoftwareAdapter(a: AdapterSummary): boolean {
  return a.isFallbackAdapter || isSoftwareRenderer(`${a.vendor} ${a.architecture} ${a.device} ${a.description}`);
}

/** `google swiftshader (SwiftShader driver 5.0.0)`, `nvidia nvidia-h200 (NVIDIA: 580.159.04 ...)` */
export function adapterLabel(a: AdapterSummary): string {
  // NVIDIA's Vulkan driver leaves `architecture` empty and names the card in `device`
  const name = [a.vendor, a.architecture || a.device].filter(Boolean).join(' ') || 'unknown adapter';
  return a.description ? `${name} (${a.description})` : name;
}
