/**
 * The one run-state model every view uses (runs view, dashboard, status bar, CodeLens, hover, sweeps): a run is
 * live, finished, stopped early, diverged or stale, decided from evidence and re-decided as time passes (the host
 * re-evaluates on a timer, so a log that stops growing turns finished or stale without user action). Pure.
 *
 * Evidence, strongest first:
 *  1. non-finite losses at the end of the primary series → diverged (no forecast: the divergence is the news);
 *  2. planned steps reached → finished;
 *  3. an end line after the last metric (`metaLines.ts`): completed → finished; early stopping, a time limit,
 *     a crash or an interrupt → stopped early (when the planned end was not reached);
 *  4. the log grew within the live timeout → live. "Grew" is measured from the file's modification time when
 *     it was first read: an old file is never live just because it was opened now;
 *  5. not growing: the LR decayed to its floor (≥ 10× below its peak, flat at the end) → finished; a planned end
 *     not reached → stale for a while (`staleAfterMs`; the trainer may be evaluating or checkpointing), then
 *     stopped early; no planned end known → finished (nothing says it did not finish).
 */
import type { Run, Series } from '../ingest/types';

export type RunStateKind = 'live' | 'finished' | 'stopped' | 'diverged' | 'stale';

export interface RunStateInfo {
  state: RunStateKind;
  /** Plain-language evidence, e.g. "log has not grown for 3 days; no planned end logged". */
  reason: string;
  /** Diverged: the first step of the trailing non-finite streak. */
  divergedAt?: number;
}

export interface StateEvidence {
  /** ms (injected clock). */
  now: number;
  /** ms: when the log last grew (its mtime at first read, then the time of each growth seen). */
  lastGrowth: number | undefined;
  /** A log that has not grown for longer than this is not live (ms). */
  liveTimeoutMs: number;
  /** A run short of its planned end that has not grown for longer than this counts as stopped early (ms). */
  staleAfterMs: number;
}

/** Default for `staleAfterMs`: an hour without a line is no pause for evaluation or a checkpoint. */
export const STALE_AFTER_MS = 60 * 60_000;

/** Decayed to at most this fraction of its peak to count as "at its floor". */
const LR_FLOOR_RATIO = 0.1;

/** Last step of any series (the run's progress). */
function lastStepOfRun(run: Run): number | undefined {
  let last: number | undefined;
  for (const k in run.metrics) {
    const s = run.metrics[k].step;
    if (s.length && (last === undefined || s[s.length - 1] > last)) last = s[s.length - 1];
  }
  return last;
}

/** The loss series the state is judged on: the same preference as forecasts (val, train, any loss). */
function lossSeries(run: Run): Series | undefined {
  const m = run.metrics;
  if (m['train/loss']?.value.length) return m['train/loss'];
  if (m['val/loss']?.value.length) return m['val/loss'];
  for (const k in m) if (/loss/i.test(k) && m[k].value.length) return m[k];
  return undefined;
}

/**
 * The first step of the trailing streak of non-finite values, when the series ends in one (NaN/inf at the end:
 * the run diverged and never recovered). A lone NaN followed by finite values (a skipped, overflowed step) is not
 * divergence. Looks back only over the tail (O(streak)).
 */
export function trailingNonFinite(s: Series | undefined): number | undefined {
  if (!s) return undefined;
  const v = s.value;
  let i = v.length - 1;
  if (i < 0 || Number.isFinite(v[i])) return undefined;
  while (i > 0 && !Number.isFinite(v[i - 1])) i--;
  return s.step[i];
}

/**
 * The LR has reached its floor: its last value is at most a tenth of its peak and no higher than the smallest
 * value since the peak (allowing 1 % jitter), or it is exactly zero after a positive peak. Constant LRs never are.
 * Incremental (`update` reads only the points appended since its last call; a rewritten series starts over), so
 * the host's state checks cost O(new points).
 */
export class LrFloorScan {
  private series: Series | undefined;
  private passes = 0;
  private n = 0;
  private peak = -Infinity;
  private minAfter = Infinity;
  private last = NaN;

  update(lr: Series): boolean {
    const passes = lr.thinned?.passes ?? 0;
    const v = lr.value;
    if (lr !== this.series || v.length < this.n || passes !== this.passes) {
      this.series = lr;
      this.passes = passes;
      this.n = 0;
      this.peak = -Infinity;
      this.minAfter = Infinity;
      this.last = NaN;
    }
    for (let i = this.n; i < v.length; i++) {
      const x = v[i];
      if (!Number.isFinite(x)) continue;
      this.last = x;
      if (x > this.peak) {
        this.peak = x;
        this.minAfter = x;
      } else if (x < this.minAfter) this.minAfter = x;
    }
    this.n = v.length;
    return this.floor;
  }

  get floor(): boolean {
    const { peak, last, minAfter } = this;
    if (this.n < 3 || !(peak > 0) || !(last >= 0)) return false;
    if (last === 0) return true;
    // min_lr = 0.1 × peak is the common convention: inclusive
    return last <= LR_FLOOR_RATIO * peak * 1.001 && last <= minAfter * 1.01;
  }
}

/** One-shot `LrFloorScan`. */
export function lrAtFloor(lr: Series | undefined): boolean {
  return !!lr && new LrFloorScan().update(lr);
}

/** "3 days", "14 min", "40 s". */
export function ago(ms: number): string {
  const s = Math.max(0, ms / 1000);
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} days`;
}

const END_WORDS: Record<string, string> = {
  'early-stop': 'early stopping',
  'time-limit': 'a time limit',
  crash: 'a crash',
  interrupted: 'an interrupt',
};

/**
 * The state of a run from its evidence. `lrFloor` may be passed precomputed (the host caches it); otherwise it is
 * computed from the run's `lr` series.
 */
export function decideState(run: Run, ev: StateEvidence, lrFloor?: boolean): RunStateInfo {
  const loss = lossSeries(run);
  const nonFinite = trailingNonFinite(loss);
  if (nonFinite !== undefined)
    return {
      state: 'diverged',
      reason: `${loss!.name} is non-finite from step ${nonFinite} on`,
      divergedAt: nonFinite,
    };
  const total = run.meta.totalSteps?.value;
  const last = lastStepOfRun(run);
  // Steps counted from 0 end at total − 1.
  if (total !== undefined && last !== undefined && last >= total - 1)
    return { state: 'finished', reason: `planned steps reached (${last} of ${total})` };
  const end = run.meta.end?.value;
  // An end line counts only when it came after the last metric: one printed before any metric (a config dump
  // mentioning early stopping) or followed by more metrics (a run resumed in the same log) says nothing of the end.
  if (end && end.atStep !== undefined && last !== undefined && last <= end.atStep) {
    const where = run.meta.end!.source.line ? ` (line ${run.meta.end!.source.line})` : '';
    if (end.kind === 'completed') return { state: 'finished', reason: `log says so: “${end.text}”${where}` };
    const of =
      total !== undefined && last !== undefined
        ? ` at step ${last} of ${total}`
        : last !== undefined
          ? ` at step ${last}`
          : '';
    return { state: 'stopped', reason: `stopped by ${END_WORDS[end.kind]}${of}: “${end.text}”${where}` };
  }
  const quiet = ev.lastGrowth === undefined ? Infinity : ev.now - ev.lastGrowth;
  if (quiet <= ev.liveTimeoutMs) return { state: 'live', reason: `log grew ${ago(quiet)} ago` };
  const since = Number.isFinite(quiet) ? `log has not grown for ${ago(quiet)}` : 'log is not growing';
  if (lrFloor ?? lrAtFloor(run.metrics['lr']))
    return { state: 'finished', reason: `${since}; the LR decayed to its floor` };
  if (total !== undefined && last !== undefined && last < total - 1) {
    if (quiet <= ev.staleAfterMs)
      return { state: 'stale', reason: `${since} at step ${last} of ${total} (paused, or stopped without saying so)` };
    return { state: 'stopped', reason: `${since}; it ended at step ${last} of ${total} planned, without an end line` };
  }
  return { state: 'finished', reason: `${since}; no planned end logged` };
}

/** Whether a run in this state enters sweeps (its last value stands for the run's final loss). */
export function inSweep(state: RunStateKind): boolean {
  return state === 'finished' || state === 'stopped';
}

/** What a curve fit should forecast for a run, given its state (see `forecastPlan`). */
export interface ForecastPlan {
  /** No forecast: why (finished → the final value is shown instead; diverged → the divergence). */
  none?: string;
  /** With `none`: not even a fitted curve (a diverged run: fitting up to the NaNs would hide the news). */
  noFit?: boolean;
  /** Step to forecast at. */
  atStep?: number;
  /** How `atStep` was chosen, shown next to the forecast: "planned end", "if continued to step 20,000", … */
  basis?: string;
  /** True when the run will not get there (stopped early): the forecast is a what-if. */
  hypothetical?: boolean;
}

/** How far past its last step a run with no planned end is forecast (stated with the forecast). */
export const UNKNOWN_END_FACTOR = 2;
/** …and a run whose LR is at its floor: barely past its data (a decayed run is about done). */
export const FLOOR_END_FACTOR = 1.1;

const fmtStep = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * The forecast step and its wording for a run in a state. `last`: the last logged step of the forecast metric.
 *  - finished → none (the final logged value is the answer);
 *  - diverged → none;
 *  - stopped early → "if continued to step X" (the planned end, else the assumed end), hypothetical;
 *  - live / stale → the planned end; unknown → an assumed end stated explicitly (2× the last step; 1.1× when
 *    the LR is at its floor).
 */
export function forecastPlan(
  info: RunStateInfo,
  last: number,
  totalSteps: number | undefined,
  lrFloor: boolean,
): ForecastPlan {
  if (info.state === 'finished')
    return { none: `finished (${info.reason}): the final logged value is shown, nothing is forecast` };
  if (info.state === 'diverged') return { none: `diverged: ${info.reason}; nothing is forecast`, noFit: true };
  const planned = totalSteps !== undefined && totalSteps > last ? totalSteps : undefined;
  const assumed = Math.max(Math.round(last * (lrFloor ? FLOOR_END_FACTOR : UNKNOWN_END_FACTOR)), last + 1);
  const assumedWhy = lrFloor
    ? `assumed end: step ${fmtStep(assumed)} (no planned end logged and the LR is at its floor, so not extrapolated further)`
    : `assumed end: step ${fmtStep(assumed)} = ${UNKNOWN_END_FACTOR}× the last step (no planned end logged)`;
  if (info.state === 'stopped') {
    const at = planned ?? assumed;
    return {
      atStep: at,
      hypothetical: true,
      basis: `if continued to step ${fmtStep(at)}${planned ? ' (its planned end)' : ` (${assumedWhy})`}; the run stopped at step ${fmtStep(last)}`,
    };
  }
  if (planned !== undefined) return { atStep: planned, basis: 'planned end' };
  return { atStep: assumed, basis: assumedWhy };
}
