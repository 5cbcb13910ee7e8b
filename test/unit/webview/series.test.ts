import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { SeriesData } from '../../../src/protocol';
import {
  appendPoints,
  appendSeries,
  buildPoints,
  emaNext,
  minMaxDecimate,
  newEma,
  stepMapper,
  xMapper,
} from '../../../webview/series';

const F = (a: number[]) => Float64Array.from(a);

const series = (): SeriesData => ({
  runId: 'r',
  metric: 'loss',
  step: F([0, 10, 20, 30]),
  tokens: F([0, 1000, 2000, 3000]),
  time: F([100, 460, 820, 1180]),
  y: F([5, 4, NaN, 3]),
});
const opts = { smoothing: 0, logX: false, logY: false };

test('x axes: step, tokens, compute = 6·N·D, time in hours from the first timestamp', () => {
  const s = series();
  assert.equal(xMapper('step', s)!(2), 20);
  assert.equal(xMapper('tokens', s)!(3), 3000);
  assert.equal(xMapper('compute', s, 1e6)!(1), 6e9);
  assert.equal(xMapper('compute', s), null, 'compute needs a parameter count');
  assert.equal(xMapper('time', s)!(1), 0.1);
  assert.equal(xMapper('tokens', { runId: 'r', metric: 'm', step: F([1]), y: F([1]) }), null);
});

test('points skip non-finite values and non-positive x on a log axis', () => {
  const s = series();
  assert.deepEqual(buildPoints(s, xMapper('step', s)!, opts), { xs: [0, 10, 30], ys: [5, 4, 3] });
  assert.deepEqual(buildPoints(s, xMapper('step', s)!, { ...opts, logX: true }).xs, [10, 30]);
});

test('EMA is debiased and resumes across appends exactly like a full rebuild', () => {
  const st = newEma();
  assert.equal(emaNext(st, 4, 0.9), 4, 'first value is not pulled towards 0');
  const s: SeriesData = { runId: 'r', metric: 'm', step: F([]), y: F([]) };
  const ys = Array.from({ length: 50 }, (_, i) => 3 + Math.sin(i));
  appendSeries(s, { step: ys.map((_, i) => i + 1), y: ys.slice(0, 20) as number[] });
  const o = { ...opts, smoothing: 0.8 };
  const ema = newEma();
  const inc = buildPoints(s, xMapper('step', s)!, o, ema);
  const consumed = s.y.length;
  appendSeries(s, { step: ys.slice(20).map((_, i) => i + 21), y: ys.slice(20) });
  assert.equal(appendPoints(s, xMapper('step', s)!, consumed, s.y.length, o, ema, inc), true);
  const full = buildPoints(s, xMapper('step', s)!, o);
  assert.equal(inc.ys.length, 50);
  for (let i = 0; i < 50; i++) assert.ok(Math.abs(inc.ys[i] - full.ys[i]) < 1e-12);
  assert.ok(Math.abs(full.ys[49] - ys[49]) > 1e-3, 'smoothing changed the values');
});

test('appendSeries keeps optional axes parallel to y', () => {
  const s: SeriesData = { runId: 'r', metric: 'm', step: F([1, 2]), y: F([1, 1]) };
  appendSeries(s, { step: F([3]), tokens: F([300]), y: F([1]) });
  assert.deepEqual(Array.from(s.tokens!.slice(2)), [300]);
  assert.ok(Number.isNaN(s.tokens![0]) && s.tokens!.length === 3);
  appendSeries(s, { step: F([4]), y: F([1]) });
  assert.equal(s.tokens!.length, 4);
  assert.ok(Number.isNaN(s.tokens![3]));
});

test('appending x that goes backwards is reported (resumed run) and a rebuild sorts', () => {
  const s: SeriesData = { runId: 'r', metric: 'm', step: F([10, 20, 15, 30]), y: F([4, 3, 3.5, 2]) };
  const p = { xs: [] as number[], ys: [] as number[] };
  assert.equal(appendPoints(s, xMapper('step', s)!, 0, 4, opts, newEma(), p), false);
  assert.deepEqual(buildPoints(s, xMapper('step', s)!, opts).xs, [10, 15, 20, 30]);
});

test('min/max decimation bounds the output and keeps extremes', () => {
  const n = 100_000;
  const xs = Array.from({ length: n }, (_, i) => i + 1);
  const ys = xs.map((x) => 3 + 1 / x);
  ys[54321] = 100; // a spike
  const out = minMaxDecimate({ xs, ys }, 500, true);
  assert.ok(out.length <= 2000, `got ${out.length}`);
  assert.ok(
    out.some((p) => p.y === 100),
    'spike survives',
  );
  for (let i = 1; i < out.length; i++) assert.ok(out[i].x >= out[i - 1].x, 'sorted');
  assert.equal(out[0].x, 1);
  assert.equal(out[out.length - 1].x, n);
});

test('stepMapper interpolates and extrapolates fitted curves onto the tokens axis', () => {
  const s = series();
  const m = stepMapper('tokens', s)!;
  assert.equal(m(15), 1500);
  assert.equal(m(60), 6000);
  assert.equal(stepMapper('step', undefined)!(7), 7);
  assert.equal(stepMapper('compute', s), null);
});

test('stepMapper stays exact on a long linear series while sampling knots', () => {
  const n = 1_000_003;
  const s: SeriesData = { runId: 'r', metric: 'm', step: new Float64Array(n), tokens: new Float64Array(n), y: F([]) };
  for (let i = 0; i < n; i++) {
    s.step[i] = i + 1;
    s.tokens![i] = (i + 1) * 512;
  }
  s.y = new Float64Array(n).fill(1);
  const m = stepMapper('tokens', s)!;
  assert.equal(m(777_777), 777_777 * 512);
  assert.equal(m(n), n * 512, 'the last point is a knot');
  assert.equal(m(2 * n), 2 * n * 512, 'extrapolates at the late rate');
});
