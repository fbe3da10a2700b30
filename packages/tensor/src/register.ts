// tfjs-core registers no gradients and no chained ops (`t.argMax()`) by itself, and ships them
// only as extension-less ESM that Node cannot load. The build (build/tfjs-core-plugin.ts)
// bundles these registrations against the one shared tfjs-core instance, so every package that
// imports @neurona/tensor, ESM or CJS, can train and chain. They live in their own built file
// (./register-all, kept out of the entries' bundle by build/register-all-external.ts) so that a
// page can replace them with the few its models use; the zero gradients below check what it
// registered, so they come after it.
import './register-all';
import './boolean-grads';
