/**
 * The sweep prior (src/fit/curve/sweepPrior.ts, issue 12 item 4): the siblings' final-to-fraction log-ratios against
 * a hand computation, the Student-t widening for few siblings, and — on the real curves of the pool (every split but
 * a blind one, and the LR-schedule runs), the last run of each sweep hidden — a band that covers the final value of
 * at least 85 % of the hidden runs at every cut (it covered 72 / 80 / 73 % at 10 / 30 / 50 % before the prior took the
 * siblings' final logged values and the t quantile).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combineWithSweep, sweepRatioPrior } from '../../../src/fit/curve/sweepPrior';
import { normalQuantile } from '../../../src/fit/curve/stats';
import { sweepRows } from '../../../bench/sweepBacktest';
import { corpusCurves, scheduleCurves, POOLABLE_SPLITS, type Split } from './corpus';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('sweepRatioPrior: ln(final logged loss) − ln(smoothed loss at the fraction), mean and SD over the siblings', () => {
  // flat stretches around the fraction so that the running median is the value itself; the final points differ
  const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const sib = (mid: number, last: number) => ({ id: `s${mid}`, x, y: [9, 9, mid, mid, mid, mid, mid, 3, 3, last] });
  const p = sweepRatioPrior(0.5, [sib(4, 2), sib(5, 2.5), sib(4, 2.2)])!;
  const r = [Math.log(2 / 4), Math.log(2.5 / 5), Math.log(2.2 / 4)];
  const mean = (r[0] + r[1] + r[2]) / 3;
  close(p.logRatioMean, mean);
  close(p.logRatioSd, Math.sqrt(r.reduce((a, v) => a + (v - mean) ** 2, 0) / 2));
  assert.deepEqual(p.used, ['s4', 's5', 's4']);
  // fewer than two usable siblings: no prior
  assert.equal(sweepRatioPrior(0.5, [sib(4, 2)]), null);
});

test('combineWithSweep: the sweep band is the Student-t predictive one, wider with fewer siblings', () => {
  const own = { value: 3, lower: 2, upper: 4.5 };
  const anchor = { value: 3.5, lower: 3.5, upper: 3.5 }; // no anchor variance: the sweep band is the siblings' alone
  const z = normalQuantile(0.975);
  const prior = (n: number) => ({
    logRatioMean: -0.1,
    logRatioSd: 0.02,
    used: Array.from({ length: n }, (_, i) => `s${i}`),
    fraction: 0.5,
  });
  const half = (n: number) => {
    const c = combineWithSweep(own, anchor, prior(n), 0.95)!;
    close(c.sweep.value, 3.5 * Math.exp(-0.1), 1e-12);
    return Math.log(c.sweep.upper / c.sweep.value);
  };
  // t quantiles at 0.975 for 2 and 4 degrees of freedom (tables: 4.303, 2.776) against z = 1.960, within the
  // expansion's accuracy (1 % at ν = 2)
  assert.ok(Math.abs(half(3) / (0.02 * Math.sqrt(1 + 1 / 3)) - 4.303) < 0.05, String(half(3)));
  assert.ok(Math.abs(half(5) / (0.02 * Math.sqrt(1 + 1 / 5)) - 2.776) < 0.02, String(half(5)));
  assert.ok(half(3) > half(5) && half(5) > half(50) && half(50) > 0.02 * z);
  // a confidence that is not a probability gives no combination
  for (const bad of [0, 1, 1.96, Number.NaN]) assert.equal(combineWithSweep(own, anchor, prior(3), bad), null);
});

test('sweep prior on the real pool, last run of each sweep hidden: the combined band covers ≥ 85 % at each cut', () => {
  const rows = [
    ...POOLABLE_SPLITS.flatMap((s) => sweepRows(corpusCurves(s as Split).filter((c) => (c.split ?? 'dev') === s))),
    ...sweepRows(scheduleCurves()),
  ];
  for (const cut of [0.1, 0.3, 0.5]) {
    const rs = rows.filter((r) => r.cut === cut && r.siblings >= 2);
    assert.ok(rs.length >= 40, `${cut}: ${rs.length} forecasts`);
    const covered = rs.filter((r) => r.sweepIn).length / rs.length;
    assert.ok(covered >= 0.85, `${cut}: the sweep band covers ${(100 * covered).toFixed(1)} % of ${rs.length}`);
    // and it still narrows the run's own band
    const med = (a: number[]) => [...a].sort((u, v) => u - v)[a.length >> 1];
    assert.ok(med(rs.map((r) => r.sweepHalf)) < med(rs.map((r) => r.ownHalf)));
  }
});
