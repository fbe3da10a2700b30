// Picking a backend in Node: the best one the machine has, or exactly the one you name.
import { useNodeBackend, getBackendInfo, tensor2d } from 'neurona';

// the best: tfjs-node-gpu, WebGPU (Dawn), tfjs-node, wasm, cpu, in that order; prints why
const { chosen, tried } = await useNodeBackend();
for (const t of tried) console.log(`${t.name}: ${t.ok ? 'chosen' : 'skipped'}, ${t.reason}`);

// what the backend declared it can do: where its memory is, whether tensors read synchronously
console.log(chosen, getBackendInfo().capabilities);

// exactly this one, or an error saying why it cannot start (never a silent fallback)
await useNodeBackend({ force: 'cpu', silent: true });
console.log(getBackendInfo().name, tensor2d([[1, 2]]).matMul(tensor2d([[3], [4]])).dataSync());   // cpu [11]
