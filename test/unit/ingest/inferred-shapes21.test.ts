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

describe('a record over several lines whose first line’s step is an epoch and an unkeyed `N/M`', () => {
  // the first line: an epoch key and the iteration within it as a bare `N/M`; then indented lines of losses
  const rec = (e: number, n: number, i: number) => [
    `epoch: ${e}, ${n}/40 ${((n / 40) * 100).toFixed(1)}%, 0.52s per iter, lr: 0.001`,
    `    gen loss: ${(4 - i / 4).toFixed(3)}  ppl:${(50 - i).toFixed(2)}, aux loss: ${(1 - i / 20).toFixed(3)}`,
    `    disc loss: ${(0.7 + i / 50).toFixed(3)}, fake loss: 0.650`,
    '',
  ];
  const rows = [1, 11, 21, 31].map((n, i) => rec(1, n, i)).concat([1, 11].map((n, i) => rec(2, n, 4 + i)));
  test('the continuation lines take the first line’s composed step, not record order', async () => {
    const run = one(await parse(lines(...rows.flat())));
    assert.deepEqual(pts(run, 'lr').step, [1, 11, 21, 31, 41, 51]);
    const loss = pts(run, 'train/loss');
    assert.equal(run.metrics['train/loss'].originalName, 'gen loss');
    assert.deepEqual(loss.step, [1, 11, 21, 31, 41, 51]);
    assert.deepEqual(loss.value, [4, 3.75, 3.5, 3.25, 3, 2.75]);
    assert.deepEqual(pts(run, 'disc loss').step, [1, 11, 21, 31, 41, 51]);
  });
});

describe('a log resumed inside a later epoch whose batch counter starts at 1', () => {
  const row = (e: number, b: number, v: number) => `Epoch is [${e}/90], batch is [${b}/500], loss is ${v.toFixed(3)}`;
  test('`Epoch [3/90]`, batch `[1/500]`, `[2/500]`, …: epochs count from 1 too, step = (3 − 1) × 500 + batch', async () => {
    const run = one(
      await parse(lines('resumed from checkpoint epoch_2.pth', ...[1, 2, 3, 4].map((b) => row(3, b, 2 - b / 10)))),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [1001, 1002, 1003, 1004], value: [1.9, 1.8, 1.7, 1.6] });
  });
  test('a batch counter that starts at its logging interval says nothing of the origin: the counter stays the step', async () => {
    const run = one(await parse(lines(...[10, 20, 30, 40].map((b) => row(3, b, 2 - b / 100)))));
    assert.deepEqual(pts(run, 'train/loss').step, [10, 20, 30, 40]);
  });
});
