export { describeValue, describeData } from './describe';
export { callableBase } from './callable';
export { formatShape } from './shape';
export { toSnakeCase, toCamelCase, looseName } from './names';
export { checkOptions, checkOptionTypes, suggestOption, type OptionKind } from './options';
export { Registry, createRegistry, DEFAULT_PACKAGE } from './registry';
export type { RegisterOptions, RegistryOptions } from './registry';
export { createLazyRegistry } from './lazy-registry';
export type { LazyBuiltin, LazyRegistry, LazyRegistryOptions } from './lazy-registry';
