/**
 * The general reader on the failure classes found by the format corpus' dev split (test/fixtures/formats: logs
 * rendered from public training scripts' print calls): synthetic lines modelled on each class, small enough that
 * the expected series is written by hand from the text (never taken from the reader's output). Each case failed
 * before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('error measures spelled short', () => {
  test('`MSE: 2.36` lines with no step: a short error measure names a loss, read in record order', async () => {
    const run = one(await parse(lines('Using device: cuda', 'MSE: 2.36', 'MSE: 2.10', 'MSE: 1.87', 'MSE: 1.52')));
    assert.deepEqual(pts(run, 'train/loss').step, [1, 2, 3, 4]);
    assert.deepEqual(pts(run, 'train/loss').value, [2.36, 2.1, 1.87, 1.52]);
  });

  test('`train_err: 0.91 vaild_err: 0.95`: `err` after an underscore is an error measure; the training one is the loss', async () => {
    const run = one(
      await parse(
        lines(
          'train_err: 0.91 vaild_err: 0.95',
          'train_err: 0.72 vaild_err: 0.80',
          'train_err: 0.64 vaild_err: 0.77',
          'train_err: 0.58 vaild_err: 0.75',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').value, [0.91, 0.72, 0.64, 0.58]);
  });

  test('`mse=` inside a word is not matched: `stderr=` lines alone are no training log', async () => {
    const r = await parse(lines('stderr=1', 'stderr=2', 'stderr=3', 'stderr=4'));
    assert.equal(
      r.runs.filter((x) => Object.keys(x.metrics).length).length,
      0,
      'a run was read from lines that name no loss',
    );
  });
});
