/**
 * Keras 3's snake_case of a class or option name (`keras.src.utils.naming.to_snake_case`):
 * `Dense` → `dense`, `Conv2D` → `conv2d`, `LSTM` → `lstm`, `MultiHeadAttention` →
 * `multi_head_attention`, `LeakyReLU` → `leaky_re_lu`, `useBias` → `use_bias`.
 */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** camelCase of a snake_case name: `use_bias` → `useBias`, `batch_input_shape` → `batchInputShape`. */
export function toCamelCase(name: string): string {
  return name.replace(/_([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** How lenient lookups compare names: case, `_`, `-` and spaces ignored (`leakyRelu` = `leaky_relu`). */
export function looseName(name: string): string {
  return name.toLowerCase().replace(/[_\-\s]/g, '');
}
