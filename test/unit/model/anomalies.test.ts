import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findAnomalies, findSpikes, findOverfit } from '../../../src/model/anomalies';
import type { Series } from '../../../src/ingest/types';
import { seriesFrom } from '../../../src/ingest/series';

function series(name: string, step: number[], value: number[]): Series {
  return seriesFrom(name, name, step, value);
}
let seed = 1;
const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.02;

test('a clean noisy power-law curve raises nothing', () => {
  const step = Array.from({ length: 2000 }, (_, i) => (i + 1) * 10);
  const s = series(
    'train/loss',
    step,
    step.map((t) => 2 + 8 * t ** -0.4 + noise()),
  );
  assert.deepEqual(findAnomalies({ 'train/loss': s }), []);
});

test('divergence: the first NaN/inf of each streak is reported', () => {
  const v = [3, 2.9, NaN, NaN, 2.8, Infinity, 2.7];
  const a = findAnomalies({ 'train/loss': series('train/loss', [1, 2, 3, 4, 5, 6, 7], v) }).filter(
    (x) => x.kind === 'divergence',
  );
  assert.deepEqual(
    a.map((x) => x.index),
    [2, 5],
  );
});

test('spikes: an injected spike is found at its index, and only there', () => {
  const step = Array.from({ length: 500 }, (_, i) => i);
  const v = step.map((t) => 3 + 2 / (1 + t / 50) + noise());
  v[321] += 1.5;
  const a = findSpikes(series('train/loss', step, v));
  assert.deepEqual(
    a.map((x) => x.index),
    [321],
  );
});

test('over-fitting: val rising while train falls; not when both fall', () => {
  const tStep = Array.from({ length: 100 }, (_, i) => i * 10);
  const train = series(
    'train/loss',
    tStep,
    tStep.map((t) => 3 - t / 1000),
  );
  const vStep = [0, 200, 400, 600, 800, 990];
  assert.equal(findOverfit(train, series('val/loss', vStep, [3, 2.8, 2.7, 2.75, 2.8, 2.9])).length, 1);
  assert.equal(findOverfit(train, series('val/loss', vStep, [3, 2.8, 2.7, 2.6, 2.5, 2.4])).length, 0);
});
