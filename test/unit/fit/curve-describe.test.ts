import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeFit, forecastProvenance } from '../../../src/fit/curve/describe';
import { fitCurve, predictCurve } from '../../../src/fit/curve/fitCurve';

// What the status-bar tooltip says about a forecast (issue 12): its band, which law or average, which LR
// schedule and which sweep prior — built from a real fit of a synthetic curve, not from hand-written strings.

test('the tooltip sentence carries the band, the method, the schedule and the sweep prior (or none)', () => {
  const x = Array.from({ length: 40 }, (_, i) => 100 * (i + 1));
  const y = x.map((s) => 2 + 5 * s ** -0.4);
  const f = fitCurve(x, y);
  assert.ok(f.ok);
  const [p] = predictCurve(f, [12000], { scenario: 'unknown' });
  const method = describeFit(f);
  const s = forecastProvenance(
    { ...p, lawName: f.lawName, method, schedule: '50/50 mix of a continuation as logged and an LR anneal' },
    95,
  );
  assert.ok(s.includes(`95 % band ${p.lower.toPrecision(4)} – ${p.upper.toPrecision(4)}`), s);
  assert.ok(p.lower < p.value && p.value < p.upper, 'a forecast has a band around it');
  assert.ok(s.includes(`by ${method}`), s);
  assert.ok(s.includes('LR schedule: 50/50 mix'), s);
  assert.ok(s.endsWith('sweep prior: none'), s);
  const withPrior = forecastProvenance(
    { ...p, lawName: f.lawName, sweepPrior: 'sweep prior from 3 finished runs' },
    90,
  );
  assert.ok(
    withPrior.includes(`by ${f.lawName}`) &&
      withPrior.includes('90 % band') &&
      withPrior.endsWith('sweep prior: sweep prior from 3 finished runs'),
    withPrior,
  );
  assert.ok(withPrior.includes('LR schedule: continuation as logged'), withPrior);
  const withEpochs = forecastProvenance({ ...p, lawName: f.lawName, epochs: '2 epoch boundaries ahead (…)' }, 95);
  assert.ok(withEpochs.endsWith('sweep prior: none; 2 epoch boundaries ahead (…)'), withEpochs);
});

test('a forecast whose band is not finite says so instead of showing a bare number', () => {
  const s = forecastProvenance({ value: 2.5, lower: NaN, upper: Infinity, lawName: 'pow3' }, 95);
  assert.match(s, /^2\.500 \(no band \(not identifiable\)\)/);
});

test('the method names the decline cap when the fit has one, and not when it is off', () => {
  const x = Array.from({ length: 40 }, (_, i) => 100 * (i + 1));
  const y = x.map((s) => 2 + 5 * s ** -0.4);
  const on = fitCurve(x, y),
    off = fitCurve(x, y, { declineCap: null });
  assert.ok(on.ok && off.ok);
  assert.ok(on.declineCap, 'a falling curve gets a cap');
  const s = describeFit(on);
  assert.ok(
    s.endsWith(`falling at most 0.75 × the run's late log-log slope (${on.declineCap.slope.toFixed(2)}: decline cap)`),
    s,
  );
  assert.ok(!describeFit(off).includes('decline cap'), describeFit(off));
});
