/**
 * The incremental anomaly scan (SeriesScan / findAnomalies with a scans map), used by Problems on live logs:
 * appending in random pieces gives exactly the anomalies of a one-shot scan of the whole series (NaN streaks and
 * spike windows straddling the pieces included), an update reads only the new points, and a rewritten series
 * (another object, shorter, thinned) is rescanned from the start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advanceAnomalyScans, findAnomalies, SeriesScan, type Anomaly } from '../../../src/model/anomalies';
import type { Series } from '../../../src/ingest/types';
import { seriesFrom } from '../../../src/ingest/series';

let seed = 7;
const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;

function curve(n: number): { step: number[]; value: number[] } {
  const step: number[] = [],
    value: number[] = [];
  for (let i = 0; i < n; i++) {
    step.push(i * 10);
    let v = 2 + 8 * (i + 10) ** -0.3 + (rnd() - 0.5) * 0.02;
    const r = rnd();
    if (r < 0.004)
      v += 1.5; // spike
    else if (r < 0.006)
      v = NaN; // divergence, sometimes in streaks
    else if (r < 0.007) v = Infinity;
    value.push(v);
  }
  return { step, value };
}
const key = (a: Anomaly[]) => a.map((x) => `${x.kind}:${x.metric}:${x.index}:${x.step}`);

test('incremental anomaly scan: random pieces give the one-shot result', () => {
  for (let trial = 0; trial < 20; trial++) {
    const { step, value } = curve(3000);
    const whole = findAnomalies({ 'train/loss': seriesFrom('train/loss', 'loss', step, value) });
    assert.ok(
      whole.some((a) => a.kind === 'spike') && whole.some((a) => a.kind === 'divergence'),
      'the data has both kinds',
    );
    const scans = new Map<string, SeriesScan>();
    let last: Anomaly[] = [];
    for (let n = 0; n < step.length;) {
      n = Math.min(step.length, n + 1 + Math.floor(rnd() * 300));
      // A new Series object per piece would restart the scan; the live model keeps one object that grows. Model
      // that with a growing series whose views are re-sliced (same object, longer arrays).
      last = findAnomalies({ 'train/loss': growing(step, value, n) }, scans);
    }
    assert.deepEqual(key(last), key(whole), `trial ${trial}`);
  }
});

/** One Series object per (step, value) source, grown to `n` points in place. */
const grown = new WeakMap<
  number[],
  { s: { name: string; originalName: string; step: Float64Array; value: Float64Array } }
>();
function growing(step: number[], value: number[], n: number): Series {
  let g = grown.get(step);
  if (!g)
    grown.set(
      step,
      (g = { s: { name: 'train/loss', originalName: 'loss', step: new Float64Array(0), value: new Float64Array(0) } }),
    );
  g.s.step = Float64Array.from(step.slice(0, n));
  g.s.value = Float64Array.from(value.slice(0, n));
  return g.s;
}

test('incremental anomaly scan: an update reads only the points appended since the last one', () => {
  const { step, value } = curve(20_000);
  const s = growing(step, value, 19_990) as { value: Float64Array };
  const scan = new SeriesScan();
  scan.update(s as Series);
  let reads = 0;
  const counted = growing(step, value, 20_000) as { value: Float64Array };
  const raw = counted.value;
  counted.value = new Proxy(raw, {
    get: (t, p) => {
      if (typeof p === 'string' && /^\d+$/.test(p)) reads++;
      const v = Reflect.get(t, p, t);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
  scan.update(counted as Series);
  assert.ok(reads <= 10, `read ${reads} values for 10 new points`);
});

test('incremental anomaly scan: a rewritten series is rescanned from the start', () => {
  const a = curve(2000),
    b = curve(1500);
  const scan = new SeriesScan();
  scan.update(seriesFrom('train/loss', 'loss', a.step, a.value));
  // another object, and shorter: results are those of the new series alone
  const sb = seriesFrom('train/loss', 'loss', b.step, b.value);
  scan.update(sb);
  assert.deepEqual(key([...scan.divergence, ...scan.spikes]), key(findAnomalies({ 'train/loss': sb })));
  // the same object, same length, its stored points rewritten by a thinning pass: rescanned
  const c = curve(2000),
    d = curve(2000);
  const s = {
    name: 'train/loss',
    originalName: 'loss',
    step: Float64Array.from(c.step),
    value: Float64Array.from(c.value),
  } as { -readonly [K in keyof Series]: Series[K] };
  scan.update(s);
  s.value = Float64Array.from(d.value);
  s.thinned = {
    maxPoints: 64,
    rawPoints: 3000,
    bins: 10,
    binWidth: 2,
    passes: 1,
    count: new Float64Array(0),
    min: new Float64Array(0),
    max: new Float64Array(0),
  };
  scan.update(s);
  assert.deepEqual(
    key([...scan.divergence, ...scan.spikes]),
    key(findAnomalies({ 'train/loss': seriesFrom('train/loss', 'loss', c.step, d.value) })),
  );
});

test('the spike checks from sorted windows give exactly the events of the definition (each window copied and sorted)', () => {
  // Ties (values on a coarse grid), flat stretches, spikes, NaN streaks, the default and other window sizes.
  const kinds = [
    (i: number) => 2 + 8 * (i + 10) ** -0.3 + (rnd() - 0.5) * 0.02,
    (i: number) => Math.round((3 + 5 * (i + 5) ** -0.5 + (rnd() - 0.5) * 0.05) * 100) / 100,
    (i: number) => (i % 200 < 50 ? 2.5 : 2.5 + (rnd() - 0.5) * 1e-3),
  ];
  let compared = 0;
  for (const [kind, make] of kinds.entries())
    for (const opts of [{}, { window: 8, k: 3 }, { window: 50, k: 7, sustainedZ: 4 }]) {
      const step: number[] = [],
        value: number[] = [];
      for (let i = 0; i < 4000; i++) {
        step.push(i);
        const r = rnd();
        value.push(r < 0.003 ? NaN : r < 0.01 ? make(i) + 0.5 + rnd() : make(i));
      }
      const s = seriesFrom('train/loss', 'loss', step, value);
      const fast = new SeriesScan(opts).update(s);
      const naive = new SeriesScan({ ...opts, naiveMedians: true }).update(s);
      assert.deepEqual(fast.spikes, naive.spikes, `series kind ${kind}, options ${JSON.stringify(opts)}`);
      assert.deepEqual(fast.divergence, naive.divergence);
      assert.equal(fast.dropped, naive.dropped);
      compared += naive.spikes.length;
    }
  assert.ok(compared > 20, `${compared} spike events compared`);
});

test('advanceAnomalyScans reads at most maxPoints a call, and the scans it leaves give the one-shot anomalies', () => {
  const { step, value } = curve(20_000);
  const metrics = {
    'train/loss': seriesFrom('train/loss', 'loss', step, value),
    'val/loss': seriesFrom('val/loss', 'loss', step.slice(0, 3000), value.slice(0, 3000)),
  };
  const whole = findAnomalies(metrics);
  assert.ok(whole.length > 5, `${whole.length} anomalies in the one-shot scan`);
  const scans = new Map<string, SeriesScan>();
  let calls = 1;
  while (!advanceAnomalyScans(metrics, scans, 997)) calls++;
  assert.equal(calls, Math.ceil(20_000 / 997), 'the longest series sets the number of slices');
  const sliced = findAnomalies(metrics, scans);
  assert.deepEqual(sliced, whole);
  // caught up: nothing left to read
  assert.equal(advanceAnomalyScans(metrics, scans, 1), true);
});
