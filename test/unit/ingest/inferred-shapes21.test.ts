/**
 * The general reader on real logs it still read wrong after hold-out 19 (issue 14, third helper): synthetic lines
 * modelled on each class, small enough that the expected values are written by hand. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('a speed keyed as the training split’s (`Train Speed`) is no loss when no key names one', () => {
  // a Speedometer-like logger: one line per metric, each with the batch's speed before it
  const rows = [0, 1, 2].flatMap((e) =>
    [50, 100, 150, 200].flatMap((b) => [
      `Epoch[${e}] Batch [${b}]\tSpeed: ${(30 + e * 2).toFixed(2)} samples/sec\tTrain-Acc=${(0.8 + e / 100).toFixed(6)}`,
      `Epoch[${e}] Batch [${b}]\tSpeed: ${(30 + e * 2).toFixed(2)} samples/sec\tTrain-SmoothL1=${(5 - e - b / 200).toFixed(6)}`,
    ]),
  );
  test('the first value that is no speed nor a score is the loss (SmoothL1), not the speed', async () => {
    const run = one(await parse(lines(...rows)));
    const loss = pts(run, 'train/loss');
    assert.equal(run.metrics['train/loss'].originalName, 'Train-SmoothL1');
    assert.deepEqual(loss.step.slice(0, 4), [50, 100, 150, 200]);
    assert.deepEqual(loss.value.slice(-2), [2.25, 2]);
  });
});
