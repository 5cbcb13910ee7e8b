import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fitChinchilla, chinchillaRefitter, inverseSpd } from '../../../src/fit/chinchilla';
import { bootstrapChinchilla, bootstrapWeights, mulberry32, percentile, correlation } from '../../../src/fit/bootstrap';
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
    const x = bootstrapChinchilla(fit, { samples: 20, seed: 3 }),
      y = bootstrapChinchilla(fit, { samples: 20, seed: 3 });
    assert.ok(x.ok && y.ok);
    if (x.ok && y.ok) assert.deepEqual(x.intervals, y.intervals);
  });
});

describe('bootstrap refits (shared precomputation, warm start from the full-data optimum and its inverse Hessian)', () => {
  const pts = chinchilla240();
  const fit = fitChinchilla(pts);
  test('each refit lands on the optimum an independent single-start fit finds for the same weights', () => {
    assert.ok(fit.ok);
    if (!fit.ok) return;
    const R = chinchillaRefitter(fit);
    for (const w of bootstrapWeights(fit.n, 12, 5)) {
      const r = R.refit(w);
      // Independent path: fitChinchilla from the optimum with these weights (plain L-BFGS, data re-prepared).
      const q = fitChinchilla(pts, { starts: [fit.raw], weights: w, skipDiagnostics: true });
      assert.ok(r.ok && q.ok);
      if (!r.ok || !q.ok) return;
      assert.ok(r.converged);
      assert.ok(
        Math.abs(r.objective - q.objective) <= 1e-10 * q.objective,
        `objective ${r.objective} vs ${q.objective}`,
      );
      assert.ok(
        Math.abs(r.params.alpha - q.params.alpha) < 1e-5 && Math.abs(r.params.beta - q.params.beta) < 1e-5,
        `α ${r.params.alpha} vs ${q.params.alpha}`,
      );
      assert.ok(Math.abs(Math.log(r.params.E / q.params.E)) < 1e-5);
    }
  });
  test('all-ones weights give back the full-data optimum', () => {
    assert.ok(fit.ok);
    if (!fit.ok) return;
    const r = chinchillaRefitter(fit).refit(new Float64Array(fit.n).fill(1));
    assert.ok(r.ok);
    if (r.ok) {
      assert.ok(Math.abs(r.objective - fit.objective) <= 1e-12, `${r.objective} vs ${fit.objective}`);
      assert.ok(Math.abs(r.params.alpha - fit.params.alpha) < 1e-6);
    }
  });
  test('bootstrapChinchilla refits exactly the resamples bootstrapWeights lists', () => {
    assert.ok(fit.ok);
    if (!fit.ok) return;
    const b = bootstrapChinchilla(fit, { samples: 5, seed: 11 });
    assert.ok(b.ok);
    if (!b.ok) return;
    const R = chinchillaRefitter(fit);
    const alphas = bootstrapWeights(fit.n, 5, 11).map((w) => {
      const r = R.refit(w);
      return r.ok ? r.params.alpha : NaN;
    });
    assert.deepEqual(b.draws.alpha, alphas);
    assert.equal(new Set(alphas).size, 5);
  });
  test('wrong-length weights are refused, not thrown', () => {
    assert.ok(fit.ok);
    if (fit.ok) assert.equal(chinchillaRefitter(fit).refit(new Float64Array(3)).ok, false);
  });
  test('inverseSpd inverts a symmetric positive-definite matrix and refuses an indefinite one', () => {
    const H = [
      [4, 1, 0.5],
      [1, 3, 0.2],
      [0.5, 0.2, 2],
    ];
    const inv = inverseSpd(H);
    assert.ok(inv);
    if (!inv) return;
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += H[i][k] * inv[k * 3 + j];
        assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-12, `(HH⁻¹)[${i}][${j}] = ${s}`);
      }
    assert.equal(
      inverseSpd([
        [1, 2],
        [2, 1],
      ]),
      null,
    );
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
    for (let i = 0; i < 1000; i++) {
      const v = r();
      assert.ok(v >= 0 && v < 1);
    }
  });
});
