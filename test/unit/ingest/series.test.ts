/**
 * ColumnSeries: compact columns and the deterministic thinning above the per-series cap (src/ingest/series.ts).
 * The thinning checks are independent of the implementation: with step = raw index, every bin must be the mean
 * over a contiguous range of raw points (recovered from its mean step and count), the ranges must tile the
 * history in order, and its value/min/max must equal those computed directly from the raw points of its range.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ColumnSeries, seriesFrom, DEFAULT_MAX_SERIES_POINTS } from '../../../src/ingest/series';
import { RunModel } from '../../../src/model/runModel';
import { parseText } from '../../../src/ingest/incremental';
import type { ParseResult, Run } from '../../../src/ingest/types';

const f = (i: number) => 3 + Math.sin(i / 7) + i / 1000;

/** Checks a thinned series fed points (i, f(i)) for i = 0..raw-1 against the raw points themselves. */
function checkAgainstRaw(s: ColumnSeries, raw: number, cap: number): void {
  const n = s.length;
  assert.ok(n <= cap, `stored ${n} > cap ${cap}`);
  const t = s.thinned;
  assert.ok(t, 'thinned');
  assert.equal(t.rawPoints, raw);
  assert.ok(t.bins <= cap / 4, `bins ${t.bins} > cap/4`);
  assert.ok(n - t.bins >= cap / 4, `exact tail ${n - t.bins} < cap/4`);
  let next = 0; // first raw index the next bin must start at
  for (let b = 0; b < t.bins; b++) {
    const c: number = t.count[b];
    assert.ok(Number.isInteger(c) && c >= 1, `count ${c}`);
    const a: number = s.step[b] - (c - 1) / 2;
    assert.equal(a, next, `bin ${b} starts at raw ${a}, expected ${next}`);
    let sum = 0,
      lo = Infinity,
      hi = -Infinity;
    for (let i = a; i < a + c; i++) {
      sum += f(i);
      lo = Math.min(lo, f(i));
      hi = Math.max(hi, f(i));
    }
    assert.ok(Math.abs(s.value[b] - sum / c) < 1e-9, `bin ${b} value ${s.value[b]} vs mean ${sum / c}`);
    assert.equal(t.min[b], lo);
    assert.equal(t.max[b], hi);
    next = a + c;
  }
  // the rest are the latest raw points, exact
  for (let k = t.bins; k < n; k++, next++) {
    assert.equal(s.step[k], next);
    assert.equal(s.value[k], f(next));
  }
  assert.equal(next, raw, 'the stored points cover every raw point once');
}

test('below the cap: exact columns; views are snapshots; the time column appears with the first time', () => {
  const s = new ColumnSeries('train/loss', 'loss');
  for (let i = 0; i < 1000; i++) s.append(i, f(i), i === 500 ? 1.7e9 : undefined);
  assert.equal(s.length, 1000);
  assert.equal(s.thinned, undefined);
  assert.ok(s.step instanceof Float64Array && s.step.length === 1000);
  assert.equal(s.value[999], f(999));
  const t = s.time!;
  assert.ok(Number.isNaN(t[0]) && Number.isNaN(t[499]) && t[500] === 1.7e9 && Number.isNaN(t[999]));
  const view = s.step;
  s.append(1000, 1);
  assert.equal(view.length, 1000, 'a view handed out does not grow');
  assert.equal(s.step.length, 1001);
  assert.equal(s.value[1000], 1);
  assert.equal(DEFAULT_MAX_SERIES_POINTS, 1 << 20);
});

test('above the cap: contiguous bins of raw points (mean, min, max) then the latest points exact, at every size', () => {
  for (const cap of [64, 100, 1024]) {
    const s = new ColumnSeries('x', 'x', cap);
    let lastPasses = 0;
    for (let i = 0; i < 50 * cap; i++) {
      s.append(i, f(i));
      const raw = i + 1;
      if (raw > cap && (raw % 97 === 0 || raw === 50 * cap)) checkAgainstRaw(s, raw, cap);
      const p = s.thinned?.passes ?? 0;
      assert.ok(p === lastPasses || p === lastPasses + 1);
      lastPasses = p;
    }
    // the binned history has a uniform resolution: between cap/8 and cap/4 bins
    const t = s.thinned!;
    assert.ok(t.bins >= cap / 8 && t.bins <= cap / 4, `bins ${t.bins}`);
  }
});

test('thinning is deterministic and bounded for very long series', () => {
  const a = new ColumnSeries('x', 'x', 64);
  const b = new ColumnSeries('x', 'x', 64);
  for (let i = 0; i < 200_000; i++) {
    a.append(i, f(i));
    b.append(i, f(i));
  }
  assert.deepEqual(Array.from(a.step), Array.from(b.step));
  assert.deepEqual(Array.from(a.value), Array.from(b.value));
  checkAgainstRaw(a, 200_000, 64);
});

test('a bin holding a NaN is NaN (divergence is never averaged away); times are averaged too', () => {
  const s = new ColumnSeries('x', 'x', 64);
  for (let i = 0; i < 64; i++) s.append(i, i === 3 ? NaN : i === 10 ? Infinity : 1, 1000 + i);
  s.append(64, 1, 1064); // first pass: all but the latest 16 points become 12 bins of 4
  const t = s.thinned!;
  assert.equal(t.bins, 12);
  assert.ok(Number.isNaN(s.value[0]) && Number.isNaN(t.min[0]) && Number.isNaN(t.max[0]), 'bin of raw 0–3');
  assert.equal(s.value[2], Infinity, 'bin of raw 8–11');
  assert.equal(t.max[2], Infinity);
  assert.equal(t.min[2], 1);
  assert.equal(s.value[1], 1);
  assert.equal(s.time![1], 1005.5);
  assert.equal(s.step[1], 5.5);
});

test('RunModel: a thinning pass hands the series out again whole (reset), so a consumer holds exactly the stored points', () => {
  const s = new ColumnSeries('train/loss', 'loss', 64);
  const run: Run = { id: 'r', path: '/r.log', format: 'nanogpt', meta: {}, metrics: { 'train/loss': s } };
  const res: ParseResult = { runs: [run], diagnostics: [] };
  const m = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p });
  let held: number[] = [];
  let resets = 0;
  for (let i = 0; i < 1000; i++) {
    s.append(i, f(i));
    if (i % 13 === 0) {
      m.update('/r.log', res, true);
      for (const inc of m.takeIncrements()) {
        if (inc.reset) {
          held = [];
          resets++;
        }
        held.push(...inc.y);
      }
      assert.deepEqual(held, Array.from(s.value));
    }
  }
  assert.ok(resets > 5, `resets ${resets}`);
});

test('a capped text log says how it was thinned (info diagnostic), keeping every raw point accounted for', async () => {
  const lines =
    Array.from({ length: 5000 }, (_, i) => `iter ${i}: loss ${f(i).toFixed(4)}, time 10.00ms, mfu 1.00%`).join('\n') +
    '\n';
  const r = await parseText('/w/train.log', lines, { maxSeriesPoints: 1000 });
  const loss = r.runs[0].metrics['train/loss'];
  assert.ok(loss.step.length <= 1000 && loss.thinned && loss.thinned.rawPoints === 5000);
  const note = r.diagnostics.find((d) => d.severity === 'info' && d.message.startsWith('train/loss: 5000 points read'));
  assert.ok(note, JSON.stringify(r.diagnostics));
  assert.match(note.message, new RegExp(`${loss.step.length} kept`));
  // without a cap, nothing is thinned
  const full = await parseText('/w/train.log', lines);
  assert.equal(full.runs[0].metrics['train/loss'].step.length, 5000);
  assert.ok(!full.diagnostics.some((d) => /points read/.test(d.message)));
  // seriesFrom: a helper producing the same columns as appends
  const c = seriesFrom('a', 'a', [1, 2], [3, 4]);
  assert.deepEqual(
    [Array.from(c.step), Array.from(c.value)],
    [
      [1, 2],
      [3, 4],
    ],
  );
});

test('adopt: an empty series takes arrays without copying them, and never writes to them (appends grow into new ones)', () => {
  const step = Float64Array.from([1, 2, 3]);
  const value = Float64Array.from([0.5, 0.4, 0.3]);
  const s = new ColumnSeries('loss', 'loss', 64);
  s.adopt(step, value);
  assert.deepEqual([...s.step], [1, 2, 3]);
  assert.deepEqual([...s.value], [0.5, 0.4, 0.3]);
  const view = s.value;
  s.append(4, 0.2);
  assert.deepEqual([...s.step], [1, 2, 3, 4]);
  assert.deepEqual([...s.value], [0.5, 0.4, 0.3, 0.2]);
  assert.deepEqual([...step], [1, 2, 3], 'the adopted steps are untouched');
  assert.deepEqual([...value], [0.5, 0.4, 0.3], 'the adopted values are untouched');
  assert.deepEqual([...view], [0.5, 0.4, 0.3], 'a view handed out before stays a snapshot');
  // only an empty series, below its cap
  assert.throws(() => s.adopt(Float64Array.of(5), Float64Array.of(0.1)));
  assert.throws(() => new ColumnSeries('x', 'x', 64).adopt(new Float64Array(64), new Float64Array(64)));
});
