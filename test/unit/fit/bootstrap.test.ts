import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fitChinchilla } from '../../../src/fit/chinchilla';
import { bootstrapChinchilla, mulberry32, percentile, correlation } from '../../../src/fit/bootstrap';
import { chinchilla240 } from './sweepData';

describe('bootstrap of the Chinchilla fit', () => {
  const fit = fitChinchilla(chinchilla240());
  test('95 % interval for α overlaps the published 0.317–0.373; a ≈ 0.51', () => {
    assert.ok(fit.ok);
    if (!fit.ok) return;
    const b = bootstrapChinchilla(fit, { samples: 200, seed: 7 });
    assert.ok(b.ok);
    if (!b.ok) return;
    const ia = b.intervals.alpha;
    assert.ok(ia.lower < 0.373 && ia.upper > 0.317, JSON.stringify(ia));
    assert.ok(ia.lower < fit.params.alpha && fit.params.alpha < ia.upper);
    assert.ok(b.intervals.a.lower < 0.513 && 0.513 < b.intervals.a.upper, JSON.stringify(b.intervals.a));
  });
  test('same seed → same intervals', () => {
    assert.ok(fit.ok);
    if (!fit.ok) return;
    const x = bootstrapChinchilla(fit, { samples: 20, seed: 3 }), y = bootstrapChinchilla(fit, { samples: 20, seed: 3 });
    assert.ok(x.ok && y.ok);
    if (x.ok && y.ok) assert.deepEqual(x.intervals, y.intervals);
  });
});

describe('helpers', () => {
  test('percentile interpolates like numpy (linear)', () => {
    // numpy.percentile([1,2,3,4], 25) = 1.75
    assert.equal(percentile([1, 2, 3, 4], 0.25), 1.75);
  });
  test('correlation of a line is 1 / −1', () => {
    assert.ok(Math.abs(correlation([1, 2, 3], [2, 4, 6]) - 1) < 1e-12);
    assert.ok(Math.abs(correlation([1, 2, 3], [3, 2, 1]) + 1) < 1e-12);
  });
  test('mulberry32 is in [0, 1)', () => {
    const r = mulberry32(1);
    for (let i = 0; i < 1000; i++) { const v = r(); assert.ok(v >= 0 && v < 1); }
  });
});
