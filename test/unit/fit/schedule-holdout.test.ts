import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readTissueRun, tissueBinError, TISSUE_NAMES, type TissueRun } from './tissueHoldout';
import {
  fitScheduleLaw,
  type ScheduleFit,
  type ScheduleFitMethod,
  type ScheduleLawId,
} from '../../../src/fit/schedule/fitSchedule';

// Hold-out for the schedule-aware laws: three 100M GPT runs of Tissue et al. 2024's setting (cosine, WSD, 8:1:1
// multi-step; 33,908 steps, no warmup; test/fixtures/lr-schedules/tissue-100M/SOURCES.md). Another model, data,
// peak LR and horizon than the 25M/100M Luo et al. curves the method was developed on; scored once, after the
// method was fixed. Protocol (fixed before scoring): 500-step means of the raw loss (noise ~0.06 %), from 10 % of
// the run on; fit on one or two schedules (bin means at bin centres), predict the others from their LR column;
// error = mean over bins of |mean predicted − mean logged| / mean logged, predictions averaged over every step of
// the bin.
const NAMES = TISSUE_NAMES;
type Run = TissueRun;
const readRun = readTissueRun;

function fitOn(runs: Run[], law: ScheduleLawId, method: ScheduleFitMethod): ScheduleFit {
  const f = fitScheduleLaw(
    runs.map((r) => ({
      name: r.name,
      lrSteps: r.lrSteps,
      lr: r.lr,
      steps: r.bins.map((b) => Math.round((b.lo + b.hi) / 2)),
      loss: r.bins.map((b) => b.loss),
    })),
    { law, method, warmupSteps: 0 },
  );
  assert.ok(f.ok, JSON.stringify(f));
  return f as ScheduleFit;
}

function binError(fit: ScheduleFit, r: Run): number {
  const e = tissueBinError(fit, r);
  assert.ok(Number.isFinite(e), `a prediction for ${r.name}`);
  return e;
}

describe('LR-schedule laws on a held-out model (Tissue et al. 2024 100M runs)', () => {
  test('fit on one or two schedules, predict the others', () => {
    const runs = Object.fromEntries(NAMES.map((n) => [n, readRun(n)]));
    const splits: string[][] = [['cosine'], ['wsd'], ['811'], ['cosine', 'wsd'], ['cosine', '811'], ['wsd', '811']];
    const lines = [`${'fit on'.padEnd(14)} ${'predict'.padEnd(8)} MPL level %  MPL staged %  MPL lm %  Tissue %`];
    const staged: number[] = [];
    for (const fitSet of splits) {
      const train = fitSet.map((n) => runs[n]);
      // 'level' (the default) is scored here too, once, after it was fixed on the 25M dev runs (2026-12-03): on
      // these runs ξ ends on its bound 0 in every split and the fit falls back to 'staged' (same figures).
      const fits = [
        fitOn(train, 'mpl', 'level'),
        fitOn(train, 'mpl', 'staged'),
        fitOn(train, 'mpl', 'lm'),
        fitOn(train, 'tissue', 'lm'),
      ];
      for (const n of NAMES.filter((x) => !fitSet.includes(x))) {
        const e = fits.map((f) => binError(f, runs[n]));
        staged.push(e[0], e[1]);
        lines.push(
          `${fitSet.join('+').padEnd(14)} ${n.padEnd(8)} ${e.map((v) => (100 * v).toFixed(3).padStart(8)).join('    ')}`,
        );
      }
    }
    console.log(lines.join('\n'));
    // Regression guards (over the level and staged columns) set after the single scoring run (2026-12-02: MPL
    // staged 0.18–0.49 %, median 0.29 %; 'level' the same), not targets: the issue's 0.17 % is not met on this model (README, schedule-aware forecasts).
    assert.ok(staged.every(Number.isFinite));
    const sorted = staged.slice().sort((a, b) => a - b);
    assert.ok(sorted[sorted.length >> 1] <= 0.0035, `median ${(100 * sorted[sorted.length >> 1]).toFixed(3)} %`);
    assert.ok(sorted[sorted.length - 1] <= 0.006, `worst ${(100 * sorted[sorted.length - 1]).toFixed(3)} %`);
  });
});
