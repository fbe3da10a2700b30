import { registerBackendProvider, setBackend, type BackendInfo, type BackendProvider } from '@neurona/tensor';

/**
 * Register `provider` and make it the current backend (what both backend packages do for each
 * candidate). tfjs reports a backend that fails to initialize only through console.warn, so
 * those lines are captured into the thrown reason (and printed as usual when it does start).
 */
export async function startBackendProvider(provider: BackendProvider): Promise<BackendInfo> {
  registerBackendProvider(provider);
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
  };
  let info: BackendInfo;
  try {
    info = await setBackend(provider.name);
  } catch (err) {
    const detail = warnings.filter((w) => !w.startsWith('Initialization of backend')).join(' ').split('\n')[0];
    throw new Error(`${(err as Error).message}${detail ? `: ${detail}` : ''}`, { cause: err });
  } finally {
    console.warn = warn;
  }
  for (const w of warnings) console.warn(w);
  return info;
}
