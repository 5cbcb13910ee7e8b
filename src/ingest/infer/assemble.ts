/**
 * From templates to a run: which templates are metric lines, which field is their step, what the metrics are
 * called, and the series with restarts resolved. Pure; re-run whenever the result is asked for after new lines,
 * so every decision is re-made on all the data seen so far (a live file keeps being re-decided).
 *
 * Step axis of a template, in order of preference:
 *  1. a field keyed by a step word (`global_step` > `step` > `iter`/`iteration` > `update` > `batch` > `epoch`);
 *     a per-epoch counter that restarts each epoch (`Epoch [3/100], Step [200/500]`) is made global with the
 *     epoch: (epoch − first epoch) × steps per epoch + step, steps per epoch from `N/M` or the largest N; likewise an unkeyed
 *     counter that restarts each epoch (`Epoch: [3][200]`); a split word before a counter (`Train 3,`,
 *     `Train: [3/50]`) is a step key too;
 *  2. an unkeyed `N/M` counter (tqdm's `450/1000`);
 *  3. an unkeyed integer column that grows (`120 train 3.41`), or a pair of them where the second restarts
 *     whenever the first moves on (`[scale : iter]`, made global like epochs);
 *  4. the step of the header line above (`Epoch 3` followed by indented `loss: 2.1` lines);
 *  5. none: record order (1, 2, 3, …), said in a diagnostic — only for lines with a loss-like value.
 * Restarts (the step goes back): every attempt is read; each series keeps the last value written for each step
 * (sorted by step), and one diagnostic lists where the steps went back.
 */
import type { RunBuilder } from '../runBuilder';
import { canonicalKey, normalizeName } from '../names';
import { F_COUNTER, F_TOTAL } from './tokenize';
import { upper } from './trainings';
import { Column, EPOCH_RANK, WEAK_STEP_RANK, type Template } from './templates';

/** Keys of a loss or a score; an error measure spelled short (`mse`, `train_err`, `cost`) is a loss too. */
const LOSS_LIKE =
  /loss|ppl|perplexity|bpb|bpc|nll|acc|error|reward|score|(?:^|[^a-z])(?:mse|mae|rmse|err|cost)(?![a-z])|损失|損失|손실/i;
/** The word for a loss in Chinese, Japanese and Korean keys (`训练损失`, `평균 손실`). */
const CJK_LOSS = /损失|損失|손실/;
const SPLIT_WORDS = new Set(['train', 'training', 'val', 'valid', 'validation', 'eval', 'test']);
export const MAX_SERIES = 64;

type StepSource =
  | { kind: 'field'; k: number; label: string }
  | { kind: 'compose'; k: number; epoch: number; per: number; first: number; label: string }
  | { kind: 'compose-ctx'; k: number; per: number; first: number; label: string }
  /** `lead`: the step of the rows before the first header line (`headlessLead`), when they have one. */
  | { kind: 'ctx'; label: string; lead?: number }
  /** The step of the record line just above (`Template.near`): a record printed over several lines. */
  | { kind: 'near'; label: string }
  /** The step assigned to the record's first line (`openerSteps`), row by row: a record printed over several lines. */
  | { kind: 'opener'; at: Float64Array; label: string }
  | { kind: 'ordinal'; label: string }
  /**
   * A progress bar's `N/M` counter drawn again from the start after each complete pass: step = pass × per + N; with
   * `epochs`, a share of the epoch (per 1) after the epochs done (`epochShare`).
   */
  | { kind: 'passes'; k: number; per: number; at: Float64Array; label: string; epochs?: true };

export interface Plan {
  t: Template;
  step: StepSource;
  /** `suffix`: appended to the series' name and original name (a second loop printing the same keys). */
  metrics: { k: number; orig: string; suffix?: string }[];
  /** A subset of the template's rows (lines under one kind of header), in order; all rows when absent. */
  rows?: number[];
}

/** Words of a header key that mark evaluation (`Eval epoch: 3` → the lines below are evaluation values). */
const EVAL_WORDS = new Set([
  'eval',
  'evaluation',
  'evaluating',
  'val',
  'valid',
  'validation',
  'validating',
  'test',
  'testing',
  'dev',
]);

const colOf = (t: Template, k: number) => t.fields[k].col!;

/** The smallest value of a column (Infinity when it is empty). */
function colMin(c: Column): number {
  let min = Infinity;
  for (let i = 0; i < c.n; i++) if (c.data[i] < min) min = c.data[i];
  return min;
}

/** The largest value of a column (−Infinity when it is empty). */
function colMax(c: Column): number {
  let max = -Infinity;
  for (let i = 0; i < c.n; i++) if (c.data[i] > max) max = c.data[i];
  return max;
}

function distinct(t: Template, k: number, max = 3): number {
  const c = colOf(t, k);
  const seen = new Set<number>();
  for (let i = 0; i < c.n && seen.size < max; i++) seen.add(c.data[i]);
  return seen.size;
}

/** Share of consecutive pairs that go up, and that go down. */
function trend(t: Template, k: number): { up: number; down: number } {
  const c = colOf(t, k);
  let up = 0;
  let down = 0;
  for (let i = 1; i < c.n; i++) {
    const d = c.data[i] - c.data[i - 1];
    if (d > 0) up++;
    else if (d < 0) down++;
  }
  const n = Math.max(1, c.n - 1);
  return { up: up / n, down: down / n };
}

/** Does `k` hold the same value on two consecutive rows? */
function repeats(t: Template, k: number): boolean {
  const c = colOf(t, k);
  for (let i = 1; i < c.n; i++) if (c.data[i] === c.data[i - 1]) return true;
  return false;
}

/**
 * A one-letter key before an `N/M` counter (`epoch=0 i=3/530`) is a loop variable, not a name: the field is read as
 * an unkeyed `N/M` counter.
 */
const loopIndex = (f: Template['fields'][number]): boolean => !!(f.flags & F_COUNTER) && /^[a-z]$/i.test(f.key);

/** The `N/M` counter of a template (the index of N, its total at N + 1), or -1. */
const counterAt = (t: Template) =>
  t.fields.findIndex((x, j) => x.flags & F_COUNTER && x.col && t.fields[j + 1]?.flags & F_TOTAL && t.fields[j + 1].col);

/** Are all values of field `k` whole numbers (however printed)? */
function integral(t: Template, k: number): boolean {
  const c = colOf(t, k);
  for (let i = 0; i < c.n; i++) if (!Number.isInteger(c.data[i])) return false;
  return c.n > 0;
}

/** Does the integer field `k` move on at (nearly) every record, going back only at restarts? */
function epochGrows(t: Template, k: number): boolean {
  const f = t.fields[k];
  if (!f.col || !f.allInt || f.flags & F_TOTAL) return false;
  const tr = trend(t, k);
  return tr.up >= 0.9 && tr.down <= 0.05;
}

/**
 * Is the keyed step `k`, the same on every record, an `N/M` counter logged once per epoch at the same place
 * (`[train] epoch:3 iter:0/18 … loss:…`: the first of 18 iterations each epoch) beside an epoch that grows? The
 * counter still places each record in its epoch, whose size it states: step = epoch × M + N (as MMEngine's unkeyed
 * `Epoch(train) [3][100/137]`), not the epoch alone.
 */
function fixedPlaceInEpoch(t: Template, k: number, epoch: number): boolean {
  const tot = t.fields[k + 1];
  return k !== epoch && !!tot && !!(tot.flags & F_TOTAL) && !!tot.total && epochGrows(t, epoch);
}

/** Is field `k` the same on every row but the last? */
function sameButLast(t: Template, k: number): boolean {
  const c = colOf(t, k);
  for (let i = 1; i < c.n - 1; i++) if (c.data[i] !== c.data[0]) return false;
  return c.n >= 2 && c.data[c.n - 1] !== c.data[0];
}

/** Is `k` a coarse counter: equal on most consecutive rows (several records per value), and nothing within it? */
function coarse(t: Template, k: number): boolean {
  const c = colOf(t, k);
  if (c.n < 3) return false;
  let same = 0;
  for (let i = 1; i < c.n; i++) if (c.data[i] === c.data[i - 1]) same++;
  if (same * 2 < c.n - 1) return false;
  // a counter within the epoch (keyed or not) makes the pair a step: not coarse
  return !t.fields.some(
    (f, j) =>
      j !== k &&
      f.col &&
      f.allInt &&
      !(f.flags & F_TOTAL) &&
      (!f.key || f.rank > EPOCH_RANK || loopIndex(f)) &&
      trend(t, j).up > 0.3,
  );
}

/** Is a key a split word, or does it end in one (`train`, `Train`, `val`)? */
const isSplitWord = (key: string) => !!key && SPLIT_WORDS.has(key.toLowerCase().split(' ').pop()!);

/**
 * Does `epoch` change (up; or back, at a restart) at (nearly) every point where `k` goes back, and does `k` go back
 * at most points where `epoch` goes up? (BasicSR's `[epoch:  3, iter:  200]`: the iteration counter is global, the
 * epoch moves on while it keeps growing, and both go back only where the training is started again.)
 */
function epochExplainsResets(t: Template, k: number, epoch: number): boolean {
  const s = colOf(t, k);
  const e = colOf(t, epoch);
  let resets = 0;
  let explained = 0;
  let ups = 0;
  let upsReset = 0;
  let upsSame = 0;
  let within = 0;
  for (let i = 1; i < s.n; i++) {
    const back = s.data[i] < s.data[i - 1];
    if (back) {
      resets++;
      if (e.data[i] !== e.data[i - 1]) explained++;
    }
    if (e.data[i] > e.data[i - 1]) {
      ups++;
      if (back) upsReset++;
      else if (s.data[i] === s.data[i - 1]) upsSame++;
    } else if (e.data[i] === e.data[i - 1] && s.data[i] > s.data[i - 1]) within++;
  }
  // a counter seen growing within an epoch that stays the same where the epoch goes up restarted there too: logged
  // once an epoch at the same place (`Epoch 1/50, Batch 0/304` … `Batch 300/304`, then a training of 2 batches,
  // `Epoch 3/50, Batch 0/2`, `Epoch 4/50, Batch 0/2`); a global counter always grows, and a number that never moves
  // within an epoch (`val dice: 0.68 @ (0.75, 2000, 0.3)`, one record an epoch) is no counter of it
  if (within > 0) upsReset += upsSame;
  // the others are restarts (resolved later, last write wins)
  return resets > 0 && explained >= 0.75 * resets && upsReset >= 0.5 * ups;
}

/**
 * Steps per epoch of a counter that restarts each epoch: its stated total (`N/M`; the largest M when M changes
 * between epochs, as when a data set grows, so epochs never overlap), else its largest value — plus the logging
 * interval when the counter starts at 0 (`[Batch 0]`, `[Batch 50]` every epoch: the epoch holds more than 50
 * batches, so 50 × epoch + batch would put batch 50 of one epoch on batch 0 of the next).
 */
function perEpoch(t: Template, k: number): number {
  const next = t.fields[k + 1];
  let per = next && next.flags & F_TOTAL && next.total ? next.total : 0;
  if (per && next.col) for (let i = 0; i < next.col.n; i++) if (next.col.data[i] > per) per = next.col.data[i];
  const s = colOf(t, k);
  if (!per) {
    let min = Infinity;
    let gap = Infinity;
    for (let i = 0; i < s.n; i++) {
      const v = s.data[i];
      if (v > per) per = v;
      if (v < min) min = v;
      if (i > 0 && v > s.data[i - 1] && v - s.data[i - 1] < gap) gap = v - s.data[i - 1];
    }
    if (min === 0 && per > 0) per += gap === Infinity ? 1 : gap;
  }
  return per || 1;
}

/**
 * The number the epoch counter starts from, so that the global step is absolute even when the log starts at a
 * later epoch (a resumed run): 0 when an epoch 0 is seen; 1 when the first epoch is 1 or the counter reaches its
 * stated total (`Epoch [6/6]` is 1-based); otherwise 0 (Python counts from 0).
 */
function epochBase(values: ArrayLike<number>, n: number, total: number | undefined): number {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min <= 0) return Math.min(0, min);
  if (min === 1 || (total !== undefined && max === total)) return 1;
  return 0;
}

/**
 * Only one epoch, the last and not the first, is in the file (`Epoch [2/2], Step [1/12942]`: a log rewritten when
 * epoch 2 began), and the step counter, an `N/M` counter, starts there at 0 or 1 — or at its logging interval
 * (`Step [10/1549]`, `[20/1549]`, … logged every 10 batches): it counts within the epoch, as it would restart.
 */
function laterEpochOnly(t: Template, k: number, epoch: number): boolean {
  const fe = t.fields[epoch];
  const tot = t.fields[epoch + 1];
  const e = colOf(t, epoch);
  if (!(fe.flags & F_COUNTER) || !tot || !(tot.flags & F_TOTAL) || !(t.fields[k].flags & F_COUNTER)) return false;
  if (e.n < 2 || distinct(t, epoch, 2) !== 1) return false;
  // the epoch's origin must be known, not guessed: the last epoch (`2/2`) says epochs count from 1, and so does a
  // counter within it that starts at 1 (a resumed `Epoch is [2/600], mini-batch is [1/1083]`: the script prints its
  // counters from 1); a resumed `Epoch is [2/600]` whose counter starts elsewhere stays on its counter
  if (e.data[0] !== tot.total && colOf(t, k).data[0] !== 1) return false;
  const first = epochBase(e.data, e.n, tot.total);
  return e.data[0] > first && colOf(t, k).data[0] <= Math.max(1, loggingGap(colOf(t, k))) && trend(t, k).down === 0;
}

/**
 * The logging interval of a counter: its first rise between consecutive records (`Step [10/1549]`, `[20/1549]`, …:
 * 10; the last interval of an epoch may be shorter, `[1540/1549]` then `[1549/1549]`). A counter whose first value
 * is at most this starts with its epoch (its first logged batch).
 */
function loggingGap(c: Column): number {
  for (let i = 1; i < c.n; i++) {
    const d = c.data[i] - c.data[i - 1];
    if (d > 0) return d;
  }
  return 0;
}

/**
 * Another step-keyed integer field that makes a restarting `N/M` step counter `k` global when the record is logged at
 * a fixed interval that is no divisor of M (`iteration:2 step:18/82`, `iteration:3 step:36/82`, …: the iteration is
 * the epoch, a record every 100 steps, so the counter does not restart at each change of the iteration): the field
 * whose value × M + the counter goes up at every record, the counter going back at least once. Its index, or −1.
 */
function globalWith(t: Template, k: number): number {
  const f = t.fields;
  const tot = f[k + 1];
  if (!tot || !(tot.flags & F_TOTAL) || !tot.total || trend(t, k).down <= 0) return -1;
  const M = perEpoch(t, k);
  const s = colOf(t, k).data;
  const n = colOf(t, k).n;
  for (let j = 0; j < f.length; j++) {
    if (j === k || !f[j].rank || !f[j].col || !f[j].allInt || f[j].flags & F_TOTAL) continue;
    const e = colOf(t, j).data;
    let ok = n >= 3;
    for (let i = 1; i < n && ok; i++) if (e[i] * M + s[i] <= e[i - 1] * M + s[i - 1]) ok = false;
    if (ok) return j;
  }
  return -1;
}

/**
 * An unkeyed integer after an unkeyed `N/M` counter `k` that stays the same over several records (the epoch of
 * `[3/41] 2400), Loss: 0.07`, a record every 100 iterations) and that goes up at every record, never back, also
 * where the counter moves on: an iteration counted across epochs, the finer step. Its index, or −1.
 */
function globalWithin(t: Template, k: number): number {
  const f = t.fields;
  const c = colOf(t, k);
  if (c.n < 4 || trend(t, k).down > 0) return -1;
  let same = 0;
  for (let i = 1; i < c.n; i++) if (c.data[i] === c.data[i - 1]) same++;
  if (same * 2 < c.n - 1) return -1;
  for (let j = k + 2; j < f.length; j++) {
    const fj = f[j];
    if (fj.key || !fj.col || !fj.allInt || fj.flags & (F_TOTAL | F_COUNTER) || fj.time || fj.pct) continue;
    const d = fj.col.data;
    let ok = fj.col.n === c.n;
    for (let i = 1; i < c.n && ok; i++) if (!(d[i] > d[i - 1])) ok = false;
    if (ok) return j;
  }
  return -1;
}

function composeWith(t: Template, k: number, epoch: number, label: string): StepSource {
  const e = colOf(t, epoch);
  const tot = t.fields[epoch + 1];
  const first = epochBase(e.data, e.n, tot && tot.flags & F_TOTAL ? tot.total : undefined);
  return { kind: 'compose', k, epoch, per: perEpoch(t, k), first, label };
}

/**
 * An outer counter for a step field `k` that restarts: another integer field before it (unkeyed, or keyed by a
 * step or split word: `Train: 3 [200/390]`, `[3/100] batch 200/3766`) that changes at (nearly) every restart
 * and does not go down between restarts; or else the step of the header line above (`Epoch 3/10` then
 * `step 200/614 - loss: …`). The global step is then outer × steps per epoch + step, as for keyed epochs.
 */
function outerOf(t: Template, k: number, label: string): StepSource | undefined {
  if (trend(t, k).down <= 0) return undefined;
  const f = t.fields;
  for (let j = k - 1; j >= 0; j--) {
    const fj = f[j];
    if (!fj.col || !fj.allInt || fj.flags & F_TOTAL) continue;
    if (fj.key && !fj.rank && !SPLIT_WORDS.has(fj.key.toLowerCase().split(' ').pop()!)) continue;
    if (trend(t, j).down > 0.02 || !outerExplains(t, k, colOf(t, j).data)) continue;
    return composeWith(t, k, j, `${fj.key ? fj.key.toLowerCase() : 'outer counter'}+${label}`);
  }
  if (t.ctx.n >= t.rows && outerExplains(t, k, t.ctx.data, t.ctxLine.data)) {
    return {
      kind: 'compose-ctx',
      k,
      per: perEpoch(t, k),
      first: epochBase(t.ctx.data, t.ctx.n, undefined),
      label: `header line above+${label}`,
    };
  }
  return undefined;
}

/**
 * Does the keyed step `k` state its loop's end on every row (`step 938/938 [=====] - loss: …`: N = M, one line per
 * loop), each row under a header line of a later step than the row before (`Epoch 2/5`)? The line that completes a
 * loop redrawn step by step (PaddlePaddle's `ProgressBar`, whose last draw loses its `ETA` and so is a template of its
 * own) is the last step of that loop: header × M + N, as the draws before it (`outerOf`), not step M again and again.
 */
function completedUnderHeaders(t: Template, k: number): boolean {
  const tot = t.fields[k + 1];
  if (t.rows < 2 || !tot || !(tot.flags & F_TOTAL) || !tot.col || t.ctx.n < t.rows) return false;
  const n = colOf(t, k).data;
  const m = tot.col.data;
  for (let i = 0; i < t.rows; i++) {
    if (n[i] !== m[i] || n[i] !== m[0]) return false;
    const c = t.ctx.data[i];
    if (c !== c || (i > 0 && !(c > t.ctx.data[i - 1]))) return false;
  }
  return true;
}

/** The step of a loop's completing line under header lines (`completedUnderHeaders`): (header − first) × M + N. */
function completedStep(t: Template, k: number, label: string): StepSource {
  return {
    kind: 'compose-ctx',
    k,
    per: t.fields[k + 1].total!,
    first: epochBase(t.ctx.data, t.ctx.n, undefined),
    label: `header line above+${label}`,
  };
}

/**
 * Is `outer` (values per row) the epoch of the restarting field `k`: it goes up at (nearly) every point where
 * `k` goes back, and `k` goes back at (nearly) every point where it goes up? (A counter that keeps growing
 * across epochs is global already; an outer value that goes back with `k` is a restart of the run.) With
 * `outerLine` (the line of the header that gave `outer`, per row): where `k` goes back under a header printed
 * again with the same or a lower value (`Epoch 0 begin` twice: the script was started again), the run restarted;
 * that reset says nothing about the epoch and is not counted (it is resolved as restarts are, last write wins).
 */
function outerExplains(t: Template, k: number, outer: ArrayLike<number>, outerLine?: ArrayLike<number>): boolean {
  const s = colOf(t, k);
  let resets = 0;
  let ups = 0;
  let both = 0;
  for (let i = 1; i < s.n; i++) {
    const back = s.data[i] < s.data[i - 1];
    const up = outer[i] === outer[i] && outer[i - 1] === outer[i - 1] && outer[i] > outer[i - 1];
    if (back && !up && outerLine && outerLine[i] === outerLine[i] && outerLine[i] !== outerLine[i - 1]) continue;
    if (back) resets++;
    if (up) ups++;
    if (back && up) both++;
  }
  return resets > 0 && both >= 0.75 * resets && both >= 0.75 * ups;
}

function isLossLike(t: Template): boolean {
  return (
    t.fields.some((f) => f.key && !f.rank && LOSS_LIKE.test(f.key)) ||
    (!!t.columnNames && t.columnNames.some((n) => LOSS_LIKE.test(n))) ||
    (t.lossFile && t.table && !t.columnNames)
  );
}

/**
 * Is the template a table row whose leading values a header line names and whose other values are a progress bar's
 * (names from `leadingNames`: a later column unnamed and an `N/M` total among them; Ultralytics' `Epoch  GPU_mem
 * box_loss …` over `3/100  2.69G  1.614 …  640: 45%|████ | 642/1426 [02:13<…]`)? The header names the table's columns,
 * its step among them; the bar only redraws the row (each draw the epoch's running means so far), so its counter and
 * the columns the header names as quantities (`Instances`) are no step within the epoch: one point per epoch, the
 * last draw.
 */
function barRowNamed(t: Template): boolean {
  const names = t.columnNames;
  return !!names && t.table && t.fields.some((x, k) => x.flags & F_TOTAL && names[k] === `column ${k + 1}`);
}

/**
 * The length K ≥ 2 of every run of equal consecutive values of a column when all its runs but the last have that
 * length (the last at most K) and there are at least two; else 0.
 */
function evenRuns(c: Column): number {
  let K = 0;
  let runs = 0;
  let len = 1;
  for (let i = 1; i <= c.n; i++) {
    if (i < c.n && c.data[i] === c.data[i - 1]) {
      len++;
      continue;
    }
    if (i === c.n) {
      if (K && len > K) return 0;
      if (!K) K = len;
    } else if (!K) K = len;
    else if (len !== K) return 0;
    runs++;
    len = 1;
  }
  return runs >= 2 && K >= 2 ? K : 0;
}

/** Most processes a run's lines are printed by (8 GPUs a node, two nodes). */
const MAX_WRITERS = 16;

/**
 * Is each record of the coarse epoch `epoch` written by K processes or handlers (every rank of a DDP run logging to the
 * same file, or the same logger with two handlers): the epoch's records come K at a time, and so do those of a line
 * printed once an epoch — an evaluation line or an epoch banner keyed by the epoch (`END VALIDATION EPOCH 3`, `===
 * START EPOCH 3 ===`), printed K times too? Running means printed during an epoch also come several to an epoch, but
 * the evaluation or banner of that epoch comes once.
 */
function writersRepeat(t: Template, epoch: number, others: readonly Template[]): boolean {
  const K = evenRuns(colOf(t, epoch));
  if (K < 2 || K > MAX_WRITERS) return false;
  const once = (u: Template) => u.header || evalLine(u) || u.fields.some((f) => f.key && evalKey(f.key.toLowerCase()));
  const tOnce = once(t);
  return others.some(
    (u) =>
      u.firstLine !== t.firstLine &&
      u.rows >= 2 * K &&
      u.fields.some((f) => f.rank === EPOCH_RANK && f.col && f.allInt && evenRuns(f.col) === K) &&
      (tOnce || once(u)),
  );
}

/** The step source of a template, or undefined when it gives none worth trusting. */
export function stepOf(t: Template, others: readonly Template[] = []): StepSource | undefined {
  const f = t.fields;
  const rows = t.rows;
  // 1. keyed step fields (a table's step column counts as keyed)
  const keyed: number[] = [];
  for (let k = 0; k < f.length; k++) if (f[k].rank && f[k].col && !(f[k].flags & F_TOTAL)) keyed.push(k);
  keyed.sort((a, b) => f[b].rank - f[a].rank);
  let epoch = keyed.find((k) => f[k].rank === EPOCH_RANK);
  // a keyed step that is the same on every record (MindSpore's `epoch: 1 step: 2502, loss is …` at each epoch's end)
  let sameStep = false;
  for (const k of keyed) {
    const fk = f[k];
    const label = fk.key.toLowerCase();
    if (fk.rank === EPOCH_RANK) break;
    if (fk.rank < WEAK_STEP_RANK && (rows < 2 || distinct(t, k) < 2)) continue; // `batch=64` is a batch size
    if (completedUnderHeaders(t, k)) return completedStep(t, k, label);
    // the same place in every epoch but the last, stopped part-way (`Epoch [950/1000] Step [0/596]` … `Epoch
    // [1000/1000] Step [500/596]`: a record every 50 epochs, then the run's final one): still a place in the epoch
    if (epoch !== undefined && rows > 3 && sameButLast(t, k) && fixedPlaceInEpoch(t, k, epoch))
      return composeWith(t, k, epoch, `${f[epoch].key.toLowerCase()}+${label}`);
    if (rows > 1 && distinct(t, k) < 2 && rows > 3) {
      if (epoch !== undefined && fixedPlaceInEpoch(t, k, epoch))
        return composeWith(t, k, epoch, `${f[epoch].key.toLowerCase()}+${label}`);
      if (fk.rank >= WEAK_STEP_RANK) sameStep = true;
      continue; // a constant: not the step
    }
    // a count per record (`Episode: 7, …, Steps: 8078`: the steps one episode took) goes down about as often as up,
    // while the epoch-like counter beside it moves on at (nearly) every record: that counter is the step
    if (epoch !== undefined && rows >= 4 && trend(t, k).down >= 0.25 && trend(t, epoch).up >= 0.9) break;
    // a step printed rounded (LeRobot's `step:8K`) repeats on records of different steps: each record is a point
    if (fk.rounded && rows >= 3 && repeats(t, k))
      return { kind: 'ordinal', label: `record order of line ${t.firstLine} (${fk.key} is printed rounded, as 8K)` };
    if (epoch !== undefined && trend(t, k).down > 0 && epochExplainsResets(t, k, epoch))
      return composeWith(t, k, epoch, `${f[epoch].key.toLowerCase()}+${label}`);
    if (epoch !== undefined && laterEpochOnly(t, k, epoch)) {
      // (its epochs count from 1: `laterEpochOnly` knows it, though epoch 2 of 600 alone does not say so)
      const c = composeWith(t, k, epoch, `${f[epoch].key.toLowerCase()}+${label}`);
      return c.kind === 'compose' ? { ...c, first: 1 } : c;
    }
    const outer = epoch === undefined ? globalWith(t, k) : -1;
    if (outer >= 0) {
      const c = composeWith(t, k, outer, `${f[outer].key.toLowerCase()}+${label}`);
      // a first record one logging interval into the run (step 100 of a log every 100 steps) says the outer count
      // starts at 1
      if (c.kind === 'compose' && colOf(t, k).n >= 2) {
        const e = colOf(t, outer).data;
        const st = colOf(t, k).data;
        const at = (b: number, i: number) => (e[i] - b) * c.per + st[i];
        if (c.first === 0 && e[0] >= 1 && at(1, 0) === at(1, 1) - at(1, 0)) return { ...c, first: 1 };
      }
      return c;
    }
    return outerOf(t, k, label) ?? { kind: 'field', k, label };
  }
  // a header's epoch column over a progress bar's redraws of its row: the epoch is the step (`barRowNamed`)
  if (epoch !== undefined && barRowNamed(t)) return { kind: 'field', k: epoch, label: f[epoch].key.toLowerCase() };
  // 2. unkeyed N/M counters
  for (let k = 0; k < f.length; k++) {
    if ((f[k].key && !loopIndex(f[k])) || !(f[k].flags & F_COUNTER) || !f[k].col || !f[k].allInt) continue;
    // (a counter at its total on every row, `7859/7859 [====] - loss: …`, is a loop's completed line: it says the loop
    // ended, not where — across the folds of a cross-validation it takes one value per fold)
    if (rows > 1 && (distinct(t, k) < 2 || atTotal(t, k))) {
      // logged once per epoch at the same iteration (MMEngine's `Epoch(train) [3][100/137]`): the counter still
      // places each record inside its epoch, whose size it states — right after the epoch (`[E][i/N]`)
      const outer = k > 0 && (k - 1 === epoch || !f[k - 1].key) ? k - 1 : undefined;
      if (rows >= 3 && outer !== undefined && epochGrows(t, outer) && f[k + 1]?.flags & F_TOTAL && f[k + 1].total)
        return composeWith(t, k, outer, `${f[outer].key ? f[outer].key.toLowerCase() : 'outer counter'}+counter`);
      continue;
    }
    if (epoch !== undefined && trend(t, k).down > 0 && epochExplainsResets(t, k, epoch))
      return composeWith(t, k, epoch, `${f[epoch].key.toLowerCase()}+counter`);
    // two unkeyed counters (`[3/50][200/500] Loss: …`): when the later one restarts where this one goes up, this
    // one is the epoch and the later one the step within it
    for (let k2 = k + 1; epoch === undefined && k2 < f.length; k2++) {
      if ((f[k2].key && !loopIndex(f[k2])) || !(f[k2].flags & F_COUNTER) || !f[k2].col || !f[k2].allInt) continue;
      if (trend(t, k2).down > 0 && epochExplainsResets(t, k2, k)) return composeWith(t, k2, k, 'counter+counter');
    }
    const within = epoch === undefined ? globalWithin(t, k) : -1;
    if (within >= 0) return { kind: 'field', k: within, label: 'counter after the N/M counter' };
    return outerOf(t, k, 'N/M counter') ?? { kind: 'field', k, label: 'N/M counter' };
  }
  // an epoch that stays the same over many records beside a growing counter after a split word (VoxelNet's `train: 62
  // @ epoch:0/1`): the counter is the step (below; made global with the epoch if it restarts with it)
  if (
    epoch !== undefined &&
    rows > 3 &&
    f.some((x, k) => x.col && x.allInt && !(x.flags & F_TOTAL) && isSplitWord(x.key) && trend(t, k).up >= 0.5) &&
    coarse(t, epoch)
  )
    epoch = undefined;
  if (epoch !== undefined && coarse(t, epoch)) {
    // several lines per epoch that all state the same step (every rank prints the epoch's record, `epoch: 1 step:
    // 2502, loss is …` ×8): one point per epoch written again, the last write wins
    if (sameStep) return { kind: 'field', k: epoch, label: f[epoch].key.toLowerCase() };
    // every record written by K processes or handlers, as the epoch's evaluation or banner is (`writersRepeat`): one
    // point per epoch written K times, the last write wins
    if (others.length && writersRepeat(t, epoch, others))
      return { kind: 'field', k: epoch, label: f[epoch].key.toLowerCase() };
    // many lines per epoch and no counter within it (running averages printed during an epoch): record order
    return rows >= 3 && isLossLike(t)
      ? { kind: 'ordinal', label: `record order of line ${t.firstLine} (${f[epoch].key} repeats)` }
      : undefined;
  }
  if (epoch !== undefined) {
    // an unkeyed integer that restarts with each epoch: the step within the epoch (`Epoch: [3][200]`)
    for (let k = 0; k < f.length; k++) {
      if (f[k].key || !f[k].col || !f[k].allInt || f[k].flags & F_TOTAL || k === epoch) continue;
      if (trend(t, k).down > 0 && epochExplainsResets(t, k, epoch))
        return composeWith(t, k, epoch, `${f[epoch].key.toLowerCase()}+counter`);
    }
    // a printed dict whose only position is a fractional epoch (the HF Trainer's `{'loss': …, 'epoch': 0.04}`):
    // the epoch is rounded for printing, so two records may show the same one — each record is a point
    // (the dict may be indented, also with ideographic spaces: `\s` holds U+3000, `　　{'loss': …}` in a README)
    if (!f[epoch].allInt && /^\s*\{\s*['"]/.test(t.example) && isLossLike(t))
      return { kind: 'ordinal', label: `record order of line ${t.firstLine} (${f[epoch].key} is printed rounded)` };
    return { kind: 'field', k: epoch, label: f[epoch].key.toLowerCase() };
  }
  // a split word before a growing integer (`Train 3, loss: …`, `Train: [3/50]`)
  for (let k = 0; k < f.length; k++) {
    const fk = f[k];
    if (!fk.col || !fk.allInt || !SPLIT_WORDS.has(fk.key.toLowerCase().split(' ').pop()!) || fk.flags & F_TOTAL)
      continue;
    if (rows >= 3 ? trend(t, k).up >= 0.5 : fk.flags & F_COUNTER)
      // it may restart each epoch under a header line (`Epoch 3 begin` then `Train 100: loss: …`)
      return outerOf(t, k, fk.key.toLowerCase()) ?? { kind: 'field', k, label: fk.key.toLowerCase() };
  }
  // 3. two unkeyed integers, the second restarting whenever the first moves on (`[scale : iter]`), made global
  if (rows >= 3) {
    const ints: number[] = [];
    for (let k = 0; k < f.length && ints.length < 4; k++)
      if (!f[k].key && f[k].col && f[k].allInt && !(f[k].flags & F_TOTAL)) ints.push(k);
    for (let x = 0; x + 1 < ints.length; x++) {
      const outer = ints[x],
        inner = ints[x + 1];
      const to = trend(t, outer),
        ti = trend(t, inner);
      if (to.up > 0 && to.down <= 0.02 && ti.down > 0 && ti.up >= 0.5 && epochExplainsResets(t, inner, outer))
        return composeWith(t, inner, outer, 'outer+inner counter');
    }
  }
  // 3b. a growing unkeyed integer column (2 rows are enough under a header line: a 2-epoch Keras history)
  const named = t.table && !!t.columnNames && rows >= 2;
  if (rows >= 3 || named) {
    for (let k = 0; k < f.length; k++) {
      // a named table's column of whole numbers printed as floats (Caffe's parse_log `NumIters` as `1000.0`) too
      if (f[k].key || !f[k].col || !(f[k].allInt || (named && integral(t, k))) || f[k].flags & F_TOTAL) continue;
      const tr = trend(t, k);
      if (tr.down <= 0.1 && tr.up >= 0.5) return { kind: 'field', k, label: t.columnNames?.[k] ?? `column ${k + 1}` };
    }
  }
  // 4. the step of the header line above
  if (rows >= 1 && ctxUsable(t)) return { kind: 'ctx', label: 'header line above' };
  // 4a. the step of the record's first line just above (a record printed over several lines)
  if (rows >= 3 && nearUsable(t)) return { kind: 'near', label: 'record line above' };
  // 4b. the share of the work done on a line redrawn in place (fastText's `\rProgress:  45.2% … avg.loss: …`)
  const share = redrawnShare(t);
  if (share >= 0) return { kind: 'field', k: share, label: `${f[share].key.toLowerCase() || 'progress'} (%)` };
  // 4c. the share of the epoch done, a fraction that starts again each epoch (TensorFlow's PTB tutorial, `0.107
  // perplexity: 1527.65 speed: 8936 wps`): epochs completed + the share
  const restarts = rows >= 6 && isLossLike(t) ? epochShare(t) : undefined;
  if (restarts)
    return { kind: 'passes', k: 0, per: 1, at: restarts, label: 'epochs done+share of the epoch', epochs: true };
  // 5. record order (a file of bare values, one per line, too: its one column is the record's value)
  if ((rows >= 3 || named) && (isLossLike(t) || t.bareValue))
    return { kind: 'ordinal', label: `record order of line ${t.firstLine}` };
  return undefined;
}

/**
 * The lines where an epoch starts again, when the template's first value is the share of its epoch done: unkeyed,
 * a fraction in [0, 1), going up record by record within an epoch and back at least once to its start (no later
 * than where the first epoch's second record was), with at least two records an epoch; else undefined.
 */
function epochShare(t: Template): Float64Array | undefined {
  const f = t.fields[0];
  if (!f || f.key || f.allInt || !f.col || f.flags & (F_TOTAL | F_COUNTER) || f.pct || f.time) return undefined;
  const c = f.col;
  if (c.n !== t.lines.n || c.n < 6) return undefined;
  const at: number[] = [];
  for (let i = 0; i < c.n; i++) {
    const v = c.data[i];
    if (!(v >= 0 && v < 1)) return undefined;
    if (i === 0 || v > c.data[i - 1]) continue;
    if (v > c.data[1] || t.lines.data[i] === t.lines.data[i - 1]) return undefined;
    at.push(t.lines.data[i]);
  }
  return at.length && c.n >= 2 * (at.length + 1) ? Float64Array.from(at) : undefined;
}

/**
 * The field that is the step of a progress line redrawn in place, or -1: most of the template's records share their
 * line with the one before (`\r` redraws: the line is written over, not added to), and a value written as a
 * percentage between 0 and 100 never goes down over them and does go up — the share of the work done (fastText's
 * `\rProgress:  45.2% words/sec/thread: … avg.loss: …`). A template with no step of its own then has one point per
 * share drawn, its last draw winning (a redraw of an unchanged share is the same point drawn again), not a point
 * per redraw (one every 100 ms). Checked after every named or counted step, so a bar's `N/M` counter wins.
 */
function redrawnShare(t: Template): number {
  const n = t.lines.n;
  if (n < 3) return -1;
  let shared = 0;
  for (let i = 1; i < n; i++) if (t.lines.data[i] === t.lines.data[i - 1]) shared++;
  if (shared * 2 < n - 1) return -1;
  return t.fields.findIndex((x, k) => {
    if (!x.pct || !x.col || x.flags & F_TOTAL) return false;
    const tr = trend(t, k);
    const c = x.col;
    let inRange = true;
    for (let i = 0; i < c.n && inRange; i++) inRange = c.data[i] >= 0 && c.data[i] <= 100;
    return inRange && tr.down === 0 && tr.up > 0;
  });
}

/** Every row has a header step above it, and it changes often enough to be a step (on ≥ half of the rows). */
function ctxUsable(t: Template, rows?: readonly number[]): boolean {
  if (t.ctx.n < t.rows) return false; // some rows have no header above them
  return changesOften(t.ctx, rows);
}

/** Every row (of `rows`, or all) has a value, and it changes on ≥ half of them: a step, not a block's constant. */
function changesOften(c: Column, rows?: readonly number[]): boolean {
  const n = rows ? rows.length : c.n;
  let changes = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    const v = c.data[rows ? rows[i] : i];
    if (v !== v) return false;
    if (v !== prev) changes++;
    prev = v;
  }
  return n > 0 && changes * 2 >= n;
}

/**
 * Every row continues a record line with a step just above it (`Template.near`), and that step changes on ≥ half
 * of the rows (one continuation line per record, not a block of lines under each).
 */
function nearUsable(t: Template): boolean {
  return t.near.n >= t.rows && changesOften(t.near);
}

/** The template's rows grouped by the header template above them, when there are several kinds of header. */
function headerGroups(t: Template): Map<number, number[]> | undefined {
  if (t.ctxHead.n < t.rows) return undefined;
  const g = new Map<number, number[]>();
  for (let i = 0; i < t.ctxHead.n; i++) {
    const h = t.ctxHead.data[i];
    let a = g.get(h);
    if (!a) g.set(h, (a = []));
    a.push(i);
  }
  return g.size > 1 ? g : undefined;
}

/**
 * The rows of a template before its first header line, when the header lost is the loop's first: every other row
 * lies under one header template whose step is usable (`ctxUsable`), the first step seen is 2 and the next 3 (a loop
 * counting from 1 by one: `Epoch 2/10`, `Epoch 3/10`, …), and the headless rows are the first rows and no more than
 * the rows under `Epoch 2` (one block). A log captured after its first header was printed (Keras' `Epoch 1/10` lost,
 * its first bar line `69121/69121 ━━━━ 3399s - loss: 0.9192` the file's first line) then reads epoch 1 for them, not
 * nothing. (A log cut later in its run, whose first header is `Epoch [47/300]`, keeps the lines before it out: what
 * they are of is less sure.) Not for evaluation headers.
 */
function headlessLead(
  t: Template,
  groups: Map<number, number[]>,
  templates: readonly Template[],
): StepSource | undefined {
  const none = groups.get(-1);
  if (groups.size !== 2 || !none || none[none.length - 1] !== none.length - 1) return undefined;
  const [head, rows] = [...groups].find(([h]) => h >= 0)!;
  if (!ctxUsable(t, rows)) return undefined;
  const c = t.ctx.data;
  const h0 = c[rows[0]];
  if (h0 !== 2) return undefined;
  let block = 0;
  while (block < rows.length && c[rows[block]] === h0) block++;
  if (block >= rows.length || c[rows[block]] !== h0 + 1 || none.length > block) return undefined;
  const hkey = templates[head]?.fields.find((f) => f.rank)?.key ?? '';
  if (EVAL_WORDS.has(hkey.split(' ')[0].toLowerCase())) return undefined;
  return { kind: 'ctx', label: `header "${hkey}", ${h0 - 1} before the first`, lead: h0 - 1 };
}

/** Keys of an integer that says which training a record is of (`[Fold 2 Ep 013]`, `trial 4`, `seed=1`): no series. */
const TRAINING_INDEX = /^(?:fold|cv fold|k ?fold|trial|seed)$/i;

/** The metric fields of a template (keyed, not step, not totals; a table's other columns). */
/** A key only a training's closing summary holds (the run's duration and throughput over the whole training). */
const SUMMARY_KEY = /^train_(?:runtime|samples_per_second|steps_per_second)$/i;

export function metricsOf(t: Template, step: StepSource): { k: number; orig: string }[] {
  const out: { k: number; orig: string }[] = [];
  const skip =
    step.kind === 'field' || step.kind === 'compose' || step.kind === 'compose-ctx' || step.kind === 'passes'
      ? step.k
      : -1;
  const epoch = step.kind === 'compose' ? step.epoch : -1;
  // the closing summary of a training (Hugging Face's `TrainOutput` metrics printed as a record, `step 2283 |
  // train_runtime=774.8 | train_samples_per_second=47.1 | … | train_loss=0.087`): its loss is the mean over the
  // whole training, no point of any series
  if (t.fields.some((f) => SUMMARY_KEY.test(f.key))) return out;
  t.fields.forEach((f, k) => {
    if (k === skip || k === epoch || !f.col || f.flags & F_TOTAL) return;
    if (f.key && !f.rank && f.allInt && TRAINING_INDEX.test(f.key)) return;
    if (f.key && !f.rank) out.push({ k, orig: f.key });
    else if (f.rank && f.key && k !== skip)
      out.push({ k, orig: f.key }); // e.g. `epoch` beside a `step`
    else if (!f.key && t.table) out.push({ k, orig: t.columnNames?.[k] ?? `column ${k + 1}` });
  });
  return out;
}

/** A key without a sentence's verb (`angle loss is` → `angle loss`). */
const bare = (orig: string) => orig.replace(/\s+(?:is|was|are)$/i, '') || orig;

/** A word that is a loss (`loss`, `LOSS`, `nll`, `ppl`). */
const LOSS_WORD = /^(?:loss|losses|nll|ppl|perplexity)$/i;

/** The normalised name for a key: the key, or its last words, whichever is a known name; bare split words are losses. */
export function nameFor(orig: string): string {
  // a qualifier in parentheses (`Loss (total)`, `Time (s)`) does not change what the value is named
  orig = orig.replace(/\s+\([^()]*\)$/, '') || orig;
  // `loss is: 2.5` → `loss`
  const sentence = /\s+(?:is|was|are)$/i.test(orig);
  orig = orig.replace(/\s+(?:is|was|are|of|at|=)$/i, '') || orig;
  // a sentence names its value by its loss word, not by the adverbs after it: `avg loss so far is 0.1` → `avg loss`
  if (sentence) {
    const ws = orig.split(' ');
    let last = -1;
    ws.forEach((w, i) => {
      if (/^(?:loss|ppl|perplexity|nll)$/i.test(w)) last = i;
    });
    if (last >= 0 && last < ws.length - 1) orig = ws.slice(0, last + 1).join(' ');
  }
  // `dev` is the validation split; a split word cut short with a period is that split word (`Val. Loss`, `Eval.
  // MSE Loss`: the period ends the abbreviation, it does not end the key's first part)
  const words = orig.split(' ').map((w) => {
    const cut = w.length > 1 && w.charCodeAt(w.length - 1) === 46 ? w.slice(0, -1) : '';
    if (cut && isSplitName(cut)) w = cut;
    return /^dev$/i.test(w) ? 'val' : w.replace(/^dev_/i, 'val_');
  });
  for (let i = 0; i < words.length; i++) {
    const tail = words.slice(i).join(' ');
    const n = normalizeName(tail);
    if (n !== tail.trim()) return n;
    // never drop a word that says which split the value is from (`Dev Loss` is not `Loss`)
    if (isSplitName(words[i])) break;
  }
  if (words.length === 1 && SPLIT_WORDS.has(canonicalKey(orig))) return normalizeName(`${orig} loss`);
  // a long key is named by its last two words, unless a loss word would be left out (`LOSS OVER EPOCHS`, `val loss
  // per batch`: the words after it qualify the loss, and the name keeps them all)
  if (
    words.length > 2 &&
    words.slice(0, -2).some((w) => LOSS_WORD.test(w)) &&
    !words.slice(-2).some((w) => LOSS_WORD.test(w))
  )
    return orig;
  if (words.length <= 2) return orig;
  // nor does it drop a word saying which split the value is of (`Val MSE Loss` and `Training MSE Loss` are two
  // series, not one `MSE Loss`)
  const dropped = words.slice(0, -2);
  if (dropped.some(isSplitName)) return orig;
  return words.slice(-2).join(' ');
}

/** A word naming a data split (`val`, `Test`, `training`). */
const isSplitName = (w: string) => EVAL_WORDS.has(w.toLowerCase()) || /^(?:train|training)$/i.test(w);

/** The last decision per template (grouped templates are always re-decided: their row groups change). */
const decided = new WeakMap<Template, { rows: number; merged: number; plan?: Plan }>();

/**
 * One print statement used by two loops (Keras/Paddle-style progress lines `step 10/614 - loss: …` in training
 * and `step 10/88 - loss: …` in evaluation): the rows of a template grouped by the total of its first `N/M`
 * counter, when it takes several values on ≥ 3 rows each and they take turns (one comes back after another; totals
 * that never come back are restarts with new plans or trainings one after another, resolved as restarts are). The
 * group with the most rows comes first.
 */
function loopsOf(t: Template, ends: readonly number[]): { total: number; rows: number[] }[] | undefined {
  if (t.rows < 6 || trainAndEval(t)) return undefined;
  const k = counterAt(t);
  if (k < 0) return undefined;
  const tot = colOf(t, k + 1);
  const by = new Map<number, number[]>();
  for (let i = 0; i < tot.n; i++) {
    let a = by.get(tot.data[i]);
    if (!a) {
      if (by.size >= 8) return undefined; // a total that keeps changing is not a loop size
      by.set(tot.data[i], (a = []));
    }
    a.push(i);
  }
  const groups = [...by].filter(([, rows]) => rows.length >= 3).map(([total, rows]) => ({ total, rows }));
  if (groups.length < 2) return undefined;
  // loops take turns (train, eval, train, …): some total comes back after another. Totals that each hold the rows of
  // one stretch and never come back are restarts with new plans (a total that changes once), or trainings one after
  // another (the folds of a cross-validation, each with its own sample count: `7859/7859`, then `7844/7844`)
  // (a line saying a training ended between two rows starts the turns again: a loop over models of 50, 150 and 100
  // epochs, each closed by `Training finished`, is trainings one after another even when a total comes back)
  const left = new Set<number>();
  let back = false;
  const lines = t.lines;
  for (let i = 1; i < tot.n && !back; i++)
    if (tot.data[i] !== tot.data[i - 1]) {
      const j = upper(ends, lines.data[i - 1]);
      if (j < ends.length && ends[j] < lines.data[i]) {
        left.clear();
        continue;
      }
      left.add(tot.data[i - 1]);
      back = left.has(tot.data[i]);
    }
  if (!back) return undefined;
  return groups.sort((a, b) => b.rows.length - a.rows.length || b.total - a.total);
}

/**
 * Does each line of `t` carry a training value and an evaluation value (`[3/30] Training loss: … Validation loss: …`)?
 * Such a line is printed once per epoch of one training, never by both a train and an evaluation loop: when its
 * `N/M` total changes and comes back, it is several trainings (a loop over models of 6 and 30 epochs), not loops.
 */
function trainAndEval(t: Template): boolean {
  return (
    t.fields.some((f) => f.col && /^(?:train|training|tr)$/.test(firstWord(f.key))) &&
    t.fields.some((f) => f.col && evalKey(f.key))
  );
}

/** The rows `rows` of a template as a template of their own (columns copied; decisions made on them alone). */
function viewOf(t: Template, rows: readonly number[], tag: string): Template {
  const sub = (c: Column): Column => {
    const o = new Column();
    o.data = new Float64Array(Math.max(16, rows.length));
    for (const i of rows) o.data[o.n++] = c.data[i];
    return o;
  };
  const v = Object.create(Object.getPrototypeOf(t) as object) as Template;
  Object.assign(v, t, {
    id: `${t.id}:${tag}`,
    fields: t.fields.map((f) => {
      const col = f.col && sub(f.col);
      return { ...f, col, total: f.flags & F_TOTAL && col && col.n ? col.data[0] : f.total };
    }),
    lines: sub(t.lines),
    ctx: t.ctx.n >= t.rows ? sub(t.ctx) : new Column(),
    ctxHead: t.ctxHead.n >= t.rows ? sub(t.ctxHead) : new Column(),
    ctxLine: t.ctxLine.n >= t.rows ? sub(t.ctxLine) : new Column(),
    nearT: -2,
    firstLine: t.lines.data[rows[0]],
  });
  return v;
}

/** Per template: rows whose counter total was checked, all equal to `total` (a live file checks only new rows). */
const oneLoop = new WeakMap<Template, { n: number; total: number }>();

/** Has every row the same `N/M` total (or no counter at all)? Exact, O(new rows) per call. */
function oneTotal(t: Template): boolean {
  const k = counterAt(t);
  if (k < 0) return true;
  const c = colOf(t, k + 1);
  let m = oneLoop.get(t);
  if (m && m.n > c.n) m = undefined; // rows were merged (memory bound): check again
  if (!m) oneLoop.set(t, (m = { n: 0, total: c.data[0] }));
  for (; m.n < c.n; m.n++) if (c.data[m.n] !== m.total) return false;
  return true;
}

/** Plans for every template that gives metrics, biggest first. */
export function plan(templates: readonly Template[], ends: readonly number[] = []): Plan[] {
  return runToEnd(planSliced(templates, ends));
}

/**
 * `plan` as a sliced computation: before each template's decision (several passes over its rows, not sliced) it
 * yields minus that template's rows (`AHEAD`), so a caller can end its slice before a big one (issue 17: the
 * decisions of a 100 MB log's templates took 9–15 ms of the host thread in one go). Same code, same result.
 */
export function* planSliced(templates: readonly Template[], ends: readonly number[] = []): Generator<number, Plan[]> {
  const out: Plan[] = [];
  for (const t0 of templates) {
    if (!t0.stored || t0.header || t0.rows === 0) continue;
    yield -t0.rows;
    const loops = oneTotal(t0) ? undefined : loopsOf(t0, ends);
    if (loops) {
      // each loop decided on its own rows; the biggest keeps the metric names, the others say their loop size
      loops.forEach(({ total, rows }, g) => {
        const t = viewOf(t0, rows, String(total));
        const step = stepOf(t, templates);
        const metrics = step ? metricsOf(t, step) : [];
        if (!step || !metrics.length) return;
        out.push({
          t,
          step,
          metrics: g === 0 ? metrics : metrics.map((m) => ({ ...m, suffix: ` (loop of ${total})` })),
        });
      });
      continue;
    }
    const t = t0;
    // a decision made on nearly the same rows is kept (re-made once the rows grew by an eighth): a live file
    // then costs O(new rows) per result, not O(all rows)
    const memo = decided.get(t);
    if (memo && memo.merged === t.merged && t.rows < memo.rows + Math.max(8, memo.rows >> 3)) {
      if (memo.plan) out.push({ ...memo.plan });
      continue;
    }
    const step = stepOf(t, templates);
    const metrics = step ? metricsOf(t, step) : [];
    const groups =
      step && metrics.length && (step.kind === 'ctx' || step.kind === 'ordinal') ? headerGroups(t) : undefined;
    if (!groups)
      decided.set(t, {
        rows: t.rows,
        merged: t.merged,
        plan: step && metrics.length ? { t, step, metrics } : undefined,
      });
    if (!step || !metrics.length) continue;
    if (!groups) {
      out.push({ t, step, metrics });
      continue;
    }
    const lead = headlessLead(t, groups, templates);
    if (lead) {
      out.push({ t, step: lead, metrics });
      continue;
    }
    // lines under different headers (`Training epoch: 3` / `Eval epoch: 3`) are different series
    for (const [head, rows] of groups) {
      const h = head >= 0 ? templates[head] : undefined;
      const hkey = h?.fields.find((f) => f.rank)?.key ?? '';
      const first = hkey.split(' ')[0].toLowerCase();
      const sub = ctxUsable(t, rows)
        ? ({ kind: 'ctx', label: `header "${hkey}"` } as const)
        : rows.length >= 3
          ? ({ kind: 'ordinal', label: `record order of line ${t.firstLine} under "${hkey}"` } as const)
          : undefined;
      if (!sub) continue;
      const qualify =
        EVAL_WORDS.has(first) && !metrics.some((m) => EVAL_WORDS.has(m.orig.split(/[\s_/]/)[0].toLowerCase()));
      out.push({
        t,
        step: sub,
        metrics: metrics.map((m) => ({ k: m.k, orig: qualify ? `${first} ${m.orig}` : m.orig })),
        rows,
      });
    }
  }
  // a line announcing a saved checkpoint reports the value the save was decided on (`Saved best checkpoint (G loss:
  // 2.99)`), not a point of the training: its values are series only when no other line gives any
  const records = out.filter((p) => !p.t.savesCheckpoint);
  const kept = records.length ? records : out;
  barFinalStates(kept);
  resumedOrigin(kept, templates);
  openerSteps(kept);
  return pairedFirst(
    steppedFirst(epochValues(barPasses(kept)).sort((a, b) => size(b) - size(a) || a.t.firstLine - b.t.firstLine)),
  );
}

/**
 * A line saying where a training resumed, behind any logger prefix: the epoch it resumed at, and the global iteration
 * when stated (MMCV's `resumed epoch 3, iter 7317`, MMEngine's `resumed epoch: 3, iter: 7317`, `Resuming from epoch
 * 25`, `=> resume training from epoch 12`). The epoch is the line's first number, the iteration its second.
 */
const RESUMED_AT =
  /^[^\p{L}\d]{0,4}resum(?:ed|ing|e)\b(?:[ \t]+(?:the|training|train|run|model|from|at))*[ \t]+epoch[ \t]*[:=]?[ \t]*(\d+)(?:[ \t]*,?[ \t]*(?:global[ \t_]+)?(?:iter|iteration|step)[ \t]*[:=]?[ \t]*(\d+))?/iu;

interface Resume {
  line: number;
  epoch: number;
  /** The global iteration reached (NaN: not stated). */
  iter: number;
}

/** The resume lines of a file (`RESUMED_AT`), in line order; a template of at most `MAX_RESUMES` rows. */
function resumesOf(templates: readonly Template[]): Resume[] {
  const out: Resume[] = [];
  for (const t of templates) {
    if (t.rows > MAX_RESUMES || !/resum/i.test(t.example)) continue;
    const m = RESUMED_AT.exec(t.example);
    if (!m) continue;
    const f0 = t.fields[0]?.col;
    const f1 = m[2] !== undefined ? t.fields[1]?.col : undefined;
    // every row of the template, its values from the fields' columns (the first row's are the example's)
    if (t.rows && f0 && f0.n === t.rows && f0.data[0] === +m[1] && (!f1 || (f1.n === t.rows && f1.data[0] === +m[2])))
      for (let i = 0; i < t.rows; i++)
        out.push({ line: t.lines.data[i], epoch: f0.data[i], iter: f1 ? f1.data[i] : NaN });
    else out.push({ line: t.firstLine, epoch: +m[1], iter: m[2] !== undefined ? +m[2] : NaN });
  }
  return out.sort((a, b) => a.line - b.line);
}
/** Rows a resume line's template holds at most (a line printed once per launch). */
const MAX_RESUMES = 64;

/**
 * Epoch-keyed records of a training resumed from a checkpoint, whose first epoch is past 1 (so `epochBase` cannot say
 * whether the epochs count from 0 or 1), after a line saying where it resumed (`RESUMED_AT`): the global step goes on
 * from there. The epoch E it resumed at and the first epoch F printed after it give the origin F − E (MMCV's
 * `resumed epoch 3, iter 7317` then `Epoch [4][50/2439]`: epochs count from 1, the step is 7317 + 50); with the global
 * iteration I stated, F − I / (steps per epoch). An origin other than 0 or 1 says nothing (another count). The step is
 * composed as before, or — when the epoch is the same on every record (a progress bar over one epoch, `Epoch 26/40:
 * … 1200/3600`, killed within it) — composed from the epoch and the bar's `N/M` counter, which alone restarts the
 * axis at the resume point. Once per assembly; O(plans × log resumes).
 */
function resumedOrigin(plans: readonly Plan[], templates: readonly Template[]): void {
  const resumes = resumesOf(templates);
  if (!resumes.length) return;
  const resumeLines = resumes.map((r) => r.line);
  for (const p of plans) {
    const s = p.step;
    const t = p.t;
    let epoch = -1;
    // (an origin already known — an epoch 0 or 1 seen, the stated total reached — stands)
    if (s.kind === 'compose' && s.first === 0) epoch = s.epoch;
    else if (s.kind === 'field' && t.fields[s.k + 1]?.flags & F_TOTAL && !t.fields[s.k].key)
      epoch = t.fields.findIndex((f) => f.rank === EPOCH_RANK && !!f.col && f.allInt && !(f.flags & F_TOTAL));
    if (epoch < 0) continue;
    const k = s.kind === 'compose' || s.kind === 'field' ? s.k : -1;
    const e = colOf(t, epoch);
    const row0 = p.rows ? p.rows[0] : 0;
    const F = e.data[row0];
    const at = F > 1 ? upper(resumeLines, t.lines.data[row0]) : 0;
    if (at === 0) continue;
    // (the scans over the rows only for a plan that starts after a resume line)
    if (s.kind === 'field' && distinct(t, epoch, 2) !== 1) continue;
    if (!(colMin(e) > 1)) continue;
    const r = resumes[at - 1];
    const per = s.kind === 'compose' ? s.per : perEpoch(t, k);
    const first = r.iter === r.iter && per > 0 && r.iter % per === 0 ? F - r.iter / per : F - r.epoch;
    if (first !== 0 && first !== 1) continue;
    const label = `${s.label} (resumed at epoch ${r.epoch}, line ${r.line})`;
    p.step =
      s.kind === 'compose'
        ? { ...s, first, label }
        : { kind: 'compose', k, epoch, per, first, label: `${t.fields[epoch].key.toLowerCase()}+${label}` };
  }
}

/**
 * The step-less continuation lines of a record printed over several lines (`Template.near`) whose first line's step
 * is no key's value of its own but composed from its fields (StyIns' `epoch: 1, 11/125 8.8%, 6.49s per iter, …`, then
 * indented `    recon loss: 5.83  ppl:340.38, …` lines: the epoch is the only step key, the step within it an unkeyed
 * `N/M`, so the key's value repeats and the lines had fallen back to record order): each row takes the step the
 * first line's template was assigned on the record line it continues — when every row continues a line of that one
 * template, and those steps change on at least half of the rows (one such line per record, as for `nearUsable`).
 * Once per assembly, O(rows); rows that cannot all be matched (a template compacted apart) keep record order.
 */
function openerSteps(plans: readonly Plan[]): void {
  for (const p of plans) {
    const t = p.t;
    if (p.step.kind !== 'ordinal' || p.rows || t.nearT < 0 || t.nearLine.n < t.rows || t.rows < 3) continue;
    const q = plans.find((x) => x.t.id === t.nearT && !x.rows);
    if (!q || q.step.kind === 'ordinal' || q.step.kind === 'near' || q.step.kind === 'opener') continue;
    const qs = planSteps(q);
    const ql = q.t.lines.data;
    const qn = q.t.rows;
    const at = new Float64Array(t.rows);
    let j = 0;
    let changes = 0;
    let ok = true;
    for (let i = 0; i < t.rows && ok; i++) {
      const line = t.nearLine.data[i];
      while (j < qn && ql[j] < line) j++;
      ok = j < qn && ql[j] === line && qs[j] === qs[j];
      if (!ok) break;
      at[i] = qs[j];
      if (i === 0 || at[i] !== at[i - 1]) changes++;
    }
    if (ok && changes * 2 >= t.rows) p.step = { kind: 'opener', at, label: `${q.step.label} of the record line above` };
  }
}

/**
 * A value a progress bar shows for the whole epoch (Lightning's bar postfix `Epoch 3:  55%|█▍ | 17/31 [00:04<00:03,
 * v_num=30, val_loss=0.0455, train_loss=0.0847]` of metrics logged per epoch): in a template whose step is an epoch
 * composed with the bar's `N/M` counter, a field that changes ≥ 2 times, each time on a draw where the counter is at
 * its total M (the epoch's last batch is done, its validation ran), and is drawn unchanged on draws before the total
 * (the next epoch's bar repeats it), is one point per epoch: read from the draws at the total (the last write per
 * epoch wins), stepped by the epoch. The bar's other fields stay a point per draw.
 */
function epochValues(plans: Plan[]): Plan[] {
  const out: Plan[] = [];
  for (const p of plans) {
    const s = p.step;
    const tot = s.kind === 'compose' ? p.t.fields[s.k + 1] : undefined;
    if (s.kind !== 'compose' || p.rows || !tot || !(tot.flags & F_TOTAL) || !tot.col || !p.t.fields[s.epoch].key) {
      out.push(p);
      continue;
    }
    const n = colOf(p.t, s.k).data;
    const m = tot.col.data;
    const rows = p.t.rows;
    const perEpoch = p.metrics.filter(({ k }) => {
      const v = colOf(p.t, k).data;
      let changes = 0;
      let heldBefore = false;
      for (let i = 1; i < rows; i++) {
        const same = v[i] === v[i - 1] || (v[i] !== v[i] && v[i - 1] !== v[i - 1]);
        if (!same && n[i] !== m[i]) return false;
        if (!same) changes++;
        else if (changes && n[i] < m[i]) heldBefore = true;
      }
      return changes >= 2 && heldBefore;
    });
    if (!perEpoch.length) {
      out.push(p);
      continue;
    }
    out.push(...atTotalSplit(p, s.epoch, s.k, perEpoch));
  }
  return epochValueSiblings(out);
}

/** The per-epoch plans made by `epochValues`: the bar's epoch key and counter total. */
const perEpochPlans = new WeakMap<Plan, { key: string; total: number }>();

/**
 * Plan `p` split in two: its fields `moved` read once per epoch — from the rows where the counter `k` is at its total,
 * stepped by the epoch field `e` — and its other fields as they were (plans without rows or fields are left out).
 */
function atTotalSplit(p: Plan, e: number, k: number, moved: Plan['metrics']): Plan[] {
  const n = colOf(p.t, k).data;
  const m = colOf(p.t, k + 1).data;
  const atTotal: number[] = [];
  for (let i = 0; i < p.t.rows; i++) if (n[i] === m[i]) atTotal.push(i);
  const out: Plan[] = [];
  const rest = p.metrics.filter((x) => !moved.includes(x));
  if (rest.length) out.push({ ...p, metrics: rest });
  if (atTotal.length) {
    const key = p.t.fields[e].key;
    const q: Plan = { t: p.t, step: { kind: 'field', k: e, label: key.toLowerCase() }, metrics: moved, rows: atTotal };
    perEpochPlans.set(q, { key, total: p.t.fields[k + 1].total ?? NaN });
    out.push(q);
  }
  return out;
}

/**
 * The other templates drawing the same bar (the same epoch key and counter total: Lightning's `0/31` draws, whose
 * `?it/s` makes them a template of their own, or the one draw at `31/31` before the training metrics join the
 * postfix) give the fields `epochValues` reads once per epoch only from their draws at the total too: a `0/31` draw
 * shows the epoch before's value, or the last one again for an epoch cut short.
 */
function epochValueSiblings(plans: Plan[]): Plan[] {
  const bars = plans.filter((p) => perEpochPlans.has(p));
  if (!bars.length) return plans;
  const out: Plan[] = [];
  for (const q of plans) {
    const f = q.t.fields;
    let done = false;
    for (const b of q.rows ? [] : bars) {
      const { key, total } = perEpochPlans.get(b)!;
      const e = f.findIndex((x) => x.col && x.key === key);
      const c = f.findIndex(
        (x, j) => j !== e && x.flags & F_COUNTER && x.col && f[j + 1]?.flags & F_TOTAL && f[j + 1].total === total,
      );
      const moved = q.metrics.filter((x) => x.k !== e && b.metrics.some((y) => y.orig === x.orig));
      if (e < 0 || c < 0 || !moved.length) continue;
      out.push(...atTotalSplit(q, e, c, moved));
      done = true;
      break;
    }
    if (!done) out.push(q);
  }
  return out;
}

/**
 * A progress bar whose final state is drawn by a template of its own (a Keras-style bar `[Training] 6/6 [======]
 * 1.4s/step  [ loss=4.40 ]` after states `[Training] 1/6 [=.....] - ETA: 0:12  [ loss=4.90 ]`: the rate takes the
 * ETA's place) under a header line (`Epoch: 3/50`): the final state is the bar's last step, placed as the bar's other
 * states are (the header's step × M + N), not at the header's step alone — where it had made a second step axis and
 * the bar's loss was lost to it. Plans read with the header's step, drawing a finished bar of total M beside a plan
 * composing a counter of total M with the header and keying a series of the same name, take that composition; so
 * does a state or two with other text glued after them (a crash's traceback printed without a line break). Only
 * bars tagged as the training split's (`Template.trainTag`): Keras' untagged states are drafts (`withoutDrafts`).
 */
function barFinalStates(plans: Plan[]): void {
  for (let i = 0; i < plans.length; i++) {
    const a = plans[i];
    // (a bar tagged as the training split's, whose states are points: Keras' untagged states are drafts of its
    // completed lines, which keep the header's step)
    if (a.rows || !a.t.trainTag) continue;
    const k = counterAt(a.t);
    if (k < 0 || a.t.fields[k].key || a.t.ctx.n < a.t.rows) continue;
    // the bar's final state (read with the header's step), or a state with text glued after it (read on its counter
    // alone: `38/167 [=====>…] - ETA: 3:16  [ loss=0.50 ]Traceback (most recent call last):`, a crash printed without
    // a line break after the bar)
    const final = a.step.kind === 'ctx' && finishedBar(a.t);
    const glued = a.step.kind === 'field' && a.step.k === k && a.t.rows <= 2;
    if (!final && !glued) continue;
    const M = a.t.fields[k + 1].total;
    const names = new Set(a.metrics.map((m) => nameFor(m.orig)));
    const b = plans.find(
      (p) =>
        p !== a &&
        p.t.trainTag &&
        p.step.kind === 'compose-ctx' &&
        p.step.per === M &&
        counterAt(p.t) === p.step.k &&
        p.t.fields[p.step.k + 1].total === M &&
        p.metrics.some((m) => names.has(nameFor(m.orig))),
    );
    if (b && b.step.kind === 'compose-ctx') plans[i] = { ...a, step: { ...b.step, k } };
  }
}

/**
 * A progress bar drawn once per pass of a loop with no number of its own (a tqdm bar per epoch, `  1%|▏ | 1/80
 * [00:00<01:18, …, loss=2.51]` … `80/80 […]`, then a new bar from `1/80`): where the unkeyed `N/M` counter — over all
 * the templates drawing the bar (same total and keys: tqdm's rate flips between `it/s` and `s/it`) — reaches its
 * total M and is next drawn back at its start (in the bar's first tenth: the first draws may be templates of their
 * own, an empty bar), the loop began its next pass; the global step is pass × M + N (M + 1
 * when the counter shows 0). A counter that goes back before reaching its total (a crash, a relaunch) is no new
 * pass: those stay restarts, last write per step.
 */
function barPasses(plans: Plan[]): Plan[] {
  const groups = new Map<string, { i: number; k: number }[]>();
  plans.forEach((p, i) => {
    if (p.rows) return;
    // a template whose counter is the same on every draw (`1/80` of an empty bar) is read in record order: a member
    const k =
      p.step.kind === 'field' && p.step.label === 'N/M counter'
        ? p.step.k
        : p.step.kind === 'ordinal'
          ? counterAt(p.t)
          : -1;
    if (k < 0 || p.t.fields[k].key) return;
    const tot = p.t.fields[k + 1];
    if (!tot || !(tot.flags & F_TOTAL) || !tot.col || !tot.total || distinct(p.t, k + 1, 2) !== 1) return;
    // (the ETA is drawn until the bar completes, its final state showing the time taken instead: not part of the key)
    const key = `${tot.total}|${p.metrics
      .filter((m) => !ETA_KEY.test(m.orig))
      .map((m) => m.orig)
      .join('|')}`;
    groups.set(key, [...(groups.get(key) ?? []), { i, k }]);
  });
  for (const members of groups.values()) {
    const M = plans[members[0].i].t.fields[members[0].k + 1].total!;
    // the counter reaches its total somewhere (else no pass is complete: nothing to do; a typed-array scan)
    if (!members.some(({ i, k }) => colOf(plans[i].t, k).data.subarray(0, colOf(plans[i].t, k).n).includes(M)))
      continue;
    // one template's rows are in file order already; several are merged by line (a bar redrawn with `\r` is one
    // line: within it, the counter only goes up)
    const rows: { line: number; n: number }[] = [];
    for (const { i, k } of members) {
      const p = plans[i];
      const c = colOf(p.t, k);
      for (let r = 0; r < c.n; r++) rows.push({ line: p.t.lines.data[r], n: c.data[r] });
    }
    if (members.length > 1) rows.sort((a, b) => a.line - b.line || a.n - b.n);
    let min = Infinity;
    for (const r of rows) if (r.n < min) min = r.n;
    const at: number[] = [];
    for (let r = 1; r < rows.length; r++)
      if (rows[r].n < rows[r - 1].n && rows[r - 1].n === M && (rows[r].n <= Math.max(min, 1) || rows[r].n * 10 <= M))
        at.push(rows[r].line);
    if (!at.length) continue;
    const starts = Float64Array.from(at);
    const per = min === 0 ? M + 1 : M;
    for (const { i, k } of members)
      plans[i] = { ...plans[i], step: { kind: 'passes', k, per, at: starts, label: 'bar pass+N/M counter' } };
  }
  return plans;
}

/**
 * The same values printed twice per step — a progress bar's final postfix (`100%|…| 30/30 [… loss=0.2, iou=0.37]`,
 * numbered in record order) and a summary line under an `Epoch [47/300]` header (`loss 0.2002 - iou 0.3682 - …`):
 * of two templates keying the same series with about as many records (the smaller ≥ 90 % of the bigger, give or
 * take the two records a log cut at its start and end may lose), the one
 * with a step axis goes first, so it takes the name; record order is the last resort, not a bigger template's
 * right. (The plans come sorted by size; the first plan wins a name.)
 */
function steppedFirst(plans: Plan[]): Plan[] {
  const names = (p: Plan) => new Set(p.metrics.map((m) => nameFor(m.orig)));
  for (let i = 0; i < plans.length; i++) {
    const a = plans[i];
    if (a.step.kind !== 'ordinal') continue;
    const mine = names(a);
    for (let j = i + 1; j < plans.length && size(plans[j]) + 2 >= 0.9 * size(a); j++) {
      const b = plans[j];
      if (b.step.kind === 'ordinal' || !b.metrics.some((m) => mine.has(nameFor(m.orig)))) continue;
      plans.splice(j, 1);
      plans.splice(i, 0, b);
      break;
    }
  }
  return plans;
}

const size = (p: Plan) => (p.rows ? p.rows.length : p.t.rows);

/** Does a template draw a finished progress bar on every row (an `N/M` counter at its total, `100%|██| 19/19 […]`)? */
function finishedBar(t: Template): boolean {
  for (let k = 0; k + 1 < t.fields.length; k++)
    if (t.fields[k].flags & F_COUNTER && t.fields[k].col && t.fields[k + 1].col && atTotal(t, k)) return true;
  return false;
}

/**
 * A finished progress bar's postfix and a record line, on the same step axis with about as many records (the
 * smaller ≥ 90 % of the bigger, give or take two), each spelling the loss its own way (`Epoch 3/500: 100%|██| 19/19
 * [… loss=0.87]` and `epoch 3/500 - train loss: 1.01, validation loss: …`): two measures printed once per step — the
 * bar's the last batch's, the record's the epoch's — not one statement split into variants. They are two series
 * (`pairedFirst` puts the record line first, so it is the one named the loss).
 */
function barBesideRecord(a: Plan, b: Plan): boolean {
  if (a.t === b.t || a.step.label !== b.step.label || finishedBar(a.t) === finishedBar(b.t)) return false;
  const [x, y] = size(a) >= size(b) ? [size(a), size(b)] : [size(b), size(a)];
  return y + 2 >= 0.9 * x;
}

/**
 * Of a finished progress bar and a record line that `barBesideRecord` tells apart, keying series of one name, the
 * record line goes first, so it takes the name (the plans come sorted by size; the first plan wins a name).
 */
function pairedFirst(plans: Plan[]): Plan[] {
  const names = (p: Plan) => new Set(p.metrics.map((m) => nameFor(m.orig)));
  for (let i = 0; i < plans.length; i++) {
    const a = plans[i];
    if (!finishedBar(a.t)) continue;
    const mine = names(a);
    for (let j = i + 1; j < plans.length && size(plans[j]) + 2 >= 0.9 * size(a); j++) {
      const b = plans[j];
      if (!barBesideRecord(a, b) || !b.metrics.some((m) => mine.has(nameFor(m.orig)))) continue;
      plans.splice(j, 1);
      plans.splice(i, 0, b);
      break;
    }
  }
  return plans;
}

/** The step of row `i` of a planned template (`n`: the index of the row among the plan's rows). */
function stepAt(p: Plan, i: number, n: number): number {
  const s = p.step;
  switch (s.kind) {
    case 'field':
      return colOf(p.t, s.k).data[i];
    case 'compose':
      return (colOf(p.t, s.epoch).data[i] - s.first) * s.per + colOf(p.t, s.k).data[i];
    case 'compose-ctx':
      return (p.t.ctx.data[i] - s.first) * s.per + colOf(p.t, s.k).data[i];
    case 'ctx': {
      const v = p.t.ctx.data[i];
      return v === v || s.lead === undefined ? v : s.lead;
    }
    case 'near':
      return p.t.near.data[i];
    case 'opener':
      return s.at[i];
    case 'passes':
      return upper(s.at, p.t.lines.data[i]) * s.per + colOf(p.t, s.k).data[i];
    default:
      return n + 1;
  }
}

interface Part {
  p: Plan;
  k: number;
}

/** One series being built: its name, the template fields that feed it, and how far each was read. */
interface Slot {
  label: string;
  orig: string;
  parts: Part[];
  /** Rows of each part already added. */
  done: number[];
  /** The last step added (new rows must come after it to be appended). */
  last: number;
}

/** The state of a built run: reused while the plan stays the same, so a live file costs O(new rows) per result. */
export interface Built {
  sig: string;
  slots: Map<string, Slot>;
  restarts: number[];
  used: Plan[];
  /** When no key named a loss: the key whose series was taken as `train/loss`, and its template's first line. */
  lossFrom?: { orig: string; line: number; components?: boolean };
}

/** The series each planned field feeds, as `assign` resolves them (`seriesOfPlans`). */
export interface Assignment {
  slots: Map<string, Slot>;
  used: Plan[];
  lossFrom?: { orig: string; line: number; components?: boolean };
}

/** Which series each planned field feeds (names resolved; the first plan — the biggest — wins a name). */
function assign(planned: readonly Plan[]): Assignment {
  const slots = new Map<string, Slot>();
  const used: Plan[] = [];
  let demoted = false;
  const plans = withoutDrafts(planned);
  oneEpochSiblings(plans);
  for (const p of qualifyEval(plans)) {
    let any = false;
    // a key that is itself a known name (`Loss`) takes the name before keys that reach it through their last
    // word (`IC loss`, `Semantic loss`): two fields of one line are two series, never one
    const direct = (o: string) => (normalizeName(o) !== o ? 0 : 1);
    // a key that says it sums the terms (`Autoencoder Loss (total)`) is not a component, and goes before them
    const total = (o: string) => (saysTotal(o) ? 0 : 1);
    // of several keys naming the loss, the bare `loss` is the total the others add up to (`lm_loss: 4.02, ppl: 55.8,
    // loss: 11.30, bow_loss: 7.28`): it takes the name before them
    const plain = (o: string) => (canonicalKey(o) === 'loss' ? 0 : 1);
    const ordered = [...p.metrics].sort(
      (a, b) => direct(a.orig) - direct(b.orig) || plain(a.orig) - plain(b.orig) || total(a.orig) - total(b.orig),
    );
    const mine = new Set<string>();
    // several keys reaching `loss` only through their last word (`classify loss is …, angle loss is …, iou loss
    // is …`) are a line of components: none of them is the training loss
    const viaLast = (o: string) => direct(o) === 1 && nameFor(o) === 'train/loss' && !saysTotal(o);
    const components = p.metrics.filter((m) => !m.suffix && viaLast(m.orig)).length >= 2;
    if (components) demoted = true;
    for (const m0 of ordered) {
      const m = m0.suffix ? { k: m0.k, orig: m0.orig + m0.suffix } : m0;
      let name = m0.suffix ? m.orig : components && viaLast(m.orig) ? bare(m.orig) : nameFor(m.orig);
      const have = slots.get(name);
      // templates share a series on the same step axis when they key it with the same words (one print
      // statement split into variants) or with whole known spellings of it (`Loss`, `Training Loss`); not when
      // a key only ends in the name's word: `avg. loss` and `mem avg. loss` are two series
      const same =
        canonicalKey(have?.orig ?? '') === canonicalKey(m.orig) ||
        (!!have &&
          normalizeName(have.orig) !== have.orig &&
          normalizeName(m.orig) !== m.orig &&
          !barBesideRecord(have.parts[0].p, p));
      if (have && (have.label !== p.step.label || mine.has(name) || !same)) {
        name = slots.has(m.orig) ? `${m.orig} (line ${p.t.firstLine})` : m.orig;
      }
      mine.add(name);
      const slot = slots.get(name);
      if (slot) slot.parts.push({ p, k: m.k });
      else {
        if (slots.size >= MAX_SERIES) continue;
        slots.set(name, { label: p.step.label, orig: m.orig, parts: [{ p, k: m.k }], done: [], last: -Infinity });
      }
      any = true;
    }
    if (any) used.push(p);
  }
  sameEpochOrigin(slots);
  overrunEpochSize(slots);
  const unnamed =
    crossEntropyLoss(slots, used) ??
    perplexityLoss(slots, used) ??
    unnamedLoss(slots, used) ??
    evalSetsLoss(slots, used);
  const lossFrom = unnamed ?? (demoted ? stepRecordLoss(slots, used) : undefined);
  if (!lossFrom) return { slots, used };
  // the series chosen as the loss takes the name `train/loss` (its original name is kept), in the same place
  const renamed = new Map<string, Slot>();
  for (const [name, slot] of slots) renamed.set(name === lossFrom ? 'train/loss' : name, slot);
  return {
    slots: renamed,
    used,
    lossFrom: {
      orig: slots.get(lossFrom)!.orig,
      line: slots.get(lossFrom)!.parts[0].p.t.firstLine,
      components: !unnamed,
    },
  };
}

/**
 * The series the fields of these plans feed, as a build assigns them: computed once and read by `unnamedLossKey` and
 * `sameSeriesPlans` (the assignment also settles the plans' epoch siblings, as a build does). O(plans × metrics).
 */
export function seriesOfPlans(plans: readonly Plan[]): Assignment {
  return assign(plans);
}

/**
 * The original name of the key taken as the training loss when no key names one (`cost`, `Batch Energy`, CycleGAN's
 * `D_A`: `unnamedLoss` and its siblings), in an assignment of the series (`seriesOfPlans`); undefined when a key names
 * the loss or none is taken.
 */
export function unnamedLossKey(a: Assignment): string | undefined {
  return a.lossFrom && !a.lossFrom.components ? a.lossFrom.orig : undefined;
}

/**
 * The plans whose fields feed the same series as a field of plan `p` named `orig` (the templates of one print
 * statement split into variants, as `assign` joins them), `p` first; just `p` when none other does. `a`: the
 * assignment of the series (`seriesOfPlans`). O(plans × metrics).
 */
export function sameSeriesPlans(a: Assignment, p: Plan, orig: string): Plan[] {
  const { slots } = a;
  for (const slot of slots.values()) {
    if (!slot.parts.some((x) => x.p === p && p.metrics.some((m) => m.k === x.k && m.orig === orig))) continue;
    const out: Plan[] = [p];
    for (const x of slot.parts) if (!out.includes(x.p)) out.push(x.p);
    return out;
  }
  return [p];
}

const ETA_KEY = /^eta$/i;

/** An evaluation split's key (`val_loss`, `val_accuracy`, `test loss`). */
const evalKey = (key: string) => EVAL_WORDS.has(firstWord(key));
/** A key's first word, lower-cased (`val_loss` → `val`, `Training loss` → `training`). */
function firstWord(key: string): string {
  return key.split(/[\s_/]/)[0].toLowerCase();
}

/** Is the `N/M` counter at `k` at its total (N = M) on every row? */
function atTotal(t: Template, k: number): boolean {
  const n = colOf(t, k),
    tot = colOf(t, k + 1);
  if (!(t.fields[k + 1]?.flags & F_TOTAL) || tot.n < n.n) return false;
  for (let i = 0; i < n.n; i++) if (n.data[i] !== tot.data[i]) return false;
  return n.n > 0;
}

/** Do the rows of `t` lie under ≥ 2 different header steps (`Epoch 1/20`, `Epoch 2/20`)? */
function underHeaders(t: Template): boolean {
  if (t.ctx.n < t.rows) return false;
  for (let i = 1; i < t.ctx.n; i++) if (t.ctx.data[i] !== t.ctx.data[0] && t.ctx.data[i] === t.ctx.data[i]) return true;
  return false;
}

/**
 * Is the `N/M` counter at `k` keyed by a step word (PaddlePaddle's `step  10/938 [...] - loss: … - ETA: 29s`): each
 * draw is then the record of the step it names — a point, the last draw per step winning — not a draft of the line
 * that completes the loop (Keras draws its counter bare, `10/938 [...]`, and its loss as the running mean so far).
 */
const stepCounter = (t: Template, k: number) => t.fields[k].rank > 0;

/**
 * A progress display that redraws the record it is building (Keras' `fit`: `12/100 [==>…] - ETA: 3s - loss: …`,
 * each draw the running mean so far, then `100/100 [====…] - 3s 5ms/step - loss: … - val_loss: …` once the loop is
 * done): the lines of an `N/M` counter are drafts of the line that completes the loop, when templates of the same
 * total hold completed lines only (N = M on every row, no ETA) on ≥ 2 loops of that total and name a loss too, and the lines
 * either carry a time-remaining field (`ETA`), or lie under ≥ 2 loop headers (`Epoch 3/20`) while the completed
 * lines add the loop's evaluation (`val_loss`) that they never have (Keras 3 prints its ETA without a key). The
 * drafts are then no points; each completed line is one. A counter keyed by a step word has no drafts (`stepCounter`).
 */
export function withoutDrafts(plans: readonly Plan[]): Plan[] {
  const totals = new Map<number, { n: number; evals: boolean }>(); // counter total -> completed lines with a loss
  for (const p of plans) {
    const t = p.t;
    const k = counterAt(t);
    if (k < 0 || t.fields.some((f) => ETA_KEY.test(f.key)) || !p.metrics.some((m) => LOSS_LIKE.test(m.orig))) continue;
    if (!atTotal(t, k)) continue;
    const n = colOf(t, k);
    const tot = colOf(t, k + 1);
    // (each row counted under its own total: the folds of a cross-validation each have their own, `7859/7859`,
    // `7844/7844`, and print their completed lines with one statement)
    const evals = t.fields.some((f) => f.col && evalKey(f.key));
    for (let i = 0; i < n.n; i++) {
      const was = totals.get(tot.data[i]) ?? { n: 0, evals: false };
      totals.set(tot.data[i], { n: was.n + 1, evals: was.evals || evals });
    }
  }
  if (![...totals.values()].some((c) => c.n >= 2)) return plans as Plan[];
  return plans.filter((p) => {
    const t = p.t;
    const k = counterAt(t);
    // (a bar tagged as the training split's, `[Training] 12/167 […] - ETA: … [ loss=… ]`, is a script's own: its
    // draws are its records, the batches' losses, as Keras' untagged bar's running means are not)
    if (k < 0 || stepCounter(t, k) || t.trainTag) return true;
    const c = totals.get(colOf(t, k + 1).data[0]);
    if (!c || c.n < 2) return true;
    if (t.fields.some((f) => ETA_KEY.test(f.key))) return false;
    const n = colOf(t, k);
    let open = false;
    for (let i = 0; i < n.n && !open; i++) open = n.data[i] < colOf(t, k + 1).data[i];
    return !(open && c.evals && underHeaders(t) && !t.fields.some((f) => f.col && evalKey(f.key)));
  });
}

/**
 * A template whose `N/M` counter never restarts (the progress bar of the first epoch alone: Lightning's
 * `Epoch 0: …| 5/43 [… loss=…]`, before the validation metrics join the bar and make a second template) composes its
 * step as a sibling template does: one whose counter, after a field of the same key, has the same total and is
 * composed with that field as the epoch. Its steps then lie on the sibling's axis and the two share a series (the
 * epochs count from this template's first epoch, as for any templates sharing a composed step).
 */
function oneEpochSiblings(plans: readonly Plan[]): void {
  for (const p of plans) {
    if (p.step.kind !== 'field' || p.step.label !== 'N/M counter') continue;
    const k = p.step.k;
    const tot = p.t.fields[k + 1];
    if (!tot || !(tot.flags & F_TOTAL)) continue;
    for (const q of plans) {
      if (q === p || q.step.kind !== 'compose' || q.step.per !== tot.total) continue;
      const key = q.t.fields[q.step.epoch].key;
      if (!key) continue;
      const j = p.t.fields.findIndex((f, i) => i < k && f.key === key && f.allInt && !!f.col);
      if (j < 0 || !p.metrics.some((m) => q.metrics.some((n) => n.orig === m.orig))) continue;
      // (its own epochs decide where they count from: the first epoch is in this template)
      p.step = composeWith(p.t, k, j, q.step.label);
      break;
    }
  }
}

/**
 * Templates that feed one series with a global step composed from an epoch count their epochs from one origin:
 * the one decided by the template that saw the smallest epoch (YOLOX's lines change template when the eta drops
 * below a day, so the later template starts at epoch 47 and cannot tell whether epochs count from 0 or 1).
 */
function sameEpochOrigin(slots: Map<string, Slot>): void {
  for (const slot of slots.values()) {
    if (slot.parts.length < 2) continue;
    let from: { min: number; first: number } | undefined;
    for (const { p } of slot.parts) {
      if (p.step.kind !== 'compose') continue;
      const min = colMin(colOf(p.t, p.step.epoch));
      if (!from || min < from.min) from = { min, first: p.step.first };
    }
    if (!from) continue;
    for (const { p } of slot.parts)
      if (p.step.kind === 'compose' && p.step.first !== from.first) p.step = { ...p.step, first: from.first };
  }
}

/**
 * A progress bar whose count runs past its stated total (tqdm given too small a `total`: `Epoch 3:  93%|█▉| 13/14 […,
 * loss=95.2]`, `100%|██| 14/14 […]`, then, the total dropped, `Epoch 3: 15it […, loss=85.7]` … `19it`): the draws
 * past the total are another template feeding the same series, its counter going on where the bar's stops. Both
 * compose their step from the same epoch, and the epoch holds as many steps as the counter reached, not the stated
 * total: when one part's counter is always above another part's stated total, every composed part of the series takes
 * the largest epoch size (else the epoch after overlaps the draws past the total, and last write per step drops them).
 */
function overrunEpochSize(slots: Map<string, Slot>): void {
  for (const slot of slots.values()) {
    if (slot.parts.length < 2) continue;
    let stated = Infinity;
    let per = 0;
    for (const { p } of slot.parts) {
      if (p.step.kind !== 'compose') continue;
      per = Math.max(per, p.step.per);
      const tot = p.t.fields[p.step.k + 1];
      if (tot && tot.flags & F_TOTAL && tot.col) stated = Math.min(stated, colMax(tot.col));
    }
    if (stated === Infinity) continue;
    // (a part without a total whose counter never comes down to the stated total: the draws past it)
    const past = slot.parts.some(
      ({ p }) =>
        p.step.kind === 'compose' &&
        !(p.t.fields[p.step.k + 1]?.flags & F_TOTAL) &&
        colMin(colOf(p.t, p.step.k)) > stated,
    );
    if (!past) continue;
    for (const { p } of slot.parts) if (p.step.kind === 'compose' && p.step.per < per) p.step = { ...p.step, per };
  }
}

/** A line's first word, after numbers and blanks, names an evaluation (`quick_eval`, `val`, `eval_loss`, `test-set`). */
const EVAL_LEAD =
  /^[\s\d.:,|[\]-]*(?:[a-z]+[_-])?(?:eval|evaluate|evaluating|evaluation|val|valid|validate|validating|validation|test|testing)(?:[_-][a-z]+)?(?![a-z\d])/i;

/**
 * Does the template's literal text (not its keys; not a word cut by the example's length) or a tag in its prefix
 * (`[valid]`) hold an evaluation word (`[Diff-Val(Test-Normal)] Epoch 1: loss = …`),
 * or did a words-only line announce each of its lines as evaluation (`testing in eval mode……`)?
 */
function evalLine(t: Template): boolean {
  if (t.announcedEval || t.evalTag) return true;
  // a record tagged by its first word, after the step (`63700 quick_eval ppl 19.06 loss 2.94`, `500 val_loss 2.9`),
  // even where that word is read as part of a key
  if (EVAL_LEAD.test(t.example)) return true;
  // a record whose first value is keyed by an evaluation word, and no key names training (`[Epoch: 01] Valid acc:
  // 0.84 | loss: 9.41` beside `[Epoch: 01] Train acc: 0.80 | loss: 11.16`): its other values are the evaluation's
  const first = t.fields.find((f) => f.key && !f.rank);
  if (
    first &&
    EVAL_WORDS.has(first.key.toLowerCase().split(/[^a-z]+/)[0]) &&
    !t.fields.some((f) => /(?:^|[^a-z])(?:train|training)(?![a-z])/i.test(f.key))
  )
    return true;
  const keyWords = new Set<string>();
  for (const f of t.fields) for (const w of f.key.toLowerCase().split(/[^a-z]+/)) if (w) keyWords.add(w);
  const words = t.example.toLowerCase().split(/[^a-z]+/);
  // a word cut by the example's length (`validation_loss` → `valid`) is not that word
  if (t.exampleCut) words.pop();
  for (const w of words) if (EVAL_WORDS.has(w) && !keyWords.has(w)) return true;
  return false;
}

/**
 * A validation line keyed like the training line (`[Train] Epoch 3: loss = …` and `[Val] Epoch 3: loss = …`):
 * two templates whose fields would share a series (same name, same step axis), one with an evaluation word in its
 * literal text and the other without. The evaluation template's keys are qualified (`val loss` → `val/loss`), so
 * its values do not overwrite the training loss at the same step. Plans without such a collision are unchanged.
 */
function qualifyEval(plans: readonly Plan[]): readonly Plan[] {
  const trainNames = new Set<string>();
  const evalPlans = new Set<Plan>();
  for (const p of plans) {
    if (evalLine(p.t)) evalPlans.add(p);
    else
      for (const m of p.metrics)
        if (!m.suffix) trainNames.add(`${p.step.label}\0${nameFor(m.orig)}`).add(`*\0${nameFor(m.orig)}`);
  }
  if (!evalPlans.size || (!trainNames.size && ![...evalPlans].some((p) => p.t.evalTag))) return plans;
  return plans.map((p) => {
    if (!evalPlans.has(p)) return p;
    const unsplit = (o: string) => !o.split(/[\s_/]/).some((w) => EVAL_WORDS.has(w.toLowerCase()) || /^train/i.test(w));
    // a line tagged as evaluation in its prefix (`[valid] Ep. 42 : … perplexity : 5.07`) is qualified even when no
    // training line shares its names
    // (a block announced as evaluation, `Evaluation:` then its batches' `step 100: loss …` lines, is qualified when
    // training lines name the same series on any step axis: the training record may key its step another way)
    const axis = p.t.announcedEval ? '*' : p.step.label;
    if (
      !p.t.evalTag &&
      !p.metrics.some((m) => !m.suffix && unsplit(m.orig) && trainNames.has(`${axis}\0${nameFor(m.orig)}`))
    )
      return p;
    return {
      ...p,
      metrics: p.metrics.map((m) => (!m.suffix && unsplit(m.orig) ? { ...m, orig: `val ${m.orig}` } : m)),
    };
  });
}

/** Names that say a series is a loss (or a loss in another unit). */
const NAMED_LOSS = /loss|ppl|perplexity|bpb|bpc|nll/i;
/**
 * Keys that name something other than a loss: time, data-loading time, speed and throughput, learning rate,
 * accuracy-type scores, gradient and weight norms, memory, counts of tokens, samples, steps or lines.
 */
const NOT_LOSS =
  /^(?:.*time|data|speed|eta|fps|throughput|lr|learning rate|.*acc|.*accuracy|top\d.*|prec|precision|recall|f1|auc|m?ap\d*|.*ap|iou|miou|grad.*|.*norm|mem.*|memory|(?:gpu |cuda |gpu_)mem.*|tokens?.*|samples?.*|.*per sec.*|epoch|step|iter|iteration|batch|line|score|reward.*|bleu|rouge.*|wer|cer|scale|loss scale|.*\/s|sec|s)$/;
/**
 * The training split's word before a key (`Train Speed`, `training lr`): what follows it is the measure, so a speed, a
 * time or a rate of the training split is no loss either (MXNet's Speedometer, `Epoch[0] Batch [20]\tSpeed: 20.25
 * samples/sec\tTrain-SmoothL1=23.4`, keys its speed as the training's).
 */
const TRAIN_LEAD = /^(?:train|training) /;
/** A loss's setting, not a loss: its weight or coefficient in an options dump (`loss_weight: 1.0`), its scale. */
const LOSS_SETTING = /loss (?:weight|coef|coefficient|scale|type)s?$/;
/** Keys that say the value sums the record's terms: preferred as the loss when no key names one. */
const TOTAL_WORDS = /^(?:total|sum|cost|objective|obj|overall)$/;
/** A detector's loss terms besides objectness (YOLO's `box`, `cls`; `giou`, `l1` in other versions). */
const DETECTOR_TERMS = /^(?:box|cls|giou|iou loss|box loss|cls loss)$/;
/** A key whose qualifier in parentheses says it is a total (`Autoencoder Loss (total)`, `loss (sum)`). */
const saysTotal = (orig: string) => {
  const q = /\(([^()]*)\)$/.exec(orig);
  return !!q && TOTAL_WORDS.test(q[1].trim().toLowerCase());
};
/** A key without its qualifier in parentheses (`time (data)` → `time`). */
const unqualified = (orig: string) => orig.replace(/\s+\([^()]*\)$/, '') || orig;

/**
 * A key that spells a cross-entropy (`xent`, `ce`, `CrossEntropy`, `nll`), optionally of the training split, and
 * optionally called an error or a cost (`NLL err`, `xent error`: the measure's name, then what it is).
 */
const CROSS_ENTROPY =
  /^(?:train |training )?(?:xent|x ent|ce|cross entropy|crossentropy|cross ent|nll)(?: err| error| cost)?$/;

/**
 * When no series is `train/loss`, a training record's cross-entropy key (OpenNMT's `acc: … ppl: … xent: 3.29`) is
 * the loss: a perplexity beside it is that loss's exponential, and accuracy is a score. Not an evaluation split's.
 */
function crossEntropyLoss(slots: Map<string, Slot>, used: readonly Plan[]): string | undefined {
  if (slots.has('train/loss')) return undefined;
  for (const p of used) {
    let best: { name: string; k: number } | undefined;
    for (const [name, slot] of slots) {
      const part = slot.parts.find((x) => x.p === p);
      const key = canonicalKey(slot.orig);
      if (!part || !CROSS_ENTROPY.test(key) || name.startsWith('val/') || EVAL_WORDS.has(key.split(/[\s/]/)[0]))
        continue;
      if (!best || part.k < best.k) best = { name, k: part.k };
    }
    if (best) return best.name;
  }
  return undefined;
}

/** Keys of a loss in another form than a perplexity (a cross-entropy, bits per byte or character, an NLL). */
const OTHER_LOSS = /loss|nll|bpb|bpc|xent|cross ?ent/i;

/**
 * When the training's only loss-type series is a perplexity (TensorFlow's PTB tutorial, `0.107 perplexity: 1527.65
 * speed: 8936 wps`: the exponential of the cross-entropy, printed instead of it), that perplexity is the loss the run
 * is followed by: `train/loss`, its original name kept. Not when any series names a loss, a cross-entropy (see
 * `crossEntropyLoss`), bits per byte or an NLL, of any split. When the perplexity's record names a value before it
 * that the record's own choice takes as its loss (`unnamedLossOf`: `Batch Energy: 1.58 | Perplexity: 260.7`), that
 * value is the loss.
 */
function perplexityLoss(slots: Map<string, Slot>, used: readonly Plan[]): string | undefined {
  if (slots.has('train/loss') || !slots.has('train/ppl')) return undefined;
  for (const [name, slot] of slots) if (OTHER_LOSS.test(name) || OTHER_LOSS.test(slot.orig)) return undefined;
  const ppl = slots.get('train/ppl')!;
  if (ppl.parts.every(({ p }) => p.t.evalTag) || evaluationRecordOnly(slots, ppl)) return undefined;
  // a value the record names before its perplexity, which the record's own choice would take as the loss (`Batch
  // Energy: 1.58 | Perplexity: 260.7`: the perplexity printed beside the quantity trained on, as its exponential is
  // beside a cross-entropy): that value is the loss, not the perplexity
  const alt = unnamedLossOf(slots, used, true) ?? unnamedLossOf(slots, used, false);
  const other = alt !== undefined && alt !== 'train/ppl' ? slots.get(alt) : undefined;
  if (other?.parts.some((x) => ppl.parts.some((y) => y.p.t === x.p.t && x.k < y.k))) return alt;
  return 'train/ppl';
}

/**
 * When no series of the run is named as a loss (`total: 1.64`, `CrossEntropy=1.83e+00`, CycleGAN's `D_A: …
 * G_A: …`), the series taken as the training loss: in the biggest metric template (the training record; one whose
 * values are named before a table whose columns have no names), the
 * field whose key says it is a total (`total`, `sum`, `cost`, `objective`), else its first value field whose key
 * is not a time, speed, rate, accuracy-type score, norm or count, nor an evaluation split's, nor a whole-number
 * counter before the step's field; a value with a fraction is taken before one that has only been whole numbers
 * (a count), whichever template it is in. Undefined when some
 * series is named as a loss, or nothing qualifies.
 */
function unnamedLoss(slots: Map<string, Slot>, used: readonly Plan[]): string | undefined {
  // (a loss on lines tagged as evaluation in their prefix, `[valid] … perplexity : 5.07`, or only in records whose
  // every key names an evaluation split, `{"epoch": 0, "valid_xe_loss": 0.77, "valid_acc": 83.3}`, names no
  // training loss; a `val_loss` beside the training record's values keeps the choice)
  for (const [name, slot] of slots)
    if (
      (NAMED_LOSS.test(name) || NAMED_LOSS.test(slot.orig)) &&
      !LOSS_SETTING.test(canonicalKey(slot.orig)) &&
      !slot.parts.every(({ p }) => p.t.evalTag) &&
      !evaluationRecordOnly(slots, slot)
    )
      return undefined;
  // a record whose values are named (keys, or a header over a table) before a table whose columns have no names;
  // and a value with a fraction before one that has only ever been a whole number (`20 batches ran. Remaining
  // Feature Length is 388733` is a count, beside `Step 1522 … accuracy: 0.79; cost: 1.16`)
  // a key that says `loss` in Chinese, Japanese or Korean (`损失：[2.72, …]`, `训练损失: 0.5`, `손실: 0.3`) names the loss
  // wherever its record stands: before the values of a bigger or earlier template that names none (a configuration
  // dict printed first, `{'train': {…, 'betas': [0.8, 0.99], …}}`); an evaluation split's is not the training's
  for (const [name, slot] of slots)
    if (CJK_TRAIN_LOSS.test(slot.orig.trim()) && !slot.parts.every(({ p }) => p.t.evalTag)) return name;
  return unnamedLossOf(slots, used, true) ?? unnamedLossOf(slots, used, false);
}
/** A CJK key of the training loss: the bare word, or after `train` (`训练`/`訓練`/`학습`/`train`); not `验证损失`. */
const CJK_TRAIN_LOSS = /^(?:训练|訓練|학습|train(?:ing)?[ _]?)?(?:损失|損失|손실)(?:值|函数)?$/i;

/** A series whose name or canonical key (`canonicalKey`) names an evaluation split (`val/…`, `valid xe loss`, `eval loss`). */
function evalSplitKey(name: string, key: string): boolean {
  return name.startsWith('val/') || EVAL_WORDS.has(key.split(/[\s/]/)[0]);
}

/**
 * Whether every record (template) `slot` is in is an evaluation record: each of its series' keys names an
 * evaluation split (`__log__:{"epoch": 0, "valid_xe_loss": 0.77, "valid_acc": 83.3}`), none a training value.
 */
function evaluationRecordOnly(slots: Map<string, Slot>, slot: Slot): boolean {
  return slot.parts.every(({ p }) =>
    slotsOfPlan(slots, p, (orig) => canonicalKey(unqualified(orig))).every((m) => evalSplitKey(m.name, m.key)),
  );
}

/** The slots plan `p` fills, in its fields' order: each slot's name, its field and its key (`keyOf` its original name). */
function slotsOfPlan(
  slots: Map<string, Slot>,
  p: Plan,
  keyOf: (orig: string) => string,
): { name: string; k: number; key: string }[] {
  const mine: { name: string; k: number; key: string }[] = [];
  for (const [name, slot] of slots) {
    const part = slot.parts.find((x) => x.p === p);
    if (part) mine.push({ name, k: part.k, key: keyOf(slot.orig) });
  }
  return mine.sort((a, b) => a.k - b.k);
}

function unnamedLossOf(slots: Map<string, Slot>, used: readonly Plan[], fraction: boolean): string | undefined {
  const unnamed = (p: Plan) => p.t.table && !p.t.columnNames;
  for (const p of [...used.filter((q) => !unnamed(q)), ...used.filter(unnamed)]) {
    const mine = slotsOfPlan(slots, p, (orig) => canonicalKey(unqualified(orig)));
    if (!mine.length) continue;
    // a whole-number field before the step's (`0, 12, 16.49, …`: the epoch, then the batch) is an outer counter
    const stepK = 'k' in p.step ? p.step.k : -1;
    const ok = mine.filter(
      (m) =>
        !(m.k < stepK && p.t.fields[m.k].allInt) &&
        !p.t.fields[m.k].time &&
        !NOT_LOSS.test(m.key) &&
        !NOT_LOSS.test(m.key.replace(TRAIN_LEAD, '')) &&
        !LOSS_SETTING.test(m.key) &&
        !EVAL_WORDS.has(m.key.split(/[\s/]/)[0]) &&
        !m.name.startsWith('val/') &&
        !/^(?:train|training) (?:acc|accuracy)$/.test(m.key) &&
        !(fraction && p.t.fields[m.k].allInt),
    );
    if (!ok.length) continue;
    // beside a detector's box and class losses (YOLO's `box  obj  cls` columns), `obj` is the objectness term, not
    // an objective summing the record
    const detector = mine.some((m) => DETECTOR_TERMS.test(m.key));
    const total = (k: string) => TOTAL_WORDS.test(k) && !(detector && k === 'obj');
    return (
      ok.find((m) => CJK_LOSS.test(m.key)) ??
      ok.find((m) => total(m.key) || total(m.key.split(' ').pop()!)) ??
      ok[0]
    ).name;
  }
  return undefined;
}

/**
 * When no series is named as a loss and the record's every value is an evaluation set's, each keyed by the set's
 * name and a measure (a boosting library's evaluation lines: XGBoost's `[12]\tvalidation_0-rmse:0.51\tvalidation_1-rmse:0.62`,
 * LightGBM's `[12]\tvalid_0's l2: 0.3` — such a library prints no other record of its training): the first set's
 * first measure that is not a score (`auc`, accuracy) nor a time is the loss-like series. The first set is the one
 * the script gave first (scikit-learn's API names it `validation_0`; the training data, when watched, is usually it).
 */
function evalSetsLoss(slots: Map<string, Slot>, used: readonly Plan[]): string | undefined {
  for (const [name, slot] of slots) if (NAMED_LOSS.test(name) || NAMED_LOSS.test(slot.orig)) return undefined;
  for (const p of used) {
    const mine = slotsOfPlan(slots, p, canonicalKey);
    if (!mine.length || !mine.every((m) => evalSplitKey(m.name, m.key))) continue;
    // the measure: the key's last word after the set's name (`validation 0-rmse` → `rmse`, `valid 0's l2` → `l2`)
    const first = mine.find((m) => !NOT_LOSS.test(m.key.split(/[\s'-]/).pop()!) && !p.t.fields[m.k].allInt);
    if (first) return first.name;
  }
  return undefined;
}

/**
 * When a line of loss components was kept from the name `train/loss` and no other key took it: the first
 * loss-named series of a record that carries a step (EAST: `Epoch is [2/600], mini-batch is [1/1083], …,
 * batch_loss is 1.157` after `classify loss is …, angle loss is …` lines), not an evaluation split's.
 */
function stepRecordLoss(slots: Map<string, Slot>, used: readonly Plan[]): string | undefined {
  if (slots.has('train/loss')) return undefined;
  for (const p of used) {
    if (p.step.kind === 'ordinal') continue;
    let best: { name: string; k: number } | undefined;
    for (const [name, slot] of slots) {
      const part = slot.parts.find((x) => x.p === p);
      if (!part || !NAMED_LOSS.test(slot.orig) || name.startsWith('val/')) continue;
      if (EVAL_WORDS.has(canonicalKey(slot.orig).split(/[\s/]/)[0])) continue;
      if (!best || part.k < best.k) best = { name, k: part.k };
    }
    if (best) return best.name;
  }
  return undefined;
}

/** Everything a build depends on except the number of rows. */
function signatureOf(slots: Map<string, Slot>): string {
  const parts: string[] = [];
  for (const [name, sl] of slots) {
    const ps = sl.parts.map(({ p, k }) => {
      const st = p.step;
      const extra =
        st.kind === 'compose'
          ? `${st.k}/${st.epoch}/${st.per}/${st.first}`
          : st.kind === 'compose-ctx'
            ? `${st.k}/ctx/${st.per}/${st.first}`
            : st.kind === 'field'
              ? `${st.k}`
              : '';
      return `${p.t.id}.${p.rows ? p.rows[0] : '*'}.${k}.${st.kind}.${st.label}.${extra}.${p.t.merged}`;
    });
    parts.push(`${name}=${ps.join('+')}`);
  }
  return parts.sort().join('|');
}

/**
 * Adds the planned series to a fresh builder (`fresh()`), or — when `prev` was built from the same plan — only
 * the rows added since to its series (`extend`). Returns the new state: where the main series' step went back (restarts), plans used.
 */
export function build(
  fresh: () => RunBuilder,
  plans: readonly Plan[],
  prev?: { built: Built; b: RunBuilder },
): { built: Built; b: RunBuilder } {
  return runToEnd(buildSliced(fresh, plans, prev));
}

/**
 * Points (rows read or written) between two yields of the sliced assembly: its unit of work. A sliced computation
 * yields the points it read or wrote since its last yield, or minus the rows a pass that is not sliced is about to
 * read (a caller may end its slice first).
 */
export const ASSEMBLY_CHUNK = 16_384;

/** Runs a sliced computation to its end in one go (the one-shot path: the same code, no pauses). */
export function runToEnd<T>(g: Generator<number, T>): T {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

/**
 * `build` as a generator that yields after every chunk of at most `ASSEMBLY_CHUNK` points it reads or writes (the
 * yielded number: points since the last yield), so a caller can pause between chunks and keep a thread responsive.
 * The rows must not change until it is done (the caller feeds no lines meanwhile). Same result as `build`: it is
 * `build`'s code.
 */
export function* buildSliced(
  fresh: () => RunBuilder,
  plans: readonly Plan[],
  prev?: { built: Built; b: RunBuilder },
): Generator<number, { built: Built; b: RunBuilder }> {
  const { slots, used, lossFrom } = assign(plans);
  const sig = signatureOf(slots);
  if (prev && prev.built.sig === sig) {
    const backs = yield* extend(prev.b, prev.built.slots, slots);
    return {
      built: {
        sig,
        slots,
        restarts: backs.length > prev.built.restarts.length ? backs : prev.built.restarts,
        used,
        lossFrom,
      },
      b: prev.b,
    };
  }
  const b = fresh();
  let restarts: number[] = [];
  let mainRows = -1;
  for (const [name, slot] of slots) {
    const pts = yield* gather(
      slot.parts,
      slot.parts.map(() => 0),
    );
    const backs = yield* addResolved(b, name, slot.orig, pts);
    slot.done = slot.parts.map((x) => size(x.p));
    slot.last = backs.length ? NaN : lastStep(pts);
    if (pts.n > mainRows && backs.length >= restarts.length) {
      mainRows = pts.n;
      restarts = backs;
    }
  }
  return { built: { sig, slots, restarts, used, lossFrom }, b };
}

function lastStep(pts: Points): number {
  for (let i = pts.n - 1; i >= 0; i--) if (pts.step[i] === pts.step[i]) return pts.step[i];
  return -Infinity;
}

/**
 * Appends the new rows of every series to the existing ones. A series whose new steps do not come strictly
 * after the last one added (a restart, a step repeated across the boundary) is rebuilt alone, last write
 * winning. Returns the lines where the steps of a rebuilt series went back, if any.
 */
function* extend(b: RunBuilder, old: Map<string, Slot>, now: Map<string, Slot>): Generator<number, number[]> {
  let backs: number[] = [];
  for (const [name, slot] of now) {
    const before = old.get(name)!;
    if (!slot.parts.some((x, j) => size(x.p) > (before.done[j] ?? 0))) {
      slot.done = before.done;
      slot.last = before.last;
      continue; // nothing new
    }
    let ok = before.last === before.last;
    const pts = ok ? yield* gather(slot.parts, before.done) : undefined;
    if (pts) {
      let prev = before.last;
      let first = true;
      for (let i = 0; i < pts.n && ok; i++) {
        const st = pts.step[i];
        if (st !== st) continue;
        if (first ? st <= prev : st < prev) ok = false;
        first = false;
        prev = st;
      }
    }
    if (ok && pts) {
      if (pts.n) yield* addResolved(b, name, slot.orig, pts);
      const l = lastStep(pts);
      slot.last = l === -Infinity ? before.last : l;
    } else {
      delete b.run.metrics[name];
      const all = yield* gather(
        slot.parts,
        slot.parts.map(() => 0),
      );
      const bk = yield* addResolved(b, name, slot.orig, all);
      slot.last = bk.length ? NaN : lastStep(all);
      if (bk.length > backs.length) backs = bk;
    }
    slot.done = slot.parts.map((x) => size(x.p));
  }
  return backs;
}

interface Points {
  n: number;
  step: Float64Array;
  value: Float64Array;
  line: Float64Array;
}

/**
 * The steps of a plan's rows, computed once per plan and shared by its metrics. A plan whose step is a field of every
 * row of its template has that field's column as its steps, read without a copy (the column is `lent`: its rows are
 * never rewritten in place); the loop still yields once per chunk, as the copy did, so the slices are as before.
 */
const stepCache = new WeakMap<Plan, Float64Array>();
export function* stepsOf(p: Plan): Generator<number, Float64Array> {
  let s = stepCache.get(p);
  if (s) return s;
  const n = size(p);
  const sub = p.rows;
  const col = p.step.kind === 'field' && !sub ? colOf(p.t, p.step.k) : undefined;
  if (col) col.lent = true;
  s = col ? col.data.subarray(0, n) : new Float64Array(n);
  for (let r = 0; r < n;) {
    const end = Math.min(n, r + ASSEMBLY_CHUNK);
    if (col) r = end;
    else for (; r < end; r++) s[r] = stepAt(p, sub ? sub[r] : r, r);
    yield ASSEMBLY_CHUNK;
  }
  stepCache.set(p, s);
  return s;
}

/** The steps of a plan's rows, in one go (cached per plan object, as for the assembly). */
export function planSteps(p: Plan): Float64Array {
  return runToEnd(stepsOf(p));
}

/** The points of a series from its parts (each from row `from[i]` on), in line order. */
function* gather(parts: readonly Part[], from: readonly number[]): Generator<number, Points> {
  if (parts.length === 1 && !parts[0].p.rows && from[0] === 0) {
    // one whole template: its columns as they are (no copy)
    const { p, k } = parts[0];
    let n = p.t.rows;
    // (a record cut off at the end of the file, its last row, never wrote this field: `Template.cutLine`)
    if (n > 0 && k >= p.t.cutFields && p.t.lines.data[n - 1] === p.t.cutLine) n--;
    const col = colOf(p.t, k);
    // (a series may take these rows as its points, without a copy: see `Column.lent`)
    col.lent = true;
    return {
      n,
      step: yield* stepsOf(p),
      value: col.data.subarray(0, n),
      line: p.t.lines.data.subarray(0, n),
    };
  }
  let n = 0;
  parts.forEach(({ p }, j) => (n += Math.max(0, size(p) - (from[j] ?? 0))));
  const step = new Float64Array(n);
  const value = new Float64Array(n);
  const line = new Float64Array(n);
  let o = 0;
  // where each part's rows start in the arrays, and whether its lines come in order (they do: rows are appended
  // as lines are read), so that the parts can be merged rather than sorted
  const starts: number[] = [];
  let ordered = true;
  for (let j = 0; j < parts.length; j++) {
    const part = parts[j];
    const rows = size(part.p);
    const sub = part.p.rows;
    const col = colOf(part.p.t, part.k).data;
    const lines = part.p.t.lines.data;
    const cut = part.k >= part.p.t.cutFields ? part.p.t.cutLine : NaN;
    starts.push(o);
    for (let r = from[j] ?? 0; r < rows;) {
      const end = Math.min(rows, r + ASSEMBLY_CHUNK);
      for (; r < end; r++, o++) {
        const i = sub ? sub[r] : r;
        // (a record cut off at the end of the file that never wrote this field: `Template.cutLine`)
        if (lines[i] === cut) {
          o--;
          continue;
        }
        step[o] = stepAt(part.p, i, r);
        value[o] = col[i];
        line[o] = lines[i];
        if (o > starts[j] && line[o] < line[o - 1]) ordered = false;
      }
      yield ASSEMBLY_CHUNK;
    }
  }
  // (fewer when a cut record's row was left out)
  n = o;
  starts.push(n);
  if (parts.length > 1) {
    // in line order: the stable sort by line, done as a merge of the parts (each in line order) in slices
    const idx = ordered
      ? yield* mergeRuns(line, starts)
      : Array.from({ length: n }, (_, i) => i).sort((a, b) => line[a] - line[b]);
    if (!ordered) yield n; // (never seen: a part's lines out of order) one sort, not sliced
    const out = { n, step: new Float64Array(n), value: new Float64Array(n), line: new Float64Array(n) };
    for (let i = 0; i < n;) {
      const end = Math.min(n, i + ASSEMBLY_CHUNK);
      for (; i < end; i++) {
        const k = idx[i];
        out.step[i] = step[k];
        out.value[i] = value[k];
        out.line[i] = line[k];
      }
      yield ASSEMBLY_CHUNK;
    }
    return out;
  }
  return { n, step, value, line };
}

/**
 * The indices of `key` in ascending order, for runs `[starts[j], starts[j+1])` each already ascending: what a stable
 * sort by key gives (ties keep index order: the earlier run first), merged two runs at a time in slices.
 */
function* mergeRuns(key: Float64Array, starts: readonly number[]): Generator<number, number[]> {
  const n = starts[starts.length - 1];
  let idx = Array.from({ length: n }, (_, i) => i);
  let bounds = [...starts];
  while (bounds.length > 2) {
    const next = new Array<number>(n);
    const nb: number[] = [0];
    let o = 0;
    for (let r = 0; r + 1 < bounds.length; r += 2) {
      const lo = bounds[r],
        mid = bounds[r + 1],
        hi = r + 2 < bounds.length ? bounds[r + 2] : mid;
      let a = lo,
        b = mid;
      while (a < mid || b < hi) {
        const end = Math.min(n, o + ASSEMBLY_CHUNK);
        for (; o < end && (a < mid || b < hi); o++)
          next[o] = b >= hi || (a < mid && key[idx[a]] <= key[idx[b]]) ? idx[a++] : idx[b++];
        yield ASSEMBLY_CHUNK;
      }
      nb.push(hi);
    }
    idx = next;
    bounds = nb;
  }
  return idx;
}

/** `values` sorted ascending (numbers, no NaN) in slices: chunks sorted one by one, then merged. */
function* sortSliced(values: Float64Array): Generator<number, Float64Array> {
  const starts: number[] = [];
  for (let i = 0; i < values.length; i += ASSEMBLY_CHUNK) {
    starts.push(i);
    values.subarray(i, Math.min(values.length, i + ASSEMBLY_CHUNK)).sort();
    yield ASSEMBLY_CHUNK;
  }
  starts.push(values.length);
  if (starts.length <= 2) return values;
  const idx = yield* mergeRuns(values, starts);
  const out = new Float64Array(values.length);
  for (let i = 0; i < out.length;) {
    const end = Math.min(out.length, i + ASSEMBLY_CHUNK);
    for (; i < end; i++) out[i] = values[idx[i]];
    yield ASSEMBLY_CHUNK;
  }
  return out;
}

/**
 * Adds points in order; where the step repeats or goes back, the last value written for a step wins. Returns
 * the lines where the step went back.
 */
function* addResolved(b: RunBuilder, name: string, orig: string, pts: Points): Generator<number, number[]> {
  const backs: number[] = [];
  let prev = -Infinity;
  // every point is added as it is: no step missing (NaN), none repeated
  let every = true;
  for (let i = 0; i < pts.n;) {
    const end = Math.min(pts.n, i + ASSEMBLY_CHUNK);
    for (; i < end; i++) {
      const s = pts.step[i];
      if (s < prev) backs.push(pts.line[i]);
      if (s === s) prev = s;
      else every = false;
      if (i > 0 && s === pts.step[i - 1]) every = false;
    }
    yield ASSEMBLY_CHUNK;
  }
  const s = b.series(orig, name);
  if (!backs.length && every && pts.n > 0 && s.length === 0 && pts.n < s.maxPoints) {
    // a new series of every point in order (the common case): it takes the points' arrays as they are, which
    // nothing writes to again (a plan's cached steps, a template's column — `Column.lent` — or arrays made for it),
    // instead of copying each point into fresh memory (that copy, mostly page faults, was a tenth of the general
    // reader's CPU time). Same points, same diagnostic: the first non-finite value is flagged as `addTo` would.
    let bad = -1;
    for (let i = 0; i < pts.n;) {
      const end = Math.min(pts.n, i + ASSEMBLY_CHUNK);
      for (; i < end && bad < 0; i++) if (pts.value[i] - pts.value[i] !== 0) bad = i;
      i = end;
      yield ASSEMBLY_CHUNK;
    }
    s.adopt(pts.step.subarray(0, pts.n), pts.value.subarray(0, pts.n));
    if (bad >= 0) b.checkFinite(s, pts.step[bad], pts.value[bad], pts.line[bad]);
    return backs;
  }
  if (!backs.length) {
    // (room for every point at once: at most `pts.n` are added)
    s.reserve(pts.n);
    for (let i = 0; i < pts.n;) {
      const end = Math.min(pts.n, i + ASSEMBLY_CHUNK);
      for (; i < end; i++) {
        // a repeated step (a progress bar redrawn, a line printed per rank): the last write wins
        if (i + 1 < pts.n && pts.step[i + 1] === pts.step[i]) continue;
        if (pts.step[i] !== pts.step[i]) continue;
        b.addTo(s, pts.step[i], pts.value[i], pts.line[i]);
      }
      yield ASSEMBLY_CHUNK;
    }
    return backs;
  }
  const last = new Map<number, number>();
  for (let i = 0; i < pts.n;) {
    const end = Math.min(pts.n, i + ASSEMBLY_CHUNK);
    for (; i < end; i++) if (pts.step[i] === pts.step[i]) last.set(pts.step[i], i);
    yield ASSEMBLY_CHUNK;
  }
  const steps = yield* sortSliced(Float64Array.from(last.keys()));
  s.reserve(steps.length);
  for (let j = 0; j < steps.length;) {
    const end = Math.min(steps.length, j + ASSEMBLY_CHUNK);
    for (; j < end; j++) {
      const st = steps[j];
      const i = last.get(st)!;
      b.addTo(s, st, pts.value[i], pts.line[i]);
    }
    yield ASSEMBLY_CHUNK;
  }
  return backs;
}
