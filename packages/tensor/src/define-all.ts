// The kernels that ops define on first use (see `once` in kernel-util.ts), defined now: a kernel
// package may give any of them a faster body (`setKernelOverride`) before its op first runs.
import { defineBatchNormKernels } from './batch-norm';
import { defineEmbeddingKernels } from './embedding-lookup';
import { defineRecurrentKernels } from './recurrent';

defineBatchNormKernels();
defineEmbeddingKernels();
defineRecurrentKernels();
