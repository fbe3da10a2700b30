import { readFileSync } from 'node:fs';

/** The diabetes table: 10 features per patient, the progression score, and the fixed split. */
export interface Table {
  columns: string[];
  xTrain: number[][];
  yTrain: number[];
  xTest: number[][];
  yTest: number[];
}

/** Read `diabetes.csv` (written once by data/export_diabetes.py from scikit-learn's copy). */
export function readTable(path: string): Table {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const nFeatures = header.length - 2;
  const t: Table = { columns: header.slice(0, nFeatures), xTrain: [], yTrain: [], xTest: [], yTest: [] };
  for (const [i, line] of lines.slice(1).entries()) {
    const cells = line.split(',');
    if (cells.length !== header.length) throw new Error(`${path} line ${i + 2}: expected ${header.length} fields, found ${cells.length}`);
    const row = cells.slice(0, nFeatures).map(Number);
    const y = Number(cells[nFeatures]);
    if (row.some(Number.isNaN) || Number.isNaN(y)) throw new Error(`${path} line ${i + 2}: a value is not a number`);
    if (cells[nFeatures + 1] === 'test') {
      t.xTest.push(row);
      t.yTest.push(y);
    } else {
      t.xTrain.push(row);
      t.yTrain.push(y);
    }
  }
  return t;
}

/** Mean absolute error, root mean squared error and R² of predictions. */
export function regressionErrors(y: readonly number[], p: ArrayLike<number>): { mae: number; rmse: number; r2: number } {
  const n = y.length;
  const mean = y.reduce((a, b) => a + b, 0) / n;
  let ae = 0;
  let se = 0;
  let st = 0;
  for (let i = 0; i < n; i++) {
    ae += Math.abs(y[i] - p[i]);
    se += (y[i] - p[i]) ** 2;
    st += (y[i] - mean) ** 2;
  }
  return { mae: ae / n, rmse: Math.sqrt(se / n), r2: 1 - se / st };
}
