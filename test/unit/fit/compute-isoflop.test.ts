import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { isoflopFrontier, fitParabola } from '../../../src/fit/isoflop';
import { computeOptimalClosedForm, chinchillaLoss } from '../../../src/fit/computeOptimal';

const P = { A: 477.87, B: 2143.33, E: 1.8172, alpha: 0.3473, beta: 0.3672 };

describe('IsoFLOP (approach 2)', () => {
  test('parabola fit is exact on a quadratic', () => {
    const c = fitParabola(
      [0, 1, 2, 3],
      [1, 0, 1, 4].map((_, i) => 2 - 3 * i + 0.5 * i * i),
    )!;
    assert.ok(Math.abs(c[0] - 2) < 1e-9 && Math.abs(c[1] + 3) < 1e-9 && Math.abs(c[2] - 0.5) < 1e-9);
  });
  test('on points generated from the fitted law, the exponent approaches the closed form β/(α+β)', () => {
    const pts = [];
    for (const C of [1e19, 1e20, 1e21, 1e22]) {
      const Nc = computeOptimalClosedForm(P, [C]);
      if (!Nc.ok) throw new Error('closed form');
      for (let k = -4; k <= 4; k++) {
        const N = Nc.N[0] * Math.exp(0.15 * k);
        pts.push({ N, C, loss: chinchillaLoss(P, N, C / (6 * N)) });
      }
    }
    const r = isoflopFrontier(pts);
    assert.ok(r.ok);
    if (r.ok) assert.ok(Math.abs(r.a - 0.51389) < 0.01, String(r.a)); // closed form (scipy run): 0.51389
  });
  test('too few budgets → status', () => {
    assert.equal(isoflopFrontier([{ N: 1, C: 1, loss: 1 }]).ok, false);
  });
});
