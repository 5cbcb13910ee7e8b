import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fitDownstream, predictDownstream, sigmoidMetric } from '../../../src/fit/downstream';
import { gadreProtocol } from './papers';

// Independent check: data generated from known parameters (+ Gaussian noise from a fixed-seed generator);
// the fit must recover them within tolerances set by the noise level.
function lcg(seed: number) {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}
function gauss(r: () => number) {
  return Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r());
}

describe('downstream sigmoid (Bhagia et al. 2024)', () => {
  test('recovers known parameters from noisy synthetic data', () => {
    const truth = [-0.6, 4.0, 2.8, 0.85]; // a, k, L0, b: accuracy 0.85 → 0.25 as loss rises (k > 0 by convention)
    const r = lcg(7);
    const L: number[] = [],
      acc: number[] = [];
    for (let i = 0; i < 80; i++) {
      const l = 2.0 + (1.6 * i) / 79;
      L.push(l);
      acc.push(sigmoidMetric(truth, l) + 0.005 * gauss(r));
    }
    const fit = fitDownstream(L, acc);
    assert.ok(fit.ok, JSON.stringify(fit));
    if (!fit.ok) return;
    const [a, k, L0, b] = fit.params;
    assert.ok(Math.abs(a + 0.6) < 0.05, `a ${a}`);
    assert.ok(Math.abs(k - 4) < 0.5, `k ${k}`);
    assert.ok(Math.abs(L0 - 2.8) < 0.05, `L0 ${L0}`);
    assert.ok(Math.abs(b - 0.85) < 0.03, `b ${b}`);
    assert.deepEqual(fit.warnings, []);
    assert.ok(fit.rmse < 0.0065 && fit.rmse > 0.0035, `rmse ${fit.rmse} should match the noise 0.005`);
    const [p] = predictDownstream(fit, [2.8]);
    assert.ok(Math.abs(p - 0.55) < 0.01, `midpoint prediction ${p}`);
  });
  test('bad input gives statuses, never throws', () => {
    assert.equal(fitDownstream([1, 2, 3], [0.1, 0.2, 0.3]).ok, false);
    assert.equal(fitDownstream([1, 1, 1, 1, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]).ok, false);
    assert.equal(fitDownstream([1, 2, 3, 4, 5, 6], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]).ok, false);
    assert.equal(fitDownstream(null as unknown as number[], []).ok, false);
    const r = fitDownstream([1, 2, NaN, 3, 4, 5, 6], [0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.25]);
    assert.ok(r.ok);
  });
});

describe("fitDownstream on the six points of Gadre et al.'s RedPajama testbed (mlfoundations/scaling, see papers.ts)", () => {
  test('no longer collapses into a huge cancelling a, b (it returned a = 104.8, b = −104.0, L0 = −5.38) and warns', () => {
    const { error } = gadreProtocol('rpj');
    const fit = fitDownstream(
      error.map((r) => r.loss),
      error.map((r) => r.err),
    );
    assert.ok(fit.ok);
    if (!fit.ok) return;
    const [a, , , b] = fit.params;
    assert.ok(Math.abs(a) <= 1 && b >= 0 && b <= 1 && a + b >= 0 && a + b <= 1, JSON.stringify(fit.params));
    assert.ok(
      fit.warnings.some((w) => /degenerate sigmoid/.test(w)),
      fit.warnings.join('\n'),
    );
  });
});
