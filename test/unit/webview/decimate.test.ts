// The webview's per-pixel-column decimator (webview/decimate.ts) against a brute-force reference written here
// from the definition (every point's column found by a linear search of the column bounds, no block summary, no
// binary search), and the transform cache (webview/seriesCache.ts) against buildPoints of webview/series.ts, the
// older whole-series path it replaces on the chart.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { SeriesData } from '../../../src/protocol';
import {
  BLOCK,
  columnBounds,
  decimateView,
  emptySummary,
  nearestIndex,
  summarize,
  type View,
} from '../../../webview/decimate';
import { appendSeries, buildPoints, effectiveSmoothing, xMapper } from '../../../webview/series';
import { SeriesCache } from '../../../webview/seriesCache';
import { mulberry32 } from '../../../src/fit/bootstrap';

const F = (a: number[]) => Float64Array.from(a);

/** Deterministic pseudo-random numbers (mulberry32). */
const rng = mulberry32;

/** The definition: per column, the first, first-lowest, first-highest and last drawable point; plus the nearest
 * drawable point on each side of [lo, hi]. */
function reference(xs: number[], ys: number[], v: View): number[] {
  const ok = (i: number) => (!v.logX || xs[i] > 0) && (!v.logY || ys[i] > 0);
  let lo = v.lo;
  if (v.logX && !(lo > 0)) {
    const i = xs.findIndex((x) => x > 0);
    if (i < 0) return [];
    lo = xs[i];
  }
  const b = v.hi > lo ? columnBounds({ ...v, lo }) : [lo, v.hi];
  const cols = new Map<number, number[]>();
  let before = -1,
    after = -1;
  for (let i = 0; i < xs.length; i++) {
    if (!ok(i) || (v.logX && !(xs[i] > 0))) continue;
    if (xs[i] < lo) {
      before = i;
      continue;
    }
    if (xs[i] > v.hi) {
      if (after < 0) after = i;
      continue;
    }
    let c = 0;
    while (c < b.length - 2 && xs[i] >= b[c + 1]) c++;
    (cols.get(c) ?? cols.set(c, []).get(c)!).push(i);
  }
  const out: number[] = [];
  if (before >= 0) out.push(before);
  for (const c of [...cols.keys()].sort((p, q) => p - q)) {
    const idx = cols.get(c)!;
    let mn = idx[0],
      mx = idx[0];
    for (const i of idx) {
      if (ys[i] < ys[mn]) mn = i;
      if (ys[i] > ys[mx]) mx = i;
    }
    out.push(...[...new Set([idx[0], mn, mx, idx[idx.length - 1]])].sort((p, q) => p - q));
  }
  if (after >= 0) out.push(after);
  return out;
}

function randomSeries(r: () => number, n: number, opts: { negX?: boolean; negY?: boolean; dupX?: boolean }) {
  const xs: number[] = [],
    ys: number[] = [];
  let x = opts.negX ? -50 * r() : r() * 3;
  for (let i = 0; i < n; i++) {
    x += opts.dupX && r() < 0.3 ? 0 : r() * (r() < 0.01 ? 500 : 2);
    xs.push(x);
    // A decaying curve with noise, spikes and (optionally) values at or below zero.
    let y = 3 + 40 / Math.sqrt(i + 1) + 0.2 * (r() - 0.5);
    if (r() < 0.005) y *= 5;
    if (opts.negY && r() < 0.05) y = -r();
    if (r() < 0.01) y = Math.round(y); // ties
    ys.push(y);
  }
  return { xs, ys };
}

test('decimateView equals the brute-force per-column reference (random series, views, log axes)', () => {
  const r = rng(17);
  for (let trial = 0; trial < 300; trial++) {
    const n = [0, 1, 2, 5, 100, BLOCK - 1, BLOCK + 3, 3000, 20_000][trial % 9];
    const { xs, ys } = randomSeries(r, n, { negX: trial % 3 === 0, negY: trial % 4 === 1, dupX: trial % 5 === 2 });
    if (!n) {
      assert.deepEqual(
        decimateView(xs, ys, 0, emptySummary(), { lo: 0, hi: 1, columns: 10, logX: false, logY: false }),
        [],
      );
      continue;
    }
    const sum = summarize(ys, n, emptySummary());
    const logX = trial % 2 === 1,
      logY = trial % 4 === 1 || trial % 7 === 0;
    const span = xs[n - 1] - xs[0];
    // The whole range, or a window (zoom) that may start before or end after the data.
    const whole = trial % 3 !== 2;
    const lo = whole ? (logX ? (xs.find((x) => x > 0) ?? 1) : xs[0]) : xs[0] + span * (r() * 0.8 - 0.1);
    const hi = whole ? xs[n - 1] : lo + span * (0.01 + r() * 0.5);
    // A log axis never shows x ≤ 0: such windows do not occur.
    if (logX && !(hi > 0)) continue;
    const v: View = { lo, hi, columns: [1, 7, 64, 1280][trial % 4], logX, logY };
    assert.deepEqual(
      decimateView(xs, ys, n, sum, v),
      reference(xs, ys, v),
      `trial ${trial}: n=${n} ${JSON.stringify(v)}`,
    );
  }
});

test('decimation keeps every column extreme: a single spike among 1M points survives, output ≤ 4·columns + 2', () => {
  const n = 1_000_000;
  const xs = new Float64Array(n),
    ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = i;
    ys[i] = 3 + Math.sin(i / 1000) * 0.1;
  }
  ys[654_321] = 50;
  ys[123_457] = -2;
  const sum = summarize(ys, n, emptySummary());
  const idx = decimateView(xs, ys, n, sum, { lo: 0, hi: n - 1, columns: 1000, logX: false, logY: false });
  assert.ok(idx.length <= 4 * 1000 + 2, `${idx.length} points`);
  assert.ok(idx.includes(654_321) && idx.includes(123_457));
  assert.ok(
    idx.every((v, k) => k === 0 || v > idx[k - 1]),
    'ascending, no repeats',
  );
  // Zoomed to a window: the nearest points outside it are kept, so the line reaches the edges.
  const z = decimateView(xs, ys, n, sum, { lo: 1000.5, hi: 2000.5, columns: 100, logX: false, logY: false });
  assert.equal(z[0], 1000);
  assert.equal(z[z.length - 1], 2001);
});

test('the block summary extended after appends equals one built from scratch', () => {
  const r = rng(5);
  const ys: number[] = [];
  const sum = emptySummary();
  for (let k = 0; k < 40; k++) {
    const from = ys.length;
    const add = Math.floor(r() * 700);
    for (let j = 0; j < add; j++) ys.push(r());
    summarize(ys, ys.length, sum, from);
    const fresh = summarize(ys, ys.length, emptySummary());
    assert.equal(sum.blocks, fresh.blocks);
    assert.deepEqual([...sum.minI.subarray(0, sum.blocks)], [...fresh.minI.subarray(0, fresh.blocks)]);
    assert.deepEqual([...sum.maxI.subarray(0, sum.blocks)], [...fresh.maxI.subarray(0, fresh.blocks)]);
  }
});

function cacheEqualsBuild(c: SeriesCache, s: SeriesData, w: number, msg: string): void {
  const ref = buildPoints(s, xMapper(c.xAxis, s, c.params)!, { smoothing: w, logX: false, logY: false });
  assert.equal(c.n, ref.xs.length, msg);
  assert.deepEqual([...c.xs.subarray(0, c.n)], ref.xs, msg);
  assert.deepEqual([...c.ys.subarray(0, c.n)], ref.ys, msg);
  for (let k = 0; k < c.n; k++)
    if (c.xs[k] !== s[c.xAxis === 'tokens' ? 'tokens' : 'step']![c.srcAt(k)])
      assert.fail(`${msg}: source of point ${k}`);
  const fresh = summarize(c.ys, c.n, emptySummary());
  assert.deepEqual(
    [...c.sum.minI.subarray(0, c.sum.blocks)],
    [...fresh.minI.subarray(0, fresh.blocks)],
    `${msg}: summary`,
  );
}

test('transform cache: appends, smoothing changes and re-sorts give what a whole rebuild gives', () => {
  const r = rng(99);
  // holes: some tokens unknown (their losses still feed the EMA, so a smoothing change walks the series);
  // without, a smoothing change is the one pass over the cached raw y.
  // clean: no NaN loss before round 12, so the cache starts on the store's own columns (shared) and leaves them
  // at the first NaN.
  for (const [resumed, holes, clean] of [
    [false, false, false],
    [false, true, false],
    [true, true, false],
    [true, false, false],
    [false, false, true],
  ]) {
    const s: SeriesData = { runId: 'r', metric: 'loss', step: F([]), tokens: F([]), y: F([]) };
    const c = new SeriesCache(s, 'tokens', undefined, xMapper('tokens', s)!);
    let step = 0,
      w = 0.6;
    let version = c.version;
    for (let k = 0; k < 30; k++) {
      const add = Math.floor(r() * 900) + 1;
      const inc = { step: [] as number[], tokens: [] as number[], y: [] as number[] };
      for (let j = 0; j < add; j++) {
        // A resumed run goes back some steps (repeats them); NaN losses and unknown tokens now and then.
        step = resumed && r() < 0.002 ? Math.max(0, step - 300) : step + 1;
        inc.step.push(step);
        inc.tokens.push(holes && r() < 0.01 ? NaN : step * 1000);
        inc.y.push(r() < 0.01 && (!clean || k >= 12) ? NaN : 3 + 10 / Math.sqrt(step + 1) + 0.1 * r());
      }
      // Grown as the store grows it (in place, in a buffer of its own).
      appendSeries(s, inc);
      if (k % 7 === 3) w = [0, 0.3, 0.9, 0.99][k % 4];
      const we = effectiveSmoothing(w, s.y.length);
      assert.equal(c.sync(we), true);
      assert.ok(c.version > version, 'a change bumps the version');
      version = c.version;
      cacheEqualsBuild(c, s, we, `resumed=${resumed} holes=${holes} clean=${clean} round ${k} w=${we}`);
      if (clean && k < 12) {
        assert.ok(c.shared, `round ${k}: shared columns while every value is a point in order`);
        assert.equal(c.xs.buffer, s.tokens!.buffer, 'x is the store’s tokens column, not a copy');
      }
      if (clean && k === 29) assert.ok(!c.shared, 'own arrays once a NaN arrived');
    }
    assert.equal(c.sync(c.smoothing), false, 'nothing new: nothing recomputed');
    assert.equal(c.version, version);
    // Every non-finite loss with a known x is remembered as a mark.
    const bad = Array.from(s.y)
      .map((y, i) => (!Number.isFinite(y) && Number.isFinite(s.tokens![i]) ? s.tokens![i] : undefined))
      .filter((x) => x !== undefined);
    assert.deepEqual(c.bad, bad);
    assert.equal(c.fits(s, 'tokens', undefined), true);
    assert.equal(c.fits(s, 'step', undefined), false, 'another x axis needs another cache');
    assert.equal(c.fits({ ...s }, 'tokens', undefined), false, 'a replaced series needs another cache');
  }
});

test('tooltip search: nearestIndex finds the point nearest the cursor in pixels, as a scan of every point in the window does', () => {
  const r = rng(3);
  for (let trial = 0; trial < 200; trial++) {
    const n = [1, 10, 1000, 50_000][trial % 4];
    const { xs, ys } = randomSeries(r, n, { dupX: trial % 3 === 0 });
    const logY = trial % 5 === 0;
    // A linear x axis over the data on 1000 px, y on 500 px (inverted, as on a canvas; log when logY).
    const x0 = xs[0],
      x1 = xs[n - 1] + 1e-9;
    const toPx = (x: number) => ((x - x0) / (x1 - x0)) * 1000;
    const yMax = Math.max(...ys) + 1;
    const toPy = logY
      ? (y: number) => 500 - (Math.log(y) / Math.log(yMax)) * 500
      : (y: number) => 500 - (y / yMax) * 500;
    const px = r() * 1000,
      py = r() * 500,
      rad = (16 * (x1 - x0)) / 1000;
    const lo = x0 + (px / 1000) * (x1 - x0) - rad,
      hi = lo + 2 * rad;
    const got = nearestIndex(xs, ys, n, lo, hi, toPx, toPy, px, py, false, logY);
    // Brute force: every drawable point with x in the window; else the nearest one just outside it on each side.
    const ok = (i: number) => !logY || ys[i] > 0;
    let cand = xs.map((_, i) => i).filter((i) => xs[i] >= lo && xs[i] <= hi);
    if (!cand.length) {
      const below = xs
        .map((_, i) => i)
        .filter((i) => xs[i] < lo)
        .pop();
      const above = xs.map((_, i) => i).find((i) => xs[i] > hi);
      cand = [below, above].filter((i): i is number => i !== undefined);
    }
    cand = cand.filter(ok);
    const d = (i: number) => (toPx(xs[i]) - px) ** 2 + (toPy(ys[i]) - py) ** 2;
    const want = cand.length ? cand.reduce((b, i) => (d(i) < d(b) ? i : b)) : -1;
    assert.equal(got, want, `trial ${trial}`);
  }
});

/**
 * The smoothing definition written out here, independently of webview/series.ts: TensorBoard's debiased EMA over
 * the finite values in series order (non-finite ones skipped, not reset), last = last·w + (1 − w)·v,
 * smoothed = last / (1 − w^count), with w^count kept as a running product (as the chart has always computed it).
 */
function directEma(y: Float64Array, w: number): Float64Array {
  const out = new Float64Array(y.length).fill(NaN);
  let last = 0,
    pw = 1;
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) continue;
    if (!(w > 0)) {
      out[i] = y[i];
      continue;
    }
    last = last * w + (1 - w) * y[i];
    pw *= w;
    out[i] = last / (1 - pw);
  }
  return out;
}

test('a smoothing change gives the direct EMA of the raw series (random data, NaN/inf gaps, appends, long series)', () => {
  const r = rng(1717);
  // gaps: NaN and ±inf losses now and then (the cache leaves the store's columns); clean: every value finite, so
  // a smoothing change is the one fused pass over the shared raw column. Long enough (> 40k points) that w^count
  // underflows and the pass stops dividing.
  // Weights in turn, three rounds each (appends under one weight, then a change): back to a weight held before (the
  // cache reuses its smoothed y, extended by the points appended since) and smoothing off in between (y is the raw
  // column); one schedule starts at 0.9, the other at 0.
  const schedules = [
    [0.9, 0, 0.9, 0.6, 0, 0.6, 0.99, 0.3],
    [0, 0.9, 0, 0.9, 0.3, 0.95, 0, 0.3],
  ];
  for (const [gaps, weights] of [
    [false, schedules[0]],
    [false, schedules[1]],
    [true, schedules[0]],
    [true, schedules[1]],
  ] as const) {
    const s: SeriesData = { runId: 'r', metric: 'loss', step: F([]), y: F([]) };
    const c = new SeriesCache(s, 'step', undefined, xMapper('step', s)!);
    let step = 0;
    for (let k = 0; k < 24; k++) {
      const add = k === 0 ? 30_000 : Math.floor(r() * 3000) + 1;
      const inc = { step: [] as number[], y: [] as number[] };
      for (let j = 0; j < add; j++) {
        step += 1 + Math.floor(r() * 3);
        inc.step.push(step);
        const u = r();
        inc.y.push(gaps && u < 0.004 ? NaN : gaps && u < 0.006 ? (u < 0.005 ? Infinity : -Infinity) : 2 + 8 * r() ** 3);
      }
      appendSeries(s, inc);
      const w = weights[Math.floor(k / 3)];
      c.sync(w);
      assert.equal(c.smoothing, w);
      const ref = directEma(s.y, w);
      const msg = `gaps=${gaps} from ${weights[0]} round ${k} w=${w}`;
      assert.equal(c.shared, !gaps || !s.y.some((v) => !Number.isFinite(v)), `${msg}: shared`);
      if (c.shared && w === 0 && weights.slice(0, Math.floor(k / 3)).some((v) => v > 0))
        assert.equal(c.ys.buffer, s.y.buffer, `${msg}: smoothing off draws the raw column itself`);
      let kept = 0;
      for (let i = 0; i < s.y.length; i++) if (Number.isFinite(s.y[i])) kept++;
      assert.equal(c.n, kept, msg);
      for (let k2 = 0; k2 < c.n; k2++) {
        const i = c.srcAt(k2);
        if (c.ys[k2] !== ref[i]) assert.fail(`${msg}: point ${k2} (series index ${i}) ${c.ys[k2]} ≠ ${ref[i]}`);
      }
      const fresh = summarize(c.ys, c.n, emptySummary());
      assert.equal(c.sum.blocks, fresh.blocks, msg);
      assert.deepEqual([...c.sum.minI.subarray(0, c.sum.blocks)], [...fresh.minI.subarray(0, fresh.blocks)], msg);
      assert.deepEqual([...c.sum.maxI.subarray(0, c.sum.blocks)], [...fresh.maxI.subarray(0, fresh.blocks)], msg);
    }
  }
});
