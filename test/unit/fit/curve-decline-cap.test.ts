/**
 * fitCurve's `declineCap` option (bench/i12Study7.ts, candidates C8 / C8b; off by default): the late log-log slope it
 * measures, the floor line it puts under the as-logged average beyond the data, and that without it nothing changes.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  fitCurve,
  lateLogSlope,
  predictCurve,
  stepsToReach,
  DECLINE_CAP,
  LATE_SLOPE_MIN_POINTS,
  type CurveFit,
} from '../../../src/fit/curve/fitCurve';

function ok(f: ReturnType<typeof fitCurve>): CurveFit {
  assert.ok(f.ok, f.ok ? '' : f.reason);
  return f as CurveFit;
}

/** A pure power law A·x^(−α) (no floor): the members that fit it keep its whole slope beyond the data. */
function pureLaw(n: number, alpha: number): { x: number[]; y: number[] } {
  const x: number[] = [],
    y: number[] = [];
  for (let i = 1; i <= n; i++) {
    const t = 10 * Math.pow(1000, (i - 1) / (n - 1));
    x.push(t);
    y.push(8 * Math.pow(t, -alpha));
  }
  return { x, y };
}

describe('lateLogSlope', () => {
  test('is the log-log slope of a power law, whatever the window', () => {
    const { x, y } = pureLaw(40, 0.3);
    assert.ok(Math.abs(lateLogSlope(x, y) + 0.3) < 1e-9);
  });
  test('reads the last quarter of the ln-x range only (a bend before it does not count)', () => {
    const x: number[] = [],
      y: number[] = [];
    for (let i = 0; i < 80; i++) {
      const t = Math.pow(10, 1 + (3 * i) / 79);
      x.push(t);
      // slope −1 up to 10^3, then −0.1: the last quarter of [1, 4] decades is [3.25, 4]
      y.push(t <= 1000 ? 1000 / t : Math.pow(t / 1000, -0.1));
    }
    assert.ok(Math.abs(lateLogSlope(x, y) + 0.1) < 1e-9);
  });
  test('is NaN with fewer than LATE_SLOPE_MIN_POINTS points in the window', () => {
    // log-spaced x, 8 points: the last quarter holds 2
    const { x, y } = pureLaw(8, 0.3);
    assert.ok(Number.isNaN(lateLogSlope(x.slice(0, 3), y.slice(0, 3))));
    assert.ok(Number.isNaN(lateLogSlope(x, y)));
    const more = pureLaw(4 * LATE_SLOPE_MIN_POINTS + 4, 0.3);
    assert.ok(Number.isFinite(lateLogSlope(more.x, more.y)));
  });
});

describe('declineCap', () => {
  const { x, y } = pureLaw(60, 0.4);
  const main = ok(fitCurve(x, y, { declineCap: null }));
  const capped = ok(fitCurve(x, y, { declineCap: 0.75 }));

  test('the default is θ = DECLINE_CAP (0.75, study 7’s C8b, adopted after its blind judgement on hold-out 19)', () => {
    assert.equal(DECLINE_CAP, 0.75);
    assert.deepEqual(ok(fitCurve(x, y)), capped);
  });

  test('off (null): no field on the fit, and the same fit with it (only the floor line is added)', () => {
    assert.equal(main.declineCap, undefined);
    assert.ok(capped.declineCap);
    assert.equal(capped.declineCap!.theta, 0.75);
    assert.ok(Math.abs(capped.declineCap!.slope + 0.4) < 0.01);
    const { declineCap, ...rest } = capped;
    void declineCap;
    assert.deepEqual(rest, main);
  });

  test('beyond the data the forecast falls no faster than θ of the late slope, and never lower than main', () => {
    const xLast = x[x.length - 1];
    for (const scenario of ['as-logged', 'unknown'] as const) {
      const at = [xLast * 0.5, xLast, xLast * 3, xLast * 10];
      const pm = predictCurve(main, at, { scenario });
      const pc = predictCurve(capped, at, { scenario });
      // inside the data: unchanged
      assert.equal(pc[0].value, pm[0].value);
      assert.equal(pc[1].value, pm[1].value);
      for (let i = 2; i < at.length; i++) {
        assert.ok(pc[i].value >= pm[i].value);
        if (scenario === 'as-logged') {
          const line = capped.lastLoss * Math.pow(at[i] / xLast, 0.75 * capped.declineCap!.slope);
          // the pure power law's members keep the whole slope: the cap binds, at the line
          assert.ok(pm[i].value < line * 0.99);
          assert.ok(Math.abs(pc[i].value / line - 1) < 1e-12);
        }
        assert.ok(pc[i].lower <= pc[i].value && pc[i].value <= pc[i].upper);
      }
    }
  });

  test('a curve already levelling off is left alone (the members extrapolate less than θ of its slope)', () => {
    const xs: number[] = [],
      ys: number[] = [];
    for (let i = 1; i <= 60; i++) {
      const t = 10 * Math.pow(1000, (i - 1) / 59);
      xs.push(t);
      ys.push(2 + 8 * Math.pow(t, -0.5));
    }
    const f0 = ok(fitCurve(xs, ys, { declineCap: null }));
    const f1 = ok(fitCurve(xs, ys, { declineCap: 0.75 }));
    const at = [xs[xs.length - 1] * 3];
    assert.equal(predictCurve(f1, at)[0].value, predictCurve(f0, at)[0].value);
  });

  test('stepsToReach follows the capped forecast: "when does it reach L" agrees with the curve shown', () => {
    // a target below the cap's line at 3× the data but above the uncapped average there: the uncapped root comes sooner
    const xLast = x[x.length - 1];
    const [capped3] = predictCurve(capped, [3 * xLast], { scenario: 'as-logged' });
    const [free3] = predictCurve(main, [3 * xLast], { scenario: 'as-logged' });
    assert.ok(free3.value < capped3.value, `${free3.value} < ${capped3.value}`);
    const target = Math.sqrt(free3.value * capped3.value);
    const t = stepsToReach(capped, target, { horizon: 1000 * xLast });
    const tFree = stepsToReach(main, target, { horizon: 1000 * xLast });
    assert.ok(t !== null && tFree !== null && tFree < 3 * xLast && t > 3 * xLast, `${tFree} < ${3 * xLast} < ${t}`);
    const [at] = predictCurve(capped, [t], { scenario: 'as-logged' });
    assert.ok(Math.abs(at.value / target - 1) < 1e-6, `${at.value} vs ${target}`);
  });

  test('no floor line when the late slope is not negative or not measured', () => {
    const f = ok(fitCurve([1, 2, 3, 4, 5, 6], [5, 4, 3.5, 3.2, 3.1, 3.05], { declineCap: 0.75 }));
    assert.equal(f.declineCap, undefined);
  });
});
