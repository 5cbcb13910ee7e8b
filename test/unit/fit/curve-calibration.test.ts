import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CALIBRATION_HOLDOUTS, CORPUS_DIR, corpusCurves, scheduleCurves } from './corpus';
import { tasksOf, calibrationSample, taskScenario } from './curve-tasks';
import { fitCurve, predictCurve } from '../../../src/fit/curve/fitCurve';
import {
  BAND_CALIBRATION,
  buildCalibration,
  crossValidatedCoverage,
  steepForecast,
  type CalibrationSample,
} from '../../../src/fit/curve/calibration';

// Calibration of the forecast band (issue 12) on the whole NON-BLIND POOL of the real-curve corpus
// (test/fixtures/curves): the dev split, the shared LR-schedule runs and the hold-outs holdout … holdout16, every one
// of which has been scored and is no longer blind (not holdout17, scored once for the dense-prefix burn-in's
// judgement and kept out to check the band on; never a blind split), each curve cut
// at 10, 30 and 50 % of its final step; the nominal 95 % band of the forecast of the final loss must contain the
// observed final loss in 90–99 % of the forecasts. Independent truth: the curves' own final logged values. Failed
// fits count as misses. The band is split-conformal (src/fit/curve/calibration.ts): its table is learned from
// these very forecasts, so the in-sample coverage says little; the honest figure is the leave-one-family-out
// coverage (each family judged by a table built without it), checked below overall, per cut and per ratio row.

/** The calibration pool's splits (bench/backtest.ts POOL_HOLDOUTS, with dev; not holdout17). */
const POOL = ['dev', ...CALIBRATION_HOLDOUTS] as const;

interface Row {
  cut: number;
  covered: boolean;
  line?: string;
}
let cache: { rows: Row[]; samples: CalibrationSample[] } | undefined;

function run(): { rows: Row[]; samples: CalibrationSample[] } {
  if (cache) return cache;
  assert.ok(fs.existsSync(path.join(CORPUS_DIR, 'index.json')), `curve corpus missing: ${CORPUS_DIR}/index.json`);
  const pool = POOL.flatMap((sp) => corpusCurves(sp));
  assert.ok(pool.length >= 200, `only ${pool.length} pool curves`);
  const { tasks } = tasksOf([...pool, ...scheduleCurves()]);
  const rows: Row[] = [],
    samples: CalibrationSample[] = [];
  for (const t of tasks) {
    const f = fitCurve(t.x, t.y);
    samples.push(calibrationSample(t, f));
    // the scenario the product would choose from what the log shows at the cut (as the calibration samples are)
    const p = f.ok ? predictCurve(f, [t.at], { scenario: taskScenario(t).scenario })[0] : null;
    const ok = !!p && p.lower <= t.truth && t.truth <= p.upper;
    rows.push({
      cut: t.cut,
      covered: ok,
      ...(ok
        ? {}
        : {
            line: `  outside: ${t.id}: final ${t.truth}, ${p ? `band [${p.lower.toFixed(3)}, ${p.upper.toFixed(3)}]` : 'fit failed'}`,
          }),
    });
  }
  cache = { rows, samples };
  return cache;
}

test('the 95 % band of the final-loss forecast covers 90–99 % of the pool cut at 10/30/50 % (in-sample), at each cut', () => {
  const { rows } = run();
  const covered = rows.filter((r) => r.covered).length;
  console.log(
    `calibration (pool, in-sample): ${covered}/${rows.length} = ${((100 * covered) / rows.length).toFixed(1)} % inside the 95 % band\n${rows
      .filter((r) => r.line)
      .map((r) => r.line)
      .join('\n')}`,
  );
  assert.ok(rows.length >= 600, `${rows.length} forecasts`);
  assert.ok(covered / rows.length >= 0.9, `coverage ${covered}/${rows.length}`);
  for (const cut of [0.1, 0.3, 0.5]) {
    const rs = rows.filter((r) => r.cut === cut),
      c = rs.filter((r) => r.covered).length;
    assert.ok(c / rs.length >= 0.9 && c / rs.length <= 0.99, `cut ${cut * 100} %: coverage ${c}/${rs.length}`);
  }
});

test('leave-one-family-out on the pool: bands calibrated without a family cover 90–99 % of its forecasts, per cut and ratio row', () => {
  const { samples } = run();
  const cv = crossValidatedCoverage(samples, 0.95, { weighting: BAND_CALIBRATION.weighting });
  console.log(
    `leave-one-family-out coverage (pool, ${BAND_CALIBRATION.weighting ?? 'equal'} weights): ${cv.covered}/${cv.total}; by extrapolation ratio row: ${cv.byRatioRow.map((r) => `${r.covered}/${r.total}`).join(', ')}; by cut: ${[...cv.byCut].map(([c, r]) => `${c * 100} % ${r.covered}/${r.total}`).join(', ')}`,
  );
  assert.ok(cv.covered / cv.total >= 0.9 && cv.covered / cv.total <= 0.99, `${cv.covered}/${cv.total}`);
  assert.deepEqual(
    [...cv.byCut.keys()].sort((a, b) => a - b),
    [0.1, 0.3, 0.5],
  );
  for (const [cut, r] of cv.byCut)
    assert.ok(r.covered / r.total >= 0.9 && r.covered / r.total <= 0.99, `cut ${cut}: ${r.covered}/${r.total}`);
  for (const r of cv.byRatioRow) if (r.total >= 20) assert.ok(r.covered / r.total >= 0.9, `${r.covered}/${r.total}`);
  // the forecasts steeper than their prefix (calibration.ts steepForecast: more log-decline ahead than the prefix
  // has shown; mostly short fine-tunes and short pre-training prefixes at the 10 % cut), whose upper end is floored
  // at the loss already reached: 37/39 at session 32 (36/39 without the floor)
  const steep = samples.map((_, i) => i).filter((i) => isSteep(samples[i]));
  const inSteep = steep.filter((i) => cv.inside[i]).length;
  console.log(`leave-one-family-out coverage of the forecasts steeper than their prefix: ${inSteep}/${steep.length}`);
  assert.ok(steep.length >= 30, `only ${steep.length} steep forecasts: the group check would say little`);
  assert.ok(inSteep / steep.length >= 0.9, `steep forecasts: ${inSteep}/${steep.length}`);
});

/** A pool forecast steeper than its prefix (the floor of the upper end at the loss already reached applies). */
const isSteep = (s: CalibrationSample) =>
  Number.isFinite(s.score) && s.ratio > 1 && steepForecast(s.overValue - s.overLast, s.drop);

test('the coverage check can fail: a table calibrated for narrower bands (80 %) falls below 90 % on the pool', () => {
  const { samples } = run();
  const cv = crossValidatedCoverage(samples, 0.8, { weighting: BAND_CALIBRATION.weighting });
  assert.ok(cv.covered / cv.total < 0.9, `an 80 % table still covers ${cv.covered}/${cv.total}`);
});

test('the band table in use is the one the pool forecasts give (regenerate with bench/backtest.ts --calibrate --pool)', () => {
  const { samples } = run();
  const cal = buildCalibration(samples, 0.95, undefined, undefined, { weighting: BAND_CALIBRATION.weighting });
  assert.deepEqual(BAND_CALIBRATION.count, cal.count);
  for (const side of ['qUp', 'qDown'] as const) {
    for (let r = 0; r < cal[side].length; r++) {
      for (let c = 0; c < cal[side][r].length; c++) {
        const want = cal[side][r][c],
          have = BAND_CALIBRATION[side][r][c];
        assert.ok(Math.abs(have - want) <= 2e-3 * want, `${side}[${r}][${c}] = ${have}, the pool gives ${want}`);
      }
    }
    // thin data: never a narrower band than more points at the same distance
    for (const row of BAND_CALIBRATION[side]) for (let c = 1; c < row.length; c++) assert.ok(row[c - 1] >= row[c]);
  }
  assert.ok(
    Math.abs(BAND_CALIBRATION.capLog - cal.capLog) <= 2e-3 * cal.capLog,
    `capLog ${BAND_CALIBRATION.capLog}, the pool gives ${cal.capLog}`,
  );
});
