/**
 * The general reader on hold-out 16's classes of misses (issue 14): synthetic lines modelled on each class, in
 * several variants that differ in words and separators (a rule must hold for the structure, not for one file), small
 * enough that the expected values are written by hand from the text. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('the cross-entropy named as such is the training loss (`63601 train ce 2.82`, `xent`, `cross_entropy`)', () => {
  for (const key of ['train ce', 'ce', 'xent', 'cross_entropy'])
    test(key, async () => {
      const run = one(await parse(lines(...[1, 2, 3, 4].map((s) => `${s * 10} ${key} ${5 - s} lr 0.001`)), 'log.txt'));
      assert.deepEqual(pts(run, 'train/loss'), { step: [10, 20, 30, 40], value: [4, 3, 2, 1] });
    });
  test('`val ce` is the validation loss', async () => {
    const text = lines(...[1, 2, 3].flatMap((s) => [`step ${s} ce ${5 - s}`, `step ${s} val ce ${6 - s}`]));
    const run = one(await parse(text, 'log.txt'));
    assert.deepEqual(pts(run, 'val/loss').value, [5, 4, 3]);
    assert.deepEqual(pts(run, 'train/loss').value, [4, 3, 2]);
  });
});

describe('a record tagged as evaluation by its first word, after the step, is not the training loss', () => {
  const cases: [string, (s: number, v: number) => string][] = [
    ['`N quick_eval ppl P loss V`', (s, v) => `${s} quick_eval ppl 19.0 loss ${v} tok 5169152`],
    ['`N evaluate ppl P loss V`', (s, v) => `${s} evaluate ppl 18.8 loss ${v} sec 333.5`],
    ['`N validate | loss: V`', (s, v) => `${s} validate | loss: ${v}`],
  ];
  for (const [name, evalRow] of cases)
    test(name, async () => {
      const rows: string[] = [];
      for (let s = 1; s <= 20; s++) {
        rows.push(`${s} train ce ${(3 + 1 / s).toFixed(4)} lr 0.001`);
        if (s % 5 === 0) rows.push(evalRow(s, 3.5 + s / 100));
      }
      const run = one(await parse(lines(...rows), 'log.txt'));
      const train = pts(run, 'train/loss');
      assert.equal(train.step.length, 20);
      assert.equal(train.value[19], 3.05, 'the last training value, not the evaluation at the same step');
      assert.deepEqual(pts(run, 'val/loss').value, [3.55, 3.6, 3.65, 3.7]);
    });
});

describe('a record whose first value is keyed by an evaluation word holds the evaluation loss', () => {
  const variants: [string, (e: number, split: string, acc: string, loss: string) => string][] = [
    ['[Epoch: E] Train acc: A | loss: V', (e, sp, a, v) => `[Epoch: 0${e}] ${sp} acc: ${a} | loss: ${v}`],
    ['epoch E - Valid_F1 A, loss V', (e, sp, a, v) => `epoch ${e} - ${sp}_F1 ${a}, loss ${v}`],
  ];
  for (const [name, row] of variants)
    test(name, async () => {
      const rows: string[] = [];
      for (let e = 1; e <= 4; e++) {
        rows.push(row(e, 'Train', '0.8', String(12 - e)));
        rows.push(row(e, 'Valid', '0.7', String(10 - e / 2)));
      }
      const run = one(await parse(lines(...rows), 'train.log'));
      assert.deepEqual(pts(run, 'train/loss').value, [11, 10, 9, 8]);
      assert.deepEqual(pts(run, 'val/loss').value, [9.5, 9, 8.5, 8]);
    });
  test('a Keras epoch-end line (`loss: … - val_loss: …`) keeps its training loss', async () => {
    const rows: string[] = [];
    for (let e = 1; e <= 4; e++) {
      rows.push(`Epoch ${e}/4`);
      rows.push(`10/20 - loss: ${5 - e + 0.5} - acc: 0.5`);
      rows.push(`20/20 - loss: ${5 - e} - acc: 0.6 - val_loss: ${6 - e} - val_acc: 0.5`);
    }
    const run = one(await parse(lines(...rows), 'train.log'));
    assert.deepEqual(pts(run, 'val/loss').value, [5, 4, 3, 2]);
    assert.ok(pts(run, 'train/loss').value.includes(1), 'the epoch-end training loss is read as training loss');
  });
});

describe('an epoch counter glued to an `E` (`Head E3/6:`, `E12/100`) is the epoch of its total', () => {
  for (const [name, row] of [
    [
      '[Fold 0] Finetune E3/6: train_loss=V',
      (e: number, v: number) => `[Fold 0] Finetune E${e}/6: train_loss=${v} val=0.5`,
    ],
    ['E3/6 loss V', (e: number, v: number) => `E${e}/6 loss ${v}`],
  ] as const)
    test(name, async () => {
      const run = one(await parse(lines(...[1, 2, 3, 4, 5, 6].map((e) => row(e, 10 - e))), 'train.log'));
      assert.deepEqual(pts(run, 'train/loss'), { step: [1, 2, 3, 4, 5, 6], value: [9, 8, 7, 6, 5, 4] });
    });
  test('`E1` not before a `/` stays a word: no epoch counter read from `E1 loss 2.5` lines', async () => {
    const r = await parse(lines('E1 loss 2.5', 'E2 loss 2.4', 'E3 loss 2.3', 'E4 loss 2.2'), 'train.log');
    assert.ok(!r.runs.some((run) => run.metrics['train/loss']?.step.length === 4));
    // the same lines with a total are four points on the epoch counter (the check above can fail)
    const withTotal = one(
      await parse(lines('E1/4 loss 2.5', 'E2/4 loss 2.4', 'E3/4 loss 2.3', 'E4/4 loss 2.2'), 'x.log'),
    );
    assert.deepEqual(pts(withTotal, 'train/loss').step, [1, 2, 3, 4]);
  });
});
