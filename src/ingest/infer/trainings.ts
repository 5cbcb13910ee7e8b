/**
 * Several trainings in one file, told apart from a resume (issue 14). Pure.
 *
 * The rule: where the step of the training record goes back to the start (to or below the first step the file
 * logged) AND the banner that opened the first training (a header such as CycleGAN's `==== Training Loss (date)
 * ====`, an options dump `---- Options ----`) is printed again in between, a new training starts. A step that
 * goes back without such a banner, or not as far as the start (a resume from a checkpoint, a relaunch at epoch
 * 60), stays an attempt of the same training: every point is kept, last write per step, as before. Every training
 * is read; the run's series are the last training's, and the earlier ones are reported (line range, points, last
 * step) in a diagnostic, which `parse --json` carries.
 *
 * Banners are recognised by a signature of the line's start (logger prefix skipped, digits as 0): the lines
 * whose template differs from the previous line's are recorded as (line, signature) while reading (`Banners`),
 * and the signatures seen before the first point of the training record are the opening banner.
 */
import { prefixEndBytes } from './prefix';
import type { Plan } from './assemble';
import { EPOCH_RANK, stepRank } from './templates';
import { endLineKind } from '../metaLines';
import type { RunEndKind } from '../types';

/** Bytes of a line's start (after the logger prefix) that make its signature. */
const SIG_BYTES = 24;
/** Lines recorded at most (a huge log's later template changes are not recorded: no split past them). */
const MAX_RECORDED = 1 << 18;
/** Recorded lines before the first point that count as its opening banner. */
const OPENING = 40;

/** Line signatures recorded where the line template changes, in line order. */
export class Banners {
  /**
   * The recorded lines and signatures in typed arrays that double (a template change is recorded on every switch
   * between two print statements: a JS array's push and its growth were ~2 % of the general reader's time); read
   * through `lines` and `sigs`, views of the `n` recorded so far.
   */
  private lineBuf = new Float64Array(64);
  private sigBuf = new Uint32Array(64);
  private n = 0;
  private views: { n: number; lines: Float64Array; sigs: Uint32Array } | undefined;
  /**
   * The decorated banners among the recorded lines (few: `>>> Training …`, `--- resnet50 on …`): the index of each
   * in `lines`, its head, the hash of its words and how many numbers it holds (`headAndWords`).
   */
  readonly deco = { at: [] as number[], head: [] as number[], words: [] as number[], nums: [] as number[] };
  /** Lines saying a training ended as planned or stopped early (`Training completed`, `Early stopping triggered`). */
  ends: number[] = [];

  /** The recorded lines, in line order. */
  get lines(): Float64Array {
    return this.view().lines;
  }
  /** The signature of each of `lines`. */
  get sigs(): Uint32Array {
    return this.view().sigs;
  }
  private view(): { n: number; lines: Float64Array; sigs: Uint32Array } {
    if (this.views?.n !== this.n)
      this.views = { n: this.n, lines: this.lineBuf.subarray(0, this.n), sigs: this.sigBuf.subarray(0, this.n) };
    return this.views;
  }

  record(b: Uint8Array, start: number, end: number, lineNo: number): void {
    if (this.n >= MAX_RECORDED) return;
    const s = prefixEndBytes(b, start, end);
    let h = 0x811c9dc5;
    const stop = Math.min(end, s + SIG_BYTES);
    let any = false;
    for (let i = s; i < stop; i++) {
      let c = b[i];
      if (c === 13) break;
      if (c >= 48 && c <= 57) c = 48;
      else if (c !== 32) any = true;
      h = Math.imul(h ^ c, 0x01000193);
    }
    if (!any) return; // blank lines say nothing
    if (this.n === this.lineBuf.length) this.grow();
    headAndWords(b, s, end);
    if (HW.head) {
      this.deco.at.push(this.n);
      this.deco.head.push(HW.head);
      this.deco.words.push(HW.words);
      this.deco.nums.push(HW.nums);
    }
    this.lineBuf[this.n] = lineNo;
    this.sigBuf[this.n++] = h;
  }

  private grow(): void {
    const lines = new Float64Array(2 * this.n);
    lines.set(this.lineBuf);
    this.lineBuf = lines;
    const sigs = new Uint32Array(2 * this.n);
    sigs.set(this.sigBuf);
    this.sigBuf = sigs;
  }

  /** Records an end line (the reader decides which lines are: `endsTraining`, once per template). */
  end(lineNo: number): void {
    if (this.ends.length < MAX_RECORDED) this.ends.push(lineNo);
  }
  /** Lines saying the training was interrupted (`Training interrupted!`, `KeyboardInterrupt`). */
  stops: number[] = [];
  stop(lineNo: number): void {
    if (this.stops.length < MAX_RECORDED) this.stops.push(lineNo);
  }
}

/** Bytes of a line (after its logger prefix) whose words `headAndWords` reads. */
const WORD_BYTES = 160;
/** The marks that decorate a banner (`>>> Training …`, `## cifar100 …`, `--- resnet50 on …`, `==== Model ====`). */
const DECORATION = [35, 61, 45, 42, 62, 126, 43, 60, 124];
/** A banner announcing an evaluation rather than a training. */
const EVAL_BANNER =
  /(?:^|[^a-z])(?:eval|evaluation|evaluating|val|valid|validation|validating|test|testing|inference)(?![a-z])/i;
const latin1 = (b: Uint8Array, s: number, e: number) =>
  Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1');
/** Distinct words of a line `headAndWords` tells apart at most (the rest are added as they come). */
const MAX_WORDS = 32;
/** `headAndWords`' result (one object, no allocation per line). */
const HW = { head: 0, words: 0, nums: 0 };
const seenWords = new Uint32Array(MAX_WORDS);
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c >= 128;
const isDigit = (c: number) => c >= 48 && c <= 57;
/** The hash `headAndWords` gives a word (lower-cased). */
function wordHash(w: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
/** Words of a date, which a relaunch prints anew (`==== Training Loss (Sun Mar  3 10:00:00 2019) ====`). */
const DATE_WORDS = new Set(
  (
    'mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday sunday jan feb mar apr may jun ' +
    'jul aug sep sept oct nov dec january february march april june july august september october november ' +
    'december am pm'
  )
    .split(' ')
    .map(wordHash),
);

/**
 * A banner's head — its leading marks (two or more), a blank and its first word: `>>> Training`, `## cifar`, `---
 * resnet`; 0 for a line that is no banner — the
 * hash of the set of its words (runs of letters and digits holding a letter, lower-cased: `resnet18`), and how many
 * numbers it holds (runs of digits alone, or with a unit after them: `0.316s`). Left out, as a relaunch prints them anew: paths (a blank-free stretch
 * holding a `/`), the words of a date, ids (a word switching between letters and digits twice or more: `abc123xy`).
 * Into `HW`; one pass (two over each path) over at most `WORD_BYTES` bytes.
 */
function headAndWords(b: Uint8Array, s: number, end: number): void {
  if (end - s < 4 || !DECORATION.includes(b[s]) || !DECORATION.includes(b[s + 1])) {
    HW.head = HW.words = HW.nums = 0; // no banner (most lines: one look at their first two bytes)
    return;
  }
  const stop = Math.min(end, s + WORD_BYTES);
  let head = 0x811c9dc5;
  let i = s;
  for (; i < stop && DECORATION.includes(b[i]); i++) head = Math.imul(head ^ b[i], 0x01000193);
  const marks = i - s;
  for (; i < stop && (b[i] === 32 || b[i] === 9); i++);
  const blanks = i - s - marks;
  for (; i < stop && (isLetter(b[i]) || b[i] === 95); i++) head = Math.imul(head ^ b[i], 0x01000193);
  // a banner's head: two or more marks, a blank, a word; none for other lines, nor for a banner announcing an
  // evaluation (`***** Running evaluation *****` after `***** Running training *****`: no other training)
  if (marks < 2 || !blanks || i === s + marks + blanks || EVAL_BANNER.test(latin1(b, s, stop))) {
    HW.head = HW.words = HW.nums = 0;
    return;
  }
  let words = 0;
  let n = 0;
  let nums = 0;
  let w = 0x811c9dc5;
  let letters = false;
  let switches = 0;
  let kind = 0; // 0: none yet, 1: letters, 2: digits
  let first = 0; // the kind of the word's first character (a number with its unit, `0.316s`, is a number)
  let pathEnd = -1; // the end of the blank-free stretch being skipped as a path
  for (i = s; i <= stop; i++) {
    const c = i < stop ? b[i] : 32;
    if (i < pathEnd) continue;
    if (c !== 32 && c !== 9 && (i === s || b[i - 1] === 32 || b[i - 1] === 9)) {
      // a blank-free stretch starts: a path when it holds a `/`
      let e = i;
      let slash = false;
      while (e < stop && b[e] !== 32 && b[e] !== 9) if (b[e++] === 47) slash = true;
      if (slash) {
        pathEnd = e;
        continue;
      }
    }
    const k = isLetter(c) ? 1 : isDigit(c) ? 2 : 0;
    if (k) {
      if (!kind) first = k;
      if (kind && k !== kind) switches++;
      if (k === 1) letters = true;
      w = Math.imul(w ^ (c >= 65 && c <= 90 ? c + 32 : c), 0x01000193);
      kind = k;
      continue;
    }
    if (kind && (!letters || first === 2)) nums++;
    else if (kind && switches < 2 && !DATE_WORDS.has(w >>> 0)) {
      const h = w >>> 0;
      let dup = false;
      for (let q = 0; q < n && !dup; q++) dup = seenWords[q] === h;
      if (!dup) {
        if (n < MAX_WORDS) seenWords[n++] = h;
        words = (words + h) | 0;
      }
    }
    w = 0x811c9dc5;
    letters = false;
    switches = 0;
    kind = 0;
  }
  HW.head = head >>> 0;
  HW.words = words >>> 0;
  HW.nums = nums;
}

/** A training of the file: first and last line of its points, how many, and its last step. */
export interface Training {
  fromLine: number;
  toLine: number;
  points: number;
  lastStep: number;
}

/** First index of `xs` (sorted) with a value ≥ `x`. */
function lowerIndex(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index of `lines` (sorted) with a value > `x`: how many lie at or before `x`. */
export function upper(lines: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lines[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Where new trainings start in the main plan (`steps`: its steps per row, `lines`: its line per row): the row
 * indices, in order (empty when the file holds one training). `renamed`: those of them where a line of the opening
 * banner is printed again naming something else — a line with the head of an opening line (its leading marks and
 * first word) whose words are none of the opening lines' (`>>> Training baseline ResNet` then `>>> Training
 * stochastic-depth ResNetDrop`; `## cifar 100 resnet18 …` then `## cifar100 with resnet-50`): the script trains
 * another model or configuration, a training of its own, not an attempt of the same one. A relaunch prints its
 * banner with the same words (its dates, numbers and ids aside). One pass over the steps and the recorded lines.
 */
export function trainingStarts(
  steps: ArrayLike<number>,
  lines: ArrayLike<number>,
  banners: Banners,
): { starts: number[]; renamed: number[] } {
  const n = Math.min(steps.length, lines.length);
  const none = { starts: [], renamed: [] };
  if (n < 2 || !banners.lines.length) return none;
  const firstLine = lines[0];
  const opening = new Set<number>();
  const upto = upper(banners.lines, firstLine - 1);
  for (let j = Math.max(0, upto - OPENING); j < upto; j++) opening.add(banners.sigs[j]);
  // each head of the opening's decorated banners: the one banner with it (−1 when several have it)
  const d = banners.deco;
  const heads = new Map<number, number>();
  for (let q = lowerIndex(d.at, upto - OPENING); q < d.at.length && d.at[q] < upto; q++)
    heads.set(d.head[q], heads.has(d.head[q]) ? -1 : q);
  if (!opening.size) return none;
  let start = steps[0];
  const out: number[] = [];
  const renamed: number[] = [];
  for (let i = 1; i < n; i++) {
    const st = steps[i];
    if (!(st < steps[i - 1]) || st > start) continue;
    // back to the start: a new training when the opening banner is printed again since the previous point
    let again = false;
    let other = false;
    const from = upper(banners.lines, lines[i - 1]);
    let to = from;
    for (; to < banners.lines.length && banners.lines[to] < lines[i]; to++)
      if (opening.has(banners.sigs[to])) again = true;
    // a line with an opening line's head but other words, the opening line itself not printed again in between (a
    // relaunch prints it again, beside other lines of the same head: `detectron2 INFO: Full config saved to …`)
    const key = (q: number) => (Math.imul(d.head[q], 31) + d.words[q]) | 0;
    const printed = new Set<number>();
    const candidates: number[] = [];
    for (let q = lowerIndex(d.at, from); q < d.at.length && d.at[q] < to; q++) {
      printed.add(key(q));
      const o = heads.get(d.head[q]) ?? -1;
      if (o >= 0 && d.nums[o] === d.nums[q] && d.words[o] !== d.words[q]) candidates.push(o);
    }
    other = candidates.some((o) => !printed.has(key(o)));
    if (again || other) {
      out.push(i);
      if (other) renamed.push(i);
      start = st;
    }
  }
  return { starts: out, renamed };
}

/**
 * The plans restricted to the last training (rows on or after its first line), and every training found. The
 * main plan is the biggest one with a real step field (its steps `stepsOf(p)`, its rows' line numbers
 * `linesOf(p)`); when it holds one training the plans are returned as they are. `renamed`: the first line of each
 * training whose banner names another model or configuration (`trainingStarts`).
 */
export function lastTraining(
  plans: readonly Plan[],
  banners: Banners,
  stepsOf: (p: Plan) => Float64Array,
  linesOf: (p: Plan) => Float64Array,
): { plans: readonly Plan[]; trainings: Training[]; renamed: number[] } {
  const main = plans.find((p) => p.step.kind !== 'ordinal' && p.step.kind !== 'ctx');
  if (!main) return { plans, trainings: [], renamed: [] };
  const steps = stepsOf(main);
  const n = steps.length;
  // the line number of each of the main plan's rows (made once per plan, in slices, by the caller)
  const lines = linesOf(main);
  const { starts, renamed } = trainingStarts(steps, lines, banners);
  if (!starts.length) return { plans, trainings: [], renamed: [] };
  const bounds = [0, ...starts, n];
  const trainings: Training[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const a = bounds[k];
    const b = bounds[k + 1] - 1;
    let last = -Infinity;
    for (let r = a; r <= b; r++) if (steps[r] > last) last = steps[r];
    trainings.push({ fromLine: lines[a], toLine: lines[b], points: b - a + 1, lastStep: last });
  }
  const from = lines[starts[starts.length - 1]];
  const out: Plan[] = [];
  for (const p of plans) {
    const all = p.rows ?? Array.from({ length: p.t.rows }, (_, i) => i);
    const kept = all.filter((i) => p.t.lines.data[i] >= from);
    if (!kept.length) continue;
    out.push(kept.length === all.length ? p : { ...p, rows: kept });
  }
  return { plans: out, trainings, renamed: renamed.map((i) => lines[i]) };
}

/**
 * Trainings told apart by their records' literal text: the same record printed by each training with its own
 * configuration or model name in it (`Config: {'filter_config': 'wide', …}, Epoch 3/30, Train Loss: …` then
 * `Config: {'filter_config': 'large', …}, Epoch 1/30, …`; `LSTM_e1 Epoch 1: Loss = …` then `Transformer_L2_e1 Epoch
 * 1: …`) is a template per training. When two or more templates of ≥ 2 records give the training loss (`isLoss`) on
 * the same step axis, their lines do not interleave (each is one stretch of the file, one after the other), and each later
 * one's first step is back at or below the first one's (steps restart at the start), each stretch is its own
 * training: a hyper-parameter search or a loop over models, not a resume. Returns the first line of each later
 * stretch (empty: one training). A resume or a relaunch prints the same template again, so it is never split here;
 * nor is a file of attempts at the stretch where the record gained or lost fields (the print statement edited).
 */
export function templateTrainings(
  plans: readonly Plan[],
  isLoss: (orig: string) => boolean,
  stepsOf: (p: Plan) => Float64Array,
): number[] {
  const loss = plans.filter((p) => !p.rows && p.t.rows >= 2 && p.metrics.some((m) => !m.suffix && isLoss(m.orig)));
  // the same step axis (record order's label names its template's line, so only its kind is compared; the epoch
  // words are one axis: `fold=1 epoch=3 …` then a final training's `[Ep 003/20] …`)
  const label = (l: string) => (stepRank(l) === EPOCH_RANK ? 'epoch' : l.toLowerCase());
  const axis = (p: Plan) => (p.step.kind === 'ordinal' ? 'ordinal' : `${p.step.kind}:${label(p.step.label)}`);
  if (loss.length < 2 || loss.some((p) => axis(p) !== axis(loss[0]))) return [];
  const spans = loss
    .map((p) => ({ p, from: p.t.lines.data[0], to: p.t.lines.data[p.t.rows - 1] }))
    .sort((a, b) => a.from - b.from);
  for (let i = 1; i < spans.length; i++) if (spans[i].from <= spans[i - 1].to) return [];
  const stepsAll = spans.map((s) => stepsOf(s.p));
  const first = stepsAll[0][0];
  for (let i = 1; i < spans.length; i++) if (!(stepsAll[i][0] <= first)) return [];
  // a file of attempts — a stretch that itself goes back to its first step (the script run again), the attempts not
  // all ending at the same last step (not one script run to its end again and again, `repeatedLastStep`) — where
  // the record of the next stretch is the one before with fields added or removed, none of them a loss (`step 0,
  // loss: 10.9` ×4 attempts, then `step 0, loss: 10.8, norm: 0.69, time: 90.1 ms`): the print statement was edited
  // between two attempts, no next configuration of a loop (which prints each training once, with the same keys) nor
  // another model (a loss term added)
  if (stepsAll.some(restarts) && Number.isNaN(repeatedLastStep(concat(stepsAll))))
    return spans.slice(1).flatMap((s, i) => (editedRecord(spans[i].p.t, s.p.t) ? [] : [s.from]));
  return spans.slice(1).map((s) => s.from);
}

/** Do the steps go back to (or below) the first one after it (a second attempt in one stretch)? One pass. */
function restarts(steps: ArrayLike<number>): boolean {
  const first = steps[0];
  for (let i = 1; i < steps.length; i++) if (steps[i] <= first && steps[i] < steps[i - 1]) return true;
  return false;
}

function concat(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The keys of a template's fields, in order (unkeyed fields left out). */
const keysOf = (t: Plan['t']): string[] => t.fields.filter((f) => f.key).map((f) => f.key);

/**
 * Is one template's key sequence the other's with keys added, none naming a loss (a strict subsequence, the shorter
 * holding ≥ 2 keys: a step and a value)? Once per pair of stretches.
 */
function editedRecord(a: Plan['t'], b: Plan['t']): boolean {
  const ka = keysOf(a);
  const kb = keysOf(b);
  const [short, long] = ka.length < kb.length ? [ka, kb] : [kb, ka];
  if (short.length < 2 || short.length === long.length) return false;
  let j = 0;
  for (const k of long) {
    if (j < short.length && k === short[j]) j++;
    else if (/loss/i.test(k)) return false;
  }
  return j === short.length;
}

/** The plans restricted to the rows whose lines are in [from, to) (plans left with no row are dropped). */
export function plansWithin(plans: readonly Plan[], from: number, to: number): Plan[] {
  const out: Plan[] = [];
  for (const p of plans) {
    const all = p.rows ?? Array.from({ length: p.t.rows }, (_, i) => i);
    const kept = all.filter((i) => p.t.lines.data[i] >= from && p.t.lines.data[i] < to);
    if (kept.length) out.push(kept.length === all.length ? p : { ...p, rows: kept });
  }
  return out;
}

/**
 * Does the line (bytes, logger prefix included) say a training ended as planned or stopped early (`Training
 * completed`, `Early stopping triggered`)? Decoded and tested once per line template by the reader (its words are
 * the same on every line of it), and on words-only lines.
 */
export function endsTraining(b: Uint8Array, start: number, end: number): boolean {
  const kind = endKindAt(b, start, end);
  return kind === 'completed' || kind === 'early-stop';
}

/** The end a line states (metaLines.ts `endLineKind`, after the line's prefix), or undefined. */
export function endKindAt(b: Uint8Array, start: number, end: number): RunEndKind | undefined {
  const s = prefixEndBytes(b, start, end);
  if (end - s > 300) return undefined;
  // (decoded as UTF-8: an end line in a script without spaces between words, `训练完成!`, is matched by its characters)
  return endLineKind(Buffer.from(b.buffer, b.byteOffset + s, end - s).toString('utf8'));
}

/**
 * Trainings that follow one another in the rows of one plan (`steps`, `lines`: its steps and lines per row): row i
 * starts a new training where the step goes back to the start (to or below the current training's first step, or its
 * second after an end line; or stays at it, after a training of one point) and
 * the attempt before it was complete — a line saying it ended (`Training completed`, `Early stopping triggered`) lies
 * between its last point and row i, or its last step reached its stated planned total (`reachedTotal(i − 1)`, an
 * `N/M` counter at M; after that, a step back to anywhere starts one: the next model may log from its 5th epoch). A
 * step back after an attempt that just stopped (a crash, a relaunch, a resume) stays an attempt of the same training;
 * so does one whose end line follows a line saying it was interrupted (`stops`: `Training interrupted! Saving
 * checkpoint...` then `Training complete!`, a script's closing words printed however its loop ended). A step back
 * after the total that lands among the steps of the rows just before, which already went back and forth, is no new
 * training either: several writers print the record at once and the others are finishing (`interleaved`).
 * Returns the first line of each new training.
 */
export function finishedTrainings(
  steps: ArrayLike<number>,
  lines: ArrayLike<number>,
  ends: readonly number[],
  reachedTotal: (row: number) => boolean,
  stops: readonly number[] = [],
): number[] {
  const n = Math.min(steps.length, lines.length);
  const out: number[] = [];
  let start = steps[0];
  let from = 0;
  for (let i = 1; i < n; i++) {
    // (a training of one point at its first step, ended, then the next at that step too: `Epoch: 1/3000, …`,
    // `------ Training ends ------`, `------ Training begins ------`, `Epoch: 1/3000, …` — no step back, yet the
    // same start again; a step written again later in a training, a summary after its end line, is no start)
    if (!(steps[i] < steps[i - 1]) && !(steps[i] === steps[i - 1] && steps[i] <= start)) continue;
    // a step back from a stated planned total reached (`[6/6]` then `[5/30]`: the next model logs every 5th epoch)
    // starts a training wherever it goes back to; otherwise only a step back to the start does
    const done = reachedTotal(i - 1);
    // (after an end line, a step back to the current training's second record starts one too: the next model logs
    // at a coarser interval, `Step=50, 100, …, 200`, `Training completed`, then `Step=100, 200, …`)
    const second = from + 1 < i ? steps[from + 1] : start;
    if (steps[i] > second && !done) continue;
    if (steps[i] > start && interleaved(steps, from, i)) continue;
    // (the end line may stand before the training's last record, when the closing hooks write that record after it:
    // `Total training time: 0:03:34`, then the last `iter: 171  total_loss: …` — one record, no more, and one that
    // moves the training forward; a record at the step of the one before it, after an end line, is the next
    // training's, and that end line is not this training's)
    const last = i - 1 > from && steps[i - 1] > steps[i - 2] ? i - 2 : i - 1;
    const j = upper(ends, lines[last]);
    const k = upper(stops, lines[last]);
    const ended = j < ends.length && ends[j] < lines[i] && !(k < stops.length && stops[k] < ends[j]);
    if (steps[i] > start && !done && !ended) continue;
    if (ended || done) {
      out.push(lines[i]);
      start = steps[i];
      from = i;
    }
  }
  return out;
}

/** Rows before a step back that `interleaved` looks at. */
const INTERLEAVE_ROWS = 8;

/**
 * Does row i's step back fall among the steps of the rows just before it, which already went back and forth (the
 * current training's rows from `from` on, at most `INTERLEAVE_ROWS` of them)? Then several writers print the record
 * at once (the workers of an A3C agent, `[035420][Epoch 50/50] … Loss:48.28` then `[035720][Epoch 49/50] …
 * Loss:89.34`): one of them reaching the planned total ends no training while the others finish theirs.
 */
function interleaved(steps: ArrayLike<number>, from: number, i: number): boolean {
  const a = Math.max(from, i - INTERLEAVE_ROWS);
  let back = false;
  let min = steps[i - 1];
  for (let j = a; j < i; j++) {
    if (steps[j] < min) min = steps[j];
    if (j > a && steps[j] < steps[j - 1]) back = true;
  }
  return back && steps[i] >= min;
}

/**
 * The last step every attempt in `steps` reached, when the file holds several and they all reached the same one
 * (`Epoch 1` … `Epoch 30`, then `Epoch 1` … `Epoch 30` again, and again): the same script run again to its end, as if
 * its planned total were stated (at least `MIN_ATTEMPTS` attempts). An attempt is a stretch of rows between two steps back to the start (to or below
 * the first step); each must hold at least `MIN_ATTEMPT_ROWS` rows and the last step of each, the last attempt's
 * included, must be the same and the largest of the file. NaN otherwise (one attempt; a crash or a resume stops
 * elsewhere, a relaunch from a checkpoint does not go back to the start). One pass over the steps.
 */
export function repeatedLastStep(steps: ArrayLike<number>): number {
  const n = steps.length;
  if (n < 2 * MIN_ATTEMPT_ROWS) return NaN;
  const first = steps[0];
  let last = NaN;
  let attempts = 0;
  let from = 0;
  let max = steps[0];
  for (let i = 1; i <= n; i++) {
    if (i < n) {
      if (steps[i] > max) max = steps[i];
      if (!(steps[i] < steps[i - 1] && steps[i] <= first)) continue;
    }
    // an attempt ends at row i − 1
    if (i - from < MIN_ATTEMPT_ROWS) return NaN;
    const end = steps[i - 1];
    if (attempts && end !== last) return NaN;
    last = end;
    attempts++;
    from = i;
  }
  return attempts >= MIN_ATTEMPTS && last === max ? last : NaN;
}
/** Rows an attempt holds at least for `repeatedLastStep`. */
const MIN_ATTEMPT_ROWS = 3;
/**
 * Attempts `repeatedLastStep` needs: three or more. Two that end alike are as often one training run twice and kept
 * as attempts of one (a relaunch into the same log: the real corpus' detectron2, two-pass and BookRecSys logs).
 */
const MIN_ATTEMPTS = 3;

/**
 * The field (index into `starts`, the line's number fields) by which a line states how many epochs a training is
 * planned for in words: an integer followed by a blank and `epochs` (`Training linear probe (30 epochs, head only)...`,
 * `Fine-tuning for 25 epochs`), or −1. Tested once per line template.
 */
export function plannedEpochsField(b: Uint8Array, end: number, starts: ArrayLike<number>, nf: number): number {
  for (let j = 0; j < nf; j++) {
    let i = starts[j];
    if (b[i] < 49 || b[i] > 57) continue;
    while (i < end && b[i] >= 48 && b[i] <= 57) i++;
    if (i + 7 > end || b[i] !== 32) continue;
    const w = Buffer.from(b.buffer, b.byteOffset + i + 1, 6)
      .toString('latin1')
      .toLowerCase();
    const after = i + 7 < end ? b[i + 7] : 32;
    if (w === 'epochs' && !((after >= 97 && after <= 122) || (after >= 65 && after <= 90) || after === 95)) return j;
  }
  return -1;
}

/** The count stated by the latest planned-epochs line (`plannedEpochsField`) at or before `line`, or NaN. */
export function plannedEpochsAt(lines: readonly number[], values: readonly number[], line: number): number {
  const j = upper(lines, line);
  return j > 0 ? values[j - 1] : NaN;
}
