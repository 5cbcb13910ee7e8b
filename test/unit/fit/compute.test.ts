import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { computeOptimalClosedForm, chinchillaLoss } from '../../../src/fit/computeOptimal';

// Besiroglu et al. 2024 grid-fit parameters (README).
const P = { A: 477.87, B: 2143.33, E: 1.8172, alpha: 0.3473, beta: 0.3672 };

describe('compute-optimal closed form', () => {
  test('exponent a = β/(α+β) ≈ 0.51 (published 0.513 ± 0.020)', () => {
    const r = computeOptimalClosedForm(P, [1e21]);
    assert.ok(r.ok);
    if (r.ok) assert.ok(Math.abs(r.a - 0.5139) < 1e-3, String(r.a)); // scipy run: a_exp 0.51389
  });
  test('matches a brute-force minimisation of L(N, C/(6N)) over log N', () => {
    for (const C of [1e19, 1e21, 1e24]) {
      const r = computeOptimalClosedForm(P, [C]);
      assert.ok(r.ok);
      if (!r.ok) return;
      let best = Infinity,
        bestN = 0;
      for (let lg = 6; lg <= 14; lg += 1e-5) {
        const N = 10 ** lg,
          L = chinchillaLoss(P, N, C / (6 * N));
        if (L < best) {
          best = L;
          bestN = N;
        }
      }
      assert.ok(Math.abs(Math.log(r.N[0] / bestN)) < 1e-4, `C=${C}: ${r.N[0]} vs ${bestN}`);
      assert.ok(Math.abs((r.N[0] * r.D[0] * 6) / C - 1) < 1e-9);
    }
  });
  test('bad parameters give a status, not a throw', () => {
    assert.equal(computeOptimalClosedForm({ ...P, alpha: 0 }, [1e21]).ok, false);
  });
});
