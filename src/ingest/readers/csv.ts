/**
 * Generic CSV/TSV training curves: a header with a step-like column (`step`, `iter`, `global_step`, …) and
 * numeric metric columns, e.g. the LR-schedule tables `step,lr,loss`. Pure (no `vscode`). Text reader.
 *
 * `CsvCurveParser` is the shared row engine of the CSV readers (generic, Lightning, Keras): header on the first
 * line; a header seen again (line 1 re-fed, or a header row mid-file, as when Lightning's CSVLogger rewrites
 * the file with new columns) restarts the table, dropping earlier points so the re-read has no duplicates.
 * Empty / `NA` cells are missing values; `nan`/`inf` cells are kept as points. A step column that goes back
 * under the same header (a second `fit()` appended to a Keras CSVLogger file: epochs 0–34, then 0–108) is a
 * resume, read as resumes are everywhere: every row is read, each series keeps the last value written for each
 * step, and a diagnostic says where the steps went back. A step that never moves (every row `epoch 0`: one
 * `fit()` per row, ≥ 3 rows) orders nothing: the rows are numbered in record order, said in a diagnostic.
 *
 * Hot path (`asciiLine`): a data row whose cells are all plain numbers (or empty) is read straight from the
 * feeder's bytes — no string, no cell array — with the same values and the same effect as the string path; any
 * other row (quotes, text, `nan`, a header, more cells than the header) is declined and takes the string path.
 */
import type { LineParser, Sniff, TextReader } from '../reader';
import { diag } from '../reader';
import type { Diagnostic, FormatId, ParseResult } from '../types';
import { RunBuilder } from '../structuredRun';
import { pickStepColumn, recordOrderAxis, stepAxisOf } from '../stepAxis';
import type { ColumnSeries } from '../series';
import * as A from '../asciiScan';

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
import {
  STEP_COLUMN,
  baseName,
  cellNumber,
  findColumn,
  guessDelimiter,
  isMissingCell,
  looksLikeHeader,
  sniffLines,
  splitCsvLine,
  type Delimiter,
} from '../csvUtil';

const MAX_DIAGNOSTICS = 200;

export interface CsvCurveOptions {
  format: FormatId;
  /** Index of the x-axis column in the header, or -1 to number rows 0, 1, 2, … */
  stepColumn(header: string[]): number;
  /** Called when a (new) header is read; e.g. to load metadata beside the file. */
  onHeader?(b: RunBuilder, header: string[]): void;
  /** Per-series cap (series.ts). */
  maxSeriesPoints?: number;
}

export class CsvCurveParser implements LineParser {
  readonly b: RunBuilder;
  private header: string[] | null = null;
  private delim: Delimiter = ',';
  private stepIdx = -1;
  private rows = 0;
  private diagnostics: Diagnostic[] = [];
  /** The delimiter's byte (byte path). */
  private delimByte = 44;
  /** Series per header column, made on first use in the same order as the string path makes them. */
  private colSeries: (ColumnSeries | undefined)[] = [];
  /** One row's cells (byte path): value, or NaN-flagged missing via `has`. */
  private vals = new Float64Array(64);
  private has = new Uint8Array(64);
  /** The step of the last row, and the lines where the step went back (a resume appended under the same header). */
  private lastStep = -Infinity;
  /** The step of the first row under the header, and whether a later row had another one. */
  private firstStep = NaN;
  private moved = false;
  private backs: number[] = [];
  private cached: { rows: number; result: ParseResult } | undefined;

  constructor(
    private path: string,
    private opts: CsvCurveOptions,
  ) {
    this.b = new RunBuilder(path, opts.format, path, {}, opts.maxSeriesPoints);
  }

  line(text: string, lineNo: number): void {
    try {
      this.parseLine(text, lineNo);
    } catch (e) {
      this.report(lineNo, `could not read row: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private parseLine(text: string, lineNo: number): void {
    if (text.trim() === '') return;
    if (this.header === null || lineNo === 1) {
      this.setHeader(text, lineNo);
      return;
    }
    const cells = splitCsvLine(text, this.delim);
    if (looksLikeHeader(cells) && this.stepIdx >= 0 && cells.includes(this.header[this.stepIdx])) {
      // The file was rewritten with a new header (Lightning adds columns this way): start over.
      this.diagnostics.push(diag(this.path, 'header changed: table re-read from here', { line: lineNo }, 'info'));
      this.setHeader(text, lineNo);
      return;
    }
    this.row(cells, lineNo);
  }

  /**
   * A data row of plain numbers and empty cells, from bytes (see the module doc): the index of its `\n`, or −1
   * with no effect.
   */
  asciiLine(buf: Uint8Array, start: number, limit: number, lineNo: number): number {
    const header = this.header;
    if (header === null || lineNo === 1) return -1;
    const width = header.length;
    if (width > this.vals.length) return -1;
    const d = this.delimByte;
    const vals = this.vals,
      has = this.has;
    let k = 0;
    let i = start;
    let filled = false;
    for (;;) {
      // one cell: spaces, an optional number, spaces, then the delimiter or the end of the line
      let c = buf[i];
      while (c === 32) c = buf[++i];
      if (k >= width) return -1; // more cells than the header: the string path reports it
      if (c === d || c === 10) {
        has[k] = 0;
      } else {
        if (c !== 45 && c !== 43 && c !== 46 && (c < 48 || c > 57)) return -1;
        // the common cell, `digits[.digits]` then the delimiter or the newline, read here (at most 15 digits: the
        // same value as asciiNumber's); anything else (sign, exponent, spaces, more digits) by asciiNumber
        let v = 0;
        let j = i;
        let mant = 0;
        while (c >= 48 && c <= 57) {
          mant = mant * 10 + (c - 48);
          c = buf[++j];
        }
        let digits = j - i;
        let frac = 0;
        if (c === 46) {
          const f = ++j;
          c = buf[j];
          while (c >= 48 && c <= 57) {
            mant = mant * 10 + (c - 48);
            c = buf[++j];
          }
          frac = j - f;
          digits += frac;
        }
        if (digits > 0 && digits <= 15 && (c === d || c === 10) && j <= limit) {
          v = frac === 0 ? mant : mant / POW10[frac];
          i = j;
        } else {
          v = A.asciiNumber(buf, i, limit);
          i = A.numEnd;
          if (i < 0) return -1;
          c = buf[i];
        }
        while (c === 32) c = buf[++i];
        if (c !== d && c !== 10) return -1;
        vals[k] = v;
        has[k] = 1;
        filled = true;
      }
      k++;
      if (c === 10) break;
      i++;
    }
    if (i > limit || (k === 1 && !filled)) return -1; // (an empty line is the string path's: it skips it)
    const si = this.stepIdx;
    let step: number;
    if (si >= 0) {
      if (si >= k || !has[si] || !Number.isFinite(vals[si])) return -1; // no step in this row: the string path reports it
      step = vals[si];
      this.track(step, lineNo);
    } else step = this.rows;
    this.rows++;
    const cols = this.colSeries;
    for (let j = 0; j < k; j++) {
      if (j === si || !has[j]) continue;
      (cols[j] ??= this.b.series(header[j])).append(step, vals[j]);
    }
    return i;
  }

  private setHeader(text: string, lineNo: number): void {
    if (this.header !== null) {
      this.b.clearPoints();
      this.rows = 0;
    }
    this.lastStep = -Infinity;
    this.firstStep = NaN;
    this.moved = false;
    this.backs = [];
    this.cached = undefined;
    this.colSeries = [];
    this.delim = guessDelimiter(text);
    this.delimByte = this.delim.charCodeAt(0);
    const cells = splitCsvLine(text, this.delim);
    if (!looksLikeHeader(cells)) this.report(lineNo, 'first line is not a header of column names');
    this.header = cells;
    this.stepIdx = this.opts.stepColumn(cells);
    const where = { path: this.path, line: lineNo };
    this.b.run.meta.stepAxis =
      this.stepIdx >= 0
        ? stepAxisOf(cells[this.stepIdx].trim(), { ...where, how: `column "${cells[this.stepIdx].trim()}"` })
        : recordOrderAxis({ ...where, how: 'no step column: row order' });
    this.opts.onHeader?.(this.b, cells);
  }

  private row(cells: string[], lineNo: number): void {
    const header = this.header!;
    if (cells.length > header.length) this.report(lineNo, `row has ${cells.length} cells, header has ${header.length}`);
    let step: number;
    if (this.stepIdx >= 0) {
      const s = cellNumber(cells[this.stepIdx] ?? '');
      if (s === undefined || !Number.isFinite(s)) {
        this.report(lineNo, `no numeric ${header[this.stepIdx]} in this row`);
        return;
      }
      step = s;
      this.track(step, lineNo);
    } else step = this.rows;
    this.rows++;
    let numeric = 0;
    const n = Math.min(cells.length, header.length);
    for (let i = 0; i < n; i++) {
      if (i === this.stepIdx) continue;
      const c = cells[i];
      if (isMissingCell(c)) continue;
      const v = cellNumber(c);
      if (v === undefined) continue; // a text column (names, colours): not a metric
      numeric++;
      this.b.add(header[i], step, v);
    }
    if (numeric === 0 && cells.some((c) => !isMissingCell(c)) && n > 1 && this.stepIdx < 0)
      this.report(lineNo, 'row has no numeric cell');
  }

  private report(lineNo: number, message: string): void {
    if (this.diagnostics.length < MAX_DIAGNOSTICS) this.diagnostics.push(diag(this.path, message, { line: lineNo }));
  }

  private track(step: number, lineNo: number): void {
    if (step < this.lastStep && this.backs.length < MAX_DIAGNOSTICS) this.backs.push(lineNo);
    this.lastStep = step;
    if (this.firstStep !== this.firstStep) this.firstStep = step;
    else if (step !== this.firstStep) this.moved = true;
  }

  result(): ParseResult {
    if (this.header && this.stepIdx >= 0 && !this.moved && this.rows >= 3) return this.recordOrder();
    if (!this.header || !this.backs.length)
      return { runs: this.header ? [this.b.run] : [], diagnostics: this.diagnostics };
    if (
      this.cached &&
      this.cached.rows === this.rows &&
      this.cached.result.diagnostics.length === this.diagnostics.length + 1
    )
      return this.cached.result;
    // the steps went back: each series keeps the last value written for each step (the builder keeps every row)
    const run = this.b.lastWritesRun();
    const where = this.backs.slice(0, 5).join(', ') + (this.backs.length > 5 ? ', …' : '');
    const result = {
      runs: [run],
      diagnostics: [
        ...this.diagnostics,
        diag(
          this.path,
          `the ${this.header[this.stepIdx].trim()} column goes back ${this.backs.length} time${this.backs.length > 1 ? 's' : ''} under the same header (a resume or a second training appended) at line ${where}: every row was read; each series keeps the last value written for each step`,
          { line: this.backs[0] },
          'info',
        ),
      ],
    };
    this.cached = { rows: this.rows, result };
    return result;
  }

  /**
   * The step column holds one value on every row (a Keras CSVLogger in append mode: `epoch` 0 on each row, one
   * `fit()` per row): it orders nothing, so the rows are numbered in record order (0, 1, 2, …), and a diagnostic
   * says so — every point at one step would draw no curve.
   */
  private recordOrder(): ParseResult {
    if (this.cached && this.cached.rows === this.rows) return this.cached.result;
    const name = this.header![this.stepIdx].trim();
    const run = { ...this.b.run, metrics: { ...this.b.run.metrics }, meta: { ...this.b.run.meta } };
    for (const [key, s] of Object.entries(this.b.run.metrics)) {
      const shown = this.b.newSeries(key, s.originalName);
      for (let i = 0; i < s.value.length; i++) shown.append(i, s.value[i], s.time ? s.time[i] : undefined);
      run.metrics[key] = shown;
    }
    run.meta.stepAxis = recordOrderAxis({
      path: this.path,
      line: 1,
      how: `the ${name} column is ${this.firstStep} on every row: row order`,
    });
    const result = {
      runs: [run],
      diagnostics: [
        ...this.diagnostics,
        diag(
          this.path,
          `the ${name} column is ${this.firstStep} on every one of ${this.rows} rows (each row a separate fit() appended, as by a Keras CSVLogger in append mode): the rows are numbered in record order`,
          { line: 1 },
          'info',
        ),
      ],
    };
    this.cached = { rows: this.rows, result };
    return result;
  }
}

/** Header cells and the first data rows of a sniff, or null when it does not look like a delimited table. */
export function sniffTable(sniff: Sniff): { header: string[]; rows: string[][]; delim: Delimiter } | null {
  if (sniff.head.includes(0)) return null;
  const lines = sniffLines(sniff.text, 20);
  if (lines.length < 2) return null;
  const delim = guessDelimiter(lines[0]);
  const header = splitCsvLine(lines[0], delim);
  if (header.length < 2 || !looksLikeHeader(header)) return null;
  // the header written again (a second training appended by a logger that writes its header on open) is not a row
  const rows = lines
    .slice(1)
    .filter((l) => l.trim() !== lines[0].trim())
    .map((l) => splitCsvLine(l, delim));
  // Most rows must have the header's width.
  const ok = rows.filter((r) => r.length === header.length).length;
  if (ok < Math.max(1, rows.length * 0.8)) return null;
  return { header, rows, delim };
}

/** True when column `i` holds a number in most sniffed rows that have a value there. */
export function numericColumn(rows: string[][], i: number): boolean {
  let num = 0;
  let filled = 0;
  for (const r of rows) {
    const c = r[i] ?? '';
    if (isMissingCell(c)) continue;
    filled++;
    if (cellNumber(c) !== undefined) num++;
  }
  return filled > 0 && num >= filled * 0.9;
}

/**
 * A logger's step counter under a namespace, when no column is a step key itself: OpenAI baselines' `progress.csv`
 * (`total/steps`, `total/epochs` beside `train/loss_critic`), Stable-Baselines3's `time/total_timesteps`.
 */
export const NAMESPACED_STEP = /^[\w.-]+\/(?:total_)?(?:steps|timesteps|iterations|iters|updates)$/i;

/**
 * The namespaced step counter of a header: the logger's running total (`time/total_timesteps`, `total/steps`:
 * SB3 and baselines plot against it) before counts of rollouts or updates (`time/iterations`, `train/n_updates`)
 * printed beside it; -1 when there is none.
 */
export function namespacedStep(header: readonly string[]): number {
  let first = -1;
  for (let i = 0; i < header.length; i++) {
    const h = header[i].trim();
    if (!NAMESPACED_STEP.test(h)) continue;
    if (/(?:^|\/)total(?:_|\/)/i.test(h)) return i;
    if (first < 0) first = i;
  }
  return first;
}

/**
 * An `epoch` column is the step when no column counts steps (`epoch,train/box_loss,…`: YOLOv5's results.csv,
 * whose cells are padded with blanks). Keras's `epoch,loss,…` files are the Keras reader's (it claims them first).
 */
const EPOCH_COLUMN = /^epochs?$/i;

const COUNTED = new Set([
  'step',
  'steps',
  'iter',
  'iters',
  'iteration',
  'iterations',
  'update',
  'updates',
  'batch',
  'batches',
]);
const RUNNING = new Set(['global', 'effective', 'cumulative', 'overall', 'optimizer', 'optimiser']);
const NOT_A_COUNTER = new Set(['size', 'sizes', 'time', 'loss', 'lr', 'rate', 'per', 'tokens', 'len', 'length']);

/**
 * A column counting steps over the whole run under a qualified name of the trainer's own (`effective_batch_number`,
 * `global_batch`, `optimizer_step_count`, `cumulative_iterations`): a step word (step, iteration, update, batch) with a
 * word saying the count runs on across epochs (global, effective, cumulative, overall, optimizer), none saying it is a
 * size, a time or a value; -1 when there is none. Beside an `epoch` column that repeats on every row of an epoch it is
 * the step (a from-scratch GPT's training table: `time,epoch,tokens_processed,effective_batch_number,training_loss`).
 */
export function runningCounterColumn(header: readonly string[]): number {
  for (let i = 0; i < header.length; i++) {
    const words = header[i]
      .trim()
      .toLowerCase()
      .split(/[_\s/.-]+/);
    if (words.length < 2 || words.length > 4) continue;
    if (words.some((w) => NOT_A_COUNTER.has(w))) continue;
    if (words.some((w) => COUNTED.has(w)) && words.some((w) => RUNNING.has(w))) return i;
  }
  return -1;
}

/**
 * The step column of a generic table: a step key (`pickStepColumn`), else a namespaced step counter, else a running
 * counter under a qualified name (`runningCounterColumn`), else `epoch`.
 */
export function csvStepColumn(header: readonly string[]): number {
  const i = pickStepColumn(header);
  const r = runningCounterColumn(header);
  // (an `epoch` is a step key of last resort: a running counter beside it counts the steps)
  if (i >= 0 && r >= 0 && EPOCH_COLUMN.test(header[i].trim())) return r;
  if (i >= 0) return i;
  const n = namespacedStep(header);
  if (n >= 0) return n;
  return r >= 0 ? r : header.findIndex((h) => EPOCH_COLUMN.test(h.trim()));
}

export const csvReader: TextReader = {
  format: 'csv',
  kind: 'text',
  detect: detectCsv,
  create: (path, o) =>
    new CsvCurveParser(path, { format: 'csv', stepColumn: csvStepColumn, maxSeriesPoints: o?.maxSeriesPoints }),
};

/** Generic table with a numeric step-like column and at least one other numeric column. */
export function detectCsv(sniff: Sniff): number {
  const t = sniffTable(sniff);
  if (!t) return 0;
  let stepIdx = findColumn(t.header, STEP_COLUMN);
  if (stepIdx < 0) stepIdx = namespacedStep(t.header);
  if (stepIdx < 0) stepIdx = runningCounterColumn(t.header);
  const byEpoch = stepIdx < 0;
  if (byEpoch) stepIdx = t.header.findIndex((h) => EPOCH_COLUMN.test(h.trim()));
  // no step column: a `.csv` whose header names a numeric loss column is read in row order (GAIL/PPO's
  // `progress.csv`: `agent acc,…,loss,max 100 episode reward,…`) — when every column is numeric: a column of
  // names (`model,loss,acc`: a table of models, one row each, as the table laws take) is not a training log
  if (stepIdx < 0 && /\.(csv|tsv)$/i.test(baseName(sniff.path))) {
    const loss = t.header.findIndex((h, i) => /loss/i.test(h) && numericColumn(t.rows, i));
    const allNumeric = t.header.every((_, i) => numericColumn(t.rows, i));
    return loss >= 0 && allNumeric && t.header.length >= 2 ? 0.7 : 0;
  }
  if (stepIdx < 0 || !numericColumn(t.rows, stepIdx)) return 0;
  const others = t.header.filter((_, i) => i !== stepIdx && numericColumn(t.rows, i)).length;
  if (others === 0) return 0;
  // by epoch only with a loss column named as such (a table of per-epoch losses, not any table with an epoch)
  if (byEpoch && !t.header.some((h) => /loss/i.test(h))) return 0;
  return (/\.(csv|tsv)$/i.test(baseName(sniff.path)) ? 0.75 : 0.65) - (byEpoch ? 0.1 : 0);
}
