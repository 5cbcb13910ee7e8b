/**
 * The general reader on real logs it still read wrong after hold-out 22 (issue 14): synthetic lines modelled on each
 * class, small enough that the expected values are written by hand. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';
import { stepRank } from '../../../src/ingest/infer/templates';

describe('a banner saying the evaluation is over announces no evaluation', () => {
  test('`==== end of evaluation ====` then the training line: it stays a training record', async () => {
    const rec = (e: number, it: number, v: string) => `epoch: ${e}, iter: ${it}, lr=0.1, spent 2.50 s, tr_loss: ${v}`;
    const evalBlock = (e: number, it: number) => [
      `=========== evaluation at epoch: ${e} iteration: ${it} ===========`,
      `test acc: 4${e}.000%, spent: 20.5 s`,
      '=========== end of evaluation ===========',
      '',
    ];
    const run = one(
      await parse(
        lines(
          rec(1, 0, '2.300'),
          rec(1, 50, '2.100'),
          ...evalBlock(1, 80),
          rec(2, 100, '1.900'),
          rec(2, 150, '1.800'),
          ...evalBlock(2, 160),
          rec(3, 200, '1.700'),
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [0, 50, 100, 150, 200], value: [2.3, 2.1, 1.9, 1.8, 1.7] });
  });
});

describe('a learning rate glued to its key', () => {
  test('`lr0.0099256…` with a new value on each line: one template, the lr a field', async () => {
    const lrs = ['0.01', '0.009925650290240803', '0.009852577760521605', '0.00978074826968'];
    const run = one(
      await parse(
        lines(
          ...lrs.map((lr, k) => `Run A to B Train Iter: ${k * 100} lr${lr} \t Loss Cls: 1.${9 - k}00 Loss Ent: 0.2`),
        ),
      ),
    );
    assert.deepEqual(pts(run, 'lr').value, lrs.map(Number));
  });
});

describe('words describing the run before a split-qualified step key', () => {
  test('`S real T clipart Train Ep: 100 …`: the step is Train Ep', async () => {
    const run = one(
      await parse(
        lines(
          ...[0, 100, 200, 300].map(
            (s, k) => `S real T paint Train Ep: ${s} lr 0.01 \t Loss Cls: 1.${9 - k}00 Loss Ent: 0.2`,
          ),
        ),
      ),
    );
    assert.deepEqual(pts(run, 'Loss Cls').step, [0, 100, 200, 300]);
  });
});

describe('an emoji before the step key', () => {
  test('`✅ Epoch 1/10 | Train Loss: …`, the first epoch printed twice: keyed by the epoch', async () => {
    const run = one(
      await parse(
        lines(
          '[2025-01-01 10:00:00] ',
          '✅ Epoch 1/4 | Train Loss: 6.9000',
          '[2025-01-01 10:00:05] ',
          '✅ Epoch 1/4 | Train Loss: 6.9000',
          '[2025-01-01 10:01:00] ',
          '✅ Epoch 2/4 | Train Loss: 5.5000',
          '[2025-01-01 10:02:00] ',
          '✅ Epoch 3/4 | Train Loss: 4.2500',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [1, 2, 3], value: [6.9, 5.5, 4.25] });
  });
});

describe('lines indented with ideographic spaces (U+3000)', () => {
  const dict = (v: string, e: string) =>
    `\u3000\u3000{'loss': ${v}, 'grad_norm': 1.5, 'learning_rate': 1e-05, 'epoch': ${e}}  `;
  test('HF Trainer dicts then the summary dict at the same epoch: the last loss is the last dict’s', async () => {
    const run = one(
      await parse(
        lines(
          dict('4.1437', '0.5'),
          dict('3.2000', '1.0'),
          dict('2.5000', '1.5'),
          dict('0.6449', '2.0'),
          "\u3000\u3000{'train_runtime': 220.5, 'train_samples_per_second': 2.0, 'train_loss': 1.0989, 'epoch': 2.0}  ",
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').value, [4.1437, 3.2, 2.5, 0.6449]);
  });
});

describe('a count of steps after a split word is no step key', () => {
  test('`Total training steps: 31250` ranks 0; `S real T clipart Train Ep` ranks as an epoch', () => {
    assert.equal(stepRank('Total training steps'), 0);
    assert.equal(stepRank('run one num train iter'), 0);
    assert.equal(stepRank('S real T clipart Train Ep'), stepRank('Train Ep'));
    assert.ok(stepRank('S real T clipart Train Ep') > 0);
  });
});
