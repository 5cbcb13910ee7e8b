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

describe('a counter glued to its name', () => {
  test('`Iter-100; loss: …`: a dash between a counter name and its digits is no minus sign; the iteration is the step', async () => {
    const run = one(
      await parse(
        lines(
          'Iter-0; loss: 2.5000; val_acc: 0.50',
          'Iter-100; loss: 2.2500; val_acc: 0.55',
          'Iter-200; loss: 2.0000; val_acc: 0.60',
          'Iter-300; loss: 1.7500; val_acc: 0.62',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').step, [0, 100, 200, 300]);
    assert.deepEqual(pts(run, 'train/loss').value, [2.5, 2.25, 2, 1.75]);
  });

  test('`epoch_3 loss: …` and `epoch3/100 acc:… loss:…`: an underscore or nothing between them', async () => {
    const a = one(
      await parse(lines('epoch_1 loss: 3.5', 'epoch_2 loss: 3.25', 'epoch_3 loss: 3', 'epoch_4 loss: 2.5')),
    );
    assert.deepEqual(pts(a, 'train/loss').step, [1, 2, 3, 4]);
    assert.deepEqual(pts(a, 'train/loss').value, [3.5, 3.25, 3, 2.5]);
    const b = one(
      await parse(
        lines(
          'epoch0/100 acc:0.5\tloss:1.75',
          'epoch1/100 acc:0.6\tloss:1.5',
          'epoch2/100 acc:0.7\tloss:1.25',
          'epoch3/100 acc:0.8\tloss:1.125',
        ),
      ),
    );
    assert.deepEqual(pts(b, 'train/loss').step, [0, 1, 2, 3]);
    assert.deepEqual(pts(b, 'train/loss').value, [1.75, 1.5, 1.25, 1.125]);
  });

  test('only a counter’s name: `ckpt-1000 saved` lines stay literal text (one template per line), no step', async () => {
    const r = await parse(lines('ckpt-1000 saved', 'ckpt-2000 saved', 'ckpt-3000 saved', 'ckpt-4000 saved'));
    assert.equal(r.runs.filter((x) => Object.keys(x.metrics).length).length, 0);
  });
});

describe('a loss named before the step it is for', () => {
  test('`Training loss for epoch 3: 2.17`: the epoch keys the counter, `loss` keys the value after it', async () => {
    const run = one(
      await parse(
        lines(
          'Training loss for epoch 0: 2.5',
          'Training loss for epoch 1: 2.25',
          'Training loss for epoch 2: 2.125',
          'Training loss for epoch 3: 2',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').step, [0, 1, 2, 3]);
    assert.deepEqual(pts(run, 'train/loss').value, [2.5, 2.25, 2.125, 2]);
  });

  test('`Loss at step 100: 2.3`: the same with `at step`', async () => {
    const run = one(
      await parse(lines('Loss at step 0: 3.5', 'Loss at step 10: 3', 'Loss at step 20: 2.75', 'Loss at step 30: 2.5')),
    );
    assert.deepEqual(pts(run, 'train/loss').step, [0, 10, 20, 30]);
    assert.deepEqual(pts(run, 'train/loss').value, [3.5, 3, 2.75, 2.5]);
  });

  test('only a metric’s name: `Saved checkpoint for epoch 3: 1` lines are no training log', async () => {
    const r = await parse(
      lines(
        'Saved checkpoint for epoch 0: 1',
        'Saved checkpoint for epoch 1: 1',
        'Saved checkpoint for epoch 2: 1',
        'Saved checkpoint for epoch 3: 1',
      ),
    );
    assert.equal(r.runs.filter((x) => Object.keys(x.metrics).length).length, 0);
  });
});

describe('two unkeyed counters', () => {
  test('`[1/4][100/350] Loss: …`: the second counter restarts where the first goes up, so the first is the epoch', async () => {
    const text: string[] = [];
    const want: number[] = [];
    let v = 3;
    for (let e = 1; e <= 3; e++)
      for (let b = 100; b <= 300; b += 100) {
        text.push(`[${e}/4][${b}/350] Loss: ${v}`);
        want.push((e - 1) * 350 + b);
        v -= 0.125;
      }
    const run = one(await parse(lines(...text)));
    assert.deepEqual(pts(run, 'train/loss').step, want);
    assert.equal(pts(run, 'train/loss').value.length, 9);
  });
});

describe('keys in Chinese and Korean', () => {
  test('`迭代耗时 …ms; 迭代 20: 训练损失 2.99`: 损失 names the loss, 迭代 (iteration) is the step', async () => {
    const run = one(
      await parse(
        lines(
          '迭代耗时 101.00ms; 迭代 0: 训练损失 3.00000',
          '迭代耗时 99.50ms; 迭代 20: 训练损失 2.50000',
          '迭代耗时 100.25ms; 迭代 40: 训练损失 2.25000',
          '迭代耗时 98.75ms; 迭代 60: 训练损失 2.00000',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').step, [0, 20, 40, 60]);
    assert.deepEqual(pts(run, 'train/loss').value, [3, 2.5, 2.25, 2]);
  });

  test('`평균 손실: 2.99` lines with no step: 손실 names a loss, read in record order', async () => {
    const run = one(await parse(lines('평균 손실: 3.0', '평균 손실: 2.5', '평균 손실: 2.25', '평균 손실: 2.0')));
    assert.deepEqual(pts(run, 'train/loss').step, [1, 2, 3, 4]);
    assert.deepEqual(pts(run, 'train/loss').value, [3, 2.5, 2.25, 2]);
  });
});
