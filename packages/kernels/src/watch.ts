// Loading this package watches the backend registry (once per process): each backend gets the
// row-copy gatherRows and embedding lookup when its declared memory allows, and the fast bodies while they are on.
import { watchBackends, setKernelOverride, GATHER_ROWS, EMBEDDING } from '@neurona/tensor/kernel-api';
import { applyFastKernels } from './fast-kernels';
import { gatherRowsBody } from './row-copy';
import { embeddingBody } from './embedding-kernels';
import { state, isRawMemory } from './state';

const s = state();
if (!s.watching) {
  s.watching = true;
  watchBackends((name, capabilities) => {
    const { memory } = capabilities;
    s.backends.set(name, memory);
    setKernelOverride(GATHER_ROWS, name, isRawMemory(memory) ? gatherRowsBody(name, memory) : null);
    setKernelOverride(EMBEDDING, name, isRawMemory(memory) ? embeddingBody(name, memory) : null);
    applyFastKernels(name, memory);
  });
}
