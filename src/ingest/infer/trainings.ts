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

/** Bytes of a line's start (after the logger prefix) that make its signature. */
const SIG_BYTES = 24;
/** Lines recorded at most (a huge log's later template changes are not recorded: no split past them). */
const MAX_RECORDED = 1 << 18;
/** Recorded lines before the first point that count as its opening banner. */
const OPENING = 40;

/** Line signatures recorded where the line template changes, in line order. */
export class Banners {
  lines: number[] = [];
  sigs: number[] = [];

  record(b: Uint8Array, start: number, end: number, lineNo: number): void {
    if (this.lines.length >= MAX_RECORDED) return;
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
    this.lines.push(lineNo);
    this.sigs.push(h >>> 0);
  }
}

/** A training of the file: first and last line of its points, how many, and its last step. */
export interface Training {
  fromLine: number;
  toLine: number;
  points: number;
  lastStep: number;
}

/** First index of `lines` (sorted) with a value > `x`. */
function upper(lines: readonly number[], x: number): number {
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
 * indices, in order (empty when the file holds one training).
 */
export function trainingStarts(steps: ArrayLike<number>, lines: ArrayLike<number>, banners: Banners): number[] {
  const n = Math.min(steps.length, lines.length);
  if (n < 2 || !banners.lines.length) return [];
  const firstLine = lines[0];
  const opening = new Set<number>();
  const upto = upper(banners.lines, firstLine - 1);
  for (let j = Math.max(0, upto - OPENING); j < upto; j++) opening.add(banners.sigs[j]);
  if (!opening.size) return [];
  let start = steps[0];
  const out: number[] = [];
  for (let i = 1; i < n; i++) {
    const st = steps[i];
    if (!(st < steps[i - 1]) || st > start) continue;
    // back to the start: a new training when the opening banner is printed again since the previous point
    for (let j = upper(banners.lines, lines[i - 1]); j < banners.lines.length && banners.lines[j] < lines[i]; j++)
      if (opening.has(banners.sigs[j])) {
        out.push(i);
        start = st;
        break;
      }
  }
  return out;
}

/**
 * The plans restricted to the last training (rows on or after its first line), and every training found. The
 * main plan is the biggest one with a real step field (its steps `stepsOf(p)`); when it holds one training the
 * plans are returned as they are.
 */
export function lastTraining(
  plans: readonly Plan[],
  banners: Banners,
  stepsOf: (p: Plan) => Float64Array,
): { plans: readonly Plan[]; trainings: Training[] } {
  const main = plans.find((p) => p.step.kind !== 'ordinal' && p.step.kind !== 'ctx');
  if (!main) return { plans, trainings: [] };
  const steps = stepsOf(main);
  const rows = main.rows;
  const n = steps.length;
  // (one native copy when the plan takes every row: this runs once per assembly, so the loop ran interpreted —
  // 920k rows, 10-30 ms of the host's slice on the bench's 100 MB mixed log)
  const data = main.t.lines.data;
  const lines = new Float64Array(n);
  if (rows) for (let r = 0; r < n; r++) lines[r] = data[rows[r]];
  else lines.set(data.subarray(0, n));
  const starts = trainingStarts(steps, lines, banners);
  if (!starts.length) return { plans, trainings: [] };
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
  return { plans: out, trainings };
}
