import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { CURVE_LAWS, m4, pow3 } from '../../../src/fit/curve/laws/index';
import { fitLaw } from '../../../src/fit/curve/lawFit';

// Interior parameter values (x in fitCurve's rescaled units, first point at 2) for the derivative checks.
const P: Record<string, number[]> = {
  pow3: [2, 5, 0.4],
  pow4: [2, 0.5, 1, 0.4],
  logpower: [6, 7, 0.3],
  exp3: [2, 0.01, 1],
  exp4: [2, 0.3, 1, 0.5],
  janoschek: [2, 6, 0.2, 0.5],
  weibull: [2, 6, 0.01, 0.5],
  mmf: [2, 6, 0.05, 0.8],
  ilog2: [2, 3],
  vapor: [1.5, 2, -0.1],
  m1: [5, -0.2],
  m2: [2, 5, -0.4],
  m3: [3, 0.01, 0.3],
  m4: [2, 8, 0.7, 20, -0.6],
};

describe('curve laws', () => {
  test('every law has docs, bounds, and analytic gradients that match central differences', () => {
    for (const law of CURVE_LAWS) {
      assert.ok(law.source.length > 10 && law.latex.length > 5, law.id);
      const p = P[law.id];
      assert.ok(p, `test params for ${law.id}`);
      assert.equal(p.length, law.params.length, law.id);
      const g = new Float64Array(p.length);
      for (const x of [3, 40, 900]) {
        const v = law.grad(p, x, g);
        assert.ok(Math.abs(v - law.predict(p, x)) < 1e-12 * Math.abs(v), `${law.id} grad value`);
        for (let j = 0; j < p.length; j++) {
          const h = 1e-5 * Math.max(Math.abs(p[j]), 1e-3);
          const pp = p.slice(),
            pm = p.slice();
          pp[j] += h;
          pm[j] -= h;
          const fd = (law.predict(pp, x) - law.predict(pm, x)) / (2 * h);
          assert.ok(
            Math.abs(fd - g[j]) <= 1e-5 * Math.max(1, Math.abs(fd)),
            `${law.id} d/d${law.params[j].name} at x=${x}: ${g[j]} vs ${fd}`,
          );
        }
      }
    }
  });
  test('every law is decreasing in x at its test parameters (loss form)', () => {
    for (const law of CURVE_LAWS) {
      const p = P[law.id];
      let prev = Infinity;
      for (const x of [2, 5, 20, 100, 1000, 1e4]) {
        const v = law.predict(p, x);
        assert.ok(v < prev, `${law.id} not decreasing at ${x}`);
        prev = v;
      }
    }
  });
  test('M4 prediction satisfies the implicit equation (L − ε∞)/(ε0 − L)^α = βx^c', () => {
    const p = [2, 8, 0.7, 20, -0.6];
    for (const x of [0.01, 1, 37, 1e5, 1e9]) {
      const L = m4.predict(p, x);
      assert.ok(L > 2 && L < 8, `L in (ε∞, ε0) at x=${x}`);
      const lhs = Math.log(L - 2) - 0.7 * Math.log(8 - L);
      const rhs = Math.log(20) - 0.6 * Math.log(x);
      assert.ok(Math.abs(lhs - rhs) < 1e-9, `x=${x}: ${lhs} vs ${rhs}`);
    }
    assert.ok(Number.isNaN(m4.predict([5, 3, 0.5, 1, -0.5], 10)), 'ε0 ≤ ε∞ is inadmissible');
  });
  test('M4 satisfies its equation at α = 0 and α = 1 (closed forms) and whatever order points and parameters are asked in (root read-back)', () => {
    const check = (p: number[], x: number) => {
      const L = m4.predict(p, x);
      const lhs = Math.log(L - p[0]) - p[2] * Math.log(p[1] - L);
      const rhs = Math.log(p[3]) + p[4] * Math.log(x);
      assert.ok(Math.abs(lhs - rhs) < 1e-9, `p=${p} x=${x}: ${lhs} vs ${rhs}`);
      return L;
    };
    const xs = [0.5, 2, 30, 400, 1e4];
    const ps = [
      [2, 8, 0, 0.5, -0.4],
      [2, 8, 1, 20, -0.6],
      [2, 8, 0.7, 20, -0.6],
    ];
    const first = ps.map((p) => xs.map((x) => check(p, x)));
    // the same values in another order, interleaving parameter vectors and passes, and through grad
    const g = new Float64Array(5);
    for (let k = xs.length - 1; k >= 0; k--)
      for (let j = ps.length - 1; j >= 0; j--) {
        assert.equal(m4.predict(ps[j], xs[k]), first[j][k]);
        assert.equal(m4.grad(ps[j], xs[k], g), first[j][k]);
      }
    for (const [j, p] of ps.entries()) {
      xs.forEach((x, k) => assert.equal(m4.grad(p, x, g), first[j][k]));
      xs.forEach((x, k) => assert.equal(m4.predict(p, x), first[j][k]));
      assert.equal(m4.predict(p, 7), check(p, 7));
    }
  });
  test('pow3 recovers known parameters from noisy synthetic data', () => {
    let s = 3;
    const rnd = () => {
      s = (s * 16807) % 2147483647;
      return s / 2147483647 - 0.5;
    };
    const x = Float64Array.from({ length: 200 }, (_, i) => 2 + i * 5);
    const y = x.map((v) => (1.7 + 4 * Math.pow(v, -0.35)) * Math.exp(0.002 * rnd()));
    const f = fitLaw(pow3, { x, y });
    assert.ok(f.ok);
    assert.ok(Math.abs(f.p[0] - 1.7) < 0.03, `c ${f.p[0]}`);
    assert.ok(Math.abs(f.p[1] - 4) < 0.1, `a ${f.p[1]}`);
    assert.ok(Math.abs(f.p[2] - 0.35) < 0.01, `alpha ${f.p[2]}`);
  });
});
