/**
 * The general reader on the failure classes of the retired hold-out 7 (issue 14, batch 10, scored once, blind, at
 * 1d76190): synthetic lines modelled on each class, small enough that the expected series is written by hand from
 * the text (never taken from the reader's output). Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('month-name dates', () => {
  test('`[Mar 29, 16:21:59] 12 6.25`: a month name and its day inside a bracketed time are a timestamp, not data', async () => {
    const run = one(
      await parse(
        lines(
          '[Mar 29, 16:21:54] #> Loading the queries ...',
          '#>>>    5.09 5.08 \t\t|\t\t 0.01',
          '[Mar 29, 16:21:59] 0 6.5',
          'True',
          '#>>>    5.16 5.35 \t\t|\t\t -0.19',
          '[Mar 29, 23:59:59] 1 6.25',
          'True',
          '#>>>    4.81 5.36 \t\t|\t\t -0.55',
          '[Mar 30, 00:00:01] 2 6.125',
          'True',
          '#>>>    5.58 5.12 \t\t|\t\t 0.46',
          '[Mar 30, 00:00:02] 3 6',
          'True',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').step, [0, 1, 2, 3]);
    assert.deepEqual(pts(run, 'train/loss').value, [6.5, 6.25, 6.125, 6]);
  });
});
