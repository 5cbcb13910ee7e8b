import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildCalibration,
  conformalQuantile,
  crossValidatedCoverage,
  bandMultiplier,
  type CalibrationSample,
} from '../../../src/fit/curve/calibration';

// Split-conformal machinery (calibration.ts) against independent computations: the ⌈(N+1)·0.95⌉-th order
// statistic, and coverage on exchangeable synthetic scores (|N(0,1)| scores: the conformal quantile of many
// samples is near the normal 97.5 % point, 1.96, and new scores fall below it ~95 % of the time).

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

test('on exchangeable scores the calibrated multiplier covers ~95 % of new ones; thin data never narrower', () => {
  const r = rng(7);
  const mk = (n: number, fam: string): CalibrationSample[] =>
    Array.from({ length: n }, () => ({
      family: fam,
      ratio: 1.5 + 6 * r(),
      nFit: 5 + Math.floor(60 * r()),
      score: Math.abs(gauss(r)),
    }));
  const train = Array.from({ length: 10 }, (_, k) => mk(200, `f${k}`)).flat();
  const cal = buildCalibration(train);
  // large cells: near the 95 % point of |N(0,1)| (sampling SE ≈ 0.1 at 300 scores); a small cell takes a high
  // order statistic (conservative)
  cal.q.forEach((row, i) =>
    row.forEach((q, j) =>
      assert.ok(cal.count[i][j] >= 300 ? Math.abs(q - 1.96) < 0.3 : q > 1.7 && q < 4, `q ${q} (${cal.count[i][j]})`),
    ),
  );
  const test2 = mk(4000, 'new');
  const cov = test2.filter((s) => s.score <= bandMultiplier(cal, s.ratio, s.nFit)).length / test2.length;
  assert.ok(cov > 0.93 && cov < 0.97, `coverage ${cov}`);
  const cv = crossValidatedCoverage(train);
  assert.ok(cv.covered / cv.total > 0.93 && cv.covered / cv.total < 0.97, `cv ${cv.covered}/${cv.total}`);
  // scores twice as large for thin fits: their cells get wider multipliers
  const thin = train.map((s) => (s.nFit < 12 ? { ...s, score: 2 * s.score } : s));
  const c2 = buildCalibration(thin);
  for (const row of c2.q) assert.ok(row[0] > 1.5 * row[2], `thin ${row[0]} vs ${row[2]}`);
  assert.equal(bandMultiplier(cal, 0.8, 10), 1, 'within the data: the model band as is');
});
