import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitCurve } from '../../../src/fit/curve/fitCurve';
import { annealDropAhead, poolCurves } from '../../../bench/i12Study';
import { recOf, sampleOf, shrunk } from '../../../bench/i12Study2';
import { BLIND_SPLITS, type Curve } from './corpus';
import { tasksOf, calibrationSample } from './curve-tasks';

// Session 19's issue 12 study (bench/i12Study.ts, README "Backtest of the curve forecasts"): its candidate C1 needs
// the bounded pow3 as a curve law one can ask for, C2 the anneal drop still ahead of the data.

/** A pow3 curve with exponent 2: a decline faster than 1/x, which the bounded law cannot follow. */
function steepCurve(): { x: number[]; y: number[] } {
  const x = Array.from({ length: 40 }, (_, i) => 10 * (i + 1));
  return { x, y: x.map((v) => 2 + 50 * (v / 5) ** -2) };
}

test('pow3b: the bounded pow3 keeps its exponent ≤ 1 where the free pow3 fits the true 2', () => {
  const { x, y } = steepCurve();
  const free = fitCurve(x, y, { laws: ['pow3'] }),
    bounded = fitCurve(x, y, { laws: ['pow3b'] });
  assert.ok(free.ok && bounded.ok);
  assert.ok(free.params[2] > 1.5, `free pow3 α ${free.params[2]}`);
  assert.ok(bounded.params[2] <= 1 + 1e-12, `bounded pow3 α ${bounded.params[2]}`);
  assert.equal(bounded.law, 'pow3b');
});

test('pow3b is asked for by name only: the automatic selection does not backtest it', () => {
  const { x, y } = steepCurve();
  const f = fitCurve(x, y);
  assert.ok(f.ok);
  assert.ok(f.candidates.length > 5);
  assert.ok(!f.candidates.some((c) => c.law === 'pow3b'));
});

test('annealDropAhead: the share of a run-long decay beyond the last fitted step', () => {
  assert.equal(annealDropAhead(0.03, 1000, 1000), 0);
  assert.equal(annealDropAhead(0.03, 1000, 500), 0);
  assert.ok(Math.abs(annealDropAhead(0.03, 1000, 2000) - 0.015) < 1e-12);
  assert.ok(Math.abs(annealDropAhead(0.03, 1000, 10000) - 0.027) < 1e-12);
});

test("the i12 study's pool never loads a blind hold-out but keeps the scored ones (holdout10, holdout11 since scored)", () => {
  const splits = new Set(poolCurves().map((c) => c.split));
  for (const blind of BLIND_SPLITS) assert.ok(!splits.has(blind), blind);
  assert.ok(splits.has('dev') && splits.has('holdout9') && splits.has('holdout10') && splits.has('holdout11'));
});

// Session 20's study (bench/i12Study2.ts): C3 / C3b are computed from one record per forecast; at s = 1 the record
// must give back calibrationSample's own sample of main's forecast, and the shrink must move the forecast toward L.
test('i12Study2: a record at s = 1 gives calibrationSample of the same fit; s < 1 shrinks the forecast about L', () => {
  const x = Array.from({ length: 60 }, (_, i) => 50 * (i + 1));
  const y = x.map((v, i) => 2.5 + 8 * (v / 50) ** -0.4 * (1 + 0.004 * Math.sin(3 * i)));
  // a planned total at the final step and no LR: the product's scenario is 'unknown', the one session 20's study
  // assumed for every forecast (calibrationSample scores a task in its product scenario since session 31)
  const curve: Curve = { id: 't/c', family: 't', x, y, split: 'dev', domain: 'lm-pretraining', plannedTotal: 3000 };
  const t = tasksOf([curve]).tasks.find((q) => q.cut === 0.3)!;
  const r = recOf(t, curve);
  const want = calibrationSample(t);
  const have = sampleOf(r, 1);
  for (const k of ['ratio', 'nFit', 'up', 'down', 'overLast', 'overValue', 'w', 'h'] as const)
    assert.ok(Math.abs((have[k] as number) - (want[k] as number)) < 1e-12, `${k}: ${have[k]} vs ${want[k]}`);
  const p = shrunk(r, 0.5);
  assert.ok(r.value < r.L, 'the forecast continues the decline');
  assert.ok(Math.abs(p.value - (r.L + 0.5 * (r.value - r.L))) < 1e-12);
  assert.ok(p.w > 0 && p.w < r.w, `band half-width ${p.w} vs ${r.w}`);
});
