// Loading this package watches the backend registry (once per process): each backend gets the
// row-copy gatherRows when its declared memory allows, and the fast bodies while they are on.
import { watchBackends, setKernelOverride, GATHER_ROWS } from '@neurona/tensor/kernel-api';
import { applyFastKernels } from './fast-kernels';
import { gatherRowsBody } from './row-copy';
import { state, isRawMemory } from './state';

const s = state();
if (!s.watching) {
  s.watching = true;
  watchBackends((name, capabilities) => {
    const { memory } = capabilities;
    s.backends.set(name, memory);
    setKernelOverride(GATHER_ROWS, name, isRawMemory(memory) ? gatherRowsBody(name, memory) : null);
    applyFastKernels(name, memory);
  });
}
