/**
 * The general reader on real logs it still read wrong after hold-out 20 (issue 14, fourth helper): synthetic lines
 * modelled on each class, small enough that the expected values are written by hand. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('an `N/M` step counter written with thousands separators (`Step 1,000/20,000`)', () => {
  // a Markdown-table-like row per logging interval: the step and its planned total both grouped by commas
  const row = (s: number, v: number) =>
    `| Step ${s.toLocaleString('en-US')}/20,000 | Epoch 0 | Loss: ${v.toFixed(4)} | LR: 2.00e-05 |`;
  test('both sides of the counter are one number each: every row is read, at its own step', async () => {
    const run = one(await parse(lines(...[500, 1000, 1500, 2000, 2500].map((s, i) => row(s, 7 - i / 2)))));
    assert.deepEqual(pts(run, 'train/loss'), { step: [500, 1000, 1500, 2000, 2500], value: [7, 6.5, 6, 5.5, 5] });
  });
});
