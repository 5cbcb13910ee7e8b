/**
 * Which table laws a CSV can feed, and the law's columns from it (the editor's *Fit Table Law…*; the CLI has its
 * own reader with --x/--y in src/cli/tableCmd.ts). Pure: header and rows in, arrays out; never throws.
 *  - downstream / sweep laws: each input column and the y column found by the law's column names;
 *  - hyperparameter laws (Step Law): the sweep's N, D, lr, batch size and loss columns, reduced to the near-optimal
 *    runs of each (N, D) cell (stepLaw.ts), y = lr or batch size.
 */
import type { TableLaw } from './tableLaw';
import { TABLE_LAWS } from './tableLaws';
import { nearOptimalRuns, sweepFromTable } from './stepLaw';

export interface TableLawData {
  inputs: number[][];
  y: number[];
  columns: { inputs: string[]; y: string };
  /** What was read and left out, in plain words. */
  notes: string[];
}

const num = (c: string | undefined) => {
  const t = (c ?? '').trim();
  return t === '' ? NaN : Number(t);
};

/** The law's data from a table, or why it cannot be read from it. */
export function tableLawData(
  law: TableLaw,
  header: readonly string[],
  rows: readonly string[][],
): TableLawData | { error: string } {
  if (law.kind === 'hyperparameter') {
    const sweep = sweepFromTable(header, rows);
    if (!sweep) return { error: `${law.id} needs a sweep table with N, D, learning rate, batch size and loss columns` };
    const sel = nearOptimalRuns(sweep);
    const lr = law.columns.yName === 'learning rate';
    return {
      inputs: law.inputs.map((n) => sel.rows.map((r) => (n === 'N' ? r.N : r.D))),
      y: sel.rows.map((r) => (lr ? r.lr : r.bs)),
      columns: { inputs: [...law.inputs], y: lr ? 'lr' : 'batch size' },
      notes: [
        `${sel.rows.length} near-optimal run(s) from ${sel.cells} (N, D) cell(s) of ${sweep.length} runs`,
        ...sel.warnings,
      ],
    };
  }
  const xi = law.columns.inputs.map((re) => header.findIndex((h) => re.test(h.trim())));
  const missing = law.inputs.filter((_, k) => xi[k] < 0);
  if (missing.length) return { error: `no column for ${missing.join(', ')} (columns: ${header.join(', ')})` };
  const yi = header.findIndex((h, k) => law.columns.y.test(h.trim()) && !xi.includes(k));
  if (yi < 0) return { error: `no ${law.columns.yName} column (columns: ${header.join(', ')})` };
  return {
    inputs: xi.map((k) => rows.map((r) => num(r[k]))),
    y: rows.map((r) => num(r[yi])),
    columns: { inputs: xi.map((k) => header[k]), y: header[yi] },
    notes: [],
  };
}

/** The table laws whose columns this header has. */
export function lawsForHeader(header: readonly string[]): TableLaw[] {
  return TABLE_LAWS.filter((l) => !('error' in tableLawData(l, header, [])));
}
