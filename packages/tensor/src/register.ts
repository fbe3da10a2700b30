// tfjs-core registers no gradients and no chained ops (`t.argMax()`) by itself, and ships them
// only as extension-less ESM that Node cannot load. The build (build/tfjs-core-plugin.ts)
// bundles these two registration modules against the one shared tfjs-core instance, so every
// package that imports @neurona/tensor, ESM or CJS, can train and chain.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import './boolean-grads';
