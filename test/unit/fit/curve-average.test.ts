import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitCurve, predictCurve, ENSEMBLE_MAX, type CurveFit } from '../../../src/fit/curve/fitCurve';
import { describeFit } from '../../../src/fit/curve/describe';
import { curveLawById } from '../../../src/fit/curve/laws/index';

// The model average (fitCurve.ts step 7, issue 12): the laws whose backtest error is within 2× the best one's
// (Occam's window), at most ENSEMBLE_MAX of them, averaged in log space with EQUAL weights.

function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

/** Noisy saturating curves of a few shapes, so that several laws fit and the window holds more than one. */
function curves(): { name: string; x: number[]; y: number[] }[] {
  const r = rng(7);
  const out: { name: string; x: number[]; y: number[] }[] = [];
  const shapes: [string, (t: number) => number, number][] = [
    ['power law, 1 % noise', (t) => 2 + 8 * t ** -0.4, 0.01],
    ['power law, 10 % noise (a fine-tune-like training loss)', (t) => 0.3 + 3 * t ** -0.6, 0.1],
    ['exponential approach', (t) => 1.5 + 2 * Math.exp(-t / 3000), 0.02],
  ];
  for (const [name, f, noise] of shapes)
    for (const n of [30, 300]) {
      const x = Array.from({ length: n }, (_, i) => ((i + 1) * 10000) / n);
      out.push({ name: `${name}, ${n} points`, x, y: x.map((t) => f(t) * (1 + noise * (r() - 0.5))) });
    }
  return out;
}

test('the average holds the laws within 2× the best backtest error, at most ENSEMBLE_MAX, with equal weights', () => {
  let several = 0;
  for (const c of curves()) {
    const f = fitCurve(c.x, c.y);
    assert.ok(f.ok, c.name);
    const fit = f as CurveFit;
    const ms = fit.members;
    assert.ok(ms.length >= 1 && ms.length <= ENSEMBLE_MAX, `${c.name}: ${ms.length} members`);
    const best = Math.min(...fit.candidates.map((q) => q.holdoutLogRmse));
    assert.equal(ms[0].holdoutLogRmse, best, `${c.name}: the chosen law has the best backtest score`);
    for (const m of ms) {
      assert.ok(m.holdoutLogRmse <= 2 * best + 1e-15, `${c.name}: ${m.law} outside the window`);
      assert.ok(Math.abs((m.weight ?? NaN) - 1 / ms.length) < 1e-12, `${c.name}: ${m.law} weight ${m.weight}`);
    }
    // the window is filled in order of score: a law left out is worse than every member, or beyond the cap
    const inWindow = fit.candidates.filter((q) => Number.isFinite(q.holdoutLogRmse) && q.holdoutLogRmse <= 2 * best);
    assert.equal(ms.length, Math.min(inWindow.length, ENSEMBLE_MAX), c.name);
    if (ms.length > 1) several++;
  }
  assert.ok(several >= 3, `only ${several} curves averaged more than one law`);
});

test('the forecast is the geometric mean of the members’ own predictions (independent evaluation of each law)', () => {
  for (const c of curves()) {
    // the average alone: the decline cap that may raise it beyond the data has its own test (curve-decline-cap)
    const fit = fitCurve(c.x, c.y, { declineCap: null }) as CurveFit;
    const at = 40000;
    const [p] = predictCurve(fit, [at], { scenario: 'as-logged' });
    let s = 0;
    for (const m of fit.members) s += Math.log(curveLawById(m.law)!.predict(m.params, at / fit.xScale));
    const want = Math.exp(s / fit.members.length);
    assert.ok(Math.abs(p.value / want - 1) < 1e-9, `${c.name}: ${p.value} vs ${want}`);
  }
});

test('an explicit ensemble size still caps the average, and the description names equal weights', () => {
  const c = curves()[1];
  const one = fitCurve(c.x, c.y, { ensemble: 1 }) as CurveFit;
  assert.equal(one.members.length, 1);
  const avg = fitCurve(c.x, c.y) as CurveFit;
  if (avg.members.length > 1)
    assert.match(describeFit(avg), /equal weights: the laws within 2× the best held-out error/);
});
