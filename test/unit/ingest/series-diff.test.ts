/**
 * Differential test of the series store (issue 17): the current ColumnSeries (src/ingest/series.ts, sped up) must
 * store exactly what the implementation before the speed-up stored (test/unit/ingest/seriesReference.ts, a frozen
 * copy) — same stored points, bit for bit (NaN, ±Infinity and -0 included), same time column, same thinning
 * state — after every append, on random inputs and on real metric series, for caps that thin many times.
 * Views held across appends must keep their points until a thinning pass says they may have been rewritten.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ColumnSeries } from '../../../src/ingest/series';
import { ReferenceSeries } from './seriesReference';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

function sameArray(a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined, what: string): void {
  if (a === undefined || b === undefined) {
    assert.equal(a === undefined, b === undefined, `${what}: one is undefined`);
    return;
  }
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++)
    if (!Object.is(a[i], b[i])) assert.fail(`${what}[${i}]: ${a[i]} vs reference ${b[i]}`);
}

function same(ours: ColumnSeries, ref: ReferenceSeries, what: string): void {
  assert.equal(ours.length, ref.length, `${what}: length`);
  assert.equal(ours.rawPoints, ref.rawPoints, `${what}: rawPoints`);
  sameArray(ours.step, ref.step, `${what}: step`);
  sameArray(ours.value, ref.value, `${what}: value`);
  sameArray(ours.time, ref.time, `${what}: time`);
  const a = ours.thinned,
    b = ref.thinned;
  assert.equal(a === undefined, b === undefined, `${what}: thinned presence`);
  if (a && b) {
    assert.deepEqual(
      [a.maxPoints, a.rawPoints, a.bins, a.binWidth, a.passes],
      [b.maxPoints, b.rawPoints, b.bins, b.binWidth, b.passes],
      `${what}: thinning state`,
    );
    sameArray(a.count, b.count, `${what}: count`);
    sameArray(a.min, b.min, `${what}: min`);
    sameArray(a.max, b.max, `${what}: max`);
  }
}

interface Point {
  step: number;
  value: number;
  time?: number;
}

/** Feeds both stores, comparing at random moments (and reading views in between, as the host does). */
function feed(points: Point[], cap: number | undefined, seed: number, what: string): void {
  const ours = new ColumnSeries('m', 'm', cap);
  const ref = new ReferenceSeries('m', 'm', cap);
  const rnd = lcg(seed);
  let held: { step: Float64Array; value: Float64Array; copy: number[]; passes: number } | null = null;
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    ours.append(p.step, p.value, p.time);
    ref.append(p.step, p.value, p.time);
    if (rnd() < 0.02 || i === points.length - 1) same(ours, ref, `${what} after ${i + 1} points`);
    else if (rnd() < 0.05) void ours.value; // a read between appends must not freeze a stale view
    if (held && (ours.thinned?.passes ?? 0) === held.passes) {
      // no thinning since the view was handed out: its points are unchanged
      if (rnd() < 0.05) sameArray(held.value, held.copy, `${what}: held view`);
    } else if (rnd() < 0.01) {
      const value = ours.value;
      held = { step: ours.step, value, copy: Array.from(value), passes: ours.thinned?.passes ?? 0 };
    } else held = null;
  }
  same(ours, ref, `${what} at the end`);
}

function randomPoints(
  n: number,
  seed: number,
  opts: { time: 'none' | 'always' | 'late' | 'some'; specials: boolean },
): Point[] {
  const rnd = lcg(seed);
  const out: Point[] = [];
  for (let i = 0; i < n; i++) {
    let value = 2 + Math.sin(i / 37) + (rnd() - 0.5) * 0.1;
    if (opts.specials) {
      const r = rnd();
      if (r < 0.002) value = NaN;
      else if (r < 0.004) value = Infinity;
      else if (r < 0.006) value = -Infinity;
      else if (r < 0.01) value = -0;
      else if (r < 0.02) value = 0;
    }
    const step = rnd() < 0.01 ? i - 5 : i; // occasional step going back (restarts)
    let time: number | undefined;
    if (opts.time === 'always') time = 1.7e9 + i * 0.3;
    else if (opts.time === 'late') time = i > n / 3 ? 1.7e9 + i : undefined;
    else if (opts.time === 'some') time = rnd() < 0.5 ? 1.7e9 + i : rnd() < 0.5 ? NaN : undefined;
    out.push({ step, value, time });
  }
  return out;
}

test('random inputs: the same stored result as the reference, at every cap and time-column shape', () => {
  let seed = 1;
  for (const cap of [64, 100, 257, 1000, 4096]) {
    for (const time of ['none', 'always', 'late', 'some'] as const) {
      for (const specials of [false, true]) {
        const n = cap * (3 + (seed % 7)) + ((seed * 13) % cap); // several thinning passes, bins merged more than once
        feed(randomPoints(n, seed, { time, specials }), cap, seed, `cap ${cap}, time ${time}, specials ${specials}`);
        seed++;
      }
    }
  }
});

test('below the cap (growth only) and the default cap: the same as the reference', () => {
  for (const n of [0, 1, 63, 64, 65, 255, 256, 257, 5000, 70000])
    feed(randomPoints(n, n + 7, { time: 'some', specials: true }), undefined, n, `default cap, ${n} points`);
});

test('real series (learning-rate schedule CSVs of ../shared/data): the same as the reference', () => {
  const dir = '../shared/data/lr-schedules';
  const files = readdirSync(dir).flatMap((d) =>
    readdirSync(path.join(dir, d))
      .filter((f) => f.endsWith('.csv'))
      .map((f) => path.join(dir, d, f)),
  );
  assert.ok(files.length >= 10, `found ${files.length} CSV files`);
  let k = 0;
  for (const file of files) {
    const rows = readFileSync(file, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    const head = rows[0].split(',').map((h) => h.trim());
    for (const col of ['loss', 'lr']) {
      const j = head.indexOf(col),
        si = head.indexOf('step');
      assert.ok(j >= 0 && si >= 0, `${file}: columns`);
      const pts = rows.slice(1).map((r) => {
        const c = r.split(',');
        return { step: Number(c[si]), value: Number(c[j]) };
      });
      // the real curve, repeated as a long run would log it, against caps small enough to thin it many times
      const long: Point[] = [];
      for (let rep = 0; rep < 4; rep++) for (const p of pts) long.push({ step: p.step + rep * 1e5, value: p.value });
      feed(long, 64 + (k % 5) * 37, k, `${file} ${col}`);
      k++;
    }
  }
});
