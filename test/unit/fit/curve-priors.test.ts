import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shared } from '../helpers/paths';
import { readSchedule } from './curve-data';
import { fitCurve, predictCurve, studentQuantile } from '../../../src/fit/curve/fitCurve';
import { priorResidual, priorsOf, minPointsFor } from '../../../src/fit/curve/priors';
import { BAND_CALIBRATION } from '../../../src/fit/curve/calibration';

test('prior residuals: log-normal exponent and logit-normal asymptote, as documented (hand-computed values)', () => {
  const exp = priorsOf('pow3').find((p) => p.kind === 'exponent')!;
  assert.equal(priorResidual(exp, 0.5, 3).z, 0);
  assert.ok(Math.abs(priorResidual(exp, 2.24, 3).z - Math.log(2.24 / 0.5) / 1.2) < 1e-12);
  const asym = priorsOf('pow3').find((p) => p.kind === 'asymptote')!;
  assert.ok(Math.abs(priorResidual(asym, 1.5, 3).z) < 1e-12); // E / y_min = 0.5 is the prior median
  assert.ok(priorResidual(asym, 2.9, 3).z > 1.5); // near the lowest loss: penalised
  // derivative against a central difference
  const h = 1e-6,
    d = priorResidual(exp, 0.8, 3).dz,
    num = (priorResidual(exp, 0.8 + h, 3).z - priorResidual(exp, 0.8 - h, 3).z) / (2 * h);
  assert.ok(Math.abs(d - num) < 1e-6);
  assert.deepEqual([3, 4, 5].map(minPointsFor), [4, 7, 10]);
});

test('Student-t quantiles: published table values (97.5 %: ν=1 12.71, ν=2 4.30, ν=5 2.571, ν=30 2.042)', () => {
  const q = (v: number) => studentQuantile(0.975, v);
  assert.ok(q(1) > 10 && q(1) < 13.5, `${q(1)}`); // the 1/ν expansion is ~12 % low at ν = 1
  assert.ok(Math.abs(q(2) - 4.303) < 0.1, `${q(2)}`);
  assert.ok(Math.abs(q(5) - 2.571) < 0.01, `${q(5)}`);
  assert.ok(Math.abs(q(30) - 2.042) < 0.001, `${q(30)}`);
});

test('thin data gives a wide band: 4 logged points of a real run, the 5th (4× later) inside a band wider than ±10 %', () => {
  const d = readSchedule(shared('lr-schedules', '100M', 'constant_72000.csv'));
  const want = [3000, 6000, 12000, 24000, 72000];
  const pick = want.map((s) => d.step.reduce((b, v, i) => (Math.abs(v - s) < Math.abs(d.step[b] - s) ? i : b), 0));
  const x = pick.map((i) => d.step[i]),
    y = pick.map((i) => d.loss[i]);
  const f = fitCurve(x.slice(0, 4), y.slice(0, 4));
  assert.ok(f.ok, f.ok ? '' : f.reason);
  if (!f.ok) return;
  assert.ok(
    f.members.every((m) => m.law !== 'm4' && m.law !== 'pow4' && m.law !== 'mmf'),
    'laws with more parameters than 4 points support are not used',
  );
  const p = predictCurve(f, [x[4]])[0];
  assert.ok(p.lower <= y[4] && y[4] <= p.upper, `${y[4]} in [${p.lower}, ${p.upper}]`);
  // wide below; above, wide up to the calibrated cap (the loss already reached × e^capLog: a final loss far above it
  // is rare on the pool), which is what bounds a thin forecast's upper end
  const cap = f.lastLoss * Math.exp(BAND_CALIBRATION.capLog);
  assert.ok(
    p.value / p.lower > 1.1 && p.upper >= Math.min(1.1 * p.value, cap) - 1e-9,
    `band [${p.lower}, ${p.upper}] around ${p.value} (cap ${cap})`,
  );
});
