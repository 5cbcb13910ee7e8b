import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LttbJob, lttbIndices, pick, pickColumn } from '../../../src/model/decimate';

/** Reference LTTB written independently from the algorithm's description (bucket bounds as in the thesis). */
function referenceLttb(x: number[], y: number[], threshold: number): number[] {
  const n = x.length;
  const every = (n - 2) / (threshold - 2);
  const sampled = [0];
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    const rs = Math.floor((i + 1) * every) + 1,
      re = Math.min(Math.floor((i + 2) * every) + 1, n);
    const avgX = x.slice(rs, re).reduce((p, q) => p + q, 0) / (re - rs);
    const avgY = y.slice(rs, re).reduce((p, q) => p + q, 0) / (re - rs);
    const s = Math.floor(i * every) + 1,
      e = Math.floor((i + 1) * every) + 1;
    let maxArea = -1,
      next = s;
    for (let j = s; j < e; j++) {
      const area = Math.abs((x[a] - avgX) * (y[j] - y[a]) - (x[a] - x[j]) * (avgY - y[a])) * 0.5;
      if (area > maxArea) {
        maxArea = area;
        next = j;
      }
    }
    sampled.push(next);
    a = next;
  }
  sampled.push(n - 1);
  return sampled;
}

test('LTTB matches an independent reference implementation on noisy curves', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (const [n, t] of [
    [1000, 100],
    [5003, 377],
    [250, 50],
  ]) {
    const x = Array.from({ length: n }, (_, i) => i + 1);
    const y = x.map((v) => 2 + 5 * v ** -0.3 + 0.05 * (rnd() - 0.5));
    assert.deepEqual(lttbIndices(x, y, t), referenceLttb(x, y, t));
  }
});

test('LTTB keeps endpoints, a lone spike and NaN divergence points', () => {
  const n = 10_000;
  const x = Array.from({ length: n }, (_, i) => i);
  const y = x.map((v) => 3 + 1 / (1 + v));
  y[4321] = 50;
  y[9000] = NaN;
  const idx = lttbIndices(x, y, 200);
  assert.equal(idx[0], 0);
  assert.equal(idx[idx.length - 1], n - 1);
  assert.ok(idx.includes(4321), 'spike kept');
  assert.ok(idx.includes(9000), 'NaN kept');
  assert.ok(idx.length <= 202);
  assert.deepEqual(lttbIndices([1, 2, 3], [1, 2, 3], 10), [0, 1, 2]);
});

test('LttbJob in slices gives the one-shot indices, each slice visiting at most its budget plus one bucket pair', () => {
  let seed = 11;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (const [n, t, budget] of [
    [200_003, 4000, 10_000],
    [50_000, 377, 999],
    [10_000, 4000, 1],
  ]) {
    const x = Float64Array.from({ length: n }, (_, i) => i + 1);
    const y = x.map((v) => 2 + 5 * v ** -0.3 + 0.05 * (rnd() - 0.5));
    y[Math.floor(n / 3)] = NaN;
    const job = new LttbJob(x, y, t);
    const pair = 2 * Math.ceil((n - 2) / (t - 2)) + 2;
    let slices = 0,
      maxWork = 0;
    for (;;) {
      const before = job.work;
      const done = job.run(budget);
      slices++;
      maxWork = Math.max(maxWork, job.work - before);
      if (done) break;
    }
    assert.deepEqual(job.result(), lttbIndices(x, y, t));
    assert.ok(maxWork <= budget + pair, `slice work ${maxWork} > ${budget} + ${pair}`);
    // The whole pass visits about 2n points, so a budget well under that takes several slices.
    assert.ok(slices >= Math.floor(job.work / (budget + pair)), `${slices} slices for ${job.work} points`);
    assert.ok(job.work >= 1.9 * n && job.work <= 2 * n, `work ${job.work} for ${n} points`);
  }
});

test('pickColumn gives the values pick gives, as a Float64Array of its own (a dashboard message column)', () => {
  const src = Float64Array.from({ length: 1000 }, (_, i) => (i % 7 === 3 ? NaN : Math.sin(i) * 1e6 + i));
  const idx = lttbIndices(
    Float64Array.from({ length: 1000 }, (_, i) => i),
    src,
    50,
  );
  const col = pickColumn(src, idx);
  assert.ok(col instanceof Float64Array);
  assert.equal(col.buffer.byteLength, idx.length * 8, 'exactly its values: nothing extra posted');
  assert.deepEqual(Array.from(col), pick(src, idx));
});
