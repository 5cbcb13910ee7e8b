import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildCalibration,
  conformalQuantile,
  crossValidatedCoverage,
  bandMultiplier,
  covers,
  upperCapLog,
  MIN_CELL,
  weightedConformalQuantile,
  bandLog,
  steepForecast,
  type CalibrationSample,
} from '../../../src/fit/curve/calibration';
import { calibrationSample, type Task } from './curve-tasks';
import { BAND_CALIBRATION } from '../../../src/fit/curve/calibration';
import { fitCurve, initialLossOf, predictCurve } from '../../../src/fit/curve/fitCurve';

// Split-conformal machinery (calibration.ts) against independent computations: the ⌈(N+1)·level⌉-th order
// statistic, and coverage on exchangeable synthetic scores. Each side is calibrated at 97.5 % (Romano et al.
// 2019's asymmetric CQR): for a signed error r ~ N(0, 1) scaled by b above and by a below the forecast, the
// one-sided scores b·max(0, r), a·max(0, −r) have their 97.5 % points at 1.96·b and 1.96·a, and new forecasts
// fall inside [−q⁻, q⁺] ~95 % of the time.

/** mulberry32: consecutive draws independent enough for this (a plain LCG correlates them). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 2 ** 32;
  };
}
function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r());
}

test('conformal quantile is the ⌈(N+1)·level⌉-th smallest score', () => {
  const s = Array.from({ length: 19 }, (_, i) => i + 1); // 1..19
  assert.equal(conformalQuantile(s, 0.95), 19); // ⌈20·0.95⌉ = 19
  assert.equal(conformalQuantile(s.slice(0, 18), 0.95), Infinity); // ⌈19·0.95⌉ = 19 > 18
  assert.equal(
    conformalQuantile([...s, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39], 0.9),
    36,
  );
});

/** a synthetic sample with signed error r: scale `above` for truth above the forecast, `below` under it */
function sample(family: string, ratio: number, nFit: number, r: number, above = 1, below = 1, overLast = -1) {
  const up = Math.max(0, r) * above,
    down = Math.max(0, -r) * below;
  return { family, ratio, nFit, score: Math.max(up, down), up, down, overLast, overValue: r } as CalibrationSample;
}

test('each side is calibrated at 97.5 %: skewed errors give a lopsided band that still covers ~95 %', () => {
  const r = rng(7);
  const mk = (n: number, fam: string, above: number, below: number): CalibrationSample[] =>
    Array.from({ length: n }, () => sample(fam, 1.5 + 6 * r(), 5 + Math.floor(60 * r()), gauss(r), above, below));
  const train = Array.from({ length: 10 }, (_, k) => mk(200, `f${k}`, 0.5, 2)).flat();
  const cal = buildCalibration(train, 0.95, undefined, undefined, { cap: false });
  cal.qUp.forEach((row, i) =>
    row.forEach((q, j) => {
      // large cells: near the one-sided 97.5 % points 1.96·0.5 and 1.96·2 (sampling SE ≈ 10 % at 300 scores)
      if (cal.count[i][j] >= 300) {
        assert.ok(Math.abs(q - 0.98) < 0.15, `q⁺ ${q} (${cal.count[i][j]})`);
        assert.ok(Math.abs(cal.qDown[i][j] - 3.92) < 0.6, `q⁻ ${cal.qDown[i][j]} (${cal.count[i][j]})`);
      }
    }),
  );
  const test2 = mk(4000, 'new', 0.5, 2);
  const cov = test2.filter((s) => covers(cal, s)).length / test2.length;
  assert.ok(cov > 0.93 && cov < 0.97, `coverage ${cov}`);
  const cv = crossValidatedCoverage(train, 0.95, { cap: false });
  assert.ok(cv.covered / cv.total > 0.93 && cv.covered / cv.total < 0.97, `cv ${cv.covered}/${cv.total}`);
  // symmetric scores (the max of the two sides) would put 1.96·2 on both sides: 4× wider above
  const m = bandMultiplier(cal, 3, 30);
  assert.ok(m.up < m.down / 3, `q⁺ ${m.up}, q⁻ ${m.down}`);
  // scores twice as large for thin fits: their cells get wider multipliers, on both sides
  const thin = train.map((s) => (s.nFit < 12 ? { ...s, up: 2 * s.up, down: 2 * s.down, score: 2 * s.score } : s));
  const c2 = buildCalibration(thin);
  for (const side of [c2.qUp, c2.qDown]) for (const row of side) assert.ok(row[0] > 1.5 * row[2], `thin ${row}`);
  assert.deepEqual(bandMultiplier(cal, 0.8, 10), { up: 1, down: 1 }, 'within the data: the model band as is');
});

test('a cell needs 39 scores for a finite 97.5 % rank; fewer borrow the row', () => {
  assert.equal(MIN_CELL, 39);
  const s = Array.from({ length: 39 }, (_, i) => i + 1);
  assert.equal(conformalQuantile(s, 0.975), 39); // ⌈40·0.975⌉ = 39
  assert.equal(conformalQuantile(s.slice(0, 38), 0.975), Infinity);
  // 20 scores in (R ≤ 2.5, nFit < 12) at 10, 60 in (R ≤ 2.5, nFit ≥ 40) at 1: the small cell takes the row's
  const few = [
    ...Array.from({ length: 20 }, (_, i) => sample('a', 2, 8, 10 + i / 100)),
    ...Array.from({ length: 60 }, (_, i) => sample('b', 2, 50, 1 + i / 1000)),
  ];
  const cal = buildCalibration(few, 0.95, undefined, undefined, { cap: false });
  const rowAll = conformalQuantile(
    few.map((x) => x.up),
    0.975,
  );
  assert.equal(cal.qUp[1][0], rowAll);
  assert.ok(Math.abs(cal.qUp[1][2] - 1.059) < 1e-9, `${cal.qUp[1][2]}`); // ⌈61·0.975⌉ = 60th of 1.000…1.059
});

test('the cap of the upper end is the 97.5 % conformal quantile of ln(final / smoothed loss at the cut)', () => {
  const r = rng(3);
  const xs = Array.from({ length: 199 }, () => -0.1 + 0.05 * gauss(r));
  const train = xs.map((o, i) => sample(`f${i % 7}`, 3, 30, gauss(r), 1, 1, o));
  const cal = buildCalibration(train);
  const sorted = [...xs].sort((a, b) => a - b);
  assert.equal(cal.capLog, sorted[195 - 1]); // ⌈200·0.975⌉ = 195
  assert.equal(upperCapLog(cal, 3), cal.capLog);
  assert.equal(upperCapLog(cal, 0.9), Infinity, 'no cap within the data');
  assert.equal(upperCapLog(cal, 3, 0.99), Infinity, 'no cap for a wider band than the table is for');
  // above the forecast and above the cap: a miss; above the cap but not above the forecast: inside
  assert.equal(covers(cal, sample('x', 3, 30, 0.01, 1, 1, cal.capLog + 0.01)), false);
  assert.equal(covers(cal, sample('x', 3, 30, 0.01, 1, 1, cal.capLog - 0.01)), true);
  assert.equal(covers(cal, sample('x', 3, 30, -0.01, 1, 1, cal.capLog + 0.01)), true);
  assert.equal(buildCalibration(train, 0.95, undefined, undefined, { cap: false }).capLog, Infinity);
});

test('predictCurve applies the table: each side scaled by its own multiplier, the upper end capped', () => {
  // a decaying curve with noise, 10 points fitted up to step 400 and forecast at 6000 (R = 15: the last row; thin
  // data, nFit < 12, whose upper multiplier is wide enough that the cap binds)
  const r = rng(11);
  const x = Array.from({ length: 10 }, (_, i) => 40 * (i + 1));
  const y = x.map((s) => (2 + 8 * s ** -0.4) * Math.exp(0.01 * gauss(r)));
  const f = fitCurve(x, y);
  assert.ok(f.ok);
  const at = 6000;
  const [raw] = predictCurve(f, [at], { scenario: 'as-logged', calibrated: false });
  const [cal] = predictCurve(f, [at], { scenario: 'as-logged' });
  const w = Math.log(raw.upper / raw.value);
  assert.ok(Math.abs(Math.log(raw.value / raw.lower) - w) < 1e-9, 'the raw model band is symmetric in log');
  const m = bandMultiplier(BAND_CALIBRATION, at / f.xRange[1], f.nFit);
  assert.ok(Math.abs(Math.log(cal.value / cal.lower) - m.down * w) < 1e-9, 'lower end: q⁻·w below the forecast');
  const capped = Math.max(cal.value, f.lastLoss * Math.exp(upperCapLog(BAND_CALIBRATION, at / f.xRange[1])));
  const want = Math.min(cal.value * Math.exp(m.up * w), capped);
  assert.ok(Math.abs(cal.upper / want - 1) < 1e-9, `upper ${cal.upper}, want ${want}`);
  assert.ok(capped < cal.value * Math.exp(m.up * w), 'this forecast is one where the cap binds');
  // a band wider than the table's level is not capped; within the data nothing is calibrated
  const [c99] = predictCurve(f, [at], { scenario: 'as-logged', confidence: 0.99 });
  assert.ok(c99.upper > cal.upper);
  const [inside] = predictCurve(f, [200], { scenario: 'as-logged' });
  const [insideRaw] = predictCurve(f, [200], { scenario: 'as-logged', calibrated: false });
  assert.deepEqual(inside, insideRaw);
});

test('weighted conformal quantile: equal weights give the ⌈(N+1)·level⌉-th score; family weights 1/n_family', () => {
  const r = rng(5);
  for (const n of [10, 39, 40, 77, 200])
    for (const lv of [0.8, 0.9, 0.975]) {
      const s = Array.from({ length: n }, () => gauss(r));
      assert.equal(weightedConformalQuantile(s, new Array<number>(n).fill(3), lv), conformalQuantile(s, lv));
    }
  // one family of 30 forecasts at 100, 40 families of one forecast each at 1 … 40. Equal weights, 90 %:
  // ⌈71·0.9⌉ = 64th of 70 scores = 100 (the big family sets the band). Family weights 1/30 and 1, rescaled to
  // mean 1 (×70/41): each single weighs 1.7073, the target 0.9·71 = 63.9 is first reached by 38 singles
  // (37 · 1.7073 = 63.17 < 63.9 ≤ 64.88), so 38.
  const big = Array.from({ length: 30 }, () => sample('big', 3, 30, 100));
  const singles = Array.from({ length: 40 }, (_, i) => sample(`s${i}`, 3, 30, i + 1));
  const all = [...big, ...singles];
  const eq = buildCalibration(all, 0.8, undefined, undefined, { cap: false });
  const fam = buildCalibration(all, 0.8, undefined, undefined, { cap: false, weighting: 'family' });
  assert.equal(eq.qUp[2][1], 100);
  assert.equal(fam.qUp[2][1], 38);
  assert.equal(fam.weighting, 'family');
  assert.equal(eq.weighting, undefined);
});

test('bandLog gives the band predictCurve shows (the half-widths the calibration report prints)', () => {
  const r = rng(13);
  const x = Array.from({ length: 30 }, (_, i) => 20 * (i + 1));
  const y = x.map((s) => (2.5 + 6 * s ** -0.35) * Math.exp(0.01 * gauss(r)));
  for (const at of [900, 2400, 9000]) {
    // a planned total at the horizon and no LR logged: the product's scenario is 'unknown' (scenario.ts)
    const task: Task = { id: 't', curve: 't', family: 'f', cut: 0.3, x, y, at, truth: 2.9, totalSteps: at };
    const f = fitCurve(x, y);
    assert.ok(f.ok);
    const s = calibrationSample(task, f);
    const [p] = predictCurve(f, [at], { scenario: 'unknown' });
    const b = bandLog(BAND_CALIBRATION, s);
    assert.ok(b);
    assert.ok(Math.abs(Math.log(p.lower / p.value) - b.lo) < 1e-9, `lower at ${at}`);
    assert.ok(Math.abs(Math.log(p.upper / p.value) - b.hi) < 1e-9, `upper at ${at}`);
    assert.equal(covers(BAND_CALIBRATION, s), p.lower <= 2.9 && 2.9 <= p.upper);
  }
});

test('a forecast steeper than its prefix: more log-decline ahead than behind', () => {
  assert.equal(steepForecast(0.5, 0.3), true);
  assert.equal(steepForecast(0.2, 0.3), false);
  assert.equal(steepForecast(0.1, -0.2), true, 'no drop so far: any forecast below the loss reached');
  assert.equal(steepForecast(-0.1, -0.2), false, 'a forecast above the loss reached never is');
  assert.equal(steepForecast(0.5, undefined), false);
  assert.equal(steepForecast(0.5, NaN), false);
  // the initial loss: the median of the first min(5, ⌈n/10⌉) finite points (the lower middle one for an even count)
  assert.equal(initialLossOf([0, 1, 2, 3], [9, 3, 2, 1]), 9);
  const xs = Array.from({ length: 40 }, (_, i) => i);
  assert.equal(initialLossOf(xs, [7, 9, 8, 6, ...new Array<number>(36).fill(1)]), 7); // k = 4: [6, 7, 8, 9] → 7
  assert.equal(initialLossOf([NaN, 1, 2, 3], [1, 5, 4, 3]), 5);
});

test('covers and bandLog floor the upper end of a steep forecast at the loss already reached', () => {
  const cal = buildCalibration(
    Array.from({ length: 80 }, (_, i) => sample(`f${i % 9}`, 3, 30, ((i % 40) - 20) / 20)),
    0.95,
    undefined,
    undefined,
    { cap: false },
  );
  const m = bandMultiplier(cal, 3, 30);
  // truth 1.5 log above the forecast (beyond q⁺ = m.up), 0.1 below the loss reached; the forecast 1.6 below it
  const s = { ...sample('x', 3, 30, 1.5, 1, 1, -0.1), w: 0.1, h: 0 };
  assert.ok(s.up > m.up, 'the model end misses it');
  assert.equal(covers(cal, { ...s, drop: 1 }), true, 'steep (1.6 ahead > 1 behind): inside');
  assert.equal(covers(cal, { ...s, drop: 2 }), false, 'not steep: outside');
  assert.equal(covers(cal, { ...s, drop: 1, overLast: 0.05 }), false, 'above the loss reached: outside');
  const b = bandLog(cal, { ...s, drop: 1 });
  assert.ok(b && Math.abs(b.hi - 1.6) < 1e-12, `upper end ln(lastLoss / value) = 1.6, got ${b?.hi}`);
  assert.ok(Math.abs(bandLog(cal, { ...s, drop: 2 })!.hi - m.up * 0.1) < 1e-12);
});

test('predictCurve floors the upper end of a forecast steeper than its prefix at the loss already reached', () => {
  const r = rng(17);
  const x = Array.from({ length: 30 }, (_, i) => 20 * (i + 1));
  const y = x.map((s) => (2.5 + 6 * s ** -0.35) * Math.exp(0.005 * gauss(r)));
  const f = fitCurve(x, y);
  assert.ok(f.ok);
  assert.equal(f.initialLoss, initialLossOf(x, y));
  const at = 20000;
  const [plain] = predictCurve(f, [at], { scenario: 'as-logged' });
  assert.ok(plain.upper < f.lastLoss, 'a forecast of this prefix: upper end below the loss reached');
  // the same fit with a prefix that had barely dropped before: its forecast is steeper than the prefix
  const steep = { ...f, initialLoss: f.lastLoss * 1.001 };
  const [p] = predictCurve(steep, [at], { scenario: 'as-logged' });
  assert.equal(p.value, plain.value);
  assert.equal(p.lower, plain.lower);
  assert.equal(p.upper, f.lastLoss);
  // a narrower band than the table's level is not floored; within the data nothing changes
  const [p80] = predictCurve(steep, [at], { scenario: 'as-logged', confidence: 0.8 });
  assert.ok(p80.upper < f.lastLoss);
  assert.deepEqual(
    predictCurve(steep, [300], { scenario: 'as-logged' }),
    predictCurve(f, [300], { scenario: 'as-logged' }),
  );
  // bandLog and covers apply the same rule to its calibration sample
  const task: Task = { id: 't', curve: 't', family: 'f', cut: 0.1, x, y, at, truth: f.lastLoss * 0.99 };
  const s = calibrationSample(task, steep, { scenario: 'as-logged' });
  const b = bandLog(BAND_CALIBRATION, s);
  assert.ok(b && Math.abs(Math.log(p.upper / p.value) - b.hi) < 1e-9);
  assert.equal(covers(BAND_CALIBRATION, s), true);
  assert.equal(covers(BAND_CALIBRATION, calibrationSample(task, f, { scenario: 'as-logged' })), false);
});
