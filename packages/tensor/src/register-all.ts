// tfjs-core's gradient and chained-op registrations (every op's gradient, `t.argMax()` and the
// other methods), built as a file of their own (dist/register-all.js / .cjs) that the package's
// entries import. Node users get all of them at import, as before; a page bundler can put a
// smaller module in its place that registers only what the page's models use
// (`tensorRegistrations` of @neurona/backend-web/vite-plugin).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
