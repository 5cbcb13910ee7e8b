/**
 * The general reader on hold-out 15's classes of misses (issue 14): synthetic lines modelled on each class, in
 * several variants that differ in words and separators (a rule must hold for the structure, not for one file), small
 * enough that the expected values are written by hand from the text. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('a sentence naming the value, then the step it is of (`The loss of epoch 3 is: 2.5`)', () => {
  const rows = (fmt: (e: number, v: string) => string) =>
    lines(fmt(0, '8.0'), fmt(1, '7.5'), fmt(2, '7.25'), fmt(3, '7.0'));
  const cases: [string, (e: number, v: string) => string][] = [
    ['The loss of epoch N is: V', (e, v) => `The loss of epoch ${e} is: ${v}`],
    ['The loss of epoch N is V', (e, v) => `The loss of epoch ${e} is ${v}`],
    ['Average loss of epoch N: V', (e, v) => `Average loss of epoch ${e}: ${v}`],
    ['train loss of iteration N:V', (e, v) => `train loss of iteration ${e}:${v}`],
    ['At step N the training loss was V', (e, v) => `At step ${e} the training loss was ${v}`],
  ];
  for (const [name, fmt] of cases)
    test(name, async () => {
      const run = one(await parse(rows(fmt), 'train.log'));
      assert.deepEqual(pts(run, 'train/loss'), { step: [0, 1, 2, 3], value: [8, 7.5, 7.25, 7] });
      assert.deepEqual(Object.keys(run.metrics), ['train/loss'], 'the step is not also a metric');
    });
  test('a checkpoint sentence keyed the same way is not a loss (`Saved checkpoint for epoch N: V`)', async () => {
    const r = await parse(
      rows((e, v) => `Saved checkpoint for epoch ${e}: ${v}`),
      'train.log',
    );
    assert.ok(r.runs.every((run) => !run.metrics['train/loss']));
  });
});

describe('rows of bare numbers with no header, in a file named for a loss (`loss_log.txt`)', () => {
  const rows = (sep: string) =>
    lines(`16.84${sep}-210.47`, `10.07${sep}-158.77`, `6.74${sep}-203.33`, `6.67${sep}-190.00`);
  for (const [name, sep] of [
    ['loss_log.txt', ','],
    ['train_losses.txt', ' '],
    ['losses.log', '\t'],
  ])
    test(`${name}, values separated by ${JSON.stringify(sep)}: the first column is the loss, in record order`, async () => {
      const run = one(await parse(rows(sep), name));
      assert.deepEqual(pts(run, 'train/loss'), { step: [1, 2, 3, 4], value: [16.84, 10.07, 6.74, 6.67] });
    });
  test('the same rows in a file whose name says nothing are not claimed (they could be any numbers)', async () => {
    const r = await parse(rows(','), 'results.txt');
    assert.equal(r.runs.length, 0);
  });
});
