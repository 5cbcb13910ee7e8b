import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  DENSE_BURN_IN,
  DENSE_PREFIX_POINTS,
  fitCurve,
  predictCurve,
  stepsToReach,
  type CurveFit,
} from '../../../src/fit/curve/fitCurve';
import { decimate, upperMedian } from '../../../src/fit/curve/decimate';

function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

/** A clean power-law curve E + A t^(−α) with 1 % multiplicative noise. */
function synth(n: number, seed = 1, spikes = 0): { x: number[]; y: number[] } {
  const r = rng(seed);
  const x: number[] = [],
    y: number[] = [];
  for (let i = 1; i <= n; i++) {
    const t = (i * 100000) / n;
    let v = (2 + 8 * Math.pow(t, -0.4)) * (1 + 0.01 * (r() - 0.5));
    if (spikes && r() < spikes) v *= 1.8;
    x.push(t);
    y.push(v);
  }
  return { x, y };
}

function ok(f: ReturnType<typeof fitCurve>): CurveFit {
  assert.ok(f.ok, f.ok ? '' : f.reason);
  return f as CurveFit;
}

describe('fitCurve', () => {
  test('forecasts a synthetic power-law curve from its first 30 % (truth known in closed form)', () => {
    const { x, y } = synth(3000);
    const cut = 900;
    // every point (burnIn 1): this checks the laws on an ideal curve, where the default dense-prefix burn-in (below)
    // only gives up precision
    const fit = ok(fitCurve(x.slice(0, cut), y.slice(0, cut), { laws: ['pow3', 'm2', 'pow4', 'mmf'], burnIn: 1 }));
    const [p] = predictCurve(fit, [100000], { confidence: 0.95 });
    const truth = 2 + 8 * Math.pow(100000, -0.4);
    assert.ok(Math.abs(p.value - truth) / truth < 0.01, `forecast ${p.value} vs ${truth}`);
    assert.ok(p.lower <= p.value && p.value <= p.upper);
  });
  test('stepsToReach matches the closed-form crossing of a pow3 fit, null when the asymptote is above target', () => {
    const { x, y } = synth(2000);
    const fit = ok(fitCurve(x, y, { laws: ['pow3'], burnIn: 1 }));
    const [c, a, al] = fit.params;
    const target = 2.3;
    // c + a (x/xScale)^(−α) = target  ⇒  x = xScale·(a / (target − c))^(1/α)
    const expected = fit.xScale * Math.pow(a / (target - c), 1 / al);
    const got = stepsToReach(fit, target);
    assert.ok(got !== null && Math.abs(got - expected) / expected < 1e-6, `${got} vs ${expected}`);
    assert.equal(stepsToReach(fit, c - 0.1), null);
    assert.equal(stepsToReach(fit, target, { horizon: expected / 2 }), null);
  });
  test('robust to loss spikes: 2 % of points ×1.8 barely move the forecast, with a warning', () => {
    const clean = synth(5000, 4);
    const spiky = synth(5000, 4, 0.02);
    const a = ok(fitCurve(clean.x, clean.y, { laws: ['pow3'] }));
    const b = ok(fitCurve(spiky.x, spiky.y, { laws: ['pow3'] }));
    const [pa] = predictCurve(a, [1e6]);
    const [pb] = predictCurve(b, [1e6]);
    assert.ok(Math.abs(pa.value - pb.value) / pa.value < 0.01, `${pa.value} vs ${pb.value}`);
  });
  test('interval widens with the forecast horizon and with lower confidence it narrows', () => {
    const { x, y } = synth(500, 9);
    const fit = ok(fitCurve(x, y));
    const [near, far] = predictCurve(fit, [1.1e5, 1e7]);
    assert.ok(far.upper / far.lower > near.upper / near.lower);
    const [narrow] = predictCurve(fit, [1e7], { confidence: 0.5 });
    assert.ok(narrow.upper - narrow.lower < far.upper - far.lower);
  });
  test('bad input: statuses, never throws', () => {
    const cases: [unknown, unknown, RegExp][] = [
      [[1, 2], [3, 2], /not enough points/],
      [null, [1], /not an array/],
      [[1, 2, 3, 4, 5, 6], [2, 2, 2, 2, 2, 2], /constant/],
      [[1, 2, 3, 4, 5, 6, 7, 8], [1, 1.1, 1.2, 1.3, 1.5, 1.7, 2, 3], /not decreasing/],
      [[NaN, NaN, NaN, NaN, NaN], [1, 2, 3, 4, 5], /not enough points/],
      [[0, -1, -2, -3, -4], [5, 4, 3, 2, 1], /not enough points/],
      [[5, 5, 5, 5, 5, 5], [3, 2.9, 2.8, 2.7, 2.6, 2.5], /distinct x/],
    ];
    for (const [x, y, re] of cases) {
      const f = fitCurve(x as number[], y as number[]);
      assert.equal(f.ok, false);
      if (!f.ok) assert.match(f.reason, re);
    }
    const f = fitCurve([1, 2, 3, 4], [3, 2, 1.5, 1.2], { laws: ['nope'] });
    assert.ok(!f.ok && /unknown curve law/.test(f.reason));
  });
  test('predictCurve / stepsToReach on a malformed fit return NaN / null instead of throwing', () => {
    const bad = {} as CurveFit;
    const [p] = predictCurve(bad, [10]);
    assert.ok(Number.isNaN(p.value));
    assert.equal(stepsToReach(bad, 2), null);
  });
  test('a warm-up bump before the loss peak is dropped with a warning', () => {
    const x: number[] = [],
      y: number[] = [];
    for (let i = 1; i <= 200; i++) {
      x.push(i);
      y.push(i <= 10 ? 5 + 0.1 * i : 2 + 30 * Math.pow(i, -0.6));
    }
    const fit = ok(fitCurve(x, y, { laws: ['pow3'] }));
    assert.match(fit.warnings.join(' '), /warm-up bump/);
    const [c, , al] = fit.params;
    assert.ok(Math.abs(c - 2) < 0.02 && Math.abs(al - 0.6) < 0.02, `c ${c} alpha ${al}`);
  });
  test('NaN, x ≤ 0 and unsorted points are dropped/sorted with warnings', () => {
    const { x, y } = synth(300, 2);
    const xs = [0, ...x, 5e4],
      ys = [9, ...y, NaN];
    xs.reverse();
    ys.reverse();
    const fit = ok(fitCurve(xs, ys, { laws: ['pow3'], burnIn: 1 }));
    const w = fit.warnings.join(' | ');
    assert.match(w, /NaN/);
    assert.match(w, /x ≤ 0/);
    assert.match(w, /sorted/);
    assert.equal(fit.nRaw, 300);
  });
  test('a prefix of 60 points or more is fitted from a third of its last step on, a sparser one on every point', () => {
    const { x, y } = synth(300, 3);
    const dense = ok(fitCurve(x.slice(0, 90), y.slice(0, 90), { laws: ['pow3'] }));
    assert.ok(dense.xRange[0] >= x[89] / DENSE_BURN_IN, `dense prefix fitted from ${dense.xRange[0]}`);
    assert.equal(dense.xRange[1], x[89]);
    assert.equal(dense.nRaw, x.slice(0, 90).filter((v) => v >= x[89] / DENSE_BURN_IN).length);
    const all = ok(fitCurve(x.slice(0, 90), y.slice(0, 90), { laws: ['pow3'], burnIn: 1 }));
    assert.equal(all.xRange[0], x[0]);
    assert.equal(all.nRaw, 90);
    const below = DENSE_PREFIX_POINTS - 1;
    const sparse = ok(fitCurve(x.slice(0, below), y.slice(0, below), { laws: ['pow3'] }));
    assert.equal(sparse.xRange[0], x[0]);
    // NaN points do not count towards the gate
    const withNaN = [...y.slice(0, below), ...Array(5).fill(NaN)];
    const xsNaN = x.slice(0, below + 5);
    assert.equal(ok(fitCurve(xsNaN, withNaN, { laws: ['pow3'] })).xRange[0], x[0]);
  });
  test('decimation: ≤ maxPoints, medians per bin, dense tail', () => {
    const { x, y } = synth(100000, 5);
    const d = decimate(Float64Array.from(x), Float64Array.from(y), { maxPoints: 200 });
    assert.ok(d.x.length <= 200 && d.x.length > 100, `${d.x.length}`);
    const total = d.count.reduce((a, b) => a + b, 0);
    assert.equal(total, 100000);
    const tail = d.x.filter((v) => v > 80000).length;
    assert.ok(tail >= 50, `tail points ${tail}`);
    for (let i = 1; i < d.x.length; i++) assert.ok(d.x[i] > d.x[i - 1]);
  });
});

test('upperMedian gives the element of rank m >> 1 that sorting gives, with ties and any length', () => {
  let s = 3;
  const rnd = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
  for (let t = 0; t < 2000; t++) {
    const n = 1 + Math.floor(rnd() * 40);
    const a = Float64Array.from({ length: n }, () => Math.round(rnd() * 8) / 4 - 1);
    const sorted = Float64Array.from(a).sort();
    assert.equal(upperMedian(Float64Array.from(a), n), sorted[n >> 1], `[${Array.from(a)}]`);
  }
});
