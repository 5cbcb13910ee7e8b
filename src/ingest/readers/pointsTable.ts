/**
 * Points tables that summarise a sweep, one row per finished run: model size N, tokens D, compute C, loss.
 * E.g. the Chinchilla extraction (`Model Size`, `Training FLOP`, `loss`). Pure (no `vscode`). Text reader whose
 * result carries `points` (no runs).
 *
 * Missing D is derived as C / (6 N) and missing C as 6 N D (the standard transformer training-FLOP estimate);
 * any of N/D/C may stay NaN. Rows without a numeric loss are skipped with a diagnostic. Other numeric columns
 * are kept in `extra`.
 */
import type { LineParser, Sniff, TextReader } from '../reader';
import { diag } from '../reader';
import type { Diagnostic, ParseResult, PointsTable } from '../types';
import {
  STEP_COLUMN,
  cellNumber,
  findColumn,
  guessDelimiter,
  isMissingCell,
  looksLikeHeader,
  splitCsvLine,
  type Delimiter,
} from '../csvUtil';
import { numericColumn, sniffTable } from './csv';

export const N_COLUMN =
  /^(n|params|parameters|num_params|n_params|nparams|model[ _]?size|model[ _]?params|param[ _]?count|non[ _-]?embedding[ _]params)$/i;
export const D_COLUMN = /^(d|tokens|num_tokens|n_tokens|train(ing)?[ _]tokens|data|dataset[ _]?size|data[ _]?size)$/i;
export const C_COLUMN = /^(c|flops?|compute|train(ing)?[ _]flops?|total[ _]flops|c[ _]?flops)$/i;
export const LOSS_COLUMN = /^(loss|l|final[ _]loss|eval[ _]loss|val[ _]loss|valid[ _]loss|test[ _]loss)$/i;

const MAX_DIAGNOSTICS = 200;

export const pointsTableReader: TextReader = {
  format: 'points-table',
  kind: 'text',
  detect: detectPointsTable,
  create: (path) => new PointsTableParser(path),
};

/** N, a loss, and D or C columns, and no step column. */
export function detectPointsTable(sniff: Sniff): number {
  const t = sniffTable(sniff);
  if (!t) return 0;
  if (findColumn(t.header, STEP_COLUMN) >= 0) return 0;
  const n = findColumn(t.header, N_COLUMN);
  const l = findColumn(t.header, LOSS_COLUMN);
  const d = findColumn(t.header, D_COLUMN);
  const c = findColumn(t.header, C_COLUMN);
  if (n < 0 || l < 0 || (d < 0 && c < 0)) return 0;
  if (!numericColumn(t.rows, n) || !numericColumn(t.rows, l)) return 0;
  return 0.9;
}

export class PointsTableParser implements LineParser {
  private header: string[] | null = null;
  private delim: Delimiter = ',';
  private cols = { n: -1, d: -1, c: -1, loss: -1 };
  private table: PointsTable;
  private diagnostics: Diagnostic[] = [];

  constructor(private path: string) {
    this.table = emptyTable(path);
  }

  line(text: string, lineNo: number): void {
    try {
      if (text.trim() === '') return;
      if (this.header === null || lineNo === 1) this.setHeader(text, lineNo);
      else this.row(splitCsvLine(text, this.delim), lineNo);
    } catch (e) {
      this.report(lineNo, `could not read row: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private setHeader(text: string, lineNo: number): void {
    this.table = emptyTable(this.path);
    this.textCols = undefined;
    this.delim = guessDelimiter(text);
    const h = splitCsvLine(text, this.delim);
    if (!looksLikeHeader(h)) this.report(lineNo, 'first line is not a header of column names');
    this.header = h;
    this.cols = {
      n: findColumn(h, N_COLUMN),
      d: findColumn(h, D_COLUMN),
      c: findColumn(h, C_COLUMN),
      loss: findColumn(h, LOSS_COLUMN),
    };
    if (this.cols.loss < 0) this.report(lineNo, 'no loss column in the header');
  }

  private row(cells: string[], lineNo: number): void {
    const get = (i: number): number => (i < 0 ? NaN : (cellNumber(cells[i] ?? '') ?? NaN));
    const loss = this.cols.loss >= 0 ? cellNumber(cells[this.cols.loss] ?? '') : undefined;
    if (loss === undefined) {
      this.report(lineNo, 'row has no numeric loss');
      return;
    }
    const N = get(this.cols.n);
    let D = get(this.cols.d);
    let C = get(this.cols.c);
    if (Number.isNaN(D) && N > 0 && Number.isFinite(C)) D = C / (6 * N);
    if (Number.isNaN(C) && Number.isFinite(N) && Number.isFinite(D)) C = 6 * N * D;
    const t = this.table;
    const row = t.loss.length;
    t.N.push(N);
    t.D.push(D);
    t.C.push(C);
    t.loss.push(loss);
    const header = this.header!;
    const used = new Set([this.cols.n, this.cols.d, this.cols.c, this.cols.loss]);
    for (let i = 0; i < header.length; i++) {
      if (used.has(i)) continue;
      const c = cells[i] ?? '';
      const v = isMissingCell(c) ? NaN : cellNumber(c);
      const col = t.extra[header[i]];
      if (v === undefined) {
        // A text column (colours, names): dropped as soon as it shows a non-number.
        if (col) delete t.extra[header[i]];
        (this.textCols ??= new Set()).add(header[i]);
        continue;
      }
      if (this.textCols?.has(header[i])) continue;
      if (col) col.push(v);
      else if (row === 0) t.extra[header[i]] = [v];
    }
  }

  private textCols?: Set<string>;

  private report(lineNo: number, message: string): void {
    if (this.diagnostics.length < MAX_DIAGNOSTICS) this.diagnostics.push(diag(this.path, message, { line: lineNo }));
  }

  result(): ParseResult {
    const t = this.table;
    // Extra columns must stay aligned with the rows.
    for (const k of Object.keys(t.extra)) if (t.extra[k].length !== t.loss.length) delete t.extra[k];
    return { runs: [], diagnostics: this.diagnostics, points: this.header ? t : undefined };
  }
}

function emptyTable(path: string): PointsTable {
  return { path, N: [], D: [], C: [], loss: [], extra: {} };
}
