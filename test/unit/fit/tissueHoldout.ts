/**
 * The Tissue-setting hold-out of the schedule-aware laws (test/fixtures/lr-schedules/tissue-100M/SOURCES.md), one
 * copy of its protocol for the unit test (schedule-holdout.test.ts) and the backtest (bench/scheduleBacktest.ts):
 * 500-step means of the logged loss (its CSV holds 100-step means), from 10 % of the run on; the error of a fit on
 * a run is the mean over those bins of |mean predicted − mean logged| / mean logged, the prediction averaged over
 * every step of the bin.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';
import { predictSchedule, type ScheduleFit } from '../../../src/fit/schedule/fitSchedule';

export const TISSUE_DIR = path.join(REPO, 'test', 'fixtures', 'lr-schedules', 'tissue-100M');
export const TISSUE_NAMES = ['cosine', 'wsd', '811'];
export const TISSUE_BIN = 500;

export interface TissueRun {
  name: string;
  lrSteps: number[];
  lr: number[];
  bins: { lo: number; hi: number; loss: number }[];
}

/** One run: its LR column and its 500-step loss bins from 10 % of the run on. */
export function readTissueRun(name: string): TissueRun {
  const rows = fs
    .readFileSync(path.join(TISSUE_DIR, `${name}.csv`), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  const lrSteps = rows.map((r) => Number(r[0])),
    lr = rows.map((r) => Number(r[1]));
  const by100 = new Map<number, number>();
  for (const r of rows) if (r[2] !== '') by100.set(Number(r[0]), Number(r[2]));
  const last = lrSteps[lrSteps.length - 1];
  const bins: TissueRun['bins'] = [];
  for (let hi = TISSUE_BIN; hi <= last; hi += TISSUE_BIN) {
    if (hi - TISSUE_BIN < 0.1 * last) continue;
    let s = 0;
    for (let e = hi - TISSUE_BIN + 100; e <= hi; e += 100) s += by100.get(e) as number;
    bins.push({ lo: hi - TISSUE_BIN + 1, hi, loss: s / (TISSUE_BIN / 100) });
  }
  return { name, lrSteps, lr, bins };
}

/** Mean relative error of the fit's prediction over the run's bins; NaN when the prediction fails. */
export function tissueBinError(fit: ScheduleFit, r: TissueRun): number {
  const steps: number[] = [];
  for (const b of r.bins) for (let s = b.lo; s <= b.hi; s++) steps.push(s);
  const p = predictSchedule(fit, { lrSteps: r.lrSteps, lr: r.lr, steps });
  if (!p.ok) return NaN;
  let e = 0,
    i = 0;
  for (const b of r.bins) {
    let m = 0;
    for (let s = b.lo; s <= b.hi; s++) m += p.loss[i++];
    e += Math.abs(m / (b.hi - b.lo + 1) - b.loss) / b.loss;
  }
  return e / r.bins.length;
}
