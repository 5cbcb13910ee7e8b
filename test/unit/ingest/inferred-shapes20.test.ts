/**
 * The general reader on real logs it still read wrong after hold-out 19 (issue 14): synthetic lines modelled on each
 * class, small enough that the expected values are written by hand. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('two losses printed in the same `NAME for STEP` sentence keep their own names', () => {
  const out: string[] = [];
  for (let e = 0; e < 6; e++) {
    out.push(`Loss for epoch ${e}: ${(3 - e / 4).toFixed(4)}`);
    out.push(`NCE Loss for epoch ${e}: ${(0.9 + e / 100).toFixed(4)}`);
  }
  test('`Loss for epoch N: v` and `NCE Loss for epoch N: v`: two series, the loss the plain one', async () => {
    const run = one(await parse(lines(...out)));
    assert.deepEqual(pts(run, 'train/loss'), { step: [0, 1, 2, 3, 4, 5], value: [3, 2.75, 2.5, 2.25, 2, 1.75] });
    assert.deepEqual(pts(run, 'NCE Loss').value, [0.9, 0.91, 0.92, 0.93, 0.94, 0.95]);
  });
  test('a word before the name that is not adjacent to it (a number, a comma) is not read with it', async () => {
    const run = one(await parse(lines(...[0, 1, 2, 3].map((e) => `done 3, Loss at step ${e * 10}: ${4 - e}.5`))));
    assert.deepEqual(pts(run, 'train/loss'), { step: [0, 10, 20, 30], value: [4.5, 3.5, 2.5, 1.5] });
  });
});
