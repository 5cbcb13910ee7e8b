/**
 * The general reader on real logs it still read wrong after hold-out 21 (issue 14): synthetic lines modelled on each
 * class, small enough that the expected values are written by hand. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('a key and its value separated by a comma (`step 10, loss_train, 0.833`)', () => {
  const rec = (e: number, s: number, v: number) => `epoch ${e}, phase train, step ${s}, loss_train, ${v.toFixed(3)}`;
  const epoch = (e: number) => [
    `epoch ${e}, phase train, total step ${(e - 1) * 30}`,
    ...[1, 2, 3].map((k) => rec(e, (e - 1) * 30 + k * 10, 1 - e / 10 - k / 100)),
    `epoch ${e}, phase valid, total step ${e * 30}`,
    `epoch ${e} | val_loss: ${(1.2 - e / 10).toFixed(4)}`,
  ];
  test('the word glued to the comma before the value is its key: every training line is read, at its step', async () => {
    const run = one(await parse(lines('Start time: 2025-01-01 10:00:00', ...[1, 2].flatMap(epoch))));
    const got = pts(run, 'train/loss');
    assert.deepEqual(got.step, [10, 20, 30, 40, 50, 60]);
    assert.deepEqual(
      got.value.map((v) => Number(v.toFixed(3))),
      [0.89, 0.88, 0.87, 0.79, 0.78, 0.77],
    );
  });
  test('a comma after a number, or after a word with a value of its own, makes no key', async () => {
    // `lr 0.1, 0.5`: the 0.5 follows a value, not a key cell; the loss keeps its own key
    const run = one(
      await parse(lines(...[1, 2, 3, 4].map((s) => `step ${s}, lr 0.1, 0.5, loss ${(3 - s / 10).toFixed(2)}`))),
    );
    assert.deepEqual(pts(run, 'train/loss').value, [2.9, 2.8, 2.7, 2.6]);
  });
});
