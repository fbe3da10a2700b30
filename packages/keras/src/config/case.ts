// Spelling between Keras's JSON (snake_case keys, Python class names) and neurona's configs
// (camelCase keys). The generic rules cover every option both libraries share; the per-class
// tables (layer-table.ts) hold the exceptions.

/** Keras's `naming.to_snake_case`: `LeakyReLU` → `leaky_re_lu`, `InputLayer` → `input_layer`. */
export function kerasSnakeCase(name: string): string {
  const clean = name.replace(/\W+/g, '');
  return clean
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** An option key, Keras to neurona: `use_bias` → `useBias`, `beta_1` → `beta1`. */
export function toCamel(key: string): string {
  if (!key.includes('_')) return key;
  return key.replace(/_+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** An option key, neurona to Keras: `useBias` → `use_bias`, `batchInputShape` → `batch_input_shape`. */
export function toSnake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}
