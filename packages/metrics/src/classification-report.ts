import { checkOptions } from '@neurona/common';
import {
  eventually,
  labelPair,
  readPairAsync,
  uniqueLabels,
  type Eventually,
  type Label,
  type LabelsInput,
  type LabelsLike,
} from './labels';
import { prfs, type ZeroDivision } from './precision-recall-fscore';
import { formatFixed, npSum, padLeft, pyLen } from './python-format';
import { warnOnce } from './warnings';

/** Options of `classificationReport`, as scikit-learn's `classification_report`. */
export interface ClassificationReportOptions {
  /** The classes to report, in this order (default: every class in yTrue or yPred, sorted). */
  labels?: readonly Label[];
  /** Display names for the labels, in the same order. */
  targetNames?: readonly string[];
  /** Decimal places of the scores; default 2. */
  digits?: number;
  /** Return scikit-learn's dict shape instead of the text. */
  outputDict?: boolean;
  /** What 0/0 gives: `'warn'` (0 and a warning, the default), 0 or 1. */
  zeroDivision?: ZeroDivision;
}

const REPORT_OPTIONS = ['labels', 'targetNames', 'digits', 'outputDict', 'zeroDivision'];

/** One row of the dict form. */
export interface ReportRow {
  precision: number;
  recall: number;
  'f1-score': number;
  support: number;
}

/**
 * scikit-learn's `output_dict` shape: one `ReportRow` per target name, then `accuracy` (a number)
 * or `'micro avg'` (a row), then `'macro avg'` and `'weighted avg'`.
 */
export type ClassificationReportDict = Record<string, ReportRow | number>;

/**
 * The text report of scikit-learn's `classification_report`, character for character (column
 * widths, Python's round-half-even, blank lines, `accuracy` / `macro avg` / `weighted avg` rows),
 * or its dict with `outputDict: true`. Takes integer tensors (`yTest.argMax(1)`) or arrays.
 * Classes never predicted (or never present) score 0 with an `UndefinedMetricWarning` on the console.
 * Given promises of labels (`yTest.argMax(1).data()`) it returns a promise; on a backend without
 * synchronous reads (WebGPU in Node) pass those, or use `classificationReportAsync`.
 *
 * `console.log(classificationReport(yTest.argMax(1), predictions.argMax(1), { targetNames }))`
 */
export function classificationReport<A extends LabelsInput, B extends LabelsInput>(
  yTrue: A,
  yPred: B,
  options: ClassificationReportOptions & { outputDict: true },
): Eventually<A, B, ClassificationReportDict>;
export function classificationReport<A extends LabelsInput, B extends LabelsInput>(
  yTrue: A,
  yPred: B,
  options?: ClassificationReportOptions & { outputDict?: false },
): Eventually<A, B, string>;
export function classificationReport<A extends LabelsInput, B extends LabelsInput>(
  yTrue: A,
  yPred: B,
  options?: ClassificationReportOptions,
): Eventually<A, B, string | ClassificationReportDict>;
export function classificationReport(yTrue: LabelsInput, yPred: LabelsInput, options: ClassificationReportOptions = {}): unknown {
  checkOptions('classificationReport', options, REPORT_OPTIONS);
  return eventually('classificationReport', yTrue, yPred, (t, p) => buildReport('classificationReport', t, p, options));
}

/**
 * `classificationReport` reading tensors with `await tensor.data()`: works on backends without
 * synchronous reads (WebGPU in Node).
 * `console.log(await classificationReportAsync(yTest.argMax(1), predictions.argMax(1)))`
 */
export async function classificationReportAsync(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: ClassificationReportOptions & { outputDict: true },
): Promise<ClassificationReportDict>;
export async function classificationReportAsync(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options?: ClassificationReportOptions & { outputDict?: false },
): Promise<string>;
export async function classificationReportAsync(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options?: ClassificationReportOptions,
): Promise<string | ClassificationReportDict>;
export async function classificationReportAsync(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: ClassificationReportOptions = {},
): Promise<string | ClassificationReportDict> {
  checkOptions('classificationReportAsync', options, REPORT_OPTIONS);
  const [t, p] = await readPairAsync('classificationReportAsync', yTrue, yPred);
  return buildReport('classificationReportAsync', t, p, options);
}

function buildReport(where: string, yTrue: LabelsLike, yPred: LabelsLike, options: ClassificationReportOptions): string | ClassificationReportDict {
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0) throw new Error(`${where}: digits must be an integer >= 0, got ${digits}`);
  const [t, p] = labelPair(where, yTrue, yPred);
  const present = uniqueLabels(where, t, p);
  const labelsGiven = options.labels !== undefined;
  const labels: Label[] = labelsGiven ? [...(options.labels as readonly Label[])] : present;

  // the first row is "accuracy" only when the micro average over the reported labels equals it
  const microIsAccuracy =
    !labelsGiven || (new Set(labels).size === present.length && present.every((l) => labels.includes(l)));

  let names: string[];
  if (options.targetNames !== undefined) {
    names = options.targetNames.map(String);
    if (names.length !== labels.length) {
      if (labelsGiven) {
        warnOnce('UserWarning', `labels size, ${labels.length}, does not match size of target_names, ${names.length}`);
      } else {
        throw new Error(
          `${where}: number of classes, ${labels.length}, does not match size of targetNames, ${names.length}. ` +
            `Try specifying the labels option`,
        );
      }
    }
  } else {
    names = labels.map(String);
  }

  const seen = new Set<string>();
  const common = { labels, zeroDivision: options.zeroDivision, seen };
  const per = prfs(where, t, p, { ...common, average: null });
  const prec = per.precision as number[];
  const rec = per.recall as number[];
  const f1 = per.fbetaScore as number[];
  const support = per.support as number[];
  const rows = Math.min(names.length, labels.length);
  const total = npSum(support);
  // scikit-learn quirk: when no sample at all is predicted right, its counts come out as floats and
  // the support column prints "2.0"
  const floatCounts = !t.some((v, i) => v === p[i]);
  const count = (n: number) => (floatCounts && Number.isInteger(n) ? `${n}.0` : String(n));

  const averages: { heading: string; p: number; r: number; f: number }[] = [];
  for (const average of ['micro', 'macro', 'weighted'] as const) {
    const heading = average === 'micro' && microIsAccuracy ? 'accuracy' : `${average} avg`;
    const a = prfs(where, t, p, { ...common, average });
    averages.push({ heading, p: a.precision as number, r: a.recall as number, f: a.fbetaScore as number });
  }

  if (options.outputDict) {
    const dict: ClassificationReportDict = {};
    for (let i = 0; i < rows; i++) {
      dict[names[i]] = { precision: prec[i], recall: rec[i], 'f1-score': f1[i], support: support[i] };
    }
    for (const a of averages) {
      dict[a.heading] =
        a.heading === 'accuracy' ? a.p : { precision: a.p, recall: a.r, 'f1-score': a.f, support: total };
    }
    return dict;
  }

  const width = Math.max(Math.max(...names.map(pyLen)), 'weighted avg'.length, digits);
  const num = (x: number) => padLeft(formatFixed(x, digits), 9);
  const line = (name: string, a: number, b: number, c: number, s: number) =>
    `${padLeft(name, width)}  ${num(a)} ${num(b)} ${num(c)} ${padLeft(count(s), 9)}\n`;
  let report = `${padLeft('', width)}  ${['precision', 'recall', 'f1-score', 'support'].map((h) => padLeft(h, 9)).join(' ')}`;
  report += '\n\n';
  for (let i = 0; i < rows; i++) report += line(names[i], prec[i], rec[i], f1[i], support[i]);
  report += '\n';
  for (const a of averages) {
    report +=
      a.heading === 'accuracy'
        ? `${padLeft('accuracy', width)}  ${padLeft('', 9)} ${padLeft('', 9)} ${num(a.f)} ${padLeft(count(total), 9)}\n`
        : line(a.heading, a.p, a.r, a.f, total);
  }
  return report;
}
