/**
 * The general reader on the failure classes of the retired hold-out 4 (issue 14): synthetic lines modelled on
 * each class, small enough that the expected series is written by hand from the text (never taken from the
 * reader's output). Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('sentences', () => {
  test('`avg loss so far is X`: a key phrase ending in "is" is named by its loss word', async () => {
    const run = one(
      await parse(
        lines(
          'Epoch 0, Step 25, total used time 7.1 (s), avg loss so far is 0.5',
          'Epoch 0, Step 50, total used time 14.0 (s), avg loss so far is 0.25',
          'Epoch 0, Step 75, total used time 20.9 (s), avg loss so far is 0.125',
          'Epoch 0, val loss is 0.0625, val mse is 0.03.',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').value, [0.5, 0.25, 0.125]);
    assert.deepEqual(pts(run, 'train/loss').step, [25, 50, 75]);
    assert.equal(run.metrics['train/loss'].originalName, 'avg loss so far is');
    assert.deepEqual(pts(run, 'val/loss').value, [0.0625]);
  });
});
