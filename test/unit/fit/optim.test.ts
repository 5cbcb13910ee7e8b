import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  minimizeLbfgsb,
  huber,
  huberDeriv,
  huberOrSquared,
  huberOrSquaredDeriv,
  huberWeight,
  multiStart,
  cartesian,
  range,
} from '../../../src/fit/optim';

describe('huber (scipy.special.huber convention)', () => {
  test('matches scipy values', () => {
    // python3 -c "from scipy.special import huber; print([huber(1e-3,r) for r in [0.0005,-0.002,0.05]], huber(0.5,-2.0))"
    // → [1.25e-07, 1.5e-06, 4.95e-05] 0.875
    assert.ok(Math.abs(huber(1e-3, 0.0005) - 1.25e-7) < 1e-18);
    assert.ok(Math.abs(huber(1e-3, -0.002) - 1.5e-6) < 1e-17);
    assert.ok(Math.abs(huber(1e-3, 0.05) - 4.95e-5) < 1e-16);
    assert.equal(huber(0.5, -2), 0.875);
    assert.equal(huberDeriv(1e-3, 0.05), 1e-3);
    assert.equal(huberDeriv(1e-3, -0.05), -1e-3);
    assert.equal(huberDeriv(1e-3, 2e-4), 2e-4);
  });
  test('δ ≤ 0 means plain least squares; the IRLS weight is ψ(r)/r', () => {
    for (const r of [-3, -0.002, 0, 0.0005, 0.05]) {
      assert.equal(huberOrSquared(0, r), 0.5 * r * r);
      assert.equal(huberOrSquaredDeriv(0, r), r);
      assert.equal(huberOrSquared(1e-3, r), huber(1e-3, r));
      assert.equal(huberOrSquaredDeriv(1e-3, r), huberDeriv(1e-3, r));
      if (r !== 0) assert.ok(Math.abs(huberWeight(1e-3, r) * r - huberDeriv(1e-3, r)) <= 1e-18, `weight at ${r}`);
    }
    assert.equal(huberWeight(1e-3, 0), 1);
    assert.equal(huberWeight(1e-3, 0.05), 0.02);
  });
  test('huber(δ, r) = ψ·(r − ψ/2) with ψ = huberDeriv(δ, r), exactly (the form the Chinchilla objective uses)', () => {
    for (const delta of [1e-3, 0.5]) {
      for (let k = -400; k <= 400; k++) {
        const r = k * delta * 0.0137 + (k % 7) * 1e-9;
        const psi = huberDeriv(delta, r);
        assert.equal(psi * (r - 0.5 * psi), huber(delta, r), `δ ${delta}, r ${r}`);
      }
      for (const r of [delta, -delta, 0, 1e300, -1e300])
        assert.equal(huberDeriv(delta, r) * (r - 0.5 * huberDeriv(delta, r)), huber(delta, r));
    }
  });
});

describe('minimizeLbfgsb', () => {
  test('Rosenbrock: reaches the known minimum (1, 1)', () => {
    const fg = (x: Float64Array, g: Float64Array | null) => {
      const a = 1 - x[0],
        b = x[1] - x[0] * x[0];
      if (g) {
        g[0] = -2 * a - 400 * x[0] * b;
        g[1] = 200 * b;
      }
      return a * a + 100 * b * b;
    };
    const r = minimizeLbfgsb(fg, [-1.2, 1]);
    assert.ok(r.converged, r.reason);
    assert.ok(Math.abs(r.x[0] - 1) < 1e-6 && Math.abs(r.x[1] - 1) < 1e-6, `x=${Array.from(r.x)}`);
  });

  test('h0 = the exact inverse Hessian makes the first step a Newton step (quadratic: one iteration)', () => {
    // f = ½ xᵀAx − bᵀx, A = [[4, 1], [1, 3]] (condition ~2), b = (1, 2): minimum at A⁻¹b = (1/11, 7/11).
    const fg = (x: Float64Array, g: Float64Array | null) => {
      const ax0 = 4 * x[0] + x[1],
        ax1 = x[0] + 3 * x[1];
      if (g) {
        g[0] = ax0 - 1;
        g[1] = ax1 - 2;
      }
      return 0.5 * (x[0] * ax0 + x[1] * ax1) - x[0] - 2 * x[1];
    };
    const inv = Float64Array.of(3 / 11, -1 / 11, -1 / 11, 4 / 11);
    const withH0 = minimizeLbfgsb(fg, [5, -7], { h0: inv });
    assert.ok(withH0.converged, withH0.reason);
    assert.ok(
      Math.abs(withH0.x[0] - 1 / 11) < 1e-12 && Math.abs(withH0.x[1] - 7 / 11) < 1e-12,
      `x=${Array.from(withH0.x)}`,
    );
    assert.equal(withH0.iterations, 1);
    const plain = minimizeLbfgsb(fg, [5, -7]);
    assert.ok(plain.iterations > 1, `plain L-BFGS took ${plain.iterations}`);
    // A wrong-sized h0 is ignored, not trusted.
    const bad = minimizeLbfgsb(fg, [5, -7], { h0: Float64Array.of(1, 0, 0) });
    assert.equal(bad.iterations, plain.iterations);
  });

  test('box bounds: (x−3)² + (y+1)² with x ≤ 2, y ≥ 0 ends at the corner (2, 0)', () => {
    const fg = (x: Float64Array, g: Float64Array | null) => {
      if (g) {
        g[0] = 2 * (x[0] - 3);
        g[1] = 2 * (x[1] + 1);
      }
      return (x[0] - 3) ** 2 + (x[1] + 1) ** 2;
    };
    const r = minimizeLbfgsb(fg, [0, 5], { lower: [-Infinity, 0], upper: [2, Infinity] });
    assert.ok(r.converged, r.reason);
    assert.deepEqual(Array.from(r.x), [2, 0]);
    assert.equal(r.f, 2);
  });

  test('bounded Rosenbrock with the optimum outside the box: constrained minimum on x0 ≤ 0.5 is (0.5, 0.25)', () => {
    // On x0 = 0.5 the best x1 is 0.25 (b = 0); interior points with x0 < 0.5 are worse since ∂f/∂x0 < 0 there.
    const fg = (x: Float64Array, g: Float64Array | null) => {
      const a = 1 - x[0],
        b = x[1] - x[0] * x[0];
      if (g) {
        g[0] = -2 * a - 400 * x[0] * b;
        g[1] = 200 * b;
      }
      return a * a + 100 * b * b;
    };
    const r = minimizeLbfgsb(fg, [-1, 2], { lower: [-2, -2], upper: [0.5, 2] });
    assert.ok(Math.abs(r.x[0] - 0.5) < 1e-9 && Math.abs(r.x[1] - 0.25) < 1e-5, `x=${Array.from(r.x)} ${r.reason}`);
  });

  test('non-finite objective does not throw and reports a reason', () => {
    const r = minimizeLbfgsb(() => NaN, [1, 2]);
    assert.equal(r.converged, false);
    assert.match(r.reason, /not finite/);
  });

  test('a throwing objective is contained', () => {
    const r = minimizeLbfgsb(() => {
      throw new Error('boom');
    }, [1]);
    assert.equal(r.converged, false);
  });
});

describe('multiStart', () => {
  test('finds the global minimum of a double well and counts both optima', () => {
    // f = (x² − 1)² + 0.1·x: minima near ±1, the global one at x ≈ −1.0123 (root of 4x³ − 4x + 0.1 = 0).
    const fg = (x: Float64Array, g: Float64Array | null) => {
      if (g) g[0] = 4 * x[0] ** 3 - 4 * x[0] + 0.1;
      return (x[0] ** 2 - 1) ** 2 + 0.1 * x[0];
    };
    const grid = cartesian([range(-2, 2, 0.5)]);
    const r = multiStart(fg, grid.data, 1)!;
    const root = -1.012273; // python3: numpy.roots([4, 0, -4, 0.1]) → [-1.01227313, 0.98725748, 0.02501565]
    assert.ok(Math.abs(r.best.x[0] - root) < 1e-4, String(r.best.x[0]));
    assert.equal(r.distinct.length, 2);
  });

  test('cartesian/range build the Chinchilla grid of 4,500 starts', () => {
    const g = cartesian([range(0, 25, 5), range(0, 25, 5), range(-1, 1, 0.5), range(0, 2, 0.5), range(0, 2, 0.5)]);
    assert.equal(g.rows, 6 * 6 * 5 * 5 * 5);
    assert.deepEqual(Array.from(g.data.subarray(0, 5)), [0, 0, -1, 0, 0]);
    assert.deepEqual(Array.from(g.data.subarray(g.data.length - 5)), [25, 25, 1, 2, 2]);
  });
});
