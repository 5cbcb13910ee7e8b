/**
 * The general reader on the failure classes of the retired hold-out 8 (issue 14, batch 11, scored once, blind, at
 * d4d3484): synthetic lines modelled on each class, each in at least two variants that differ in keys, separators
 * or prefixes (every file of hold-out 8 is its own format family, so a rule must hold for the structure, not for
 * one file), small enough that the expected series is written by hand from the text (never taken from the reader's
 * output). Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe("a word cut by the template example's length is no evaluation word", () => {
  const bar = (fill: number, width: number) => `[${'='.repeat(fill)}${' '.repeat(width - fill)}]`;
  test("`Training [===      ] 8.5% 5000/58874 | loss=3.910492 | validation_loss=…` (a C++ trainer's own progress bar), cut at `valid…`", async () => {
    const row = (n: number, loss: string) =>
      `Training ${bar(Math.round((n / 20000) * 40), 40)} ${((n / 20000) * 100).toFixed(1)}% ${n}/20000 | 4.62 it/s | ETA: ${((20000 - n) / 4.62).toFixed(1)} s | loss=${loss} | validation_loss=3.908841`;
    const run = one(
      await parse(
        lines(
          'Vocabulary: 32000, tokens: 2143562534',
          row(2500, '3.910492'),
          'Saved validation checkpoint at step 2500',
          row(5000, '3.502029'),
          'Saved validation checkpoint at step 5000',
          row(7500, '3.250671'),
          row(10000, '3.011362'),
          row(12500, '2.751984'),
          row(20000, '2.502037'),
          // the last bar printed again, with the total time broken over a line
          `${row(20000, '2.502037')} | Total time: 127`,
          '41.46 s',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').step, [2500, 5000, 7500, 10000, 12500, 20000]);
    assert.deepEqual(pts(run, 'train/loss').value, [3.910492, 3.502029, 3.250671, 3.011362, 2.751984, 2.502037]);
  });
  test('`update 10/500 | … | loss 0.21 | policy_loss … | value_loss …` behind a logging prefix, cut at `val…`', async () => {
    const row = (u: number, l: string) =>
      `2024-05-01 10:00:00,123 INFO update ${String(u).padStart(3)}/500 | fps 12 | entropy 1.2 | grad_norm 0.4567 | approx_kl 0.001234 | loss ${l} | policy_loss 0.0123 | value_loss 0.51234 | clip_frac 0.1`;
    const run = one(
      await parse(
        lines(
          row(10, '0.512345'),
          row(20, '0.412345'),
          row(30, '0.312345'),
          row(40, '0.212345'),
          row(50, '0.112345').replace('/500 ', '/500 done '),
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').step, [10, 20, 30, 40, 50]);
    assert.deepEqual(pts(run, 'train/loss').value, [0.512345, 0.412345, 0.312345, 0.212345, 0.112345]);
  });
});
