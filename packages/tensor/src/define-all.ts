// The kernels that ops define on first use (see `once` in kernel-util.ts), defined now: a kernel
// package may give any of them a faster body (`setKernelOverride`) before its op first runs.
import { defineBatchNormKernels } from './batch-norm';
import { defineConvKernels } from './conv';
import { defineEmbeddingKernels } from './embedding-lookup';
import { definePoolKernels } from './pool';
import { defineRecurrentKernels } from './recurrent';

defineBatchNormKernels();
defineConvKernels();
defineEmbeddingKernels();
definePoolKernels();
defineRecurrentKernels();
