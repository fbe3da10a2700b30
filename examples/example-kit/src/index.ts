export { readFlags, wholeNumber, positiveInt, positiveNumber, outDirOf } from './flags';
export type { FlagTable } from './flags';
export { captureOutput } from './capture-output';
export { REPORT_LAYOUT } from './report-layout';
