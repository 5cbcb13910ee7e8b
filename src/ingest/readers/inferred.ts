/**
 * The general reader: infers a log's structure instead of knowing it. The default for any line-oriented log
 * that no trainer-specific reader claims (format id `generic-text`).
 *
 * Each line, as bytes, is split into a template and numeric fields (`infer/tokenize.ts`), and the fields are
 * appended to its template's columns (`infer/templates.ts`); a logger prefix (`infer/prefix.ts`) is found once
 * per template, on its first line, and its fields are skipped.
 * The run is assembled from the columns when asked for (`infer/assemble.ts`): templates with a step-like field
 * and keyed values become series named after their keys. Lines with an unknown template cost one hash lookup.
 * Lines are read straight from the feeder's bytes (`bytesLine`: no string per line); lines that arrive as text
 * (invalid UTF-8, the sniff) are encoded back to bytes and go through the same code, so both give identical results.
 * Metadata (parameter counts, totals) is looked for in lines that are not metric lines and may hold some.
 *
 * Detection: the sniff is read the same way; the reader claims the file (0.55–0.6, below every specific
 * reader) when some template gives a series with at least three points — or one point with a step key.
 */
import type { LineParser, Sniff, TextReader } from '../reader';
import { LineFeeder } from '../lineFeeder';
import type { ParseResult } from '../types';
import { RunBuilder } from '../runBuilder';
import { MetaScanner, TOTAL_STEPS_LINE } from '../metaLines';
import { F_COUNTER, F_INT, F_TOTAL, MAX_FIELDS, Shape, fieldKey, tokenize } from '../infer/tokenize';
import {
  EPOCH_RANK,
  ROW_CAP,
  Template,
  fieldStepRank,
  headerCells,
  headerWords,
  knownTableNames,
  stepRank,
} from '../infer/templates';
import {
  ASSEMBLY_CHUNK,
  buildSliced,
  nameFor,
  plan,
  planSliced,
  planSteps,
  runToEnd,
  sameSeriesPlans,
  seriesOfPlans,
  type Assignment,
  stepsOf,
  unnamedLossKey,
  withoutDrafts,
  type build,
  type Built,
  type Plan,
} from '../infer/assemble';
import {
  Banners,
  endsTraining,
  endKindAt,
  plannedEpochsField,
  plannedEpochsAt,
  upper as upperIndex,
  finishedTrainings,
  repeatedLastStep,
  lastTraining,
  plansWithin,
  templateTrainings,
  type Training,
} from '../infer/trainings';
import type { Run } from '../types';
import { recordOrderAxis } from '../stepAxis';
import { prefixEndBytes } from '../infer/prefix';
import { namedForLoss } from '../csvUtil';
import { meterEnd } from '../infer/meter';
import { type AxisUnit, type LoosePlan, plannedFromSettings, settingsOfLongLine, unitOf } from '../infer/planKeys';

const MAX_TEMPLATES = 2000;
const MAX_LINE = 8192;

/** The step rank of a header template's best step key (0: none). */
const outerRank = (t: Template): number => {
  const k = t.bestStepField();
  return k >= 0 ? t.fields[k].rank : 0;
};
/** How a plan read from the header line above the records is sourced. */
const HEADER_PLAN = 'header line N/M (general reader)';
/** How a planned total in steps derived from the planned epochs (`epochPlan`) begins its source. */
const DERIVED = 'derived:';
/** Planned-total settings kept from lines no template holds in full (a config printed again per launch). */
const MAX_LOOSE_PLANS = 256;
const SNIFF_LINES = 5000;

/** A key of an evaluation split's value (`val_loss`, `test loss`, `eval/loss`). */
const EVAL_KEY = /^(?:val|valid|validation|eval|evaluation|test|dev)(?![a-z])/i;
/**
 * Whether a file holding several trainings (infer/trainings.ts) shows only the last one's series. Off: the
 * corpus's specs count every attempt (last write per step) for seven dev files where the rule finds a new
 * training, so showing the last training alone would lose them; the trainings are reported either way.
 */
const SERIES_FROM_LAST_TRAINING = false;
/** Why the trainings of a file were told apart, as the diagnostic says it. */
const SPLIT_REASON = {
  text: 'told apart by the text of their records (a configuration or model name printed in them) and their steps starting again',
  end: 'each finished (a line saying it ended, or its planned total reached) before the next started from the first step again',
  banner:
    'told apart by a banner naming another model or configuration (`>>> Training baseline ResNet` then `>>> Training ResNetDrop`) and their steps starting again',
  both: 'told apart by the text of their records and their steps starting again, and within one record text by each finishing (a line saying it ended, or its planned total reached) before the next started again',
} as const;
/** Points read or written per slice of `prepareResult` (about 100 ns each: a few ms). */
export const ASSEMBLY_SLICE_POINTS = 32_768;
/**
 * Wall time after which a slice of `prepareResult` ends even short of its points (issue 17): well inside the host's
 * 20 ms budget with one more chunk of `ASSEMBLY_CHUNK` points on top.
 */
export const ASSEMBLY_SLICE_MS = 6;

/**
 * The line number of each of a plan's rows, made once per plan in chunks of `ASSEMBLY_CHUNK` rows and shared by the
 * searches for trainings (issue 17: each made its own copy, one of them in the longest slice of the bench's 100 MB
 * log, through a once-per-assembly loop that runs interpreted). A plan that takes every row of its template reads
 * the template's own line column, without a copy (the column is `lent`: its rows are never rewritten in place); it
 * still yields once per chunk, as the copy did, so the slices of the assembly are as before.
 */
const lineCache = new WeakMap<Plan, Float64Array>();
function* linesOf(p: Plan): Generator<number, Float64Array> {
  let lines = lineCache.get(p);
  if (lines) return lines;
  const n = p.rows ? p.rows.length : p.t.rows;
  const sub = p.rows;
  const col = p.t.lines;
  if (!sub) col.lent = true;
  lines = sub ? new Float64Array(n) : col.data.subarray(0, n);
  const data = col.data;
  for (let r = 0; r < n;) {
    const end = Math.min(n, r + ASSEMBLY_CHUNK);
    if (sub) for (; r < end; r++) lines[r] = data[sub[r]];
    else r = end;
    yield ASSEMBLY_CHUNK;
  }
  lineCache.set(p, lines);
  return lines;
}
const planLines = (p: Plan): Float64Array => runToEnd(linesOf(p));

/** A plan's last row in its template (-1: no rows). */
const lastRowOf = (p: Plan): number => (p.rows ? (p.rows.length ? p.rows[p.rows.length - 1] : -1) : p.t.rows - 1);

/**
 * The `M` of a plan's `N/M` step counter at its last row, when that row's step is within it (a run in stages counts
 * `step 50/182` and then `step 382/12777`: the plan in force at the last point is 12777); else the first total seen.
 */
function lastTotal(p: Plan, k: number, first: number): number {
  const tc = p.t.fields[k + 1]?.col,
    sc = p.t.fields[k].col;
  const r = lastRowOf(p);
  if (!tc || !sc || r < 0 || r >= tc.n || r >= sc.n) return first;
  const m = tc.data[r];
  return Number.isInteger(m) && m > 0 && m >= sc.data[r] ? m : first;
}

/**
 * The `M` of the header line above a plan's last row (`Epoch 2/5` over its records), when that row's header is an
 * `h` line still stored: its total and line; undefined otherwise (the caller keeps the first total).
 */
function headerTotalAt(p: Plan, h: Template, k: number): { total: number; line: number } | undefined {
  const r = lastRowOf(p);
  const c = h.fields[k].col;
  if (r < 0 || r >= p.t.ctxLine.n || p.t.ctxHead.data[r] !== h.id || !c) return undefined;
  const line = p.t.ctxLine.data[r];
  // the header's rows are in line order: a binary search for the row printed on that line
  let lo = 0,
    hi = Math.min(h.lines.n, c.n) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const l = h.lines.data[mid];
    if (l === line) {
      const total = c.data[mid];
      return Number.isInteger(total) && total > 0 ? { total, line } : undefined;
    }
    if (l < line) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** The line of a plan's first row (Infinity: no rows). */
function firstLineOf(p: Plan): number {
  const r = p.rows ? p.rows[0] : 0;
  return r !== undefined && r < p.t.rows ? p.t.lines.data[r] : Infinity;
}

/** The line of a plan's last row (-Infinity: no rows). */
function lastLineOf(p: Plan): number {
  const r = lastRowOf(p);
  return r >= 0 ? p.t.lines.data[r] : -Infinity;
}

/** The first bytes of what metaWorthy looks for: `a` (aram), ` ` (` ...`), `s` (step), `B` (`B /`), `b` (ble/), 参's first. */
const META_FIRST = new Uint8Array(256);
for (const c of [97, 32, 115, 66, 98, 0xe5]) META_FIRST[c] = 1;

/**
 * Lines that may hold metadata the scanner knows (`…aram…`, `参数`, `total steps`, `total iterations`, ` ...` args dumps, `B /`,
 * `trainable/total`, `trainable 442,368 of …`). One table look-up per byte; the few candidate bytes are then checked
 * in full.
 */
function metaWorthy(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i + 3 < e; i++) {
    const c = b[i];
    if (META_FIRST[c] === 0) continue;
    if (paramWordAt(b, i)) return true; // aram, 参
    if (c === 32 && b[i + 1] === 46 && b[i + 2] === 46 && b[i + 3] === 46) return true; // " ..."
    if (c === 32 && b[i + 1] === 105 && b[i + 2] === 116 && b[i + 3] === 101) return true; // " ite(rations)"
    if (c === 115 && b[i + 1] === 116 && b[i + 2] === 101 && b[i + 3] === 112) return true; // step(s)
    if (c === 66 && b[i + 1] === 32 && b[i + 2] === 47) return true; // "B /"
    if (c === 98 && b[i + 1] === 108 && b[i + 2] === 101) {
      const d = b[i + 3];
      if (d === 47) return true; // "ble/" (trainable/total)
      // "ble 442,368 of …", "ble: 442,368 of …" (a trainable count before its model's total, no parameter word)
      // "ble': 4050240" (a dict of counts printed whole: `{'Total': 4050240, 'Trainable': 4050240}`)
      const at =
        d === 58 && b[i + 4] === 32
          ? i + 5
          : d === 32 || d === 58
            ? i + 4
            : (d === 39 || d === 34) && b[i + 4] === 58 && b[i + 5] === 32
              ? i + 6
              : -1;
      if (at > 0 && b[at] >= 48 && b[at] <= 57) return true;
    }
  }
  return false;
}

/** A header cell that names a data split (`Training`, `Validation`). */
const SPLIT_CELL = /^(?:train|training|val|valid|validation|dev|test|testing|eval|evaluation)$/i;

/**
 * Column names of a row under a header whose cells are all data splits (AllenNLP's `Training |  Validation` over
 * `loss | -137.639 | -146.719`): the rows are metrics, each named by its first cell, so its columns are that metric
 * of each split (`Training loss`, `Validation loss`). Undefined for any other header or row.
 */
function splitColumns(header: string[], example: string): string[] | undefined {
  if (!header.every((h) => SPLIT_CELL.test(h))) return undefined;
  const m = /^([A-Za-z_][\w\-./]*)\s*\|/.exec(example);
  return m ? header.map((h) => `${h} ${m[1]}`) : undefined;
}

/**
 * Names for a table row that starts with as many bare values as the line of names just above it has names, and goes
 * on with more (a progress bar's counter and meter: `iter  lr  loss` over `100/300  0.001  2.31  |███| 30/30 […]`):
 * the names key the first values (the `N/M` totals not counted), the rest keep their column numbers; a column named
 * as a step key is keyed by that name, so the step is chosen as for a keyed line. Undefined otherwise.
 */
function leadingNames(t: Template, above: readonly string[] | undefined): string[] | undefined {
  if (!above || above.length < 3) return undefined;
  let w = 0;
  const names = t.fields.map((f, k) => (w >= above.length ? `column ${k + 1}` : f.flags & F_TOTAL ? '' : above[w++]));
  if (w < above.length || names.length <= above.length) return undefined;
  // (what follows the named values is a progress bar's: it holds an `N/M` counter)
  if (!t.fields.some((f, k) => names[k] === `column ${k + 1}` && f.flags & F_TOTAL)) return undefined;
  t.fields.forEach((f, k) => {
    const rank = f.flags & F_TOTAL ? 0 : fieldStepRank(names[k], f.flags);
    if (rank && f.col) {
      f.key = names[k];
      f.rank = rank;
    }
  });
  t.ranksChanged();
  return names;
}

/**
 * How many values (the `N/M` totals not counted) a table row holds before its progress bar's percentage, the bar's
 * `N/M` counter after it (`1/100  4.1G  5.944 …  640: 100%|███| 6019/6019 [12:53<…]`: 7); 0 for a row with no bar.
 * A header line with that many names keys them wherever it was printed (`nameBarRow`): a console captured by W&B
 * (`output.log`) keeps the lines a bar redraws apart from the plain ones, so the header printed before each epoch
 * (`Epoch  GPU_mem  box_loss …  Size`) is far above the rows, or directly above only some of them.
 */
function valuesBeforeBar(t: Template): number {
  let values = 0;
  let k = 0;
  for (; k < t.fields.length && !t.fields[k].pct; k++) if (!(t.fields[k].flags & F_TOTAL)) values++;
  for (; k < t.fields.length; k++) if (t.fields[k].flags & F_TOTAL) return values;
  return 0;
}

/** Where a line's first cell lies, in columns from the line's start (`firstCell`). */
interface Cell {
  /** Its first column and the column past its first word. */
  from: number;
  to: number;
  /** The column of the next cell after two or more blanks (−1: none; the line is not laid out in fixed-width cells). */
  next: number;
}

/** The first cell of a line (`Cell`): a table row's first value, or a fixed-width header's first name. */
function firstCell(b: Uint8Array, start: number, end: number): Cell {
  let i = start;
  while (i < end && (b[i] === 32 || b[i] === 9)) i++;
  const from = i - start;
  while (i < end && b[i] !== 32 && b[i] !== 9) i++;
  const to = i - start;
  for (let j = i; j + 2 < end; j++)
    if (b[j] === 32 && b[j + 1] === 32 && b[j + 2] !== 32) return { from, to, next: j + 2 - start };
  return { from, to, next: -1 };
}

/**
 * Does a row lie under a fixed-width header's columns: its first value ending before the header's second name starts
 * (under the first name, however aligned: spaCy's `E    #` over `  0       0`)? A header that is not laid out in
 * fixed-width cells says nothing against it. The rows of another table with as many columns do not (Ultralytics'
 * per-class results at the end, `                    2c        172 …`, are not rows of the epoch header `      Epoch
 * GPU_mem   box_loss …` printed far above: `2c` ends under `GPU_mem`).
 */
function alignedUnder(header: Cell | undefined, row: Cell | undefined): boolean {
  return !header || !row || header.next < 0 || row.to <= header.next;
}

/** Mixed into the template hash of a record announced as evaluation by the line before. */
const EVAL_SALT = 0x5bd1e995;

/**
 * Is this words-only line an announcement of evaluation (`testing in eval mode……`, `Validating`): a short line with an
 * evaluation word and no training word, and no table header (`epoch,loss,val_loss`: no `,`, tab, `|` or `_`)?
 */
export function announcesEval(b: Uint8Array, start: number, end: number): boolean {
  if (end - start > 80) return false;
  const text = Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('latin1');
  return EVAL_ANNOUNCE.test(text) && !/train|[,\t|_]/i.test(text) && !EVAL_OVER.test(text);
}
/**
 * Words saying an evaluation is over (`==== end of evaluation ====`, `Evaluation finished`, `validation done`): the
 * training's lines follow, not the evaluation's.
 */
const EVAL_OVER = /(?:^|[^a-z])(?:end|ended|ends|finished|done|complete|completed|over)(?![a-z])/i;
/** Has the line an `N/M` counter (a total)? */
function hasTotal(s: Shape): boolean {
  for (let k = 0; k < s.nf && k < MAX_FIELDS; k++) if (s.flags[k] & F_TOTAL) return true;
  return false;
}
const EVAL_ANNOUNCE =
  /(?:^|[^a-z])(?:eval|evaluation|evaluating|val|valid|validation|validating|test|testing)(?![a-z])/i;

/** `aram` (`params`, `parameters`) or `参` (`参数`) starting at `b[i]` (the caller keeps `i + 3` inside the line). */
function paramWordAt(b: Uint8Array, i: number): boolean {
  const c = b[i];
  return (
    (c === 97 && b[i + 1] === 114 && b[i + 2] === 97 && b[i + 3] === 109) ||
    (c === 0xe5 && b[i + 1] === 0x8f && b[i + 2] === 0x82)
  );
}

/** `aram` (`params`, `parameters`) or `参` (`参数`) in the line. */
function hasAram(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i + 3 < e; i++) if (paramWordAt(b, i)) return true;
  return false;
}

/**
 * A line announcing the fold or trial that follows (`========== fold: 1 training ==========`, `FOLD 3`, `Trial 2/20`):
 * one whole number keyed by `fold` or `trial` (and its total), nothing else; the index of that field, or −1. When
 * the fold changes, the training before it has ended: a cross-validation trains its folds one after another, each
 * from the start.
 */
function foldField(t: Template): number {
  let k = -1;
  for (let j = 0; j < t.fields.length; j++) {
    if (t.fields[j].flags & F_TOTAL) continue;
    if (k >= 0) return -1;
    k = j;
  }
  return k >= 0 && t.fields[k].flags & F_INT && FOLD_KEY.test(t.fields[k].key) ? k : -1;
}
const FOLD_KEY = /(?:^|\s)(?:fold|cv fold|trial)$/i;

/** How far below a record's first line its step-less continuation lines may be (`Template.near`). */
const NEAR_LINES = 3;
/** The key of a line stating the planned epochs on its own (`Epochs: 25`, `num_epochs = 25`, `max epochs: 30`). */
const PLANNED_EPOCHS_KEY = /^(?:(?:num|n|max|total|train|training)[_ ])?epochs$/i;

/** Lines of a stored template that states the parameter count read for metadata (one per launch; bounded). */
const RESCANS = 64;

/**
 * Copies `b[start..end)` into `out` without its ANSI escapes (`ESC [ params letter`, as the tokenizer skips them), and
 * returns the copy's length, or −1 when none was removed or the line draws a progress bar's blocks (`out` holds at
 * least one byte more than the line). `esc` is where the first ESC is. A cursor-up (`\x1b[A`, `\x1b[2A`) is kept:
 * the tokenizer reads the text after it as the line left on screen. Linear.
 */
export function stripEscapes(b: Uint8Array, esc: number, start: number, end: number, out: Uint8Array): number {
  let n = 0;
  for (let k = start; k < esc; k++) {
    if (b[k] === 0xe2 && b[k + 1] >= 0x94 && b[k + 1] <= 0x96) return -1;
    out[n++] = b[k];
  }
  let removed = false;
  let i = esc;
  while (i < end) {
    const c = b[i];
    if (c === 27 && b[i + 1] === 91) {
      let j = i + 2;
      while (j < end && ((b[j] >= 48 && b[j] <= 57) || b[j] === 59 || b[j] === 63)) j++;
      const f = j < end ? b[j] : -1;
      if (((f >= 65 && f <= 90) || (f >= 97 && f <= 122)) && f !== 65) {
        removed = true;
        i = j + 1;
        continue;
      }
    }
    // a progress bar drawn in colour (rich: `Loss: 0.61\x1b[38;5;237m━━╺\x1b[0m 11/203`, its redraws often leaving
    // pieces of escapes behind): read as it is, the tokenizer skipping its escapes and blocks as before
    if (c === 0xe2 && b[i + 1] >= 0x94 && b[i + 1] <= 0x96) return -1;
    out[n++] = c;
    i++;
  }
  // a line feed after the copy, as after a line in the file: the tokenizer reads a number's digits up to a byte that
  // is none, not up to `end` (the copy's buffer holds a longer line's bytes after it)
  out[n] = 10;
  return removed ? n : -1;
}

export class InferredParser implements LineParser {
  private readonly shape = new Shape();
  private readonly byHash = new Map<number, Template>();
  private readonly templates: Template[] = [];
  private readonly meta: RunBuilder;
  private readonly scanner: MetaScanner;
  private ctx = NaN;
  private ctxHead = -1;
  private ctxLine = NaN;
  /** The latest header of another template than the current one (`Epoch 3/100` above `Batch 581/1750` lines). */
  private outer: { t: Template; val: number } | undefined;
  /** The previous non-blank line was a words-only line announcing evaluation: this record is an evaluation one. */
  private evalNext = false;
  /** The fold the last fold announcement named (NaN: none yet): see `foldField`. */
  private fold = NaN;
  private foldT: Template | undefined;
  /** The step of the last record line with a step key (not a header), its line and template: see `Template.near`. */
  private openStep = NaN;
  private openLine = -Infinity;
  private openT = -1;
  /** The shape hash of the record an evaluation announcement was followed by (its block goes on while it repeats). */
  private evalBlock = -1;
  /** The step of the block's last record (NaN: none): the block goes on only while its step moves forward. */
  private evalBlockStep = NaN;
  /** Lines of header lines whose `N/M` counter is at its total (`[Epoch 20/20]`). */
  private readonly finalHeaders = new Set<number>();
  /** Lines stating a planned number of epochs in words (`(30 epochs, head only)`) and the number, in line order. */
  private readonly plannedLines: number[] = [];
  private readonly plannedValues: number[] = [];
  private lastHeader: string[] | undefined;
  /** Counts the words-only header lines seen; per unnamed table template, the count when it was last tried. */
  private headerSerial = 0;
  private readonly headerTried = new Map<Template, number>();
  /** The line of the latest words-only header line (NaN: none, or a header behind a logger prefix). */
  private headerLine = NaN;
  /** The latest words-only line of each length (a table's header may be printed once, far above its rows). */
  private readonly headers = new Map<number, string[]>();
  /** Where the first cell of each of `headers` lies (`alignedUnder`; none for a header behind a logger prefix). */
  private readonly headerCell = new Map<number, Cell>();
  /** The line without its ANSI escapes (see `bytes`); lines longer than MAX_LINE never reach it. */
  private readonly plain = new Uint8Array(MAX_LINE + 1);
  private overflow = 0;
  private longLines = 0;
  private lines = 0;
  /** Lines read so far. */
  get lineCount(): number {
    return this.lines;
  }
  private cached: ParseResult | undefined;
  private last: Template | undefined;
  private lastHash = -1;
  private state: ReturnType<typeof build> | undefined;
  private job = 0;
  /** Points the last `result()`'s assembly read or wrote synchronously (small after `prepareResult`). */
  lastResultWork = 0;
  /** Where the line template changes: the banners that may open a training (infer/trainings.ts). */
  private readonly banners = new Banners();
  private bannerHash = -1;
  /** Trainings found by the last plan (empty: one training). */
  private trainings: Training[] = [];
  private splitMemo:
    { t: Template; rows: number; merged: number; key: string; from: number; renamed: number[] } | undefined;
  /** First lines of the trainings after the first, told apart by their records' text (empty: one training). */
  private templateStarts: number[] = [];
  /** The runs of the earlier of those trainings, as last built (they are finished: a later one has started). */
  private earlierMemo: { key: string; runs: Run[] } | undefined;

  /** The file's name says it holds a loss (`namedForLoss`). */
  readonly lossFile: boolean;

  constructor(
    private readonly path: string,
    private readonly maxSeriesPoints?: number,
  ) {
    this.meta = new RunBuilder(path, 'generic-text', '', maxSeriesPoints);
    this.lossFile = namedForLoss(path);
    this.scanner = new MetaScanner(this.meta);
  }

  /** The feeder's next line is the file's last, without a line feed (see `cutRecord`). */
  private cutLast = false;
  /** The cells of an HTML table row being read (`<tr>` … `</tr>`, one cell a line or all on one), or undefined. */
  private htmlRow: string[] | undefined;
  private htmlRowHead = true;
  /** The header cells (`<th>`) of the HTML table being read, or undefined. */
  private htmlHead: string[] | undefined;
  unterminated(): void {
    this.cutLast = true;
  }

  /**
   * The file's last line, written without a line feed, when it is a record of the lines above cut off short (a
   * trainer killed while printing, or a log copied while it ran: `epoch 3 step 630 train_loss 2.31 train` under lines
   * of `epoch 3 step 620 train_loss 2.29 train_acc 0.5 valid_loss 2.30`): that record's template, with `s` holding
   * the fields the cut line has whole and NaN for those never written (their series leave the row out:
   * `Template.cutLine`). Only at a known end of input (`unterminated`): a growing file's last line waits for its
   * line feed. A number that ends the line may have lost digits, so it is not read; the step fields must all be
   * there, the fields' keys those of the record, and the text after the last whole field the start of the next
   * field's key. Undefined otherwise.
   */
  private cutRecord(b: Uint8Array, start: number, end: number, s: Shape, lineNo: number): Template | undefined {
    // the record begun: of the templates it matches, the one whose last line is the latest (`step 630` lines may
    // stand between the records)
    let best: Template | undefined;
    let bestLine = -1;
    let m = 0;
    for (const t of this.templates) {
      const last = t.rows ? t.lines.data[t.rows - 1] : -1;
      const whole = last > bestLine ? this.cutOf(t, b, start, end, s) : 0;
      if (whole > 0) {
        best = t;
        bestLine = last;
        m = whole;
      }
    }
    if (!best) return undefined;
    const fields = best.fields;
    for (let k = m; k < fields.length; k++) {
      s.val[k + best.skip] = NaN;
      s.flags[k + best.skip] = F_INT | (fields[k].flags & F_TOTAL);
    }
    s.nf = best.skip + fields.length;
    best.cutLine = lineNo;
    best.cutFields = m;
    return best;
  }

  /** How many of `t`'s fields the cut line `b[start..end)` holds whole as `t`'s record begun, or 0 (`cutRecord`). */
  private cutOf(t: Template, b: Uint8Array, start: number, end: number, s: Shape): number {
    // (NUL padding after the cut, a crashed writer's last block: no byte the trainer wrote)
    while (end > start && b[end - 1] === 0) end--;
    if (!t.stored || t.header || t.table || t.rows < 2 || end <= start) return 0;
    const isNum = (c: number) => (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;
    const skip = t.skip;
    let nf = Math.min(s.nf, MAX_FIELDS);
    const endsInNumber = nf > 0 && isNum(b[end - 1]);
    if (endsInNumber) nf--;
    const m = nf - skip;
    const fields = t.fields;
    if (m < 1 || m >= fields.length) return 0;
    const from = prefixEndBytes(b, start, end);
    let sk = 0;
    while (sk < nf && s.start[sk] < from) sk++;
    if (sk !== skip) return 0;
    let keyed = 0;
    for (let k = 0; k < fields.length; k++) {
      const f = fields[k];
      if (k >= m) {
        if (f.rank) return 0;
        continue;
      }
      if (((s.flags[k + skip] ^ f.flags) & (F_TOTAL | F_COUNTER)) !== 0) return 0;
      const key = f.flags & F_TOTAL ? '' : fieldKey(b, from, s.start[k + skip]);
      if (key !== f.key) return 0;
      if (key && !f.rank) keyed++;
    }
    if (!keyed) return 0;
    // what follows the last whole field: the next field's key begun (`train` of `train_acc`), or that key whole
    // before a number cut short
    const next = fields[m].key;
    if (endsInNumber) {
      if (!next || fieldKey(b, from, s.start[nf]) !== next) return 0;
    } else {
      let j = s.start[nf - 1];
      while (j < end && isNum(b[j])) j++;
      const tail = Buffer.from(b.buffer, b.byteOffset + j, end - j)
        .toString('latin1')
        .replace(/^[\s,;|:=()[\]]+/, '')
        .trimEnd();
      if (tail && !(next && next.startsWith(tail))) return 0;
    }
    return m;
  }

  /**
   * One line of an HTML table (`<table>`, `<tr>`, `<td>1</td>`, `</tr>`, or a whole `<tr><td>…</td>…</tr>`): true when
   * it was taken as part of a row. A row of header cells (`<th>Step</th><th>Training Loss</th>`) names the columns;
   * each row of values after it is read as one line `Step: 1 | Training Loss: 1.5471` (without a header, as its
   * values apart by two blanks, a fixed-width row). Only lines that start with `<` come here.
   */
  private htmlLine(b: Uint8Array, start: number, end: number, lineNo: number): boolean {
    if (end - start > 4000) return false;
    const text = Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');
    if (/^<table\b/i.test(text)) {
      this.htmlHead = undefined;
      this.htmlRow = undefined;
      return false;
    }
    const opens = /^<tr\b/i.test(text);
    if (opens) {
      this.htmlRow = [];
      this.htmlRowHead = true;
    } else if (!this.htmlRow || !/^<(?:t[dh]\b|\/tr>)/i.test(text)) return false;
    const row = this.htmlRow!;
    const cell = /<(t[dh])\b[^>]*>(.*?)<\/t[dh]\s*>/gi;
    for (let m = cell.exec(text); m; m = cell.exec(text)) {
      if (row.length >= 64) break;
      if (m[1].toLowerCase() === 'td') this.htmlRowHead = false;
      row.push(
        m[2]
          .replace(/<[^>]*>/g, '')
          .replace(/&nbsp;/g, ' ')
          .trim(),
      );
    }
    if (!/<\/tr\s*>/i.test(text)) return true;
    this.htmlRow = undefined;
    if (row.length === 0) return true;
    if (this.htmlRowHead) {
      this.htmlHead = row;
      return true;
    }
    const head = this.htmlHead && this.htmlHead.length === row.length ? this.htmlHead : undefined;
    const line = head
      ? row
          .map((c, i) => (c && head[i] ? `${head[i]}: ${c}` : c))
          .filter(Boolean)
          .join(' | ')
      : row.join('  ');
    if (line) this.line(line, lineNo);
    return true;
  }

  line(text: string, lineNo: number): void {
    const buf = Buffer.from(text, 'utf8');
    this.bytes(buf, 0, buf.length, lineNo);
  }

  bytesLine(buf: Uint8Array, start: number, end: number, lineNo: number): void {
    this.bytes(buf, start, end, lineNo);
  }

  private bytes(b: Uint8Array, start: number, end: number, lineNo: number): void {
    // a line that starts with a tag (after blanks): an HTML table's row or cell (a notebook's output exported to
    // markdown or HTML: the Trainer's `Step | Training Loss` table) is read as the row it draws
    let lead = start;
    while (lead < end && (b[lead] === 32 || b[lead] === 9)) lead++;
    if (b[lead] === 60 && lead < end && this.htmlLine(b, lead, end, lineNo)) return;
    // records printed without a line break between them (one line holding the same record many times), or a
    // column of values written out on one line
    if (end - start > MAX_LINE && (this.glued(b, start, end, lineNo) || this.valuesLine(b, start, end, lineNo))) return;
    this.lines++;
    this.cached = undefined;
    if (end - start > MAX_LINE) {
      this.longLines++;
      this.loosePlans(b, start, end, lineNo);
      return;
    }
    const s = this.shape;
    tokenize(b, start, end, s);
    // a line coloured whole or in part (`\x1b[32m…\x1b[0m`: rich, colorlog, loguru's colorize, a console captured
    // with `script`): read without its escapes, as it was printed on screen. Only a line that holds an ESC is copied
    // (the tokenizer notes where its first one is); a cursor-up (`\x1b[A`) stays, it marks a bar's redraw
    if (s.esc >= 0 && b !== this.plain) {
      const n = stripEscapes(b, s.esc, start, end, this.plain);
      if (n >= 0) {
        b = this.plain;
        start = 0;
        end = n;
        tokenize(b, start, end, s);
      }
    }
    if (s.nf > MAX_FIELDS && (this.glued(b, start, end, lineNo) || this.valuesLine(b, start, end, lineNo))) {
      this.lines--;
      return;
    }
    if (s.nf > MAX_FIELDS) this.loosePlans(b, start, end, lineNo);
    // a progress bar glued before a cursor-up (`Validation: … 0/? [00:00<?, ?it/s]\x1b[A[12/09/24 …] INFO Epoch 0: …`):
    // the line is what follows it
    if (s.redraw > start && s.redraw < end) tokenize(b, (start = s.redraw), end, s);
    // a line printed while a tqdm bar is on screen, glued after the meter (`…[00:05<01:23, 1.08s/it]loss: 0.52`):
    // the bar's draw is read as a line of its own, then what follows it
    // (a meter has an `n/total` counter: lines without one are not scanned)
    const m = hasTotal(s) ? meterEnd(b, start, end) : -1;
    if (m > 0) {
      this.bytes(b, start, m, lineNo);
      tokenize(b, (start = m), end, s);
    }
    if (s.hash !== this.bannerHash) {
      this.bannerHash = s.hash;
      this.banners.record(b, start, end, lineNo);
    }
    if (s.nf === 0) {
      if (s.words > 0) {
        this.evalNext = announcesEval(b, start, end);
        this.evalBlock = -1;
        if (end - start <= 300) {
          const kind = endKindAt(b, start, end);
          if (kind === 'completed' || kind === 'early-stop') this.banners.end(lineNo);
          else if (kind === 'interrupted') this.banners.stop(lineNo);
        }
      }
      // a header behind a logger prefix without numbers (`[rank0]:       Epoch    GPU_mem   box_loss …`: torchrun's
      // tag on each line, the table's rows redrawn after a `\r` without it): its names are the words after the
      // prefix, and where its cells lie says nothing of the rows (as for a prefix with a time stamp: `headerWords`)
      let from = start;
      if (s.words >= 2 && s.punct > 0 && (from = prefixEndBytes(b, start, end)) > start) tokenize(b, from, end, s);
      const words = s.words >= 2 && s.punct === 0 ? headerWords(b, from, end) : undefined;
      // a fixed-width header whose names hold blanks: its cells name rows of as many columns too
      const cells = s.words >= 2 && s.punct <= 2 ? headerCells(b, from, end) : undefined;
      const cell = (words || cells) && from === start ? firstCell(b, start, end) : undefined;
      if (words) this.setHeader(words, lineNo, cell);
      if (cells) this.addHeader(cells, cell);
      if (metaWorthy(b, start, end)) this.scanMeta(b, start, end, lineNo);
      return;
    }
    // a record announced as evaluation by the line before (`testing in eval mode……`) is kept apart from the same
    // print statement's training records: its own template, named as evaluation where it would share a series. A
    // record with an `N/M` counter says which loop it is in by its M (the loops are told apart by that, in
    // assemble.ts `loopsOf`), so the announcement is left to those that do not.
    // (an announcement heads a block: `Evaluation:` then one `step 100: loss …` line per evaluation batch; the
    // block goes on while the same record repeats line after line with its step moving forward, and ends at the first
    // line of another shape, or at a record of the same step: `testing in eval mode……` then `epoch: 0, loss is: 2.5`
    // then `epoch: 0, loss is: 0.63`, the evaluation's record and then the training's)
    let announced = this.evalNext && !hasTotal(s);
    if (!announced && s.hash === this.evalBlock)
      announced = this.stepOfLine(this.byHash.get((s.hash ^ EVAL_SALT) >>> 0), s) > this.evalBlockStep;
    const hash = announced ? (s.hash ^ EVAL_SALT) >>> 0 : s.hash;
    this.evalBlock = announced ? s.hash : -1;
    this.evalNext = false;
    let t = hash === this.lastHash ? this.last : this.byHash.get(hash);
    if (t === undefined && this.cutLast && !announced) t = this.cutRecord(b, start, end, s, lineNo);
    if (t === undefined) {
      if (this.templates.length >= MAX_TEMPLATES) {
        this.overflow++;
        if (metaWorthy(b, start, end)) this.scanMeta(b, start, end, lineNo);
        return;
      }
      // the names of the line just above (a words-only line), for a row that starts with as many bare values
      const above = this.lastHeader && lineNo - this.headerLine <= 1 ? this.lastHeader : undefined;
      t = new Template(this.templates.length, b, start, end, s, lineNo, above);
      t.announcedEval = announced;
      t.lossFile = this.lossFile;
      t.endLine = endsTraining(b, start, end);
      t.foldField = foldField(t);
      t.statesEpochs = s.words > 0 ? plannedEpochsField(b, end, s.start, Math.min(s.nf, MAX_FIELDS)) : -1;
      // an options dump's `Epochs: 25` (`num_epochs = 25`), a line of its own: the planned count too
      if (t.statesEpochs < 0 && t.fields.length === 1 && t.fields[0].allInt && PLANNED_EPOCHS_KEY.test(t.fields[0].key))
        t.statesEpochs = t.skip;
      const cell = t.table ? firstCell(b, start, end) : undefined;
      const n = this.lastHeader?.length;
      if (t.table && n === t.fields.length && alignedUnder(this.headerCell.get(n), cell))
        t.columnNames = splitColumns(this.lastHeader!, t.example) ?? this.lastHeader;
      else if (t.table) t.columnNames = this.spreadHeader(t, cell) ?? knownTableNames(t) ?? leadingNames(t, above);
      // a header behind a logger prefix (`2021-01-25 05:58:00 [INFO]:    Epoch  Batch  box …`): its numbers are all
      // the prefix's, the rest is words only
      else if (t.fields.length === 0 && t.skip > 0 && s.words >= 2)
        t.headerWords = headerWords(b, prefixEndBytes(b, start, end), end) ?? null;
      else t.headerWords = null;
      // words only behind a logger prefix (`2026-03-01 10:00:00,123 INFO - testing in eval mode`) announce an
      // evaluation as they do bare (a line without numbers, above)
      if (t.fields.length === 0 && t.skip > 0 && s.words > 0)
        t.evalAnnounce = announcesEval(b, prefixEndBytes(b, start, end), end);
      this.byHash.set(hash, t);
      this.templates.push(t);
    }
    if (t.headerWords) this.setHeader(t.headerWords);
    if (t.evalAnnounce) this.evalNext = true;
    if (t.table && !t.columnNames && this.headerSerial && this.headerTried.get(t) !== this.headerSerial)
      this.nameBarRow(t, firstCell(b, start, end));
    if (t.endLine) this.banners.end(lineNo);
    if (t.foldField >= 0) {
      // another fold announced, or the same fold by another line (`fold: 0 training` after `fold: 0 result`): the
      // training before it has ended (the same line with the same fold again is an argument dump of a relaunch)
      const fold = s.val[t.foldField + t.skip];
      if (this.fold === this.fold && (fold !== this.fold || t !== this.foldT)) this.banners.end(lineNo);
      this.fold = fold;
      this.foldT = t;
    }
    if (t.statesEpochs >= 0 && this.plannedLines.length < 4096) {
      this.plannedLines.push(lineNo);
      this.plannedValues.push(s.val[t.statesEpochs]);
    }
    this.last = t;
    this.lastHash = hash;
    if (announced) this.evalBlockStep = this.stepOfLine(t, s);
    const isNear = lineNo - this.openLine <= NEAR_LINES && this.openT !== t.id;
    const near = isNear ? this.openStep : NaN;
    t.add(s, lineNo, this.ctx, this.ctxHead, this.ctxLine, near, isNear ? this.openLine : NaN, this.openT);
    if (t.stored && !t.header && !t.table) this.opens(t, s, lineNo);
    // `iter = 20` alone on its line, then again with a greater value and records of another shape between: no
    // setting printed once but the header of those records (an N2NMN-style `iter = N` over a tab-indented record)
    if (t.settingStep) {
      const v = s.val[t.skip];
      if (!t.header && v > t.settingLast && lineNo - t.settingLine > 1) t.header = true;
      t.settingLast = v;
      t.settingLine = lineNo;
    }
    if (t.header) {
      // the best step key of the header line becomes the context of the lines below
      const best = t.bestStepField();
      if (best >= 0) {
        const v = s.val[best + t.skip];
        const tot = t.fields[best + 1];
        if (t.firstCtx !== t.firstCtx) t.firstCtx = v;
        if (this.ctxHead >= 0 && this.ctxHead !== t.id) this.outer = { t: this.templates[this.ctxHead], val: this.ctx };
        // a counter header nested under an earlier header (`Epoch 3/100`, then `  Batch 581/1750` lines, each with
        // its record below): the step is global, (epoch − first epoch) × batches per epoch + batch
        const o = this.outer;
        const per = tot && tot.flags & F_TOTAL ? s.val[best + 1 + t.skip] : 0;
        // (an epoch is the outermost loop: a header of a finer counter before it, an example dump's `idx: 4`, is none
        // around it)
        const finerOuter = !!o && t.fields[best].rank === EPOCH_RANK && outerRank(o.t) > EPOCH_RANK;
        if (o && o.t !== t && o.t.firstLine < t.firstLine && per > 0 && o.val === o.val && !finerOuter) {
          const first = o.t.firstCtx <= 1 ? o.t.firstCtx : o.t.fields.some((f) => f.flags & F_TOTAL) ? 1 : 0;
          this.ctx = (o.val - first) * per + v;
        } else this.ctx = v;
        this.ctxHead = t.id;
        this.ctxLine = lineNo;
        // `[Epoch 20/20]`: the header of a training's last planned epoch (its records end that training)
        if (tot && tot.flags & F_TOTAL && s.val[best + 1 + t.skip] === v && this.finalHeaders.size < 4096)
          this.finalHeaders.add(lineNo);
      }
    } else if (
      (!t.stored || t.count === 1 || (t.statesParams && t.count <= RESCANS)) &&
      (metaWorthy(b, start, end) || this.scanner.inParamTable(lineNo))
    ) {
      // (a stored template's first line too: `with parameters: 1,651,494` is a keyed value as well as a statement;
      // and a line that stated the parameter count is read again each time it comes back — a file holding
      // several launches states each one's model, `Model Summary: Params: 0.38M` … `Params: 1.19M`)
      if (t.count === 1) t.statesParams = hasAram(b, start, end);
      this.scanMeta(b, start, end, lineNo);
    }
  }

  /**
   * A line that holds several records printed without a line break (`train: 1 @ epoch:0/1 loss: 16.6 … batch time:
   * 50.1 train: 2 @ epoch:0/1 loss: 17.9 …`): the text before its first number (`train: `, at least three bytes with
   * a letter) starts the line again after a blank at least twice; each such piece is read as a line of its own.
   * False (nothing read) otherwise. Only called for lines too long or with too many fields to be one record.
   */
  private glued(b: Uint8Array, start: number, end: number, lineNo: number): boolean {
    let d = start;
    const lim = Math.min(end, start + 200);
    while (d < lim && !(b[d] >= 48 && b[d] <= 57)) d++;
    let e = d;
    while (e > start && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
    if (d >= lim || e - start < 3) return false;
    let letter = false;
    for (let i = start; i < e; i++) if (((b[i] | 32) >= 97 && (b[i] | 32) <= 122) || b[i] === 95) letter = true;
    if (!letter) return false;
    const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    const lead = buf.subarray(start, e);
    const cuts: number[] = [start];
    for (let p = buf.indexOf(lead, start + 1); p >= 0 && p < end; p = buf.indexOf(lead, p + 1))
      if (b[p - 1] === 32 || b[p - 1] === 9) cuts.push(p);
    if (cuts.length < 3) return false;
    cuts.push(end);
    for (let k = 0; k + 1 < cuts.length; k++) {
      let to = cuts[k + 1];
      while (to > cuts[k] && (b[to - 1] === 32 || b[to - 1] === 9)) to--;
      this.bytes(b, cuts[k], to, lineNo);
    }
    return true;
  }

  /**
   * A line that holds nothing but blank-separated numbers with a fraction (`1.995307 1.224100 2.928644 …`, a series
   * dumped with `' '.join(...)`), too many to be one record: a column of values written out on one line, each read as
   * a line of its own (so the file is bare values in record order). False (nothing read) otherwise. Only called for
   * lines too long or with too many fields to be one record.
   */
  private valuesLine(b: Uint8Array, start: number, end: number, lineNo: number): boolean {
    const cuts: number[] = [];
    let i = start;
    while (i < end) {
      while (i < end && (b[i] === 32 || b[i] === 9)) i++;
      if (i >= end) break;
      const from = i;
      let dot = false;
      if (b[i] === 45 || b[i] === 43) i++;
      while (i < end && b[i] !== 32 && b[i] !== 9) {
        const c = b[i];
        if (c === 46) dot = true;
        else if (!((c >= 48 && c <= 57) || c === 101 || c === 69 || c === 45 || c === 43)) return false;
        i++;
      }
      if (!dot) return false;
      cuts.push(from, i);
    }
    if (cuts.length / 2 <= MAX_FIELDS) return false;
    for (let k = 0; k < cuts.length; k += 2) this.bytes(b, cuts[k], cuts[k + 1], lineNo);
    return true;
  }

  /** Keeps `cells` as the names of rows with as many columns (`spreadHeader`), beside the latest header's words. */
  private addHeader(cells: string[] | undefined, cell?: Cell): void {
    if (!cells) return;
    this.headers.set(cells.length, cells);
    if (cell) this.headerCell.set(cells.length, cell);
    else this.headerCell.delete(cells.length);
  }

  /**
   * Names a table template's values before its progress bar from the latest header line with as many names
   * (`valuesBeforeBar`), when the row lies under that header's columns (`alignedUnder`).
   */
  private nameBarRow(t: Template, row: Cell | undefined): void {
    this.headerTried.set(t, this.headerSerial);
    const n = valuesBeforeBar(t);
    const words = n >= 3 ? this.headers.get(n) : undefined;
    if (words && alignedUnder(this.headerCell.get(n), row)) t.columnNames = leadingNames(t, words);
  }

  /** A record line with a step key opens a record that the step-less lines just below it may continue. */
  private opens(t: Template, s: Shape, lineNo: number): void {
    const v = this.stepOfLine(t, s);
    if (v !== v) return;
    this.openStep = v;
    this.openLine = lineNo;
    this.openT = t.id;
  }

  /** The value of a line's best step key (not a total) in its template (NaN: none, or no template yet). */
  private stepOfLine(t: Template | undefined, s: Shape): number {
    if (!t) return NaN;
    const best = t.bestStepField();
    return best < 0 ? NaN : s.val[best + t.skip];
  }

  private setHeader(words: string[] | undefined, lineNo = NaN, cell?: Cell): void {
    if (!words) return;
    this.headerSerial++;
    this.lastHeader = words;
    this.headerLine = lineNo;
    this.addHeader(words, cell);
  }

  /**
   * Names for a table row from the latest header with one word per column, the `N/M` totals not counted
   * (`Epoch  Batch  box …` over `0/29  40/165  0.172 …`); a column named as a step key (`Epoch`, `Batch`) is
   * keyed by that name, so the step is chosen as for a keyed line. A header laid out in fixed-width cells names only
   * rows under its columns (`alignedUnder`).
   */
  private spreadHeader(t: Template, row: Cell | undefined): string[] | undefined {
    const cols = t.fields.filter((f) => !(f.flags & F_TOTAL)).length;
    const n = this.headers.has(cols) ? cols : t.fields.length;
    const words = this.headers.get(n);
    if (!words || !alignedUnder(this.headerCell.get(n), row)) return undefined;
    let w = 0;
    const names = t.fields.map((f) => (words.length < t.fields.length && f.flags & F_TOTAL ? '' : words[w++]));
    t.fields.forEach((f, k) => {
      const rank = stepRank(names[k]);
      if (rank && f.col) {
        f.key = names[k];
        f.rank = rank;
      }
    });
    t.ranksChanged();
    return names;
  }

  /**
   * The planned total from a setting printed in the log (`max_iter: 200000`, `Total training steps: 31250`,
   * `max_epochs=500`; infer/planKeys.ts), when it counts what the loss's step axis counts.
   */
  private settingTotal(b: RunBuilder, built: Built): void {
    const name = built.slots.has('train/loss') ? 'train/loss' : built.slots.keys().next().value;
    const main = name === undefined ? undefined : built.slots.get(name);
    const unit = main ? this.axisUnit(main.parts[0].p) : undefined;
    if (!main || !unit) return;
    const st = b.run.metrics[name!]?.step;
    const { lastLine, records } = this.recordsOf(main.parts);
    const planned = plannedFromSettings(
      this.templates,
      unit,
      st && st.length ? st[st.length - 1] : 0,
      lastLine,
      records,
      this.loose,
    );
    if (planned) b.setMeta('totalSteps', planned.value, b.at(planned.line, `log line (planned ${unit}s, a setting)`));
  }

  /**
   * The line of a series' last point, and its record templates: the loss's own record lines and the lines that give
   * their step (a counter there is no setting).
   */
  private recordsOf(parts: readonly { p: Plan }[]): { lastLine: number; records: Set<Template> } {
    let lastLine = 0;
    for (const { p } of parts) lastLine = Math.max(lastLine, lastLineOf(p));
    const records = new Set<Template>();
    for (const { p } of parts) {
      records.add(p.t);
      const ctx = p.step.kind === 'ctx' || p.step.kind === 'compose-ctx';
      const head = ctx && p.t.ctxHead.n ? p.t.ctxHead.data[p.t.ctxHead.n - 1] : -1;
      if (head >= 0) records.add(this.templates[head]);
      if (p.step.kind === 'near' && p.t.nearT >= 0) records.add(this.templates[p.t.nearT]);
    }
    return { lastLine, records };
  }

  /**
   * The planned number of epochs (`meta.plannedEpochs`), reported apart from the planned total in steps: on a step
   * axis of epochs, the planned total itself; else the `N/M` total of the loss line's own epoch field (`Epoch: [1/5],
   * Batch: [50/12000]`, `Epoch=1/100, Step=2/211`, the outer counter of `[1/30] iter: 100/278`), as in force at the
   * series' last point; else that of the header line above its records when the header counts epochs (`Epoch: 0/199`
   * over `Epoch: 0, Step: 20, Loss: …`); else an epoch setting or sentence printed before the last point
   * (`num_epochs = 1000`, `MAX_EPOCHS: 50`, `Training for 10 epochs`). When the step axis composes steps with the
   * epoch (epoch × steps per epoch + step) and no total in steps is stated, the planned total in steps is derived
   * from it: planned epochs × steps per epoch, a source that says so. Runs once per build, after the totals.
   */
  private epochPlan(b: RunBuilder, built: Built): void {
    const main = built.slots.get('train/loss') ?? built.slots.values().next().value;
    const p = main?.parts[0]?.p;
    if (!main || !p) return;
    const unit = this.axisUnit(p);
    const stated = b.meta.totalSteps;
    if (unit === 'epoch') {
      if (stated) b.setMeta('plannedEpochs', stated.value, stated.source);
      return;
    }
    const f = p.t.fields;
    const hasTotal = (k: number) => {
      const t = f[k + 1];
      return k >= 0 && !!t && !!(t.flags & F_TOTAL) && t.total !== undefined && t.total > 0;
    };
    let plan: { value: number; line: number; how: string } | undefined;
    let ek = p.step.kind === 'compose' ? p.step.epoch : -1;
    if (!hasTotal(ek)) ek = f.findIndex((g, k) => !!g.rank && unitOf(g.key) === 'epoch' && hasTotal(k));
    if (hasTotal(ek))
      plan = { value: lastTotal(p, ek, f[ek + 1].total!), line: p.t.firstLine, how: 'log line, epoch N/M' };
    if (!plan && p.t.ctxHead.n && (p.step.kind === 'ctx' || p.step.kind === 'compose-ctx' || ek < 0)) {
      const h = this.templates[p.t.ctxHead.data[p.t.ctxHead.n - 1]];
      const k = h ? h.fields.findIndex((g) => g.rank && g.flags & F_COUNTER && unitOf(g.key) === 'epoch') : -1;
      const tot = k >= 0 ? h.fields[k + 1] : undefined;
      if (tot && tot.flags & F_TOTAL && tot.total !== undefined && tot.total > 0) {
        const at = headerTotalAt(p, h, k + 1) ?? { total: tot.total, line: h.firstLine };
        plan = { value: at.total, line: at.line, how: 'header line, epoch N/M' };
      }
    }
    if (!plan) {
      const { lastLine, records } = this.recordsOf(main.parts);
      const set = plannedFromSettings(this.templates, 'epoch', 0, lastLine, records, this.loose);
      if (set) plan = { value: set.value, line: set.line, how: 'log line (planned epochs, a setting)' };
      else {
        const n = plannedEpochsAt(this.plannedLines, this.plannedValues, lastLine);
        if (n > 0) {
          const line = this.plannedLines[upperIndex(this.plannedLines, lastLine) - 1];
          plan = { value: n, line, how: 'log line stating the epochs' };
        }
      }
    }
    if (!plan) return;
    b.setMeta('plannedEpochs', plan.value, b.at(plan.line, `${plan.how} (general reader)`));
    // (a bar redrawn per epoch counts its passes: `passes` with `per` steps each, as `compose` does)
    const s = p.step;
    const per = s.kind === 'compose' || s.kind === 'compose-ctx' || (s.kind === 'passes' && !s.epochs) ? s.per : 0;
    if (!stated && unit === 'step' && per > 0)
      b.setMeta(
        'totalSteps',
        plan.value * per,
        b.at(plan.line, `${DERIVED} ${plan.value} planned epochs × ${per} steps per epoch (general reader)`),
      );
  }

  /**
   * What the step axis of a plan counts: the step field's word (`iter`, `Epoch`, `Episode`), a header line's or the
   * record line above's step word, or optimizer steps for a step made global (epoch × steps per epoch + step, a bar's
   * passes); undefined in record order.
   */
  private axisUnit(p: Plan): AxisUnit | undefined {
    const s = p.step;
    if (s.kind === 'field') return unitOf(p.t.fields[s.k].key);
    if (s.kind === 'passes' && s.epochs) return 'epoch';
    if (s.kind === 'compose' || s.kind === 'compose-ctx' || s.kind === 'passes') return 'step';
    // the step of the record line just above (`Epoch: 3 | Epoch Time: 29 s` over an indented `Train: loss = …`): that
    // line's step key, when one template gives it
    if (s.kind === 'near') {
      const above = p.t.nearT >= 0 ? this.templates[p.t.nearT] : undefined;
      const k = above ? above.bestStepField() : -1;
      return k >= 0 ? unitOf(above!.fields[k].key) : undefined;
    }
    if (s.kind !== 'ctx' || !p.t.ctxHead.n) return undefined;
    const h = this.templates[p.t.ctxHead.data[p.t.ctxHead.n - 1]];
    let best: Template['fields'][number] | undefined;
    for (const f of h?.fields ?? []) if (f.rank && (!best || f.rank > best.rank)) best = f;
    return best ? unitOf(best.key) : undefined;
  }

  private scanMeta(b: Uint8Array, start: number, end: number, lineNo: number): void {
    const text = Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');
    this.scanner.scan(text.slice(prefixEndString(text)), lineNo);
  }

  /** Planned-total settings on lines no template holds in full (`settingsOfLongLine`); bounded. */
  private readonly loose: LoosePlan[] = [];

  /** Reads a long or many-numbered line's planned-total settings (a whole config printed as one dict). */
  private loosePlans(b: Uint8Array, start: number, end: number, lineNo: number): void {
    if (this.loose.length >= MAX_LOOSE_PLANS) return;
    const text = Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('latin1');
    for (const l of settingsOfLongLine(text, lineNo)) if (this.loose.length < MAX_LOOSE_PLANS) this.loose.push(l);
  }

  /**
   * The `N/M` total of the header line above a plan's records (`Epoch 3/70` over `loss: …`), as printed above its last
   * row (`headerTotalAt`), else the header's first; undefined when its header has no total.
   */
  private headerPlan(p: Plan): { total: number; line: number } | undefined {
    if (!p.t.ctxHead.n) return undefined;
    const h = this.templates[p.t.ctxHead.data[p.t.ctxHead.n - 1]];
    const k = h ? h.fields.findIndex((f) => f.rank && f.flags & F_COUNTER) : -1;
    const tot = k >= 0 ? h.fields[k + 1] : undefined;
    if (!tot || !(tot.flags & F_TOTAL) || tot.total === undefined || !(tot.total > 0)) return undefined;
    return headerTotalAt(p, h, k + 1) ?? { total: tot.total, line: h.firstLine };
  }

  /** The templates seen so far (for tests and detection). */
  get seen(): readonly Template[] {
    return this.templates;
  }

  /**
   * The trainings of the file (infer/trainings.ts), re-decided when the main template's rows grew by an eighth (as
   * plans are), so a live file costs O(new rows) per result between decisions. With `SERIES_FROM_LAST_TRAINING`
   * the plans are restricted to the last training; otherwise they are returned as they are (every attempt read,
   * last write per step) and the trainings are only reported.
   */
  private plansOfLastTraining(plans: readonly Plan[]): readonly Plan[] {
    const main = plans.find((p) => p.step.kind !== 'ordinal' && p.step.kind !== 'ctx');
    if (!main || this.banners.lines.length < 2) {
      this.trainings = [];
      this.renamed = [];
      return plans;
    }
    const key = `${main.step.kind}.${main.step.label}.${main.rows ? main.rows.length : '*'}`;
    const m = this.splitMemo;
    if (
      !m ||
      m.t !== main.t ||
      m.key !== key ||
      m.merged !== main.t.merged ||
      main.t.rows >= m.rows + Math.max(8, m.rows >> 3)
    ) {
      const r = lastTraining(plans, this.banners, planSteps, planLines);
      this.trainings = r.trainings;
      this.splitMemo = {
        t: main.t,
        rows: main.t.rows,
        merged: main.t.merged,
        key,
        from: r.trainings.length ? r.trainings[r.trainings.length - 1].fromLine : -Infinity,
        renamed: r.renamed,
      };
    }
    this.renamed = this.splitMemo!.renamed;
    const from = this.splitMemo!.from;
    if (!SERIES_FROM_LAST_TRAINING || from === -Infinity) return plans;
    const out: Plan[] = [];
    for (const p of plans) {
      const all = p.rows ?? Array.from({ length: p.t.rows }, (_, i) => i);
      const kept = all.filter((i) => p.t.lines.data[i] >= from);
      if (kept.length) out.push(kept.length === all.length ? p : { ...p, rows: kept });
    }
    return out;
  }

  /**
   * The plans of the run this parser shows as the file's own: the last training's when the file holds several
   * trainings told apart by their records' text (infer/trainings.ts `templateTrainings`), the earlier ones being
   * runs of their own (`earlierRuns`); else all of them.
   */
  private mainPlans(all: readonly Plan[] = plan(this.templates, this.banners.ends)): readonly Plan[] {
    return runToEnd(this.mainPlansSliced(all));
  }

  /**
   * `mainPlans` as a sliced computation (prepareResult): before each of its passes that are not sliced (the search
   * for trainings by banner, by the records' text, by end lines) it yields minus the rows they read, so a caller can
   * pause between them (`ASSEMBLY_CHUNK`). Same code, same result.
   */
  private *mainPlansSliced(all: readonly Plan[]): Generator<number, readonly Plan[]> {
    yield -all.reduce((n, p) => Math.max(n, p.rows ? p.rows.length : p.t.rows), 0);
    const plans = this.plansOfLastTraining(all);
    // re-decided as plans are: when the plans change, an end line or a final header is seen, or the rows grew by an
    // eighth — so a live file costs O(new rows) per result between decisions, not a pass over every step
    const key = plans.map((p) => `${p.t.id}.${p.t.merged}.${p.step.kind}.${p.step.label}`).join(',');
    const rows = plans.reduce((n, p) => n + (p.rows ? p.rows.length : p.t.rows), 0);
    const marks =
      this.banners.ends.length + this.finalHeaders.size + this.plannedLines.length + 1e6 * this.renamed.length;
    const m = this.startsMemo;
    if (!m || m.key !== key || m.marks !== marks || rows >= m.rows + Math.max(8, m.rows >> 3)) {
      yield -rows;
      const isLoss = (o: string) => nameFor(o) === 'train/loss';
      // (on the plans that give points: Keras' drafts of a line, dropped when the series are assigned, say nothing of
      // where a training starts — a fold's first draft may be of another template)
      const given = withoutDrafts(plans);
      let starts = templateTrainings(given, isLoss, planSteps);
      let by: 'text' | 'end' | 'both' | 'banner' = 'text';
      // within the biggest loss template, trainings that each finished before the next (the folds of a
      // cross-validation, then a final training printed by another statement: both rules split the file)
      const ended = yield* this.finishedStarts(given, isLoss);
      if (!starts.length) {
        starts = ended;
        by = 'end';
      } else if (ended.length) {
        starts = [...new Set([...starts, ...ended])].sort((a, b) => a - b);
        by = 'both';
      }
      // trainings whose reprinted banner names another model or configuration (infer/trainings.ts `trainingStarts`)
      // (when the other rules found none: they place their own starts, which a banner's would double)
      if (!starts.length && this.renamed.length) {
        starts = this.renamed;
        by = 'banner';
      }
      this.startsMemo = { key, rows, marks, starts, by };
    }
    this.templateStarts = this.startsMemo!.starts;
    this.splitBy = this.startsMemo!.by;
    if (!this.templateStarts.length) return plans;
    this.earlierSource = plans;
    return plansWithin(plans, this.templateStarts[this.templateStarts.length - 1], Infinity);
  }

  private earlierSource: readonly Plan[] = [];
  private startsMemo:
    { key: string; rows: number; marks: number; starts: number[]; by: 'text' | 'end' | 'both' | 'banner' } | undefined;
  /** How the trainings were told apart: their records' text, or each one's end before the next from the start. */
  private splitBy: 'text' | 'end' | 'both' | 'banner' = 'text';
  /** First lines of the trainings whose reprinted banner names another model or configuration. */
  private renamed: number[] = [];

  /** Trainings one after another in the training loss's own rows (infer/trainings.ts `finishedTrainings`). */
  private *finishedStarts(plans: readonly Plan[], isLoss: (o: string) => boolean): Generator<number, number[]> {
    if (
      !this.banners.ends.length &&
      !this.finalHeaders.size &&
      !plans.some((p) => p.step.kind === 'field' || p.step.kind === 'compose')
    )
      return [];
    const gives = (q: Plan, is: (o: string) => boolean) =>
      q.step.kind !== 'ordinal' && q.metrics.some((m) => !m.suffix && is(m.orig));
    // (when no key is the training loss itself, a training key with `loss` in it: YOLOX's `total_loss`; when no key
    // names a loss at all, the key the series take as the loss — `epoch 3/12 - cost 2.1`, a `Batch Energy`)
    let p =
      plans.find((q) => gives(q, isLoss)) ?? plans.find((q) => gives(q, (o) => /loss/i.test(o) && !EVAL_KEY.test(o)));
    // (the series' assignment, computed once for both questions below)
    let assigned: Assignment | undefined;
    const series = () => (assigned ??= seriesOfPlans(plans));
    if (!p) {
      const taken = unnamedLossKey(series());
      if (taken !== undefined) p = plans.find((q) => gives(q, (o) => o === taken));
    }
    if (!p) return [];
    const main = p;
    const lossKey = main.metrics.find((m) => !m.suffix && (isLoss(m.orig) || /loss/i.test(m.orig)))?.orig;
    // other templates feeding the same loss series (Keras' epoch lines with and without the validation values, fits
    // with and without a validation split one after another): their rows and the loss template's, in line order, are
    // the trainings' records — a fit told apart only in the other template ends there too
    const siblings = lossKey !== undefined ? sameSeriesPlans(series(), main, lossKey).slice(1) : [];
    const one = yield* this.trainingRows(main);
    if (!siblings.length)
      return finishedTrainings(one.steps, one.lines, this.banners.ends, one.reached, this.banners.stops);
    const parts = [one];
    for (const q of siblings) parts.push(yield* this.trainingRows(q, true));
    // (each part's rows are in line order: merged part by part, into typed arrays)
    let n = 0;
    for (const x of parts) n += x.steps.length;
    const steps = new Float64Array(n);
    const lines = new Float64Array(n);
    const done = new Uint8Array(n);
    const from = new Uint32Array(n);
    const at = parts.map(() => 0);
    // (a row at the step of the row just before, from another template, is the same record printed over two lines —
    // `Epoch 1, Batch 0/8, Loss: …` then `Epoch 1 Training - Loss: …` —: one row, not a one-point training begun again)
    let m = 0;
    for (let r = 0; r < n; r++) {
      let j = -1;
      for (let q = 0; q < parts.length; q++)
        if (at[q] < parts[q].steps.length && (j < 0 || parts[q].lines[at[q]] < parts[j].lines[at[j]])) j = q;
      const x = parts[j];
      // (rows of two templates on one line — the states of a bar redrawn with `\r` — have no line order between them:
      // no merge, the loss template's rows alone)
      if (m > 0 && x.lines[at[j]] === lines[m - 1] && j !== from[m - 1])
        return finishedTrainings(one.steps, one.lines, this.banners.ends, one.reached, this.banners.stops);
      const step = x.steps[at[j]];
      const fin = x.reached(at[j]) ? 1 : 0;
      if (m > 0 && step === steps[m - 1] && j !== from[m - 1]) done[m - 1] |= fin;
      else {
        steps[m] = step;
        lines[m] = x.lines[at[j]];
        done[m] = fin;
        from[m++] = j;
      }
      at[j]++;
    }
    yield -n;
    return finishedTrainings(
      steps.subarray(0, m),
      lines.subarray(0, m),
      this.banners.ends,
      (r) => done[r] === 1,
      this.banners.stops,
    );
  }

  /** One plan's steps, lines and, per row, whether its stated planned total was reached there (`finishedStarts`). */
  private *trainingRows(
    p: Plan,
    sibling = false,
  ): Generator<number, { steps: ArrayLike<number>; lines: ArrayLike<number>; reached: (r: number) => boolean }> {
    const steps = yield* stepsOf(p);
    const n = steps.length;
    const rowOf = (r: number) => (p.rows ? p.rows[r] : r);
    const lines = yield* linesOf(p);
    // the step's own `N/M` counter at its total; or, for an epoch-composed step, the epoch's (`epoch: 20/20, iter:
    // 110/112`: the last planned epoch reached, though its last iteration is not logged)
    const k = p.step.kind === 'field' ? p.step.k : p.step.kind === 'compose' ? p.step.epoch : -1;
    const f = p.t.fields;
    const tot = k >= 0 && f[k + 1] && f[k + 1].flags & F_TOTAL ? f[k + 1].col : undefined;
    const cur = tot ? f[k].col : undefined;
    const ctxLine = p.step.kind === 'ctx' || p.step.kind === 'compose-ctx' ? p.t.ctxLine : undefined;
    // the epochs a sentence above the training states (`(30 epochs, head only)`), reached by an epoch step
    const byEpoch = p.step.kind === 'field' && /epoch/.test(p.step.label);
    // the last epoch every attempt reached, when they all reached the same (a script run to its end again and again;
    // only before a step back to the start, as the attempts were counted). An epoch step only: a counter within the
    // epoch (`Batch Loss: 4.89  [10240/10624]`) starts again each epoch and reaches the same last value every time
    // (not for a sibling template's rows: its attempts are the main template's too, counted there)
    const repeated = byEpoch && !sibling ? repeatedLastStep(steps) : NaN;
    // an epoch-composed step whose epoch reached the planned count a line above states (`Epochs: 25`, then `Epoch 24 -
    // Batch 1500 - Loss = …` counting from 0)
    const ep = p.step.kind === 'compose' ? p.step : undefined;
    const epochCol = ep ? f[ep.epoch].col : undefined;
    // the same for an epoch-composed step (`Epoch 00029 | Step 00140`): the last epoch every attempt reached (the
    // composed step's last value differs when the attempts log a different number of records per epoch: the same
    // script run again on 4, 3, 2 and 1 GPUs)
    let repeatedEpoch = NaN;
    if (ep && epochCol && !sibling && n >= 6) {
      const epochs = new Float64Array(n);
      for (let r = 0; r < n; r++) epochs[r] = epochCol.data[rowOf(r)];
      repeatedEpoch = repeatedLastStep(epochs);
    }
    const reached = (r: number) =>
      (steps[r] === repeated && r + 1 < n && steps[r + 1] <= steps[0]) ||
      (repeatedEpoch === repeatedEpoch &&
        epochCol!.data[rowOf(r)] === repeatedEpoch &&
        r + 1 < n &&
        steps[r + 1] <= steps[0]) ||
      (!!ep &&
        !!epochCol &&
        this.plannedLines.length > 0 &&
        epochCol.data[rowOf(r)] - ep.first + 1 === plannedEpochsAt(this.plannedLines, this.plannedValues, lines[r])) ||
      !!(cur && tot && cur.data[rowOf(r)] === tot.data[rowOf(r)]) ||
      (byEpoch && plannedEpochsAt(this.plannedLines, this.plannedValues, lines[r]) === steps[r]) ||
      !!(ctxLine && ctxLine.n > rowOf(r) && this.finalHeaders.has(ctxLine.data[rowOf(r)]));
    yield -n;
    return { steps, lines, reached };
  }

  /** The earlier trainings' runs (ids `<path>#training N`), built once per change of their rows. */
  private earlierRuns(): Run[] {
    const starts = this.templateStarts;
    if (!starts.length) return [];
    const plans = this.earlierSource;
    const key = `${starts.join(',')}|${plans.map((p) => `${p.t.id}:${p.t.merged}`).join(',')}|${starts[starts.length - 1]}`;
    if (this.earlierMemo?.key === key) return this.earlierMemo.runs;
    const runs: Run[] = [];
    const bounds = [-Infinity, ...starts];
    for (let j = 0; j + 1 < bounds.length; j++) {
      const within = plansWithin(plans, bounds[j], bounds[j + 1]);
      const nb = new RunBuilder(this.path, 'generic-text', `#training ${j + 1}`, this.maxSeriesPoints);
      nb.run.meta = { ...this.meta.run.meta };
      // (the planned epochs, and a total in steps derived from them, are this training's own: made again below)
      delete nb.run.meta.plannedEpochs;
      if (nb.run.meta.totalSteps?.source.how.startsWith(DERIVED)) delete nb.run.meta.totalSteps;
      const { built, b } = runToEnd(buildSliced(() => nb, within));
      if (!b.hasPoints()) continue;
      const main = built.slots.get('train/loss') ?? built.slots.values().next().value;
      if (main) b.run.meta.stepAxis = axisOf(main.parts[0].p, b);
      // a plan the file's run took from its header line: this training's own header's (`Epoch 1/60` … before `Epoch
      // 1/20` …)
      const q = main?.parts[0].p;
      if (q && q.step.kind === 'ctx' && b.run.meta.totalSteps?.source.how === HEADER_PLAN) {
        const hp = this.headerPlan(q);
        if (hp) b.setMeta('totalSteps', hp.total, b.at(hp.line, HEADER_PLAN), true);
      }
      this.epochPlan(b, built);
      runs.push(b.run);
    }
    this.earlierMemo = { key, runs };
    return runs;
  }

  private readonly fresh = () => {
    const nb = new RunBuilder(this.path, 'generic-text', '', this.maxSeriesPoints);
    nb.run.meta = this.meta.run.meta;
    return nb;
  };

  /**
   * Assembles the run in slices, awaiting `pause()` between them, so that the following `result()` finds the series
   * built and costs little (issue 14: the first result of a huge log held the host for the whole assembly). A slice
   * ends after `slicePoints` points read or written or after `sliceMs` of wall time, whichever comes first (checked
   * at every chunk of `ASSEMBLY_CHUNK` points): a point count alone made slices as long as the machine was slow
   * (issue 17: 10.5–21.2 ms CPU under load for the same 32,768 points). The same code as `result()`'s assembly
   * (`buildSliced`), so the same result. Abandoned when lines arrive or `result()` is called meanwhile (`result()`
   * then assembles from scratch). `onSlice(points)` reports each slice's work.
   */
  async prepareResult(
    pause: () => Promise<void>,
    slicePoints = ASSEMBLY_SLICE_POINTS,
    onSlice?: (points: number) => void,
    sliceMs = ASSEMBLY_SLICE_MS,
  ): Promise<void> {
    if (this.cached) return;
    const id = ++this.job;
    const lines = this.lines;
    const gone = () => this.job !== id || this.lines !== lines;
    let units = 0;
    let t0 = 0;
    /** Ends the slice: reports it, pauses; false when the job was superseded meanwhile. */
    const next = async (): Promise<boolean> => {
      onSlice?.(units);
      units = 0;
      await pause();
      t0 = performance.now();
      return !gone();
    };
    /**
     * Runs a sliced generator: a slice ends at `slicePoints` points or `sliceMs`, or before a pass that is not sliced
     * (a negative yield) once the slice has run 1 ms and the pass is over `slicePoints` rows or more or the slice has
     * run half its time; undefined when superseded.
     */
    const drain = async <R>(g: Generator<number, R>): Promise<{ value: R } | undefined> => {
      for (;;) {
        const r = g.next();
        if (r.done) return { value: r.value };
        const ms = performance.now() - t0;
        if (r.value >= 0) units += r.value;
        const end = r.value < 0 ? ms >= 1 && (-r.value >= slicePoints || ms >= sliceMs / 2) : units >= slicePoints;
        if ((end || ms >= sliceMs) && !(await next())) return undefined;
      }
    };
    // The plan (each template's decision), the steps of the main series (which the search for trainings reads) and
    // each pass of that search can end a slice: run together they held the host for 22 ms on the bench's 100 MB log.
    // The steps are made by the building's own sliced, cached generator: the search and the building then find them
    // made.
    t0 = performance.now();
    const all = await drain(planSliced(this.templates, this.banners.ends));
    if (!all) return;
    const main = all.value.find((p) => p.step.kind !== 'ordinal' && p.step.kind !== 'ctx');
    if (main && this.banners.lines.length >= 2 && !((await drain(stepsOf(main))) && (await drain(linesOf(main)))))
      return;
    const plans = await drain(this.mainPlansSliced(all.value));
    if (!plans) return;
    const prev = this.state;
    // a result() called while this runs builds afresh, never on a half-extended state
    this.state = undefined;
    const built = await drain(buildSliced(this.fresh, plans.value, prev));
    if (!built) return;
    onSlice?.(units);
    if (!gone()) this.state = built.value;
  }

  result(): ParseResult {
    if (this.cached) return this.cached;
    this.job++;
    const plans = this.mainPlans();
    const g = buildSliced(this.fresh, plans, this.state);
    let work = 0;
    for (;;) {
      const r = g.next();
      if (r.done) {
        this.state = r.value;
        break;
      }
      work += r.value;
    }
    this.lastResultWork = work;
    const { b, built } = this.state;
    const { restarts, used } = built;
    // summary diagnostics are made afresh each time (counts change as the file grows)
    const notes = new RunBuilder(this.path, 'generic-text');
    // the planned total is read from the training loss's template first (an `N/M` of another template — NCCL's
    // `GPU/2` or `0/-1/-1` topology lines printed thousands of times before the bar — is not the loop's plan)
    const lossPlan = built.slots.get('train/loss')?.parts[0]?.p;
    const order = lossPlan && used.includes(lossPlan) ? [lossPlan, ...used.filter((q) => q !== lossPlan)] : used;
    // a `Total steps: 1,637` line after the training loss's last point is a summary of the steps done (`Training
    // Statistics: - Total steps: …`), no plan: a stated setting (`Max iterations: 30000`) or a counter's total
    // says it
    // (the planned epochs and a total in steps derived from them are made afresh at each result, after the stated
    // totals, `epochPlan`: the meta outlives a result, and a live file's steps per epoch grow with its rows)
    delete b.meta.plannedEpochs;
    if (b.meta.totalSteps?.source.how.startsWith(DERIVED)) delete b.meta.totalSteps;
    const stated = b.meta.totalSteps;
    const lossSlot = built.slots.get('train/loss');
    if (stated && stated.source.how === TOTAL_STEPS_LINE && stated.source.line !== undefined && lossSlot) {
      let last = -Infinity;
      for (const { p } of lossSlot.parts) last = Math.max(last, lastLineOf(p));
      if (stated.source.line > last) delete b.meta.totalSteps;
    }
    // a setting printed in the log (`max_iter: 200000`) goes after the loss's own template, before the others
    let settings = false;
    for (const p of order) {
      if (p !== order[0] && !settings && !b.meta.totalSteps) {
        this.settingTotal(b, built);
        settings = true;
      }
      // the step of the header line above (`Train Epoch: 3/70 ...` over `total_loss: …`): that header's `N/M` total
      // — the header in force at the series' last point: fits one after another (Keras' `Epoch 1/3` … then `Epoch 1/5`
      // …) state each its own, and the last is the one the run ends under
      if (p.step.kind === 'ctx' && !b.meta.totalSteps) {
        const hp = this.headerPlan(p);
        if (hp) b.setMeta('totalSteps', hp.total, b.at(hp.line, HEADER_PLAN));
      }
      if (p.step.kind !== 'field') continue;
      const tot = p.t.fields[p.step.k + 1];
      // `Epoch 5 of 60`: a whole number keyed `of` right after the step, the same on every row and never below the
      // step, is the planned total written out in words
      const sc = p.t.fields[p.step.k].col;
      if (!b.meta.totalSteps && tot && tot.col && tot.col.n && sc && sc.n && /^of$/i.test(tot.key) && tot.allInt) {
        const c = tot.col;
        let same = true;
        for (let i = 1; i < c.n && same; i++) same = c.data[i] === c.data[0];
        let top = -Infinity;
        for (let i = 0; i < sc.n; i++) top = Math.max(top, sc.data[i]);
        if (same && c.data[0] > 0 && c.data[0] >= top)
          b.setMeta('totalSteps', c.data[0], b.at(p.t.firstLine, 'log line "N of M" (general reader)'));
      }
      // (a count: `Tree 0 : 2 -> 3 -> 0/-1/-1`, NCCL's topology, is no plan; nor another template's bar that ended
      // before the training loss's first point: a download's or a preprocessing's `170498071/170498071`)
      if (
        tot &&
        tot.total !== undefined &&
        tot.total > 0 &&
        tot.flags & F_TOTAL &&
        !b.meta.totalSteps &&
        !(lossPlan && p !== lossPlan && lastLineOf(p) < firstLineOf(lossPlan))
      ) {
        // the plan in force at the series' last point: a run in stages counts `step 50/182` then `step 382/12777`
        const total = lastTotal(p, p.step.k, tot.total);
        const planned = countsBothEnds(p.t.fields[p.step.k].col, total) ? total + 1 : total;
        b.setMeta(
          'totalSteps',
          planned,
          b.at(
            p.t.firstLine,
            `log line N/M (general reader)${planned !== total ? `: N runs 0…${total}, so ${planned} in all` : ''}`,
          ),
        );
      }
    }
    if (!settings && !b.meta.totalSteps) this.settingTotal(b, built);
    this.epochPlan(b, built);
    // the step axis chosen for the training loss (else the biggest series), for `parse --json` and the UI
    const main = built.slots.get('train/loss') ?? built.slots.values().next().value;
    if (main) b.run.meta.stepAxis = axisOf(main.parts[0].p, b);
    if (used.length) {
      const shown = used
        .slice(0, 3)
        .map((p) => `"${p.t.example}" ×${p.rows ? p.rows.length : p.t.rows} (step: ${p.step.label})`);
      notes.info(
        `general reader: metric lines inferred from ${used.length} line template${used.length > 1 ? 's' : ''}: ${shown.join('; ')}${used.length > 3 ? '; …' : ''}`,
        used[0].t.firstLine,
      );
      const ordinal = used.find((p) => p.step.kind === 'ordinal');
      if (ordinal)
        notes.warn(
          `no step field in "${ordinal.t.example}": its points are numbered in record order (1, 2, 3, …)`,
          ordinal.t.firstLine,
        );
    }
    if (built.lossFrom?.components)
      notes.info(
        `"${built.lossFrom.orig}" is taken as the training loss (train/loss): the other keys naming a loss are components printed together on one line`,
        built.lossFrom.line,
      );
    else if (built.lossFrom)
      notes.info(
        `no field is named as a loss: "${built.lossFrom.orig}" is taken as the training loss (train/loss): the training record's total when a key says so, else its first value that is not a time, speed, rate, accuracy-type score, norm or count`,
        built.lossFrom.line,
      );
    if (this.trainings.length > 1) {
      const earlier = this.trainings.slice(0, -1);
      const shown = earlier
        .slice(-5)
        .map((t) => `lines ${t.fromLine}–${t.toLine} (${t.points} points, last step ${t.lastStep})`);
      const last = this.trainings[this.trainings.length - 1];
      notes.warn(
        `${this.trainings.length} trainings in this file (the step goes back to the start after the opening banner is printed again): ${SERIES_FROM_LAST_TRAINING ? `the run shows the last one, from line ${last.fromLine}` : `every attempt is read and each series keeps the last value written per step; the last training starts at line ${last.fromLine}`}; earlier attempts: ${earlier.length > 5 ? `${earlier.length - 5} more, ` : ''}${shown.join('; ')}`,
        last.fromLine,
      );
    }
    if (restarts.length) {
      const where = restarts.slice(0, 5).join(', ') + (restarts.length > 5 ? ', …' : '');
      notes.warn(
        `the step goes back ${restarts.length} time${restarts.length > 1 ? 's' : ''} (a restart or resume in the same file) at line ${where}: every attempt was read; each series keeps the last value written for each step`,
        restarts[0],
      );
    }
    for (const p of used)
      if (p.t.merged)
        notes.info(
          `"${p.t.example}": more than ${ROW_CAP} lines; the oldest were averaged pairwise (${p.t.merged} merges) to bound memory, as series bins do`,
          p.t.firstLine,
        );
    if (!b.hasPoints() && this.lines > 0)
      notes.warn(`general reader: no metric lines (a step-like field with keyed values) among ${this.lines} lines`);
    if (this.overflow)
      notes.info(
        `more than ${MAX_TEMPLATES} distinct line templates; ${this.overflow} lines of further templates were not considered`,
      );
    if (this.longLines)
      notes.info(`${this.longLines} lines longer than ${MAX_LINE} bytes were not considered by the general reader`);
    const earlier = this.earlierRuns();
    if (earlier.length) {
      const starts = this.templateStarts;
      notes.warn(
        `${starts.length + 1} trainings in this file, one after another, ${SPLIT_REASON[this.splitBy]}: each is its own run (${earlier.map((r) => r.id.slice(this.path.length)).join(', ')}, and this one, the last, from line ${starts[starts.length - 1]})`,
        starts[starts.length - 1],
      );
    }
    const r = b.result();
    this.cached = {
      runs: [...earlier, ...r.runs],
      diagnostics: [...this.meta.diagnostics, ...r.diagnostics, ...notes.diagnostics],
    };
    return this.cached;
  }
}

/**
 * An `N/M` counter that takes both the values 0 and M (YOLO's `0/29 … 29/29`) counts M + 1 steps, not M; one
 * that starts at 1 (`1/100 … 100/100`) or never reaches M says nothing more than M.
 */
export function countsBothEnds(col: { n: number; data: Float64Array } | undefined, total: number): boolean {
  if (!col || col.n < 2) return false;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < col.n; i++) {
    const v = col.data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === 0 && hi === total;
}

/** The step axis of a plan, said the way the run's other readers say theirs (`meta.stepAxis`). */
function axisOf(p: Plan, b: RunBuilder) {
  const st = p.step;
  const where = `general reader, line template "${p.t.example}"`;
  const key = (k: number) =>
    p.t.fields[k].key.toLowerCase() || (p.t.fields[k].flags & F_TOTAL ? 'total' : `field ${k + 1}`);
  switch (st.kind) {
    case 'ordinal':
      return recordOrderAxis(b.at(p.t.firstLine, `${where}: no step field, points numbered in record order`));
    case 'ctx':
      return {
        value: st.label,
        source: b.at(p.t.firstLine, `${where}: the step of the header line above each record`),
      };
    case 'near':
    case 'opener':
      return {
        value: st.label,
        source: b.at(p.t.firstLine, `${where}: the step of the record line just above (a record over several lines)`),
      };
    case 'compose':
      return {
        value: st.label,
        source: b.at(
          p.t.firstLine,
          `${where}: global step = (${key(st.epoch) || 'outer'} − ${st.first}) × ${st.per} + ${key(st.k) || 'counter'} (the counter restarts each ${key(st.epoch) || 'outer step'})`,
        ),
      };
    case 'compose-ctx':
      return {
        value: st.label,
        source: b.at(
          p.t.firstLine,
          `${where}: global step = (header step − ${st.first}) × ${st.per} + ${key(st.k) || 'counter'} (the counter restarts under each header)`,
        ),
      };
    case 'passes':
      if (st.epochs)
        return {
          value: st.label,
          source: b.at(
            p.t.firstLine,
            `${where}: step = epochs done + ${key(st.k) || 'first value'} (a share of the epoch that starts again each epoch, ${st.at.length + 1} epochs)`,
          ),
        };
      return {
        value: st.label,
        source: b.at(
          p.t.firstLine,
          `${where}: global step = pass × ${st.per} + counter (the bar is drawn again from its start after reaching its total, ${st.at.length + 1} passes)`,
        ),
      };
    default:
      return { value: st.label, source: b.at(p.t.firstLine, where) };
  }
}

function prefixEndString(text: string): number {
  const buf = Buffer.from(text, 'latin1');
  const k = prefixEndBytes(buf, 0, buf.length);
  // prefixes are ASCII, so byte and character indices agree up to k
  return k;
}

/** The sniff's bytes the general reader looks at: at most SNIFF_LINES lines. */
function sniffLinesOf(sniff: Sniff): Uint8Array {
  let bytes = sniff.head;
  let nl = -1;
  for (let n = 0; n < SNIFF_LINES; n++) {
    nl = bytes.indexOf(10, nl + 1);
    if (nl < 0) break;
  }
  if (nl >= 0) bytes = bytes.subarray(0, nl + 1);
  return bytes;
}

/** Confidences already computed for a sniff (by `inferConfidenceSliced`, ahead of the registry's sync call). */
const computed = new WeakMap<Sniff, number>();

/**
 * `inferConfidence`, with the sniff fed to the parser `sliceBytes` at a time and `pause()` awaited between slices,
 * so a host thread is never held for the whole sniff (issue 14: the first read of a huge log). The feeder's output
 * does not depend on how its input is cut, so the confidence is the same; it is remembered for this sniff, and the
 * registry's synchronous `detect` call on it then costs nothing. `onSlice(bytes)` reports each slice's size.
 */
export async function inferConfidenceSliced(
  sniff: Sniff,
  pause: () => Promise<void>,
  sliceBytes = 16 * 1024,
  onSlice?: (bytes: number) => void,
): Promise<number> {
  const known = computed.get(sniff);
  if (known !== undefined) return known;
  const parser = new InferredParser(sniff.path);
  const feeder = new LineFeeder('(sniff)', parser);
  const bytes = sniffLinesOf(sniff);
  for (let i = 0; i < bytes.length; i += sliceBytes) {
    const piece = bytes.subarray(i, Math.min(bytes.length, i + sliceBytes));
    onSlice?.(piece.length);
    feeder.push(piece);
    await pause();
  }
  feeder.flush();
  const c = confidenceOf(parser);
  computed.set(sniff, c);
  return c;
}

/** Confidence from running the parser over the sniff (its bytes, through the same feeder as a file). */
export function inferConfidence(sniff: Sniff): number {
  const known = computed.get(sniff);
  if (known !== undefined) return known;
  const parser = new InferredParser(sniff.path);
  const feeder = new LineFeeder('(sniff)', parser);
  feeder.push(sniffLinesOf(sniff));
  feeder.flush();
  return confidenceOf(parser);
}

/**
 * The general reader's confidence over a file read whole, piece by piece (not over a sample of it): for a file no
 * reader claimed on its sampled sniff, because its metric lines sit between windows — a short training log after
 * megabytes of warnings, a traceback or a tool's output (issue 14, pattern 5). The same parser and the same rule as
 * the sniff's confidence, so the file is claimed exactly when its read would find a loss-like series.
 */
export class WholeFileScan {
  private readonly parser: InferredParser;
  private readonly feeder: LineFeeder;
  constructor(path: string) {
    this.parser = new InferredParser(path);
    this.feeder = new LineFeeder('(scan)', this.parser);
  }
  push(bytes: Uint8Array): void {
    this.feeder.push(bytes);
  }
  /** The confidence once every piece was pushed (the last line flushed). */
  confidence(): number {
    this.feeder.flush();
    return confidenceOf(this.parser);
  }
  /**
   * The line (1-based, counted in `\n`) of the first record of a loss-like template seen (after `confidence()`), or
   * undefined: where the training's own prints begin after a preamble, so that the specific readers can be scored on
   * a sniff taken there, as they would be on the same log printed without the preamble.
   */
  firstLossLine(): number | undefined {
    let first: number | undefined;
    for (const p of plan(this.parser.seen))
      if (p.t.rows >= 3 && lossLike(p) && (first === undefined || p.t.firstLine < first)) first = p.t.firstLine;
    return first;
  }
}

/** Does a plan's template key a loss-like metric (a loss, a perplexity, an accuracy, an error; a table's train/val)? */
function lossLike(p: Plan): boolean {
  return p.metrics.some(
    (m) =>
      /loss|ppl|perplexity|acc|bpb|(?:^|[^a-z])(?:mse|mae|rmse|err|cost)(?![a-z])|损失|損失|손실/i.test(m.orig) ||
      (p.t.table && /train|val|test/i.test(m.orig)),
  );
}

function confidenceOf(parser: InferredParser): number {
  const plans = plan(parser.seen);
  let best = 0;
  let lossRows = 0;
  for (const p of plans) {
    const keyedStep = p.step.kind === 'field' || p.step.kind === 'compose' ? p.t.fields[p.step.k].rank >= 4 : false;
    const loss = lossLike(p);
    if (p.t.rows >= 3) best = Math.max(best, loss ? 0.6 : p.step.kind !== 'ordinal' ? 0.55 : 0);
    // bare values, one per line, make up most of the text (a loop that prints only its loss)
    if (p.t.bareValue && p.t.rows >= 3 && p.t.rows * 2 >= parser.lineCount) best = Math.max(best, 0.55);
    // a header line naming a loss over numeric rows is a metrics table even when short (a 2-epoch Keras history)
    else if (p.t.table && p.t.columnNames?.some((n) => /loss/i.test(n)) && p.t.rows >= 2) best = Math.max(best, 0.55);
    else if (keyedStep && loss) best = Math.max(best, 0.55);
    // rows of bare numbers, no header, in a file named for a loss (its first column is the loss, as in a table
    // with no names): they make up most of the text
    else if (
      parser.lossFile &&
      p.t.table &&
      p.t.rows >= 3 &&
      p.t.rows * 2 >= parser.lineCount &&
      p.metrics.every((m) => /^column \d+$/.test(m.orig))
    )
      best = Math.max(best, 0.55);
    if (loss && p.step.kind !== 'ordinal') lossRows += p.rows ? p.rows.length : p.t.rows;
  }
  // several short templates of loss lines (train and validation lines of a short run)
  if (lossRows >= 3) best = Math.max(best, 0.55);
  return best;
}

export const inferredReader: TextReader = {
  format: 'generic-text',
  kind: 'text',
  detect: (sniff) => inferConfidence(sniff),
  create: (path, options) => new InferredParser(path, options?.maxSeriesPoints),
};
