// Keras 3's to_snake_case: the one copy is in @neurona/common.
export { toSnakeCase } from '@neurona/common';
