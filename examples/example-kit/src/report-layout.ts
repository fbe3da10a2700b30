/**
 * scikit-learn's classification_report layout for the ten digit classes, for the tests of the
 * programs that print one.
 */
export const REPORT_LAYOUT = new RegExp(
  [
    '^ {14}precision {4}recall  f1-score   support\\n\\n',
    ...Array.from({ length: 10 }, (_, c) => ` {11}${c} {7}\\d\\.\\d\\d( {6}\\d\\.\\d\\d){2} +\\d+\\n`),
    '\\n {4}accuracy {27}\\d\\.\\d\\d +\\d+\\n',
    ' {3}macro avg {7}\\d\\.\\d\\d( {6}\\d\\.\\d\\d){2} +\\d+\\n',
    'weighted avg {7}\\d\\.\\d\\d( {6}\\d\\.\\d\\d){2} +\\d+\\n$',
  ].join(''),
);
