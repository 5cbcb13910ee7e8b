import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tasksOf } from './curve-tasks';
import type { Curve } from './corpus';
import { prefixFeatures, gatedForecast, learnGate, type Gate, type Row } from '../../../bench/featureStudy';
import { combine, equalRule, type StackRecord } from '../../../bench/stackLearn';

// The feature study of issue 12 (bench/featureStudy.ts, README "Backtest of the curve forecasts"): the features
// must be computable at forecast time, i.e. from the prefix alone, and must measure what they claim.

function curve(id: string, f: (x: number) => number, n: number): Curve {
  const x = Array.from({ length: n }, (_, i) => (i + 1) * 10);
  return { id, family: id, x, y: x.map(f), split: 'dev' };
}

test('features of a backtest task depend on the prefix only: changing the points after the cut changes none', () => {
  const a = curve('a', (x) => 2 + 5 * x ** -0.4, 300);
  const b = {
    ...a,
    id: 'b',
    y: a.y.map((v, i) => (a.x[i] > 0.3 * a.x[a.x.length - 1] ? v * (0.8 + (i % 7) / 100) : v)),
  };
  const ta = tasksOf([a]).tasks.filter((t) => t.cut === 0.3);
  const tb = tasksOf([b]).tasks.filter((t) => t.cut === 0.3);
  assert.equal(ta.length, 1);
  assert.notEqual(ta[0].truth, tb[0].truth, 'the planted change must reach the final value');
  assert.deepEqual(prefixFeatures(ta[0].x, ta[0].y), prefixFeatures(tb[0].x, tb[0].y));
  // and prefixFeatures reads nothing past what it is given: a longer input changes the features
  const longer = prefixFeatures(a.x.slice(0, 200), a.y.map((v) => v * 0.9).slice(0, 200));
  assert.notDeepEqual(prefixFeatures(ta[0].x, ta[0].y), longer);
});

test('prefixFeatures measures the late log-log slope, its acceleration, the noise and the level', () => {
  const x = Array.from({ length: 200 }, (_, i) => (i + 1) * 5);
  // a pure power law: slope −0.3 everywhere, no acceleration, no noise
  const p = prefixFeatures(
    x,
    x.map((v) => 4 * v ** -0.3),
  );
  assert.ok(Math.abs(p.slopeLate + 0.3) < 1e-9, `slopeLate ${p.slopeLate}`);
  assert.ok(Math.abs(p.accel) < 1e-9, `accel ${p.accel}`);
  assert.ok(p.noise < 1e-12, `noise ${p.noise}`);
  assert.ok(Math.abs(p.level - Math.log(4 * 1000 ** -0.3)) < 0.01, `level ${p.level}`);
  assert.equal(p.nPts, 200);
  // an exponential decay toward 1 declines faster and faster in log x: accel < 0
  const e = prefixFeatures(
    x,
    x.map((v) => 1 + Math.exp(-v / 300)),
  );
  assert.ok(e.accel < -0.01, `accel ${e.accel}`);
  // a power law with an asymptote flattens: accel > 0
  const f = prefixFeatures(
    x,
    x.map((v) => 2 + 4 * v ** -0.5),
  );
  assert.ok(f.accel > 0.01, `accel ${f.accel}`);
  // the noise index (1.4826·median |residual about the running median of 3|) is ≈ 0.45 σ of white noise in ln y,
  // and proportional to it
  let seed = 11;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const z = x.map(() => gauss());
  const noisy = (sd: number) =>
    prefixFeatures(
      x,
      x.map((v, i) => 4 * v ** -0.3 * Math.exp(sd * z[i])),
    ).noise;
  assert.ok(noisy(0.02) > 0.3 * 0.02 && noisy(0.02) < 0.6 * 0.02, `noise ${noisy(0.02)}`);
  assert.ok(Math.abs(noisy(0.04) / noisy(0.02) - 2) < 0.05, `noise ${noisy(0.04)} vs ${noisy(0.02)}`);
  // fewer than 4 usable points: no features
  assert.ok(Number.isNaN(prefixFeatures([1, 2, 3], [3, 2, 1]).slopeLate));
});

test('the gated shrink is the equal average outside the gate and moves toward pow3 inside it', () => {
  const rec: StackRecord = {
    id: 'r',
    family: 'f',
    cut: 0.3,
    truth: 2,
    ratio: 3,
    fixed: null,
    members: [
      { law: 'logpower', score: 0.01, ln: Math.log(1.8) },
      { law: 'pow3', score: 0.015, ln: Math.log(2.1) },
    ],
  };
  const base = equalRule(['logpower', 'pow3']);
  const avg = combine(rec, base) as number;
  const row: Row = { rec, group: 'dev', f: { gap: -0.1 }, meta: { lr: 'none', planned: true, schedule: '—' } };
  const g: Gate = { feature: 'gap', side: 'le', theta: -0.05, sIn: 1, sOut: 0 };
  assert.ok(Math.abs((gatedForecast(row, g, base) as number) - Math.log(2.1)) < 1e-12);
  assert.ok(Math.abs((gatedForecast(row, { ...g, sIn: 0.5 }, base) as number) - (avg + Math.log(2.1)) / 2) < 1e-12);
  assert.equal(gatedForecast(row, { ...g, theta: -0.2 }, base), avg);
  assert.equal(gatedForecast({ ...row, f: { gap: NaN } }, g, base), avg, 'a missing feature never gates');
});

test('the learner recovers a planted gate', () => {
  // planted: where extrapRatio ≥ 1 the average is 10 % too low and pow3 right; elsewhere the average is right
  const rows: Row[] = [];
  for (let i = 0; i < 40; i++) {
    const hi = i % 2 === 0;
    const truth = 2 + (i % 5) * 0.1;
    const rec: StackRecord = {
      id: `r${i}`,
      family: `f${i % 10}`,
      cut: 0.3,
      truth,
      ratio: 3,
      fixed: null,
      members: [
        { law: 'logpower', score: 0.01, ln: Math.log(truth) + (hi ? -0.2 : 0.02) },
        { law: 'pow3', score: 0.015, ln: Math.log(truth) + (hi ? 0 : 0.3) },
      ],
    };
    rows.push({
      rec,
      group: 'dev',
      f: { extrapRatio: hi ? 1.2 + i / 100 : 0.3 + i / 100 },
      meta: { lr: 'none', planned: true, schedule: '—' },
    });
  }
  const g = learnGate(rows, ['extrapRatio'], equalRule(['logpower', 'pow3']), true);
  assert.equal(g.feature, 'extrapRatio');
  assert.ok(g.theta >= 0.69 && g.theta < 1.2, `theta ${g.theta}`);
  assert.ok(g.sOut >= 0.8 && g.sIn <= 0.1, JSON.stringify(g));
});
