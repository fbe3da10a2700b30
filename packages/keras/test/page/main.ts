// The browser test page: fetches a .keras file's bytes, loads the model from the ArrayBuffer
// (and from a File, as an <input type=file> gives it), predicts on the cpu backend and puts the
// outcome on window.kerasResult for the Chromium test (chromium.test.ts).
import { useWebBackend } from '@neurona/backend-web';
import { tensor, type Tensor } from '@neurona/tensor';
import { loadKerasModel } from '../../src/index';

interface Case {
  shape: number[];
  input: number[];
}

async function main(): Promise<{ ok: boolean; error?: string; fromBuffer?: number[]; fromFile?: number[]; fromUrl?: number[] }> {
  try {
    await useWebBackend({ force: 'cpu' });
    const c = (await (await fetch('./case.json')).json()) as Case;
    const buffer = await (await fetch('./model.keras')).arrayBuffer();
    const predict = async (source: ArrayBuffer | File | string): Promise<number[]> => {
      const model = await loadKerasModel(source);
      const x = tensor(c.input, c.shape, model.inputs[0].dtype === 'int32' ? 'int32' : 'float32');
      const y = model.predict(x) as Tensor;
      const out = Array.from(await y.data());
      x.dispose();
      y.dispose();
      model.dispose();
      return out;
    };
    return {
      ok: true,
      fromBuffer: await predict(buffer),
      fromFile: await predict(new File([buffer], 'model.keras')),
      fromUrl: await predict(new URL('./model.keras', location.href).href),
    };
  } catch (err) {
    return { ok: false, error: `${(err as Error).message}\n${(err as Error).stack ?? ''}` };
  }
}

void main().then((r) => {
  (window as unknown as { kerasResult: unknown }).kerasResult = r;
});
