/**
 * A metric given for a numbered thing whose word is no step word (issue 14; hold-out 15's `train loss of iteraction
 * 2:0.79384094`, misspelt): the whole number is the index the loss is for, and the words before `of` name the value,
 * as `Loss at step 100: 2.3` does with a step word. The misspelt case was read as a series of the step numbers.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

const loss = (i: number) => +(3 / Math.sqrt(i) + 0.1).toFixed(5);

describe('a loss given for a numbered thing named by any word', () => {
  test('`train loss of iteraction N:V`: N is the step, V the loss', async () => {
    const text = lines(...Array.from({ length: 40 }, (_, i) => `train loss of iteraction ${i + 2}:${loss(i + 1)}`));
    const run = one(await parse(text, 'train_loss.txt'));
    assert.deepEqual(pts(run, 'train/loss'), {
      step: Array.from({ length: 40 }, (_, i) => i + 2),
      value: Array.from({ length: 40 }, (_, i) => loss(i + 1)),
    });
  });

  test('a step word elsewhere in the line still keys the step', async () => {
    const text = lines(
      ...Array.from({ length: 30 }, (_, i) => `step ${(i + 1) * 50}, loss of head ${(i % 3) + 1}: ${loss(i + 1)}`),
    );
    const run = one(await parse(text, 'train.log'));
    assert.deepEqual(pts(run, 'train/loss').step.slice(0, 3), [50, 100, 150]);
  });

  test('a fractional number after the word is no index', async () => {
    const text = lines(...Array.from({ length: 30 }, (_, i) => `loss of model ${(i / 7).toFixed(3)}:${loss(i + 1)}`));
    const r = await parse(text, 'train.log');
    const steps = r.runs.flatMap((run) => Array.from(run.metrics['train/loss']?.step ?? []));
    assert.ok(!steps.includes(Number((1 / 7).toFixed(3))), 'a fraction taken as a step');
  });
});
