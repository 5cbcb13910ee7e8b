/** Last write per step (src/ingest/infer/resolve.ts), on hand-written sequences. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { increasing, lastWritePerStep } from '../../../src/ingest/infer/resolve';

test('increasing steps need nothing; a repeat or a step back does', () => {
  assert.equal(increasing([1, 2, 5]), true);
  assert.equal(increasing([1, NaN, 2]), true);
  assert.equal(increasing([1, 1, 2]), false);
  assert.equal(increasing([1, 3, 2]), false);
});

test('the last value written for each step wins and steps come out sorted', () => {
  const r = lastWritePerStep([1, 2, 3, 2, 3, 4], [10, 20, 30, 21, 31, 40], [100, 200, 300, 201, 301, 400]);
  assert.deepEqual(Array.from(r.step), [1, 2, 3, 4]);
  assert.deepEqual(Array.from(r.value), [10, 21, 31, 40]);
  assert.deepEqual(Array.from(r.time!), [100, 201, 301, 400]);
  assert.equal(r.repeats, 1);
});

test('a restart from step 0 keeps the steps only the first attempt reached', () => {
  const r = lastWritePerStep([0, 1, 2, 3, 0, 1], [5, 4, 3, 2, 6, 5.5]);
  assert.deepEqual(Array.from(r.step), [0, 1, 2, 3]);
  assert.deepEqual(Array.from(r.value), [6, 5.5, 3, 2]);
  assert.equal(r.time, undefined);
});
