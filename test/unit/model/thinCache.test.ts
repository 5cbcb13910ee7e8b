import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lttbIndices } from '../../../src/model/decimate';
import { seriesFrom } from '../../../src/ingest/series';
import { SeriesThinCache } from '../../../src/model/thinCache';

function noisy(n: number, seed = 5): { step: number[]; value: number[] } {
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const step = Array.from({ length: n }, (_, i) => i + 1);
  return { step, value: step.map((v) => 2 + 5 * v ** -0.3 + 0.05 * (rnd() - 0.5)) };
}

const exact = (s: { step: ArrayLike<number>; value: ArrayLike<number> }, t: number) => lttbIndices(s.step, s.value, t);

test('prepare thins a long series in budgeted slices, one event-loop turn each, and indices then answers from the cache', async () => {
  const { step, value } = noisy(300_000);
  const s = seriesFrom('train/loss', 'loss', step, value);
  let turns = 0;
  const cache = new SeriesThinCache(4000, 50_000, 100_000, () => {
    turns++;
    return Promise.resolve();
  });
  assert.equal(cache.fresh(s), false);
  const pending = cache.prepare([s]);
  assert.ok(pending, 'a long uncached series needs slicing');
  await pending;
  const pair = 2 * Math.ceil(300_000 / 3998) + 2;
  assert.ok(cache.stats.slices >= 600_000 / (50_000 + pair) - 1, `${cache.stats.slices} slices`);
  assert.equal(turns, cache.stats.slices, 'every slice runs after its own event-loop turn');
  assert.ok(cache.stats.maxSliceWork <= 50_000 + pair, `slice work ${cache.stats.maxSliceWork}`);
  const slices = cache.stats.slices;
  const idx = cache.indices(s);
  assert.deepEqual(idx, exact(s, 4000));
  assert.equal(cache.indices(s), idx, 'the cached array, no new pass');
  assert.equal(cache.prepare([s]), undefined);
  assert.equal(cache.stats.slices, slices);
});

test('a long series that grew by a short tail is the cached prefix plus the raw tail; a long tail or a new object re-thins', async () => {
  const { step, value } = noisy(250_000, 9);
  const s = seriesFrom('train/loss', 'loss', step.slice(0, 200_000), value.slice(0, 200_000));
  const cache = new SeriesThinCache(4000, 100_000, 100_000, () => Promise.resolve());
  await cache.prepare([s]);
  const before = cache.indices(s);
  for (let i = 200_000; i < 203_000; i++) s.append(step[i], value[i]);
  assert.equal(cache.prepare([s]), undefined, 'a 3000-point tail needs no pass');
  const tail = Array.from({ length: 3000 }, (_, i) => 200_000 + i);
  assert.deepEqual(cache.indices(s), [...before, ...tail]);
  for (let i = 203_000; i < 250_000; i++) s.append(step[i], value[i]);
  assert.equal(cache.fresh(s), false, 'a 50k-point tail is re-thinned');
  await cache.prepare([s]);
  assert.deepEqual(cache.indices(s), exact(s, 4000));
  const again = seriesFrom('train/loss', 'loss', step, value);
  assert.equal(cache.fresh(again), false, 'a re-read series (new object) is not taken from the cache');
  assert.deepEqual(cache.indices(again), exact(again, 4000), 'indices without prepare thins synchronously');
});

test('short series are re-thinned exactly after they grow (no prefix + tail); only those within the threshold skip prepare', async () => {
  const { step, value } = noisy(60_000, 3);
  const s = seriesFrom('train/loss', 'loss', step.slice(0, 50_000), value.slice(0, 50_000));
  const cache = new SeriesThinCache(4000, 200_000, 100_000, () => Promise.resolve());
  assert.ok(cache.prepare([s]), 'a 50k-point series is thinned in prepare too');
  assert.deepEqual(cache.indices(s), exact(s, 4000));
  for (let i = 50_000; i < 51_000; i++) s.append(step[i], value[i]);
  assert.equal(cache.fresh(s), false);
  assert.deepEqual(cache.indices(s), exact(s, 4000));
  const tiny = seriesFrom('lr', 'lr', [1, 2, 3], [3, 2, 1]);
  assert.equal(cache.prepare([tiny]), undefined);
  assert.deepEqual(cache.indices(tiny), [0, 1, 2]);
});

test('many short series share slices: fewer slices than series, none over its budget', async () => {
  const series = Array.from({ length: 40 }, (_, k) =>
    seriesFrom(`m${k}`, `m${k}`, ...(Object.values(noisy(20_000, k + 1)) as [number[], number[]])),
  );
  let turns = 0;
  const cache = new SeriesThinCache(4000, 200_000, 100_000, () => {
    turns++;
    return Promise.resolve();
  });
  await cache.prepare(series);
  const pair = 2 * Math.ceil(20_000 / 3998) + 2;
  assert.ok(cache.stats.slices < 10, `${cache.stats.slices} slices for 40 series of 20k points`);
  assert.equal(turns, cache.stats.slices);
  assert.ok(cache.stats.maxSliceWork <= 200_000 + pair, `slice work ${cache.stats.maxSliceWork}`);
  for (const s of series) assert.deepEqual(cache.indices(s), exact(s, 4000));
});

test('prepare resolves after every queued series, including ones queued while it runs', async () => {
  const a = seriesFrom('a', 'a', ...(Object.values(noisy(150_000, 1)) as [number[], number[]]));
  const b = seriesFrom('b', 'b', ...(Object.values(noisy(180_000, 2)) as [number[], number[]]));
  const cache = new SeriesThinCache(1000, 40_000, 100_000);
  const p1 = cache.prepare([a]);
  const p2 = cache.prepare([b, a]);
  assert.ok(p1 && p2);
  await p2;
  assert.ok(cache.fresh(a) && cache.fresh(b));
  assert.deepEqual(cache.indices(a), exact(a, 1000));
  assert.deepEqual(cache.indices(b), exact(b, 1000));
});
